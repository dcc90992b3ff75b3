r"""Pooling: max, min, average and adaptive pooling in 1, 2 and 3 spatial dimensions.

A pooling layer slides a window over each channel of a feature map and replaces
the window by one number: its maximum, its minimum or its mean. It shrinks the
spatial size of the feature maps (and so the cost of the layers after it); it
has no learnable parameters and leaves the number of parameters of the network
unchanged. Letters used throughout:

* $N$ batch size, $C$ channels, $L$ / $(H, W)$ / $(D, H, W)$ spatial sizes;
* $k$ kernel (window) size, $s$ stride, $p$ padding, $d$ dilation, per axis.

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

import numpy as np

from . import _validation as v
from .conv import pool_output_size

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

_LAYOUTS = {1: "(C, L) or (N, C, L)", 2: "(C, H, W) or (N, C, H, W)", 3: "(C, D, H, W) or (N, C, D, H, W)"}


# ----------------------------------------------------------------------------
# Argument handling shared by every entry point
# ----------------------------------------------------------------------------


def _flag(value, fn, name):
    """Raise ``TypeError`` unless ``value`` is a bool."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{fn}: {name} must be a bool, got {value!r}")
    return bool(value)


def _batched(x, nd, fn):
    """Convert ``x`` and give it a batch axis: returns ``(x, unbatched)``."""
    x = v.as_float_array(x, fn)
    v.ndim(x, (nd + 1, nd + 2), fn, layout=_LAYOUTS[nd])
    if x.ndim == nd + 1:
        return x[None], True  # (1, C, *spatial)
    return x, False


def _output_sizes(fn, spatial, k, s, p, d, ceil_mode):
    """Per-axis output sizes, with this function's name in any error."""
    out = []
    for axis, size in enumerate(spatial):
        try:
            out.append(pool_output_size(size, k[axis], s[axis], p[axis], d[axis], ceil_mode))
        except ValueError:
            raise ValueError(f"{fn}: spatial size {tuple(spatial)} is too small for kernel_size {k} "
                             f"with dilation {d} and padding {p} (the output would be empty)") from None
    return tuple(out)


def _window(fn, nd, kernel_size, stride, padding):
    """``(k, s, p)`` as tuples of ``nd`` ints; ``stride=None`` means the kernel size."""
    k = v.ntuple(kernel_size, nd, fn, "kernel_size", 1)
    s = k if stride is None else v.ntuple(stride, nd, fn, "stride", 1)
    return k, s, v.ntuple(padding, nd, fn, "padding", 0)


def _geometry(fn, x, nd, kernel_size, stride, padding, dilation, ceil_mode):
    """Check the window arguments; return ``(k, s, p, d, out)``, each a tuple of ``nd`` ints."""
    k, s, p = _window(fn, nd, kernel_size, stride, padding)
    d = v.ntuple(dilation, nd, fn, "dilation", 1)
    ceil_mode = _flag(ceil_mode, fn, "ceil_mode")
    if any(pi > ki // 2 for pi, ki in zip(p, k)):
        raise ValueError(f"{fn}: padding must be at most half the kernel size (padding <= kernel_size // 2, "
                         f"as in PyTorch), got padding={p} and kernel_size={k}")
    return k, s, p, d, _output_sizes(fn, x.shape[2:], k, s, p, d, ceil_mode)


def _grad_output(fn, grad_output, x, out_spatial, unbatched):
    """Convert ``grad_output``, check its shape and give it the batch axis ``x`` was given."""
    shape = x.shape[:2] + tuple(out_spatial)
    g = v.grad_output(grad_output, shape[1:] if unbatched else shape, fn)
    return g[None] if unbatched else g


def _unbatch(y, unbatched):
    return y[0] if unbatched else y


# ----------------------------------------------------------------------------
# Strided windows: one basic-slicing view per kernel offset
# ----------------------------------------------------------------------------


def _pad_widths(spatial, k, s, p, d, out):
    """Left and right padding that makes every window fit inside the padded input.

    The right side gets more than ``p`` when ``ceil_mode`` keeps a last window
    that runs past the right padding, and less when no window reaches it.
    """
    right = [max(0, (o - 1) * si + di * (ki - 1) + 1 - (size + pi))
             for size, ki, si, pi, di, o in zip(spatial, k, s, p, d, out)]
    return tuple(p), tuple(right)


def _pad(x, left, right, value):
    """Pad the spatial axes of ``x`` with ``value`` (no copy when there is nothing to pad)."""
    if not any(left) and not any(right):
        return x
    widths = [(0, 0), (0, 0), *zip(left, right)]
    return np.pad(x, widths, constant_values=value)  # (N, C, *padded spatial)


def _offset_slices(k, s, d, out):
    """For each kernel offset $j$ (row-major order), the index of the elements $s\\,o + d\\,j$.

    ``xp[index]`` is the ``(N, C, *out)`` view of the element at offset ``j`` of
    every window of the padded input ``xp``.
    """
    for offset in np.ndindex(*k):
        yield offset, (slice(None), slice(None), *(
            slice(di * j, di * j + si * (o - 1) + 1, si) for j, si, di, o in zip(offset, s, d, out)))


def _positions(offset, s, p, d, out):
    """Per axis, the input coordinate $s\\,o + d\\,j - p$ of offset $j$ of every window ``o``.

    Each is shaped to broadcast against ``(*out)``: ``(o, 1, ...)``, ``(1, o, ...)``, ...
    """
    for axis, (j, si, pi, di, o) in enumerate(zip(offset, s, p, d, out)):
        shape = [1] * len(out)
        shape[axis] = o
        yield (np.arange(o) * si + di * j - pi).reshape(shape)


def _valid_mask(offset, spatial, s, p, d, out):
    """Boolean ``(*out)`` mask: True where offset ``offset`` of a window is inside the input (not padding)."""
    mask = np.ones((1,) * len(out), dtype=bool)
    for pos, size in zip(_positions(offset, s, p, d, out), spatial):
        mask = mask & (pos >= 0) & (pos < size)
    return mask  # broadcasts against (N, C, *out)


def _crop(gp, left, spatial):
    """Remove the padding added by :func:`_pad` (inverse-shaped partner of it)."""
    index = (slice(None), slice(None), *(slice(lo, lo + size) for lo, size in zip(left, spatial)))
    return gp[index]


# ----------------------------------------------------------------------------
# Max pooling (min pooling is max pooling of -x)
# ----------------------------------------------------------------------------


def _max_pool(xp, k, s, d, out):
    """Max over each window of the ``-inf``-padded input ``xp``: ``(N, C, *out)``."""
    y = None
    for _, index in _offset_slices(k, s, d, out):
        y = xp[index].copy() if y is None else np.maximum(y, xp[index], out=y)
    return y


def _last_nan_offset(xp, nan, slices):
    """For windows holding a NaN (mask ``nan``), the flat offset of their last NaN."""
    last = np.zeros(nan.shape, dtype=np.int32)  # (N, C, *out)
    for flat, (_, index) in enumerate(slices):
        np.copyto(last, flat, where=nan & np.isnan(xp[index]))
    return last


def _max_hits(x, xp, y, k, s, p, d, out):
    """Yield ``(offset, index, hit)`` per kernel offset, ``hit`` marking the windows whose maximum is there.

    PyTorch's rule: the first maximum in row-major window order; if the window
    holds a NaN, its last NaN. Padding is never selected.
    """
    padded = xp.shape != x.shape
    slices = list(_offset_slices(k, s, d, out))
    nan = np.isnan(y)
    last_nan = _last_nan_offset(xp, nan, slices) if nan.any() else None
    taken = nan.copy()  # (N, C, *out) windows already routed
    for flat, (offset, index) in enumerate(slices):
        if flat == len(slices) - 1:
            hit = ~taken  # every window holds its maximum inside the input: the rest have it here
        else:
            hit = xp[index] == y
            if padded:
                hit &= _valid_mask(offset, x.shape[2:], s, p, d, out)
            np.greater(hit, taken, out=hit)  # hit and not taken
            taken |= hit
        if last_nan is not None:
            hit |= nan & (last_nan == flat)
        yield offset, index, hit


def _max_pool_backward(g, x, k, s, p, d, out):
    """Route each ``g`` value to its window's maximum; overlapping windows accumulate."""
    left, right = _pad_widths(x.shape[2:], k, s, p, d, out)
    xp = _pad(x, left, right, -np.inf)
    y = _max_pool(xp, k, s, d, out)
    gp = np.zeros(xp.shape, dtype=np.result_type(g, x))  # (N, C, *padded spatial)
    finite = np.isfinite(g).all()  # then g * hit is exact, and faster than np.where
    disjoint = all(si >= di * (ki - 1) + 1 for ki, si, di in zip(k, s, d))  # no element in two windows
    for _, index, hit in _max_hits(x, xp, y, k, s, p, d, out):
        if not finite:
            gp[index] += np.where(hit, g, np.zeros((), gp.dtype))
        elif disjoint:
            np.multiply(g, hit, out=gp[index])  # each element is written once: no need to add
        else:
            gp[index] += g * hit
    return _crop(gp, left, x.shape[2:])


def _plane_positions(offset, spatial, s, p, d, out):
    """Flat position in an ``(n, c)`` plane of ``x`` of offset ``offset`` of every window: ``(*out)`` ints.

    Positions in the padding come out wrong (they are never selected).
    """
    flat = np.zeros((1,) * len(out), dtype=np.int64)
    for pos, size in zip(_positions(offset, s, p, d, out), spatial):
        flat = flat * size + pos  # row-major ravel
    return flat


def _max_indices(x, xp, y, k, s, p, d, out):
    """``return_indices``: the flat position in its ``(n, c)`` plane of every window's maximum."""
    indices = np.zeros(y.shape, dtype=np.int64)  # (N, C, *out)
    for offset, _, hit in _max_hits(x, xp, y, k, s, p, d, out):
        indices += hit * _plane_positions(offset, x.shape[2:], s, p, d, out)  # hits are disjoint
    return indices


def _global_index(indices, size):
    """Flat positions in planes of ``size`` elements, ``(N, C, ...)``, as positions in the whole
    ``(N, C, size)`` array, flattened."""
    n, c = indices.shape[:2]
    planes = np.arange(n * c, dtype=np.int64).reshape((n, c) + (1,) * (indices.ndim - 2))
    return (indices + planes * size).reshape(-1)


def _scatter_add(g, indices, spatial, dtype):
    """Add each ``g`` value at its flat plane position ``indices``: ``(N, C, *spatial)``.

    The backward of max pooling given the forward's indices (overlapping windows add up).
    """
    size = int(np.prod(spatial))
    grad = np.zeros(g.shape[0] * g.shape[1] * size, dtype=dtype)
    np.add.at(grad, _global_index(indices, size), g.reshape(-1))
    return grad.reshape(g.shape[:2] + tuple(spatial))


def _batched_indices(fn, indices, like, unbatched, spatial):
    """Check ``indices`` against the shape of the (batched) array ``like`` and give them its batch axis;
    they are positions in planes of shape ``spatial``."""
    idx = v.indices(indices, like.shape[1:] if unbatched else like.shape, int(np.prod(spatial)), fn)
    return idx[None] if unbatched else idx


def _max_pool_nd(fn, nd, x, kernel_size, stride, padding, dilation, ceil_mode, return_indices=False, sign=1):
    """Entry-point body of max (``sign=1``) and min (``sign=-1``) pooling."""
    x, unbatched = _batched(x, nd, fn)
    k, s, p, d, out = _geometry(fn, x, nd, kernel_size, stride, padding, dilation, ceil_mode)
    left, right = _pad_widths(x.shape[2:], k, s, p, d, out)
    xs = x if sign == 1 else -x
    xp = _pad(xs, left, right, -np.inf)
    ys = _max_pool(xp, k, s, d, out)
    y = _unbatch(ys if sign == 1 else -ys, unbatched)
    if not _flag(return_indices, fn, "return_indices"):
        return y
    return y, _unbatch(_max_indices(xs, xp, ys, k, s, p, d, out), unbatched)


def _max_pool_nd_backward(fn, nd, grad_output, x, kernel_size, stride, padding, dilation, ceil_mode,
                          indices=None, sign=1):
    """Backward of :func:`_max_pool_nd`: min pooling's gradient is max pooling's at ``-x``."""
    x, unbatched = _batched(x, nd, fn)
    k, s, p, d, out = _geometry(fn, x, nd, kernel_size, stride, padding, dilation, ceil_mode)
    g = _grad_output(fn, grad_output, x, out, unbatched)
    if indices is not None:
        idx = _batched_indices(fn, indices, g, unbatched, x.shape[2:])
        return _unbatch(_scatter_add(g, idx, x.shape[2:], np.result_type(g, x)), unbatched)
    return _unbatch(_max_pool_backward(g, x if sign == 1 else -x, k, s, p, d, out), unbatched)


def max_pool2d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    r"""2-D max pooling: the largest value of each (dilated) window.

    $$ y_{n,c,i,j} = \max_{0 \le a < k_H,\ 0 \le b < k_W}
       \tilde x_{n,c,\ s_H i + d_H a - p_H,\ s_W j + d_W b - p_W} $$

    where $\tilde x$ is ``x`` padded with $-\infty$, so padding never wins.

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
        Only with ``return_indices=True``: the flat position $u W + v$ of each
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
    return _max_pool_nd("max_pool2d", 2, x, kernel_size, stride, padding, dilation, ceil_mode,
                        return_indices)


def max_pool2d_backward(grad_output, x, kernel_size, stride=None, padding=0, dilation=1,
                        ceil_mode=False, indices=None):
    r"""Gradient of :func:`max_pool2d` with respect to ``x``.

    $$ \frac{\partial L}{\partial x_{n,c,u,v}} = \sum_{(i,j):\ (u,v) = \operatorname{argmax}_{i,j}}
       \frac{\partial L}{\partial y_{n,c,i,j}} $$

    Parameters
    ----------
    grad_output : (N, C, H_out, W_out) or (C, H_out, W_out) array_like
        $\partial L / \partial y$, the shape of the forward output.
    x : (N, C, H, W) or (C, H, W) array_like
        The forward input.
    kernel_size, stride, padding, dilation, ceil_mode
        As in :func:`max_pool2d`.
    indices : int array_like, the shape of ``grad_output``, optional
        The ``indices`` of ``max_pool2d(..., return_indices=True)``. Given, the
        gradient is sent to them instead of to recomputed positions.

    Returns
    -------
    grad_input : (N, C, H, W) or (C, H, W) ndarray

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
    scatter-add, $\partial L/\partial x = $ ``max_unpool2d`` of
    $\partial L/\partial y$ when windows do not overlap. nnref does not check
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
    return _max_pool_nd_backward("max_pool2d_backward", 2, grad_output, x, kernel_size, stride, padding,
                                 dilation, ceil_mode, indices)


def max_pool1d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    r"""1-D max pooling: the largest value of each window along $L$.

    $$ y_{n,c,i} = \max_{0 \le a < k} \tilde x_{n,c,\ s i + d a - p} $$

    Parameters
    ----------
    x : (N, C, L) or (C, L) array_like
    kernel_size, stride, padding, dilation : int or (int,)
        As in :func:`max_pool2d`, for one axis.
    ceil_mode, return_indices : bool, default False
        As in :func:`max_pool2d`.

    Returns
    -------
    y : (N, C, L_out) or (C, L_out) ndarray
        $L_{out} = \lfloor (L + 2p - d(k - 1) - 1)/s \rfloor + 1$.
    indices : int64 ndarray, the shape of ``y``
        Only with ``return_indices=True``: the position of each maximum along $L$.

    See Also
    --------
    max_pool1d_backward, max_pool2d

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.max_pool1d(np.array([[[1., 3., 2., 0., 4.]]]), 2, ceil_mode=True)
    array([[[3., 2., 4.]]])
    """
    return _max_pool_nd("max_pool1d", 1, x, kernel_size, stride, padding, dilation, ceil_mode,
                        return_indices)


def max_pool1d_backward(grad_output, x, kernel_size, stride=None, padding=0, dilation=1,
                        ceil_mode=False, indices=None):
    r"""Gradient of :func:`max_pool1d` with respect to ``x`` (see :func:`max_pool2d_backward`).

    Parameters
    ----------
    grad_output : (N, C, L_out) or (C, L_out) array_like
    x : (N, C, L) or (C, L) array_like
    kernel_size, stride, padding, dilation, ceil_mode
        As in :func:`max_pool1d`.
    indices : int array_like, optional
        The forward's ``indices``, as in :func:`max_pool2d_backward`.

    Returns
    -------
    grad_input : (N, C, L) or (C, L) ndarray

    Examples
    --------
    Overlapping windows (stride 1) that share their maximum add up:

    >>> import numpy as np
    >>> import nnref
    >>> nnref.max_pool1d_backward(np.ones((1, 1, 2)), np.array([[[1., 3., 2.]]]), 2, stride=1)
    array([[[0., 2., 0.]]])
    """
    return _max_pool_nd_backward("max_pool1d_backward", 1, grad_output, x, kernel_size, stride, padding,
                                 dilation, ceil_mode, indices)


def max_pool3d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    r"""3-D max pooling: the largest value of each window over $(D, H, W)$.

    $$ y_{n,c,i,j,l} = \max_{a,b,e} \tilde x_{n,c,\ s_D i + d_D a - p_D,\
       s_H j + d_H b - p_H,\ s_W l + d_W e - p_W} $$

    Parameters
    ----------
    x : (N, C, D, H, W) or (C, D, H, W) array_like
    kernel_size, stride, padding, dilation : int or (int, int, int)
        As in :func:`max_pool2d`, per axis.
    ceil_mode, return_indices : bool, default False
        As in :func:`max_pool2d`.

    Returns
    -------
    y : (N, C, D_out, H_out, W_out) or (C, D_out, H_out, W_out) ndarray
    indices : int64 ndarray, the shape of ``y``
        Only with ``return_indices=True``: the flat position $(t H + u) W + v$
        of each maximum in its $(D, H, W)$ volume.

    See Also
    --------
    max_pool3d_backward, max_pool2d

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.max_pool3d(np.arange(8.0).reshape(1, 1, 2, 2, 2), 2)
    array([[[[[7.]]]]])
    """
    return _max_pool_nd("max_pool3d", 3, x, kernel_size, stride, padding, dilation, ceil_mode,
                        return_indices)


def max_pool3d_backward(grad_output, x, kernel_size, stride=None, padding=0, dilation=1,
                        ceil_mode=False, indices=None):
    r"""Gradient of :func:`max_pool3d` with respect to ``x`` (see :func:`max_pool2d_backward`).

    Parameters
    ----------
    grad_output : (N, C, D_out, H_out, W_out) or (C, D_out, H_out, W_out) array_like
    x : (N, C, D, H, W) or (C, D, H, W) array_like
    kernel_size, stride, padding, dilation, ceil_mode
        As in :func:`max_pool3d`.
    indices : int array_like, optional
        The forward's ``indices``, as in :func:`max_pool2d_backward`.

    Returns
    -------
    grad_input : (N, C, D, H, W) or (C, D, H, W) ndarray

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> g = nnref.max_pool3d_backward(np.ones((1, 1, 1, 1, 1)), np.arange(8.0).reshape(1, 1, 2, 2, 2), 2)
    >>> g.reshape(-1)
    array([0., 0., 0., 0., 0., 0., 0., 1.])
    """
    return _max_pool_nd_backward("max_pool3d_backward", 3, grad_output, x, kernel_size, stride, padding,
                                 dilation, ceil_mode, indices)


def min_pool2d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    r"""2-D min pooling: the smallest value of each window (PyTorch has no such op).

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
    >>> x = np.array([[ 3., 12.,  0.,  7.],
    ...               [ 8.,  1., 14.,  5.],
    ...               [10.,  6.,  2., 13.],
    ...               [ 9., 15.,  4., 11.]])
    >>> nnref.min_pool2d(x[None, None], 2)
    array([[[[1., 0.],
             [6., 2.]]]])
    """
    return _max_pool_nd("min_pool2d", 2, x, kernel_size, stride, padding, dilation, ceil_mode,
                        return_indices, sign=-1)


def min_pool2d_backward(grad_output, x, kernel_size, stride=None, padding=0, dilation=1,
                        ceil_mode=False, indices=None):
    r"""Gradient of :func:`min_pool2d` with respect to ``x``: routed to each window's minimum.

    Parameters
    ----------
    grad_output : (N, C, H_out, W_out) or (C, H_out, W_out) array_like
    x : (N, C, H, W) or (C, H, W) array_like
    kernel_size, stride, padding, dilation, ceil_mode
        As in :func:`min_pool2d`.
    indices : int array_like, optional
        The forward's ``indices``, as in :func:`max_pool2d_backward`.

    Returns
    -------
    grad_input : (N, C, H, W) or (C, H, W) ndarray

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.min_pool2d_backward(np.ones((1, 1, 1, 1)), np.array([[[[4., 1.], [1., 2.]]]]), 2)
    array([[[[0., 1.],
             [0., 0.]]]])
    """
    return _max_pool_nd_backward("min_pool2d_backward", 2, grad_output, x, kernel_size, stride, padding,
                                 dilation, ceil_mode, indices, sign=-1)


def min_pool1d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    r"""1-D min pooling, $-\text{max_pool1d}(-x)$ (see :func:`min_pool2d`).

    Parameters
    ----------
    x : (N, C, L) or (C, L) array_like
    kernel_size, stride, padding, dilation, ceil_mode, return_indices
        As in :func:`max_pool1d`.

    Returns
    -------
    y : (N, C, L_out) or (C, L_out) ndarray
    indices : int64 ndarray, the shape of ``y``
        Only with ``return_indices=True``: where each minimum came from.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.min_pool1d(np.array([[[1., 3., 2., 0.]]]), 2)
    array([[[1., 0.]]])
    """
    return _max_pool_nd("min_pool1d", 1, x, kernel_size, stride, padding, dilation, ceil_mode,
                        return_indices, sign=-1)


def min_pool1d_backward(grad_output, x, kernel_size, stride=None, padding=0, dilation=1,
                        ceil_mode=False, indices=None):
    r"""Gradient of :func:`min_pool1d` with respect to ``x``.

    Parameters
    ----------
    grad_output : (N, C, L_out) or (C, L_out) array_like
    x : (N, C, L) or (C, L) array_like
    kernel_size, stride, padding, dilation, ceil_mode
        As in :func:`min_pool1d`.
    indices : int array_like, optional
        The forward's ``indices``, as in :func:`max_pool2d_backward`.

    Returns
    -------
    grad_input : (N, C, L) or (C, L) ndarray

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.min_pool1d_backward(np.ones((1, 1, 2)), np.array([[[1., 3., 2., 0.]]]), 2)
    array([[[1., 0., 0., 1.]]])
    """
    return _max_pool_nd_backward("min_pool1d_backward", 1, grad_output, x, kernel_size, stride, padding,
                                 dilation, ceil_mode, indices, sign=-1)


def min_pool3d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    r"""3-D min pooling, $-\text{max_pool3d}(-x)$ (see :func:`min_pool2d`).

    Parameters
    ----------
    x : (N, C, D, H, W) or (C, D, H, W) array_like
    kernel_size, stride, padding, dilation, ceil_mode, return_indices
        As in :func:`max_pool3d`.

    Returns
    -------
    y : (N, C, D_out, H_out, W_out) or (C, D_out, H_out, W_out) ndarray
    indices : int64 ndarray, the shape of ``y``
        Only with ``return_indices=True``: where each minimum came from.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.min_pool3d(np.arange(8.0).reshape(1, 1, 2, 2, 2), 2)
    array([[[[[0.]]]]])
    """
    return _max_pool_nd("min_pool3d", 3, x, kernel_size, stride, padding, dilation, ceil_mode,
                        return_indices, sign=-1)


def min_pool3d_backward(grad_output, x, kernel_size, stride=None, padding=0, dilation=1,
                        ceil_mode=False, indices=None):
    r"""Gradient of :func:`min_pool3d` with respect to ``x``.

    Parameters
    ----------
    grad_output : (N, C, D_out, H_out, W_out) or (C, D_out, H_out, W_out) array_like
    x : (N, C, D, H, W) or (C, D, H, W) array_like
    kernel_size, stride, padding, dilation, ceil_mode
        As in :func:`min_pool3d`.
    indices : int array_like, optional
        The forward's ``indices``, as in :func:`max_pool2d_backward`.

    Returns
    -------
    grad_input : (N, C, D, H, W) or (C, D, H, W) ndarray

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> g = nnref.min_pool3d_backward(np.ones((1, 1, 1, 1, 1)), np.arange(8.0).reshape(1, 1, 2, 2, 2), 2)
    >>> g.reshape(-1)
    array([1., 0., 0., 0., 0., 0., 0., 0.])
    """
    return _max_pool_nd_backward("min_pool3d_backward", 3, grad_output, x, kernel_size, stride, padding,
                                 dilation, ceil_mode, indices, sign=-1)


# ----------------------------------------------------------------------------
# Max unpooling: each value back to the position its maximum came from
# ----------------------------------------------------------------------------


def _unpool_size(fn, spatial, k, s, p, output_size):
    """Output spatial size: $(L - 1)s - 2p + k$ per axis, or ``output_size`` within $s$ of it (PyTorch)."""
    default = tuple((size - 1) * si - 2 * pi + ki for size, ki, si, pi in zip(spatial, k, s, p))
    if output_size is None:
        size = default
    else:
        size = tuple(v.integer(o, fn, "output_size", 0) for o in output_size)[-len(k):]
        if len(output_size) not in (len(k), len(k) + 2) or any(
                not di - si < o < di + si for o, di, si in zip(size, default, s)):
            raise ValueError(f"{fn}: output_size must give {len(k)} spatial sizes (or the full shape), each "
                             f"strictly within stride {s} of the default {default}, got {tuple(output_size)}")
    if min(size) < 1:
        raise ValueError(f"{fn}: the output would be empty: spatial size {size} (kernel_size {k}, "
                         f"stride {s}, padding {p}, input {tuple(spatial)})")
    return size


def _unpool_args(fn, nd, x, indices, kernel_size, stride, padding, output_size):
    """Checked ``(x, global index, unbatched, out spatial)``; the index addresses ``y.reshape(-1)``."""
    x, unbatched = _batched(x, nd, fn)
    k, s, p = _window(fn, nd, kernel_size, stride, padding)
    out = _unpool_size(fn, x.shape[2:], k, s, p, output_size)
    idx = _batched_indices(fn, indices, x, unbatched, out)
    return x, _global_index(idx, int(np.prod(out))), unbatched, out


def _max_unpool_nd(fn, nd, x, indices, kernel_size, stride, padding, output_size):
    x, flat, unbatched, out = _unpool_args(fn, nd, x, indices, kernel_size, stride, padding, output_size)
    y = np.zeros(x.shape[:2] + out, dtype=x.dtype)  # (N, C, *out)
    y.reshape(-1)[flat] = x.reshape(-1)
    return _unbatch(y, unbatched)


def _max_unpool_nd_backward(fn, nd, grad_output, x, indices, kernel_size, stride, padding, output_size):
    x, flat, unbatched, out = _unpool_args(fn, nd, x, indices, kernel_size, stride, padding, output_size)
    g = _grad_output(fn, grad_output, x, out, unbatched)
    return _unbatch(g.reshape(-1)[flat].reshape(x.shape), unbatched)  # gather: the transpose of the scatter


def max_unpool2d(x, indices, kernel_size, stride=None, padding=0, output_size=None):
    r"""2-D max unpooling: a zero map with each value of ``x`` put back at its index.

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
    $\partial L/\partial x_{n,c,i,j} = \partial L/\partial y_{n,c}[\text{indices}_{n,c,i,j}]$.
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
    return _max_unpool_nd("max_unpool2d", 2, x, indices, kernel_size, stride, padding, output_size)


def max_unpool2d_backward(grad_output, x, indices, kernel_size, stride=None, padding=0, output_size=None):
    r"""Gradient of :func:`max_unpool2d` with respect to ``x``: the gradient read back at ``indices``.

    $$ \frac{\partial L}{\partial x_{n,c,i,j}} = \frac{\partial L}{\partial y_{n,c}}
       [\,\text{indices}_{n,c,i,j}\,] $$

    Parameters
    ----------
    grad_output : (N, C, H_out, W_out) or (C, H_out, W_out) array_like
        $\partial L / \partial y$, the shape of the forward output.
    x : (N, C, H, W) or (C, H, W) array_like
        The forward input (its shape and dtype are used).
    indices, kernel_size, stride, padding, output_size
        As in :func:`max_unpool2d`.

    Returns
    -------
    grad_input : (N, C, H, W) or (C, H, W) ndarray

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> g = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> nnref.max_unpool2d_backward(g, np.ones((1, 1, 2, 2)), np.array([[[[1, 6], [13, 11]]]]), 2)
    array([[[[ 1.,  6.],
             [13., 11.]]]])
    """
    return _max_unpool_nd_backward("max_unpool2d_backward", 2, grad_output, x, indices, kernel_size, stride,
                                   padding, output_size)


def max_unpool1d(x, indices, kernel_size, stride=None, padding=0, output_size=None):
    r"""1-D max unpooling (see :func:`max_unpool2d`): $y_{n,c}[\text{indices}_{n,c,i}] = x_{n,c,i}$.

    Parameters
    ----------
    x : (N, C, L) or (C, L) array_like
    indices : int array_like, the shape of ``x``
        Positions along $L_{out}$, as ``max_pool1d(..., return_indices=True)`` returns them.
    kernel_size, stride, padding : int or (int,)
    output_size : sequence of int, optional

    Returns
    -------
    y : (N, C, L_out) or (C, L_out) ndarray
        $L_{out} = (L - 1)s - 2p + k$ by default.

    See Also
    --------
    max_unpool1d_backward, max_pool1d

    Examples
    --------
    ``output_size`` restores the odd length that pooling rounded down:

    >>> import numpy as np
    >>> import nnref
    >>> y, indices = nnref.max_pool1d(np.array([[[1., 3., 2., 0., 4.]]]), 2, return_indices=True)
    >>> nnref.max_unpool1d(y, indices, 2, output_size=[5])
    array([[[0., 3., 2., 0., 0.]]])
    """
    return _max_unpool_nd("max_unpool1d", 1, x, indices, kernel_size, stride, padding, output_size)


def max_unpool1d_backward(grad_output, x, indices, kernel_size, stride=None, padding=0, output_size=None):
    r"""Gradient of :func:`max_unpool1d` with respect to ``x`` (see :func:`max_unpool2d_backward`).

    Parameters
    ----------
    grad_output : (N, C, L_out) or (C, L_out) array_like
    x : (N, C, L) or (C, L) array_like
    indices, kernel_size, stride, padding, output_size
        As in :func:`max_unpool1d`.

    Returns
    -------
    grad_input : (N, C, L) or (C, L) ndarray

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.max_unpool1d_backward(np.array([[[5., 6., 7., 8.]]]), np.ones((1, 1, 2)), np.array([[[1, 2]]]), 2)
    array([[[6., 7.]]])
    """
    return _max_unpool_nd_backward("max_unpool1d_backward", 1, grad_output, x, indices, kernel_size, stride,
                                   padding, output_size)


def max_unpool3d(x, indices, kernel_size, stride=None, padding=0, output_size=None):
    r"""3-D max unpooling (see :func:`max_unpool2d`), over flattened $(D_{out}, H_{out}, W_{out})$ volumes.

    Parameters
    ----------
    x : (N, C, D, H, W) or (C, D, H, W) array_like
    indices : int array_like, the shape of ``x``
        As ``max_pool3d(..., return_indices=True)`` returns them.
    kernel_size, stride, padding : int or (int, int, int)
    output_size : sequence of int, optional

    Returns
    -------
    y : (N, C, D_out, H_out, W_out) or (C, D_out, H_out, W_out) ndarray

    See Also
    --------
    max_unpool3d_backward, max_pool3d

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> y = nnref.max_unpool3d(np.array([[[[[7.]]]]]), np.array([[[[[5]]]]]), 2)
    >>> y.reshape(-1)
    array([0., 0., 0., 0., 0., 7., 0., 0.])
    """
    return _max_unpool_nd("max_unpool3d", 3, x, indices, kernel_size, stride, padding, output_size)


def max_unpool3d_backward(grad_output, x, indices, kernel_size, stride=None, padding=0, output_size=None):
    r"""Gradient of :func:`max_unpool3d` with respect to ``x`` (see :func:`max_unpool2d_backward`).

    Parameters
    ----------
    grad_output : (N, C, D_out, H_out, W_out) or (C, D_out, H_out, W_out) array_like
    x : (N, C, D, H, W) or (C, D, H, W) array_like
    indices, kernel_size, stride, padding, output_size
        As in :func:`max_unpool3d`.

    Returns
    -------
    grad_input : (N, C, D, H, W) or (C, D, H, W) ndarray

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> g = np.arange(8.0).reshape(1, 1, 2, 2, 2)
    >>> nnref.max_unpool3d_backward(g, np.ones((1, 1, 1, 1, 1)), np.array([[[[[5]]]]]), 2)
    array([[[[[5.]]]]])
    """
    return _max_unpool_nd_backward("max_unpool3d_backward", 3, grad_output, x, indices, kernel_size, stride,
                                   padding, output_size)


# ----------------------------------------------------------------------------
# Average pooling
# ----------------------------------------------------------------------------


def _avg_divisor(spatial, k, s, p, out, count_include_pad, divisor_override):
    """The ``(*out)`` array of divisors, PyTorch's rule.

    With ``count_include_pad`` a window counts its padding but not the part of
    it past the right padding (``ceil_mode``); without, only input elements.
    """
    if divisor_override is not None:
        return np.full(out, float(divisor_override))
    divisor = np.ones(out)
    for axis, (size, ki, si, pi, o) in enumerate(zip(spatial, k, s, p, out)):
        start = np.arange(o) * si - pi
        end = np.minimum(start + ki, size + pi)
        if not count_include_pad:
            start, end = np.maximum(start, 0), np.minimum(end, size)
        shape = [1] * len(out)
        shape[axis] = o
        divisor = divisor * (end - start).reshape(shape)  # (*out)
    return divisor


def _avg_args(fn, nd, x, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override):
    """Validate the average-pooling arguments; return ``(x, unbatched, k, s, p, d, out, divisor)``."""
    x, unbatched = _batched(x, nd, fn)
    k, s, p, d, out = _geometry(fn, x, nd, kernel_size, stride, padding, 1, ceil_mode)
    count_include_pad = _flag(count_include_pad, fn, "count_include_pad")
    if divisor_override is not None:
        divisor_override = v.integer(divisor_override, fn, "divisor_override", 1)
    divisor = _avg_divisor(x.shape[2:], k, s, p, out, count_include_pad, divisor_override)
    return x, unbatched, k, s, p, d, out, divisor.astype(x.dtype)


def _avg_pool_nd(fn, nd, x, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override):
    """Entry-point body of average pooling: window sums (zero padding) over the divisor."""
    x, unbatched, k, s, p, d, out, divisor = _avg_args(fn, nd, x, kernel_size, stride, padding, ceil_mode,
                                                       count_include_pad, divisor_override)
    left, right = _pad_widths(x.shape[2:], k, s, p, d, out)
    xp = _pad(x, left, right, 0)
    total = None
    for _, index in _offset_slices(k, s, d, out):
        total = xp[index].copy() if total is None else np.add(total, xp[index], out=total)
    return _unbatch(total / divisor, unbatched)  # (N, C, *out)


def _avg_pool_nd_backward(fn, nd, grad_output, x, kernel_size, stride, padding, ceil_mode, count_include_pad,
                          divisor_override):
    """Backward of average pooling: each window spreads ``g / divisor`` over its elements."""
    x, unbatched, k, s, p, d, out, divisor = _avg_args(fn, nd, x, kernel_size, stride, padding, ceil_mode,
                                                       count_include_pad, divisor_override)
    g = _grad_output(fn, grad_output, x, out, unbatched)
    share = g / divisor  # (N, C, *out)
    left, right = _pad_widths(x.shape[2:], k, s, p, d, out)
    gp = np.zeros(x.shape[:2] + tuple(n + lo + hi for n, lo, hi in zip(x.shape[2:], left, right)),
                  dtype=share.dtype)  # (N, C, *padded spatial)
    for _, index in _offset_slices(k, s, d, out):
        gp[index] += share
    return _unbatch(_crop(gp, left, x.shape[2:]), unbatched)


def avg_pool2d(x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    r"""2-D average pooling: the mean of each window.

    $$ y_{n,c,i,j} = \frac{1}{m_{ij}} \sum_{a < k_H,\ b < k_W}
       \tilde x_{n,c,\ s_H i + a - p_H,\ s_W j + b - p_W} $$

    where $\tilde x$ is ``x`` padded with zeros and the divisor $m_{ij}$ is
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
    Backward: each output's gradient is spread evenly, $g_{ij} / m_{ij}$, over
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
    return _avg_pool_nd("avg_pool2d", 2, x, kernel_size, stride, padding, ceil_mode, count_include_pad,
                        divisor_override)


def avg_pool2d_backward(grad_output, x, kernel_size, stride=None, padding=0, ceil_mode=False,
                        count_include_pad=True, divisor_override=None):
    r"""Gradient of :func:`avg_pool2d` with respect to ``x``.

    $$ \frac{\partial L}{\partial x_{n,c,u,v}} = \sum_{(i,j):\ (u,v) \in \text{window}_{ij}}
       \frac{1}{m_{ij}} \frac{\partial L}{\partial y_{n,c,i,j}} $$

    Parameters
    ----------
    grad_output : (N, C, H_out, W_out) or (C, H_out, W_out) array_like
    x : (N, C, H, W) or (C, H, W) array_like
        The forward input (only its shape and dtype are used).
    kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override
        As in :func:`avg_pool2d`.

    Returns
    -------
    grad_input : (N, C, H, W) or (C, H, W) ndarray

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.avg_pool2d_backward(np.array([[[[4.]]]]), np.zeros((1, 1, 2, 2)), 2)
    array([[[[1., 1.],
             [1., 1.]]]])
    """
    return _avg_pool_nd_backward("avg_pool2d_backward", 2, grad_output, x, kernel_size, stride, padding,
                                 ceil_mode, count_include_pad, divisor_override)


def avg_pool1d(x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    r"""1-D average pooling: the mean of each window along $L$ (see :func:`avg_pool2d`).

    $$ y_{n,c,i} = \frac{1}{m_i} \sum_{a < k} \tilde x_{n,c,\ s i + a - p} $$

    Parameters
    ----------
    x : (N, C, L) or (C, L) array_like
    kernel_size, stride, padding : int or (int,)
    ceil_mode, count_include_pad : bool
    divisor_override : int, optional
        Not in PyTorch's ``avg_pool1d``; nnref accepts it in every dimension.
        It equals ``avg_pool2d`` on ``x[..., None, :]`` with kernel ``(1, k)``.

    Returns
    -------
    y : (N, C, L_out) or (C, L_out) ndarray

    See Also
    --------
    avg_pool1d_backward, avg_pool2d

    Examples
    --------
    With padding, ``count_include_pad`` decides whether the zeros count:

    >>> import numpy as np
    >>> import nnref
    >>> x = np.array([[[3., 6., 9.]]])
    >>> nnref.avg_pool1d(x, 3, stride=1, padding=1)
    array([[[3., 6., 5.]]])
    >>> nnref.avg_pool1d(x, 3, stride=1, padding=1, count_include_pad=False)
    array([[[4.5, 6. , 7.5]]])
    """
    return _avg_pool_nd("avg_pool1d", 1, x, kernel_size, stride, padding, ceil_mode, count_include_pad,
                        divisor_override)


def avg_pool1d_backward(grad_output, x, kernel_size, stride=None, padding=0, ceil_mode=False,
                        count_include_pad=True, divisor_override=None):
    r"""Gradient of :func:`avg_pool1d` with respect to ``x`` (see :func:`avg_pool2d_backward`).

    Parameters
    ----------
    grad_output : (N, C, L_out) or (C, L_out) array_like
    x : (N, C, L) or (C, L) array_like
    kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override
        As in :func:`avg_pool1d`.

    Returns
    -------
    grad_input : (N, C, L) or (C, L) ndarray

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.avg_pool1d_backward(np.array([[[2., 4.]]]), np.zeros((1, 1, 4)), 2)
    array([[[1., 1., 2., 2.]]])
    """
    return _avg_pool_nd_backward("avg_pool1d_backward", 1, grad_output, x, kernel_size, stride, padding,
                                 ceil_mode, count_include_pad, divisor_override)


def avg_pool3d(x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    r"""3-D average pooling: the mean of each window over $(D, H, W)$ (see :func:`avg_pool2d`).

    Parameters
    ----------
    x : (N, C, D, H, W) or (C, D, H, W) array_like
    kernel_size, stride, padding : int or (int, int, int)
    ceil_mode, count_include_pad : bool
    divisor_override : int, optional

    Returns
    -------
    y : (N, C, D_out, H_out, W_out) or (C, D_out, H_out, W_out) ndarray

    See Also
    --------
    avg_pool3d_backward, avg_pool2d

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.avg_pool3d(np.arange(8.0).reshape(1, 1, 2, 2, 2), 2)
    array([[[[[3.5]]]]])
    """
    return _avg_pool_nd("avg_pool3d", 3, x, kernel_size, stride, padding, ceil_mode, count_include_pad,
                        divisor_override)


def avg_pool3d_backward(grad_output, x, kernel_size, stride=None, padding=0, ceil_mode=False,
                        count_include_pad=True, divisor_override=None):
    r"""Gradient of :func:`avg_pool3d` with respect to ``x`` (see :func:`avg_pool2d_backward`).

    Parameters
    ----------
    grad_output : (N, C, D_out, H_out, W_out) or (C, D_out, H_out, W_out) array_like
    x : (N, C, D, H, W) or (C, D, H, W) array_like
    kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override
        As in :func:`avg_pool3d`.

    Returns
    -------
    grad_input : (N, C, D, H, W) or (C, D, H, W) ndarray

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> g = nnref.avg_pool3d_backward(np.array([[[[[8.]]]]]), np.zeros((1, 1, 2, 2, 2)), 2)
    >>> g.reshape(-1)
    array([1., 1., 1., 1., 1., 1., 1., 1.])
    """
    return _avg_pool_nd_backward("avg_pool3d_backward", 3, grad_output, x, kernel_size, stride, padding,
                                 ceil_mode, count_include_pad, divisor_override)


# ----------------------------------------------------------------------------
# Adaptive pooling: the windows are chosen to give a requested output size
# ----------------------------------------------------------------------------


def _adaptive_sizes(fn, output_size, spatial):
    """Expand ``output_size`` (an int, or a tuple whose ``None`` entries keep the input size)."""
    nd = len(spatial)
    if isinstance(output_size, (tuple, list)):
        if len(output_size) != nd:
            raise ValueError(f"{fn}: output_size must be an int or a tuple of {nd} ints or None, "
                             f"got {output_size!r}")
        return tuple(size if o is None else v.integer(o, fn, "output_size", 1)
                     for o, size in zip(output_size, spatial))
    return v.ntuple(output_size, nd, fn, "output_size", 1)


def _adaptive_windows(size, out):
    """PyTorch's adaptive windows along one axis, as gather indices.

    Window $i$ is $[\\lfloor iL/o \\rfloor, \\lceil (i+1)L/o \\rceil)$. Returns
    ``index`` ``(out, K)`` (offset $j$ of window $i$, clamped to its last
    element), ``inside`` ``(out, K)`` (True where $j$ is inside the window) and
    ``count`` ``(out,)``, with $K$ the largest window.
    """
    i = np.arange(out)
    start = (i * size) // out
    end = -((-(i + 1) * size) // out)  # ceil((i + 1) * size / out)
    count = end - start
    j = np.arange(count.max())
    index = np.minimum(start[:, None] + j, end[:, None] - 1)  # (out, K)
    return index, j < count[:, None], count


def _adaptive_args(fn, nd, x, output_size):
    """Validate; return ``(x, unbatched, windows)`` with one ``_adaptive_windows`` triple per axis."""
    x, unbatched = _batched(x, nd, fn)
    if any(size == 0 for size in x.shape[2:]):
        raise ValueError(f"{fn}: spatial sizes must be positive, got shape {x.shape}")
    out = _adaptive_sizes(fn, output_size, x.shape[2:])
    return x, unbatched, [_adaptive_windows(size, o) for size, o in zip(x.shape[2:], out)]


def _adaptive_avg(x, windows):
    """Separable window sums (masked gathers along each axis), then divide by the window sizes."""
    y = x
    zero = np.zeros((), dtype=x.dtype)
    for axis, (index, inside, _) in enumerate(windows, start=2):
        shape = [1] * x.ndim
        shape[axis] = index.shape[0]
        total = 0
        for j in range(index.shape[1]):
            total = total + np.where(inside[:, j].reshape(shape), np.take(y, index[:, j], axis=axis), zero)
        y = total  # (N, C, ..., out along axis, ...)
    for axis, (_, _, count) in enumerate(windows, start=2):
        shape = [1] * x.ndim
        shape[axis] = count.size
        y = y / count.reshape(shape).astype(x.dtype)
    return y


def _adaptive_avg_backward(g, windows, spatial):
    """Transpose of :func:`_adaptive_avg`: per axis, multiply by the (out, L) averaging matrix."""
    grad = g
    for axis, ((index, inside, count), size) in enumerate(zip(windows, spatial), start=2):
        matrix = np.zeros((index.shape[0], size), dtype=g.dtype)  # (out, L)
        rows = np.repeat(np.arange(index.shape[0]), inside.sum(axis=1))
        matrix[rows, index[inside]] = 1
        matrix /= count[:, None].astype(g.dtype)
        grad = np.moveaxis(np.tensordot(grad, matrix, axes=(axis, 0)), -1, axis)  # L replaces out
    return grad


def _adaptive_avg_nd_backward(fn, nd, grad_output, x, output_size):
    """Entry-point body of the adaptive average pooling backward passes."""
    x, unbatched, windows = _adaptive_args(fn, nd, x, output_size)
    g = _grad_output(fn, grad_output, x, [w[0].shape[0] for w in windows], unbatched)
    grad = _adaptive_avg_backward(g.astype(np.result_type(g, x), copy=False), windows, x.shape[2:])
    return _unbatch(grad, unbatched)


def adaptive_avg_pool2d(x, output_size):
    r"""2-D adaptive average pooling: averages over windows chosen to give ``output_size``.

    $$ y_{n,c,i,j} = \frac{1}{|R_i|\,|S_j|} \sum_{u \in R_i} \sum_{v \in S_j} x_{n,c,u,v},
       \qquad R_i = \left[\left\lfloor \tfrac{iH}{H_{out}} \right\rfloor,\
       \left\lceil \tfrac{(i+1)H}{H_{out}} \right\rceil\right) $$

    and $S_j$ likewise along $W$. Neighbouring windows may overlap by one
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
    x, unbatched, windows = _adaptive_args("adaptive_avg_pool2d", 2, x, output_size)
    return _unbatch(_adaptive_avg(x, windows), unbatched)


def adaptive_avg_pool2d_backward(grad_output, x, output_size):
    r"""Gradient of :func:`adaptive_avg_pool2d` with respect to ``x``.

    $$ \frac{\partial L}{\partial x_{n,c,u,v}} = \sum_{i:\ u \in R_i} \sum_{j:\ v \in S_j}
       \frac{1}{|R_i|\,|S_j|} \frac{\partial L}{\partial y_{n,c,i,j}} $$

    Parameters
    ----------
    grad_output : (N, C, H_out, W_out) or (C, H_out, W_out) array_like
    x : (N, C, H, W) or (C, H, W) array_like
    output_size : int or (int or None, int or None)

    Returns
    -------
    grad_input : (N, C, H, W) or (C, H, W) ndarray

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.adaptive_avg_pool2d_backward(np.ones((1, 1, 2, 2)), np.zeros((1, 1, 3, 3)), 2)
    array([[[[0.25, 0.5 , 0.25],
             [0.5 , 1.  , 0.5 ],
             [0.25, 0.5 , 0.25]]]])
    """
    return _adaptive_avg_nd_backward("adaptive_avg_pool2d_backward", 2, grad_output, x, output_size)




def adaptive_avg_pool1d(x, output_size):
    r"""1-D adaptive average pooling (see :func:`adaptive_avg_pool2d`).

    Parameters
    ----------
    x : (N, C, L) or (C, L) array_like
    output_size : int or (int or None,)
        ``None`` keeps the input length (PyTorch accepts ``None`` only in 2-D and 3-D).

    Returns
    -------
    y : (N, C, L_out) or (C, L_out) ndarray

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.adaptive_avg_pool1d(np.array([[[1., 2., 3., 4., 5.]]]), 2)
    array([[[2., 4.]]])
    """
    x, unbatched, windows = _adaptive_args("adaptive_avg_pool1d", 1, x, output_size)
    return _unbatch(_adaptive_avg(x, windows), unbatched)


def adaptive_avg_pool1d_backward(grad_output, x, output_size):
    r"""Gradient of :func:`adaptive_avg_pool1d` with respect to ``x``.

    Parameters
    ----------
    grad_output : (N, C, L_out) or (C, L_out) array_like
    x : (N, C, L) or (C, L) array_like
    output_size : int or (int or None,)

    Returns
    -------
    grad_input : (N, C, L) or (C, L) ndarray

    Examples
    --------
    The middle element belongs to both windows:

    >>> import numpy as np
    >>> import nnref
    >>> nnref.adaptive_avg_pool1d_backward(np.array([[[3., 6.]]]), np.zeros((1, 1, 5)), 2)
    array([[[1., 1., 3., 2., 2.]]])
    """
    return _adaptive_avg_nd_backward("adaptive_avg_pool1d_backward", 1, grad_output, x, output_size)


def adaptive_avg_pool3d(x, output_size):
    r"""3-D adaptive average pooling (see :func:`adaptive_avg_pool2d`).

    Parameters
    ----------
    x : (N, C, D, H, W) or (C, D, H, W) array_like
    output_size : int or tuple of 3 (int or None)

    Returns
    -------
    y : (N, C, D_out, H_out, W_out) or (C, D_out, H_out, W_out) ndarray

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.adaptive_avg_pool3d(np.arange(8.0).reshape(1, 1, 2, 2, 2), (1, None, 1))
    array([[[[[2.5],
              [4.5]]]]])
    """
    x, unbatched, windows = _adaptive_args("adaptive_avg_pool3d", 3, x, output_size)
    return _unbatch(_adaptive_avg(x, windows), unbatched)


def adaptive_avg_pool3d_backward(grad_output, x, output_size):
    r"""Gradient of :func:`adaptive_avg_pool3d` with respect to ``x``.

    Parameters
    ----------
    grad_output : (N, C, D_out, H_out, W_out) or (C, D_out, H_out, W_out) array_like
    x : (N, C, D, H, W) or (C, D, H, W) array_like
    output_size : int or tuple of 3 (int or None)

    Returns
    -------
    grad_input : (N, C, D, H, W) or (C, D, H, W) ndarray

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> g = nnref.adaptive_avg_pool3d_backward(np.array([[[[[8.]]]]]), np.zeros((1, 1, 2, 2, 2)), 1)
    >>> g.reshape(-1)
    array([1., 1., 1., 1., 1., 1., 1., 1.])
    """
    return _adaptive_avg_nd_backward("adaptive_avg_pool3d_backward", 3, grad_output, x, output_size)


def _adaptive_max(x, windows):
    """Max over adaptive windows and the flat spatial index it came from, both ``(N, C, *out)``.

    One gather per window offset tuple (at most $K_H K_W$ of them), visited in
    row-major order; offsets past a window's end are skipped. PyTorch's rule:
    a value replaces the current best if it is larger or NaN, so the first
    maximum wins, or the last NaN.
    """
    best, where = None, None
    for offsets in np.ndindex(*[index.shape[1] for index, _, _ in windows]):
        value, coords, inside = x, [], True
        for axis, ((index, mask, _), j) in enumerate(zip(windows, offsets), start=2):
            value = np.take(value, index[:, j], axis=axis)
            coords.append(index[:, j])
            inside = np.logical_and.outer(inside, mask[:, j]) if axis > 2 else mask[:, j]
        flat = np.ravel_multi_index(np.ix_(*coords), x.shape[2:])  # (*out)
        if best is None:  # offset (0, ..., 0) is inside every window
            best, where = value.copy(), np.broadcast_to(flat, value.shape).copy()
            continue
        take = inside & ((value > best) | np.isnan(value))
        np.copyto(best, value, where=take)
        np.copyto(where, flat, where=take)
    return best, where


def adaptive_max_pool2d(x, output_size, return_indices=False):
    r"""2-D adaptive max pooling: maxima over windows chosen to give ``output_size``.

    $$ y_{n,c,i,j} = \max_{u \in R_i,\ v \in S_j} x_{n,c,u,v},
       \qquad R_i = \left[\left\lfloor \tfrac{iH}{H_{out}} \right\rfloor,\
       \left\lceil \tfrac{(i+1)H}{H_{out}} \right\rceil\right) $$

    and $S_j$ likewise along $W$ (the windows of :func:`adaptive_avg_pool2d`).
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
        Only with ``return_indices=True``: the flat position $u W + v$ of each
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
    x, unbatched, windows = _adaptive_args("adaptive_max_pool2d", 2, x, output_size)
    y, where = _adaptive_max(x, windows)
    if not _flag(return_indices, "adaptive_max_pool2d", "return_indices"):
        return _unbatch(y, unbatched)
    return _unbatch(y, unbatched), _unbatch(where, unbatched)


def adaptive_max_pool2d_backward(grad_output, x, output_size, indices=None):
    r"""Gradient of :func:`adaptive_max_pool2d` with respect to ``x``.

    $$ \frac{\partial L}{\partial x_{n,c,u,v}} = \sum_{(i,j):\ (u,v) = \operatorname{argmax}_{i,j}}
       \frac{\partial L}{\partial y_{n,c,i,j}} $$

    Parameters
    ----------
    grad_output : (N, C, H_out, W_out) or (C, H_out, W_out) array_like
    x : (N, C, H, W) or (C, H, W) array_like
    output_size : int or (int or None, int or None)
    indices : int array_like, the shape of ``grad_output``, optional
        The forward's ``indices``; given, the gradient is sent to them instead
        of to recomputed positions (see :func:`max_pool2d_backward`).

    Returns
    -------
    grad_input : (N, C, H, W) or (C, H, W) ndarray

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
    fn = "adaptive_max_pool2d_backward"
    x, unbatched, windows = _adaptive_args(fn, 2, x, output_size)
    g = _grad_output(fn, grad_output, x, [w[0].shape[0] for w in windows], unbatched)
    if indices is None:
        where = _adaptive_max(x, windows)[1]
    else:
        where = _batched_indices(fn, indices, g, unbatched, x.shape[2:])
    return _unbatch(_scatter_add(g, where, x.shape[2:], np.result_type(g, x)), unbatched)
