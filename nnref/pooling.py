r"""Pooling: max, min, average and adaptive pooling in 1, 2 and 3 spatial dimensions.

A pooling layer slides a window over each channel of a feature map and replaces
the window by one number: its maximum, its minimum or its mean. It shrinks the
spatial size of the feature maps (and so the cost of the layers after it); it
has no learnable parameters and leaves the number of parameters of the network
unchanged. Letters ([Conventions](../conventions.md#shapes-and-letters)):

* $N$ batch size, $C$ channels, $L$ / $(H, W)$ / $(D, H, W)$ spatial sizes;
* $k$ kernel (window) size, $s$ stride, $p$ padding, $d$ dilation, per axis;
* $i, j, l$ output positions, $a$ a tap of the window, $m$ an input position.

Inputs are channels-first, ``(N, C, *spatial)``; as in PyTorch, an unbatched
``(C, *spatial)`` input is accepted too and gives an unbatched output. The
output size along each axis is :func:`nnref.conv.pool_output_size`:

$$ L_{out} = \left\lfloor \frac{L + 2p - d(k - 1) - 1}{s} \right\rfloor + 1 $$

(ceiling instead of floor with ``ceil_mode=True``, dropping a last window that
would start in the right padding). Every op ``f`` has ``f_backward(grad_output,
x, ...)`` with the same keywords; it recomputes what it needs (the position of
each window's maximum) from ``x``. As in PyTorch, max pooling can also return
those positions (``return_indices=True``); the backward then accepts them
(``indices=``) and skips the recomputation, and :func:`max_unpool2d` puts each
maximum back at its position, the inverse-shaped partner of max pooling.
"""

import functools
import math

import numpy as np

from . import _validation as v
from . import _windows

__all__ = [
    "max_pool1d",
    "max_pool1d_backward",
    "max_pool2d",
    "max_pool2d_backward",
    "max_pool3d",
    "max_pool3d_backward",
    "min_pool1d",
    "min_pool1d_backward",
    "min_pool2d",
    "min_pool2d_backward",
    "min_pool3d",
    "min_pool3d_backward",
    "avg_pool1d",
    "avg_pool1d_backward",
    "avg_pool2d",
    "avg_pool2d_backward",
    "avg_pool3d",
    "avg_pool3d_backward",
    "adaptive_avg_pool1d",
    "adaptive_avg_pool1d_backward",
    "adaptive_avg_pool2d",
    "adaptive_avg_pool2d_backward",
    "adaptive_avg_pool3d",
    "adaptive_avg_pool3d_backward",
    "adaptive_max_pool2d",
    "adaptive_max_pool2d_backward",
    "max_unpool1d",
    "max_unpool1d_backward",
    "max_unpool2d",
    "max_unpool2d_backward",
    "max_unpool3d",
    "max_unpool3d_backward",
]


# ----------------------------------------------------------------------------- the engines

def _unbatch(result, batched):
    """``result`` (an array or a tuple of arrays) without the batch axis that an unbatched input was given."""
    if batched:
        return result
    return tuple(r[0] for r in result) if isinstance(result, tuple) else result[0]


# --8<-- [start:max-pool]
def _max_pool(x, kernel, stride, pads, dilation, out, return_indices=False):
    r"""$y_{n,c,i} = \max_a x^{\text{pad}}_{n,c,\, s i + d a}$ with $-\infty$ padding: the maximum over the window's taps.

    ``np.maximum`` propagates NaN, so a window holding a NaN gives NaN, as in PyTorch.
    With ``return_indices``, also where each maximum is (:func:`_argmax`).
    """
    if any(map(any, pads)):
        x = np.pad(x, [(0, 0), (0, 0), *pads], constant_values=-np.inf)  # padding never wins
    view = _windows.windows(x, kernel, stride, dilation, out)  # (N, C, *L_out, *k)
    if return_indices:
        size = tuple(n - lo - hi for n, (lo, hi) in zip(x.shape[2:], pads))  # the unpadded input's
        first = []  # each window's first tap inside the input: a_0 = max(0, ceil((p - s i) / d)), per axis
        for o, s, d, (lo, _) in zip(out, stride, dilation, pads):
            start = np.arange(o) * s - lo  # where window i starts, in input coordinates
            first.append(start + d * np.maximum(0, -(start // d)))
        start = np.ravel_multi_index(np.ix_(*first), size)  # PyTorch starts each window's search there
        return _argmax(_window_taps(view, size, stride, pads, dilation), start)
    return functools.reduce(np.maximum, (view[(..., *a)] for a in np.ndindex(*kernel)))  # (N, C, *L_out)


def _window_taps(view, size, stride, pads, dilation):
    """Each tap ``a`` of every window, in row-major window order: its values ``(N, C, *L_out)`` and the
    flat position it reads in an ``(n, c)`` plane of ``size`` (clipped for a tap in the padding)."""
    nd = len(size)
    for a in np.ndindex(*view.shape[-nd:]):
        m = [np.arange(o) * s + d * t - lo for o, s, d, t, (lo, _) in zip(view.shape[2:2 + nd], stride, dilation, a, pads)]
        yield view[(..., *a)], np.ravel_multi_index(np.ix_(*m), size, mode="clip")  # m = s i + d a - p


def _argmax(taps, start):
    r"""PyTorch parity: each window's maximum and its flat position, by PyTorch's loop over the taps.

    The search starts at ``start``, the window's first tap inside the input, with $-\infty$ as
    the best so far; a tap replaces the best if it is greater or NaN. So the first maximum in
    row-major window order wins, a NaN's window points at its last NaN, and a window whose inputs
    are all $-\infty$ at its first input.
    """
    best = where = None
    for value, position in taps:
        if best is None:
            best, where = np.full(value.shape, -np.inf, value.dtype), np.broadcast_to(start, value.shape).copy()
        take = (value > best) | np.isnan(value)
        np.copyto(where, position, where=take)
        np.maximum(best, value, out=best)  # the same update of the best value: NaN stays NaN
    return best, where


def _scatter_to(g, indices, size):
    r"""$\partial\mathcal{L}/\partial x$: each $g_{n,c,i}$ added at the position ``indices`` names in plane $(n, c)$."""
    grad = np.zeros(g.shape[0] * g.shape[1] * math.prod(size), g.dtype)  # every (n, c) plane, end to end
    np.add.at(grad, _flat_index(indices, math.prod(size)), g.reshape(-1))  # overlapping windows add up
    return grad.reshape(*g.shape[:2], *size)


def _max_pool_backward(g, x, kernel, stride, pads, dilation, indices):
    """Each output's gradient goes to its window's maximum (recomputed from ``x`` unless ``indices`` are given)."""
    if indices is None:
        indices = _max_pool(x, kernel, stride, pads, dilation, g.shape[2:], return_indices=True)[1]
    return _scatter_to(g, indices, x.shape[2:])


def _flat_index(indices, size):
    """Positions of ``(N, C, *)`` plane ``indices`` in all ``N C`` planes of ``size`` entries laid end to end."""
    planes = np.arange(indices.shape[0] * indices.shape[1]).reshape(*indices.shape[:2], *[1] * (indices.ndim - 2))
    return (indices + planes * size).reshape(-1)
# --8<-- [end:max-pool]


# --8<-- [start:avg-pool]
def _avg_divisor(size, kernel, stride, pads, out, count_include_pad, divisor_override):
    """$M_i$, the number each window's sum is divided by: ``(*L_out)``.

    The window clipped to the input and its explicit padding (``count_include_pad``), or to the
    input alone; ``divisor_override`` replaces both.
    """
    if divisor_override is not None:
        return np.full(out, float(divisor_override))
    divisor = np.ones(out)
    for axis, (n, k, s, (p, _), o) in enumerate(zip(size, kernel, stride, pads, out)):
        start = np.arange(o) * s - p
        end = np.minimum(start + k, n + p)
        if not count_include_pad:
            start, end = np.maximum(start, 0), np.minimum(end, n)
        divisor = divisor * (end - start).reshape([-1 if a == axis else 1 for a in range(len(out))])
    return divisor


def _avg_pool(x, kernel, stride, pads, out, divisor):
    r"""$y_{n,c,i} = \frac{1}{M_i} \sum_a x^{\text{pad}}_{n,c,\, s i + a}$ with zero padding."""
    if any(map(any, pads)):
        x = np.pad(x, [(0, 0), (0, 0), *pads])  # zeros
    view = _windows.windows(x, kernel, stride, (1,) * len(kernel), out)  # (N, C, *L_out, *k)
    total = np.zeros(view.shape[:-len(kernel)], x.dtype)
    for a in np.ndindex(*kernel):  # the sum over the window's taps
        total += view[(..., *a)]
    total /= divisor.astype(x.dtype)
    return total


def _avg_pool_backward(g, size, kernel, stride, pads, divisor):
    r"""$\partial\mathcal{L}/\partial x$: each $g_i / M_i$ added to every input entry of window $i$ (``fold``)."""
    n, c, out = g.shape[0], g.shape[1], g.shape[2:]
    share = (g / divisor.astype(g.dtype)).reshape(n, c, *[1] * len(kernel), *out)  # (N, C, 1.., *L_out)
    cols = np.broadcast_to(share, (n, c, *kernel, *out))  # the same share for every tap of a window
    return _windows.fold(cols, size, kernel, stride, (1,) * len(kernel), pads)
# --8<-- [end:avg-pool]


# --8<-- [start:adaptive]
def _adaptive_map(n_in, n_out):
    r"""The windows of adaptive pooling along one axis as an index array ``(n_out, T)`` and their sizes.

    Window $i$ is $[\lfloor i L / L_{out} \rfloor, \lceil (i + 1) L / L_{out} \rceil)$; a window
    shorter than the longest is filled up with index ``n_in``, one past the input: a padding
    tap, which reads a value that changes nothing (0 for a sum, $-\infty$ for a maximum).
    """
    i = np.arange(n_out)
    start, end = i * n_in // n_out, -(-(i + 1) * n_in // n_out)  # floor, ceil
    index = start[:, None] + np.arange((end - start).max())  # (n_out, T)
    return np.where(index < end[:, None], index, n_in), end - start


def _adaptive_avg(x, out):
    r"""The mean over each window, one axis at a time: $y = A x$ along every axis, $A_{i,m} = 1/|R_i|$ on window $i$."""
    for axis, n_out in enumerate(out, start=2):
        index, count = _adaptive_map(x.shape[axis], n_out)  # the padding taps of short windows read 0
        x = _windows.gather_axis(x, index, np.repeat(1.0 / count[:, None], index.shape[1], axis=1), axis)
    return x


def _adaptive_avg_backward(g, size):
    r"""$\partial\mathcal{L}/\partial x = A^\top g$ along every axis (the transpose of :func:`_adaptive_avg`)."""
    for axis, n_in in enumerate(size, start=2):
        index, count = _adaptive_map(n_in, g.shape[axis])
        weight = np.repeat(1.0 / count[:, None], index.shape[1], axis=1)
        g = _windows.scatter_axis(g, index, weight, axis, n_in)
    return g


def _adaptive_max(x, out):
    """Each window's maximum and its flat position (PyTorch's rule, :func:`_argmax`), for 2-D windows."""
    (rows, _), (cols, _) = _adaptive_map(x.shape[2], out[0]), _adaptive_map(x.shape[3], out[1])
    xf = np.pad(x, [(0, 0), (0, 0), (0, 1), (0, 1)], constant_values=-np.inf)  # -inf at index n_in
    taps = ((xf[:, :, rows[:, t, None], cols[None, :, u]],  # (N, C, H_out, W_out), row-major window order
             np.minimum(rows[:, t, None], x.shape[2] - 1) * x.shape[3] + np.minimum(cols[None, :, u], x.shape[3] - 1))
            for t in range(rows.shape[1]) for u in range(cols.shape[1]))
    return _argmax(taps, rows[:, :1] * x.shape[3] + cols[None, :, 0])  # each window starts at its first input
# --8<-- [end:adaptive]


def max_pool2d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    r"""2-D max pooling: the largest value of each (dilated) window.

    Concept page: [Pooling](../concepts/pooling.md#the-4x4-example).

    $$ y_{n,c,i,j} = \max_{0 \le a_H < k_H,\ 0 \le a_W < k_W}
       x^{\text{pad}}_{n,c,\ s_H i + d_H a_H,\ s_W j + d_W a_W} $$

    where $x^{\text{pad}}$ is ``x`` with $p$ entries of $-\infty$ on each side, so
    padding never wins.

    Parameters
    ----------
    x : (N, C, H, W) or (C, H, W) array_like
        Input feature maps.
    kernel_size : int or (int, int)
        Window size $(k_H, k_W)$.
    stride : int or (int, int), optional
        Step between windows; default (``None``) is ``kernel_size``.
    padding : int or (int, int), default 0
        Implicit $-\infty$ padding on both sides, at most ``kernel_size // 2``.
    dilation : int or (int, int), default 1
        Spacing between the elements of a window.
    ceil_mode : bool, default False
        Round the output size up (keep a partial last window, provided it starts
        inside the input or the left padding).
    return_indices : bool, default False
        Also return where each maximum came from.

    Returns
    -------
    y : (N, C, H_out, W_out) or (C, H_out, W_out) ndarray
        $H_{out} = \lfloor (H + 2p_H - d_H(k_H - 1) - 1)/s_H \rfloor + 1$, same for $W$.
    indices : int64 ndarray, the shape of ``y``
        Only with ``return_indices=True``: the flat position $m_H W + m_W$ of each
        maximum in its $(H, W)$ plane of ``x``, as in PyTorch. They are what
        :func:`max_unpool2d` and the ``indices`` argument of
        :func:`max_pool2d_backward` take.

    Raises
    ------
    ValueError
        If ``x`` is not 3-D or 4-D, ``padding > kernel_size // 2``, or the
        output would be empty.
    TypeError
        If ``x`` is not a real numeric array or a size is not an integer.

    See Also
    --------
    max_pool2d_backward : gradient with respect to ``x``.
    max_unpool2d : put each maximum back where it came from.
    min_pool2d : the smallest value of each window.
    avg_pool2d : the mean of each window.
    nnref.conv.pool_output_size : the output size along one axis.

    Notes
    -----
    Backward: each output's gradient goes to the element its maximum came from,
    and overlapping windows add up. When a window holds its maximum more than
    once, the first occurrence in row-major window order gets the gradient, as
    in PyTorch (a window holding a NaN outputs NaN; PyTorch routes its gradient
    to the last NaN, and so does nnref). The backward recomputes these positions
    from ``x`` unless it is given the forward's ``indices``.

    Examples
    --------
    The 4x4 example of the notes (values chosen distinct), pooled 2x2 with stride 2:

    >>> import numpy as np
    >>> import nnref
    >>> x = np.array([[ 3., 12.,  0.,  7.],
    ...               [ 8.,  1., 14.,  5.],
    ...               [10.,  6.,  2., 13.],
    ...               [ 9., 15.,  4., 11.]])
    >>> nnref.max_pool2d(x[None, None], 2)
    array([[[[12., 14.],
             [15., 13.]]]])

    With ``return_indices=True``, 12 is at position 1 (row 0, column 1) and 15
    at 13 (row 3, column 1) of the flattened 4x4 plane:

    >>> y, indices = nnref.max_pool2d(x[None, None], 2, return_indices=True)
    >>> indices
    array([[[[ 1,  6],
             [13, 11]]]])
    """
    x, kernel, stride, pads, dilation, out, batched = v.pool_args(
        "max_pool2d", 2, x, kernel_size, stride, padding, dilation, ceil_mode)
    return_indices = v.flag(return_indices, "max_pool2d", "return_indices")
    return _unbatch(_max_pool(x, kernel, stride, pads, dilation, out, return_indices), batched)


def max_pool2d_backward(grad_output, x, kernel_size, stride=None, padding=0, dilation=1,
                        ceil_mode=False, indices=None):
    r"""Gradient of [`max_pool2d`][nnref.pooling.max_pool2d] with respect to ``x``, shaped like ``x``.

    Concept page: [Pooling: backward](../concepts/pooling.md#backward).

    $$ \frac{\partial\mathcal{L}}{\partial x_{n,c,m_H,m_W}} = \sum_{(i,j):\ (m_H,m_W) = \operatorname{argmax}_{i,j}}
       \frac{\partial\mathcal{L}}{\partial y_{n,c,i,j}} $$

    Parameters
    ----------
    grad_output : (N, C, H_out, W_out) or (C, H_out, W_out) array_like
        $\partial\mathcal{L} / \partial y$, the shape of the forward output.
    x : (N, C, H, W) or (C, H, W) array_like
        The forward input.
    kernel_size, stride, padding, dilation, ceil_mode
        As in :func:`max_pool2d`.
    indices : int array_like, the shape of ``grad_output``, optional
        The ``indices`` of ``max_pool2d(..., return_indices=True)``. Given, the
        gradient is sent to them instead of to recomputed positions.

    Raises
    ------
    ValueError
        As :func:`max_pool2d`, if ``grad_output`` does not have the output's
        shape, or if ``indices`` do not have its shape or point outside the plane.
    TypeError
        If ``indices`` are not integers.

    Notes
    -----
    Ties go to the first maximum of the window in row-major order, as in PyTorch.

    By default the positions of the maxima are recomputed from ``x``, which
    costs about one forward pass. PyTorch's backward kernel instead reads the
    indices its forward saved; passing ``indices`` does the same: a single
    scatter-add, $\partial\mathcal{L}/\partial x = $ ``max_unpool2d`` of
    $\partial\mathcal{L}/\partial y$ when windows do not overlap. nnref does not check
    that the indices are those of this ``x``.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> x = np.array([[[[1., 5.], [5., 2.]]]])
    >>> nnref.max_pool2d_backward(np.ones((1, 1, 1, 1)), x, 2)
    array([[[[0., 1.],
             [0., 0.]]]])

    The same gradient from the forward's indices:

    >>> y, indices = nnref.max_pool2d(x, 2, return_indices=True)
    >>> nnref.max_pool2d_backward(np.ones((1, 1, 1, 1)), x, 2, indices=indices)
    array([[[[0., 1.],
             [0., 0.]]]])
    """
    g, x, kernel, stride, pads, dilation, _, indices, batched = v.pool_backward_args(
        "max_pool2d_backward", 2, grad_output, x, kernel_size, stride, padding, dilation, ceil_mode, indices)
    return _unbatch(_max_pool_backward(g, x, kernel, stride, pads, dilation, indices), batched)


def max_pool1d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    r"""1-D max pooling: [`max_pool2d`][nnref.pooling.max_pool2d] along one axis, ``x`` of shape ``(N, C, L)`` or ``(C, L)``.

    Concept page: [Pooling](../concepts/pooling.md#the-4x4-example).

    $$ y_{n,c,i} = \max_{0 \le a < k} x^{\text{pad}}_{n,c,\ s i + d a} $$

    Examples
    --------
    With ``ceil_mode`` the partial last window ``[4]`` is kept:

    >>> import nnref
    >>> nnref.max_pool1d([[[1., 3., 2., 0., 4.]]], 2, ceil_mode=True)
    array([[[3., 2., 4.]]])
    """
    x, kernel, stride, pads, dilation, out, batched = v.pool_args(
        "max_pool1d", 1, x, kernel_size, stride, padding, dilation, ceil_mode)
    return_indices = v.flag(return_indices, "max_pool1d", "return_indices")
    return _unbatch(_max_pool(x, kernel, stride, pads, dilation, out, return_indices), batched)


def max_pool1d_backward(grad_output, x, kernel_size, stride=None, padding=0, dilation=1,
                        ceil_mode=False, indices=None):
    r"""Gradient of [`max_pool1d`][nnref.pooling.max_pool1d]: each output's gradient goes to its window's maximum.

    Concept page: [Pooling: backward](../concepts/pooling.md#backward).

    Overlapping windows (stride 1) that share their maximum add up:

    >>> import nnref
    >>> nnref.max_pool1d_backward([[[1., 1.]]], [[[1., 3., 2.]]], 2, stride=1)
    array([[[0., 2., 0.]]])
    """
    g, x, kernel, stride, pads, dilation, _, indices, batched = v.pool_backward_args(
        "max_pool1d_backward", 1, grad_output, x, kernel_size, stride, padding, dilation, ceil_mode, indices)
    return _unbatch(_max_pool_backward(g, x, kernel, stride, pads, dilation, indices), batched)


def max_pool3d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    r"""3-D max pooling over ``(D, H, W)``: [`max_pool2d`][nnref.pooling.max_pool2d] with a depth axis.

    Concept page: [Pooling](../concepts/pooling.md#the-4x4-example).

    $$ y_{n,c,i,j,l} = \max_{a_D,a_H,a_W} x^{\text{pad}}_{n,c,\ s_D i + d_D a_D,\
       s_H j + d_H a_H,\ s_W l + d_W a_W} $$

    ``x`` is ``(N, C, D, H, W)`` or ``(C, D, H, W)``; the indices of
    ``return_indices=True`` are flat positions in each ``(D, H, W)`` volume.

    >>> import numpy as np
    >>> import nnref
    >>> y, indices = nnref.max_pool3d(np.arange(8.0).reshape(1, 1, 2, 2, 2), 2, return_indices=True)
    >>> y.reshape(-1), indices.reshape(-1)
    (array([7.]), array([7]))
    """
    x, kernel, stride, pads, dilation, out, batched = v.pool_args(
        "max_pool3d", 3, x, kernel_size, stride, padding, dilation, ceil_mode)
    return_indices = v.flag(return_indices, "max_pool3d", "return_indices")
    return _unbatch(_max_pool(x, kernel, stride, pads, dilation, out, return_indices), batched)


def max_pool3d_backward(grad_output, x, kernel_size, stride=None, padding=0, dilation=1,
                        ceil_mode=False, indices=None):
    r"""Gradient of [`max_pool3d`][nnref.pooling.max_pool3d], routed as in [`max_pool2d_backward`][nnref.pooling.max_pool2d_backward].

    Concept page: [Pooling: backward](../concepts/pooling.md#backward).

    >>> import numpy as np
    >>> import nnref
    >>> g = nnref.max_pool3d_backward(np.ones((1, 1, 1, 1, 1)), np.arange(8.0).reshape(1, 1, 2, 2, 2), 2)
    >>> g.reshape(-1)
    array([0., 0., 0., 0., 0., 0., 0., 1.])
    """
    g, x, kernel, stride, pads, dilation, _, indices, batched = v.pool_backward_args(
        "max_pool3d_backward", 3, grad_output, x, kernel_size, stride, padding, dilation, ceil_mode, indices)
    return _unbatch(_max_pool_backward(g, x, kernel, stride, pads, dilation, indices), batched)


def min_pool2d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    r"""2-D min pooling: the smallest value of each window (PyTorch has no such op).

    Concept page: [Pooling](../concepts/pooling.md#the-4x4-example).

    $$ \text{min_pool}(x) = -\text{max_pool}(-x) $$

    Padding is $+\infty$ (it never wins). Parameters, output size and errors are
    those of :func:`max_pool2d`.

    Parameters
    ----------
    x : (N, C, H, W) or (C, H, W) array_like
    kernel_size, stride, padding, dilation, ceil_mode, return_indices
        As in :func:`max_pool2d`.

    Returns
    -------
    y : (N, C, H_out, W_out) or (C, H_out, W_out) ndarray
    indices : int64 ndarray, the shape of ``y``
        Only with ``return_indices=True``: where each minimum came from.

    See Also
    --------
    min_pool2d_backward, max_pool2d

    Notes
    -----
    Backward: the gradient goes to the window's minimum, the first one in
    row-major order on ties (the rule of :func:`max_pool2d` applied to $-x$).

    Examples
    --------
    The 4x4 example of the notes, pooled 2x2 with stride 2:

    >>> import numpy as np
    >>> import nnref
    >>> x = np.array([3., 12., 0., 7., 8., 1., 14., 5., 10., 6., 2., 13., 9., 15., 4., 11.])
    >>> nnref.min_pool2d(x.reshape(1, 1, 4, 4), 2)
    array([[[[1., 0.],
             [6., 2.]]]])
    """
    x, kernel, stride, pads, dilation, out, batched = v.pool_args(
        "min_pool2d", 2, x, kernel_size, stride, padding, dilation, ceil_mode)
    return_indices = v.flag(return_indices, "min_pool2d", "return_indices")
    y = _max_pool(-x, kernel, stride, pads, dilation, out, return_indices)  # min(x) = -max(-x)
    return _unbatch((-y[0], y[1]) if return_indices else -y, batched)


def min_pool2d_backward(grad_output, x, kernel_size, stride=None, padding=0, dilation=1,
                        ceil_mode=False, indices=None):
    r"""Gradient of [`min_pool2d`][nnref.pooling.min_pool2d] with respect to ``x``, shaped like ``x``: routed to each window's minimum.

    Concept page: [Pooling: backward](../concepts/pooling.md#backward).

    Parameters
    ----------
    grad_output : (N, C, H_out, W_out) or (C, H_out, W_out) array_like
    x : (N, C, H, W) or (C, H, W) array_like
    kernel_size, stride, padding, dilation, ceil_mode
        As in :func:`min_pool2d`.
    indices : int array_like, optional
        The forward's ``indices``, as in :func:`max_pool2d_backward`.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.min_pool2d_backward(np.ones((1, 1, 1, 1)), np.array([[[[4., 1.], [1., 2.]]]]), 2)
    array([[[[0., 1.],
             [0., 0.]]]])
    """
    g, x, kernel, stride, pads, dilation, _, indices, batched = v.pool_backward_args(
        "min_pool2d_backward", 2, grad_output, x, kernel_size, stride, padding, dilation, ceil_mode, indices)
    return _unbatch(_max_pool_backward(g, -x, kernel, stride, pads, dilation, indices), batched)


def min_pool1d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    r"""1-D min pooling, $-\text{max_pool1d}(-x)$; see [`min_pool2d`][nnref.pooling.min_pool2d].

    Concept page: [Pooling](../concepts/pooling.md#the-4x4-example).

    >>> import nnref
    >>> nnref.min_pool1d([[[1., 3., 2., 0.]]], 2)
    array([[[1., 0.]]])
    """
    x, kernel, stride, pads, dilation, out, batched = v.pool_args(
        "min_pool1d", 1, x, kernel_size, stride, padding, dilation, ceil_mode)
    return_indices = v.flag(return_indices, "min_pool1d", "return_indices")
    y = _max_pool(-x, kernel, stride, pads, dilation, out, return_indices)  # min(x) = -max(-x)
    return _unbatch((-y[0], y[1]) if return_indices else -y, batched)


def min_pool1d_backward(grad_output, x, kernel_size, stride=None, padding=0, dilation=1,
                        ceil_mode=False, indices=None):
    r"""Gradient of [`min_pool1d`][nnref.pooling.min_pool1d]: to each window's minimum (the first one on ties).

    Concept page: [Pooling: backward](../concepts/pooling.md#backward).

    >>> import nnref
    >>> nnref.min_pool1d_backward([[[1., 1.]]], [[[1., 3., 2., 0.]]], 2)
    array([[[1., 0., 0., 1.]]])
    """
    g, x, kernel, stride, pads, dilation, _, indices, batched = v.pool_backward_args(
        "min_pool1d_backward", 1, grad_output, x, kernel_size, stride, padding, dilation, ceil_mode, indices)
    return _unbatch(_max_pool_backward(g, -x, kernel, stride, pads, dilation, indices), batched)


def min_pool3d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    r"""3-D min pooling, $-\text{max_pool3d}(-x)$, for ``(N, C, D, H, W)`` or ``(C, D, H, W)`` input.

    Concept page: [Pooling](../concepts/pooling.md#the-4x4-example).

    >>> import numpy as np
    >>> import nnref
    >>> nnref.min_pool3d(np.arange(8.0).reshape(1, 1, 2, 2, 2), 2).shape
    (1, 1, 1, 1, 1)
    """
    x, kernel, stride, pads, dilation, out, batched = v.pool_args(
        "min_pool3d", 3, x, kernel_size, stride, padding, dilation, ceil_mode)
    return_indices = v.flag(return_indices, "min_pool3d", "return_indices")
    y = _max_pool(-x, kernel, stride, pads, dilation, out, return_indices)  # min(x) = -max(-x)
    return _unbatch((-y[0], y[1]) if return_indices else -y, batched)


def min_pool3d_backward(grad_output, x, kernel_size, stride=None, padding=0, dilation=1,
                        ceil_mode=False, indices=None):
    r"""Gradient of [`min_pool3d`][nnref.pooling.min_pool3d]: the rule of [`min_pool2d_backward`][nnref.pooling.min_pool2d_backward] in three dimensions.

    Concept page: [Pooling: backward](../concepts/pooling.md#backward).

    >>> import numpy as np
    >>> import nnref
    >>> volume = np.arange(8.0).reshape(1, 1, 2, 2, 2)
    >>> nnref.min_pool3d_backward(np.ones((1, 1, 1, 1, 1)), volume, 2)[0, 0, 0]
    array([[1., 0.],
           [0., 0.]])
    """
    g, x, kernel, stride, pads, dilation, _, indices, batched = v.pool_backward_args(
        "min_pool3d_backward", 3, grad_output, x, kernel_size, stride, padding, dilation, ceil_mode, indices)
    return _unbatch(_max_pool_backward(g, -x, kernel, stride, pads, dilation, indices), batched)


def max_unpool2d(x, indices, kernel_size, stride=None, padding=0, output_size=None):
    r"""2-D max unpooling: a zero map with each value of ``x`` put back at its index.

    Concept page: [Pooling: saved indices and unpooling](../concepts/pooling.md#saved-indices-and-unpooling).

    $$ y_{n,c}[\,\text{indices}_{n,c,i,j}\,] = x_{n,c,i,j}, \qquad 0 \text{ elsewhere} $$

    where ``y[n, c]`` is indexed as a flattened $(H_{out} W_{out})$ plane. With
    the ``indices`` of ``max_pool2d(..., return_indices=True)`` this undoes the
    pooling as far as it can: the maxima go back where they were and every other
    position is 0. It is an upsampling with no parameters, the inverse-shaped
    partner of max pooling, and used as such in encoder-decoder networks.

    Parameters
    ----------
    x : (N, C, H, W) or (C, H, W) array_like
        The values to place (e.g. pooled feature maps).
    indices : int array_like, the shape of ``x``
        Flat positions in each $(H_{out}, W_{out})$ plane, as
        ``max_pool2d(..., return_indices=True)`` returns them.
    kernel_size, stride, padding : int or (int, int)
        Those of the max pooling being undone; ``stride`` defaults to ``kernel_size``.
    output_size : sequence of int, optional
        $(H_{out}, W_{out})$ or the full output shape; needed when the pooling
        rounded its output size down. Each size must lie strictly within one
        stride of the default.

    Returns
    -------
    y : (N, C, H_out, W_out) or (C, H_out, W_out) ndarray
        $H_{out} = (H - 1) s_H - 2 p_H + k_H$ by default, same for $W$.

    Raises
    ------
    ValueError
        If ``indices`` do not have the shape of ``x`` or point outside the output
        plane, or ``output_size`` is not within one stride of the default.
    TypeError
        If ``indices`` are not integers.

    See Also
    --------
    max_pool2d : the pooling whose ``indices`` this takes.
    max_unpool2d_backward : gradient with respect to ``x``.

    Notes
    -----
    Backward: a gather,
    $\partial\mathcal{L}/\partial x_{n,c,i,j} = \partial\mathcal{L}/\partial y_{n,c}[\text{indices}_{n,c,i,j}]$.
    Overlapping pooling windows can share their maximum, so one plane can hold
    the same index twice (with the same value, when it comes from max pooling).
    The forward then keeps one of the values, which one is not specified (as in
    PyTorch), and the backward gives each repeat the gradient at its index, as
    PyTorch's does.

    Examples
    --------
    The 4x4 example of the notes, pooled and unpooled: each maximum returns to
    its place.

    >>> import numpy as np
    >>> import nnref
    >>> x = np.array([[[[ 3., 12.,  0.,  7.],
    ...                 [ 8.,  1., 14.,  5.],
    ...                 [10.,  6.,  2., 13.],
    ...                 [ 9., 15.,  4., 11.]]]])
    >>> y, indices = nnref.max_pool2d(x, 2, return_indices=True)
    >>> nnref.max_unpool2d(y, indices, 2)
    array([[[[ 0., 12.,  0.,  0.],
             [ 0.,  0., 14.,  0.],
             [ 0.,  0.,  0., 13.],
             [ 0., 15.,  0.,  0.]]]])
    """
    x, indices, size, batched = v.unpool_args("max_unpool2d", 2, x, indices, kernel_size, stride, padding, output_size)
    y = np.zeros(x.shape[:2] + size, x.dtype)  # (N, C, *size)
    y.reshape(-1)[_flat_index(indices, math.prod(size))] = x.reshape(-1)  # y[n, c].flat[indices[n, c, i]] = x[n, c, i]
    return _unbatch(y, batched)


def max_unpool2d_backward(grad_output, x, indices, kernel_size, stride=None, padding=0, output_size=None):
    r"""Gradient of [`max_unpool2d`][nnref.pooling.max_unpool2d] with respect to ``x``, shaped like ``x``: the gradient read back at ``indices``.

    Concept page: [Pooling: saved indices and unpooling](../concepts/pooling.md#saved-indices-and-unpooling).

    $$ \frac{\partial\mathcal{L}}{\partial x_{n,c,i,j}} = \frac{\partial\mathcal{L}}{\partial y_{n,c}}
       [\,\text{indices}_{n,c,i,j}\,] $$

    Parameters
    ----------
    grad_output : (N, C, H_out, W_out) or (C, H_out, W_out) array_like
        $\partial\mathcal{L} / \partial y$, the shape of the forward output.
    x : (N, C, H, W) or (C, H, W) array_like
        The forward input (its shape and dtype are used).
    indices, kernel_size, stride, padding, output_size
        As in :func:`max_unpool2d`.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> g = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> nnref.max_unpool2d_backward(g, np.ones((1, 1, 2, 2)), np.array([[[[1, 6], [13, 11]]]]), 2)
    array([[[[ 1.,  6.],
             [13., 11.]]]])
    """
    x, indices, size, batched = v.unpool_args("max_unpool2d_backward", 2, x, indices, kernel_size, stride, padding, output_size)
    g, x = v.batched_grad(grad_output, x.shape[:2] + size, batched, "max_unpool2d_backward", x)
    grad = g.reshape(-1)[_flat_index(indices, math.prod(size))]  # the gradient read back at each index
    return _unbatch(grad.reshape(x.shape), batched)


def max_unpool1d(x, indices, kernel_size, stride=None, padding=0, output_size=None):
    r"""1-D max unpooling, $y_{n,c}[\text{indices}_{n,c,i}] = x_{n,c,i}$ (see [`max_unpool2d`][nnref.pooling.max_unpool2d]).

    Concept page: [Pooling: saved indices and unpooling](../concepts/pooling.md#saved-indices-and-unpooling).

    ``output_size`` restores the odd length that pooling rounded down:

    >>> import nnref
    >>> y, indices = nnref.max_pool1d([[[1., 3., 2., 0., 4.]]], 2, return_indices=True)
    >>> nnref.max_unpool1d(y, indices, 2, output_size=[5])
    array([[[0., 3., 2., 0., 0.]]])
    """
    x, indices, size, batched = v.unpool_args("max_unpool1d", 1, x, indices, kernel_size, stride, padding, output_size)
    y = np.zeros(x.shape[:2] + size, x.dtype)  # (N, C, *size)
    y.reshape(-1)[_flat_index(indices, math.prod(size))] = x.reshape(-1)  # y[n, c].flat[indices[n, c, i]] = x[n, c, i]
    return _unbatch(y, batched)


def max_unpool1d_backward(grad_output, x, indices, kernel_size, stride=None, padding=0, output_size=None):
    r"""Gradient of [`max_unpool1d`][nnref.pooling.max_unpool1d]: ``grad_output`` read back at ``indices``.

    Concept page: [Pooling: saved indices and unpooling](../concepts/pooling.md#saved-indices-and-unpooling).

    >>> import nnref
    >>> nnref.max_unpool1d_backward([[[5., 6., 7., 8.]]], [[[1., 1.]]], [[[1, 2]]], 2)
    array([[[6., 7.]]])
    """
    x, indices, size, batched = v.unpool_args("max_unpool1d_backward", 1, x, indices, kernel_size, stride, padding, output_size)
    g, x = v.batched_grad(grad_output, x.shape[:2] + size, batched, "max_unpool1d_backward", x)
    grad = g.reshape(-1)[_flat_index(indices, math.prod(size))]  # the gradient read back at each index
    return _unbatch(grad.reshape(x.shape), batched)


def max_unpool3d(x, indices, kernel_size, stride=None, padding=0, output_size=None):
    r"""3-D max unpooling into flattened $(D_{out}, H_{out}, W_{out})$ volumes, as [`max_unpool2d`][nnref.pooling.max_unpool2d].

    Concept page: [Pooling: saved indices and unpooling](../concepts/pooling.md#saved-indices-and-unpooling).

    >>> import nnref
    >>> y = nnref.max_unpool3d([[[[[7.]]]]], [[[[[5]]]]], 2)
    >>> y.reshape(-1)
    array([0., 0., 0., 0., 0., 7., 0., 0.])
    """
    x, indices, size, batched = v.unpool_args("max_unpool3d", 3, x, indices, kernel_size, stride, padding, output_size)
    y = np.zeros(x.shape[:2] + size, x.dtype)  # (N, C, *size)
    y.reshape(-1)[_flat_index(indices, math.prod(size))] = x.reshape(-1)  # y[n, c].flat[indices[n, c, i]] = x[n, c, i]
    return _unbatch(y, batched)


def max_unpool3d_backward(grad_output, x, indices, kernel_size, stride=None, padding=0, output_size=None):
    r"""Gradient of [`max_unpool3d`][nnref.pooling.max_unpool3d], a gather at the indices.

    Concept page: [Pooling: saved indices and unpooling](../concepts/pooling.md#saved-indices-and-unpooling).

    >>> import numpy as np
    >>> import nnref
    >>> g = np.arange(8.0).reshape(1, 1, 2, 2, 2)
    >>> nnref.max_unpool3d_backward(g, np.ones((1, 1, 1, 1, 1)), [[[[[5]]]]], 2).reshape(-1)
    array([5.])
    """
    x, indices, size, batched = v.unpool_args("max_unpool3d_backward", 3, x, indices, kernel_size, stride, padding, output_size)
    g, x = v.batched_grad(grad_output, x.shape[:2] + size, batched, "max_unpool3d_backward", x)
    grad = g.reshape(-1)[_flat_index(indices, math.prod(size))]  # the gradient read back at each index
    return _unbatch(grad.reshape(x.shape), batched)


def avg_pool2d(x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    r"""2-D average pooling: the mean of each window.

    Concept page: [Pooling](../concepts/pooling.md#the-4x4-example).

    $$ y_{n,c,i,j} = \frac{1}{M_{ij}} \sum_{a_H < k_H,\ a_W < k_W}
       x^{\text{pad}}_{n,c,\ s_H i + a_H,\ s_W j + a_W} $$

    where $x^{\text{pad}}$ is ``x`` with $p$ zeros on each side and the divisor $M_{ij}$ is
    ``divisor_override`` if given, else the window's size clipped to the padded
    input (``count_include_pad=True``) or the number of input elements in it
    (``count_include_pad=False``).

    Parameters
    ----------
    x : (N, C, H, W) or (C, H, W) array_like
    kernel_size : int or (int, int)
    stride : int or (int, int), optional
        Default (``None``) is ``kernel_size``.
    padding : int or (int, int), default 0
        Zero padding on both sides, at most ``kernel_size // 2``.
    ceil_mode : bool, default False
        Round the output size up, as in :func:`max_pool2d`.
    count_include_pad : bool, default True
        Count the zero padding in the divisor.
    divisor_override : int, optional
        Divide every window sum by this number instead.

    Returns
    -------
    y : (N, C, H_out, W_out) or (C, H_out, W_out) ndarray
        $H_{out} = \lfloor (H + 2p_H - k_H)/s_H \rfloor + 1$, same for $W$.

    Raises
    ------
    ValueError
        If ``x`` is not 3-D or 4-D, ``padding > kernel_size // 2``, the output
        would be empty, or ``divisor_override < 1``.
    TypeError
        If ``x`` is not a real numeric array or an argument has the wrong type.

    See Also
    --------
    avg_pool2d_backward : gradient with respect to ``x``.
    adaptive_avg_pool2d : average pooling to a given output size.
    max_pool2d

    Notes
    -----
    Backward: each output's gradient is spread evenly, $g_{ij} / M_{ij}$, over
    the input elements of its window; overlapping windows add up.

    Examples
    --------
    The 4x4 example of the notes, pooled 2x2 with stride 2:

    >>> import numpy as np
    >>> import nnref
    >>> x = np.array([[ 3., 12.,  0.,  7.],
    ...               [ 8.,  1., 14.,  5.],
    ...               [10.,  6.,  2., 13.],
    ...               [ 9., 15.,  4., 11.]])
    >>> nnref.avg_pool2d(x[None, None], 2)
    array([[[[ 6. ,  6.5],
             [10. ,  7.5]]]])
    """
    x, kernel, stride, pads, _, out, batched = v.pool_args("avg_pool2d", 2, x, kernel_size, stride, padding, 1, ceil_mode)
    options = v.avg_args("avg_pool2d", count_include_pad, divisor_override)
    divisor = _avg_divisor(x.shape[2:], kernel, stride, pads, out, *options)
    return _unbatch(_avg_pool(x, kernel, stride, pads, out, divisor), batched)


def avg_pool2d_backward(grad_output, x, kernel_size, stride=None, padding=0, ceil_mode=False,
                        count_include_pad=True, divisor_override=None):
    r"""Gradient of [`avg_pool2d`][nnref.pooling.avg_pool2d] with respect to ``x``, shaped like ``x``.

    Concept page: [Pooling: backward](../concepts/pooling.md#backward).

    $$ \frac{\partial\mathcal{L}}{\partial x_{n,c,m_H,m_W}} = \sum_{(i,j):\ (m_H,m_W) \in \text{window}_{ij}}
       \frac{1}{M_{ij}} \frac{\partial\mathcal{L}}{\partial y_{n,c,i,j}} $$

    Parameters
    ----------
    grad_output : (N, C, H_out, W_out) or (C, H_out, W_out) array_like
    x : (N, C, H, W) or (C, H, W) array_like
        The forward input (only its shape and dtype are used).
    kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override
        As in :func:`avg_pool2d`.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.avg_pool2d_backward(np.array([[[[4.]]]]), np.zeros((1, 1, 2, 2)), 2)
    array([[[[1., 1.],
             [1., 1.]]]])
    """
    g, x, kernel, stride, pads, _, out, _, batched = v.pool_backward_args(
        "avg_pool2d_backward", 2, grad_output, x, kernel_size, stride, padding, 1, ceil_mode)
    options = v.avg_args("avg_pool2d_backward", count_include_pad, divisor_override)
    divisor = _avg_divisor(x.shape[2:], kernel, stride, pads, out, *options)
    return _unbatch(_avg_pool_backward(g, x.shape[2:], kernel, stride, pads, divisor), batched)


def avg_pool1d(x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    r"""1-D average pooling: [`avg_pool2d`][nnref.pooling.avg_pool2d] along one axis.

    Concept page: [Pooling](../concepts/pooling.md#the-4x4-example).

    $$ y_{n,c,i} = \frac{1}{M_i} \sum_{a < k} x^{\text{pad}}_{n,c,\ s i + a} $$

    With padding, ``count_include_pad`` decides whether the zeros count in $M_i$:

    >>> import nnref
    >>> nnref.avg_pool1d([[[3., 6., 9.]]], 3, stride=1, padding=1)
    array([[[3., 6., 5.]]])
    >>> nnref.avg_pool1d([[[3., 6., 9.]]], 3, stride=1, padding=1, count_include_pad=False)
    array([[[4.5, 6. , 7.5]]])
    """
    x, kernel, stride, pads, _, out, batched = v.pool_args("avg_pool1d", 1, x, kernel_size, stride, padding, 1, ceil_mode)
    options = v.avg_args("avg_pool1d", count_include_pad, divisor_override)
    divisor = _avg_divisor(x.shape[2:], kernel, stride, pads, out, *options)
    return _unbatch(_avg_pool(x, kernel, stride, pads, out, divisor), batched)


def avg_pool1d_backward(grad_output, x, kernel_size, stride=None, padding=0, ceil_mode=False,
                        count_include_pad=True, divisor_override=None):
    r"""Gradient of [`avg_pool1d`][nnref.pooling.avg_pool1d]: $g_i / M_i$ spread over window $i$.

    Concept page: [Pooling: backward](../concepts/pooling.md#backward).

    >>> import nnref
    >>> nnref.avg_pool1d_backward([[[2., 4.]]], [[[0., 0., 0., 0.]]], 2)
    array([[[1., 1., 2., 2.]]])
    """
    g, x, kernel, stride, pads, _, out, _, batched = v.pool_backward_args(
        "avg_pool1d_backward", 1, grad_output, x, kernel_size, stride, padding, 1, ceil_mode)
    options = v.avg_args("avg_pool1d_backward", count_include_pad, divisor_override)
    divisor = _avg_divisor(x.shape[2:], kernel, stride, pads, out, *options)
    return _unbatch(_avg_pool_backward(g, x.shape[2:], kernel, stride, pads, divisor), batched)


def avg_pool3d(x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    r"""3-D average pooling over ``(D, H, W)``; arguments as in [`avg_pool2d`][nnref.pooling.avg_pool2d].

    Concept page: [Pooling](../concepts/pooling.md#the-4x4-example).

    >>> import numpy as np
    >>> import nnref
    >>> nnref.avg_pool3d(np.arange(8.0).reshape(1, 1, 2, 2, 2), 2).reshape(-1)
    array([3.5])
    """
    x, kernel, stride, pads, _, out, batched = v.pool_args("avg_pool3d", 3, x, kernel_size, stride, padding, 1, ceil_mode)
    options = v.avg_args("avg_pool3d", count_include_pad, divisor_override)
    divisor = _avg_divisor(x.shape[2:], kernel, stride, pads, out, *options)
    return _unbatch(_avg_pool(x, kernel, stride, pads, out, divisor), batched)


def avg_pool3d_backward(grad_output, x, kernel_size, stride=None, padding=0, ceil_mode=False,
                        count_include_pad=True, divisor_override=None):
    r"""Gradient of [`avg_pool3d`][nnref.pooling.avg_pool3d]: each output's gradient shared evenly by its window.

    Concept page: [Pooling: backward](../concepts/pooling.md#backward).

    >>> import numpy as np
    >>> import nnref
    >>> grad = nnref.avg_pool3d_backward(np.full((1, 1, 1, 1, 1), 8.0), np.zeros((1, 1, 2, 2, 2)), 2)
    >>> grad.sum(), grad.max()
    (np.float64(8.0), np.float64(1.0))
    """
    g, x, kernel, stride, pads, _, out, _, batched = v.pool_backward_args(
        "avg_pool3d_backward", 3, grad_output, x, kernel_size, stride, padding, 1, ceil_mode)
    options = v.avg_args("avg_pool3d_backward", count_include_pad, divisor_override)
    divisor = _avg_divisor(x.shape[2:], kernel, stride, pads, out, *options)
    return _unbatch(_avg_pool_backward(g, x.shape[2:], kernel, stride, pads, divisor), batched)


def adaptive_avg_pool2d(x, output_size):
    r"""2-D adaptive average pooling: averages over windows chosen to give ``output_size``.

    Concept page: [Pooling: adaptive and global pooling](../concepts/pooling.md#adaptive-and-global-pooling).

    $$ y_{n,c,i,j} = \frac{1}{|R^H_i|\,|R^W_j|} \sum_{m_H \in R^H_i} \sum_{m_W \in R^W_j} x_{n,c,m_H,m_W},
       \qquad R^H_i = \left[\left\lfloor \tfrac{iH}{H_{out}} \right\rfloor,\
       \left\lceil \tfrac{(i+1)H}{H_{out}} \right\rceil\right) $$

    and $R^W_j$ likewise along $W$. Neighbouring windows may overlap by one
    element when $H_{out}$ does not divide $H$. ``output_size=1`` is global
    average pooling.

    Parameters
    ----------
    x : (N, C, H, W) or (C, H, W) array_like
    output_size : int or (int or None, int or None)
        $(H_{out}, W_{out})$; ``None`` keeps that input size.

    Returns
    -------
    y : (N, C, H_out, W_out) or (C, H_out, W_out) ndarray

    Raises
    ------
    ValueError
        If ``x`` is not 3-D or 4-D, has an empty spatial axis, or an output size is < 1.

    See Also
    --------
    adaptive_avg_pool2d_backward : gradient with respect to ``x``.
    avg_pool2d : average pooling with a fixed window.

    Notes
    -----
    Backward: each output's gradient is spread evenly over its window, so the
    gradient is the transpose of the (separable) averaging matrix applied to
    ``grad_output``.

    Examples
    --------
    Global average pooling, then a 3x3 input to 2x2 (overlapping windows):

    >>> import numpy as np
    >>> import nnref
    >>> x = np.arange(9.0).reshape(1, 1, 3, 3)
    >>> nnref.adaptive_avg_pool2d(x, 1)
    array([[[[4.]]]])
    >>> nnref.adaptive_avg_pool2d(x, 2)
    array([[[[2., 3.],
             [5., 6.]]]])
    """
    x, out, batched = v.adaptive_args("adaptive_avg_pool2d", 2, x, output_size)
    return _unbatch(_adaptive_avg(x, out), batched)


def adaptive_avg_pool2d_backward(grad_output, x, output_size):
    r"""Gradient of [`adaptive_avg_pool2d`][nnref.pooling.adaptive_avg_pool2d] with respect to ``x``, shaped like ``x``.

    Concept page: [Pooling: adaptive and global pooling](../concepts/pooling.md#adaptive-and-global-pooling).

    $$ \frac{\partial\mathcal{L}}{\partial x_{n,c,m_H,m_W}} = \sum_{i:\ m_H \in R^H_i} \sum_{j:\ m_W \in R^W_j}
       \frac{1}{|R^H_i|\,|R^W_j|} \frac{\partial\mathcal{L}}{\partial y_{n,c,i,j}} $$

    Parameters
    ----------
    grad_output : (N, C, H_out, W_out) or (C, H_out, W_out) array_like
    x : (N, C, H, W) or (C, H, W) array_like
    output_size : int or (int or None, int or None)

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.adaptive_avg_pool2d_backward(np.ones((1, 1, 2, 2)), np.zeros((1, 1, 3, 3)), 2)
    array([[[[0.25, 0.5 , 0.25],
             [0.5 , 1.  , 0.5 ],
             [0.25, 0.5 , 0.25]]]])
    """
    x, out, batched = v.adaptive_args("adaptive_avg_pool2d_backward", 2, x, output_size)
    g, x = v.batched_grad(grad_output, x.shape[:2] + out, batched, "adaptive_avg_pool2d_backward", x)
    return _unbatch(_adaptive_avg_backward(g, x.shape[2:]), batched)


def adaptive_avg_pool1d(x, output_size):
    r"""1-D adaptive average pooling: the windows of [`adaptive_avg_pool2d`][nnref.pooling.adaptive_avg_pool2d] along ``L``.

    Concept page: [Pooling: adaptive and global pooling](../concepts/pooling.md#adaptive-and-global-pooling).

    Five values into two windows, ``[0, 3)`` and ``[2, 5)``:

    >>> import nnref
    >>> nnref.adaptive_avg_pool1d([[[1., 2., 3., 4., 5.]]], 2)
    array([[[2., 4.]]])
    """
    x, out, batched = v.adaptive_args("adaptive_avg_pool1d", 1, x, output_size)
    return _unbatch(_adaptive_avg(x, out), batched)


def adaptive_avg_pool1d_backward(grad_output, x, output_size):
    r"""Gradient of [`adaptive_avg_pool1d`][nnref.pooling.adaptive_avg_pool1d]: $A^\top g$.

    Concept page: [Pooling: adaptive and global pooling](../concepts/pooling.md#adaptive-and-global-pooling).

    The middle element belongs to both windows:

    >>> import nnref
    >>> nnref.adaptive_avg_pool1d_backward([[[3., 6.]]], [[[0., 0., 0., 0., 0.]]], 2)
    array([[[1., 1., 3., 2., 2.]]])
    """
    x, out, batched = v.adaptive_args("adaptive_avg_pool1d_backward", 1, x, output_size)
    g, x = v.batched_grad(grad_output, x.shape[:2] + out, batched, "adaptive_avg_pool1d_backward", x)
    return _unbatch(_adaptive_avg_backward(g, x.shape[2:]), batched)


def adaptive_avg_pool3d(x, output_size):
    r"""3-D adaptive average pooling, to ``output_size`` $(D_{out}, H_{out}, W_{out})$ (None keeps a size).

    Concept page: [Pooling: adaptive and global pooling](../concepts/pooling.md#adaptive-and-global-pooling).

    >>> import numpy as np
    >>> import nnref
    >>> y = nnref.adaptive_avg_pool3d(np.arange(8.0).reshape(1, 1, 2, 2, 2), (1, None, 1))
    >>> y.shape, y.reshape(-1)
    ((1, 1, 1, 2, 1), array([2.5, 4.5]))
    """
    x, out, batched = v.adaptive_args("adaptive_avg_pool3d", 3, x, output_size)
    return _unbatch(_adaptive_avg(x, out), batched)


def adaptive_avg_pool3d_backward(grad_output, x, output_size):
    r"""Gradient of [`adaptive_avg_pool3d`][nnref.pooling.adaptive_avg_pool3d], the transpose of its averaging.

    Concept page: [Pooling: adaptive and global pooling](../concepts/pooling.md#adaptive-and-global-pooling).

    >>> import numpy as np
    >>> import nnref
    >>> nnref.adaptive_avg_pool3d_backward(np.full((1, 1, 1, 1, 1), 8.0), np.zeros((1, 1, 2, 2, 2)), 1)[0, 0, 1]
    array([[1., 1.],
           [1., 1.]])
    """
    x, out, batched = v.adaptive_args("adaptive_avg_pool3d_backward", 3, x, output_size)
    g, x = v.batched_grad(grad_output, x.shape[:2] + out, batched, "adaptive_avg_pool3d_backward", x)
    return _unbatch(_adaptive_avg_backward(g, x.shape[2:]), batched)


def adaptive_max_pool2d(x, output_size, return_indices=False):
    r"""2-D adaptive max pooling: maxima over windows chosen to give ``output_size``.

    Concept page: [Pooling: adaptive and global pooling](../concepts/pooling.md#adaptive-and-global-pooling).

    $$ y_{n,c,i,j} = \max_{m_H \in R^H_i,\ m_W \in R^W_j} x_{n,c,m_H,m_W},
       \qquad R^H_i = \left[\left\lfloor \tfrac{iH}{H_{out}} \right\rfloor,\
       \left\lceil \tfrac{(i+1)H}{H_{out}} \right\rceil\right) $$

    and $R^W_j$ likewise along $W$ (the windows of :func:`adaptive_avg_pool2d`).
    ``output_size=1`` is global max pooling, as at the end of a discriminator.

    Parameters
    ----------
    x : (N, C, H, W) or (C, H, W) array_like
    output_size : int or (int or None, int or None)
        $(H_{out}, W_{out})$; ``None`` keeps that input size.
    return_indices : bool, default False
        Also return where each maximum came from.

    Returns
    -------
    y : (N, C, H_out, W_out) or (C, H_out, W_out) ndarray
    indices : int64 ndarray, the shape of ``y``
        Only with ``return_indices=True``: the flat position $m_H W + m_W$ of each
        maximum in its $(H, W)$ plane, as in :func:`max_pool2d`.

    Raises
    ------
    ValueError
        If ``x`` is not 3-D or 4-D, has an empty spatial axis, or an output size is < 1.

    See Also
    --------
    adaptive_max_pool2d_backward : gradient with respect to ``x``.
    max_pool2d : max pooling with a fixed window.

    Notes
    -----
    Backward: each output's gradient goes to its window's maximum (the first in
    row-major order on ties, the last NaN if there is one, as in PyTorch);
    overlapping windows add up. The backward recomputes the positions unless it
    is given the forward's ``indices``.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> x = np.array([[[[1., 8., 2.],
    ...                 [7., 3., 4.],
    ...                 [0., 5., 9.]]]])
    >>> nnref.adaptive_max_pool2d(x, 1)
    array([[[[9.]]]])
    >>> nnref.adaptive_max_pool2d(x, 2)
    array([[[[8., 8.],
             [7., 9.]]]])
    """
    x, out, batched = v.adaptive_args("adaptive_max_pool2d", 2, x, output_size)
    y, indices = _adaptive_max(x, out)
    return _unbatch((y, indices) if v.flag(return_indices, "adaptive_max_pool2d", "return_indices") else y, batched)


def adaptive_max_pool2d_backward(grad_output, x, output_size, indices=None):
    r"""Gradient of [`adaptive_max_pool2d`][nnref.pooling.adaptive_max_pool2d] with respect to ``x``, shaped like ``x``.

    Concept page: [Pooling: adaptive and global pooling](../concepts/pooling.md#adaptive-and-global-pooling).

    $$ \frac{\partial\mathcal{L}}{\partial x_{n,c,m_H,m_W}} = \sum_{(i,j):\ (m_H,m_W) = \operatorname{argmax}_{i,j}}
       \frac{\partial\mathcal{L}}{\partial y_{n,c,i,j}} $$

    Parameters
    ----------
    grad_output : (N, C, H_out, W_out) or (C, H_out, W_out) array_like
    x : (N, C, H, W) or (C, H, W) array_like
    output_size : int or (int or None, int or None)
    indices : int array_like, the shape of ``grad_output``, optional
        The forward's ``indices``; given, the gradient is sent to them instead
        of to recomputed positions (see :func:`max_pool2d_backward`).

    Examples
    --------
    The 8 is the maximum of two overlapping windows and collects both gradients:

    >>> import numpy as np
    >>> import nnref
    >>> x = np.array([[[[1., 8., 2.],
    ...                 [7., 3., 4.],
    ...                 [0., 5., 9.]]]])
    >>> nnref.adaptive_max_pool2d_backward(np.ones((1, 1, 2, 2)), x, 2)
    array([[[[0., 2., 0.],
             [1., 0., 0.],
             [0., 0., 1.]]]])
    """
    x, out, batched = v.adaptive_args("adaptive_max_pool2d_backward", 2, x, output_size)
    g, x = v.batched_grad(grad_output, x.shape[:2] + out, batched, "adaptive_max_pool2d_backward", x)
    if indices is None:
        indices = _adaptive_max(x, out)[1]
    else:
        indices = v.plane_indices(indices, g.shape, x.shape[2:], batched, "adaptive_max_pool2d_backward")
    return _unbatch(_scatter_to(g, indices, x.shape[2:]), batched)
