"""Convolution animations: the kernel sliding over the input and the output filling in.

Every frame shows the input (with padding cells in grey), the kernel and the output
written so far, plus the sum of products for the current position. The outputs
are ``nnref.conv2d``'s; the sums drawn in the frames are recomputed from the
windows and must agree with them, or the build fails.

``edge.gif``: the notes' 5x5 image (two columns of 50, then 0) and vertical-edge filter.
``padding1.gif``, ``stride2.gif``, ``dilation2.gif``: the same filter with padding 1,
stride 2 and dilation 2 (a 7x7 image, so the dilated 5x5 footprint fits 3x3 times).
``channels.gif``: three input channels, one 3x3 slice of the filter each, summed into
one output channel.
"""

import numpy as np

import _grids as g
import nnref

EDGE = np.array([[1.0, 0.0, -1.0]] * 3)  # (3, 3): columns 1, 0, -1
IMAGE = np.tile([50.0, 50.0, 0.0, 0.0, 0.0], (5, 1))  # (5, 5): the notes' example
WIDE = np.tile([50.0, 50.0, 50.0, 0.0, 0.0, 0.0, 0.0], (7, 1))  # (7, 7) for dilation 2


def product(x, w):
    return f"{g.number(x)}·{g.number(w) if w >= 0 else '(' + g.number(w) + ')'}"


def taps(i, j, k, stride, dilation):
    """Padded-input coordinates (row, col) of tap (a, b), for output pixel (i, j)."""
    return {(a, b): (i * stride + a * dilation, j * stride + b * dilation) for a in range(k) for b in range(k)}


def conv_gif(image, kernel, stride=1, padding=0, dilation=1):
    out = nnref.conv2d(image[None, None], kernel[None, None], stride=stride, padding=padding,
                       dilation=dilation)[0, 0]  # (H_out, W_out)
    xp = np.pad(image, padding)  # (H + 2p, W + 2p): what the kernel slides over
    k, n, (ho, wo) = kernel.shape[0], xp.shape[0], out.shape
    x_title = f"input x ({image.shape[0]}x{image.shape[1]})" + (f", padded to {n}x{n}" if padding else "")
    pad_cells = {(r, c): g.PADDED for r in range(n) for c in range(n)
                 if min(r, c) < padding or max(r, c) >= n - padding}
    width = 40 + n * g.CELL + 40 + k * g.CELL + 40 + max(wo * g.CELL, 190) + 20
    height = 50 + max(n, 4) * g.CELL + 100
    shown = np.full(out.shape, np.nan)
    frames = []
    for i, j in [(i, j) for i in range(ho) for j in range(wo)]:
        tap = taps(i, j, k, stride, dilation)
        window = {a: xp[rc] for a, rc in tap.items()}
        total = sum(window[a] * kernel[a] for a in tap)
        if not np.isclose(total, out[i, j]):
            raise RuntimeError(f"conv animation: frame sum {total} != nnref.conv2d {out[i, j]} at {(i, j)}")
        shown[i, j] = out[i, j]
        im, draw = g.frame(width, height)
        fills = {**pad_cells, **{rc: g.WINDOW for rc in tap.values()}}
        corner = {rc: f"×{g.number(kernel[a])}" for a, rc in tap.items()}
        x_end, y_end = g.grid(draw, 40, 50, xp, x_title, fills, corner=corner)
        k_x = x_end + 40
        g.grid(draw, k_x, 50, kernel, f"kernel w ({k}x{k})", {a: g.KERNEL for a in tap})
        o_x = k_x + k * g.CELL + 40
        done = {(r, c): g.DONE for r in range(ho) for c in range(wo) if not np.isnan(shown[r, c])}
        g.grid(draw, o_x, 50, shown, f"output y ({ho}x{wo})", {**done, (i, j): g.TARGET})
        settings = f"stride {stride}, padding {padding}, dilation {dilation}"
        draw.text((k_x, 50 + k * g.CELL + 20), settings, font=g.SMALL, fill=g.MUTED)
        lines = [" + ".join(product(window[(a, b)], kernel[a, b]) for b in range(k))
                 + f" = {g.number(sum(window[(a, b)] * kernel[a, b] for b in range(k)))}" for a in range(k)]
        lines.append(f"y[{i},{j}] = {g.number(total)}")
        for li, line in enumerate(lines):
            draw.text((40, y_end + 16 + 18 * li), line, font=g.MONO, fill=g.INK)
        frames.append(im)
    return g.gif(frames, [1000] * (len(frames) - 1) + [2500])


def channels_gif():
    x = np.array([[[1, 0, 2, 1], [0, 1, 1, 0], [2, 1, 0, 1], [1, 0, 1, 2]],
                  [[0, 2, 1, 0], [1, 1, 0, 2], [0, 1, 2, 1], [2, 0, 1, 1]],
                  [[1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 1], [1, 0, 0, 1]]], dtype=float)  # (C_in, H, W)
    w = np.array([[[1, 0, -1], [1, 0, -1], [1, 0, -1]],
                  [[1, 1, 1], [0, 0, 0], [-1, -1, -1]],
                  [[0, 1, 0], [1, 1, 1], [0, 1, 0]]], dtype=float)  # (C_in, k, k): one filter
    bias = 1.0
    out = nnref.conv2d(x[None], w[None], np.array([bias]))[0, 0]  # (2, 2): one output channel
    shown = np.full(out.shape, np.nan)
    frames = []
    slot = 4 * g.CELL + 30
    for i, j in [(0, 0), (0, 1), (1, 0), (1, 1)]:
        im, draw = g.frame(40 + 3 * slot + 40 + 170, 460)
        partials = []
        for c in range(3):
            x0 = 40 + c * slot
            cells = [(i + a, j + b) for a in range(3) for b in range(3)]
            g.grid(draw, x0, 50, x[c], f"input x, channel {c + 1}", {rc: g.WINDOW for rc in cells})
            g.grid(draw, x0 + 20, 270, w[c], f"kernel w, slice {c + 1}", {(a, b): g.KERNEL for a in range(3)
                                                                       for b in range(3)}, cell=30)
            partials.append(float(np.sum(x[c, i:i + 3, j:j + 3] * w[c])))
            draw.text((x0 + 20, 380), f"sum = {g.number(partials[-1])}", font=g.MONO, fill=g.INK)
        total = sum(partials) + bias
        if not np.isclose(total, out[i, j]):
            raise RuntimeError(f"channels animation: {total} != nnref.conv2d {out[i, j]}")
        shown[i, j] = total
        o_x = 40 + 3 * slot + 40
        done = {(r, c): g.DONE for r in range(2) for c in range(2) if not np.isnan(shown[r, c])}
        g.grid(draw, o_x, 50, shown, "output y (2x2)", {**done, (i, j): g.TARGET})
        draw.text((o_x, 50 + 2 * g.CELL + 12), "one output channel:\nthe 3 channel sums\nplus the bias",
                  font=g.SMALL, fill=g.MUTED)
        equation = " + ".join(g.number(p) if p >= 0 else f"({g.number(p)})" for p in partials) + f" + bias {g.number(bias)} = {g.number(total)}"
        draw.text((40, 420), f"y[{i},{j}] = {equation}", font=g.MONO, fill=g.INK)
        frames.append(im)
    return g.gif(frames, [1600, 1600, 1600, 3000])


def figures():
    yield "edge.gif", conv_gif(IMAGE, EDGE)
    yield "padding1.gif", conv_gif(IMAGE, EDGE, padding=1)
    yield "stride2.gif", conv_gif(IMAGE, EDGE, stride=2)
    yield "dilation2.gif", conv_gif(WIDE, EDGE, dilation=2)
    yield "channels.gif", channels_gif()
