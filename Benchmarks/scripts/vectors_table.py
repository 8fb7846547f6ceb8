#!/usr/bin/env python3
"""Markdown tables of vector-index results (the JSON lines of `strata vectors bench` and
vectors/peers.py): per dataset, for recall@k targets 0.95 and 0.99, each engine's QPS at the
smallest ef that reaches the target, Strata's ratio to hnswlib, faiss and usearch, and the build
rates with their ratios; then Strata's filtered and replace lines, and every engine's whole
recall/QPS curve.

    python3 scripts/vectors_table.py [--wall] results/vectors-....jsonl [more.jsonl ...] > table.md

Rates are by CPU time (`qps_cpu`, `build_rate_cpu`) unless --wall: on a shared machine the
wall clock of a single-threaded run mostly measures the other processes.
"""
import json
import sys

TARGETS = [0.95, 0.99]
ENGINES = ["strata", "hnswlib", "faiss", "usearch"]
PEERS = ["hnswlib", "faiss", "usearch"]


def fmt(v, digits=1):
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:,.{digits}f}"
    return f"{v:,}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "—"
    return f"{a / b:.2f}×"


def at_target(lines, target, qps_key):
    """(ef, qps, recall) at the smallest ef whose recall reaches target, else None."""
    for line in sorted(lines, key=lambda r: r["ef"]):
        if line["recall"] is not None and line["recall"] >= target:
            return line["ef"], line.get(qps_key), line["recall"]
    return None


def strata_indexed(lines):
    """Whether Strata's lines come from an ANN index (ratios to the peers mean nothing otherwise)."""
    return all(r.get("index") == "hnsw" for r in lines if r["engine"] == "strata")


def main():
    args = sys.argv[1:]
    wall = "--wall" in args
    paths = [a for a in args if a != "--wall"]
    qps_key, build_key = ("qps", "build_rate") if wall else ("qps_cpu", "build_rate_cpu")
    lines = []
    for path in paths:
        for text in open(path):
            if text.startswith("{"):
                lines.append(json.loads(text))
    datasets = sorted({r["dataset"] for r in lines})
    clock = "wall-clock" if wall else "CPU-time"
    print(f"Rates by {clock}; one query per call, one thread; M=16, efConstruction=200 for the peers.\n")
    for dataset in datasets:
        rows = [r for r in lines if r["dataset"] == dataset]
        first = rows[0]
        print(f"### {dataset} ({first['n']:,} × {first['dim']}, {first['metric']}, {first['queries']} queries, "
              f"recall@{first['k']})\n")
        search = {e: [r for r in rows if r["engine"] == e and r["phase"] == "search"] for e in ENGINES}
        indexed = strata_indexed(rows)
        present = [e for e in ENGINES if search[e]]
        print("| target | " + " | ".join(f"{e} ef / QPS" for e in present)
              + " | " + " | ".join(f"strata / {p}" for p in PEERS if p in present) + " |")
        print("|---" * (1 + len(present) + len([p for p in PEERS if p in present])) + "|")
        for target in TARGETS:
            found = {e: at_target(search[e], target, qps_key) for e in present}
            cells = [f"{found[e][0]} / {fmt(found[e][1])}" if found[e] else "not reached" for e in present]
            strata_qps = found.get("strata") and found["strata"][1]
            ratios = [ratio(strata_qps, found[p][1] if found.get(p) else None) if indexed else "n/a"
                      for p in PEERS if p in present]
            print(f"| recall ≥ {target} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
        builds = {e: search[e][0].get(build_key) for e in present}
        strata_build = builds.get("strata")
        print("| build (vectors/s) | " + " | ".join(fmt(builds[e]) for e in present) + " | "
              + " | ".join(ratio(strata_build, builds[p]) if indexed else "n/a" for p in PEERS if p in present) + " |")
        memory = {e: search[e][0].get("rss_bytes_per_vector") for e in present}
        print("| RSS per vector (bytes) | " + " | ".join(fmt(memory[e], 0) for e in present) + " |"
              + " |" * len([p for p in PEERS if p in present]))
        print()
        strata_index = {r.get("index") for r in search.get("strata", [])}
        if strata_index - {"hnsw"}:
            print(f"Strata's searches here are `{', '.join(sorted(strata_index))}`, not an HNSW index: "
                  "its ef column is ignored, its recall is exact, its build writes records and vectors "
                  "but no graph, so no ratio to the peers is given (n/a).\n")
        extra = [r for r in rows if r["engine"] == "strata" and r["phase"] in ("filter", "replace")]
        if extra:
            print("| strata phase | selectivity | ef | recall | QPS | fewer than k | recall of the fresh build |")
            print("|---|---|---|---|---|---|---|")
            for r in extra:
                print(f"| {r['phase']} | {fmt(r.get('selectivity'), 2)} | {r['ef']} | {fmt(r['recall'], 4)} | "
                      f"{fmt(r.get(qps_key))} | {fmt(r.get('short_results'))} | {fmt(r.get('recall_fresh'), 4)} |")
            print()
        print("| engine | ef | recall | QPS (CPU) | QPS (wall) | QPS (one call, wall) |")
        print("|---|---|---|---|---|---|")
        for e in present:
            for r in sorted(search[e], key=lambda r: r["ef"]):
                print(f"| {e} | {r['ef']} | {fmt(r['recall'], 4)} | {fmt(r.get('qps_cpu'))} | {fmt(r.get('qps'))} | "
                      f"{fmt(r.get('qps_batch'))} |")
        loads = sorted({r.get("load_avg") for r in rows if r.get("load_avg") is not None})
        if loads:
            print(f"\nLoad average during the runs: {loads[0]}–{loads[-1]}.")
        print()


if __name__ == "__main__":
    main()
