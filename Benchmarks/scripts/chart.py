#!/usr/bin/env python3
"""SVG chart of strata-bench results, written by hand (no plotting library).

Usage: chart.py RESULTS.jsonl [MORE.jsonl ...] [-o chart.svg]

One group of horizontal bars per workload, one bar per engine, showing the
workload's headline metric (ops/s; for `open`, the open time; for `space_rR`,
the space amplification) as a fraction
of the best engine's: the best engine's bar is full length whether the metric
is higher-is-better or lower-is-better. Each bar is labelled with the value
(median over the files when several are given).
"""

import os
import sys
from xml.sax.saxutils import escape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import results  # noqa: E402

COLORS = {"strata": "#d62728", "lmdb": "#1f77b4", "rocksdb": "#2ca02c", "leveldb": "#9467bd", "sqlite": "#ff7f0e"}
OTHER = "#7f7f7f"


def label(field, value):
    if field == "ops_per_s":
        if value >= 1e6:
            return f"{value / 1e6:.2f}M ops/s"
        if value >= 1e3:
            return f"{value / 1e3:.1f}k ops/s"
        return f"{value:.0f} ops/s"
    if field == "space_amp":
        return f"space amp {value:.2f}"
    return f"{value:.1f} ms"


def headline(workload):
    """(field, higher_is_better) drawn for a workload."""
    if workload.startswith("space_r"):
        return "space_amp", False
    field, higher, _ = results.primary(workload)
    return field, higher


def main(argv):
    args = argv[1:]
    out = None
    if "-o" in args:
        i = args.index("-o")
        out = args[i + 1]
        del args[i:i + 2]
    if not args:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    runs = results.load(args)
    engines = results.engines(runs)
    workloads = results.workload_order(runs)

    bar_h, gap, group_gap = 14, 3, 18
    left, bar_w, right = 150, 460, 130
    width = left + bar_w + right
    y = 84
    body = []
    for workload in workloads:
        field, higher = headline(workload)
        values = {}
        for engine in engines:
            s = results.summary(runs.get((engine, workload), []), field)
            if s is not None and s[0] > 0:
                values[engine] = s[0]
        if not values:
            continue
        best = max(values.values()) if higher else min(values.values())
        group_h = len(values) * (bar_h + gap) - gap
        body.append(f'<text x="{left - 10}" y="{y + group_h / 2 + 4:.1f}" text-anchor="end" '
                    f'font-weight="bold">{escape(workload)}</text>')
        for engine in engines:
            if engine not in values:
                continue
            value = values[engine]
            fraction = value / best if higher else best / value
            w = max(1.0, fraction * bar_w)
            color = COLORS.get(engine, OTHER)
            body.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{color}">'
                        f'<title>{escape(engine)} {escape(workload)}: {escape(label(field, value))}</title></rect>')
            body.append(f'<text x="{left + w + 4:.1f}" y="{y + bar_h - 3}" font-size="11">'
                        f'{escape(label(field, value))}</text>')
            y += bar_h + gap
        y += group_gap - gap
    height = y + 20

    first = next(iter(runs.values()))[0] if runs else {"seed": "?"}
    title = f"Storage benchmark ({', '.join(os.path.basename(a) for a in args)}; seed {first['seed']})"
    legend = []
    x = left
    for engine in engines:
        legend.append(f'<rect x="{x}" y="52" width="12" height="12" fill="{COLORS.get(engine, OTHER)}"/>')
        legend.append(f'<text x="{x + 16}" y="62">{escape(engine)}</text>')
        x += 24 + 8 * len(engine)
    svg = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="10" y="22" font-size="15" font-weight="bold">{escape(title)}</text>',
        f'<text x="10" y="40" font-size="11" fill="#555">'
        'Bar length relative to the best engine: ops/s (higher is better); open time and '
        'space amp (lower is better).</text>',
        *legend,
        f'<line x1="{left}" y1="76" x2="{left}" y2="{height - 14}" stroke="#999"/>',
        *body,
        "</svg>",
    ]
    text = "\n".join(svg) + "\n"
    if out:
        with open(out, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
