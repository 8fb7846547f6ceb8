#!/usr/bin/env python3
"""The Python HNSW peers on one TEXMEX data set: hnswlib, faiss (IndexHNSWFlat) and usearch.

    peers.py --engine hnswlib --data DIR [--ef 16,32,64,128,256] [--k 10] [--limit N]

DIR holds base.fvecs, query.fvecs, groundtruth.ivecs and meta.json (make_vectors.py,
embed_text.py). One engine per process (its RSS delta is its own): single thread, M=16,
efConstruction=200, the metric of meta.json (cosine: hnswlib "cosine", faiss inner product on
the unit vectors, usearch "cos"). Prints one JSON line per ef (the schema of `strata vectors
bench`): build rate (vectors/s, one add call of the whole set), QPS with one query per call
(`qps`, what an application sees) and with the whole query set in one call on one thread
(`qps_batch`, the library without Python's per-call cost), recall@k against the ground truth,
and the resident-memory growth of the build per vector. Rates come twice: by wall time
(`qps`, `build_rate`) and by the process's CPU time (`qps_cpu`, `build_rate_cpu`), which a
shared, loaded machine distorts far less for a single-threaded run.
"""

import argparse
import json
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

import fvecs  # noqa: E402

M = 16
EF_CONSTRUCTION = 200


def rss_bytes():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


class HNSWLib:
    def __init__(self, dim, metric):
        import hnswlib
        self.index = hnswlib.Index(space={"cosine": "cosine", "dot": "ip", "l2": "l2"}[metric], dim=dim)
        self.index.set_num_threads(1)

    def build(self, base):
        self.index.init_index(max_elements=len(base), M=M, ef_construction=EF_CONSTRUCTION, random_seed=100)
        self.index.add_items(base, np.arange(len(base)), num_threads=1)

    def set_ef(self, ef):
        self.index.set_ef(ef)

    def search(self, query, k):
        return self.index.knn_query(query, k=k, num_threads=1)[0][0]

    def search_batch(self, queries, k):
        return self.index.knn_query(queries, k=k, num_threads=1)[0]


class Faiss:
    def __init__(self, dim, metric):
        import faiss
        faiss.omp_set_num_threads(1)
        kind = faiss.METRIC_L2 if metric == "l2" else faiss.METRIC_INNER_PRODUCT
        self.index = faiss.IndexHNSWFlat(dim, M, kind)
        self.index.hnsw.efConstruction = EF_CONSTRUCTION
        self.normalise = metric == "cosine"

    def build(self, base):
        if self.normalise:
            base = base / np.linalg.norm(base, axis=1, keepdims=True)
        self.index.add(np.ascontiguousarray(base, dtype=np.float32))

    def set_ef(self, ef):
        self.index.hnsw.efSearch = ef

    def prepared(self, queries):
        if self.normalise:
            queries = queries / np.linalg.norm(queries, axis=1, keepdims=True)
        return np.ascontiguousarray(queries, dtype=np.float32)

    def search(self, query, k):
        return self.index.search(query[None, :], k)[1][0]

    def search_batch(self, queries, k):
        return self.index.search(queries, k)[1]


class USearch:
    def __init__(self, dim, metric):
        from usearch.index import Index
        self.index = Index(ndim=dim, metric={"cosine": "cos", "dot": "ip", "l2": "l2sq"}[metric], dtype="f32",
                           connectivity=M, expansion_add=EF_CONSTRUCTION, expansion_search=64)

    def build(self, base):
        self.index.add(np.arange(len(base), dtype=np.uint64), base, threads=1)

    def set_ef(self, ef):
        self.index.expansion_search = ef

    def search(self, query, k):
        return self.index.search(query, k, threads=1).keys

    def search_batch(self, queries, k):
        return self.index.search(queries, k, threads=1).keys


ENGINES = {"hnswlib": HNSWLib, "faiss": Faiss, "usearch": USearch}


def recall(found, truth, k):
    """Mean over queries of |found ∩ truth[:k]| / k."""
    hits = 0
    for row, expected in zip(found, truth):
        hits += len(set(int(x) for x in row[:k]) & set(int(x) for x in expected[:k]))
    return hits / (k * len(truth))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", required=True, choices=sorted(ENGINES))
    parser.add_argument("--data", required=True)
    parser.add_argument("--ef", default="16,32,64,128,256")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--limit", type=int, default=None, help="queries to run (default all)")
    args = parser.parse_args()
    if args.k < 1:
        parser.error("--k must be at least 1")
    efs = [int(x) for x in args.ef.split(",")]
    with open(os.path.join(args.data, "meta.json")) as handle:
        meta = json.load(handle)
    base = np.ascontiguousarray(fvecs.read(os.path.join(args.data, "base.fvecs"), np.float32))
    queries = np.ascontiguousarray(fvecs.read(os.path.join(args.data, "query.fvecs"), np.float32, limit=args.limit))
    truth = fvecs.read(os.path.join(args.data, "groundtruth.ivecs"), np.int32, limit=args.limit)
    if truth.shape[1] < args.k:
        sys.exit(f"peers: the ground truth has {truth.shape[1]} neighbours per query, fewer than k={args.k}")
    metric = meta.get("metric", "cosine")
    n, dim = base.shape

    rss_before = rss_bytes()
    engine = ENGINES[args.engine](dim, metric)
    started, cpu_started = time.perf_counter(), time.process_time()
    engine.build(base)
    build_s, build_cpu_s = time.perf_counter() - started, time.process_time() - cpu_started
    rss_delta = rss_bytes() - rss_before
    prepared = engine.prepared(queries) if hasattr(engine, "prepared") else queries

    for ef in efs:
        engine.set_ef(max(ef, args.k))
        for query in prepared[: min(50, len(prepared))]:  # warm up
            engine.search(query, args.k)
        started, cpu_started = time.perf_counter(), time.process_time()
        found = [engine.search(query, args.k) for query in prepared]
        single_s, single_cpu_s = time.perf_counter() - started, time.process_time() - cpu_started
        started = time.perf_counter()
        engine.search_batch(prepared, args.k)
        batch_s = time.perf_counter() - started
        line = {
            "engine": args.engine, "dataset": meta["name"], "phase": "search", "n": n, "dim": dim,
            "metric": metric, "queries": len(prepared), "k": args.k, "ef": ef, "m": M,
            "ef_construction": EF_CONSTRUCTION, "recall": round(recall(found, truth, args.k), 4),
            "qps": round(len(prepared) / single_s, 1), "qps_cpu": round(len(prepared) / single_cpu_s, 1),
            "qps_batch": round(len(prepared) / batch_s, 1),
            "build_s": round(build_s, 3), "build_rate": round(n / build_s, 1),
            "build_rate_cpu": round(n / build_cpu_s, 1),
            "rss_bytes_per_vector": round(rss_delta / n, 1), "open_ms": None, "selectivity": None,
            "threads": 1, "index": "hnsw", "load_avg": round(os.getloadavg()[0], 1),
        }
        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
