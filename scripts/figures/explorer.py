"""The explorer's oracle: nnref's own answers for a grid of settings, as one JSON file.

``explorer.json`` (docs/figures/explorer/) holds, for every setting of the grid below
(operation, 1-D or 2-D, input size, kernel size, stride, padding, dilation, output padding,
ceil mode), what nnref does with it, obtained by calling nnref's public functions:

* ``out``: the output's spatial shape, from a real call of ``conv1d``/``conv2d``,
  ``conv_transpose1d``/``2d``, ``max_pool1d``/``2d`` or ``avg_pool1d``/``2d``;
  or ``error``: the message of the ``ValueError`` that call raises.
* convolution and pooling, ``reads``: the input cells each output reads, in input
  coordinates (``-p`` to ``L + p - 1``: padding cells included). The op runs, with padding
  0, on a batch of one-hot inputs of the padded size ``L + 2p``, one per cell, with a kernel
  of ones: output ``i`` reads cell ``u`` exactly when it is positive for the input that is hot
  at ``u``. The same op with the setting's own padding, on one-hot real inputs, must find
  the same real cells, or the build stops.
* transposed convolution, ``writes``: the output cells each input cell writes (the op on
  one-hot inputs); ``overlap``: how many kernel taps land on each output cell, the op on an
  input of ones with a kernel of ones; ``overlap_full``: the same before the padding crops
  the output, which is ``nnref.checkerboard_overlap`` (for dilation 1; the op with no padding
  otherwise). ``overlap`` must be ``overlap_full`` cropped, or the build stops.

In 1-D every output (input) cell is listed; in 2-D the corners and the centre, as
``cells`` with their ``reads`` (``writes``). scripts/browser_explorer.py drives the widget of
docs/visual/explorer.md through these settings and fails on any difference.
"""

import itertools
import json

import numpy as np

import nnref

KEYS = ("op", "dims", "input", "kernel", "stride", "padding", "dilation", "output_padding", "ceil")
DEFAULT = {"dilation": 1, "output_padding": 0, "ceil": False}
FUNCTIONS = {
    "conv": (nnref.conv1d, nnref.conv2d),
    "transposed": (nnref.conv_transpose1d, nnref.conv_transpose2d),
    "max": (nnref.max_pool1d, nnref.max_pool2d),
    "avg": (nnref.avg_pool1d, nnref.avg_pool2d),
}
# The ranges of the grid, per number of dimensions: input, kernel, stride, padding, dilation,
# output padding. Average pooling has no dilation (as in PyTorch), pooling no output padding.
RANGES = {
    1: dict(input=range(1, 8), kernel=range(1, 5), stride=range(1, 4), padding=range(0, 3),
            dilation=range(1, 3), output_padding=range(0, 3)),
    2: dict(input=range(1, 7), kernel=range(1, 4), stride=range(1, 3), padding=range(0, 2),
            dilation=range(1, 3), output_padding=range(0, 2)),
}
# Arguments nnref refuses before any size arithmetic (its checks run in a fixed order per op).
OUT_OF_RANGE = [dict(stride=0), dict(stride=-1), dict(padding=-1), dict(dilation=0), dict(output_padding=-1),
                dict(stride=0, padding=-1), dict(padding=-1, dilation=0), dict(dilation=0, output_padding=-1),
                dict(stride=0, dilation=0), dict(padding=-2, output_padding=-1)]


def settings():
    """Every setting of the grid: the product of the ranges, then the out-of-range arguments."""
    for dims, op in itertools.product((1, 2), FUNCTIONS):
        r = RANGES[dims]
        dilations = [1] if op == "avg" else r["dilation"]
        pads = r["output_padding"] if op == "transposed" else [0]
        ceils = [False, True] if op in ("max", "avg") else [False]
        for L, k, s, p, d, a, c in itertools.product(r["input"], r["kernel"], r["stride"], r["padding"],
                                                     dilations, pads, ceils):
            yield dict(op=op, dims=dims, input=L, kernel=k, stride=s, padding=p, dilation=d, output_padding=a,
                       ceil=c)
        for bad in OUT_OF_RANGE:
            if ("output_padding" in bad) != (op == "transposed") or ("dilation" in bad and op == "avg"):
                continue
            yield dict(dict(op=op, dims=dims, input=5, kernel=3, stride=2, padding=1, **DEFAULT), **bad)


def call(st, x, padding=None):
    """Run the setting's op on ``x`` (N, 1, *spatial); ``padding`` overrides the setting's."""
    f = FUNCTIONS[st["op"]][st["dims"] - 1]
    p = st["padding"] if padding is None else padding
    k, s, d = st["kernel"], st["stride"], st["dilation"]
    if st["op"] == "conv":
        return f(x, np.ones((1, 1) + (k,) * st["dims"]), stride=s, padding=p, dilation=d)
    if st["op"] == "transposed":
        return f(x, np.ones((1, 1) + (k,) * st["dims"]), stride=s, padding=p, output_padding=st["output_padding"],
                 dilation=d)
    if st["op"] == "max":
        return f(x, k, stride=s, padding=p, dilation=d, ceil_mode=st["ceil"])
    return f(x, k, stride=s, padding=p, ceil_mode=st["ceil"])


def one_hots(size, dims):
    """(size**dims, 1, *[size]*dims): one input per cell, 1 at that cell, 0 elsewhere."""
    n = size ** dims
    return np.eye(n).reshape((n, 1) + (size,) * dims)


def cells_of(shape):
    """The cells listed in the JSON: all of them in 1-D; the corners and the centre in 2-D."""
    if len(shape) == 1:
        return [(i,) for i in range(shape[0])]
    h, w = shape
    picked = [(0, 0), (0, w - 1), (h - 1, 0), (h - 1, w - 1), (h // 2, w // 2)]
    return list(dict.fromkeys(picked))


def coords(mask, offset):
    """The True cells of a boolean array as lists of coordinates, shifted by ``-offset``."""
    return [[int(v) - offset for v in idx] for idx in zip(*np.nonzero(mask), strict=True)]


def window_reads(st, out):
    """Which input cells (padding included) each output reads, by running the op on one-hot inputs."""
    dims, L, p = st["dims"], st["input"], st["padding"]
    # One input per cell of the padded input (L + 2p per axis), run with padding 0: the hot
    # cell may be a padding cell, and the windows are the setting's own.
    # (N, 1, *out'): in ceil mode out' may have one more window than out, the one nnref drops
    y = call(st, one_hots(L + 2 * p, dims), padding=0)
    y = y[(slice(None), 0) + tuple(slice(0, o) for o in out)]
    reads = (y > 0).reshape((L + 2 * p,) * dims + tuple(out))  # reads[u..., i...]: cell u read by output i
    # The setting's own padding, on one-hot real inputs, must find the same real cells.
    real = call(st, one_hots(L, dims))[:, 0] > 0
    inner = reads[tuple(slice(p, p + L) for _ in range(dims))].reshape(real.shape)
    if not np.array_equal(real, inner):
        raise AssertionError(f"explorer: explicit padding and padding={p} read different cells for {st}")
    cells = cells_of(out)
    return cells, [coords(reads[(Ellipsis,) + c], p) for c in cells]


def overlap_counts(st, out):
    """Taps per output cell (the op on ones), and before the padding's crop (checkerboard_overlap)."""
    dims, L, k, s, p, d = (st[key] for key in ("dims", "input", "kernel", "stride", "padding", "dilation"))
    ones_kernel = np.ones((1, 1) + (k,) * dims)
    overlap = np.rint(call(st, np.ones((1, 1) + (L,) * dims))[0, 0]).astype(int)
    if d == 1:
        full = nnref.checkerboard_overlap((k,) * dims, (s,) * dims, input_size=(L,) * dims)
    else:
        f = FUNCTIONS["transposed"][dims - 1]
        full = np.rint(f(np.ones((1, 1) + (L,) * dims), ones_kernel, stride=s, dilation=d)[0, 0]).astype(int)
    span = full.shape[0]
    cropped = np.zeros(tuple(out), dtype=int)  # output o is cell o + p of the uncropped output; beyond it, 0
    keep = min(out[0], span - p)
    cropped[tuple(slice(0, keep) for _ in range(dims))] = full[tuple(slice(p, p + keep) for _ in range(dims))]
    if not np.array_equal(overlap, cropped):
        raise AssertionError(f"explorer: overlap counts differ from checkerboard_overlap cropped by {p} for {st}")
    return overlap.tolist(), full.tolist()


def stamp_writes(st, out):
    """Which output cells each input cell writes: the op on one-hot inputs."""
    dims, L = st["dims"], st["input"]
    y = call(st, one_hots(L, dims))[:, 0] > 0  # (L**dims, *out)
    y = y.reshape((L,) * dims + tuple(out))
    cells = cells_of((L,) * dims)
    return cells, [coords(y[c], 0) for c in cells]


def answer(st):
    """nnref's answer for one setting."""
    x = np.zeros((1, 1) + (st["input"],) * st["dims"])
    try:
        out = list(call(st, x).shape[2:])
    except ValueError as err:
        return {"error": str(err)}
    result = {"out": out}
    if st["op"] == "transposed":
        result["overlap"], result["overlap_full"] = overlap_counts(st, out)
        cells, result["writes"] = stamp_writes(st, out)
    else:
        cells, result["reads"] = window_reads(st, out)
    if st["dims"] == 2:
        result["cells"] = [list(c) for c in cells]
    return result


def data():
    rows = [dict(st, **answer(st)) for st in settings()]
    return {"about": "nnref's answers for the settings of docs/visual/explorer.md (scripts/figures/explorer.py)",
            "nnref_version": nnref.__version__, "keys": list(KEYS), "settings": rows}


def figures():
    yield "explorer.json", json.dumps(data(), separators=(",", ":")).encode() + b"\n"
