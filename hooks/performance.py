"""MkDocs hook: fill the Performance page's summary and table from the committed benchmark JSON.

``benchmarks/results.json`` is written by ``python scripts/bench.py --json
benchmarks/results.json`` (``make bench``); the build never runs the benchmark.
The page holds four markers, ``<!-- benchmark-summary -->``, ``<!-- benchmark-recompute -->``,
``<!-- benchmark-gaps -->`` and ``<!-- benchmark-table -->``, replaced here, so every number on the page comes
from the same file as the figure and cannot drift from it.
"""

import json
import math
from pathlib import Path

RESULTS = Path(__file__).resolve().parents[1] / "benchmarks" / "results.json"
MIB = 2**20


def load(path=RESULTS):
    return json.loads(Path(path).read_text())


# The pooling, upsampling and batch-norm target: forward and backward within 2x of PyTorch at
# (16, 64, 32, 32). The max-pool backward counts given the forward's indices, which is what
# PyTorch's backward kernel is given; the default (recomputing) path is among the gaps.
LAYER_CASES = ("max_pool2d 2x2", "max_pool2d 2x2_backward (indices)", "avg_pool2d 2x2", "avg_pool2d 2x2_backward",
               "interpolate nearest x2", "interpolate_backward nearest x2", "interpolate bilinear x2",
               "interpolate_backward bilinear x2", "batch_norm (training)", "batch_norm_backward (training)")


def geometric_mean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values))


def summary(data):
    """Markdown bullet list: the machine, and each target of the performance issue with its measurement."""
    meta, rows = data["meta"], data["results"]
    ratios = {r["name"]: r["ratio_torch"] for r in rows if "ratio_torch" in r}
    worst = max(ratios, key=ratios.get)
    above = sorted((n for n, r in ratios.items() if r > 3), key=ratios.get, reverse=True)
    conv = next(r for r in rows if r["name"] == "conv2d")
    layer_worst = max(LAYER_CASES, key=ratios.get)
    extra_mib = (conv["peak_bytes"] - conv["output_bytes"]) / MIB
    lines = [
        f"- **Machine**: {meta['processor']}, {meta.get('cores', '?')} cores, one thread for both libraries; "
        f"Python {meta['python']}, NumPy {meta['numpy']}, PyTorch {meta['torch']}.",
        f"- **Geometric mean** of nnref time / PyTorch time over {len(ratios)} cases: "
        f"**{geometric_mean(ratios.values()):.2f}** (target: at most 1.25).",
        f"- **Slowest case**: `{worst}` at **{ratios[worst]:.2f}x** (target: no case above 3 but exact GELU). "
        + (f"Cases above 3x: {', '.join(f'`{n}` ({ratios[n]:.2f}x)' for n in above)}; see below."
           if above else "No case is above 3x."),
        f"- **Pooling, upsampling, batch norm** (2x2 max and average pooling, nearest and bilinear x2, "
        f"batch norm in training), forward and backward: slowest `{layer_worst}` at "
        f"**{ratios[layer_worst]:.2f}x** (target: within 2x; the max-pool backward given the forward's "
        "indices, as PyTorch's backward kernel is).",
        f"- **conv2d forward**: nnref {conv['nnref_gflops']:.1f} GFLOP/s, PyTorch {conv['torch_gflops']:.1f} "
        f"GFLOP/s, so nnref reaches **{conv['nnref_gflops'] / conv['torch_gflops']:.0%}** of PyTorch's rate "
        "(target: at least 50%).",
        f"- **conv2d memory**: peak {conv['peak_bytes'] / MIB:.1f} MiB, of which {conv['output_bytes'] / MIB:.1f} MiB "
        f"is the output itself; the extra {extra_mib:.1f} MiB against the documented im2col buffer of "
        f"{conv['im2col_bytes'] / MIB:.1f} MiB (target: no more than the buffer).",
    ]
    return "\n".join(lines)


def table(data):
    """Markdown table of every benchmarked case."""
    head = ("| family | op | shape | nnref (ms) | nnref / PyTorch | naive loop / nnref | peak (MiB) |\n"
            "| --- | --- | --- | ---: | ---: | ---: | ---: |")
    body = []
    for r in data["results"]:
        torch_ratio = f"{r['ratio_torch']:.2f}" if "ratio_torch" in r else "-"
        naive = f"{r['ratio_naive']:.0f}x" if "ratio_naive" in r else "-"
        body.append(f"| {r['family']} | `{r['name']}` | {r['shape']} | {r['nnref_s'] * 1e3:.2f} | {torch_ratio} "
                    f"| {naive} | {r['peak_bytes'] / MIB:.1f} |")
    return "\n".join([head, *body])


def gaps(data):
    """Markdown table of the cases above 3x: the ratio, and the part of the work timed alone (``floor``)."""
    head = ("| case | nnref / PyTorch | part timed alone | that part / PyTorch's whole op |\n"
            "| --- | ---: | --- | ---: |")
    body = []
    for r in sorted(data["results"], key=lambda r: -r.get("ratio_torch", 0)):
        if r.get("ratio_torch", 0) > 3:
            floor = f"{r['floor_ratio']:.2f}" if "floor_ratio" in r else "-"
            body.append(f"| `{r['name']}` | {r['ratio_torch']:.2f} | {r.get('floor_what', '-')} | {floor} |")
    return "\n".join([head, *body]) if body else "No case is above 3x."


def recompute(data):
    """Markdown table of the backward passes timed both ways: from x alone (nnref recomputes what
    PyTorch's forward saved) and given the saved value (the case named ``"<name> (...)"``)."""
    head = ("| nnref backward | from x, against PyTorch's forward + backward | from x, against PyTorch's "
            "backward alone | given the saved value, against PyTorch's backward |\n| --- | ---: | ---: | ---: |")
    ratios = {r["name"]: r["ratio_torch"] for r in data["results"] if "ratio_torch" in r}
    body = []
    for r in data["results"]:
        if "ratio_torch_saved" in r:
            saved = [f"{ratio:.2f} ({name[len(r['name']) + 2:-1]})" for name, ratio in ratios.items()
                     if name.startswith(r["name"] + " (")]
            body.append(f"| `{r['name']}` | {r['ratio_torch']:.2f} | {r['ratio_torch_saved']:.2f} "
                        f"| {', '.join(saved) or '-'} |")
    return "\n".join([head, *body])


def on_page_markdown(markdown, page, **kwargs):
    if page.file.src_uri != "performance.md":
        return markdown
    data = load()
    for marker, text in (("summary", summary(data)), ("table", table(data)), ("gaps", gaps(data)),
                         ("recompute", recompute(data))):
        markdown = markdown.replace(f"<!-- benchmark-{marker} -->", text)
    return markdown
