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


def check(value, expected, where):
    """Stop the build if a number drawn in a frame is not nnref's."""
    if not np.isclose(value, expected):
        raise RuntimeError(f"{where}: frame sum {value} != nnref.conv2d {expected}")


def equation(window, kernel, i, j):
    """One line of products per kernel row, then the output value."""
    k = kernel.shape[0]
    rows = [[(window[(a, b)], kernel[a, b]) for b in range(k)] for a in range(k)]
    lines = [" + ".join(product(x, w) for x, w in row) + f" = {g.number(sum(x * w for x, w in row))}"
             for row in rows]
    return lines + [f"y[{i},{j}] = {g.number(sum(window[a] * kernel[a] for a in window))}"]


def conv_frame(xp, kernel, shown, tap, ij, titles, pad_cells):
    """One frame: padded input with the taps of output pixel ``ij``, kernel, output so far, sums."""
    n, k, (ho, wo) = xp.shape[0], kernel.shape[0], shown.shape
    im, draw = g.frame(40 + n * g.CELL + 40 + k * g.CELL + 40 + max(wo * g.CELL, 190) + 20,
                       50 + max(n, 4) * g.CELL + 100)
    fills = {**pad_cells, **{rc: g.WINDOW for rc in tap.values()}}
    corner = {rc: f"×{g.number(kernel[a])}" for a, rc in tap.items()}
    x_end, y_end = g.grid(draw, 40, 50, xp, titles[0], fills, corner=corner)
    g.grid(draw, x_end + 40, 50, kernel, f"kernel w ({k}x{k})", {a: g.KERNEL for a in tap})
    draw.text((x_end + 40, 50 + k * g.CELL + 20), titles[1], font=g.SMALL, fill=g.MUTED)
    done = {rc: g.DONE for rc in np.ndindex(ho, wo) if not np.isnan(shown[rc])}
    g.grid(draw, x_end + 80 + k * g.CELL, 50, shown, f"output y ({ho}x{wo})", {**done, ij: g.TARGET})
    for li, line in enumerate(equation({a: xp[rc] for a, rc in tap.items()}, kernel, *ij)):
        draw.text((40, y_end + 16 + 18 * li), line, font=g.MONO, fill=g.INK)
    return im


def conv_gif(image, kernel, stride=1, padding=0, dilation=1):
    out = nnref.conv2d(image[None, None], kernel[None, None], stride=stride, padding=padding,
                       dilation=dilation)[0, 0]  # (H_out, W_out)
    xp = np.pad(image, padding)  # (H + 2p, W + 2p): what the kernel slides over
    n = xp.shape[0]
    titles = (f"input x ({image.shape[0]}x{image.shape[1]})" + (f", padded to {n}x{n}" if padding else ""),
              f"stride {stride}, padding {padding}, dilation {dilation}")
    pad_cells = {rc: g.PADDED for rc in np.ndindex(n, n) if min(rc) < padding or max(rc) >= n - padding}
    shown = np.full(out.shape, np.nan)
    frames = []
    for ij in np.ndindex(*out.shape):
        tap = taps(*ij, kernel.shape[0], stride, dilation)
        check(sum(xp[rc] * kernel[a] for a, rc in tap.items()), out[ij], f"conv animation at {ij}")
        shown[ij] = out[ij]
        frames.append(conv_frame(xp, kernel, shown, tap, ij, titles, pad_cells))
    return g.gif(frames, [1000] * (len(frames) - 1) + [2500])


CHANNELS_X = np.array([[[1, 0, 2, 1], [0, 1, 1, 0], [2, 1, 0, 1], [1, 0, 1, 2]],
                       [[0, 2, 1, 0], [1, 1, 0, 2], [0, 1, 2, 1], [2, 0, 1, 1]],
                       [[1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 1], [1, 0, 0, 1]]], dtype=float)  # (C_in, H, W)
CHANNELS_W = np.array([[[1, 0, -1], [1, 0, -1], [1, 0, -1]],
                       [[1, 1, 1], [0, 0, 0], [-1, -1, -1]],
                       [[0, 1, 0], [1, 1, 1], [0, 1, 0]]], dtype=float)  # (C_in, k, k): one filter
BIAS = 1.0
SLOT = 4 * g.CELL + 30  # width of one channel's column


def channel_column(draw, c, i, j):
    """Input channel ``c`` with the window at (i, j), its kernel slice and their sum of products."""
    x0 = 40 + c * SLOT
    window = {(i + a, j + b): g.WINDOW for a in range(3) for b in range(3)}
    g.grid(draw, x0, 50, CHANNELS_X[c], f"input x, channel {c + 1}", window)
    g.grid(draw, x0 + 20, 270, CHANNELS_W[c], f"kernel w, slice {c + 1}",
           {ab: g.KERNEL for ab in np.ndindex(3, 3)}, cell=30)
    partial = float(np.sum(CHANNELS_X[c, i:i + 3, j:j + 3] * CHANNELS_W[c]))
    draw.text((x0 + 20, 380), f"sum = {g.number(partial)}", font=g.MONO, fill=g.INK)
    return partial


def channels_gif():
    out = nnref.conv2d(CHANNELS_X[None], CHANNELS_W[None], np.array([BIAS]))[0, 0]  # (2, 2): one channel
    shown = np.full(out.shape, np.nan)
    frames = []
    for i, j in np.ndindex(*out.shape):
        im, draw = g.frame(40 + 3 * SLOT + 40 + 170, 460)
        partials = [channel_column(draw, c, i, j) for c in range(3)]
        total = sum(partials) + BIAS
        check(total, out[i, j], f"channels animation at {(i, j)}")
        shown[i, j] = total
        o_x = 40 + 3 * SLOT + 40
        done = {rc: g.DONE for rc in np.ndindex(*out.shape) if not np.isnan(shown[rc])}
        g.grid(draw, o_x, 50, shown, "output y (2x2)", {**done, (i, j): g.TARGET})
        draw.text((o_x, 50 + 2 * g.CELL + 12), "one output channel:\nthe 3 channel sums\nplus the bias",
                  font=g.SMALL, fill=g.MUTED)
        terms = " + ".join(g.number(p) if p >= 0 else f"({g.number(p)})" for p in partials)
        draw.text((40, 420), f"y[{i},{j}] = {terms} + bias {g.number(BIAS)} = {g.number(total)}",
                  font=g.MONO, fill=g.INK)
        frames.append(im)
    return g.gif(frames, [1600, 1600, 1600, 3000])


def figures():
    yield "edge.gif", conv_gif(IMAGE, EDGE)
    yield "padding1.gif", conv_gif(IMAGE, EDGE, padding=1)
    yield "stride2.gif", conv_gif(IMAGE, EDGE, stride=2)
    yield "dilation2.gif", conv_gif(WIDE, EDGE, dilation=2)
    yield "channels.gif", channels_gif()
