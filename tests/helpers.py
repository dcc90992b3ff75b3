"""Shared test helpers: the gradient check (nnref.gradcheck, as the suite calls it), a PyTorch oracle,
and the import of a repository file by its path."""

import importlib.util
from pathlib import Path

import numpy as np

import nnref
from nnref.testing import _central_differences


ROOT = Path(__file__).resolve().parents[1]


def load_script(path):
    """Import the Python file at ``path``: scripts/, hooks/ and conftest.py are files, not packages."""
    spec = importlib.util.spec_from_file_location("_".join(path.relative_to(ROOT).with_suffix("").parts), path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check_backward(forward, backward, args, argnums=(0,), seed=0, rtol=1e-6, atol=1e-8, eps=1e-6):
    """Assert that ``backward(grad_output, *args)`` matches central differences of ``forward``: ``nnref.gradcheck``.

    ``forward`` and ``backward`` take the same positional ``args`` (bind keywords
    with a lambda). ``argnums`` says which args are differentiable; ``backward``
    returns one array when there is one, a tuple otherwise, and only its first
    ``len(argnums)`` gradients are checked.
    """
    def first_grads(g, *a):
        grads = backward(g, *a)
        return grads[:len(argnums)] if isinstance(grads, tuple) else grads

    assert nnref.gradcheck(forward, first_grads, *args, wrt=argnums, seed=seed, rtol=rtol, atol=atol, eps=eps)


def numerical_vjp(f, args, i, grad_output, eps=1e-6):
    """Central-difference gradient of ``sum(f(*args) * grad_output)`` with respect to ``args[i]``: the estimate
    that nnref.gradcheck compares with, for a test that supplies its own ``grad_output``."""
    args = [np.array(a, dtype=np.float64) for a in args]
    return _central_differences(f, args, i, np.asarray(grad_output, dtype=np.float64), eps, {})


def torch_vjp(torch_fn, args, grad_output, requires_grad):
    """Run ``torch_fn`` on float64 tensors and return ``(output, grads)`` as NumPy arrays.

    ``requires_grad`` is a tuple of booleans, one per arg; grads has one entry for
    each True (``None`` args are passed through).
    """
    import torch

    tensors = [
        None if a is None else torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=r)
        for a, r in zip(args, requires_grad)
    ]
    out = torch_fn(*tensors)
    out.backward(torch.as_tensor(np.asarray(grad_output, dtype=np.float64)))
    grads = tuple(t.grad.numpy() for t, r in zip(tensors, requires_grad) if r and t is not None)
    return out.detach().numpy(), grads


def assert_close(actual, expected, rtol=1e-10, atol=1e-12):
    """float64 parity: relative error below 1e-10 (atol guards values near zero)."""
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol)
