"""Batch-norm contour figures: why standardized features make the loss bowl round.

A linear model $\\hat y = w_1 x_1 + w_2 x_2$ with a squared-error loss, on two
independent features with different scales (variances 2 and 10). The loss over
$(w_1, w_2)$ is an elongated bowl, $L(w) - L(w^*) = (w - w^*)^\\top \\Sigma (w - w^*)$,
the shape of $2 w_1^2 + 10 w_2^2$: gradient descent zig-zags across the narrow
direction. (The source notes title this plot "x_2 highly correlated"; what it shows is
features on different scales. The features here are uncorrelated.)
After standardizing each feature over the batch, $\\Sigma \\approx I$ and the contours
are circles.

Each plot also draws the path of plain gradient descent from the same offset to the
minimum, with the same learning rate ``LEARNING_RATE``: across the elongated bowl the
steep direction overshoots and the path zig-zags, on the round one it runs straight.
``steps_to_converge`` counts the steps each path needs (tests/test_pages.py checks the
numbers the batch-normalization page states).

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


LEARNING_RATE = 0.095  # just below 2 / (largest curvature) of the unscaled bowl, about 0.1
START = np.array([-2.5, 2.0])  # the paths start at w* + START
STEPS = 30


def descent(x, y, lr=LEARNING_RATE, steps=STEPS):
    """Gradient-descent iterates (steps + 1, 2) on mean((x w - y)^2), from w* + START."""
    w_star = np.linalg.lstsq(x, y, rcond=None)[0]
    w = w_star + START
    path = [w]
    for _ in range(steps):
        w = w - lr * 2 * x.T @ (x @ w - y) / len(y)  # (2,): the gradient of the mean squared error
        path.append(w)
    return np.array(path), w_star


def steps_to_converge(x, y, lr=LEARNING_RATE, tol=0.01):
    """Number of steps until the distance to the minimum is below tol times the start distance."""
    path, w_star = descent(x, y, lr, steps=1000)
    dist = np.linalg.norm(path - w_star, axis=1)  # (1001,)
    close = np.flatnonzero(dist < tol * dist[0])
    return int(close[0]) if close.size else None  # None: not within 1000 steps


def fewest_steps(x, y, tol=0.01):
    """The fewest steps to converge over 99 fixed rates up to the largest stable one."""
    rates = np.linspace(0.01, 0.99, 99) * largest_stable_rate(x)
    return min(n for n in (steps_to_converge(x, y, lr, tol) for lr in rates) if n is not None)


def largest_stable_rate(x):
    """Gradient descent on mean((x w - y)^2) diverges for rates above 1 / (largest eigenvalue of x^T x / N)."""
    return float(1 / np.linalg.eigvalsh(x.T @ x / len(x)).max())


def contour_figure(x, y, title):
    w_star = np.linalg.lstsq(x, y, rcond=None)[0]
    w1, w2 = np.meshgrid(np.linspace(-3, 3, 241), np.linspace(-3, 3, 241))
    w = np.stack([w1.ravel() + w_star[0], w2.ravel() + w_star[1]])  # (2, P)
    loss = np.mean((x @ w - y[:, None]) ** 2, axis=0).reshape(w1.shape)  # (241, 241)
    fig, ax = plt.subplots(figsize=(4.2, 4.2), layout="constrained")
    ax.contour(w1 + w_star[0], w2 + w_star[1], np.sqrt(loss), levels=12, cmap="viridis")
    path, _ = descent(x, y)
    ax.plot(path[:, 0], path[:, 1], "-o", color="C1", ms=2.5, lw=1.2,
            label=f"gradient descent, {STEPS} steps of rate {LEARNING_RATE}")
    ax.plot(*w_star, marker="*", ms=10, color="C3")
    ax.set(xlabel="$w_1$", ylabel="$w_2$", title=title, aspect="equal")
    ax.legend(loc="lower center", fontsize=7, frameon=True)
    return fig


def figures():
    x, y = data()
    yield "contours-unscaled", contour_figure(x, y, "features on different scales")
    yield "contours-standardized", contour_figure(standardize(x), y - y.mean(), "standardized features")
