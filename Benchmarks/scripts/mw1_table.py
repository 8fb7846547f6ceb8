#!/usr/bin/env python3
"""Markdown table of MW1 results (the JSON lines of `mw1`): per dataset and phase, each store's
ops/s, p50 and p99, and Strata / SQLite ratios (throughput: >= 1 is Strata faster; p99: <= 1 is
Strata's tail shorter; on reopen, the open's ms), with wrong answers, violations and recall.

    python3 scripts/mw1_table.py results/mw1-....jsonl [more.jsonl ...] > table.md
"""
import json
import sys

PHASES = ["ingest", "get", "window", "timerange", "mentions_of_message", "messages_of_entity", "cooccur",
          "knn", "knn_conversation", "knn_time", "knn_memory", "hybrid", "forget", "expire", "recheck", "reopen"]


def fmt(v, digits=1):
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:,.{digits}f}"
    return f"{v:,}"


def main():
    rows = {}
    for path in sys.argv[1:]:
        for line in open(path):
            if line.startswith("{"):
                r = json.loads(line)
                rows[(r["dataset"], r["phase"], r["store"])] = r
    datasets = sorted({d for d, _, _ in rows}, key=lambda d: (len(d), d))
    stores = sorted({s for _, _, s in rows}, key=lambda s: (s != "strata", s))
    for d in datasets:
        print(f"### {d}\n")
        head = "| phase |"
        for s in stores:
            head += f" {s} ops/s | {s} p50 µs | {s} p99 µs |"
        head += " strata/sqlite ops/s | strata/sqlite p99 | wrong | violations | recall |"
        print(head)
        print("|" + "---|" * (head.count("|") - 1))
        for ph in PHASES:
            got = {s: rows.get((d, ph, s)) for s in stores}
            if not any(got.values()):
                continue
            cells = [ph]
            for s in stores:
                r = got[s]
                if r is None:
                    cells += ["—"] * 3
                elif not r.get("supported", True):
                    cells += ["unsupported", "—", "—"]
                elif ph == "reopen":
                    cells += [f"open {fmt(r['ms'], 2)} ms", fmt(r["p50_us"], 2), fmt(r["p99_us"], 2)]
                else:
                    cells += [fmt(r["ops_per_s"]), fmt(r["p50_us"], 2), fmt(r["p99_us"], 2)]
            a, b = got.get("strata"), got.get("sqlite")
            if a and b and ph == "reopen" and a.get("ms") and b.get("ms"):
                cells += ["—", f"open {a['ms'] / b['ms']:.2f}"]
            elif a and b and a.get("ops_per_s") and b.get("ops_per_s"):
                ratio_p99 = a["p99_us"] / b["p99_us"] if a.get("p99_us") and b.get("p99_us") else None
                cells += [f"{a['ops_per_s'] / b['ops_per_s']:.2f}", f"{ratio_p99:.2f}" if ratio_p99 else "—"]
            else:
                cells += ["—", "—"]
            for key in ("wrong", "violations"):
                vals = [f"{s}:{got[s][key]}" for s in stores if got[s] and got[s].get(key) is not None]
                cells.append(" ".join(vals) or "—")
            rec = [f"{s}:{got[s]['recall']:.4f}" for s in stores if got[s] and got[s].get("recall") is not None]
            cells.append(" ".join(rec) or "—")
            print("| " + " | ".join(cells) + " |")
        ing = [f"{s} {rows[(d, 'ingest', s)]['bytes_on_disk'] / 2**20:,.1f} MiB" for s in stores
               if (d, "ingest", s) in rows and rows[(d, "ingest", s)].get("bytes_on_disk")]
        if ing:
            print(f"\nBytes on disk after the ingest: {', '.join(ing)}.\n")


if __name__ == "__main__":
    main()
