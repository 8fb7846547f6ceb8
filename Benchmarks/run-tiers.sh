#!/usr/bin/env bash
# Issue 12's tier benchmark (`strata-tiers`): a tiered store of ARCHIVED messages over 8 archive
# quarters plus ACTIVE messages in active, against a single memory store holding only the active
# ones. Writes
#   results/tiers-YYYY-MM-DD-<host>.jsonl      one JSON line per phase (machine and load in each)
#   results/tiers-YYYY-MM-DD-<host>-table.md   the figures as a table (scripts/tiers_table.py)
# (-2, -3, ... appended if that day's file exists). Exits 1 on any wrong answer, an archive
# opened by a miss, or a migrate that left records due.
#
# Usage: Benchmarks/run-tiers.sh [ARCHIVED [ACTIVE]]   (default 1000000 50000; release build)
#        Benchmarks/run-tiers.sh --smoke               (CI: 800 + 400 messages, debug build, no results/ files)
# Environment:
#   TIERS_DIR=/path       the work directory (default /tmp/strata-tiers-bench; on disk, not tmpfs; removed after)
#   TIERS_ARGS="..."      more strata-tiers options (--reads, --queries, --move-messages, --dimension, --seed)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
cd "$HERE"
DIR="${TIERS_DIR:-/tmp/strata-tiers-bench}"

smoke=0
sizes=()
for arg in "$@"; do
    case "$arg" in
        --smoke) smoke=1 ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        *[!0-9]*) echo "run-tiers: not a message count: $arg" >&2; exit 2 ;;
        *) sizes+=("$arg") ;;
    esac
done
config=release
((smoke)) && config=debug
echo "run-tiers: building strata-tiers ($config)" >&2
swift build -c "$config" --product strata-tiers >&2
BIN="$(swift build -c "$config" --product strata-tiers --show-bin-path)/strata-tiers"

rm -rf "$DIR"
read -r -a extra <<< "${TIERS_ARGS:-}"
if ((smoke)); then
    OUT="$(mktemp /tmp/tiers-smoke-XXXXXX.jsonl)"
    "$BIN" --smoke --dir "$DIR" "${extra[@]}" > "$OUT"
    python3 scripts/tiers_table.py "$OUT" >&2
    rm -f "$OUT"
    exit 0
fi
mkdir -p results
base="results/tiers-$(date -u +%F)-$(hostname -s)"
stem="$base"
n=2
while [[ -e "$stem.jsonl" ]]; do stem="$base-$n"; n=$((n + 1)); done
OUT="$stem.jsonl"
echo "run-tiers: archived=${sizes[0]:-1000000} active=${sizes[1]:-50000} -> $OUT" >&2
"$BIN" --archived "${sizes[0]:-1000000}" --active "${sizes[1]:-50000}" --dir "$DIR" "${extra[@]}" | tee "$OUT"
python3 scripts/tiers_table.py "$OUT" > "$stem-table.md"
echo "run-tiers: wrote $OUT and $stem-table.md" >&2
