"""Benchmark cases for nnref.conv: conv2d and conv_transpose2d forward and backward, pad, unfold and fold."""

import itertools

import numpy as np

import nnref
from bench import Case, set_torch_backward

CONV_X, CONV_W = (16, 64, 32, 32), (128, 64, 3, 3)  # padding 1
TRANSPOSE_X, TRANSPOSE_W = (16, 128, 16, 16), (128, 64, 4, 4)  # stride 2, padding 1
PAD_X = (16, 64, 64, 64)


def _naive_conv2d(x, w):
    """Seven nested loops, no padding or stride: the reference the vectorized code replaces."""
    n, c, h, wd = x.shape
    o, _, kh, kw = w.shape
    y = np.zeros((n, o, h - kh + 1, wd - kw + 1), dtype=x.dtype)
    for b, f, i, j in itertools.product(range(n), range(o), range(h - kh + 1), range(wd - kw + 1)):
        for ch, a, e in itertools.product(range(c), range(kh), range(kw)):
            y[b, f, i, j] += w[f, ch, a, e] * x[b, ch, i + a, j + e]
    return y


def _torch_pair(torch, fn, x, w, g, **kw):
    """Forward and backward closures for a PyTorch op (the backward reuses one recorded graph)."""
    if torch is None:
        return None, None
    tx, tw = torch.from_numpy(x).requires_grad_(), torch.from_numpy(w).requires_grad_()
    ty, tg = fn(tx, tw, **kw), torch.from_numpy(g)
    forward = lambda: fn(tx.detach(), tw.detach(), **kw)  # noqa: E731
    backward = lambda: torch.autograd.grad(ty, (tx, tw), tg, retain_graph=True)  # noqa: E731
    return forward, backward


def cases(torch):
    rng = np.random.default_rng(0)
    F = torch.nn.functional if torch else None
    x, w = rng.standard_normal(CONV_X, dtype=np.float32), rng.standard_normal(CONV_W, dtype=np.float32)
    g = rng.standard_normal((16, 128, 32, 32), dtype=np.float32)
    tf, tb = _torch_pair(torch, F and F.conv2d, x, w, g, padding=1)
    small_x, small_w = x[:1, :4, :12, :12], w[:4, :4]
    out = [
        Case("conv2d", "x(16,64,32,32) w(128,64,3,3) p1", lambda: nnref.conv2d(x, w, padding=1), tf,
             lambda: _naive_conv2d(small_x, small_w), lambda: nnref.conv2d(small_x, small_w),
             # 2 * N * C_out * H_out * W_out * C_in * k * k, and the buffers the docstring documents
             extra={"flops": 2 * 16 * 128 * 32 * 32 * 64 * 3 * 3, "im2col_bytes": 16 * 64 * 3 * 3 * 32 * 32 * 4,
                    "output_bytes": 16 * 128 * 32 * 32 * 4}),
        Case("conv2d_backward", "x(16,64,32,32) w(128,64,3,3) p1",
             lambda: nnref.conv2d_backward(g, x, w, padding=1), tb),
    ]
    xt, wt = rng.standard_normal(TRANSPOSE_X, dtype=np.float32), rng.standard_normal(TRANSPOSE_W, dtype=np.float32)
    gt = rng.standard_normal((16, 64, 32, 32), dtype=np.float32)
    tf, tb = _torch_pair(torch, F and F.conv_transpose2d, xt, wt, gt, stride=2, padding=1)
    out += [
        Case("conv_transpose2d", "x(16,128,16,16) w(128,64,4,4) s2p1",
             lambda: nnref.conv_transpose2d(xt, wt, stride=2, padding=1), tf),
        Case("conv_transpose2d_backward", "x(16,128,16,16) w(128,64,4,4) s2p1",
             lambda: nnref.conv_transpose2d_backward(gt, xt, wt, stride=2, padding=1), tb),
    ]
    xp = rng.standard_normal(PAD_X, dtype=np.float32)
    gp = rng.standard_normal((16, 64, 66, 66), dtype=np.float32)
    for mode in ("constant", "reflect"):
        tpad = (lambda m=mode: F.pad(torch.from_numpy(xp), (1, 1, 1, 1), mode=m)) if torch else None
        out.append(Case(f"pad {mode}", "(16,64,64,64) pad 1", lambda m=mode: nnref.pad(xp, (1, 1, 1, 1), mode=m),
                        tpad))
    out.append(Case("pad_backward reflect", "(16,64,64,64) pad 1",
                    lambda: nnref.pad_backward(gp, xp, (1, 1, 1, 1), mode="reflect")))
    return out + _unfold_cases(torch, x, rng)


def _unfold_cases(torch, x, rng):
    """unfold of the conv2d input (its 3x3 windows, padding 1) and fold of the columns, forward and backward."""
    cols = rng.standard_normal((16, 64 * 9, 32 * 32), dtype=np.float32)
    out = [Case("unfold 3x3 p1", "(16,64,32,32)", lambda: nnref.unfold(x, 3, padding=1)),
           Case("unfold_backward 3x3 p1", "(16,64,32,32)", lambda: nnref.unfold_backward(cols, x, 3, padding=1)),
           Case("fold 3x3 p1", "(16,576,1024)", lambda: nnref.fold(cols, 32, 3, padding=1)),
           Case("fold_backward 3x3 p1", "(16,576,1024)", lambda: nnref.fold_backward(x, cols, 32, 3, padding=1))]
    if torch:
        F = torch.nn.functional
        tx, tcols = torch.from_numpy(x), torch.from_numpy(cols)
        out[0].torch = lambda: F.unfold(tx, 3, padding=1)
        set_torch_backward(out[1], torch, lambda t: F.unfold(t, 3, padding=1), x, cols)
        out[2].torch = lambda: F.fold(tcols, 32, 3, padding=1)
        set_torch_backward(out[3], torch, lambda t: F.fold(t, 32, 3, padding=1), cols, x)
    return out
