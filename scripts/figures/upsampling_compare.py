"""Upsampling figures: nearest, bilinear and bicubic ``nnref.interpolate`` side by side.

``modes``: a 4x4 image enlarged 7 times by each mode (``align_corners=False``), on
one grey scale, with the input's pixel grid drawn over the results.
``profile``: the output row through the centres of input row 2, as curves over the input's values,
so the steps, the straight ramps and bicubic's overshoot are plain to see.
"""

import matplotlib.pyplot as plt
import numpy as np

import nnref

IMAGE = np.array([[0.0, 0.0, 1.0, 1.0],
                  [0.0, 0.2, 1.0, 0.6],
                  [0.0, 1.0, 0.2, 0.0],
                  [1.0, 1.0, 0.0, 0.0]])  # (4, 4): sharp edges and a bright stripe
MODES = ["nearest", "bilinear", "bicubic"]
SCALE = 7  # odd: one output pixel centre falls exactly on each input pixel centre


def upsampled():
    x = IMAGE[None, None]  # (1, 1, 4, 4)
    return {m: nnref.interpolate(x, scale_factor=SCALE, mode=m, **({} if m == "nearest" else
                                 {"align_corners": False}))[0, 0] for m in MODES}  # each (28, 28)


def modes():
    results = upsampled()
    lo, hi = min(r.min() for r in results.values()), max(r.max() for r in results.values())
    fig, axes = plt.subplots(1, 4, figsize=(10, 2.9), layout="constrained")
    panels = [("input (4x4)", IMAGE), *((f"{m} ({4 * SCALE}x{4 * SCALE})", results[m]) for m in MODES)]
    for ax, (title, img) in zip(axes, panels):
        im = ax.imshow(img, cmap="gray", vmin=lo, vmax=hi, extent=(0, 4, 4, 0))
        ax.set_title(title, fontsize=9)
        ax.set(xticks=range(5), yticks=range(5))
        ax.tick_params(labelbottom=False, labelleft=False, length=0)
        ax.grid(True, color="C1", lw=0.6, alpha=0.7)
    fig.colorbar(im, ax=axes, shrink=0.85, label="value")
    return fig


def profile():
    results = upsampled()
    row = SCALE + SCALE // 2  # the output row through the centres of input row 1 (0-based)
    fig, ax = plt.subplots(figsize=(6.4, 3.0), layout="constrained")
    centres = (np.arange(4 * SCALE) + 0.5) / SCALE  # output pixel centres in input units
    for m in MODES:
        ax.plot(centres, results[m][row], lw=1.6, label=m)
    ax.plot(np.arange(4) + 0.5, IMAGE[1], "ko", label="input pixels (row 2 of 4)")
    ax.axhline(0, color="0.7", lw=0.8)
    ax.axhline(1, color="0.7", lw=0.8)
    ax.set(xlabel="position (input pixels)", ylabel="value", xlim=(0, 4))
    ax.legend(frameon=False, fontsize=8, ncols=2)
    return fig


def figures():
    yield "modes", modes()
    yield "profile", profile()
