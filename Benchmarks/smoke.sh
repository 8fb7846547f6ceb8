#!/usr/bin/env bash
# The benchmark's CI smoke: builds strata-bench (debug, to keep CI short) and runs the eight
# workloads for every engine at a small N, then checks each line: readrandom and readseq must
# have 0 misses, readmissing must miss every key, open must find key(0).
# Then the scale workload at SCALE_N (default 5000) keys, 2000 gets and 2000 overwrites: every
# engine must report its four lines with 0 misses, I/O and peak-RSS figures and a histogram, and
# table.py and stalls.py must render them. (Small, because a debug build of the engine costs about
# half a CPU second per 1000-key commit under the scale workload's 64 MiB budgets.)
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
scale_n=${SCALE_N:-5000}
"$bin" --n "$scale_n" --workloads scale --scale-reads 2000 --scale-overwrites 2000 --dir "$dir" > "$dir/scale.jsonl"
python3 - "$dir/scale.jsonl" "$scale_n" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
n = int(sys.argv[2])
bad = []
peers = sorted({r["peer"] for r in lines})
for peer in peers:
    got = {r["workload"]: r for r in lines if r["peer"] == peer}
    if sorted(got) != sorted(["scale_fillrandom", "scale_readrandom", "scale_overwrite", "scale_total"]):
        bad.append(f"{peer}: lines {sorted(got)}")
        continue
    fill, read, total = got["scale_fillrandom"], got["scale_readrandom"], got["scale_total"]
    if fill["n"] != n or fill["capped"]:
        bad.append(f"{peer}: fill n={fill['n']} capped={fill['capped']}")
    if read["misses"] != 0:
        bad.append(f"{peer}: scale_readrandom misses {read['misses']}")
    for r in (fill, got["scale_overwrite"]):
        if not r["hist_us"] or r["p999_us"] is None or r["max_us"] is None or not r["write_bytes"]:
            bad.append(f"{peer}: {r['workload']} lacks latencies or write bytes")
    if not total["peak_rss_mib"] or not total["write_amp"]:
        bad.append(f"{peer}: scale_total lacks peak RSS or write amplification")
    print(f"{peer:8} scale n={n} fill {fill['ops_per_s']} ops/s p99.9 {fill['p999_us']} µs "
          f"write amp {total['write_amp']} peak RSS {total['peak_rss_mib']} MiB")
print(f"bench-smoke: scale lines from {len(peers)} engines ({', '.join(peers)}), {len(bad)} wrong")
for b in bad:
    print("  " + b)
sys.exit(1 if bad or "strata" not in peers else 0)
PY
python3 scripts/table.py "$dir/scale.jsonl" > "$dir/scale-table.md"
python3 scripts/stalls.py "$dir/scale.jsonl" -o "$dir/stalls.svg"
