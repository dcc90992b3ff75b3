"""Transposed-convolution animations: each input value stamps a scaled copy of the kernel.

``stride1.gif`` and ``stride2.gif``: a 2x2 input and a 3x3 kernel. Frame by frame,
input pixel $x_{ij}$ multiplies the kernel and the copy is added into the output
with its top-left corner at $(s i, s j)$; where copies overlap, they sum (the
darker the blue, the more copies have landed on a cell). The last frame is
``nnref.conv_transpose2d``'s output, which the accumulated stamps must equal.
"""

import numpy as np

import _grids as g
import nnref

X = np.array([[1.0, 2.0], [3.0, 4.0]])  # (2, 2) input
W = np.array([[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]])  # (3, 3) kernel
SHADES = [(255, 255, 255), (215, 232, 255), (170, 205, 250), (125, 175, 240), (90, 150, 230)]


def transposed_gif(stride):
    out = nnref.conv_transpose2d(X[None, None], W[None, None], stride=stride)[0, 0]  # (H_out, W_out)
    n = out.shape[0]
    acc, hits = np.full(out.shape, np.nan), np.zeros(out.shape, dtype=int)
    s_x = 40 + 2 * g.CELL + 70  # the stamp's column
    o_x = s_x + 3 * g.CELL + 60
    width, height = o_x + max(n * g.CELL, 250) + 30, 60 + 5 * g.CELL + 60 + 50
    frames = []
    steps = [None, (0, 0), (0, 1), (1, 0), (1, 1)]
    for step in steps:
        im, draw = g.frame(width, height)
        fills = {}
        if step is not None:
            i, j = step
            r0, c0 = stride * i, stride * j
            block = np.nan_to_num(acc[r0:r0 + 3, c0:c0 + 3]) + X[i, j] * W  # (3, 3): add the stamp
            acc[r0:r0 + 3, c0:c0 + 3] = block
            hits[r0:r0 + 3, c0:c0 + 3] += 1
            fills = {(i, j): g.WINDOW}
        g.grid(draw, 40, 60, X, "input x (2x2)", fills)
        g.grid(draw, 40, 60 + 2 * g.CELL + 60, W, "kernel w (3x3)", {(a, b): g.KERNEL for a in range(3)
                                                                    for b in range(3)}, cell=30)
        if step is not None:
            g.grid(draw, s_x, 60, X[i, j] * W, f"stamp {g.number(X[i, j])}·w", {
                (a, b): g.WINDOW for a in range(3) for b in range(3)})
            draw.text((s_x, 60 + 3 * g.CELL + 14), f"x[{i},{j}] = {g.number(X[i, j])} times w,\nadded at rows "
                      f"{r0}-{r0 + 2},\ncolumns {c0}-{c0 + 2}", font=g.SMALL, fill=g.MUTED)
        else:
            draw.text((s_x, 60 + 20), "each input pixel\nstamps a copy of w\ninto the output,\n"
                      f"moved {stride} cell{'s' if stride > 1 else ''} per pixel", font=g.SMALL, fill=g.MUTED)
        shade = {(r, c): SHADES[min(h, 4)] for (r, c), h in np.ndenumerate(hits) if h}
        g.grid(draw, o_x, 60, acc, f"output y ({n}x{n}), stride {stride}", shade)
        if step is not None:
            g.outline(draw, o_x, 60, r0, c0, 3, 3)
        draw.text((40, height - 30), "darker blue: more copies of w overlap on that output cell; overlaps sum",
                  font=g.SMALL, fill=g.MUTED)
        if step == steps[-1]:
            if not np.allclose(acc, out):
                raise RuntimeError(f"transposed animation: stamps {acc} != nnref.conv_transpose2d {out}")
            draw.text((o_x, 60 + n * g.CELL + 16), "= nnref.conv_transpose2d(x, w,\n   "
                      f"stride={stride})", font=g.MONO, fill=g.INK)
        frames.append(im)
    return g.gif(frames, [1800, 1800, 1800, 1800, 3500])


def figures():
    yield "stride1.gif", transposed_gif(1)
    yield "stride2.gif", transposed_gif(2)
