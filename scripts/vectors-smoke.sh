#!/usr/bin/env bash
# The HNSW index end to end through the CLI: a tiny clustered set (2,000 base vectors and 100
# queries of 32 dimensions, seeded, written as TEXMEX .fvecs by python3's standard library),
# `strata vectors bench` on it (M 16, efConstruction 200, exact ground truth computed by the
# bench), and a failure unless recall@10 at ef 64 reaches the floor. Strata only, no peers.
set -euo pipefail
cd "$(dirname "$0")/.."
FLOOR="${VECTORS_SMOKE_FLOOR:-0.95}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$work" <<'PY'
import random, struct, sys
random.seed(20261206)
centres = [[random.uniform(-1, 1) for _ in range(32)] for _ in range(40)]
def write(path, count):
    with open(path, "wb") as f:
        for _ in range(count):
            c = random.choice(centres)
            f.write(struct.pack("<i", 32) + struct.pack("<32f", *[x + random.gauss(0, 0.25) for x in c]))
write(sys.argv[1] + "/base.fvecs", 2000)
write(sys.argv[1] + "/queries.fvecs", 100)
PY
swift build -c release --product strata >&2
strata="$(swift build -c release --show-bin-path)/strata"
"$strata" vectors bench --base "$work/base.fvecs" --queries "$work/queries.fvecs" --k 10 --ef 64 --metric l2 \
    --dataset smoke-2k-32 | tee "$work/out.jsonl"
python3 - "$work/out.jsonl" "$FLOOR" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
recalls = [l["recall"] for l in lines if l.get("phase") == "search" and l.get("recall") is not None]
if not recalls:
    sys.exit("vectors smoke: no search line with a recall")
if min(recalls) < float(sys.argv[2]):
    sys.exit(f"vectors smoke: recall@10 {min(recalls)} below the floor {sys.argv[2]}")
print(f"vectors smoke: recall@10 {min(recalls)} >= {sys.argv[2]}")
PY
