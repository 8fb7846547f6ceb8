#!/usr/bin/env bash
# Runs Strata's storage benchmark (shared/bench/WORKLOADS.md) for every engine
# this build has, and writes:
#   results/YYYY-MM-DD-<host>.jsonl        one JSON line per (engine, workload)
#   results/YYYY-MM-DD-<host>-table.md     each workload per engine, Strata / best peer
#   results/YYYY-MM-DD-<host>.svg          a chart of the same
#   results/YYYY-MM-DD-<host>-scale.jsonl, -scale-table.md, -stalls.svg
#                                          the scale workload, its table and commit-latency histogram
# (-2, -3, ... is appended to the name if that day's file exists.)
#
# Usage: Benchmarks/run.sh [N] [seed]
# Environment:
#   STRATA_BENCH_ENGINE=0   build and run the four peers only, without Strata
#   BEYOND=0                skip the beyond-db_bench workloads (synccommit, space)
#   BENCH_DIR=/path         where the databases go (default /tmp/strata-bench; must be on disk, not tmpfs)
#   SYNC_N=2000             syncwrite commits
#   SCALE=0                 skip the scale workload (SCALE_N keys, then 1M gets and 1M overwrites,
#                           every engine with a 64 MiB cache + 64 MiB write buffer, one process each)
#   SCALE_N=10000000        its N; SCALE_PEERS=lmdb,rocksdb,... its engines (default: all)
#   SCALE_TIME_LIMIT=1800   seconds after which an engine's scale fill stops and reports what it wrote
set -euo pipefail

N="${1:-1000000}"
SEED="${2:-42}"
SYNC_N="${SYNC_N:-2000}"
BENCH_DIR="${BENCH_DIR:-/tmp/strata-bench}"
HERE="$(cd "$(dirname "$0")" && pwd)"
cd "$HERE"

# 1. The peers' C libraries.
./ensure-peers.sh

# 2. Build.
echo "run.sh: building strata-bench (release)" >&2
swift build -c release --product strata-bench
BIN="$(swift build -c release --product strata-bench --show-bin-path)/strata-bench"

# 3. Run.
mkdir -p results
base="results/$(date -u +%F)-$(hostname -s)"
stem="$base"
suffix=2
while [[ -e "$stem.jsonl" ]]; do stem="$base-$suffix"; suffix=$((suffix + 1)); done
OUT="$stem.jsonl"
: > "$OUT"
echo "run.sh: N=$N seed=$SEED SYNC_N=$SYNC_N -> $OUT" >&2

status=0
"$BIN" --n "$N" --seed "$SEED" --sync-n "$SYNC_N" --dir "$BENCH_DIR" | tee -a "$OUT" || status=1
if [[ "${BEYOND:-1}" != 0 ]]; then
    "$BIN" --n "$N" --seed "$SEED" --sync-n "$SYNC_N" --dir "$BENCH_DIR" \
        --workloads synccommit,space | tee -a "$OUT" || status=1
fi

# 4. Report.
python3 scripts/table.py "$OUT" > "$stem-table.md"
python3 scripts/chart.py "$OUT" -o "$stem.svg"
echo "run.sh: wrote $OUT, $stem-table.md, $stem.svg" >&2

# 5. The scale workload (issue 13), alone in each engine's process so that its I/O counters
# and peak RSS are the engine's own.
if [[ "${SCALE:-1}" != 0 ]]; then
    SCALE_N="${SCALE_N:-10000000}"
    SCALE_OUT="$stem-scale.jsonl"
    scale_args=(--n "$SCALE_N" --seed "$SEED" --dir "$BENCH_DIR" --workloads scale
        --scale-time-limit "${SCALE_TIME_LIMIT:-1800}")
    [[ -n "${SCALE_PEERS:-}" ]] && scale_args+=(--peers "$SCALE_PEERS")
    echo "run.sh: scale workload, N=$SCALE_N -> $SCALE_OUT" >&2
    "$BIN" "${scale_args[@]}" | tee "$SCALE_OUT" || status=1
    python3 scripts/table.py "$SCALE_OUT" > "$stem-scale-table.md"
    python3 scripts/stalls.py "$SCALE_OUT" -o "$stem-stalls.svg"
    echo "run.sh: wrote $SCALE_OUT, $stem-scale-table.md, $stem-stalls.svg" >&2
fi
exit "$status"
