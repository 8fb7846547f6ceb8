#!/usr/bin/env bash
# The harness check of issue 13: for LMDB and LevelDB, the Swift harness (strata-bench) and the
# same workloads written directly in C against the same libraries (lmdb.c, leveldb.c), run in
# one sitting, alternating which goes first each round; prints each figure and the ratio
# Swift / C (they should agree within 10%): wall-clock ops/s, and ops per CPU second of the
# process (all threads), which holds still when other processes compete for the cores.
#   Benchmarks/c-harness/compare.sh [N] [ROUNDS]     (default 1000000 and 2)
# Environment: BENCH_DIR (default /tmp/strata-harness-check), OUT (the JSON lines; default
# Benchmarks/results/harness-check-DATE.jsonl).
set -euo pipefail
N="${1:-1000000}"
ROUNDS="${2:-2}"
HERE="$(cd "$(dirname "$0")" && pwd)"
cd "$HERE/.."
./ensure-peers.sh
c-harness/build.sh
swift build -c release --product strata-bench >&2
BIN="$(swift build -c release --product strata-bench --show-bin-path)/strata-bench"
DIR="${BENCH_DIR:-/tmp/strata-harness-check}"
mkdir -p results
OUT="${OUT:-results/harness-check-$(date -u +%F).jsonl}"
: > "$OUT"
WORKLOADS=fillseq,fillrandom,overwrite,readrandom,readseq
swift_run() { "$BIN" --n "$N" --peers "$1" --workloads "$WORKLOADS" --dir "$DIR" >> "$OUT"; }
c_run() { "c-harness/build/$1-bench" "$DIR/$1-c" "$N" 42 >> "$OUT"; }
for round in $(seq 1 "$ROUNDS"); do
    for engine in lmdb leveldb; do
        echo "compare.sh: round $round, $engine" >&2
        if (( round % 2 )); then swift_run "$engine"; c_run "$engine"; else c_run "$engine"; swift_run "$engine"; fi
    done
done
python3 - "$OUT" <<'PY'
import json, statistics, sys
runs = {}
for text in open(sys.argv[1]):
    if text.startswith("{"):
        r = json.loads(text)
        if r.get("cpu_ms"):
            r["ops_per_cpu_s"] = r["n"] / (r["cpu_ms"] / 1000)
        runs.setdefault((r["peer"], r["workload"]), []).append(r)
bad = [f'{p} {w}: misses {r["misses"]}' for (p, w), rs in runs.items() for r in rs
       if w in ("readrandom", "readseq") and r["misses"] != 0]
def med(peer, workload, field):
    values = [r[field] for r in runs.get((peer, workload), []) if r.get(field) is not None]
    return statistics.median(values) if values else None
print(f"| engine | workload | metric | Swift harness | C driver | Swift / C |")
print(f"|---|---|---|---:|---:|---:|")
for engine in ("lmdb", "leveldb"):
    for workload in ("fillseq", "fillrandom", "overwrite", "readrandom", "readseq"):
        fields = [("ops_per_s", "ops/s"), ("ops_per_cpu_s", "ops per CPU s")]
        fields += [("p50_us", "p50 µs")] if workload == "readrandom" else []
        for field, label in fields:
            s, c = med(engine, workload, field), med(engine + "-c", workload, field)
            if s is None or c is None:
                continue
            text = (lambda v: f"{v / 1e3:,.0f}k") if field.startswith("ops") else (lambda v: f"{v:.2f}")
            print(f"| {engine} | {workload} | {label} | {text(s)} | {text(c)} | {s / c:.2f}× |")
rounds = len(runs.get(("lmdb", "fillseq"), []))
print(f"\nMedians over {rounds} round(s). Misses: {'; '.join(bad) if bad else '0 everywhere'}.")
sys.exit(1 if bad else 0)
PY
