#!/usr/bin/env bash
# The MW1 agent-memory workload (shared/bench/MEMORY-WORKLOAD.md, generator in mw1/): generates
# each dataset if missing, builds `mw1`, runs every store on it, and writes
#   results/mw1-YYYY-MM-DD-<host>.jsonl      one JSON line per (store, dataset, phase)
#   results/mw1-YYYY-MM-DD-<host>-table.md   per phase: Strata beside SQLite, with ratios
# (-2, -3, ... appended if that day's file exists). Exits non-zero if any answer is wrong or any
# forgotten record comes back.
#
# Usage: Benchmarks/run-mw1.sh [MESSAGES...]     (default 100000; release build)
#        Benchmarks/run-mw1.sh --smoke           (CI: 10,000 messages, debug build, no results/ files)
# Environment:
#   MW1_STORES="sqlite strata"   the stores (default: STORES below)
#   MW1_DATA=/path               where datasets are kept (default /tmp/mw1-data; reused when present)
#   MW1_WORK=/path               where the stores' files go (default /tmp/mw1-work; on disk, not tmpfs)
#   MW1_SEED=1                   the dataset seed
#   MW1_CHECK=1                  validate each dataset with mw1_check.py first
set -euo pipefail

# The stores run by default.
STORES=(sqlite strata)
if [[ -n "${MW1_STORES:-}" ]]; then read -r -a STORES <<< "$MW1_STORES"; fi

HERE="$(cd "$(dirname "$0")" && pwd)"
cd "$HERE"
DATA="${MW1_DATA:-/tmp/mw1-data}"
WORK="${MW1_WORK:-/tmp/mw1-work}"
SEED="${MW1_SEED:-1}"

smoke=0
sizes=()
for arg in "$@"; do
    case "$arg" in
        --smoke) smoke=1 ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        *[!0-9]*) echo "run-mw1: not a message count: $arg" >&2; exit 2 ;;
        *) sizes+=("$arg") ;;
    esac
done
if ((smoke)); then sizes=(10000); fi
if ((${#sizes[@]} == 0)); then sizes=(100000); fi

# 1. Python with numpy: the system's, else a venv of our own (gitignored).
PY=python3
if ! python3 -c 'import numpy' 2>/dev/null; then
    if [[ ! -x .venv-mw1/bin/python ]]; then
        echo "run-mw1: creating Benchmarks/.venv-mw1 with numpy" >&2
        if ! python3 -m venv .venv-mw1 >&2 || ! .venv-mw1/bin/pip install --quiet numpy >&2; then
            rm -rf .venv-mw1
            echo "run-mw1: no numpy and no venv; install python3-numpy (or python3-venv) and retry" >&2
            exit 2
        fi
    fi
    PY="$HERE/.venv-mw1/bin/python"
fi

# 2. The SQLite library.
if ! pkg-config --exists sqlite3; then ./ensure-peers.sh; fi

# 3. Build.
config=release
((smoke)) && config=debug
echo "run-mw1: building mw1 ($config)" >&2
swift build -c "$config" --product mw1 >&2
BIN="$(swift build -c "$config" --product mw1 --show-bin-path)/mw1"

# 4. Where the lines go.
if ((smoke)); then
    OUT="$(mktemp /tmp/mw1-smoke-XXXXXX.jsonl)"
else
    mkdir -p results
    base="results/mw1-$(date -u +%F)-$(hostname -s)"
    stem="$base"
    n=2
    while [[ -e "$stem.jsonl" ]]; do stem="$base-$n"; n=$((n + 1)); done
    OUT="$stem.jsonl"
fi
: > "$OUT"

# 5. Datasets and runs.
status=0
for messages in "${sizes[@]}"; do
    dir="$DATA/mw1-$messages-s$SEED"
    if [[ ! -f "$dir/manifest.json" ]]; then
        echo "run-mw1: generating $dir" >&2
        rm -rf "$dir"
        "$PY" mw1/mw1_generate.py --out "$dir" --messages "$messages" --seed "$SEED"
    fi
    if [[ "${MW1_CHECK:-0}" == 1 ]]; then "$PY" mw1/mw1_check.py "$dir" >&2; fi
    for store in "${STORES[@]}"; do
        echo "run-mw1: $store on $dir" >&2
        "$BIN" --store "$store" --dataset "$dir" --work "$WORK/$store" | tee -a "$OUT" || status=1
    done
done

# 6. Report.
if ((smoke)); then
    python3 scripts/mw1_table.py "$OUT" >&2
    rm -f "$OUT"
else
    python3 scripts/mw1_table.py "$OUT" > "$stem-table.md"
    echo "run-mw1: wrote $OUT and $stem-table.md" >&2
fi
exit "$status"
