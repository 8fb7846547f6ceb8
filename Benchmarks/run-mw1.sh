#!/usr/bin/env bash
# The MW1 agent-memory workload (shared/bench/MEMORY-WORKLOAD.md, generator in mw1/): generates
# each dataset if missing, builds `mw1`, runs every store on it, and writes
#   results/mw1-YYYY-MM-DD-<host>.jsonl      one JSON line per (store, dataset, phase)
#   results/mw1-YYYY-MM-DD-<host>-table.md   per phase: Strata beside the others, with ratios
# (-2, -3, ... appended if that day's file exists). Exits 1 if any answer is wrong, any forgotten
# record comes back, or a vector phase's recall@k is below MW1_MIN_RECALL; 2 if a store's Python
# package (sqlite-vec, hnswlib) cannot be installed: the run says "sqlite-vec unavailable" and stops.
#
# Usage: Benchmarks/run-mw1.sh [MESSAGES...]     (default 100000; release build)
#        Benchmarks/run-mw1.sh --smoke           (CI: 10,000 messages, debug build, no results/ files)
# Stores: strata; sqlite-vec (SQLite, vector phases through sqlite-vec); sqlite (SQLite, vector
# phases scanned in Swift); hnswlib (knn only, mw1/mw1_hnswlib.py). sqlite-vec, hnswlib and numpy
# come from PyPI into Benchmarks/.venv-mw1 (gitignored, kept; the first hnswlib install compiles it).
# Environment:
#   MW1_STORES="sqlite strata"   the stores (default: STORES below)
#   MW1_DATA=/path               where datasets are kept (default /tmp/mw1-data; reused when present)
#   MW1_WORK=/path               where the stores' files go (default /tmp/mw1-work; on disk, not tmpfs)
#   MW1_SEED=1                   the dataset seed
#   MW1_CHECK=1                  validate each dataset with mw1_check.py first
#   MW1_MIN_RECALL=0.95          the recall@k floor of every vector phase (every store)
#   MW1_HNSW_EF=64               hnswlib's search breadth ef
#   MW1_STRATA_EF=N              Strata's HNSW ef (mw1 --ef; default: the index's own)
set -euo pipefail

# The stores run by default.
STORES=(strata sqlite-vec hnswlib)
if [[ -n "${MW1_STORES:-}" ]]; then read -r -a STORES <<< "$MW1_STORES"; fi
MIN_RECALL="${MW1_MIN_RECALL:-0.95}"
HNSW_EF="${MW1_HNSW_EF:-64}"

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
        -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
        *[!0-9]*) echo "run-mw1: not a message count: $arg" >&2; exit 2 ;;
        *) sizes+=("$arg") ;;
    esac
done
if ((smoke)); then sizes=(10000); fi
if ((${#sizes[@]} == 0)); then sizes=(100000); fi

# 1. Python: numpy for the generator (the system's will do), and sqlite-vec and hnswlib when
#    those stores run; whatever is needed goes into a venv of our own (gitignored, kept between
#    runs: a package already there is not fetched again, so a rerun works offline).
PY=python3
want=()
for store in "${STORES[@]}"; do
    case "$store" in
        sqlite-vec) want+=(sqlite-vec) ;;
        hnswlib) want+=(numpy hnswlib) ;;
    esac
done
if ((${#want[@]})) || ! python3 -c 'import numpy' 2>/dev/null; then
    want=(numpy "${want[@]}")
    if [[ ! -x .venv-mw1/bin/python ]]; then
        echo "run-mw1: creating Benchmarks/.venv-mw1" >&2
        if ! python3 -m venv .venv-mw1 >&2; then
            rm -rf .venv-mw1
            echo "run-mw1: no python3 venv; install python3-venv (and python3-numpy) and retry" >&2
            exit 2
        fi
    fi
    PY="$HERE/.venv-mw1/bin/python"
    missing=()
    for package in $(printf '%s\n' "${want[@]}" | sort -u); do
        module="${package//-/_}"
        if ! "$PY" -c "import $module" 2>/dev/null; then
            echo "run-mw1: pip install $package into Benchmarks/.venv-mw1" >&2
            "$PY" -m pip install --quiet "$package" >&2 || missing+=("$package")
        fi
    done
    if ((${#missing[@]})); then
        for package in "${missing[@]}"; do
            echo "run-mw1: $package unavailable: pip could not install it into Benchmarks/.venv-mw1" >&2
        done
        echo "run-mw1: stopping (no fallback); MW1_STORES=\"sqlite strata\" runs without them" >&2
        exit 2
    fi
fi
SQLITE_VEC=""
if printf '%s\n' "${STORES[@]}" | grep -qx sqlite-vec; then
    SQLITE_VEC="$("$PY" -c 'import sqlite_vec; print(sqlite_vec.loadable_path())')"
    echo "run-mw1: sqlite-vec extension $SQLITE_VEC" >&2
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
    python3 scripts/test_mw1_table.py >&2
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
        case "$store" in
            hnswlib)
                "$PY" mw1/mw1_hnswlib.py "$dir" --ef "$HNSW_EF" --min-recall "$MIN_RECALL" | tee -a "$OUT" || status=1 ;;
            sqlite-vec)
                "$BIN" --store sqlite-vec --sqlite-vec "$SQLITE_VEC" --dataset "$dir" --work "$WORK/$store" \
                    --min-recall "$MIN_RECALL" | tee -a "$OUT" || status=1 ;;
            strata)
                "$BIN" --store strata ${MW1_STRATA_EF:+--ef "$MW1_STRATA_EF"} --dataset "$dir" --work "$WORK/$store" \
                    --min-recall "$MIN_RECALL" | tee -a "$OUT" || status=1 ;;
            *)
                "$BIN" --store "$store" --dataset "$dir" --work "$WORK/$store" \
                    --min-recall "$MIN_RECALL" | tee -a "$OUT" || status=1 ;;
        esac
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
