#!/usr/bin/env python3
"""Markdown table of the tier benchmark's results (the JSON lines of `strata-tiers`, run by
run-tiers.sh): the machine and sizes, then one row per latency phase (wall p50/p99/max and the
calling thread's CPU p50/p99, in µs), the active-read ratios against the single store, the miss
phase's archive opens, the build and the move rates.

    python3 scripts/tiers_table.py results/tiers-....jsonl > table.md
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from result_lines import fmt, json_lines  # noqa: E402

LATENCY_PHASES = [
    ("active_read_tiered", "(a) active point read, tiered (hint .any)"),
    ("active_read_tiered_hint_active", "(a) active point read, tiered (hint .active)"),
    ("active_read_single", "(a) the same reads, single store of the active records"),
    ("miss", "(b) miss (an id no tier holds)"),
    ("time_range", "(c) time-range query across tiers (limit 100)"),
    ("vector_search_tiered", "(d) vector search k=10 across every tier"),
    ("vector_search_single", "(d) the same search, single store"),
    ("lazy_open", "(e) first read of an archive tier (lazy open)"),
    ("archive_read", "point read of an archived record (tier open)"),
    ("write_baseline", "(f) active write, alone"),
    ("write_during_move", "(f) active write during migrate()"),
]


def main(paths):
    lines = json_lines(paths)
    by_phase = {r["phase"]: r for r in lines}
    if not lines:
        print("no result lines")
        return 1
    first = lines[0]
    loads = [r["load_avg"] for r in lines if "load_avg" in r]
    print(f"Tier benchmark: {fmt(first['archived'])} archived messages over {first['quarters']} quarters + "
          f"{fmt(first['active'])} active, dim {first['dim']}, seed {first['seed']}"
          f"{' (smoke)' if first.get('smoke') else ''}  ")
    print(f"Machine: {first['host']}, {first['cpu_model']}, {first['cores']} cores, {first['memory_gib']} GiB; "
          f"load average {min(loads):.2f}–{max(loads):.2f} during the run\n")
    print("| phase | n | p50 µs | p99 µs | max µs | CPU p50 µs | CPU p99 µs |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for phase, title in LATENCY_PHASES:
        r = by_phase.get(phase)
        if r is None:
            continue
        print(f"| {title} | {fmt(r['n'])} | {fmt(r['p50_us'])} | {fmt(r['p99_us'])} | {fmt(r['max_us'])} | "
              f"{fmt(r['cpu_p50_us'])} | {fmt(r['cpu_p99_us'])} |")
    print()
    ratio = by_phase.get("active_read_ratio")
    if ratio:
        print(f"- Active read, tiered / single: p50 {ratio['p50_ratio']}×, p99 {ratio['p99_ratio']}× "
              f"(CPU time: p50 {ratio['cpu_p50_ratio']}×, p99 {ratio['cpu_p99_ratio']}×); target p99 ≤ 1.1×.")
    miss = by_phase.get("miss")
    if miss:
        print(f"- Misses: {fmt(miss['n'])} answered with {miss['archive_opens']} archive opens.")
    if "time_range" in by_phase:
        t = by_phase["time_range"]
        print(f"- Time ranges: {t['mean_archive_tiers']} tiers overlapped on average, {t['mean_results']} results each.")
    if "vector_search_tiered" in by_phase:
        print(f"- Vector search across {by_phase['vector_search_tiered']['tiers']} tiers (each tier's HNSW top-k, merged).")
    if "open" in by_phase:
        o = by_phase["open"]
        print(f"- Open after the build: tiered {o['tiered_ms']} ms, single {o['single_ms']} ms.")
    build = by_phase.get("build")
    if build:
        print(f"- Build (setup): {fmt(build['n'])} records moved into the archives in {fmt(build['batches'])} "
              f"batches: {fmt(build['archive_s'])} s ({fmt(build['archive_cpu_s'])} CPU s), "
              f"{fmt(build['records_per_s'])} records/s including their inserts; active {fmt(build['active_s'])} s.")
    move = by_phase.get("move")
    if move:
        print(f"- migrate(): {fmt(move['n'])} records to {move['target']} in {move['batches']} batches, "
              f"{fmt(move['ms'])} ms: {fmt(move['records_per_s'])} records/s "
              f"({fmt(move['records_per_cpu_s'])} per CPU second of the mover).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
