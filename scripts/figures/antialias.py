"""Aliasing when shrinking, with and without ``antialias``: a zone plate downsampled 4x by ``nnref.interpolate``.

``zoneplate``: rings whose frequency grows towards the edge (128x128), then bilinear to 32x32 without
and with ``antialias=True``. Without it, the 2-tap filter reads 2 pixels of every 4 and the fine
rings fold into false coarse rings (moire); with it, the stretched filter averages every pixel
and the rings fade to grey where the 32x32 grid cannot show them.
"""

import matplotlib.pyplot as plt
import numpy as np

import nnref

N, FACTOR = 128, 4


def zone_plate(n=N):
    """cos(pi r^2 / n): the local frequency grows linearly with the radius, up to 1 cycle per 2 pixels."""
    u = np.arange(n) - n / 2
    r2 = u[:, None] ** 2 + u[None, :] ** 2
    return 0.5 + 0.5 * np.cos(np.pi * r2 / n)


def shrunk(antialias):
    x = zone_plate()[None, None]
    return nnref.interpolate(x, size=(N // FACTOR, N // FACTOR), mode="bilinear", antialias=antialias)[0, 0]


def zoneplate():
    panels = [(f"input ({N}x{N})", zone_plate()), (f"bilinear ({N // FACTOR}x{N // FACTOR})", shrunk(False)),
              ("bilinear, antialias=True", shrunk(True))]
    fig, axes = plt.subplots(1, 3, figsize=(9.6, 3.3), layout="constrained")
    for ax, (title, img) in zip(axes, panels):
        ax.imshow(img, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
        ax.set_title(title, fontsize=9)
        ax.set_axis_off()
    return fig


def figures():
    yield "zoneplate", zoneplate()
