r"""Fully connected (linear) layers and the flatten step that feeds them.

A linear layer computes, for each example, $y = w x + b$: output unit $o$ is
$y_o = \sum_c w_{o,c} x_c + b_o$. Written for a batch of examples stored as rows
of ``x``, this is ``y = x @ w.T + b``, PyTorch's ``torch.nn.functional.linear``.
[`flatten`][nnref.linear.flatten] turns the ``(N, C, H, W)`` feature maps of a
convolutional network into the ``(N, C*H*W)`` rows a linear layer expects. Letters,
dtypes and errors follow [Conventions](../conventions.md#shapes-and-letters).
"""

import math

import numpy as np

from . import _validation as v

__all__ = ["linear", "linear_backward", "flatten", "flatten_backward"]


def linear(x, weight, bias=None):
    r"""Fully connected layer: an affine map of the last dimension.

    Concept page: [The linear layer](../concepts/linear.md#one-unit-one-layer-one-batch).

    $$ y_{n,o} = \sum_{c} x_{n,c}\, w_{o,c} + b_o, \qquad y = x w^\top + b $$

    Each row $x_n$ is one example's input vector (the previous layer's output)
    and each row $y_n$ the layer's pre-activation $w x_n + b$, the course
    notes' layer formula applied to a batch. Letters: $N$ examples (any number
    of leading axes, written ``*``), $C_{in}$ = in_features, $C_{out}$ = out_features.

    Parameters
    ----------
    x : (*, C_in) array_like
        Inputs, features last; a 1-D ``x`` is a single example.
    weight : (C_out, C_in) array_like
        $w$, one row per output unit (PyTorch's layout).
    bias : (C_out,) array_like or None, default None
        $b$; None means no bias.

    Returns
    -------
    y : (*, C_out) ndarray
        In the common floating dtype of the inputs (float64 for integers).

    Raises
    ------
    TypeError
        If an input is not a real numeric array.
    ValueError
        If ``weight`` is not 2-D, the last dimension of ``x`` is not
        in_features, or ``bias`` does not have shape ``(C_out,)``.

    See Also
    --------
    linear_backward : gradients of this op.
    flatten : turns feature maps into the rows this layer takes.

    Notes
    -----
    Backward, with $g = \partial\mathcal{L}/\partial y$ and the leading axes of ``x``
    and $g$ flattened into rows:
    $\partial\mathcal{L}/\partial x = g w$, $\partial\mathcal{L}/\partial w = g^\top x$,
    $\partial\mathcal{L}/\partial b = \sum_n g_n$.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> x = np.array([[1.0, 2.0, 3.0], [0.0, 1.0, 0.0]])  # N=2 examples, C_in=3
    >>> w = np.array([[1.0, 0.0, -1.0], [0.5, 0.5, 0.5]])  # C_out=2 units
    >>> nnref.linear(x, w, bias=np.array([10.0, 0.0]))
    array([[ 8. ,  3. ],
           [10. ,  0.5]])
    """
    x, weight, bias = v.linear_args("linear", x, weight, bias)
    y = x @ weight.T  # (*, C_out)
    if bias is not None:
        y += bias
    return y


def linear_backward(grad_output, x, weight, bias=None):
    r"""Gradients of [`linear`][nnref.linear.linear] with respect to ``x``, ``weight`` and ``bias``.

    Concept page: [The linear layer: backward rules](../concepts/linear.md#backward-rules).

    $$ \frac{\partial\mathcal{L}}{\partial x} = g\, w, \qquad
       \frac{\partial\mathcal{L}}{\partial w_{o,c}} = \sum_n g_{n,o}\, x_{n,c}, \qquad
       \frac{\partial\mathcal{L}}{\partial b_o} = \sum_n g_{n,o} $$

    with $g = \partial\mathcal{L}/\partial y$; the sums over $n$ run over every leading
    axis of ``x``.

    Parameters
    ----------
    grad_output : (*, C_out) array_like
        $g$, the shape of [`linear`][nnref.linear.linear]'s output.
    x : (*, C_in) array_like
    weight : (C_out, C_in) array_like
    bias : (C_out,) array_like or None, default None

    Returns
    -------
    grad_input : (*, C_in) ndarray
    grad_weight : (C_out, C_in) ndarray
    grad_bias : (C_out,) ndarray or None
        None when ``bias`` is None.

    Raises
    ------
    TypeError, ValueError
        As :func:`linear`, and if ``grad_output`` does not have the output's shape.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> x = np.array([[1.0, 2.0, 3.0], [0.0, 1.0, 0.0]])
    >>> w = np.array([[1.0, 0.0, -1.0], [0.5, 0.5, 0.5]])
    >>> gx, gw, gb = nnref.linear_backward(np.ones((2, 2)), x, w, np.zeros(2))
    >>> gx
    array([[ 1.5,  0.5, -0.5],
           [ 1.5,  0.5, -0.5]])
    >>> gw
    array([[1., 3., 3.],
           [1., 3., 3.]])
    >>> gb
    array([2., 2.])
    """
    fn = "linear_backward"
    x, weight, bias = v.linear_args(fn, x, weight, bias)
    g = v.grad_output(grad_output, x.shape[:-1] + weight.shape[:1], fn)
    g = g.astype(np.result_type(g, x), copy=False)
    grad_input = g @ weight  # (*, C_in): g w
    rows_g = g.reshape(-1, weight.shape[0])  # (N, C_out), N = product of the leading axes
    rows_x = x.reshape(-1, weight.shape[1])  # (N, C_in)
    grad_weight = rows_g.T @ rows_x  # (C_out, C_in): g^T x
    grad_bias = None if bias is None else rows_g.sum(axis=0)  # (C_out,)
    return grad_input.astype(g.dtype, copy=False), grad_weight.astype(g.dtype, copy=False), grad_bias


def _flat_shape(shape, start, end):
    """``shape`` with the axes ``start`` to ``end`` (both included) merged into one; a 0-D shape counts as (1,)."""
    shape = tuple(shape) or (1,)
    return shape[:start] + (math.prod(shape[start:end + 1]),) + shape[end + 1:]


def flatten(x, start_dim=1, end_dim=-1):
    r"""Merge the axes ``start_dim`` .. ``end_dim`` of ``x`` into one.

    Concept page: [The linear layer: flatten](../concepts/linear.md#flatten-from-feature-maps-to-a-feature-vector).

    $$ (N, C, H, W) \;\longrightarrow\; (N,\; C \cdot H \cdot W) \quad
       \text{(defaults: start_dim = 1, end_dim = -1)} $$

    The bridge between the convolutional part of a network, whose activations
    are ``(N, C, H, W)`` feature maps, and a :func:`linear` layer, which wants
    one feature vector per example. Element order is row-major (C order):
    channel by channel, and within a channel row by row, as in PyTorch.

    Parameters
    ----------
    x : (N, *) array_like
    start_dim : int, default 1
        First axis to merge (negative counts from the end).
    end_dim : int, default -1
        Last axis to merge (inclusive).

    Returns
    -------
    y : ndarray
        ``x.shape[:start_dim] + (product of the merged sizes,) + x.shape[end_dim + 1:]``.
        A view of ``x`` when NumPy can make one (as ``torch.flatten`` returns a
        view), so writing into ``y`` would write into ``x``.

    Raises
    ------
    TypeError
        If ``x`` is not a real numeric array or a dim is not an integer.
    ValueError
        If a dim is out of range or ``start_dim`` comes after ``end_dim``.

    See Also
    --------
    flatten_backward : reshapes the gradient back.
    linear : the layer that usually follows.

    Notes
    -----
    The defaults are those of ``torch.nn.Flatten`` (keep the batch axis);
    ``torch.flatten`` itself defaults to ``start_dim=0``. Backward is the
    inverse reshape: $\partial\mathcal{L}/\partial x$ = ``grad_output.reshape(x.shape)``.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> x = np.arange(12.0).reshape(1, 3, 2, 2)  # N=1, C=3, H=W=2
    >>> nnref.flatten(x)
    array([[ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11.]])
    >>> nnref.flatten(x, start_dim=2).shape
    (1, 3, 4)
    """
    x = v.as_float_array(x, "flatten")
    start, end = v.flatten_dims("flatten", x.ndim, start_dim, end_dim)
    return x.reshape(_flat_shape(x.shape, start, end))


def flatten_backward(grad_output, x, start_dim=1, end_dim=-1):
    r"""Gradient of :func:`flatten`: ``grad_output`` reshaped to the shape of ``x``.

    Concept page: [The linear layer: the backward rule of flatten](../concepts/linear.md#backward-rule-of-flatten).

    $$ \frac{\partial\mathcal{L}}{\partial x} =
       \operatorname{reshape}\Bigl(\frac{\partial\mathcal{L}}{\partial y},\ \text{shape of } x\Bigr) $$

    Parameters
    ----------
    grad_output : array_like
        The shape of :func:`flatten`'s output.
    x : (N, *) array_like
        The forward input (only its shape and dtype are used).
    start_dim, end_dim : int
        As given to :func:`flatten`.

    Returns
    -------
    grad_input : ndarray
        The shape of ``x``.

    Raises
    ------
    ValueError
        If ``grad_output`` does not have the forward output's shape, or as :func:`flatten`.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> x = np.zeros((1, 2, 2, 2))
    >>> nnref.flatten_backward(np.arange(8.0).reshape(1, 8), x)[0, 1]
    array([[4., 5.],
           [6., 7.]])
    """
    fn = "flatten_backward"
    x = v.as_float_array(x, fn)
    start, end = v.flatten_dims(fn, x.ndim, start_dim, end_dim)
    g = v.grad_output(grad_output, _flat_shape(x.shape, start, end), fn)
    return g.reshape(x.shape).astype(np.result_type(g, x), copy=False)

