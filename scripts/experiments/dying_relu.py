"""Dying ReLU: units whose pre-activation is negative for every input stop learning.

One layer of 256 units, $z = W x + b - \\text{shift}$, on a batch of 512 standard-normal
inputs with 32 features, $W \\sim \\mathcal N(0, 1/32)$ and $b \\sim \\mathcal N(0, 0.5^2)$.
Pushing every bias down by ``shift`` (as one large gradient step on the biases can)
moves the pre-activations below zero. A unit is *dead* when nnref's backward pass
(``<activation>_backward`` then ``linear_backward``) gives its weights and bias a
zero gradient for the whole batch: nothing can bring it back.
"""

import numpy as np

import nnref


def layer(seed=0, batch=512, features=32, units=256):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, features))  # (N, C_in)
    w = rng.normal(scale=1 / np.sqrt(features), size=(units, features))  # (C_out, C_in)
    b = rng.normal(scale=0.5, size=units)  # (C_out,)
    return x, w, b


def dead_fraction(activation, shift, seed=0):
    """Fraction of units with an all-zero weight and bias gradient over the batch."""
    x, w, b = layer(seed)
    z = nnref.linear(x, w, b - shift)  # (N, C_out)
    grad_z = getattr(nnref, f"{activation}_backward")(np.ones_like(z), z)  # (N, C_out): upstream gradient of ones
    _, grad_w, grad_b = nnref.linear_backward(grad_z, x, w, b - shift)
    dead = np.all(grad_w == 0, axis=1) & (grad_b == 0)  # (C_out,)
    return float(dead.mean())


def run(shifts=np.linspace(0.0, 5.0, 41)):
    """``(shifts, {activation: dead fractions})`` for relu and leaky_relu."""
    return shifts, {a: np.array([dead_fraction(a, s) for s in shifts]) for a in ("relu", "leaky_relu")}
