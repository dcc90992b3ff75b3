"""Checkerboard figures: where a transposed convolution's kernel copies overlap, and the artifact.

``overlap-1d``: for several (kernel, stride) pairs, ``nnref.checkerboard_overlap``
counts of kernel taps per output pixel, one row of cells per pair.
``overlap-2d``: the same counts in 2-D as heatmaps.
``artifact``: a stride-2 ``nnref.conv_transpose2d`` with a constant 3x3 kernel applied
to a constant image, next to ``nnref.interpolate`` (nearest, x2) followed by a
``nnref.conv2d`` with a constant 3x3 kernel and replicate padding (each kernel scaled to
keep the image's mean).
"""

import matplotlib.pyplot as plt
import numpy as np

import nnref

PAIRS_1D = [(2, 2), (3, 2), (4, 2), (5, 2), (3, 3), (4, 3), (6, 3), (1, 2)]
PAIRS_2D = [(3, 2), (4, 2), (5, 3), (6, 3)]


def annotate(ax, counts, vmax):
    """Write each count in its cell: white on viridis' dark low end, black on its light high end."""
    for (r, c), n in np.ndenumerate(counts):
        ax.text(c, r, str(n), ha="center", va="center", fontsize=7, color="white" if n < 0.5 * vmax else "black")


def overlap_1d():
    fig, axes = plt.subplots(len(PAIRS_1D), 1, figsize=(6.4, 0.62 * len(PAIRS_1D)), layout="constrained")
    for ax, (k, s) in zip(axes, PAIRS_1D):
        counts = nnref.checkerboard_overlap(k, s, input_size=6)[None]  # (1, L_out)
        ax.imshow(counts, cmap="viridis", vmin=0, vmax=3, aspect="equal")
        annotate(ax, counts, 3)
        ax.set_xlim(-0.5, 20.5)  # rows share one scale, left-aligned
        verdict = "even" if k % s == 0 else "uneven"
        ax.set_title(f"kernel {k}, stride {s}: {verdict}", fontsize=8, loc="left", pad=2)
        ax.set(xticks=[], yticks=[])
    return fig


def overlap_2d():
    fig, axes = plt.subplots(1, len(PAIRS_2D), figsize=(10, 3.0), layout="constrained")
    for ax, (k, s) in zip(axes, PAIRS_2D):
        counts = nnref.checkerboard_overlap((k, k), s, input_size=4)  # (H_out, W_out)
        ax.imshow(counts, cmap="viridis", vmin=0, vmax=4)
        annotate(ax, counts, 4)
        verdict = "even" if k % s == 0 else "checkerboard"
        ax.set_title(f"{k}x{k} kernel, stride {s}\n{verdict}", fontsize=9)
        ax.set(xticks=[], yticks=[])
    return fig


def artifact():
    image = np.ones((1, 1, 8, 8))  # a constant image
    # Constant kernels, scaled so the output's average away from the borders is 1: the transposed
    # convolution spreads 9 taps over 4 output pixels per input pixel, so its weights are 4/9.
    transposed = nnref.conv_transpose2d(image, np.full((1, 1, 3, 3), 4 / 9), stride=2, padding=1,
                                        output_padding=1)  # (1, 1, 16, 16)
    upsampled = nnref.interpolate(image, scale_factor=2, mode="nearest")  # (1, 1, 16, 16)
    padded = nnref.pad(upsampled, (1, 1, 1, 1), mode="replicate")  # (1, 1, 18, 18): no dark frame
    resized = nnref.conv2d(padded, np.full((1, 1, 3, 3), 1 / 9))  # (1, 1, 16, 16)
    fig, axes = plt.subplots(1, 2, figsize=(7.6, 3.9), layout="constrained")
    panels = [(transposed, "conv_transpose2d, 3x3, stride 2"), (resized, "nearest x2, then conv2d 3x3 (replicate pad)")]
    for ax, (y, title) in zip(axes, panels):
        im = ax.imshow(y[0, 0], cmap="gray", vmin=0, vmax=16 / 9)
        ax.set_title(title, fontsize=9)
        ax.set(xticks=[], yticks=[])
    cbar = fig.colorbar(im, ax=axes, shrink=0.8)
    cbar.set_ticks([4 / 9, 8 / 9, 16 / 9], labels=["4/9", "8/9", "16/9"])
    return fig


def figures():
    yield "overlap-1d", overlap_1d()
    yield "overlap-2d", overlap_2d()
    yield "artifact", artifact()
