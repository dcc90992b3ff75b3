r"""Activation functions, their derivatives and their backward passes.

An activation $g$ is applied elementwise to a layer's pre-activation $z$:
$a = g(z)$. Each function ``f`` here comes with

* ``f_derivative(x)``: the pointwise derivative $g'(x)$, same shape and dtype as ``x``;
* ``f_backward(grad_output, x, ...)``: the vector-Jacobian product
  $\partial L / \partial x = \partial L / \partial y \odot g'(x)$.

At a kink the derivative takes the value PyTorch's autograd uses, stated in
each docstring.
"""

import numpy as np

from . import _validation as v

__all__ = [
    "relu",
    "relu_derivative",
    "relu_backward",
]


def _elementwise_backward(fn, grad_output, x, derivative):
    """Shared body of the elementwise backward passes: ``grad_output * g'(x)``."""
    x = v.as_float_array(x, fn)
    g = v.grad_output(grad_output, x.shape, fn)
    return (g * derivative(x)).astype(np.result_type(g, x), copy=False)


def relu(x):
    r"""Rectified linear unit.

    $$ \operatorname{relu}(x) = \max(0, x) $$

    Parameters
    ----------
    x : (*) array_like
        Input of any shape.

    Returns
    -------
    y : (*) ndarray
        Same shape as ``x``; same dtype for floating input, float64 otherwise.

    Raises
    ------
    TypeError
        If ``x`` is not a real numeric array.

    See Also
    --------
    relu_derivative : $\operatorname{relu}'(x)$.
    relu_backward : gradient with respect to ``x``.
    leaky_relu : keeps a small slope for $x < 0$.

    Notes
    -----
    $\operatorname{relu}'(x) = 1$ for $x > 0$ and $0$ for $x \le 0$: at the kink
    $x = 0$ the derivative is taken as 0, as in PyTorch.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.relu(np.array([-2.0, -0.5, 0.0, 1.5]))
    array([0. , 0. , 0. , 1.5])
    """
    x = v.as_float_array(x, "relu")
    return np.maximum(x, 0).astype(x.dtype, copy=False)


def relu_derivative(x):
    r"""Derivative of :func:`relu`: 1 where $x > 0$, else 0 (also at $x = 0$, as PyTorch).

    $$ \operatorname{relu}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases} $$

    Parameters
    ----------
    x : (*) array_like

    Returns
    -------
    d : (*) ndarray
        Same shape and floating dtype as :func:`relu` would return.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.relu_derivative(np.array([-1.0, 0.0, 2.0]))
    array([0., 0., 1.])
    """
    x = v.as_float_array(x, "relu_derivative")
    return (x > 0).astype(x.dtype)


def relu_backward(grad_output, x):
    r"""Gradient of :func:`relu` with respect to ``x``.

    $$ \frac{\partial L}{\partial x} = \frac{\partial L}{\partial y} \odot \mathbb{1}[x > 0] $$

    Parameters
    ----------
    grad_output : (*) array_like
        $\partial L / \partial y$, the shape of ``x``.
    x : (*) array_like
        The forward input.

    Returns
    -------
    grad_input : (*) ndarray

    Raises
    ------
    ValueError
        If ``grad_output`` does not have the shape of ``x``.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.relu_backward(np.ones(3), np.array([-1.0, 0.0, 2.0]))
    array([0., 0., 1.])
    """
    return _elementwise_backward("relu_backward", grad_output, x, relu_derivative)
