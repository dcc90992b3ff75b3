"""Activation figures: each elementwise activation and its derivative, from nnref itself.

One figure per function, docs/figures/activations/<fn>.svg, showing ``nnref.<fn>``
and ``nnref.<fn>_derivative`` over $x \\in [-4, 4]$ with their default parameters.
A function not in nnref yet is skipped with a notice, so the site builds before it lands.

Three functions need more than one curve: ``prelu-rrelu`` draws ``nnref.prelu`` (with
``weight`` 0.25, PyTorch's initial value) and ``nnref.rrelu`` in evaluation mode, with a
seeded cloud of ``nnref.rrelu`` training outputs; ``bipolar_relu`` draws an even and an odd
unit of ``nnref.bipolar_relu`` (units on axis 1) with ``nnref.bipolar_relu_derivative``.
"""

import matplotlib.pyplot as plt
import numpy as np

import nnref

FUNCTIONS = [
    "identity", "relu", "leaky_relu", "sigmoid", "tanh", "arctan", "binary_step", "elu",
    "selu", "gelu", "softsign", "softplus", "isru", "isrlu", "sqnl", "silu", "mish", "hardtanh",
]


JUMP = 0.1  # a step larger than this between grid neighbours is a discontinuity, not a slope


def curve(ax, x, y, **style):
    """Plot y(x) without joining the two sides of a jump. At a jump, a filled dot marks the
    value taken at the kink (the convention PyTorch's autograd uses) and an open circle the
    limit from the other side. Kinks sit on multiples of 1/2, which the grid contains."""
    jumps = np.flatnonzero(np.abs(np.diff(y)) > JUMP)
    ax.plot(np.insert(x, jumps + 1, np.nan), np.insert(y, jumps + 1, np.nan), **style)
    for i in jumps:
        off_half = np.abs(x[[i, i + 1]] * 2 - np.round(x[[i, i + 1]] * 2))
        k, other = (i, i + 1) if off_half[0] <= off_half[1] else (i + 1, i)
        ax.plot(x[k], y[k], "o", color=style["color"], ms=4.5, zorder=3)
        ax.plot(x[k], y[other], "o", mfc="white", mec=style["color"], ms=4.5, zorder=3)


def plot(name, x):
    f, df = getattr(nnref, name), getattr(nnref, f"{name}_derivative")
    fig, ax = plt.subplots(figsize=(5.6, 3.2), layout="constrained")
    ax.axhline(0, color="0.6", lw=0.8)
    ax.axvline(0, color="0.6", lw=0.8)
    curve(ax, x, f(x), lw=2, color="C0", label=f"{name}(x)")
    curve(ax, x, df(x), lw=1.6, ls="--", color="C1", label=f"{name}'(x)")
    ax.set(xlim=(x[0], x[-1]), xlabel="x")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left", frameon=False)
    return fig


def prelu_rrelu(x):
    fig, ax = plt.subplots(figsize=(5.6, 3.2), layout="constrained")
    ax.axhline(0, color="0.6", lw=0.8)
    ax.axvline(0, color="0.6", lw=0.8)
    train_x = np.random.default_rng(0).uniform(x[0], 0.0, 150)  # negative inputs only
    ax.plot(train_x, nnref.rrelu(train_x, training=True, rng=1), ".", ms=3, color="C2", alpha=0.7,
            label="rrelu(x), training (random slopes)")
    ax.plot(x, nnref.prelu(x, np.array([0.25])), lw=2, color="C0", label="prelu(x), weight 0.25")
    ax.plot(x, nnref.rrelu(x), lw=1.6, ls="--", color="C1", label="rrelu(x), evaluation")
    ax.set(xlim=(x[0], x[-1]), xlabel="x")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    return fig


def bipolar(x):
    units = np.stack([x, x], axis=1)  # (points, 2): unit 0 is even, unit 1 odd
    y, dy = nnref.bipolar_relu(units), nnref.bipolar_relu_derivative(units)
    fig, axes = plt.subplots(1, 2, figsize=(7.2, 3.0), sharey=True, layout="constrained")
    for unit, ax, title in zip((0, 1), axes, ("even unit: max(0, x)", "odd unit: min(0, x)")):
        ax.axhline(0, color="0.6", lw=0.8)
        ax.axvline(0, color="0.6", lw=0.8)
        curve(ax, x, y[:, unit], lw=2, color="C0", label="bipolar_relu")
        curve(ax, x, dy[:, unit], lw=1.6, ls="--", color="C1", label="derivative")
        ax.set(xlim=(x[0], x[-1]), xlabel="x", title=title)
        ax.grid(True, alpha=0.3)
    axes[0].legend(loc="upper left", frameon=False, fontsize=8)
    return fig


def figures():
    # An odd count puts x = 0 on the grid, so kinks and jumps are drawn where they are.
    x = np.linspace(-4.0, 4.0, 801)
    missing = [n for n in FUNCTIONS if not hasattr(nnref, n) or not hasattr(nnref, f"{n}_derivative")]
    if missing:
        print(f"figures: skipping activations/<fn>.svg for {', '.join(missing)}: "
              "nnref.<fn> or nnref.<fn>_derivative does not exist yet")
    for name in FUNCTIONS:
        if name not in missing:
            yield name, plot(name, x)
    yield "prelu-rrelu", prelu_rrelu(x)
    yield "bipolar_relu", bipolar(x)
