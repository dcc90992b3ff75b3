"""Benchmark cases for nnref.upsampling: x2 nearest and bilinear upsampling of (16, 64, 32, 32) float32, antialiased
bilinear downsampling by 4, and pixel shuffle."""

import numpy as np

import nnref
from bench import Case, set_torch_backward

SHAPE = (16, 64, 32, 32)
SMALL = (1, 4, 16, 16)


def _naive_nearest2x(x):
    """x2 nearest-neighbour upsampling with Python loops over every output element."""
    n, c, h, w = x.shape
    y = np.empty((n, c, 2 * h, 2 * w), dtype=x.dtype)
    for a in range(n):
        for b in range(c):
            for i in range(2 * h):
                for j in range(2 * w):
                    y[a, b, i, j] = x[a, b, i // 2, j // 2]
    return y


def _cases(torch, mode, x, g):
    """Forward and backward of one mode; torch's backward reuses its saved graph."""
    kw = dict(scale_factor=2, mode=mode)
    fwd = Case(f"interpolate {mode} x2", str(SHAPE), lambda: nnref.interpolate(x, **kw))
    bwd = Case(f"interpolate_backward {mode} x2", str(SHAPE), lambda: nnref.interpolate_backward(g, x, **kw))
    if torch:
        tx = torch.from_numpy(x)
        fwd.torch = lambda: torch.nn.functional.interpolate(tx, **kw)
        set_torch_backward(bwd, torch, lambda t: torch.nn.functional.interpolate(t, **kw), x, g)
    return [fwd, bwd]


def cases(torch):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(SHAPE, dtype=np.float32)
    g = rng.standard_normal(SHAPE[:2] + (2 * SHAPE[2], 2 * SHAPE[3]), dtype=np.float32)
    small = rng.standard_normal(SMALL, dtype=np.float32)
    out = _cases(torch, "nearest", x, g) + _cases(torch, "bilinear", x, g)
    out += _antialias_cases(torch, x, rng) + _shuffle_cases(torch, x, rng)
    out[0].naive = lambda: _naive_nearest2x(small)
    out[0].nnref_small = lambda: nnref.interpolate(small, scale_factor=2)
    return out


def _antialias_cases(torch, x, rng):
    """Bilinear downsampling of the (32, 32) maps to (8, 8) with antialias: 8 taps per output along each axis."""
    kw = dict(size=(8, 8), mode="bilinear", antialias=True)
    g = rng.standard_normal(SHAPE[:2] + (8, 8), dtype=np.float32)
    fwd = Case("interpolate bilinear antialias /4", str(SHAPE), lambda: nnref.interpolate(x, **kw))
    bwd = Case("interpolate_backward bilinear antialias /4", str(SHAPE), lambda: nnref.interpolate_backward(g, x, **kw))
    if torch:
        tx = torch.from_numpy(x)
        fwd.torch = lambda: torch.nn.functional.interpolate(tx, **kw)
        set_torch_backward(bwd, torch, lambda t: torch.nn.functional.interpolate(t, **kw), x, g)
    return [fwd, bwd]


def _shuffle_cases(torch, x, rng):
    """pixel_shuffle by 2 of the (16, 64, 32, 32) maps into (16, 16, 64, 64), forward and backward."""
    g = rng.standard_normal((16, 16, 64, 64), dtype=np.float32)
    fwd = Case("pixel_shuffle x2", str(SHAPE), lambda: nnref.pixel_shuffle(x, 2))
    bwd = Case("pixel_shuffle_backward x2", str(SHAPE), lambda: nnref.pixel_shuffle_backward(g, x, 2))
    if torch:
        tx = torch.from_numpy(x)
        fwd.torch = lambda: torch.nn.functional.pixel_shuffle(tx, 2)
        set_torch_backward(bwd, torch, lambda t: torch.nn.functional.pixel_shuffle(t, 2), x, g)
    return [fwd, bwd]
