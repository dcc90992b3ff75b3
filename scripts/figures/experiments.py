"""Experiment figures: small, seeded runs of nnref's forward and backward passes.

The experiments live in scripts/experiments/ (tests/test_visual.py runs them too);
this family only plots their results:

``vanishing-gradient``: first-layer gradient norm vs depth for four activations.
``dying-relu``: fraction of dead units vs a negative bias shift, relu vs leaky_relu.
``batchnorm-histograms``: per-layer tanh activations of a deep stack, with and without batch norm.
``one-conv-loss`` and ``one-conv-filters``: the one-conv-layer network's training loss and
its learned filters, with examples of the two classes.
"""

import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "experiments"))
import batchnorm_depth  # noqa: E402
import dying_relu  # noqa: E402
import train_one_conv  # noqa: E402
import vanishing_gradient  # noqa: E402

STYLE = {"sigmoid": ("C3", "-"), "tanh": ("C1", "-"), "relu": ("C0", "-"), "leaky_relu": ("C2", "--")}


def vanishing():
    norms = vanishing_gradient.run()
    depths = np.arange(1, len(norms["relu"]) + 1)
    fig, ax = plt.subplots(figsize=(5.6, 3.4), layout="constrained")
    for name, values in norms.items():
        color, ls = STYLE[name]
        ax.semilogy(depths, values, color=color, ls=ls, lw=1.8, marker="o", ms=3, label=name)
    ax.set(xlabel="number of layers", ylabel=r"$\|\partial\mathcal{L} / \partial w^{[1]}\|$ (log scale)")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(frameon=False)
    return fig


def dying():
    shifts, fractions = dying_relu.run()
    fig, ax = plt.subplots(figsize=(5.6, 3.2), layout="constrained")
    for name, values in fractions.items():
        color, ls = STYLE[name]
        ax.plot(shifts, values, color=color, ls=ls, lw=2, label=name)
    ax.set(xlabel="shift subtracted from every bias", ylabel="fraction of dead units", ylim=(-0.03, 1.03))
    ax.grid(True, alpha=0.3)
    ax.legend(frameon=False, loc="upper left")
    return fig


def histograms():
    runs = [(batchnorm_depth.activations(False), "without batch norm"),
            (batchnorm_depth.activations(True), "with batch norm")]
    depth = len(runs[0][0])
    fig, axes = plt.subplots(2, depth, figsize=(10, 3.6), sharex=True, sharey="row", layout="constrained")
    bins = np.linspace(-1, 1, 41)
    for row, (layers, label) in zip(axes, runs):
        for i, (ax, h) in enumerate(zip(row, layers)):
            ax.hist(h.ravel(), bins=bins, color="C0" if "with " in label else "C3", density=True)
            ax.set_title(f"layer {i + 1}", fontsize=8)
            ax.set(yticks=[], xticks=[-1, 0, 1])
            ax.tick_params(labelsize=7)
        row[0].set_ylabel(label, fontsize=8)
    fig.supxlabel("tanh activation", fontsize=9)
    return fig


def one_conv():
    params, losses = train_one_conv.train()
    loss_fig, ax = plt.subplots(figsize=(5.6, 3.2), layout="constrained")
    ax.semilogy(losses, color="C0", lw=1.6)
    ax.axhline(train_one_conv.LOSS_TARGET, color="0.5", ls=":", lw=1)
    ax.annotate(f"stated bound {train_one_conv.LOSS_TARGET}", (0.98, train_one_conv.LOSS_TARGET),
                xycoords=("axes fraction", "data"), ha="right", va="bottom", fontsize=8, color="0.35")
    ax.set(xlabel="gradient-descent step", ylabel="training loss (log scale)")
    ax.grid(True, which="both", alpha=0.25)

    images, labels = train_one_conv.bars(20, seed=5)
    first = [int(np.argmax(labels == c)) for c in (0, 1)]  # one image of each class
    images, labels = images[first], labels[first]
    filt_fig, axes = plt.subplots(1, 2 + train_one_conv.FILTERS, figsize=(9, 2.3), layout="constrained")
    for ax, image, label in zip(axes[:2], images[:, 0], labels):
        ax.imshow(image, cmap="gray", vmin=-0.6, vmax=1.4)
        ax.set_title(f"input: {'horizontal' if label == 0 else 'vertical'}", fontsize=8)
    w = params["w_h"][:, 0]  # (C_out, k, k)
    lim = np.abs(w).max()
    for i, (ax, kernel) in enumerate(zip(axes[2:], w)):
        ax.imshow(kernel, cmap="RdBu_r", vmin=-lim, vmax=lim)
        ax.set_title(f"learned filter {i + 1}", fontsize=8)
    for ax in axes:
        ax.set(xticks=[], yticks=[])
    return loss_fig, filt_fig


def figures():
    yield "vanishing-gradient", vanishing()
    yield "dying-relu", dying()
    yield "batchnorm-histograms", histograms()
    loss_fig, filt_fig = one_conv()
    yield "one-conv-loss", loss_fig
    yield "one-conv-filters", filt_fig
