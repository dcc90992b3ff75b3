"""Benchmark cases for nnref.normalization on a (16, 64, 32, 32) float32 input."""

import numpy as np

import nnref
from bench import Case

SHAPE = (16, 64, 32, 32)
C = SHAPE[1]
GROUPS = 8


def _torch_pair(torch, forward, tx, params, g):
    """A forward case (on detached tensors) and a backward case (autograd through one saved graph)."""
    y = forward(tx, *params)
    tg = torch.from_numpy(g)
    detached = [p.detach() for p in params]
    return ((lambda: forward(tx.detach(), *detached)),
            (lambda: torch.autograd.grad(y, (tx, *params), tg, retain_graph=True)))


def cases(torch):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(SHAPE, dtype=np.float32)
    g = rng.standard_normal(SHAPE, dtype=np.float32)
    weight, bias = np.ones(C, np.float32), np.zeros(C, np.float32)
    mean, var = np.zeros(C, np.float32), np.ones(C, np.float32)
    ours = {
        "batch_norm (training)": (lambda: nnref.batch_norm(x, mean, var, weight, bias, training=True),
                                  lambda: nnref.batch_norm_backward(g, x, mean, var, weight, bias, training=True)),
        "layer_norm (C, H, W)": (lambda: nnref.layer_norm(x, SHAPE[1:]),
                                 lambda: nnref.layer_norm_backward(g, x, SHAPE[1:])),
        f"group_norm ({GROUPS} groups)": (lambda: nnref.group_norm(x, GROUPS, weight, bias),
                                         lambda: nnref.group_norm_backward(g, x, GROUPS, weight, bias)),
    }
    theirs = dict.fromkeys(ours, (None, None))
    if torch:
        F = torch.nn.functional
        tx = torch.from_numpy(x).requires_grad_()
        tw, tb = torch.ones(C, requires_grad=True), torch.zeros(C, requires_grad=True)
        tmean, tvar = torch.zeros(C), torch.ones(C)
        theirs = {
            "batch_norm (training)": _torch_pair(
                torch, lambda x, w, b: F.batch_norm(x, tmean, tvar, w, b, training=True), tx, (tw, tb), g),
            "layer_norm (C, H, W)": _torch_pair(torch, lambda x: F.layer_norm(x, SHAPE[1:]), tx, (), g),
            f"group_norm ({GROUPS} groups)": _torch_pair(
                torch, lambda x, w, b: F.group_norm(x, GROUPS, w, b), tx, (tw, tb), g),
        }
    out = []
    for name, (forward, backward) in ours.items():
        out.append(Case(name, str(SHAPE), forward, theirs[name][0]))
        out.append(Case(name.replace(" ", "_backward ", 1), str(SHAPE), backward, theirs[name][1]))
    return out
