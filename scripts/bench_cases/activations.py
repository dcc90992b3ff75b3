"""Benchmark cases for nnref.activations (2M-element float32 inputs)."""

import numpy as np

import nnref
from bench import Case

SHAPE = (2, 1024, 1024)


def _naive_relu(x):
    return np.array([max(0.0, float(v)) for v in x.ravel()]).reshape(x.shape)


def cases(torch):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(SHAPE, dtype=np.float32)
    g = rng.standard_normal(SHAPE, dtype=np.float32)
    small = x[0, :64]
    out = []
    tx = torch.from_numpy(x).requires_grad_() if torch else None
    if torch:
        ty = torch.nn.functional.relu(tx)
        tg = torch.from_numpy(g)
    out.append(Case("relu", str(SHAPE), lambda: nnref.relu(x),
                    (lambda: torch.nn.functional.relu(tx.detach())) if torch else None,
                    lambda: _naive_relu(small), lambda: nnref.relu(small)))
    out.append(Case("relu_backward", str(SHAPE), lambda: nnref.relu_backward(g, x),
                    (lambda: torch.autograd.grad(ty, tx, tg, retain_graph=True)) if torch else None))
    return out
