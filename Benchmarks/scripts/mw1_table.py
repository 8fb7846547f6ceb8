#!/usr/bin/env python3
"""Markdown table of MW1 results (the JSON lines of `mw1` and `mw1/mw1_hnswlib.py`): per dataset
and phase, each store's ops/s, p50 and p99, then Strata's ratio to every other store present
(throughput: >= 1 is Strata faster; p99: <= 1 is Strata's tail shorter; on reopen, the open's ms),
with wrong answers, violations and recall@k per store.

Stores: `strata`; `sqlite-vec` (SQLite, the vector phases through sqlite-vec's
`vec_distance_cosine` in SQL, an exact scan); `sqlite` (SQLite, the vector phases scanned in
Swift); `hnswlib` (`knn` only: an HNSW index, M=16, efConstruction=200). A store without a line
for a phase shows "—"; an unsupported phase says so.

    python3 scripts/mw1_table.py results/mw1-....jsonl [more.jsonl ...] > table.md
"""
import json
import sys

PHASES = ["ingest", "get", "window", "timerange", "mentions_of_message", "messages_of_entity", "cooccur",
          "knn", "knn_conversation", "knn_time", "knn_memory", "hybrid", "forget", "expire", "recheck", "reopen"]

# The order of the stores' columns, and what each is (printed under the table for those present).
STORE_ORDER = ["strata", "sqlite-vec", "sqlite", "hnswlib"]
STORE_NOTES = {
    "sqlite-vec": "SQLite with the vector phases through sqlite-vec (`vec_distance_cosine` in SQL, "
                  "`ORDER BY` it `LIMIT k`: an exact scan in Float32); every other phase as `sqlite`",
    "sqlite": "SQLite with the vector phases scanned in Swift (dot products in Double)",
    "hnswlib": "hnswlib, `knn` only (one index per namespace, M=16, efConstruction=200, ef as run)",
}


def fmt(v, digits=1):
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:,.{digits}f}"
    return f"{v:,}"


def load(paths):
    rows = {}
    for path in paths:
        for line in open(path):
            if line.startswith("{"):
                r = json.loads(line)
                rows[(r["dataset"], r["phase"], r["store"])] = r
    return rows


def store_key(s):
    return (STORE_ORDER.index(s) if s in STORE_ORDER else len(STORE_ORDER), s)


def ratio(x):
    """Two decimals, or two significant digits below 0.1 (so that 0.013 does not read 0.01)."""
    return f"{x:.2f}" if x >= 0.1 else f"{x:.2g}"


def ratios(a, b, phase):
    """Strata's (a) ops/s and p99 over store b's, as two cells."""
    if not a or not b or not a.get("supported", True) or not b.get("supported", True):
        return ["—", "—"]
    if phase == "reopen":
        return ["—", f"open {a['ms'] / b['ms']:.2f}" if a.get("ms") and b.get("ms") else "—"]
    ops = ratio(a["ops_per_s"] / b["ops_per_s"]) if a.get("ops_per_s") and b.get("ops_per_s") else "—"
    p99 = ratio(a["p99_us"] / b["p99_us"]) if a.get("p99_us") and b.get("p99_us") else "—"
    return [ops, p99]


def table(rows):
    out = []
    datasets = sorted({d for d, _, _ in rows}, key=lambda d: (len(d), d))
    for d in datasets:
        stores = sorted({s for dd, _, s in rows if dd == d}, key=store_key)
        others = [s for s in stores if s != "strata"] if "strata" in stores else []
        out.append(f"### {d}\n")
        head = "| phase |"
        for s in stores:
            head += f" {s} ops/s | {s} p50 µs | {s} p99 µs |"
        for s in others:
            head += f" strata/{s} ops/s | strata/{s} p99 |"
        head += " wrong | violations | recall |"
        out.append(head)
        out.append("|" + "---|" * (head.count("|") - 1))
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
            for s in others:
                cells += ratios(got.get("strata"), got[s], ph)
            for key in ("wrong", "violations"):
                vals = [f"{s}:{got[s][key]}" for s in stores if got[s] and got[s].get(key) is not None]
                cells.append(" ".join(vals) or "—")
            rec = [f"{s}:{got[s]['recall']:.4f}" for s in stores if got[s] and got[s].get("recall") is not None]
            cells.append(" ".join(rec) or "—")
            out.append("| " + " | ".join(cells) + " |")
        notes = [f"`{s}`: {STORE_NOTES[s]}" for s in stores if s in STORE_NOTES]
        if notes:
            out.append("\nStores: " + "; ".join(notes) + ".")
        ing = [f"{s} {rows[(d, 'ingest', s)]['bytes_on_disk'] / 2**20:,.1f} MiB" for s in stores
               if (d, "ingest", s) in rows and rows[(d, "ingest", s)].get("bytes_on_disk")]
        if ing:
            out.append(f"\nBytes on disk after the ingest: {', '.join(ing)}.\n")
        else:
            out.append("")
    return "\n".join(out)


def main():
    print(table(load(sys.argv[1:])))


if __name__ == "__main__":
    main()
