"""Train the one-conv-layer network on bars, with nnref's forward and backward passes only.

The network of the convolution concept page,

$$ f(x) = W^{out} \\operatorname{flatten}\\big(\\tanh(w^{h} \\star x + b^{h})\\big) + b^{out}, $$

with 4 filters of 3x3 on 8x8 single-channel images and 2 outputs (class scores). The task:
each image holds one bright bar, a full row (class 0, horizontal) or a full column
(class 1, vertical), at a random position, plus Gaussian noise. The loss is the mean
softmax cross-entropy; training is plain full-batch gradient descent.

Run as a script to print the loss curve: ``python scripts/experiments/train_one_conv.py``.
"""

import numpy as np

import nnref

SIZE, FILTERS, KERNEL, CLASSES = 8, 4, 3, 2
STEPS, LEARNING_RATE = 500, 0.12
LOSS_TARGET = 0.05  # the final training loss stays below this (tests/test_visual.py, docs/visual/experiments.md)


def bars(n, seed, noise=0.3):
    """``n`` noisy 8x8 images with one horizontal (label 0) or vertical (label 1) bar."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, CLASSES, size=n)  # (N,)
    where = rng.integers(0, SIZE, size=n)  # (N,): the bar's row or column
    rows = np.arange(SIZE)
    horizontal = rows[None, :, None] == where[:, None, None]  # (N, H, 1)
    vertical = rows[None, None, :] == where[:, None, None]  # (N, 1, W)
    images = np.where(labels[:, None, None] == 0, horizontal, vertical).astype(float)  # (N, H, W)
    images += noise * rng.normal(size=images.shape)
    return images[:, None], labels  # (N, 1, H, W), (N,)


def init(seed=0):
    """Parameters: filters (C_out, C_in, k, k), their biases, the linear layer's weight and bias."""
    rng = np.random.default_rng(seed)
    hidden = FILTERS * (SIZE - KERNEL + 1) ** 2  # C_out * H' * W' = 144 flattened hidden values
    return {
        "w_h": rng.normal(scale=1 / KERNEL, size=(FILTERS, 1, KERNEL, KERNEL)),
        "b_h": np.zeros(FILTERS),
        "w_out": rng.normal(scale=1 / np.sqrt(hidden), size=(CLASSES, hidden)),
        "b_out": np.zeros(CLASSES),
    }


def forward(params, x):
    """Class scores (N, 2) and the intermediate values backward needs."""
    z = nnref.conv2d(x, params["w_h"], params["b_h"])  # (N, C_out, 6, 6)
    a = nnref.tanh(z)
    flat = nnref.flatten(a)  # (N, C_out * 36)
    return nnref.linear(flat, params["w_out"], params["b_out"]), (z, a, flat)  # (N, 2)


def loss_and_grads(params, x, labels):
    """Mean softmax cross-entropy and its gradient with respect to every parameter."""
    scores, (z, a, flat) = forward(params, x)
    shifted = scores - scores.max(axis=1, keepdims=True)  # (N, 2): stable softmax
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    n = len(labels)
    loss = -log_p[np.arange(n), labels].mean()
    grad_scores = np.exp(log_p)  # softmax - one-hot, divided by N
    grad_scores[np.arange(n), labels] -= 1
    grad_scores /= n
    grad_flat, grad_w_out, grad_b_out = nnref.linear_backward(grad_scores, flat, params["w_out"], params["b_out"])
    grad_z = nnref.tanh_backward(nnref.flatten_backward(grad_flat, a), z)  # (N, C_out, 6, 6)
    _, grad_w_h, grad_b_h = nnref.conv2d_backward(grad_z, x, params["w_h"], params["b_h"])
    return float(loss), {"w_h": grad_w_h, "b_h": grad_b_h, "w_out": grad_w_out, "b_out": grad_b_out}


def accuracy(params, x, labels):
    scores, _ = forward(params, x)
    return float(np.mean(scores.argmax(axis=1) == labels))


def train(steps=STEPS, learning_rate=LEARNING_RATE, n_train=400, seed=0):
    """Plain gradient descent; returns the trained parameters and the loss before each step."""
    x, labels = bars(n_train, seed)
    params = init(seed)
    losses = []
    for _ in range(steps):
        loss, grads = loss_and_grads(params, x, labels)
        losses.append(loss)
        params = {k: p - learning_rate * grads[k] for k, p in params.items()}
    losses.append(loss_and_grads(params, x, labels)[0])
    return params, np.array(losses)


if __name__ == "__main__":
    params, losses = train()
    x_test, y_test = bars(1000, seed=1)
    print("loss every 10 steps:", np.round(losses[::10], 4))
    print(f"final loss {losses[-1]:.4f}, held-out accuracy {accuracy(params, x_test, y_test):.3f}")
