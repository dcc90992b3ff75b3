"""Pooling animation: a 2x2 window with stride 2 over the notes' 4x4 example, max, min and average.

``pool.gif``: each frame highlights one window of the input and writes its
maximum, minimum and mean into the three 2x2 outputs; the largest value of the
window is outlined in red, the smallest in blue. The outputs are
``nnref.max_pool2d``, ``nnref.min_pool2d`` and ``nnref.avg_pool2d``; the values
written by the frames are recomputed from the windows and must agree.
"""

import numpy as np

import _grids as g
import nnref

X = np.array([[3.0, 12.0, 0.0, 7.0],
              [8.0, 1.0, 14.0, 5.0],
              [10.0, 6.0, 2.0, 13.0],
              [9.0, 15.0, 4.0, 11.0]])  # (4, 4): the 4x4 example of nnref.max_pool2d's docstring
RED, BLUE = (210, 40, 40), (40, 90, 210)


def pool_gif():
    pools = {"max": nnref.max_pool2d, "min": nnref.min_pool2d, "average": nnref.avg_pool2d}
    outs = {name: fn(X[None, None], 2)[0, 0] for name, fn in pools.items()}  # each (2, 2)
    shown = {name: np.full((2, 2), np.nan) for name in pools}
    frames = []
    for i, j in [(0, 0), (0, 1), (1, 0), (1, 1)]:
        window = X[2 * i:2 * i + 2, 2 * j:2 * j + 2]  # (2, 2)
        values = {"max": window.max(), "min": window.min(), "average": window.mean()}
        for name, v in values.items():
            if not np.isclose(v, outs[name][i, j]):
                raise RuntimeError(f"pool animation: {name} {v} != nnref {outs[name][i, j]} at {(i, j)}")
            shown[name][i, j] = v
        im, draw = g.frame(680, 270)
        cells = {(2 * i + a, 2 * j + b): g.WINDOW for a in range(2) for b in range(2)}
        g.grid(draw, 40, 50, X, "input x (4x4)", cells)
        for value, color in ((window.max(), RED), (window.min(), BLUE)):
            r, c = np.argwhere(window == value)[0]
            g.outline(draw, 40, 50, 2 * i + r, 2 * j + c, 1, 1, color=color)
        g.outline(draw, 40, 50, 2 * i, 2 * j, 2, 2, color=g.INK, width=2)
        for n, name in enumerate(pools):
            x0 = 260 + n * 125
            done = {(r, c): g.DONE for r in range(2) for c in range(2) if not np.isnan(shown[name][r, c])}
            g.grid(draw, x0, 50, shown[name], f"{name} (2x2)", {**done, (i, j): g.TARGET})
        items = ", ".join(g.number(v) for v in window.ravel())
        lines = [(f"max({items}) = {g.number(window.max())}", RED),
                 (f"min({items}) = {g.number(window.min())}", BLUE),
                 (f"({' + '.join(g.number(v) for v in window.ravel())}) / 4 = {g.number(window.mean())}", g.INK)]
        for n, (line, color) in enumerate(lines):
            draw.text((260, 150 + 22 * n), line, font=g.MONO, fill=color)
        draw.text((260, 230), f"window {i * 2 + j + 1} of 4: kernel 2x2, stride 2", font=g.SMALL, fill=g.MUTED)
        frames.append(im)
    return g.gif(frames, [1600, 1600, 1600, 3000])


def figures():
    yield "pool.gif", pool_gif()
