"""Benchmark cases for nnref.pooling: 2x2 max and average pooling of a (16, 64, 32, 32) float32 input, max unpooling."""

import numpy as np

import nnref
from bench import Case, set_torch_backward

SHAPE = (16, 64, 32, 32)
SMALL = (1, 4, 16, 16)


def _naive_max_pool2d(x, k):
    """2x2 max pooling with Python loops over every output element."""
    n, c, h, w = x.shape
    y = np.empty((n, c, h // k, w // k), dtype=x.dtype)
    for a in range(n):
        for b in range(c):
            for i in range(h // k):
                for j in range(w // k):
                    y[a, b, i, j] = x[a, b, i * k:(i + 1) * k, j * k:(j + 1) * k].max()
    return y


def _case(torch, name, forward, backward, torch_forward, x, g, saves=False):
    """A forward and a backward case. With ``saves`` (max pooling: PyTorch's backward reads the
    forward's indices, nnref's recomputes them from x), torch's side of the backward runs forward
    and backward, and its backward kernel alone is timed as ``torch_saved``."""
    cases = [Case(name, str(SHAPE), lambda: forward(x), None)]
    cases.append(Case(f"{name}_backward", str(SHAPE), lambda: backward(g, x), None))
    if torch:
        tx = torch.from_numpy(x)
        cases[0].torch = lambda: torch_forward(tx)
        set_torch_backward(cases[1], torch, torch_forward, x, g, recomputes=saves)
    return cases


def cases(torch):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(SHAPE, dtype=np.float32)
    g = rng.standard_normal(SHAPE[:2] + (SHAPE[2] // 2, SHAPE[3] // 2), dtype=np.float32)
    small = rng.standard_normal(SMALL, dtype=np.float32)
    F = torch.nn.functional if torch else None
    out = _case(torch, "max_pool2d 2x2", lambda a: nnref.max_pool2d(a, 2),
                lambda gy, a: nnref.max_pool2d_backward(gy, a, 2), lambda t: F.max_pool2d(t, 2), x, g, saves=True)
    out[0].naive, out[0].nnref_small = lambda: _naive_max_pool2d(small, 2), lambda: nnref.max_pool2d(small, 2)
    out[1].floor, out[1].floor_what = lambda: nnref.max_pool2d(x, 2), "the window maxima alone (a forward pass)"
    out += _indices_cases(torch, x, g)
    out += _case(torch, "avg_pool2d 2x2", lambda a: nnref.avg_pool2d(a, 2),
                 lambda gy, a: nnref.avg_pool2d_backward(gy, a, 2), lambda t: F.avg_pool2d(t, 2), x, g)
    return out


def _indices_cases(torch, x, g):
    """Max pooling with return_indices, its backward from the indices, and max_unpool2d.

    The backward from indices gets what PyTorch's backward kernel gets (grad_output
    and the forward's indices), so these two ratios compare like with like.
    """
    y, idx = nnref.max_pool2d(x, 2, return_indices=True)
    cases = [Case("max_pool2d 2x2 (return_indices)", str(SHAPE), lambda: nnref.max_pool2d(x, 2, return_indices=True)),
             Case("max_pool2d 2x2_backward (indices)", str(SHAPE),
                  lambda: nnref.max_pool2d_backward(g, x, 2, indices=idx)),
             Case("max_unpool2d 2x2", str(SHAPE), lambda: nnref.max_unpool2d(y, idx, 2)),
             Case("max_unpool2d 2x2_backward", str(SHAPE), lambda: nnref.max_unpool2d_backward(x, y, idx, 2))]
    if torch:
        F = torch.nn.functional
        tx, tg = torch.from_numpy(x).requires_grad_(), torch.from_numpy(g)
        ty, tidx = F.max_pool2d(tx, 2, return_indices=True)
        cases[0].torch = lambda: F.max_pool2d(tx.detach(), 2, return_indices=True)
        cases[1].torch = lambda: torch.autograd.grad(ty, tx, tg, retain_graph=True)
        tyu = torch.from_numpy(y).requires_grad_()
        tu = F.max_unpool2d(tyu, tidx, 2)
        cases[2].torch = lambda: F.max_unpool2d(tyu.detach(), tidx, 2)
        cases[3].torch = lambda: torch.autograd.grad(tu, tyu, torch.from_numpy(x), retain_graph=True)
    return cases
