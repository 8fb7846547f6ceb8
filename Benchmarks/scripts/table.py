#!/usr/bin/env python3
"""Markdown table of strata-bench results: each workload per engine, and Strata / best peer.

Usage: table.py RESULTS.jsonl [MORE.jsonl ...] > table.md

With several files (runs), each cell is the median over runs, followed by the
spread (max - min) as a percentage of the median. The ratio column divides
Strata's value by the best peer's: above 1 is better than every peer for
ops/s, below 1 is better for latencies, times and space.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import results  # noqa: E402


def human(field, value, workload_of_field=None):
    if value is None:
        return "—"
    if field == "ops_per_s":
        for scale, unit in ((1e6, "M"), (1e3, "k")):
            if value >= scale:
                return f"{value / scale:.3g}{unit}" if value / scale < 100 else f"{value / scale:.0f}{unit}"
        return f"{value:.3g}"
    if field == "bytes_on_disk":
        return f"{value / 2**20:.1f}"
    if field == "space_amp":
        return f"{value:.2f}"
    if field in ("p50_us", "p99_us", "p999_us", "max_us"):
        return f"{value:.3g}" if value < 1000 else f"{value:,.0f}"
    if field == "ms" and workload_of_field == "scale_total":
        return f"{value / 1000:.0f}"
    if field == "ms":
        return f"{value:.1f}"
    if field == "write_amp":
        return f"{value:.2f}"
    if field in ("peak_rss_mib", "harness_rss_mib", "anon_rss_mib"):
        return f"{value:.0f}"
    return str(value)


def cell(runs, peer, workload, field):
    s = results.summary(runs.get((peer, workload), []), field)
    if s is None:
        return "—", None
    median, low, high, count = s
    text = human(field, median, workload)
    if count > 1 and median:
        text += f" ±{100 * (high - low) / 2 / abs(median):.0f}%"
    return text, median


def main(argv):
    paths = [a for a in argv[1:] if not a.startswith("-")]
    if not paths:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    runs = results.load(paths)
    if not runs:
        print("table.py: no result lines in " + ", ".join(paths), file=sys.stderr)
        return 1
    engines = results.engines(runs)
    peers = [e for e in engines if e != "strata"]
    first = next(iter(runs.values()))[0]
    ns = sorted({l["n"] for (p, w), ls in runs.items() if w == "fillseq" for l in ls})
    scale_ns = sorted({l["scale_n"] for (p, w), ls in runs.items() if w in results.SCALE for l in ls})
    print(f"# Storage benchmark: {', '.join(engines)}")
    print()
    print(f"Files: {', '.join(os.path.basename(p) for p in paths)}. Seed {first['seed']}"
          + (f", N = {', '.join(f'{n:,}' for n in ns)}" if ns else "")
          + (f", scale N = {', '.join(f'{n:,}' for n in scale_ns)}" if scale_ns else "") + ". "
          "Workloads and configuration: shared/bench/WORKLOADS.md.")
    if len(paths) > 1:
        print("Each cell is the median over the files; ±x% is half the max–min spread.")
    print()
    header = ["workload", "metric"] + engines + ["strata / best peer"]
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join(["---", "---"] + ["---:"] * (len(engines) + 1)) + "|")
    for workload in results.workload_order(runs):
        for field, higher, label in results.metrics(workload):
            texts, values = [], {}
            for engine in engines:
                text, value = cell(runs, engine, workload, field)
                texts.append(text)
                values[engine] = value
            peer_values = [values[p] for p in peers if values.get(p) is not None]
            ratio = "—"
            if values.get("strata") is not None and peer_values:
                best = max(peer_values) if higher else min(peer_values)
                if best:
                    ratio = f"{values['strata'] / best:.2f}×"
            if all(t == "—" for t in texts):
                continue
            print(f"| {workload} | {label} | " + " | ".join(texts) + f" | {ratio} |")
    print()
    print("ops/s: higher is better. open ms, p50/p99 µs, MiB on disk and space amp: lower is better. "
          "MiB on disk is after close and sync(); RocksDB and LevelDB keep their unflushed log.")
    if any(w in results.SCALE for (_, w) in runs):
        capped = sorted({p for (p, w), ls in runs.items() if w == "scale_fillrandom" for l in ls if l.get("capped")})
        print()
        print("Scale workload (Benchmarks/README.md): every engine in its own process with the same budget "
              "(cache + write buffer, MiB each: "
              + ", ".join(sorted({str(l["budget_mib"]) for (_, w), ls in runs.items() if w in results.SCALE for l in ls}))
              + "; LMDB has no cache of its own and uses the OS page cache). Commit latencies are per batch of "
              "1000 puts. Bytes written come from /proc/self/io (write_bytes - cancelled_write_bytes, all threads). "
              "Peak RSS is the process's VmHWM, harness included (harness RSS: before the open, holding one "
              "N-entry permutation)."
              + (f" **Capped by the time limit** (n is the keys written): {', '.join(capped)}." if capped else ""))
    trouble = results.problems(runs)
    print()
    if trouble:
        print("**Check failures:**")
        print()
        for line in trouble:
            print(f"- {line}")
    else:
        print("Checks: readrandom, readseq and open misses are 0 and readmissing misses equal n for every engine.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
