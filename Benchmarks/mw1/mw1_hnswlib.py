#!/usr/bin/env python3
"""MW1's `knn` phase on hnswlib (shared/bench/MEMORY-WORKLOAD.md), the reference ANN index.

Not one of the copied tools of this folder: Strata's own driver. It loads the dataset's vectors
(a read-only memory map of vectors.fvecs, no copy of the dataset), builds one hnswlib index per
namespace over its messages and memories (the set `knn` searches), replays the `knn` queries of
queries.jsonl one at a time on one thread, checks recall@k against truth.jsonl, and prints one
JSON line in mw1's schema on standard output (progress on standard error):

    {"store":"hnswlib","phase":"knn","n":1000,"ops_per_s":...,"p50_us":...,"p99_us":...,
     "recall":0.99..,"wrong":null,"violations":null,"bytes_on_disk":null,"ms":...,
     "supported":true,"dataset":"mw1-100k-s1"}

Index: M=16, efConstruction=200 (the defaults below), space "ip" on unit vectors for the
dataset's metric "cosine" (the vectors are normalised again, so cosine = inner product); the
search breadth ef is --ef (default 64, raised to k when lower). `n`, p50/p99 (nearest rank) and
ops/s time each query from the call into hnswlib to the ids it returns; the build is not timed in
the line (its seconds go to standard error). Only `knn`: the filtered phases and the recheck after
the forget are not run (hnswlib has no filters or deletes in this driver).

    python3 mw1_hnswlib.py DATASET_DIR [--ef 64] [--min-recall 0.95]

Exit status: 0; 1 when --min-recall is given and recall is below it; 2 when hnswlib or numpy is
missing ("hnswlib unavailable"); 3 when the dataset does not load.
"""
import argparse
import json
import math
import os
import sys
import time


def log(message):
    print(f"mw1_hnswlib: {message}", file=sys.stderr, flush=True)


def fixed(value, decimals):
    """Like MW1Result.fixed: `decimals` digits after the point, or null."""
    if value is None or not math.isfinite(value):
        return "null"
    return f"{value:.{decimals}f}"


def nearest_rank(sorted_ns, p):
    """The nearest-rank p-th percentile of sorted nanoseconds, in microseconds (as BenchCore's)."""
    if not sorted_ns:
        return None
    rank = (p * len(sorted_ns) + 99) // 100
    return sorted_ns[max(rank, 1) - 1] / 1000


def recall(answer, truth):
    """recall@k: the share of the truth's ids the answer holds (MW1AnswerCheck.recall)."""
    if not truth:
        return 1.0 if not answer else 0.0
    got = set(answer)
    return sum(1 for t in truth if t in got) / len(truth)


def json_line(dataset, n, ops, p50, p99, mean_recall, ms):
    return ('{"store":"hnswlib","phase":"knn","n":%d,"ops_per_s":%s,"p50_us":%s,"p99_us":%s,"recall":%s,'
            '"wrong":null,"violations":null,"bytes_on_disk":null,"ms":%s,"supported":true,"dataset":%s}'
            % (n, fixed(ops, 1), fixed(p50, 2), fixed(p99, 2), fixed(mean_recall, 4), fixed(ms, 3),
               json.dumps(dataset)))


def dataset_name(manifest):
    """mw1-100k-s1, as MW1Manifest.name."""
    m = manifest["messages"]
    if m >= 1_000_000 and m % 1_000_000 == 0:
        size = f"{m // 1_000_000}m"
    elif m >= 1000 and m % 1000 == 0:
        size = f"{m // 1000}k"
    else:
        size = str(m)
    return f"mw1-{size}-s{manifest['seed']}"


def fvecs(np, path, dim):
    """The rows of an .fvecs file as a read-only (rows, dim) float32 view of a memory map."""
    raw = np.memmap(path, dtype="<f4", mode="r")
    if raw.size % (dim + 1):
        raise ValueError(f"{path}: {raw.size * 4} bytes is not a whole number of rows of dimension {dim}")
    rows = raw.reshape(-1, dim + 1)
    headers = rows[:, 0].view("<i4")
    if (headers != dim).any():
        raise ValueError(f"{path}: a row's dimension is not {dim}")
    return rows[:, 1:]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dataset")
    ap.add_argument("--ef", type=int, default=64, help="search breadth (default 64; at least k is used)")
    ap.add_argument("--m", type=int, default=16, help="HNSW M (default 16)")
    ap.add_argument("--ef-construction", type=int, default=200, help="efConstruction (default 200)")
    ap.add_argument("--min-recall", type=float, default=None, help="exit 1 when recall@k is below this")
    args = ap.parse_args()

    try:
        import numpy as np
        import hnswlib
    except ImportError as error:
        log(f"hnswlib unavailable: {error} (pip install hnswlib numpy)")
        return 2

    d = args.dataset
    try:
        manifest = json.load(open(os.path.join(d, "manifest.json")))
        dim, k_default = manifest["dim"], manifest["k"]
        if manifest["metric"] != "cosine":
            raise ValueError(f"metric {manifest['metric']!r}; this driver knows cosine only")
        vectors = fvecs(np, os.path.join(d, "vectors.fvecs"), dim)
        query_vectors = fvecs(np, os.path.join(d, "queries.fvecs"), dim)
        # The owners of the vectors: transaction r carries "vec": r, one message or memory.
        owner, namespace_rows = {}, {}
        with open(os.path.join(d, "ingest.jsonl")) as f:
            for line in f:
                for node in json.loads(line)["nodes"]:
                    if "vec" in node and node["kind"] in ("message", "memory"):
                        owner[node["vec"]] = node["id"]
                        namespace_rows.setdefault(node["ns"], []).append(node["vec"])
        queries = []
        with open(os.path.join(d, "queries.jsonl")) as qf, open(os.path.join(d, "truth.jsonl")) as tf:
            for qline, tline in zip(qf, tf):
                q = json.loads(qline)
                if q["phase"] == "knn":
                    queries.append((q["ns"], q["qvec"], q.get("k", k_default), json.loads(tline)))
    except (OSError, ValueError, KeyError) as error:
        log(f"the dataset does not load: {error}")
        return 3

    try:
        from importlib.metadata import version
        hnswlib_version = version("hnswlib")
    except Exception:
        hnswlib_version = "?"
    log(f"{dataset_name(manifest)}: {len(owner)} vectors in {len(namespace_rows)} namespaces, {len(queries)} knn "
        f"queries; hnswlib {hnswlib_version}, M={args.m}, efConstruction={args.ef_construction}, ef={args.ef}")

    def unit(rows):
        rows = np.asarray(rows, dtype=np.float32)
        norms = np.linalg.norm(rows, axis=-1, keepdims=True)
        return rows / np.where(norms > 0, norms, 1)

    indexes = {}
    t0 = time.perf_counter()
    for ns, rows in sorted(namespace_rows.items()):
        labels = np.asarray(rows, dtype=np.int64)
        index = hnswlib.Index(space="ip", dim=dim)
        index.init_index(max_elements=len(labels), M=args.m, ef_construction=args.ef_construction, random_seed=100)
        index.set_num_threads(1)
        index.add_items(unit(vectors[labels]), labels, num_threads=1)
        indexes[ns] = index
    log(f"built in {time.perf_counter() - t0:.1f} s (one thread)")

    latencies, total_recall = [], 0.0
    prepared = [(indexes.get(ns), unit(query_vectors[qvec]).reshape(1, dim), k, truth)
                for ns, qvec, k, truth in queries]
    for index, _, k, _ in prepared:
        if index is not None:
            index.set_ef(max(args.ef, k))
    clock = time.perf_counter_ns
    wall0 = clock()
    for index, q, k, truth in prepared:
        t = clock()
        if index is None:
            answer = []
        else:
            labels, _ = index.knn_query(q, k=min(k, index.get_current_count()), num_threads=1)
            answer = [owner[int(label)] for label in labels[0]]
        latencies.append(clock() - t)
        total_recall += recall(answer, truth)
    wall = clock() - wall0

    latencies.sort()
    n = len(latencies)
    mean_recall = total_recall / n if n else None
    ops = n / (wall / 1e9) if n and wall else None
    print(json_line(dataset_name(manifest), n, ops, nearest_rank(latencies, 50), nearest_rank(latencies, 99),
                    mean_recall, wall / 1e6), flush=True)
    log(f"knn: {n} queries, recall {mean_recall}")
    if args.min_recall is not None and mean_recall is not None and mean_recall < args.min_recall:
        log(f"knn: recall {mean_recall:.4f} is below --min-recall {args.min_recall}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
