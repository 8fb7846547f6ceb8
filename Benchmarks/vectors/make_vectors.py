#!/usr/bin/env python3
"""Clustered synthetic vector sets in TEXMEX format, seeded and deterministic.

    make_vectors.py --out /tmp/vec-data --dim 384 --n 100000 --queries 1000 [--seed 1]

writes OUT/NAME/{base.fvecs, query.fvecs, groundtruth.ivecs, meta.json}, NAME =
clustered-DIMd-N-qQ-sSEED (-lLATENT when not 32; reused when meta.json is there). Base and queries come from one
distribution: Gaussian clusters (centres N(0, 1), per-cluster spread 0.6-1.2, sizes uneven,
from a Dirichlet), each vector then unit-normalised (for cosine; dot gives the same order, and
so does L2 on unit vectors). Queries are drawn from the same mixture with another stream of the
same seed. Each cluster varies mostly along its own few directions (a random rank-LATENT
basis with decaying scales, plus 10% isotropic noise), as real embeddings do: isotropic
clusters in hundreds of dimensions are as hard as uniform noise for every graph index and look
like no real data. Ground truth: each query's 100 nearest base vectors by exact inner product, computed
in batches with numpy matmul (float32), ties by lower index. Prints the directory.
"""

import argparse
import json
import os
import sys
import time

import numpy as np

import fvecs

TRUTH_K = 100
CHUNK = 50_000


def mixture(dim, clusters, latent, seed):
    rng = np.random.default_rng([seed, dim, clusters, latent, 0])
    centres = rng.standard_normal((clusters, dim), dtype=np.float32)
    spreads = rng.uniform(0.6, 1.2, size=clusters).astype(np.float32)
    weights = rng.dirichlet(np.full(clusters, 2.0))
    # Per cluster, `latent` random directions with scales falling as 1/sqrt(j+1), normalised so a
    # point's deviation has about the centre's length times the cluster's spread.
    scales = (1.0 / np.sqrt(np.arange(1, latent + 1))).astype(np.float32)
    scales *= np.sqrt(dim / np.sum(scales ** 2)).astype(np.float32)
    bases = rng.standard_normal((clusters, latent, dim), dtype=np.float32) / np.float32(np.sqrt(dim))
    bases *= scales[None, :, None]
    return centres, spreads, weights, bases


def draw(n, mix, rng):
    centres, spreads, weights, bases = mix
    labels = rng.choice(len(weights), size=n, p=weights)
    coordinates = rng.standard_normal((n, bases.shape[1]), dtype=np.float32)
    points = rng.standard_normal((n, centres.shape[1]), dtype=np.float32) * np.float32(0.1)
    for cluster in np.unique(labels):
        rows = labels == cluster
        points[rows] += coordinates[rows] @ bases[cluster]
    points *= spreads[labels, None]
    points += centres[labels]
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    return points


def ground_truth(base, queries, k):
    """Indices of the k largest inner products per query, by exact search."""
    n = base.shape[0]
    k = min(k, n)
    best_scores = np.full((queries.shape[0], 0), -np.inf, dtype=np.float32)
    best_ids = np.zeros((queries.shape[0], 0), dtype=np.int64)
    for start in range(0, n, CHUNK):
        block = np.asarray(base[start:start + CHUNK], dtype=np.float32)
        scores = queries @ block.T
        ids = np.broadcast_to(np.arange(start, start + block.shape[0]), scores.shape)
        scores = np.concatenate([best_scores, scores], axis=1)
        ids = np.concatenate([best_ids, ids], axis=1)
        # Sort by (-score, id): lexsort's last key is the primary one.
        order = np.lexsort((ids, -scores), axis=1)[:, :k]
        best_scores = np.take_along_axis(scores, order, axis=1)
        best_ids = np.take_along_axis(ids, order, axis=1)
    return best_ids.astype(np.int32)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="/tmp/vec-data")
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--clusters", type=int, default=0, help="default: n / 1000, at least 16")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--latent", type=int, default=32, help="directions each cluster varies along")
    args = parser.parse_args()
    if args.dim < 1 or args.n < 1 or args.queries < 1 or args.latent < 1:
        parser.error("--dim, --n, --queries and --latent must be positive")
    clusters = args.clusters or max(16, args.n // 1000)
    name = f"clustered-{args.dim}d-{args.n}-q{args.queries}-s{args.seed}"
    if args.latent != 32:
        name += f"-l{args.latent}"
    out = os.path.join(args.out, name)
    if os.path.exists(os.path.join(out, "meta.json")):
        print(out)
        return
    os.makedirs(out, exist_ok=True)
    started = time.monotonic()
    mix = mixture(args.dim, clusters, args.latent, args.seed)
    base_rng = np.random.default_rng([args.seed, args.dim, clusters, args.latent, 1])
    base_path = os.path.join(out, "base.fvecs")
    with open(base_path + ".tmp", "wb") as handle:
        for start in range(0, args.n, CHUNK):
            fvecs.append(handle, draw(min(CHUNK, args.n - start), mix, base_rng), np.float32)
    os.replace(base_path + ".tmp", base_path)
    queries = draw(args.queries, mix, np.random.default_rng([args.seed, args.dim, clusters, args.latent, 2]))
    fvecs.write(os.path.join(out, "query.fvecs"), queries, np.float32)
    base = fvecs.read(base_path, np.float32, mmap=True)
    fvecs.write(os.path.join(out, "groundtruth.ivecs"), ground_truth(base, queries, TRUTH_K), np.int32)
    meta = {"name": name, "kind": "clustered", "dim": args.dim, "n": args.n, "queries": args.queries,
            "clusters": clusters, "latent": args.latent, "seed": args.seed, "metric": "cosine", "truth_k": min(TRUTH_K, args.n),
            "seconds": round(time.monotonic() - started, 1)}
    with open(os.path.join(out, "meta.json"), "w") as handle:
        json.dump(meta, handle)
    print(f"make_vectors: {name} in {meta['seconds']} s", file=sys.stderr)
    print(out)


if __name__ == "__main__":
    main()
