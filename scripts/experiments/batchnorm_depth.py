"""Batch norm in a deep stack: per-layer activation histograms with and without it.

Six fully connected tanh layers of width 128 on 1000 standard-normal inputs, with the
weights drawn carelessly from $\\mathcal N(0, 1)$ (no $1/\\sqrt{n}$ scaling). Without
normalization the pre-activations have a standard deviation near $\\sqrt{128} \\approx 11$
and tanh saturates: almost every activation is $\\pm 1$, where its gradient is nearly 0.
With ``nnref.batch_norm`` (training mode, no affine parameters) between each linear
layer and its tanh, every layer's pre-activations are standardized and the
activations stay spread over $(-1, 1)$.
"""

import numpy as np

import nnref


def activations(use_batch_norm, depth=6, width=128, batch=1000, seed=0):
    """List of each layer's tanh outputs, ``depth`` arrays of shape (batch, width)."""
    rng = np.random.default_rng(seed)
    h = rng.normal(size=(batch, width))  # (N, C)
    weights = [rng.normal(size=(width, width)) for _ in range(depth)]  # same draws with and without
    layers = []
    for w in weights:
        z = nnref.linear(h, w)  # (N, C)
        if use_batch_norm:
            z = nnref.batch_norm(z, None, None, training=True)  # (N, C): per unit over the batch
        h = nnref.tanh(z)
        layers.append(h)
    return layers


def saturated_fraction(layer, threshold=0.99):
    """Fraction of activations with $|h| > 0.99$ (tanh's gradient there is below 0.02)."""
    return float(np.mean(np.abs(layer) > threshold))
