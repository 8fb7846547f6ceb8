"""Reading strata-bench's JSON lines (shared by table.py and chart.py; stdlib only)."""

import json
import statistics

ENGINES = ["strata", "lmdb", "rocksdb", "leveldb", "sqlite"]
STANDARD = ["fillseq", "fillrandom", "overwrite", "readrandom", "readmissing", "readseq", "open", "syncwrite"]
LATENCY = {"readrandom", "readmissing", "syncwrite"}
SPACE = {"fillseq", "overwrite"}
# The scale workload (issue 13), in run order: one process per engine, equal memory budgets.
SCALE = ["scale_fillrandom", "scale_readrandom", "scale_overwrite", "scale_total"]


def load(paths):
    """Returns (runs, lines): runs[(peer, workload)] is a list of result dicts, one per line found."""
    runs = {}
    for path in paths:
        with open(path) as f:
            for number, text in enumerate(f, 1):
                text = text.strip()
                if not text.startswith("{"):
                    continue
                try:
                    line = json.loads(text)
                except json.JSONDecodeError as error:
                    raise SystemExit(f"{path}:{number}: not JSON: {error}")
                runs.setdefault((line["peer"], line["workload"]), []).append(line)
    return runs


def workload_order(runs):
    """Standard workloads first, in run order, then the others (synccommit_t*, space_r*) sorted naturally."""
    names = {w for (_, w) in runs}
    extra = sorted(names - set(STANDARD) - set(SCALE), key=lambda w: (w.rstrip("0123456789"), int("0" + w[len(w.rstrip("0123456789")):])))
    return [w for w in STANDARD if w in names] + extra + [w for w in SCALE if w in names]


def engines(runs):
    present = {p for (p, _) in runs}
    return [e for e in ENGINES if e in present] + sorted(present - set(ENGINES))


def primary(workload):
    """(field, higher_is_better, label) of a workload's headline metric."""
    if workload == "open":
        return "ms", False, "open ms"
    if workload == "scale_total":
        return "write_amp", False, "bytes written / inserted"
    return "ops_per_s", True, "ops/s"


def metrics(workload):
    """Every (field, higher_is_better, label) row shown for a workload."""
    if workload in SCALE:
        return scale_metrics(workload)
    rows = [primary(workload)]
    if workload in LATENCY or workload.startswith("synccommit"):
        rows += [("p50_us", False, "p50 µs"), ("p99_us", False, "p99 µs")]
    if workload in SPACE or workload.startswith("space"):
        rows += [("bytes_on_disk", False, "MiB on disk"), ("space_amp", False, "space amp")]
    return rows


def scale_metrics(workload):
    """The rows of a scale workload: latencies per commit (fills) or per get, bytes written
    per byte inserted (from /proc/self/io), peak RSS (VmHWM of the engine's own process)."""
    if workload == "scale_total":
        return [primary(workload), ("bytes_on_disk", False, "MiB on disk"), ("space_amp", False, "space amp"),
                ("peak_rss_mib", False, "peak RSS MiB"), ("anon_rss_mib", False, "anon RSS MiB at end"),
                ("harness_rss_mib", False, "harness RSS MiB"),
                ("ms", False, "run s")]
    unit = "get" if workload == "scale_readrandom" else "commit"
    rows = [("ops_per_s", True, "ops/s"), ("p50_us", False, f"{unit} p50 µs"), ("p99_us", False, f"{unit} p99 µs"),
            ("p999_us", False, f"{unit} p99.9 µs"), ("max_us", False, f"{unit} max µs")]
    if workload != "scale_readrandom":
        rows.append(("write_amp", False, "bytes written / inserted"))
    rows.append(("peak_rss_mib", False, "peak RSS MiB"))
    return rows


def summary(lines, field):
    """(median, min, max, count) of a field over runs, ignoring nulls; None if no value."""
    values = [l[field] for l in lines if l.get(field) is not None]
    if not values:
        return None
    return statistics.median(values), min(values), max(values), len(values)


def problems(runs):
    """Lines whose miss counts break WORKLOADS.md's rules."""
    found = []
    for (peer, workload), lines in sorted(runs.items()):
        for l in lines:
            misses = l.get("misses")
            if workload in ("readrandom", "readseq", "open", "scale_readrandom") and misses != 0:
                found.append(f"{peer} {workload}: misses {misses} (must be 0)")
            if workload == "readmissing" and misses != l.get("n"):
                found.append(f"{peer} {workload}: misses {misses} (must equal n = {l.get('n')})")
    return found
