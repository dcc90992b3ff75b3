"""Sub-pixel convolution against transposed convolution: who paints a checkerboard on a flat input.

``checkerboards``: upsampling a constant 6x6 image by 2 with (1) a transposed convolution, kernel 3,
stride 2, kernel of ones (the overlap counts 1 / 2 / 4 of ``nnref.checkerboard_overlap``); (2) a
sub-pixel convolution (``nnref.conv2d`` with 4 output channels, then ``nnref.pixel_shuffle``) with
randomly initialised weights, whose four sub-kernels differ and tile a 2x2 pattern; (3) the same
layer with ICNR initialisation (Aitken et al., 2017: the four sub-kernels are copies of one), flat.
Each panel is what nnref computes; the numbers the upsampling page states are tested in
tests/test_upsampling.py.
"""

import matplotlib.pyplot as plt
import numpy as np

import nnref

SIZE, R, K = 6, 2, 3  # input size, upscale factor, kernel size


def transposed():
    """Kernel of ones, stride 2: each output pixel is the number of stamps that land on it."""
    y = nnref.conv_transpose2d(np.ones((1, 1, SIZE, SIZE)), np.ones((1, 1, K, K)), stride=R, padding=1,
                               output_padding=1)
    return y[0, 0]


def subpixel_weights(icnr, seed=0):
    """(R*R, 1, K, K) weights of a sub-pixel layer: random, or ICNR (one random kernel, repeated R*R times)."""
    rng = np.random.default_rng(seed)
    if icnr:
        return np.repeat(rng.uniform(0, 1, (1, 1, K, K)), R * R, axis=0)
    return rng.uniform(0, 1, (R * R, 1, K, K))


def subpixel(icnr):
    """conv2d to R*R channels ('same' padding), then pixel_shuffle: a (2*SIZE, 2*SIZE) image."""
    features = nnref.conv2d(np.ones((1, 1, SIZE, SIZE)), subpixel_weights(icnr), padding=1)
    return nnref.pixel_shuffle(features, R)[0, 0]


def subpixel_taps():
    """Kernel taps per output pixel of the sub-pixel layer: each pixel is one output of one K x K sub-kernel."""
    ones = nnref.conv2d(np.ones((1, 1, SIZE, SIZE)), np.ones((R * R, 1, K, K)), padding=1)
    return nnref.pixel_shuffle(ones, R)[0, 0]


def checkerboards():
    inner = (slice(2, -2), slice(2, -2))  # away from the border, where the zero padding darkens every method
    taps_t, taps_s = transposed()[inner], subpixel_taps()[inner]
    panels = [(f"transposed conv, k=3, s=2\ntaps per pixel: {', '.join(map(str, np.unique(taps_t).astype(int)))}",
               transposed()),
              (f"sub-pixel conv, random init\ntaps per pixel: {', '.join(map(str, np.unique(taps_s).astype(int)))}",
               subpixel(icnr=False)),
              ("sub-pixel conv, ICNR init\nthe same taps, equal sub-kernels", subpixel(icnr=True))]
    fig, axes = plt.subplots(1, 3, figsize=(9.6, 3.5), layout="constrained")
    for ax, (title, img) in zip(axes, panels):
        im = ax.imshow(img[inner] / img[inner].mean(), cmap="gray", vmin=0.4, vmax=1.8)
        ax.set_title(title, fontsize=9)
        ax.set_axis_off()
    fig.colorbar(im, ax=axes, shrink=0.8, label="output / its mean, on a constant input")
    return fig


def figures():
    yield "checkerboards", checkerboards()
