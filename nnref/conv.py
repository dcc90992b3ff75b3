r"""Convolution, transposed convolution and padding, forward and backward.

A convolution layer slides a small kernel over its input and, at every
position, takes the dot product of the kernel with the window under it.
Letters used throughout: $N$ batch size, $C_{in}$ / $C_{out}$ channels,
$L$ / $H \times W$ / $D \times H \times W$ spatial sizes (1-D / 2-D / 3-D),
$k$ kernel size, $s$ stride, $p$ padding, $d$ dilation, $G$ groups.

One N-dimensional implementation (the private ``nnref._im2col``) serves
all of ``conv1d``, ``conv2d``, ``conv3d`` and their transposes; the named
functions here validate their arguments and document the op. The output-size
arithmetic is public: :func:`conv_output_size`, :func:`conv_transpose_output_size`
and :func:`pool_output_size` (used by :mod:`nnref.pooling`).
"""

import numpy as np

from . import _im2col
from . import _validation as v

__all__ = [
    "conv_output_size",
    "conv_transpose_output_size",
    "pool_output_size",
    "pad",
    "pad_backward",
    "conv1d",
    "conv1d_backward",
    "conv2d",
    "conv2d_backward",
    "conv3d",
    "conv3d_backward",
    "conv_transpose1d",
    "conv_transpose1d_backward",
    "conv_transpose2d",
    "conv_transpose2d_backward",
    "conv_transpose3d",
    "conv_transpose3d_backward",
    "checkerboard_overlap",
]

_AXES = {1: ("length",), 2: ("height", "width"), 3: ("depth", "height", "width")}
_LAYOUT = {1: "(N, C, L) or (C, L)", 2: "(N, C, H, W) or (C, H, W)", 3: "(N, C, D, H, W) or (C, D, H, W)"}


# ----------------------------------------------------------------------------- shape arithmetic

def _conv_size(fn, axis, size, k, s, lo, hi, d):
    """Convolution output length along one axis, or a ValueError that shows the arithmetic."""
    span, padded = d * (k - 1) + 1, size + lo + hi
    if span > padded:
        shown = f"{size} + 2*{lo}" if lo == hi else f"{size} + {lo} + {hi}"
        spans = "" if d == 1 else f" spans {d}*({k}-1)+1 = {span} and"
        raise ValueError(f"{fn}: kernel {k} (dilation {d}){spans} is larger than the padded input {axis} "
                         f"{shown} = {padded}; add padding or use a smaller kernel")
    return (padded - span) // s + 1


def _transpose_size(fn, axis, size, k, s, p, op, d):
    """Transposed-convolution output length along one axis, or a ValueError showing the arithmetic."""
    if op >= s and op >= d:
        raise ValueError(f"{fn}: output_padding {op} must be smaller than the stride {s} or the dilation {d} "
                         f"along the {axis}, as in PyTorch; use output_padding < {max(s, d)}")
    out = (size - 1) * s - 2 * p + d * (k - 1) + op + 1
    if out < 1:
        raise ValueError(f"{fn}: output {axis} (i-1)*s - 2*p + d*(k-1) + output_padding + 1 = "
                         f"({size}-1)*{s} - 2*{p} + {d}*({k}-1) + {op} + 1 = {out} is not positive; "
                         "use less padding")
    return out


def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    r"""Output length of a convolution along one spatial axis.

    $$ o = \left\lfloor \frac{i + 2p - d(k - 1) - 1}{s} \right\rfloor + 1 $$

    $d(k - 1) + 1$ is the span of the dilated kernel; the floor drops a last
    window that would stick out of the padded input.

    Parameters
    ----------
    size : int
        Input length $i$.
    kernel_size : int
        Kernel size $k$.
    stride : int, default 1
        Step $s$ between windows.
    padding : int, default 0
        Zeros $p$ added on each side.
    dilation : int, default 1
        Spacing $d$ between kernel taps.

    Returns
    -------
    o : int

    Raises
    ------
    ValueError
        If an argument is out of range, or the dilated kernel is larger than the
        padded input (the message shows the arithmetic).

    See Also
    --------
    conv_transpose_output_size : the inverse map.
    pool_output_size : the same formula with PyTorch's ``ceil_mode``.

    Examples
    --------
    The notes' 5x5 image with a 3x3 filter, at stride 1 and 2, and "same"
    padding $p = 1$:

    >>> import nnref
    >>> nnref.conv_output_size(5, 3), nnref.conv_output_size(5, 3, stride=2)
    (3, 2)
    >>> nnref.conv_output_size(5, 3, padding=1)
    5
    >>> nnref.conv_output_size(32, 3, stride=2, padding=1, dilation=2)
    15
    """
    fn = "conv_output_size"
    size, k = v.integer(size, fn, "size", 1), v.integer(kernel_size, fn, "kernel_size", 1)
    s, p = v.integer(stride, fn, "stride", 1), v.integer(padding, fn, "padding", 0)
    d = v.integer(dilation, fn, "dilation", 1)
    return _conv_size(fn, "size", size, k, s, p, p, d)


def conv_transpose_output_size(size, kernel_size, stride=1, padding=0, output_padding=0, dilation=1):
    r"""Output length of a transposed convolution along one spatial axis.

    $$ o = (i - 1)s - 2p + d(k - 1) + \text{output_padding} + 1 $$

    A strided convolution maps several input lengths to the same output length
    (the floor in :func:`conv_output_size`); ``output_padding`` picks which of
    them the transposed convolution produces, so it must be smaller than the
    stride (or the dilation, as PyTorch allows).

    Parameters
    ----------
    size : int
        Input length $i$ (the length of the convolution's output).
    kernel_size : int
        Kernel size $k$.
    stride : int, default 1
    padding : int, default 0
        The padding of the convolution this transposes: it *removes* $p$
        entries from each end of the output.
    output_padding : int, default 0
        Extra entries added at the end of the output.
    dilation : int, default 1

    Returns
    -------
    o : int

    Raises
    ------
    ValueError
        If an argument is out of range, ``output_padding`` is not smaller than
        the stride or the dilation, or the output would be empty.

    See Also
    --------
    conv_output_size : the forward map.

    Examples
    --------
    Doubling a 16-pixel feature map with a 4-tap kernel, stride 2, padding 1,
    and the convolution it transposes:

    >>> import nnref
    >>> nnref.conv_transpose_output_size(16, 4, stride=2, padding=1)
    32
    >>> nnref.conv_output_size(32, 4, stride=2, padding=1)
    16

    With kernel 3 and stride 2, lengths 31 and 32 both convolve to 16;
    ``output_padding`` chooses between them:

    >>> [nnref.conv_transpose_output_size(16, 3, 2, 1, output_padding=a) for a in (0, 1)]
    [31, 32]
    """
    fn = "conv_transpose_output_size"
    size, k = v.integer(size, fn, "size", 1), v.integer(kernel_size, fn, "kernel_size", 1)
    s, p = v.integer(stride, fn, "stride", 1), v.integer(padding, fn, "padding", 0)
    op, d = v.integer(output_padding, fn, "output_padding", 0), v.integer(dilation, fn, "dilation", 1)
    return _transpose_size(fn, "size", size, k, s, p, op, d)


def pool_output_size(size, kernel_size, stride, padding=0, dilation=1, ceil_mode=False):
    r"""Output length of a pooling window sliding along one axis.

    $$ o = \left\lfloor \frac{i + 2p - d(k - 1) - 1}{s} \right\rfloor + 1 $$

    With ``ceil_mode=True`` the floor becomes a ceiling, but, as in PyTorch,
    a last window that would start in the right padding (at or beyond
    $i + p$) is dropped: if $(o - 1)s \ge i + p$ then $o$ is reduced by 1.

    Parameters
    ----------
    size : int
        Input length $i$ along the axis.
    kernel_size : int
        Window size $k$.
    stride : int
        Step $s$ between windows.
    padding : int, default 0
        Implicit padding $p$ on each side.
    dilation : int, default 1
        Spacing $d$ between window elements.
    ceil_mode : bool, default False
        Round up instead of down (keep a partial last window).

    Returns
    -------
    o : int

    Raises
    ------
    ValueError
        If the arguments are not positive integers (``padding`` >= 0), or the
        output would be empty (the dilated window is larger than the padded
        input; with ``ceil_mode`` PyTorch still keeps one partial window).

    Examples
    --------
    >>> import nnref
    >>> nnref.pool_output_size(4, 2, 2)
    2
    >>> nnref.pool_output_size(5, 2, 2), nnref.pool_output_size(5, 2, 2, ceil_mode=True)
    (2, 3)
    >>> nnref.pool_output_size(6, 3, 2, padding=1, ceil_mode=True)
    4
    """
    fn = "pool_output_size"
    size, k = v.integer(size, fn, "size", 1), v.integer(kernel_size, fn, "kernel_size", 1)
    s, p = v.integer(stride, fn, "stride", 1), v.integer(padding, fn, "padding", 0)
    d = v.integer(dilation, fn, "dilation", 1)
    span = d * (k - 1) + 1
    numerator = size + 2 * p - span
    out = (numerator + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= size + p:
        out -= 1  # the last window would start in the right padding
    if out < 1:
        raise ValueError(f"{fn}: kernel {k} (dilation {d}) spans {span}, more than the padded input "
                         f"{size} + 2*{p} = {size + 2 * p}; add padding or use a smaller kernel")
    return out


# ----------------------------------------------------------------------------- padding

_PAD_MODES = ("constant", "reflect", "replicate", "circular")
_NUMPY_PAD_MODE = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def _pad_args(fn, x, pad, mode, value):
    """Validate :func:`pad`'s arguments; return ``x``, one (before, after) pair per padded axis, mode, value."""
    x = v.as_float_array(x, fn)
    mode = v.choice(mode, _PAD_MODES, fn, "mode")
    if not isinstance(pad, (tuple, list)) or len(pad) % 2 or not pad:
        raise ValueError(f"{fn}: pad must be a non-empty tuple of (before, after) pairs, last dimension first, "
                         f"got {pad!r}")
    pad = tuple(v.integer(p, fn, "pad") for p in pad)
    m = len(pad) // 2
    if m > x.ndim:
        raise ValueError(f"{fn}: pad has {m} pairs but x has only {x.ndim} dimensions (shape {x.shape})")
    if mode != "constant" and (m > 3 or x.ndim not in (m + 1, m + 2)):
        raise ValueError(f"{fn}: mode={mode!r} pads the last 1, 2 or 3 dimensions of an input with one or two "
                         f"more dimensions (C or N, C first), as in PyTorch; got {m} pairs for shape {x.shape}")
    value = v.real(value, fn, "value")
    if mode != "constant" and value != 0.0:
        raise ValueError(f"{fn}: value is only used with mode='constant', got value={value!r} with mode={mode!r}")
    pairs = [(pad[2 * j], pad[2 * j + 1]) for j in reversed(range(m))]  # first padded axis first
    for axis, (lo, hi) in enumerate(pairs, start=x.ndim - m):
        _check_pad_axis(fn, mode, x.shape[axis], lo, hi, axis)
    return x, pairs, mode, value


def _check_pad_axis(fn, mode, n, lo, hi, axis):
    """Raise if ``(lo, hi)`` cannot pad an axis of length ``n`` in ``mode`` (PyTorch's limits)."""
    out = n + lo + hi
    kept = n - max(-lo, 0) - max(-hi, 0)  # what negative pads leave of x
    where = f"pad ({lo}, {hi}) for dimension {axis} of size {n}"
    if mode == "reflect" and max(lo, hi) >= n:
        raise ValueError(f"{fn}: reflect padding must be smaller than the dimension it pads, got {where}; "
                         "use mode='replicate' or a smaller pad")
    if mode == "circular" and max(lo, hi) > kept:
        raise ValueError(f"{fn}: circular padding cannot wrap around more than once, got {where}; "
                         "use a pad at most the (cropped) size")
    if out < (1 if mode in ("reflect", "replicate") else 0):
        raise ValueError(f"{fn}: the padded size {n} + {lo} + {hi} = {out} is too small, from {where}")


def _source_index(n, lo, hi, mode):
    """Which input index each output position copies along one axis (a non-constant mode).

    :func:`pad` itself uses ``np.pad`` (faster); this spells the same map out
    for :func:`pad_backward`, and the tests check that the two agree.
    """
    p = np.arange(-lo, n + hi)  # output positions, in input coordinates
    if mode == "reflect":
        p = np.abs(p)
        return np.where(p > n - 1, 2 * (n - 1) - p, p)
    if mode == "circular":  # PyTorch crops first, then wraps around what is left
        start, stop = max(-lo, 0), n - max(-hi, 0)
        return start + (p - start) % max(stop - start, 1)
    return np.clip(p, 0, n - 1)  # replicate


def pad(x, pad, mode="constant", value=0.0):
    r"""Pad (or crop) the trailing dimensions of ``x``, as ``torch.nn.functional.pad``.

    ``pad`` lists ``(before, after)`` pairs starting from the **last** dimension:
    ``(left, right)`` pads the width, ``(left, right, top, bottom)`` also the
    height, and so on. Along one axis of length $n$, output position $t$ copies
    input position $q = t - \text{before}$ mapped into $[0, n)$ by the mode:

    | mode | $q < 0$ or $q \ge n$ becomes | ``x = [a, b, c]``, ``pad=(2, 2)`` |
    | --- | --- | --- |
    | ``'constant'`` | ``value`` | ``0 0 a b c 0 0`` |
    | ``'reflect'`` | mirror without repeating the edge | ``c b a b c b a`` |
    | ``'replicate'`` | the nearest edge entry | ``a a a b c c c`` |
    | ``'circular'`` | wrap around (periodic) | ``b c a b c a b`` |

    Parameters
    ----------
    x : (*) array_like
        Input. The non-constant modes need PyTorch's layouts: $m$ pairs pad an
        input with $m + 1$ or $m + 2$ dimensions, $m \le 3$.
    pad : tuple of int
        An even number of ints, pairs for the last dimension first. Negative
        numbers crop.
    mode : {'constant', 'reflect', 'replicate', 'circular'}, default 'constant'
    value : float, default 0.0
        Fill value for ``'constant'``.

    Returns
    -------
    y : ndarray
        ``x.shape`` with ``before + after`` added to each padded dimension; same
        floating dtype as ``x``.

    Raises
    ------
    ValueError
        If ``pad`` is not a sequence of pairs or has more pairs than ``x`` has
        dimensions, the layout does not suit a non-constant mode, a reflect pad
        is not smaller than its dimension, a circular pad wraps more than once,
        or a padded size would be negative (zero for reflect and replicate).

    See Also
    --------
    pad_backward : gradient with respect to ``x``.

    Notes
    -----
    Padding is linear and acts on each axis separately: along axis $a$ it is a
    0/1 matrix $P_a$ (one 1 per row, in the column it copies from; an all-zero
    row for a constant entry). So the backward pass applies $P_a^{\top}$: every
    entry of $\partial L / \partial y$ is added to the input entry it was
    copied from, and gradients of constant entries are dropped. With negative
    pads, PyTorch's circular mode crops first and wraps around what remains;
    the other modes pad, then crop. Both are reproduced here.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> x = np.array([[1.0, 2.0, 3.0]])
    >>> for mode in ("constant", "reflect", "replicate", "circular"):
    ...     print(mode, nnref.pad(x, (2, 2), mode=mode))
    constant [[0. 0. 1. 2. 3. 0. 0.]]
    reflect [[3. 2. 1. 2. 3. 2. 1.]]
    replicate [[1. 1. 1. 2. 3. 3. 3.]]
    circular [[2. 3. 1. 2. 3. 1. 2.]]

    Pairs run from the last dimension backwards; negative numbers crop:

    >>> nnref.pad(np.ones((2, 2)), (1, 0, 0, 1), value=7.0)
    array([[7., 1., 1.],
           [7., 1., 1.],
           [7., 7., 7.]])
    >>> nnref.pad(np.arange(5.0), (-1, -2))
    array([1., 2.])
    """
    x, pairs, mode, value = _pad_args("pad", x, pad, mode, value)
    if mode == "constant":
        y = _im2col.constant_pad(x, pairs, value)
        return y.copy() if y is x else y  # a zero pad still returns a new array
    crops = [(min(lo, 0), min(hi, 0)) for lo, hi in pairs]
    if mode == "circular":  # PyTorch crops first, then wraps around what is left
        x, crops = _im2col.constant_pad(x, crops), [(0, 0)] * len(pairs)
    grow = [(0, 0)] * (x.ndim - len(pairs)) + [(max(lo, 0), max(hi, 0)) for lo, hi in pairs]
    y = np.pad(x, grow, mode=_NUMPY_PAD_MODE[mode])
    return _im2col.constant_pad(y, crops)  # reflect and replicate pad first, then crop


def pad_backward(grad_output, x, pad, mode="constant", value=0.0):
    r"""Gradient of :func:`pad` with respect to ``x``.

    $$ \frac{\partial L}{\partial x_q} = \sum_{t:\ y_t \text{ copies } x_q} \frac{\partial L}{\partial y_t} $$

    Parameters
    ----------
    grad_output : array_like
        $\partial L / \partial y$, the shape of ``pad(x, pad, mode, value)``.
    x : array_like
        The forward input (only its shape is used).
    pad, mode, value
        As in :func:`pad`.

    Returns
    -------
    grad_input : ndarray
        Shape of ``x``.

    Raises
    ------
    ValueError
        As :func:`pad`, or if ``grad_output`` does not have the padded shape.

    Notes
    -----
    Constant mode: the gradient is ``grad_output`` with the pad cut off (and
    zeros where the forward cropped). The other modes add the gradients of
    the copies onto their source entries: along each padded axis, one product
    with the transposed 0/1 padding matrix $P_a^{\top}$.

    Examples
    --------
    The two reflected copies of ``x[1]`` and the three copies of each edge
    entry in replicate mode collect their gradients:

    >>> import numpy as np
    >>> import nnref
    >>> x = np.array([[1.0, 2.0, 3.0]])
    >>> nnref.pad_backward(np.ones((1, 7)), x, (2, 2), mode="reflect")
    array([[2., 3., 2.]])
    >>> nnref.pad_backward(np.ones((1, 7)), x, (2, 2), mode="replicate")
    array([[3., 1., 3.]])
    >>> nnref.pad_backward(np.arange(7.0).reshape(1, 7), x, (2, 2))
    array([[2., 3., 4.]])
    """
    fn = "pad_backward"
    x, pairs, mode, value = _pad_args(fn, x, pad, mode, value)
    lead, m = x.shape[:x.ndim - len(pairs)], len(pairs)
    padded = tuple(n + lo + hi for n, (lo, hi) in zip(x.shape[x.ndim - m:], pairs))
    g = v.grad_output(grad_output, lead + padded, fn)
    g = g.astype(np.result_type(g, x), copy=False)
    if mode == "constant":
        return _im2col.constant_pad(g, [(-lo, -hi) for lo, hi in pairs])
    for axis, (lo, hi) in enumerate(pairs, start=x.ndim - m):
        n = x.shape[axis]
        copies = np.zeros((g.shape[axis], n), dtype=g.dtype)
        copies[np.arange(g.shape[axis]), _source_index(n, lo, hi, mode)] = 1  # P_a: (padded, n)
        g = np.moveaxis(np.moveaxis(g, axis, -1) @ copies, -1, axis)  # axis now has length n
    return g


# ----------------------------------------------------------------------------- argument handling

def _arrays(fn, d, x, weight, bias, weight_layout):
    """Convert the arrays to one floating dtype and check their ranks; ``x`` gets a batch axis if it had none."""
    x, weight, bias = v.as_float_arrays(fn, x=x, weight=weight, bias=bias)
    v.ndim(x, (d + 2, d + 1), fn, "x", _LAYOUT[d])
    v.ndim(weight, d + 2, fn, "weight", weight_layout)
    if bias is not None:
        v.ndim(bias, 1, fn, "bias", "(C_out,)")
    if 0 in weight.shape:
        raise ValueError(f"{fn}: weight must not have a zero-size dimension, got shape {weight.shape}")
    batched = x.ndim == d + 2
    return (x if batched else x[None]), weight, bias, batched


def _check_bias(fn, bias, c_out):
    if bias is not None and bias.shape != (c_out,):
        raise ValueError(f"{fn}: bias must have one entry per output channel, shape ({c_out},), got {bias.shape}")


def _conv_pads(fn, padding, kernel, stride, dilation):
    """``padding`` (int, tuple, 'valid' or 'same') as one (before, after) pair per spatial axis."""
    d = len(kernel)
    if isinstance(padding, str):
        padding = v.choice(padding, ("valid", "same"), fn, "padding")
        if padding == "valid":
            return ((0, 0),) * d
        if any(s != 1 for s in stride):
            raise ValueError(f"{fn}: padding='same' needs stride 1 (as in PyTorch), got stride {stride}; "
                             "pass the padding as an int (see conv_output_size)")
        total = [dl * (k - 1) for k, dl in zip(kernel, dilation)]
        return tuple((t // 2, t - t // 2) for t in total)  # an odd total puts the extra zero after
    return tuple((p, p) for p in v.ntuple(padding, d, fn, "padding", 0))


def _conv_args(fn, d, x, weight, bias, stride, padding, dilation, groups):
    """Validate a convolution's arguments: arrays (batched), geometry, output spatial shape, batched flag."""
    x, weight, bias, batched = _arrays(fn, d, x, weight, bias, "(C_out, C_in/groups, *kernel)")
    stride, dilation = v.ntuple(stride, d, fn, "stride", 1), v.ntuple(dilation, d, fn, "dilation", 1)
    groups, (c_out, c_group) = v.integer(groups, fn, "groups", 1), weight.shape[:2]
    if c_out % groups:
        raise ValueError(f"{fn}: weight has {c_out} output channels, not divisible by groups={groups}")
    if c_group * groups != x.shape[1]:
        raise ValueError(f"{fn}: weight has {c_group} input channels per group but x has {x.shape[1]} channels "
                         f"(groups={groups}); x needs {c_group * groups}")
    _check_bias(fn, bias, c_out)
    pads = _conv_pads(fn, padding, weight.shape[2:], stride, dilation)
    out = tuple(_conv_size(fn, *a) for a in zip(_AXES[d], x.shape[2:], weight.shape[2:], stride,
                                                [lo for lo, _ in pads], [hi for _, hi in pads], dilation))
    return x, weight, bias, (stride, pads, dilation, groups), out, batched


def _transpose_args(fn, d, x, weight, bias, stride, padding, output_padding, groups, dilation):
    """Validate a transposed convolution's arguments (as :func:`_conv_args`)."""
    x, weight, bias, batched = _arrays(fn, d, x, weight, bias, "(C_in, C_out/groups, *kernel)")
    stride, dilation = v.ntuple(stride, d, fn, "stride", 1), v.ntuple(dilation, d, fn, "dilation", 1)
    padding = v.ntuple(padding, d, fn, "padding", 0)
    output_padding = v.ntuple(output_padding, d, fn, "output_padding", 0)
    groups = v.integer(groups, fn, "groups", 1)
    if weight.shape[0] != x.shape[1]:
        raise ValueError(f"{fn}: weight has {weight.shape[0]} input channels (its first axis) "
                         f"but x has {x.shape[1]} channels")
    if x.shape[1] % groups:
        raise ValueError(f"{fn}: x has {x.shape[1]} channels, not divisible by groups={groups}")
    _check_bias(fn, bias, weight.shape[1] * groups)
    out = tuple(_transpose_size(fn, *a) for a in zip(_AXES[d], x.shape[2:], weight.shape[2:], stride,
                                                     padding, output_padding, dilation))
    return x, weight, bias, (stride, tuple((p, p) for p in padding), dilation, groups), out, batched


def _grad(fn, grad_output, shape, batched, *arrays):
    """Check ``grad_output`` against the output ``shape``; return it (batched) and ``arrays`` in one dtype."""
    g = v.grad_output(grad_output, shape if batched else shape[1:], fn)
    dtype = np.result_type(g, *arrays)
    return (g if batched else g[None]).astype(dtype, copy=False), *(a.astype(dtype, copy=False) for a in arrays)


# ----------------------------------------------------------------------------- the shared bodies

def _conv(fn, d, x, weight, bias, stride, padding, dilation, groups):
    x, weight, bias, geometry, out, batched = _conv_args(fn, d, x, weight, bias, stride, padding, dilation, groups)
    y = _im2col.conv_forward(x, weight, bias, *geometry, out)  # (N, C_out, *out)
    return y if batched else y[0]


def _conv_backward(fn, d, grad_output, x, weight, bias, stride, padding, dilation, groups):
    x, weight, bias, geometry, out, batched = _conv_args(fn, d, x, weight, bias, stride, padding, dilation, groups)
    g, x, weight = _grad(fn, grad_output, (x.shape[0], weight.shape[0], *out), batched, x, weight)
    grad_input = _im2col.conv_grad_input(g, weight, x.shape[2:], *geometry)  # (N, C_in, *in)
    grad_weight = _im2col.conv_grad_weight(x, g, weight.shape, *geometry)  # (C_out, C_in/G, *kernel)
    grad_bias = None if bias is None else g.sum(axis=(0, *range(2, d + 2)))  # (C_out,)
    return (grad_input if batched else grad_input[0]), grad_weight, grad_bias


def _conv_transpose(fn, d, x, weight, bias, stride, padding, output_padding, groups, dilation):
    x, weight, bias, geometry, out, batched = _transpose_args(
        fn, d, x, weight, bias, stride, padding, output_padding, groups, dilation)
    y = _im2col.conv_grad_input(x, weight, out, *geometry)  # (N, C_out, *out): the adjoint of conv
    if bias is not None:
        y += bias.reshape(-1, *(1,) * d)
    return y if batched else y[0]


def _conv_transpose_backward(fn, d, grad_output, x, weight, bias, stride, padding, output_padding, groups,
                             dilation):
    x, weight, bias, geometry, out, batched = _transpose_args(
        fn, d, x, weight, bias, stride, padding, output_padding, groups, dilation)
    shape = (x.shape[0], weight.shape[1] * geometry[3], *out)
    g, x, weight = _grad(fn, grad_output, shape, batched, x, weight)
    grad_input = _im2col.conv_forward(g, weight, None, *geometry, x.shape[2:])  # (N, C_in, *in): a convolution
    grad_weight = _im2col.conv_grad_weight(g, x, weight.shape, *geometry)  # roles of input and output swapped
    grad_bias = None if bias is None else g.sum(axis=(0, *range(2, d + 2)))  # (C_out,)
    return (grad_input if batched else grad_input[0]), grad_weight, grad_bias


# ----------------------------------------------------------------------------- convolution

def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    r"""2-D convolution (cross-correlation) over an image batch, as ``torch.nn.functional.conv2d``.

    $$ y_{n,o,i,j} = b_o + \sum_{c=0}^{C_{in}/G - 1} \sum_{a=0}^{k_H - 1} \sum_{b=0}^{k_W - 1}
       w_{o,c,a,b}\; x^{\text{pad}}_{n,\; g(o) C_{in}/G + c,\; s_H i + d_H a,\; s_W j + d_W b} $$

    Each of the $C_{out}$ filters $w_o$ slides over the zero-padded input
    $x^{\text{pad}}$ and, at each output pixel $(i, j)$, takes the dot product
    with the $C_{in}/G \times k_H \times k_W$ window under it; one filter gives
    one output channel. With $G$ groups, filter $o$ only sees the channels of
    its group $g(o) = \lfloor o G / C_{out} \rfloor$.

    Parameters
    ----------
    x : (N, C_in, H, W) or (C_in, H, W) array_like
        Input batch (or one unbatched image).
    weight : (C_out, C_in / groups, k_H, k_W) array_like
        Filters.
    bias : (C_out,) array_like, optional
        One bias per output channel.
    stride : int or (int, int), default 1
        Step $s$ between windows.
    padding : int, (int, int), 'valid' or 'same', default 0
        Zeros $p$ added on both sides of each spatial axis. ``'valid'`` is 0;
        ``'same'`` (stride 1 only) pads $d(k - 1)$ in total so the output has
        the input's size, the odd zero (even kernels) going after, as PyTorch.
    dilation : int or (int, int), default 1
        Spacing $d$ between kernel taps.
    groups : int, default 1
        $G$: split the channels into independent groups; ``C_in`` and
        ``C_out`` must be divisible by it.

    Returns
    -------
    y : (N, C_out, H_out, W_out) ndarray
        $H_{out} = \lfloor (H + 2p_H - d_H(k_H - 1) - 1)/s_H \rfloor + 1$
        (:func:`conv_output_size`), likewise $W_{out}$. Unbatched input gives
        ``(C_out, H_out, W_out)``. Common floating dtype of the inputs.

    Raises
    ------
    ValueError
        If the shapes disagree (channels, groups, bias), an argument is out of
        range, ``padding='same'`` is used with a stride, or the kernel is larger
        than the padded input (the message shows the arithmetic).
    TypeError
        If an array is not real numeric or an argument is not an integer.

    See Also
    --------
    conv2d_backward : gradients of this op.
    conv_transpose2d : its adjoint, learnable upsampling.
    conv_output_size : the output-size formula.

    Notes
    -----
    **Cross-correlation, not convolution.** Mathematical convolution flips the
    kernel, $(x * w)_i = \sum_a w_a\, x_{i - a}$; this function (like every
    deep-learning framework) computes $\sum_a w_a\, x_{i + a}$. The two agree
    after flipping ``weight`` along its spatial axes
    (``weight[..., ::-1, ::-1]``); for learned filters the difference does not
    matter.

    **Implementation and memory.** The windows are a strided view of the
    padded input (no copy); one contiguous copy of it, the im2col buffer of
    $N \cdot C_{in} k_H k_W \cdot H_{out} W_{out}$ entries ($k_H k_W$ times
    the input at stride 1), feeds one batched matrix product with the
    ``(C_out, C_in k_H k_W)`` weight matrix. A padded copy of ``x`` is also
    made when ``padding`` is not 0.

    Examples
    --------
    The notes' 5x5 grayscale image, two bright columns (50) on the left, and a
    vertical-edge filter with columns 1, 0, -1. Every output row reads 150,
    150, 0: the filter responds where bright meets dark.

    >>> import numpy as np
    >>> import nnref
    >>> image = np.tile([50.0, 50.0, 0.0, 0.0, 0.0], (5, 1)).reshape(1, 1, 5, 5)
    >>> edge = np.tile([1.0, 0.0, -1.0], (3, 1)).reshape(1, 1, 3, 3)
    >>> nnref.conv2d(image, edge)
    array([[[[150., 150.,   0.],
             [150., 150.,   0.],
             [150., 150.,   0.]]]])

    With stride 2 the filter jumps two pixels right and two down:

    >>> nnref.conv2d(image, edge, stride=2)
    array([[[[150.,   0.],
             [150.,   0.]]]])

    Several channels in, one output channel per filter: two 3-channel 3x3
    filters on an RGB image give two feature maps, which a linear layer sees
    after flattening each example to one vector of $C_{out} H_{out} W_{out}$
    numbers.

    >>> rgb = np.ones((4, 3, 8, 8))
    >>> maps = nnref.conv2d(rgb, np.ones((2, 3, 3, 3)), bias=np.array([0.0, -27.0]))
    >>> maps.shape
    (4, 2, 6, 6)
    >>> maps[0, :, 0, 0]
    array([27.,  0.])
    >>> maps.reshape(len(maps), -1).shape
    (4, 72)
    """
    return _conv("conv2d", 2, x, weight, bias, stride, padding, dilation, groups)


def conv2d_backward(grad_output, x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    r"""Gradients of :func:`conv2d` with respect to ``x``, ``weight`` and ``bias``.

    $$ \frac{\partial L}{\partial w_{o,c,a,b}} = \sum_{n,i,j} g_{n,o,i,j}\,
       x^{\text{pad}}_{n,\, g(o) C_{in}/G + c,\, s_H i + d_H a,\, s_W j + d_W b}, \qquad
       \frac{\partial L}{\partial b_o} = \sum_{n,i,j} g_{n,o,i,j} $$

    and $\partial L / \partial x$ sends each $g_{n,o,i,j}$ back through the
    same weights to every input pixel its window read: a transposed
    convolution of $g = \partial L / \partial y$.

    Parameters
    ----------
    grad_output : (N, C_out, H_out, W_out) array_like
        $\partial L / \partial y$, the shape of the forward output.
    x, weight, bias, stride, padding, dilation, groups
        As in :func:`conv2d`; ``bias`` only decides whether ``grad_bias`` is
        computed.

    Returns
    -------
    grad_input : (N, C_in, H, W) ndarray
    grad_weight : (C_out, C_in / groups, k_H, k_W) ndarray
    grad_bias : (C_out,) ndarray or None
        ``None`` when ``bias`` is ``None``.

    Raises
    ------
    ValueError
        As :func:`conv2d`, or if ``grad_output`` does not have the output's shape.

    See Also
    --------
    conv2d : the forward op.
    conv_transpose2d : computes ``grad_input``.

    Notes
    -----
    ``grad_input`` equals ``conv_transpose2d(grad_output, weight, stride=stride,
    padding=padding, output_padding=r, groups=groups, dilation=dilation)``, where
    ``r`` is the remainder the floor in the output-size formula dropped (rows
    and columns no window reached get zero gradient). ``grad_weight``
    correlates the input with the output gradient. Both reuse the forward's
    im2col buffer layout, so this call materializes it once more.

    Examples
    --------
    How many times each pixel of a 4x4 image is read by a 3x3 filter: the
    gradient of the sum of the outputs with an all-ones filter. The four
    centre pixels are read four times, the corners once:

    >>> import numpy as np
    >>> import nnref
    >>> x, ones = np.zeros((1, 1, 4, 4)), np.ones((1, 1, 3, 3))
    >>> visits, _, _ = nnref.conv2d_backward(np.ones((1, 1, 2, 2)), x, ones)
    >>> visits[0, 0]
    array([[1., 2., 2., 1.],
           [2., 4., 4., 2.],
           [2., 4., 4., 2.],
           [1., 2., 2., 1.]])

    With ``padding=1`` the edges are read more often (corners 4 times):

    >>> nnref.conv2d_backward(np.ones((1, 1, 4, 4)), x, ones, padding=1)[0][0, 0]
    array([[4., 6., 6., 4.],
           [6., 9., 9., 6.],
           [6., 9., 9., 6.],
           [4., 6., 6., 4.]])
    """
    return _conv_backward("conv2d_backward", 2, grad_output, x, weight, bias, stride, padding, dilation, groups)


def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    r"""1-D convolution (cross-correlation) over a batch of sequences, as ``torch.nn.functional.conv1d``.

    $$ y_{n,o,i} = b_o + \sum_{c=0}^{C_{in}/G - 1} \sum_{a=0}^{k - 1}
       w_{o,c,a}\; x^{\text{pad}}_{n,\; g(o) C_{in}/G + c,\; s i + d a} $$

    The same operation as :func:`conv2d` with one spatial axis; see there for
    groups, cross-correlation versus convolution and memory use (the im2col
    buffer has $N \cdot C_{in} k \cdot L_{out}$ entries).

    Parameters
    ----------
    x : (N, C_in, L) or (C_in, L) array_like
    weight : (C_out, C_in / groups, k) array_like
    bias : (C_out,) array_like, optional
    stride : int or (int,), default 1
    padding : int, (int,), 'valid' or 'same', default 0
    dilation : int or (int,), default 1
    groups : int, default 1

    Returns
    -------
    y : (N, C_out, L_out) ndarray
        $L_{out} = \lfloor (L + 2p - d(k - 1) - 1)/s \rfloor + 1$.

    Raises
    ------
    ValueError
        As :func:`conv2d`.
    TypeError
        As :func:`conv2d`.

    See Also
    --------
    conv1d_backward : gradients of this op.
    conv_transpose1d : its adjoint.

    Examples
    --------
    A difference filter ``[-1, 1]`` finds where a signal steps up; ``'same'``
    keeps the length (the extra zero goes at the end):

    >>> import numpy as np
    >>> import nnref
    >>> signal = np.array([[[0.0, 0.0, 1.0, 1.0, 1.0]]])
    >>> nnref.conv1d(signal, np.array([[[-1.0, 1.0]]]))
    array([[[0., 1., 0., 0.]]])
    >>> nnref.conv1d(signal, np.array([[[-1.0, 1.0]]]), padding="same")
    array([[[ 0.,  1.,  0.,  0., -1.]]])
    """
    return _conv("conv1d", 1, x, weight, bias, stride, padding, dilation, groups)


def conv1d_backward(grad_output, x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    r"""Gradients of :func:`conv1d` with respect to ``x``, ``weight`` and ``bias``.

    $$ \frac{\partial L}{\partial w_{o,c,a}} = \sum_{n,i} g_{n,o,i}\,
       x^{\text{pad}}_{n,\, g(o) C_{in}/G + c,\, s i + d a}, \qquad
       \frac{\partial L}{\partial b_o} = \sum_{n,i} g_{n,o,i} $$

    and $\partial L / \partial x$ is the transposed convolution of
    $g = \partial L / \partial y$ (see :func:`conv2d_backward`).

    Parameters
    ----------
    grad_output : (N, C_out, L_out) array_like
    x, weight, bias, stride, padding, dilation, groups
        As in :func:`conv1d`.

    Returns
    -------
    grad_input : (N, C_in, L) ndarray
    grad_weight : (C_out, C_in / groups, k) ndarray
    grad_bias : (C_out,) ndarray or None

    Raises
    ------
    ValueError
        As :func:`conv1d`, or if ``grad_output`` does not have the output's shape.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> x = np.array([[[1.0, 2.0, 3.0, 4.0]]])
    >>> gx, gw, gb = nnref.conv1d_backward(np.ones((1, 1, 3)), x, np.array([[[1.0, 10.0]]]), bias=np.zeros(1))
    >>> gx
    array([[[ 1., 11., 11., 10.]]])
    >>> gw, gb
    (array([[[6., 9.]]]), array([3.]))
    """
    return _conv_backward("conv1d_backward", 1, grad_output, x, weight, bias, stride, padding, dilation, groups)


def conv3d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    r"""3-D convolution (cross-correlation) over a batch of volumes, as ``torch.nn.functional.conv3d``.

    $$ y_{n,o,i,j,l} = b_o + \sum_{c,a,b,e}
       w_{o,c,a,b,e}\; x^{\text{pad}}_{n,\; g(o) C_{in}/G + c,\; s_D i + d_D a,\; s_H j + d_H b,\; s_W l + d_W e} $$

    The same operation as :func:`conv2d` with three spatial axes (depth,
    height, width); see there for groups, cross-correlation versus
    convolution and memory use (the im2col buffer has
    $N \cdot C_{in} k_D k_H k_W \cdot D_{out} H_{out} W_{out}$ entries).

    Parameters
    ----------
    x : (N, C_in, D, H, W) or (C_in, D, H, W) array_like
    weight : (C_out, C_in / groups, k_D, k_H, k_W) array_like
    bias : (C_out,) array_like, optional
    stride : int or (int, int, int), default 1
    padding : int, (int, int, int), 'valid' or 'same', default 0
    dilation : int or (int, int, int), default 1
    groups : int, default 1

    Returns
    -------
    y : (N, C_out, D_out, H_out, W_out) ndarray
        Each size by :func:`conv_output_size`.

    Raises
    ------
    ValueError
        As :func:`conv2d`.
    TypeError
        As :func:`conv2d`.

    See Also
    --------
    conv3d_backward : gradients of this op.
    conv_transpose3d : its adjoint.

    Examples
    --------
    A 2x2x2 box filter sums each 2x2x2 block of a 3x3x3 volume:

    >>> import numpy as np
    >>> import nnref
    >>> volume = np.arange(27.0).reshape(1, 1, 3, 3, 3)
    >>> nnref.conv3d(volume, np.ones((1, 1, 2, 2, 2)))
    array([[[[[ 52.,  60.],
              [ 76.,  84.]],
             [[124., 132.],
              [148., 156.]]]]])
    """
    return _conv("conv3d", 3, x, weight, bias, stride, padding, dilation, groups)


def conv3d_backward(grad_output, x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    r"""Gradients of :func:`conv3d` with respect to ``x``, ``weight`` and ``bias``.

    $$ \frac{\partial L}{\partial w_{o,c,a,b,e}} = \sum_{n,i,j,l} g_{n,o,i,j,l}\,
       x^{\text{pad}}_{n,\, g(o) C_{in}/G + c,\, s_D i + d_D a,\, s_H j + d_H b,\, s_W l + d_W e},
       \qquad \frac{\partial L}{\partial b_o} = \sum_{n,i,j,l} g_{n,o,i,j,l} $$

    and $\partial L / \partial x$ is the transposed convolution of
    $g = \partial L / \partial y$ (see :func:`conv2d_backward`).

    Parameters
    ----------
    grad_output : (N, C_out, D_out, H_out, W_out) array_like
    x, weight, bias, stride, padding, dilation, groups
        As in :func:`conv3d`.

    Returns
    -------
    grad_input : (N, C_in, D, H, W) ndarray
    grad_weight : (C_out, C_in / groups, k_D, k_H, k_W) ndarray
    grad_bias : (C_out,) ndarray or None

    Raises
    ------
    ValueError
        As :func:`conv3d`, or if ``grad_output`` does not have the output's shape.

    Examples
    --------
    Each voxel of a 3x3x3 volume is read by up to 8 of the 2x2x2 windows:

    >>> import numpy as np
    >>> import nnref
    >>> gx, gw, gb = nnref.conv3d_backward(np.ones((1, 1, 2, 2, 2)), np.zeros((1, 1, 3, 3, 3)),
    ...                                    np.ones((1, 1, 2, 2, 2)))
    >>> gx[0, 0, 1]
    array([[2., 4., 2.],
           [4., 8., 4.],
           [2., 4., 2.]])
    >>> gw.shape, gb
    ((1, 1, 2, 2, 2), None)
    """
    return _conv_backward("conv3d_backward", 3, grad_output, x, weight, bias, stride, padding, dilation, groups)


# ----------------------------------------------------------------------------- transposed convolution

def conv_transpose2d(x, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    r"""2-D transposed convolution (learnable upsampling), as ``torch.nn.functional.conv_transpose2d``.

    $$ y_{n,c,u,v} = b_c + \sum_{o} \sum_{\substack{i, a:\\ s_H i + d_H a = u + p_H}}
       \sum_{\substack{j, b:\\ s_W j + d_W b = v + p_W}} x_{n,o,i,j}\, w_{o,c,a,b} $$

    Each input pixel $x_{n,o,i,j}$ stamps a copy of its kernel $w_{o}$, scaled
    by its value, onto the output at $(s_H i, s_W j)$; overlapping stamps add.
    It is the adjoint (matrix transpose) of :func:`conv2d` with the same
    weight: if the convolution is $y = C x$, this is $x \mapsto C^{\top} x$,
    which is why it maps a convolution's output shape back to its input shape.
    ``o`` runs over the input channels of output channel ``c``'s group.

    Parameters
    ----------
    x : (N, C_in, H, W) or (C_in, H, W) array_like
    weight : (C_in, C_out / groups, k_H, k_W) array_like
        Note the order: input channels first (the layout of the
        :func:`conv2d` weight it transposes).
    bias : (C_out,) array_like, optional
    stride : int or (int, int), default 1
        Output step between the stamps of neighbouring input pixels.
    padding : int or (int, int), default 0
        The padding $p$ of the convolution being transposed: crops $p$
        rows/columns from each side of the full output.
    output_padding : int or (int, int), default 0
        Extra rows/columns at the end of the output (bottom/right), to pick an
        output size when the stride makes several possible; must be smaller
        than ``stride`` or ``dilation``.
    groups : int, default 1
    dilation : int or (int, int), default 1
        Spacing between kernel taps.

    Returns
    -------
    y : (N, C_out, H_out, W_out) ndarray
        $H_{out} = (H - 1)s_H - 2p_H + d_H(k_H - 1) + \text{output_padding}_H + 1$
        (:func:`conv_transpose_output_size`), likewise $W_{out}$.

    Raises
    ------
    ValueError
        If the shapes disagree, ``output_padding`` is too large, or the output
        would be empty (the message shows the arithmetic).
    TypeError
        If an array is not real numeric or an argument is not an integer.

    See Also
    --------
    conv_transpose2d_backward : gradients of this op.
    conv2d : the convolution it transposes.

    Notes
    -----
    **Implementation and memory.** One batched matrix product of the
    transposed weight matrix with ``x`` gives the column buffer of
    $N \cdot C_{out} k_H k_W \cdot H W$ entries (every stamp); a loop over the
    $k_H k_W$ kernel offsets adds them into the padded output (col2im). This
    is exactly the input gradient of :func:`conv2d`, reused.

    **Checkerboard artifacts.** When the kernel size is not divisible by the
    stride, output pixels receive different numbers of stamps, which leaves a
    grid pattern; see the example.

    Examples
    --------
    A 2x2 kernel of ones at stride 2 stamps a 2x2 block per pixel: nearest-
    neighbour upsampling, but with a kernel that training can change.

    >>> import numpy as np
    >>> import nnref
    >>> x = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    >>> nnref.conv_transpose2d(x, np.ones((1, 1, 2, 2)), stride=2)
    array([[[[1., 1., 2., 2.],
             [1., 1., 2., 2.],
             [3., 3., 4., 4.],
             [3., 3., 4., 4.]]]])

    A 3x3 kernel at stride 2 overlaps unevenly: on a constant input, the
    output counts the stamps per pixel, and shows the checkerboard.

    >>> nnref.conv_transpose2d(np.ones((1, 1, 2, 2)), np.ones((1, 1, 3, 3)), stride=2)
    array([[[[1., 1., 2., 1., 1.],
             [1., 1., 2., 1., 1.],
             [2., 2., 4., 2., 2.],
             [1., 1., 2., 1., 1.],
             [1., 1., 2., 1., 1.]]]])

    It inverts :func:`conv2d`'s shapes (here 8x8 to 4x4 and back):

    >>> w = np.ones((3, 5, 4, 4))
    >>> nnref.conv2d(np.ones((1, 5, 8, 8)), w, stride=2, padding=1).shape
    (1, 3, 4, 4)
    >>> nnref.conv_transpose2d(np.ones((1, 3, 4, 4)), w, stride=2, padding=1).shape
    (1, 5, 8, 8)
    """
    return _conv_transpose("conv_transpose2d", 2, x, weight, bias, stride, padding, output_padding, groups,
                           dilation)


def conv_transpose2d_backward(grad_output, x, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                              dilation=1):
    r"""Gradients of :func:`conv_transpose2d` with respect to ``x``, ``weight`` and ``bias``.

    $$ \frac{\partial L}{\partial x} = \operatorname{conv2d}(g, w), \qquad
       \frac{\partial L}{\partial w_{o,c,a,b}} = \sum_{n,i,j} x_{n,o,i,j}\,
       g^{\text{pad}}_{n,c,\, s_H i + d_H a,\, s_W j + d_W b}, \qquad
       \frac{\partial L}{\partial b_c} = \sum_{n,u,v} g_{n,c,u,v} $$

    with $g = \partial L / \partial y$ and :func:`conv2d` taking the same
    ``stride``, ``padding``, ``dilation`` and ``groups``.

    Parameters
    ----------
    grad_output : (N, C_out, H_out, W_out) array_like
    x, weight, bias, stride, padding, output_padding, groups, dilation
        As in :func:`conv_transpose2d`.

    Returns
    -------
    grad_input : (N, C_in, H, W) ndarray
    grad_weight : (C_in, C_out / groups, k_H, k_W) ndarray
    grad_bias : (C_out,) ndarray or None

    Raises
    ------
    ValueError
        As :func:`conv_transpose2d`, or if ``grad_output`` does not have the
        output's shape.

    Notes
    -----
    Since the transposed convolution is $C^{\top}$, its input gradient is
    $C g$: a plain convolution, computed by the same code as :func:`conv2d`.
    The weight gradient is :func:`conv2d_backward`'s with the roles of input
    and output gradient swapped. Memory: the im2col buffer of ``grad_output``,
    $N \cdot C_{out} k_H k_W \cdot H W$ entries, built twice.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> x = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    >>> g = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> gx, gw, gb = nnref.conv_transpose2d_backward(g, x, np.ones((1, 1, 2, 2)), np.zeros(1), stride=2)
    >>> gx
    array([[[[10., 18.],
             [42., 50.]]]])
    >>> gb
    array([120.])
    """
    return _conv_transpose_backward("conv_transpose2d_backward", 2, grad_output, x, weight, bias, stride, padding,
                                    output_padding, groups, dilation)


def conv_transpose1d(x, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    r"""1-D transposed convolution, as ``torch.nn.functional.conv_transpose1d``.

    $$ y_{n,c,u} = b_c + \sum_{o} \sum_{i, a:\ s i + d a = u + p} x_{n,o,i}\, w_{o,c,a} $$

    The adjoint of :func:`conv1d`; see :func:`conv_transpose2d` for the
    meaning of the arguments and the memory use (a column buffer of
    $N \cdot C_{out} k \cdot L$ entries).

    Parameters
    ----------
    x : (N, C_in, L) or (C_in, L) array_like
    weight : (C_in, C_out / groups, k) array_like
    bias : (C_out,) array_like, optional
    stride : int or (int,), default 1
    padding : int or (int,), default 0
    output_padding : int or (int,), default 0
    groups : int, default 1
    dilation : int or (int,), default 1

    Returns
    -------
    y : (N, C_out, L_out) ndarray
        $L_{out} = (L - 1)s - 2p + d(k - 1) + \text{output_padding} + 1$.

    Raises
    ------
    ValueError
        As :func:`conv_transpose2d`.
    TypeError
        As :func:`conv_transpose2d`.

    See Also
    --------
    conv_transpose1d_backward : gradients of this op.
    conv1d : the convolution it transposes.

    Examples
    --------
    Kernel 3 at stride 2 on a constant signal: the stamps overlap on every
    other sample, the 1-D version of the checkerboard.

    >>> import numpy as np
    >>> import nnref
    >>> nnref.conv_transpose1d(np.ones((1, 1, 4)), np.ones((1, 1, 3)), stride=2)
    array([[[1., 1., 2., 1., 2., 1., 2., 1., 1.]]])
    >>> nnref.conv_transpose1d(np.ones((1, 1, 4)), np.ones((1, 1, 4)), stride=2, padding=1)
    array([[[1., 2., 2., 2., 2., 2., 2., 1.]]])
    """
    return _conv_transpose("conv_transpose1d", 1, x, weight, bias, stride, padding, output_padding, groups,
                           dilation)


def conv_transpose1d_backward(grad_output, x, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                              dilation=1):
    r"""Gradients of :func:`conv_transpose1d` with respect to ``x``, ``weight`` and ``bias``.

    $$ \frac{\partial L}{\partial x} = \operatorname{conv1d}(g, w), \qquad
       \frac{\partial L}{\partial w_{o,c,a}} = \sum_{n,i} x_{n,o,i}\, g^{\text{pad}}_{n,c,\, s i + d a}, \qquad
       \frac{\partial L}{\partial b_c} = \sum_{n,u} g_{n,c,u} $$

    Parameters
    ----------
    grad_output : (N, C_out, L_out) array_like
    x, weight, bias, stride, padding, output_padding, groups, dilation
        As in :func:`conv_transpose1d`.

    Returns
    -------
    grad_input : (N, C_in, L) ndarray
    grad_weight : (C_in, C_out / groups, k) ndarray
    grad_bias : (C_out,) ndarray or None

    Raises
    ------
    ValueError
        As :func:`conv_transpose1d`, or if ``grad_output`` does not have the
        output's shape.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> gx, gw, gb = nnref.conv_transpose1d_backward(np.arange(5.0).reshape(1, 1, 5), np.ones((1, 1, 3)),
    ...                                              np.array([[[1.0, -1.0, 2.0]]]))
    >>> gx
    array([[[3., 5., 7.]]])
    >>> gw
    array([[[3., 6., 9.]]])
    """
    return _conv_transpose_backward("conv_transpose1d_backward", 1, grad_output, x, weight, bias, stride, padding,
                                    output_padding, groups, dilation)


def conv_transpose3d(x, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    r"""3-D transposed convolution, as ``torch.nn.functional.conv_transpose3d``.

    $$ y_{n,c,t,u,v} = b_c + \sum_{o} \sum_{\substack{i, a, j, b, l, e:\\ s_D i + d_D a = t + p_D \\
       s_H j + d_H b = u + p_H \\ s_W l + d_W e = v + p_W}} x_{n,o,i,j,l}\, w_{o,c,a,b,e} $$

    The adjoint of :func:`conv3d`; see :func:`conv_transpose2d` for the
    meaning of the arguments and the memory use (a column buffer of
    $N \cdot C_{out} k_D k_H k_W \cdot D H W$ entries).

    Parameters
    ----------
    x : (N, C_in, D, H, W) or (C_in, D, H, W) array_like
    weight : (C_in, C_out / groups, k_D, k_H, k_W) array_like
    bias : (C_out,) array_like, optional
    stride : int or (int, int, int), default 1
    padding : int or (int, int, int), default 0
    output_padding : int or (int, int, int), default 0
    groups : int, default 1
    dilation : int or (int, int, int), default 1

    Returns
    -------
    y : (N, C_out, D_out, H_out, W_out) ndarray
        Each size by :func:`conv_transpose_output_size`.

    Raises
    ------
    ValueError
        As :func:`conv_transpose2d`.
    TypeError
        As :func:`conv_transpose2d`.

    See Also
    --------
    conv_transpose3d_backward : gradients of this op.
    conv3d : the convolution it transposes.

    Examples
    --------
    Doubling a 2x2x2 volume with a 2x2x2 kernel at stride 2:

    >>> import numpy as np
    >>> import nnref
    >>> y = nnref.conv_transpose3d(np.arange(8.0).reshape(1, 1, 2, 2, 2), np.ones((1, 3, 2, 2, 2)), stride=2)
    >>> y.shape
    (1, 3, 4, 4, 4)
    >>> y[0, 0, 3]
    array([[4., 4., 5., 5.],
           [4., 4., 5., 5.],
           [6., 6., 7., 7.],
           [6., 6., 7., 7.]])
    """
    return _conv_transpose("conv_transpose3d", 3, x, weight, bias, stride, padding, output_padding, groups,
                           dilation)


def conv_transpose3d_backward(grad_output, x, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                              dilation=1):
    r"""Gradients of :func:`conv_transpose3d` with respect to ``x``, ``weight`` and ``bias``.

    $$ \frac{\partial L}{\partial x} = \operatorname{conv3d}(g, w), \qquad
       \frac{\partial L}{\partial w_{o,c,a,b,e}} = \sum_{n,i,j,l} x_{n,o,i,j,l}\,
       g^{\text{pad}}_{n,c,\, s_D i + d_D a,\, s_H j + d_H b,\, s_W l + d_W e}, \qquad
       \frac{\partial L}{\partial b_c} = \sum g_{n,c,t,u,v} $$

    Parameters
    ----------
    grad_output : (N, C_out, D_out, H_out, W_out) array_like
    x, weight, bias, stride, padding, output_padding, groups, dilation
        As in :func:`conv_transpose3d`.

    Returns
    -------
    grad_input : (N, C_in, D, H, W) ndarray
    grad_weight : (C_in, C_out / groups, k_D, k_H, k_W) ndarray
    grad_bias : (C_out,) ndarray or None

    Raises
    ------
    ValueError
        As :func:`conv_transpose3d`, or if ``grad_output`` does not have the
        output's shape.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> gx, gw, gb = nnref.conv_transpose3d_backward(np.ones((1, 1, 4, 4, 4)), np.ones((1, 1, 2, 2, 2)),
    ...                                              np.ones((1, 1, 2, 2, 2)), np.zeros(1), stride=2)
    >>> gx[0, 0]
    array([[[8., 8.],
            [8., 8.]],
           [[8., 8.],
            [8., 8.]]])
    >>> gb
    array([64.])
    """
    return _conv_transpose_backward("conv_transpose3d_backward", 3, grad_output, x, weight, bias, stride, padding,
                                    output_padding, groups, dilation)


# ----------------------------------------------------------------------------- checkerboard predictor

def _overlap_dims(kernel_size, stride, input_size):
    """Number of spatial axes: the length of the tuple arguments (all equal), 1 if all are ints."""
    lengths = {len(a) for a in (kernel_size, stride, input_size) if isinstance(a, (tuple, list))}
    if len(lengths) > 1 or not lengths <= {1, 2, 3}:
        raise ValueError("checkerboard_overlap: kernel_size, stride and input_size must be ints or tuples "
                         f"of one common length 1, 2 or 3, got {kernel_size!r}, {stride!r}, {input_size!r}")
    return lengths.pop() if lengths else 1


def checkerboard_overlap(kernel_size, stride, input_size=4):
    r"""Count how many kernel taps of a transposed convolution land on each output pixel.

    $$ c_o = \#\{(i, t) : s\, i + t = o,\; 0 \le i < n,\; 0 \le t < k\} $$

    A transposed convolution with stride $s$ stamps a copy of its $k$-tap kernel at
    every $s$-th output position, one copy per input pixel $i$ (of $n$). Output pixel
    $o$ sums $c_o$ products; with equal weights and a constant input it is $c_o$
    times as bright. Away from the borders $c_o$ repeats with period $s$ and is
    even exactly when $s$ divides $k$; otherwise it alternates between
    $\lceil k/s \rceil$ and $\lfloor k/s \rfloor$, which is the checkerboard
    artifact. In 2-D and 3-D the counts are products of the per-axis counts.

    Parameters
    ----------
    kernel_size : int or tuple of ints
        $k$ per spatial axis.
    stride : int or tuple of ints
        $s$ per spatial axis.
    input_size : int or tuple of ints, default 4
        $n$ per spatial axis. The number of axes (1, 2 or 3) is the length of the
        tuple arguments (they must agree); 1 if all three are ints.

    Returns
    -------
    counts : (L_out,) or (H_out, W_out) or (D_out, H_out, W_out) ndarray of int64
        $L_{out} = (n - 1)\, s + k$ per axis (:func:`conv_transpose_output_size`
        with no padding).

    Raises
    ------
    ValueError
        If a size or stride is not a positive integer, or the tuple lengths disagree.
    TypeError
        If a size or stride is not an integer.

    See Also
    --------
    conv_transpose1d : the op whose overlaps are counted, here applied to ones.
    conv_transpose2d
    conv_transpose3d

    Notes
    -----
    The counts are computed by running nnref's own transposed convolution on an
    input of ones with a kernel of ones, so they are exactly the weights the
    transposed convolution gives each output pixel. Fewer input pixels reach
    the first and last $k - 1$ pixels of each axis, so their counts can be
    lower; a layer with ``padding`` crops (part of) them off.

    Examples
    --------
    Kernel 3, stride 2: the interior alternates 2, 1 (3 is not a multiple of 2).
    Kernel 4, stride 2: the interior is even.

    >>> import numpy as np
    >>> import nnref
    >>> nnref.checkerboard_overlap(3, 2)
    array([1, 1, 2, 1, 2, 1, 2, 1, 1])
    >>> nnref.checkerboard_overlap(4, 2)
    array([1, 1, 2, 2, 2, 2, 2, 2, 1, 1])

    In 2-D the counts multiply, giving the 1 / 2 / 4 checkerboard:

    >>> nnref.checkerboard_overlap((3, 3), 2, input_size=3)
    array([[1, 1, 2, 1, 2, 1, 1],
           [1, 1, 2, 1, 2, 1, 1],
           [2, 2, 4, 2, 4, 2, 2],
           [1, 1, 2, 1, 2, 1, 1],
           [2, 2, 4, 2, 4, 2, 2],
           [1, 1, 2, 1, 2, 1, 1],
           [1, 1, 2, 1, 2, 1, 1]])
    """
    fn = "checkerboard_overlap"
    d = _overlap_dims(kernel_size, stride, input_size)
    kernel = v.ntuple(kernel_size, d, fn, "kernel_size", minimum=1)
    step = v.ntuple(stride, d, fn, "stride", minimum=1)
    size = v.ntuple(input_size, d, fn, "input_size", minimum=1)
    ones_in, ones_kernel = np.ones((1, 1, *size)), np.ones((1, 1, *kernel))  # (1, 1, *n), (1, 1, *k)
    counts = _conv_transpose(fn, d, ones_in, ones_kernel, None, step, 0, 0, 1, 1)  # (1, 1, *L_out)
    return np.rint(counts[0, 0]).astype(np.int64)
