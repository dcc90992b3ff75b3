"""Vanishing gradients: how much gradient reaches the first layer of a deep stack.

A stack of ``depth`` fully connected layers, $h_l = g(W_l h_{l-1})$, width 64, on a
batch of 128 standard-normal inputs. A fixed random gradient (standard normal) arrives
at the last layer's output and is carried back with nnref's backward passes
(``<activation>_backward``, ``linear_backward``); we record the Frobenius norm of
the gradient with respect to the first layer's weights. Each activation gets the
weight scale PyTorch recommends for it (``torch.nn.init.calculate_gain``: 1 for
sigmoid, 5/3 for tanh, $\\sqrt 2$ for relu), $W \\sim \\mathcal N(0, \\text{gain}^2 / 64)$,
so the comparison is not won by a bad initialisation.
"""

import numpy as np

import nnref

ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky_relu"]
GAIN = {"sigmoid": 1.0, "tanh": 5.0 / 3.0, "relu": np.sqrt(2.0), "leaky_relu": np.sqrt(2.0 / (1 + 0.01**2))}


def network(activation, max_depth, width=64, batch=128, seed=0):
    """Inputs, the weights of ``max_depth`` layers, and the upstream gradient (the same for every depth).

    The network of depth ``d`` is the first ``d`` layers, so depths differ only in depth.
    """
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, width))  # (N, C)
    weights = [rng.normal(scale=GAIN[activation] / np.sqrt(width), size=(width, width)) for _ in range(max_depth)]
    grad_top = rng.normal(size=(batch, width))  # (N, C): dL/dh at the top layer's output
    return x, weights, grad_top


def first_layer_gradient_norms(activation, max_depth=24, width=64, batch=128, seed=0):
    """$\\|\\partial\\mathcal{L} / \\partial w^{[1]}\\|_F$ for stacks of 1, 2, ..., ``max_depth`` layers of ``activation``."""
    act, act_backward = getattr(nnref, activation), getattr(nnref, f"{activation}_backward")
    x, weights, grad_top = network(activation, max_depth, width, batch, seed)
    inputs, pre = [], []
    h = x
    for w in weights:  # one forward pass, keeping each layer's input and pre-activation
        inputs.append(h)
        pre.append(nnref.linear(h, w))  # (N, C)
        h = act(pre[-1])
    norms = []
    for depth in range(1, max_depth + 1):  # backward from the top of each depth's stack down to layer 1
        grad = grad_top
        for l in reversed(range(depth)):
            grad, grad_w, _ = nnref.linear_backward(act_backward(grad, pre[l]), inputs[l], weights[l])
        norms.append(float(np.linalg.norm(grad_w)))
    return np.array(norms)


def run(max_depth=24):
    """``{activation: first-layer gradient norms for depths 1 .. max_depth}``."""
    return {a: first_layer_gradient_norms(a, max_depth) for a in ACTIVATIONS}
