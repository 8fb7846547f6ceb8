#!/usr/bin/env python3
"""SVG plot of the scale workload's commit-latency histograms (the stalls), written by hand
like chart.py (no plotting library).

Usage: stalls.py RESULTS.jsonl [MORE.jsonl ...] [-o stalls.svg] [--workload scale_fillrandom]

One line per (engine, N): the share of commits (log scale) in each latency bucket (log
scale, ten buckets per decade, from the line's `hist_us`), with the engine's p50, p99, p99.9
and max in the legend; colour is the engine, the dash pattern the N (solid for the smallest).
The grey dashed vertical line is issue 13's p99.9 target, 10 ms.
"""

import json
import math
import sys
from xml.sax.saxutils import escape

COLORS = {"strata": "#d62728", "lmdb": "#1f77b4", "rocksdb": "#2ca02c", "leveldb": "#9467bd", "sqlite": "#ff7f0e"}
EXTRA = ["#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"]
STEP = 10 ** 0.1  # buckets per decade: 10


def series(paths, workload):
    found = []
    for path in paths:
        with open(path) as f:
            for text in f:
                text = text.strip()
                if not text.startswith("{"):
                    continue
                line = json.loads(text)
                if line.get("workload") == workload and line.get("hist_us"):
                    found.append(line)
    return found


def fmt_us(us):
    if us is None:
        return "—"
    if us >= 1e6:
        return f"{us / 1e6:.2f} s"
    if us >= 1e3:
        return f"{us / 1e3:.1f} ms"
    return f"{us:.0f} µs" if us >= 10 else f"{us:.2f} µs"


def main(argv):
    args = argv[1:]
    out, workload = None, "scale_fillrandom"
    for flag in ("-o", "--workload"):
        if flag in args:
            i = args.index(flag)
            if flag == "-o":
                out = args[i + 1]
            else:
                workload = args[i + 1]
            del args[i:i + 2]
    if not args:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    lines = series(args, workload)
    if not lines:
        print(f"stalls.py: no {workload} line with a histogram in " + ", ".join(args), file=sys.stderr)
        return 1

    points = []  # (line, [(lower_us, share)])
    for line in lines:
        total = sum(c for _, c in line["hist_us"])
        points.append((line, [(lower, count / total) for lower, count in line["hist_us"]]))
    low_x = min(lower for _, ps in points for lower, _ in ps)
    high_x = max(lower * STEP for _, ps in points for lower, _ in ps)
    x0, x1 = math.floor(math.log10(low_x)), math.ceil(math.log10(max(high_x, 10_000 * 1.01)))
    low_y = min(share for _, ps in points for _, share in ps)
    y0 = math.floor(math.log10(low_y))

    width, height = 900, max(470, 60 + 40 * len(points) + 30)
    left, right, top, bottom = 70, 330, 60, 60
    plot_w, plot_h = width - left - right, height - top - bottom

    def px(us):
        return left + (math.log10(us) - x0) / (x1 - x0) * plot_w

    def py(share):
        return top + (0 - math.log10(share)) / (0 - y0) * plot_h

    body = []
    for d in range(x0, x1 + 1):
        x = px(10 ** d)
        body.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_h}" stroke="#ddd"/>')
        body.append(f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle">{escape(fmt_us(10 ** d))}</text>')
    for d in range(y0, 1):
        y = py(10 ** d)
        label = f"{100 * 10 ** d:g}%"
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#ddd"/>')
        body.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(label)}</text>')
    target = px(10_000)
    body.append(f'<line x1="{target:.1f}" y1="{top}" x2="{target:.1f}" y2="{top + plot_h}" stroke="#555" '
                'stroke-dasharray="5,4"/>')
    body.append(f'<text x="{target + 4:.1f}" y="{top + 12}" font-size="11" fill="#555">10 ms</text>')

    legend_y = top + 4
    extra = iter(EXTRA)
    dashes = ["", "7,3", "2,2", "10,3,2,3"]
    sizes = sorted({line.get("scale_n", line["n"]) for line, _ in points})
    for line, ps in points:
        peer = line["peer"]
        color = COLORS.get(peer) or next(extra, "#7f7f7f")
        # A step per bucket: across the bucket's width at its share.
        path = []
        for lower, share in ps:
            path.append(f"M{px(lower):.1f},{py(share):.1f}H{px(lower * STEP):.1f}")
        dots = "".join(f'<circle cx="{px(lower * math.sqrt(STEP)):.1f}" cy="{py(share):.1f}" r="2.2" fill="{color}"/>'
                       for lower, share in ps)
        dash = dashes[sizes.index(line.get("scale_n", line["n"])) % len(dashes)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(f'<path d="{"".join(path)}" stroke="{color}" stroke-width="2.5" fill="none"{dash_attr}/>{dots}')
        name = f'{peer} N={line.get("scale_n", line["n"]):,}' + (" (capped)" if line.get("capped") else "")
        body.append(f'<line x1="{left + plot_w + 10}" y1="{legend_y + 6}" x2="{left + plot_w + 30}" y2="{legend_y + 6}" '
                    f'stroke="{color}" stroke-width="3"{dash_attr}/>')
        body.append(f'<text x="{left + plot_w + 34}" y="{legend_y + 10}" font-weight="bold">{escape(name)}</text>')
        stats = (f'p50 {fmt_us(line.get("p50_us"))}, p99 {fmt_us(line.get("p99_us"))}, '
                 f'p99.9 {fmt_us(line.get("p999_us"))}, max {fmt_us(line.get("max_us"))}')
        body.append(f'<text x="{left + plot_w + 34}" y="{legend_y + 25}" font-size="11">{escape(stats)}</text>')
        legend_y += 40

    title = f"{workload}: commit latency histogram (batches of 1000 puts)"
    svg = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="10" y="22" font-size="15" font-weight="bold">{escape(title)}</text>',
        f'<text x="10" y="40" font-size="11" fill="#555">Share of commits per latency bucket (10 per decade), '
        f'both axes logarithmic; a tail to the right is stalls. Files: {escape(", ".join(args))}</text>',
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#999"/>',
        *body,
        f'<text x="{left + plot_w / 2}" y="{height - 14}" text-anchor="middle">commit latency</text>',
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
