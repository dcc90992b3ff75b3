"""Receptive field figure: which input pixels one output pixel of stacked 3x3 convolutions sees.

``receptive-field``: for stacks of 1, 2 and 3 convolutions with 3x3 kernels of ones
(stride 1, padding 1, so every map keeps the input's 11x11 size), the input gradient of
the centre pixel of the last layer's output, carried back by ``nnref.conv2d_backward``
layer by layer. The non-zero pixels are the receptive field, $(2 m + 1) \\times (2 m + 1)$
after $m$ layers; each value counts the paths from that input pixel to the output pixel.
"""

import matplotlib.pyplot as plt
import numpy as np

import nnref

SIZE, KERNEL, DEPTHS = 11, 3, (1, 2, 3)


def receptive_field(layers, size=SIZE, kernel=KERNEL):
    """Input gradient (size, size) of the centre output pixel after ``layers`` stacked convolutions."""
    w = np.ones((1, 1, kernel, kernel))  # (C_out, C_in, k, k)
    x = np.zeros((1, 1, size, size))  # (N, C, H, W): only its shape matters to the backward pass
    g = np.zeros_like(x)
    g[0, 0, size // 2, size // 2] = 1.0  # dL/dy: one output pixel
    for _ in range(layers):  # back through the last layer first; every layer keeps the size
        g = nnref.conv2d_backward(g, x, w, padding=kernel // 2)[0]
    return g[0, 0]


def figure():
    fig, axes = plt.subplots(1, len(DEPTHS), figsize=(9.6, 3.4), layout="constrained")
    for ax, m in zip(axes, DEPTHS):
        field = receptive_field(m)
        ax.imshow(np.where(field > 0, field, np.nan), cmap="viridis", vmin=0, vmax=field.max())
        for (r, c), v in np.ndenumerate(field):
            if v:
                ax.text(c, r, f"{v:g}", ha="center", va="center", fontsize=6,
                        color="white" if v < 0.5 * field.max() else "black")
        side = 2 * m + 1
        ax.set_title(f"{m} layer{'s' if m > 1 else ''} of 3x3: {side}x{side} input pixels", fontsize=9)
        ax.set(xticks=np.arange(-0.5, SIZE), yticks=np.arange(-0.5, SIZE))
        ax.tick_params(labelbottom=False, labelleft=False, length=0)
        ax.grid(True, color="0.85", lw=0.5)
    return fig


def figures():
    yield "receptive-field", figure()
