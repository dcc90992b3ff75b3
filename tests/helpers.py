"""Shared test helpers: a central-difference gradient check and a PyTorch oracle."""

import numpy as np


def numerical_vjp(f, args, i, grad_output, eps=1e-6):
    """Central-difference gradient of ``sum(f(*args) * grad_output)`` with respect to ``args[i]``.

    Contracting with a random ``grad_output`` checks the whole Jacobian at the cost
    of two forward calls per input element (the CS231n check). Computed in float64.
    """
    x = np.array(args[i], dtype=np.float64)
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    call_args = list(args)
    call_args[i] = x
    for j in range(flat.size):
        old = flat[j]
        flat[j] = old + eps
        plus = np.sum(f(*call_args) * grad_output)
        flat[j] = old - eps
        minus = np.sum(f(*call_args) * grad_output)
        flat[j] = old
        gflat[j] = (plus - minus) / (2 * eps)
    return grad


def check_backward(forward, backward, args, argnums=(0,), seed=0, rtol=1e-6, atol=1e-8, eps=1e-6):
    """Assert that ``backward(grad_output, *args)`` matches central differences of ``forward``.

    ``forward`` and ``backward`` take the same positional ``args`` (bind keywords
    with a lambda). ``argnums`` says which args are differentiable; ``backward``
    returns one array when there is one, a tuple otherwise.
    """
    args = [np.asarray(a, dtype=np.float64) if a is not None else None for a in args]
    y = forward(*args)
    g = np.random.default_rng(seed).standard_normal(np.shape(y))
    grads = backward(g, *args)
    if not isinstance(grads, tuple):
        grads = (grads,)
    assert len(grads) >= len(argnums)
    for grad, i in zip(grads, argnums):
        expected = numerical_vjp(forward, args, i, g, eps)
        assert grad.shape == np.shape(args[i])
        np.testing.assert_allclose(grad, expected, rtol=rtol, atol=atol, err_msg=f"argument {i}")


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
