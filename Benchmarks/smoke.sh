#!/usr/bin/env bash
# The benchmark's CI smoke: builds strata-bench (debug, to keep CI short) and runs the eight
# workloads for every engine at a small N, then checks each line: readrandom and readseq must
# have 0 misses, readmissing must miss every key, open must find key(0).
#   Benchmarks/smoke.sh [N]        (default 20000)
set -euo pipefail
cd "$(dirname "$0")"
n=${1:-20000}
./ensure-peers.sh
swift build --product strata-bench >&2
bin="$(swift build --product strata-bench --show-bin-path)/strata-bench"
dir=$(mktemp -d /tmp/strata-bench-smoke-XXXXXX)
trap 'rm -rf "$dir"' EXIT
"$bin" --n "$n" --sync-n 200 --dir "$dir" > "$dir/results.jsonl"
python3 - "$dir/results.jsonl" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
bad = []
for r in lines:
    w, m, n = r["workload"], r["misses"], r["n"]
    if (w in ("readrandom", "readseq", "open") and m != 0) or (w == "readmissing" and m != n):
        bad.append(r)
    print(f'{r["peer"]:8} {w:12} n={n:<8} ops/s={r["ops_per_s"]} misses={m}')
peers = sorted({r["peer"] for r in lines})
print(f"bench-smoke: {len(lines)} results from {len(peers)} engines ({', '.join(peers)}), {len(bad)} wrong")
sys.exit(1 if bad or "strata" not in peers else 0)
PY
