"""What the benchmark table scripts share (vectors_table.py, mw1_table.py; stdlib only): reading
the JSON lines of result files and formatting numbers for Markdown cells."""

import json


def json_lines(paths):
    """Every JSON object line (a line starting with `{`) of the files at `paths`, in order; other
    lines (a build's or a run's chatter) are skipped."""
    lines = []
    for path in paths:
        with open(path) as f:
            for text in f:
                if text.startswith("{"):
                    lines.append(json.loads(text))
    return lines


def fmt(v, digits=1):
    """A cell: "—" for None, a float with `digits` decimals, an int with thousands separators."""
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:,.{digits}f}"
    return f"{v:,}"
