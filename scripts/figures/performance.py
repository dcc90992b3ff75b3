"""Performance figure: nnref time / PyTorch time per benchmarked op, from the committed JSON.

Reads ``benchmarks/results.json`` (written by ``python scripts/bench.py --json ...``);
the benchmark itself never runs during the build. One horizontal bar per op, on a
log scale, coloured by op family, with the issue's targets drawn as lines: 1.25 for
the geometric mean, 3 for any single op.
"""

# figure-input: benchmarks/results.json

import json
import math
from pathlib import Path

import matplotlib.pyplot as plt

RESULTS = Path(__file__).resolve().parents[2] / "benchmarks" / "results.json"


def ratio_figure(results, meta):
    rows = [r for r in results if "ratio_torch" in r]
    families = list(dict.fromkeys(r["family"] for r in rows))
    colour = {f: f"C{i}" for i, f in enumerate(families)}
    fig, ax = plt.subplots(figsize=(7.5, 0.22 * len(rows) + 1.6), layout="constrained")
    y = range(len(rows))[::-1]
    ax.barh(list(y), [r["ratio_torch"] for r in rows], color=[colour[r["family"]] for r in rows])
    for yi, r in zip(y, rows):
        ax.text(r["ratio_torch"] * 1.04, yi, f"{r['ratio_torch']:.2f}", va="center", fontsize=7)
    ax.set_yticks(list(y), [r["name"] for r in rows], fontsize=7)
    ax.set_xscale("log")
    geo = math.exp(sum(math.log(r["ratio_torch"]) for r in rows) / len(rows))
    ax.axvline(1, color="0.3", lw=0.8)
    ax.axvline(1.25, color="C2", ls="--", lw=1, label="target for the geometric mean: 1.25")
    ax.axvline(3, color="C3", ls="--", lw=1, label="target for every op: 3")
    ax.axvline(geo, color="k", ls=":", lw=1.2, label=f"geometric mean: {geo:.2f}")
    ax.set_xlabel("nnref time / PyTorch time (lower is faster; 1 = as fast as PyTorch)")
    handles = [plt.Rectangle((0, 0), 1, 1, color=colour[f]) for f in families]
    first = ax.legend(handles, families, loc="lower right", fontsize=7, title="family", title_fontsize=7)
    ax.add_artist(first)
    ax.legend(loc="upper right", fontsize=7)
    ax.set_title(f"float32, one thread; {meta['processor'] or meta['machine']}, NumPy {meta['numpy']}, "
                 f"PyTorch {meta['torch']}, Python {meta['python']}", fontsize=8)
    return fig


def figures():
    data = json.loads(RESULTS.read_text())
    yield "ratios", ratio_figure(data["results"], data["meta"])
