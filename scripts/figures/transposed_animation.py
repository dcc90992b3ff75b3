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


def explain(draw, x0, y0, step, stride):
    """The stamp of input pixel ``step`` (or, before the first, what is about to happen)."""
    if step is None:
        draw.text((x0, y0 + 20), "each input pixel\nstamps a copy of w\ninto the output,\n"
                  f"moved {stride} cell{'s' if stride > 1 else ''} per pixel", font=g.SMALL, fill=g.MUTED)
        return
    i, j = step
    g.grid(draw, x0, y0, X[i, j] * W, f"stamp {g.number(X[i, j])}·w", {ab: g.WINDOW for ab in np.ndindex(3, 3)})
    r0, c0 = stride * i, stride * j
    draw.text((x0, y0 + 3 * g.CELL + 14), f"x[{i},{j}] = {g.number(X[i, j])} times w,\nadded at rows "
              f"{r0}-{r0 + 2},\ncolumns {c0}-{c0 + 2}", font=g.SMALL, fill=g.MUTED)


def transposed_frame(acc, hits, step, stride, last):
    """Input and kernel (left), the current stamp (middle), the output summed so far (right)."""
    n = acc.shape[0]
    s_x = 40 + 2 * g.CELL + 70  # the stamp's column
    o_x = s_x + 3 * g.CELL + 60  # the output's column
    im, draw = g.frame(o_x + max(n * g.CELL, 250) + 30, 60 + 5 * g.CELL + 60 + 50)
    g.grid(draw, 40, 60, X, "input x (2x2)", {} if step is None else {step: g.WINDOW})
    g.grid(draw, 40, 60 + 2 * g.CELL + 60, W, "kernel w (3x3)", {ab: g.KERNEL for ab in np.ndindex(3, 3)}, cell=30)
    explain(draw, s_x, 60, step, stride)
    shade = {rc: SHADES[min(h, 4)] for rc, h in np.ndenumerate(hits) if h}
    g.grid(draw, o_x, 60, acc, f"output y ({n}x{n}), stride {stride}", shade)
    if step is not None:
        g.outline(draw, o_x, 60, stride * step[0], stride * step[1], 3, 3)
    if last:
        draw.text((o_x, 60 + n * g.CELL + 16), f"= nnref.conv_transpose2d(x, w,\n   stride={stride})",
                  font=g.MONO, fill=g.INK)
    draw.text((40, im.height - 30), "darker blue: more copies of w overlap on that output cell; overlaps sum",
              font=g.SMALL, fill=g.MUTED)
    return im


def transposed_gif(stride):
    out = nnref.conv_transpose2d(X[None, None], W[None, None], stride=stride)[0, 0]  # (H_out, W_out)
    acc, hits = np.full(out.shape, np.nan), np.zeros(out.shape, dtype=int)
    steps = [None, *np.ndindex(*X.shape)]
    frames = []
    for step in steps:
        if step is not None:  # add the stamp x[i, j] * w with its corner at (s i, s j)
            rows, cols = slice(stride * step[0], stride * step[0] + 3), slice(stride * step[1], stride * step[1] + 3)
            acc[rows, cols] = np.nan_to_num(acc[rows, cols]) + X[step] * W
            hits[rows, cols] += 1
        frames.append(transposed_frame(acc, hits, step, stride, last=step == steps[-1]))
    if not np.allclose(acc, out):
        raise RuntimeError(f"transposed animation: stamps {acc} != nnref.conv_transpose2d {out}")
    return g.gif(frames, [1800, 1800, 1800, 1800, 3500])


def figures():
    yield "stride1.gif", transposed_gif(1)
    yield "stride2.gif", transposed_gif(2)
