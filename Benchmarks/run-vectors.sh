#!/usr/bin/env bash
# The vector-index benchmark (issue 11): makes the data sets (vectors/make_vectors.py), runs the
# Python peers (hnswlib, faiss-cpu, usearch: vectors/peers.py, one process per engine) and
# `strata vectors bench` (release build) on each, and writes
#   results/vectors-YYYY-MM-DD-<host>.jsonl      one JSON line per (engine, dataset, phase, ef)
#   results/vectors-YYYY-MM-DD-<host>-table.md   per dataset: QPS at recall 0.95 / 0.99, ratios
# (-2, -3, ... appended if that day's file exists).
#
# Usage: Benchmarks/run-vectors.sh [SIZES...]   sizes as DIMxN, e.g. 384x100000 1536x100000
#                                               (default 384x100000; 1M sets take hours: not on a shared machine)
#        Benchmarks/run-vectors.sh --smoke      (CI: 5,000 × 64, 200 queries, ef 16,64,256; every engine must
#                                                reach recall 0.9 at the largest ef; no results/ files)
# Environment:
#   VEC_DATA=/path        where data sets are cached (default /tmp/vec-data; reused when present)
#   VEC_WORK=/path        Strata's stores go to /path/strata-DATASET, kept (default: a temporary directory,
#                         removed; on disk, not tmpfs)
#   VEC_ENGINES="strata hnswlib faiss usearch"   the engines (default all four)
#   VEC_QUERIES=1000      queries per data set
#   VEC_EF=16,32,64,128,256
#   VEC_STRATA_ARGS="--filter 0.01,0.1 --replace 0.3"   extra options of `strata vectors bench`
#   VEC_STRATA_QUERIES=N  run Strata on the first N queries only (its exact scan is slow until HNSW lands)
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
cd "$HERE"
DATA="${VEC_DATA:-/tmp/vec-data}"
QUERIES="${VEC_QUERIES:-1000}"
EF="${VEC_EF:-16,32,64,128,256}"
ENGINES=(strata hnswlib faiss usearch)
if [[ -n "${VEC_ENGINES:-}" ]]; then read -r -a ENGINES <<< "$VEC_ENGINES"; fi
read -r -a STRATA_ARGS <<< "${VEC_STRATA_ARGS:---filter 0.01,0.1 --replace 0.3}"

smoke=0
sizes=()
for arg in "$@"; do
    case "$arg" in
        --smoke) smoke=1 ;;
        -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
        [0-9]*x[0-9]*) sizes+=("$arg") ;;
        *) echo "run-vectors: not a size DIMxN: $arg" >&2; exit 2 ;;
    esac
done
if ((smoke)); then sizes=(64x5000); QUERIES=200; EF="${VEC_EF:-16,64,256}"; fi
if ((${#sizes[@]} == 0)); then sizes=(384x100000); fi

# 1. Python with numpy and the three peers, in a venv of our own (gitignored).
VENV="$HERE/.venv-vectors"
if ! "$VENV/bin/python" -c 'import numpy, hnswlib, faiss, usearch' 2>/dev/null; then
    echo "run-vectors: creating Benchmarks/.venv-vectors (numpy, hnswlib, faiss-cpu, usearch)" >&2
    if ! python3 -m venv "$VENV" >&2 || ! "$VENV/bin/pip" install --quiet numpy hnswlib faiss-cpu usearch >&2; then
        echo "run-vectors: could not make the venv; install python3-venv and a C++ compiler (hnswlib builds from source)" >&2
        exit 2
    fi
fi
PY="$VENV/bin/python"

# 2. Strata's CLI (release).
if [[ " ${ENGINES[*]} " == *" strata "* ]]; then
    "$ROOT/scripts/ensure-dependencies"
    echo "run-vectors: building strata (release)" >&2
    swift build --package-path "$ROOT" -c release --product strata >&2
    STRATA="$(swift build --package-path "$ROOT" -c release --product strata --show-bin-path)/strata"
fi

# 3. Where the lines go.
if ((smoke)); then
    OUT="$(mktemp /tmp/vectors-smoke-XXXXXX.jsonl)"
else
    mkdir -p results
    base="results/vectors-$(date -u +%F)-$(hostname -s)"
    stem="$base"
    n=2
    while [[ -e "$stem.jsonl" ]]; do stem="$base-$n"; n=$((n + 1)); done
    OUT="$stem.jsonl"
fi
: > "$OUT"

# 4. Data sets and runs.
status=0
for size in "${sizes[@]}"; do
    dim="${size%x*}"
    count="${size#*x}"
    dir="$("$PY" vectors/make_vectors.py --out "$DATA" --dim "$dim" --n "$count" --queries "$QUERIES")"
    for engine in "${ENGINES[@]}"; do
        echo "run-vectors: $engine on $dir" >&2
        if [[ "$engine" == strata ]]; then
            args=(vectors bench --base "$dir/base.fvecs" --queries "$dir/query.fvecs" --truth "$dir/groundtruth.ivecs"
                --k 10 --ef "$EF" "${STRATA_ARGS[@]}")
            if [[ -n "${VEC_WORK:-}" ]]; then
                store="$VEC_WORK/strata-$(basename "$dir")"   # ours by its name: replaced on each run
                rm -rf "$store"
                args+=(--work "$store")
            fi
            [[ -n "${VEC_STRATA_QUERIES:-}" ]] && args+=(--max-queries "$VEC_STRATA_QUERIES")
            "$STRATA" "${args[@]}" | tee -a "$OUT" || status=1
        else
            "$PY" vectors/peers.py --engine "$engine" --data "$dir" --ef "$EF" | tee -a "$OUT" || status=1
        fi
    done
done

# 5. Report (the smoke also checks that every engine answers: recall ≥ 0.9 at its largest ef).
if ((smoke)); then
    python3 scripts/vectors_table.py "$OUT" >&2
    python3 - "$OUT" "${ENGINES[@]}" <<'PY' || status=1
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
for engine in sys.argv[2:]:
    mine = [l for l in lines if l["engine"] == engine and l["phase"] == "search"]
    if not mine:
        sys.exit(f"run-vectors: no results from {engine}")
    best = max(mine, key=lambda l: l["ef"])
    if best["recall"] < 0.9:
        sys.exit(f"run-vectors: {engine} reaches recall {best['recall']} at ef {best['ef']}")
bad = [l for l in lines if l["phase"] == "filter" and l["recall"] < 0.9]
if bad:
    sys.exit(f"run-vectors: filtered recall {bad[0]['recall']} at selectivity {bad[0]['selectivity']}")
print(f"run-vectors: smoke passed ({len(lines)} lines)", file=sys.stderr)
PY
    rm -f "$OUT"
else
    python3 scripts/vectors_table.py "$OUT" > "$stem-table.md"
    echo "run-vectors: wrote $OUT and $stem-table.md" >&2
fi
exit "$status"
