"""Benchmark cases for nnref.linear: a (256, 1024) batch through a 1024 -> 1024 layer, and flatten."""

import numpy as np

import nnref
from bench import Case

N, IN, OUT = 256, 1024, 1024


def _naive_linear(x, w, b):
    """Three nested Python loops: z_i = sum_j W_ij a_j + b_i for every row."""
    out = np.empty((x.shape[0], w.shape[0]))
    for n in range(x.shape[0]):
        for i in range(w.shape[0]):
            total = b[i]
            for j in range(w.shape[1]):
                total += w[i, j] * x[n, j]
            out[n, i] = total
    return out


def cases(torch):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, IN), dtype=np.float32)
    w = rng.standard_normal((OUT, IN), dtype=np.float32) / np.float32(32)
    b = rng.standard_normal(OUT, dtype=np.float32)
    g = rng.standard_normal((N, OUT), dtype=np.float32)
    xs, ws, bs = x[:4, :32], w[:32, :32], b[:32]
    shape = f"({N}, {IN}) x ({OUT}, {IN})"
    t_forward = t_backward = None
    if torch:
        tx, tw, tb = (torch.from_numpy(a).requires_grad_() for a in (x, w, b))
        ty, tg = torch.nn.functional.linear(tx, tw, tb), torch.from_numpy(g)
        t_forward = lambda: torch.nn.functional.linear(tx.detach(), tw.detach(), tb.detach())  # noqa: E731
        t_backward = lambda: torch.autograd.grad(ty, (tx, tw, tb), tg, retain_graph=True)  # noqa: E731
    maps = rng.standard_normal((64, 64, 16, 16), dtype=np.float32)
    gmaps = rng.standard_normal((64, 64 * 16 * 16), dtype=np.float32)
    t_flat = t_flat_backward = None
    if torch:
        tm = torch.from_numpy(maps).requires_grad_()
        tf, tgm = torch.flatten(tm, 1), torch.from_numpy(gmaps)
        t_flat = lambda: torch.flatten(tm.detach(), 1)  # noqa: E731
        t_flat_backward = lambda: torch.autograd.grad(tf, tm, tgm, retain_graph=True)  # noqa: E731
    return [
        Case("linear", shape, lambda: nnref.linear(x, w, b), t_forward,
             lambda: _naive_linear(xs, ws, bs), lambda: nnref.linear(xs, ws, bs)),
        Case("linear_backward", shape, lambda: nnref.linear_backward(g, x, w, b), t_backward),
        Case("flatten", "(64, 64, 16, 16)", lambda: nnref.flatten(maps), t_flat),
        Case("flatten_backward", "(64, 64, 16, 16)", lambda: nnref.flatten_backward(gmaps, maps), t_flat_backward),
    ]
