"""Batch-norm contour figures: why standardized features make the loss bowl round.

A linear model $\\hat y = w_1 x_1 + w_2 x_2$ with a squared-error loss, on two
independent features with different scales (variances 2 and 10). The loss over
$(w_1, w_2)$ is an elongated bowl, $L(w) - L(w^*) = (w - w^*)^\\top \\Sigma (w - w^*)$,
the shape of $2 w_1^2 + 10 w_2^2$: gradient descent zig-zags across the narrow
direction. (The source notes title this plot "x_2 highly correlated"; what it shows is
features on different scales. The features here are uncorrelated.)
After standardizing each feature over the batch, $\\Sigma \\approx I$ and the contours
are circles.

The standardization is ``nnref.batch_norm`` in training mode once it exists; until
then the plain formula $(x - \\mu) / \\sqrt{\\sigma^2 + \\epsilon}$ stands in for it.
"""

import matplotlib.pyplot as plt
import numpy as np

import nnref


def standardize(x):
    if hasattr(nnref, "batch_norm"):  # (N, C) input, batch statistics, no affine parameters
        return nnref.batch_norm(x, None, None, training=True)
    # Stand-in until nnref.batch_norm lands: the same formula, biased batch variance.
    return (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + 1e-5)


def data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(1000, 2)) * np.sqrt([2.0, 10.0])  # (N, 2): different scales
    y = x @ np.array([1.0, -0.5]) + 0.1 * rng.normal(size=1000)  # (N,)
    return x, y


def contour_figure(x, y, title):
    w_star = np.linalg.lstsq(x, y, rcond=None)[0]
    w1, w2 = np.meshgrid(np.linspace(-3, 3, 241), np.linspace(-3, 3, 241))
    w = np.stack([w1.ravel() + w_star[0], w2.ravel() + w_star[1]])  # (2, P)
    loss = np.mean((x @ w - y[:, None]) ** 2, axis=0).reshape(w1.shape)  # (241, 241)
    fig, ax = plt.subplots(figsize=(4.2, 4.2), layout="constrained")
    ax.contour(w1 + w_star[0], w2 + w_star[1], np.sqrt(loss), levels=12, cmap="viridis")
    ax.plot(*w_star, marker="*", ms=10, color="C3")
    ax.set(xlabel="$w_1$", ylabel="$w_2$", title=title, aspect="equal")
    return fig


def figures():
    x, y = data()
    yield "contours-unscaled", contour_figure(x, y, "features on different scales")
    yield "contours-standardized", contour_figure(standardize(x), y - y.mean(), "standardized features")
