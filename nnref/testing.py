r"""Checking a backward pass: [`gradcheck`][nnref.testing.gradcheck] compares it with finite differences.

Every backward pass in nnref is tested this way (and against PyTorch), and a reader who
writes their own backward, say for an exercise, can check it in one call. The convention it
checks, a backward returning one gradient per array argument, is on the
[Conventions](../conventions.md#backward-functions) page, with
[examples of a check](../conventions.md#checking-a-backward-you-write).
"""

import inspect

import numpy as np

from . import _validation as v

__all__ = ["gradcheck"]


def gradcheck(f, f_backward, *args, eps=1e-6, rtol=1e-6, atol=1e-8, wrt=None, seed=0, **kwargs):
    r"""Check ``f_backward`` against central differences of ``f``; return True or raise ``AssertionError``.

    Concept page: [The linear layer: exercises, where you write a backward and check it](../concepts/linear.md#exercises).

    With a random upstream gradient $g$ (standard normal, shaped like ``f``'s output), the
    gradient of $\mathcal{L} = \sum g \odot f(x_0, x_1, \ldots)$ with respect to each checked
    argument $x_k$ is estimated entry by entry,

    $$ \frac{\partial \mathcal{L}}{\partial x_{k,m}} \approx
       \frac{\mathcal{L}(x_{k,m} + \epsilon) - \mathcal{L}(x_{k,m} - \epsilon)}{2\epsilon}, $$

    and compared with ``f_backward(g, *args, **kwargs)``: every entry must satisfy
    $|\text{backward} - \text{estimate}| \le \text{atol} + \text{rtol}\, |\text{estimate}|$.
    Contracting with a random $g$ checks the whole Jacobian at the cost of two
    calls of ``f`` per input entry (the check of CS231n and ``torch.autograd.gradcheck``).
    All arrays are copied to float64 first, so the estimate is not limited by float32.

    Parameters
    ----------
    f : callable
        The forward op, called as ``f(*args, **kwargs)``.
    f_backward : callable
        Called as ``f_backward(g, *args, **kwargs)``; returns one gradient or a tuple of
        them, one per checked argument in order (``None`` for an argument it skips), as
        nnref's ``_backward`` functions do ([Conventions](../conventions.md#backward-functions)).
    *args
        The positional arguments of ``f``. Arrays (ndarrays, lists, tuples) are the
        candidates for checking; numbers and strings are passed as they are.
    eps : float, default 1e-6
        The step $\epsilon$.
    rtol, atol : float, default 1e-6 and 1e-8
        The tolerances of the comparison.
    wrt : int or tuple of int, optional
        The positions in ``args`` of the arguments whose gradients ``f_backward``
        returns, in order; by default every array argument. Needed when some array
        arguments get no gradient, such as batch norm's running statistics.
    seed : int, default 0
        Seed of the random upstream gradient.
    **kwargs
        Keyword arguments of both ``f`` and ``f_backward``.

    Returns
    -------
    True
        When every checked gradient matches.

    Raises
    ------
    AssertionError
        Naming the first argument whose gradient does not match, the entry where it
        differs most, and both values; or if ``f_backward`` returns a gradient of the
        wrong shape or a different number of gradients than there are checked arguments.
    ValueError
        If ``wrt`` does not name positional array arguments, or ``eps`` is not positive.

    Notes
    -----
    Finite differences are exact for no function but a linear one: the estimate has a
    truncation error of order $\epsilon^2$ and a rounding error of order
    $10^{-16}/\epsilon$ relative to $\mathcal{L}$, hence the default $\epsilon = 10^{-6}$ and
    ``rtol=1e-6``. At a kink (ReLU at 0, a tie in max pooling) the two sides disagree and
    the check fails there: keep inputs away from kinks.

    Examples
    --------
    The backward of tanh passes; a wrong one is caught, with the entry where it is
    furthest off:

    >>> import numpy as np
    >>> import nnref
    >>> x = np.array([-1.5, 0.5, 2.0])
    >>> nnref.gradcheck(nnref.tanh, nnref.tanh_backward, x)
    True
    >>> def wrong_tanh_backward(grad_output, x):
    ...     return grad_output * (1 - x ** 2)  # should be 1 - tanh(x) ** 2
    >>> nnref.gradcheck(nnref.tanh, wrong_tanh_backward, x)
    Traceback (most recent call last):
        ...
    AssertionError: gradcheck: the gradient with respect to x (argument 0) is off at index (2,): backward gives -1.9213, central differences give 0.045246

    Several gradients, here of a convolution's input, weight and bias:

    >>> rng = np.random.default_rng(0)
    >>> x, w, b = rng.standard_normal((1, 2, 5, 5)), rng.standard_normal((3, 2, 3, 3)), np.zeros(3)
    >>> nnref.gradcheck(nnref.conv2d, nnref.conv2d_backward, x, w, b, stride=2, padding=1)
    True
    """
    args, wrt, eps, rtol, atol = v.gradcheck_args("gradcheck", args, wrt, eps, rtol, atol)
    g = np.random.default_rng(seed).standard_normal(np.shape(f(*args, **kwargs)))
    grads = f_backward(g, *args, **kwargs)
    grads = grads if isinstance(grads, tuple) else (grads,)
    if len(grads) != len(wrt):
        raise AssertionError(f"gradcheck: f_backward returned {len(grads)} gradients for the {len(wrt)} array "
                             f"arguments {wrt}; pass wrt= to say which arguments its gradients belong to")
    for k, grad in zip(wrt, grads):
        if grad is not None:
            _compare(grad, _central_differences(f, args, k, g, eps, kwargs), _name(f, k), rtol, atol)
    return True


def _central_differences(f, args, k, g, eps, kwargs):
    r"""$\partial \mathcal{L} / \partial x_k$ by central differences, $\mathcal{L} = \sum g \odot f(\ldots)$, one entry at a time."""
    x = args[k]  # a float64 copy of the caller's array: changed in place, then restored
    grad = np.zeros_like(x)
    for m in np.ndindex(x.shape):
        kept = x[m]
        x[m] = kept + eps
        plus = np.sum(g * f(*args, **kwargs))
        x[m] = kept - eps
        minus = np.sum(g * f(*args, **kwargs))
        x[m] = kept
        grad[m] = (plus - minus) / (2 * eps)
    return grad


def _compare(grad, expected, name, rtol, atol):
    """Raise ``AssertionError`` naming the worst entry unless ``grad`` matches ``expected`` within the tolerances."""
    grad = np.asarray(grad, dtype=np.float64)
    if grad.shape != expected.shape:
        raise AssertionError(f"gradcheck: the gradient with respect to {name} has shape {grad.shape}, "
                             f"the argument has shape {expected.shape}")
    excess = np.abs(grad - expected) - (atol + rtol * np.abs(expected))  # > 0 where it is off
    worst = tuple(int(i) for i in np.unravel_index(np.argmax(excess), excess.shape))
    if excess[worst] > 0 or not np.isfinite(grad).all():
        raise AssertionError(f"gradcheck: the gradient with respect to {name} is off at index {worst}: backward "
                             f"gives {grad[worst]:.5g}, central differences give {expected[worst]:.5g}")


def _name(f, k):
    """``"x (argument 0)"``: the name ``f``'s signature gives positional argument ``k``, and its position."""
    try:
        names = [p.name for p in inspect.signature(f).parameters.values()
                 if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):  # a callable without a signature
        names = []
    return f"{names[k]} (argument {k})" if k < len(names) else f"argument {k}"
