r"""Convolution, transposed convolution and padding, forward and backward.

A convolution layer slides a small kernel over its input and, at every position, takes the
dot product of the kernel with the window under it. Letters ([Conventions](../conventions.md#shapes-and-letters)):
$N$ batch size, $C_{in}$ / $C_{out}$ channels, $G$ groups, $L$ / $H \times W$ /
$D \times H \times W$ spatial sizes (1-D / 2-D / 3-D), $k$ kernel size, $s$ stride, $p$
padding, $d$ dilation, $i$ an output position and $a$ a kernel offset (per axis: $i, j, l$
and $a_D, a_H, a_W$), $g = \partial\mathcal{L}/\partial y$ the upstream gradient.

One N-dimensional engine serves ``conv1d``, ``conv2d``, ``conv3d`` and their transposes: a
convolution is [`unfold`][nnref.conv.unfold] (the windows copied into columns), one matrix
product per group, and a bias; its input gradient is the matrix product with the transposed
weights followed by [`fold`][nnref.conv.fold]. The named functions check their arguments and
document the op. The output-size arithmetic is public too: [`conv_output_size`][nnref.conv.conv_output_size],
[`conv_transpose_output_size`][nnref.conv.conv_transpose_output_size] and
[`pool_output_size`][nnref.conv.pool_output_size].
"""

import math

import numpy as np

from . import _validation as v
from . import _windows

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
    "unfold",
    "unfold_backward",
    "fold",
    "fold_backward",
    "checkerboard_overlap",
]


# ----------------------------------------------------------------------------- shape arithmetic

def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    r"""Output length of a convolution along one spatial axis.

    Concept page: [Padding and stride: the output size](../concepts/padding-stride.md#the-output-size).

    $$ L_{out} = \left\lfloor \frac{L + 2p - d(k - 1) - 1}{s} \right\rfloor + 1 $$

    $d(k - 1) + 1$ is the span of the dilated kernel; the floor drops a last
    window that would stick out of the padded input.

    Parameters
    ----------
    size : int
        Input length $L$.
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
    L_out : int

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
    size, k, s, p, d = v.size_args(fn, size, kernel_size, stride, padding, dilation)
    v.conv_size(fn, "size", size, k, s, p, p, d)  # raises if the dilated kernel does not fit
    return (size + 2 * p - d * (k - 1) - 1) // s + 1


def conv_transpose_output_size(size, kernel_size, stride=1, padding=0, output_padding=0, dilation=1):
    r"""Output length of a transposed convolution along one spatial axis.

    Concept page: [Padding and stride: the output size](../concepts/padding-stride.md#the-output-size).

    $$ L_{out} = (L - 1)s - 2p + d(k - 1) + \text{output_padding} + 1 $$

    A strided convolution maps several input lengths to the same output length
    (the floor in [`conv_output_size`][nnref.conv.conv_output_size]); ``output_padding`` picks which of
    them the transposed convolution produces, so it must be smaller than the
    stride (or the dilation, as PyTorch allows).

    Parameters
    ----------
    size : int
        Input length $L$ (the length of the convolution's output).
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
    L_out : int

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
    size, k, s, p, d = v.size_args(fn, size, kernel_size, stride, padding, dilation)
    op = v.integer(output_padding, fn, "output_padding", 0)
    v.transpose_size(fn, "size", size, k, s, p, op, d)  # raises unless op < max(s, d) and the output is not empty
    return (size - 1) * s - 2 * p + d * (k - 1) + op + 1


def pool_output_size(size, kernel_size, stride, padding=0, dilation=1, ceil_mode=False):
    r"""Output length of a pooling window sliding along one axis.

    Concept page: [Padding and stride: the output size](../concepts/padding-stride.md#the-output-size).

    $$ L_{out} = \left\lfloor \frac{L + 2p - d(k - 1) - 1}{s} \right\rfloor + 1 $$

    With ``ceil_mode=True`` the floor becomes a ceiling, but, as in PyTorch,
    a last window that would start in the right padding (at or beyond
    $L + p$) is dropped: if $(L_{out} - 1)s \ge L + p$ then $L_{out}$ is reduced by 1.

    Parameters
    ----------
    size : int
        Input length $L$ along the axis.
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
    L_out : int

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
    size, k, s, p, d = v.size_args(fn, size, kernel_size, stride, padding, dilation)
    ceil_mode = v.flag(ceil_mode, fn, "ceil_mode")
    v.pool_size(fn, size, k, s, p, d, ceil_mode)  # raises if the output would be empty
    out = (size + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= size + p:
        out -= 1  # the last window would start in the right padding
    return out


# ----------------------------------------------------------------------------- padding

_NUMPY_PAD_MODE = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def _constant_pad(x, pairs, value=0.0):
    """``x`` with ``value`` added on (or, for negative numbers, entries cut off) its last ``len(pairs)`` axes.

    All-zero pairs return ``x`` itself (``np.pad`` would copy it).
    """
    if not any(map(any, pairs)):
        return x
    lead = x.ndim - len(pairs)
    grow = [(0, 0)] * lead + [(max(lo, 0), max(hi, 0)) for lo, hi in pairs]
    crop = (slice(None),) * lead + tuple(slice(max(-lo, 0), n - max(-hi, 0) + max(lo, 0) + max(hi, 0))
                                         for (lo, hi), n in zip(pairs, x.shape[lead:]))
    return np.pad(x, grow, constant_values=value)[crop]


def _source_index(n, lo, hi, mode):
    """Which input index each output position copies along one axis, in a non-constant mode.

    :func:`pad` itself calls ``np.pad``; this spells the same map out for
    :func:`pad_backward`, and the tests check that the two agree.
    """
    q = np.arange(-lo, n + hi)  # output positions, in input coordinates
    if mode == "reflect":
        q = np.abs(q)
        return np.where(q > n - 1, 2 * (n - 1) - q, q)
    if mode == "circular":  # PyTorch crops first, then wraps around what is left
        start, stop = max(-lo, 0), n - max(-hi, 0)
        return start + (q - start) % max(stop - start, 1)
    return np.clip(q, 0, n - 1)  # replicate


def pad(x, pad, mode="constant", value=0.0):
    r"""Pad (or crop) the trailing dimensions of ``x``, as ``torch.nn.functional.pad``.

    Concept page: [Padding and stride: padding](../concepts/padding-stride.md#padding).

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
    Padding is linear and acts on each axis separately: along one axis it is a
    0/1 matrix $P$ (one 1 per row, in the column it copies from; an all-zero
    row for a constant entry). So the backward pass applies $P^{\top}$: every
    entry of $\partial\mathcal{L} / \partial y$ is added to the input entry it was
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
    x, pairs, mode, value = v.pad_args("pad", x, pad, mode, value)
    if mode == "constant":
        y = _constant_pad(x, pairs, value)
        return y.copy() if y is x else y  # a zero pad still returns a new array
    crops = [(min(lo, 0), min(hi, 0)) for lo, hi in pairs]
    if mode == "circular":  # PyTorch crops first, then wraps around what is left
        x, crops = _constant_pad(x, crops), [(0, 0)] * len(pairs)
    grow = [(0, 0)] * (x.ndim - len(pairs)) + [(max(lo, 0), max(hi, 0)) for lo, hi in pairs]
    y = np.pad(x, grow, mode=_NUMPY_PAD_MODE[mode])
    return _constant_pad(y, crops)  # reflect and replicate pad first, then crop


def pad_backward(grad_output, x, pad, mode="constant", value=0.0):
    r"""Gradient of [`pad`][nnref.conv.pad] with respect to ``x``.

    Concept page: [Padding and stride: padding](../concepts/padding-stride.md#padding).

    $$ \frac{\partial\mathcal{L}}{\partial x_q} = \sum_{t:\ y_t \text{ copies } x_q} \frac{\partial\mathcal{L}}{\partial y_t} $$

    Parameters
    ----------
    grad_output : array_like
        $\partial\mathcal{L} / \partial y$, the shape of ``pad(x, pad, mode, value)``.
    x : array_like
        The forward input (only its shape is used).
    pad, mode, value
        As in [`pad`][nnref.conv.pad].

    Returns
    -------
    grad_input : ndarray
        Shape of ``x``.

    Raises
    ------
    ValueError
        As [`pad`][nnref.conv.pad], or if ``grad_output`` does not have the padded shape.

    Notes
    -----
    Constant mode: the gradient is ``grad_output`` with the pad cut off (and
    zeros where the forward cropped). The other modes add the gradients of
    the copies onto their source entries: along each padded axis, one product
    with the transposed 0/1 padding matrix $P^{\top}$.

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
    x, pairs, mode, value = v.pad_args(fn, x, pad, mode, value)
    lead = x.ndim - len(pairs)
    g = v.grad_output(grad_output, x.shape[:lead] + tuple(n + lo + hi for n, (lo, hi) in zip(x.shape[lead:], pairs)), fn)
    g = g.astype(np.result_type(g, x), copy=False)
    if mode == "constant":
        return _constant_pad(g, [(-lo, -hi) for lo, hi in pairs])  # cut the pad off (zeros where x was cropped)
    for axis, (lo, hi) in enumerate(pairs, start=lead):
        copied = _source_index(x.shape[axis], lo, hi, mode)[:, None]  # (padded, 1): y_t copies x_{copied[t]}
        g = _windows.scatter_axis(g, copied, None, axis, x.shape[axis])  # P^T g along this axis
    return g


# ----------------------------------------------------------------------------- the N-d engine

# --8<-- [start:engine]
def _conv(x, weight, bias, stride, pads, dilation, groups, out=None):
    r"""The convolution of conv1d, conv2d and conv3d: the windows as columns, one matrix product per group.

    $$ y_{n,g,o,i} = b_{g,o} + \sum_{c,a} w_{g,o,c,a}\, x^{\text{pad}}_{n,g,c,\, s i + d a} $$

    with the channels split into $G$ groups ($c$ and $o$ count within a group), and $i$, $a$
    the multi-indices of an output position and a kernel offset. ``out`` fixes $L_{out}$
    (by default, as many windows as fit).
    """
    n, (c_out, c_g, *kernel) = x.shape[0], weight.shape
    cols = _windows.unfold(x, kernel, stride, dilation, pads, out)  # (N, C_in, *k, *L_out)
    out = cols.shape[2 + len(kernel):]
    cols = cols.reshape(n, groups, c_g * math.prod(kernel), math.prod(out))  # (N, G, C_g k, L_out)
    w = weight.reshape(groups, c_out // groups, c_g * math.prod(kernel))  # (G, O_g, C_g k)
    y = (w @ cols).reshape(n, c_out, *out)  # (N, G, O_g, L_out) -> (N, C_out, *L_out)
    if bias is not None:
        y += bias.reshape(c_out, *[1] * len(out))
    return y


def _conv_grad_weight(x, g, weight_shape, stride, pads, dilation, groups):
    r"""$\partial\mathcal{L}/\partial w_{g,o,c,a} = \sum_{n,i} g_{n,g,o,i}\, x^{\text{pad}}_{n,g,c,\, s i + d a}$: g times the columns."""
    n, (c_out, c_g, *kernel) = x.shape[0], weight_shape
    cols = _windows.unfold(x, kernel, stride, dilation, pads, g.shape[2:])  # (N, C_in, *k, *L_out)
    cols = cols.reshape(n, groups, c_g * math.prod(kernel), -1)  # (N, G, C_g k, L_out)
    g = g.reshape(n, groups, c_out // groups, -1)  # (N, G, O_g, L_out)
    return (g @ cols.swapaxes(-1, -2)).sum(axis=0).reshape(weight_shape)  # sum over n of (G, O_g, C_g k)


def _conv_grad_input(g, weight, size, stride, pads, dilation, groups):
    r"""$\partial\mathcal{L}/\partial x$: each $g_{n,o,i}$ goes back through $w$ to the entries window $i$ read.

    The columns $w^\top g$ (one matrix product per group) are added back onto the input by
    ``fold``: the transposed convolution of $g$, of spatial size ``size``.
    """
    n, (c_out, c_g, *kernel), out = g.shape[0], weight.shape, g.shape[2:]
    w = weight.reshape(groups, c_out // groups, c_g * math.prod(kernel))  # (G, O_g, C_g k)
    cols = w.swapaxes(-1, -2) @ g.reshape(n, groups, c_out // groups, -1)  # (N, G, C_g k, L_out)
    cols = cols.reshape(n, groups * c_g, *kernel, *out)  # (N, C_in, *k, *L_out)
    return _windows.fold(cols, size, kernel, stride, dilation, pads)  # (N, C_in, *size)


def _conv_backward(g, x, weight, bias, stride, pads, dilation, groups):
    """The three gradients of :func:`_conv`: input (fold of $w^\\top g$), weight (g times the columns), bias."""
    grad_x = _conv_grad_input(g, weight, x.shape[2:], stride, pads, dilation, groups)
    grad_w = _conv_grad_weight(x, g, weight.shape, stride, pads, dilation, groups)
    grad_b = None if bias is None else g.sum(axis=(0, *range(2, g.ndim)))  # over n and every position
    return grad_x, grad_w, grad_b
# --8<-- [end:engine]


# --8<-- [start:transpose-engine]
def _conv_transpose(x, weight, bias, stride, pads, dilation, groups, size):
    """A transposed convolution: the input gradient of the convolution with ``weight``, applied to ``x``, plus the bias."""
    y = _conv_grad_input(x, weight, size, stride, pads, dilation, groups)  # (N, C_out, *size)
    if bias is not None:
        y += bias.reshape(-1, *[1] * len(size))
    return y


def _conv_transpose_backward(g, x, weight, bias, stride, pads, dilation, groups):
    """The gradients of :func:`_conv_transpose`: x's is a convolution of g; w's swaps the roles of x and g."""
    grad_x = _conv(g, weight, None, stride, pads, dilation, groups, x.shape[2:])  # (N, C_in, *L)
    grad_w = _conv_grad_weight(g, x, weight.shape, stride, pads, dilation, groups)
    grad_b = None if bias is None else g.sum(axis=(0, *range(2, g.ndim)))
    return grad_x, grad_w, grad_b
# --8<-- [end:transpose-engine]


# ----------------------------------------------------------------------------- convolution

def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    r"""2-D convolution (cross-correlation) over an image batch, as ``torch.nn.functional.conv2d``.

    Concept page: [Convolution: the computation](../concepts/convolution.md#the-computation).

    $$ y_{n,o,i,j} = b_o + \sum_{c=0}^{C_{in}/G - 1} \sum_{a_H=0}^{k_H - 1} \sum_{a_W=0}^{k_W - 1}
       w_{o,c,a_H,a_W}\; x^{\text{pad}}_{n,\; c_0(o) + c,\; s_H i + d_H a_H,\; s_W j + d_W a_W} $$

    Each of the $C_{out}$ filters $w_o$ slides over the zero-padded input
    $x^{\text{pad}}$ and, at each output pixel $(i, j)$, takes the dot product
    with the $C_{in}/G \times k_H \times k_W$ window under it; one filter gives
    one output channel. With $G$ groups, filter $o$ only sees the $C_{in}/G$
    channels of its group, the first of which is
    $c_0(o) = \lfloor o G / C_{out} \rfloor \, C_{in}/G$.

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
        ([`conv_output_size`][nnref.conv.conv_output_size]), likewise $W_{out}$. Unbatched input gives
        ``(C_out, H_out, W_out)``. Common floating dtype of the inputs
        ([Conventions](../conventions.md#dtypes)).

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
    unfold : the windows as columns, the first step of the computation.

    Notes
    -----
    **Cross-correlation, not convolution.** Mathematical convolution flips the
    kernel, $(x * w)_i = \sum_a w_a\, x_{i - a}$; this function (like every
    deep-learning framework) computes $\sum_a w_a\, x_{i + a}$. The two agree
    after flipping ``weight`` along its spatial axes
    (``weight[..., ::-1, ::-1]``); for learned filters the difference does not
    matter.

    **How it is computed.** [`unfold`][nnref.conv.unfold] copies every window of the padded
    input into a column: the im2col buffer of $N \cdot C_{in} k_H k_W \cdot H_{out} W_{out}$
    entries ($k_H k_W$ times the input at stride 1). One matrix product per
    group with the ``(C_out / G, C_in k_H k_W / G)`` weight matrix then gives
    every output at once, in the output's memory layout.

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
    >>> nnref.flatten(maps).shape
    (4, 72)
    """
    x, weight, bias, stride, pads, dilation, groups, batched = v.conv_args(
        "conv2d", 2, x, weight, bias, stride, padding, dilation, groups)
    y = _conv(x, weight, bias, stride, pads, dilation, groups)
    return y if batched else y[0]


def conv2d_backward(grad_output, x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    r"""Gradients of [`conv2d`][nnref.conv.conv2d] with respect to ``x``, ``weight`` and ``bias``.

    Concept page: [Convolution: backward](../concepts/convolution.md#backward).

    $$ \frac{\partial\mathcal{L}}{\partial w_{o,c,a_H,a_W}} = \sum_{n,i,j} g_{n,o,i,j}\,
       x^{\text{pad}}_{n,\, c_0(o) + c,\, s_H i + d_H a_H,\, s_W j + d_W a_W}, \qquad
       \frac{\partial\mathcal{L}}{\partial b_o} = \sum_{n,i,j} g_{n,o,i,j} $$

    and $\partial\mathcal{L} / \partial x$ sends each $g_{n,o,i,j}$ back through the
    same weights to every input pixel its window read: a transposed
    convolution of $g = \partial\mathcal{L} / \partial y$.

    Parameters
    ----------
    grad_output : (N, C_out, H_out, W_out) array_like
        $g = \partial\mathcal{L} / \partial y$, the shape of the forward output.
    x, weight, bias, stride, padding, dilation, groups
        As in [`conv2d`][nnref.conv.conv2d]; ``bias`` only decides whether ``grad_bias`` is
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
        As [`conv2d`][nnref.conv.conv2d], or if ``grad_output`` does not have the output's shape.

    See Also
    --------
    conv2d : the forward op.
    conv_transpose2d : computes ``grad_input``.
    fold : adds the columns of the input gradient back onto the input.

    Notes
    -----
    ``grad_input`` equals ``conv_transpose2d(grad_output, weight, stride=stride,
    padding=padding, output_padding=r, groups=groups, dilation=dilation)``, where
    ``r`` is the remainder the floor in the output-size formula dropped (rows
    and columns no window reached get zero gradient): the columns $w^\top g$,
    added back onto the input by [`fold`][nnref.conv.fold]. ``grad_weight`` is $g$ times the
    forward's columns, which this call builds once more with [`unfold`][nnref.conv.unfold].

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
    g, x, weight, bias, stride, pads, dilation, groups, batched = v.conv_backward_args(
        "conv2d_backward", 2, grad_output, x, weight, bias, stride, padding, dilation, groups)
    grad_x, grad_w, grad_b = _conv_backward(g, x, weight, bias, stride, pads, dilation, groups)
    return (grad_x if batched else grad_x[0]), grad_w, grad_b


def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    r"""1-D convolution (cross-correlation): [`conv2d`][nnref.conv.conv2d] with one spatial axis.

    Concept page: [Convolution: the computation](../concepts/convolution.md#the-computation).

    $$ y_{n,o,i} = b_o + \sum_{c=0}^{C_{in}/G - 1} \sum_{a=0}^{k - 1}
       w_{o,c,a}\; x^{\text{pad}}_{n,\; c_0(o) + c,\; s i + d a} $$

    Shapes: ``x`` is ``(N, C_in, L)`` or ``(C_in, L)``, ``weight`` is
    ``(C_out, C_in / groups, k)``, and ``y`` is ``(N, C_out, L_out)`` with
    $L_{out} = \lfloor (L + 2p - d(k - 1) - 1)/s \rfloor + 1$. The arguments,
    errors and memory use are [`conv2d`][nnref.conv.conv2d]'s.

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
    x, weight, bias, stride, pads, dilation, groups, batched = v.conv_args(
        "conv1d", 1, x, weight, bias, stride, padding, dilation, groups)
    y = _conv(x, weight, bias, stride, pads, dilation, groups)
    return y if batched else y[0]


def conv1d_backward(grad_output, x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    r"""Gradients of [`conv1d`][nnref.conv.conv1d]: [`conv2d_backward`][nnref.conv.conv2d_backward] with one spatial axis.

    Concept page: [Convolution: backward](../concepts/convolution.md#backward).

    $$ \frac{\partial\mathcal{L}}{\partial w_{o,c,a}} = \sum_{n,i} g_{n,o,i}\,
       x^{\text{pad}}_{n,\, c_0(o) + c,\, s i + d a}, \qquad
       \frac{\partial\mathcal{L}}{\partial b_o} = \sum_{n,i} g_{n,o,i} $$

    Returns ``(grad_input, grad_weight, grad_bias)`` shaped like ``x``,
    ``weight`` and ``bias`` (``None`` when ``bias`` is ``None``).

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
    g, x, weight, bias, stride, pads, dilation, groups, batched = v.conv_backward_args(
        "conv1d_backward", 1, grad_output, x, weight, bias, stride, padding, dilation, groups)
    grad_x, grad_w, grad_b = _conv_backward(g, x, weight, bias, stride, pads, dilation, groups)
    return (grad_x if batched else grad_x[0]), grad_w, grad_b


def conv3d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    r"""3-D convolution (cross-correlation): [`conv2d`][nnref.conv.conv2d] with three spatial axes.

    Concept page: [Convolution: the computation](../concepts/convolution.md#the-computation).

    $$ y_{n,o,i,j,l} = b_o + \sum_{c,a_D,a_H,a_W}
       w_{o,c,a_D,a_H,a_W}\; x^{\text{pad}}_{n,\; c_0(o) + c,\; s_D i + d_D a_D,\; s_H j + d_H a_H,\; s_W l + d_W a_W} $$

    Shapes: ``x`` is ``(N, C_in, D, H, W)`` or ``(C_in, D, H, W)``, ``weight``
    is ``(C_out, C_in / groups, k_D, k_H, k_W)``, and ``y`` is
    ``(N, C_out, D_out, H_out, W_out)``, each size by
    [`conv_output_size`][nnref.conv.conv_output_size]. The arguments, errors and memory use are
    [`conv2d`][nnref.conv.conv2d]'s.

    Examples
    --------
    A 2x2x2 box filter sums each 2x2x2 block of a 3x3x3 volume:

    >>> import numpy as np
    >>> import nnref
    >>> volume = np.arange(27.0).reshape(1, 1, 3, 3, 3)
    >>> y = nnref.conv3d(volume, np.ones((1, 1, 2, 2, 2)))
    >>> y.shape
    (1, 1, 2, 2, 2)
    >>> y[0, 0, 0]
    array([[52., 60.],
           [76., 84.]])
    """
    x, weight, bias, stride, pads, dilation, groups, batched = v.conv_args(
        "conv3d", 3, x, weight, bias, stride, padding, dilation, groups)
    y = _conv(x, weight, bias, stride, pads, dilation, groups)
    return y if batched else y[0]


def conv3d_backward(grad_output, x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    r"""Gradients of [`conv3d`][nnref.conv.conv3d]: [`conv2d_backward`][nnref.conv.conv2d_backward] with three spatial axes.

    Concept page: [Convolution: backward](../concepts/convolution.md#backward).

    $$ \frac{\partial\mathcal{L}}{\partial w_{o,c,a_D,a_H,a_W}} = \sum_{n,i,j,l} g_{n,o,i,j,l}\,
       x^{\text{pad}}_{n,\, c_0(o) + c,\, s_D i + d_D a_D,\, s_H j + d_H a_H,\, s_W l + d_W a_W},
       \qquad \frac{\partial\mathcal{L}}{\partial b_o} = \sum_{n,i,j,l} g_{n,o,i,j,l} $$

    Returns ``(grad_input, grad_weight, grad_bias)`` shaped like ``x``,
    ``weight`` and ``bias`` (``None`` when ``bias`` is ``None``).

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
    g, x, weight, bias, stride, pads, dilation, groups, batched = v.conv_backward_args(
        "conv3d_backward", 3, grad_output, x, weight, bias, stride, padding, dilation, groups)
    grad_x, grad_w, grad_b = _conv_backward(g, x, weight, bias, stride, pads, dilation, groups)
    return (grad_x if batched else grad_x[0]), grad_w, grad_b


# ----------------------------------------------------------------------------- transposed convolution

def conv_transpose2d(x, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    r"""2-D transposed convolution (learnable upsampling), as ``torch.nn.functional.conv_transpose2d``.

    Concept page: [Transposed convolution](../concepts/transposed-convolution.md#learnable-upsampling).

    $$ y_{n,o,i,j} = b_o + \sum_{c} \sum_{\substack{m_H, a_H:\\ s_H m_H + d_H a_H = i + p_H}}
       \sum_{\substack{m_W, a_W:\\ s_W m_W + d_W a_W = j + p_W}} x_{n,c,m_H,m_W}\, w_{c,o,a_H,a_W} $$

    Each input pixel $x_{n,c,m_H,m_W}$ stamps a copy of its kernel $w_c$, scaled
    by its value, onto the output at $(s_H m_H, s_W m_W)$; overlapping stamps
    add. It is the adjoint (matrix transpose) of [`conv2d`][nnref.conv.conv2d] with the same
    weight: if the convolution is $y = C x$, this is $x \mapsto C^{\top} x$,
    which is why it maps a convolution's output shape back to its input shape.
    $c$ runs over the input channels of output channel $o$'s group.

    Parameters
    ----------
    x : (N, C_in, H, W) or (C_in, H, W) array_like
    weight : (C_in, C_out / groups, k_H, k_W) array_like
        Note the order: input channels first (the layout of the
        [`conv2d`][nnref.conv.conv2d] weight it transposes).
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
        ([`conv_transpose_output_size`][nnref.conv.conv_transpose_output_size]), likewise $W_{out}$.

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
    checkerboard_overlap : how many stamps land on each output pixel.

    Notes
    -----
    **How it is computed.** One matrix product of the transposed weight matrix
    with ``x`` gives every stamp, a column buffer of
    $N \cdot C_{out} k_H k_W \cdot H W$ entries, and [`fold`][nnref.conv.fold] adds them into
    the padded output. This is exactly the input gradient of [`conv2d`][nnref.conv.conv2d],
    reused.

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

    It inverts [`conv2d`][nnref.conv.conv2d]'s shapes (here 8x8 to 4x4 and back):

    >>> w = np.ones((3, 5, 4, 4))
    >>> nnref.conv2d(np.ones((1, 5, 8, 8)), w, stride=2, padding=1).shape
    (1, 3, 4, 4)
    >>> nnref.conv_transpose2d(np.ones((1, 3, 4, 4)), w, stride=2, padding=1).shape
    (1, 5, 8, 8)
    """
    x, weight, bias, stride, pads, dilation, groups, size, batched = v.transpose_args(
        "conv_transpose2d", 2, x, weight, bias, stride, padding, output_padding, groups, dilation)
    y = _conv_transpose(x, weight, bias, stride, pads, dilation, groups, size)
    return y if batched else y[0]


def conv_transpose2d_backward(grad_output, x, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                              dilation=1):
    r"""Gradients of [`conv_transpose2d`][nnref.conv.conv_transpose2d] with respect to ``x``, ``weight`` and ``bias``.

    Concept page: [Transposed convolution: backward](../concepts/transposed-convolution.md#backward).

    $$ \frac{\partial\mathcal{L}}{\partial x} = \operatorname{conv2d}(g, w), \qquad
       \frac{\partial\mathcal{L}}{\partial w_{c,o,a_H,a_W}} = \sum_{n,m_H,m_W} x_{n,c,m_H,m_W}\,
       g^{\text{pad}}_{n,o,\, s_H m_H + d_H a_H,\, s_W m_W + d_W a_W}, \qquad
       \frac{\partial\mathcal{L}}{\partial b_o} = \sum_{n,i,j} g_{n,o,i,j} $$

    with $g = \partial\mathcal{L} / \partial y$ and [`conv2d`][nnref.conv.conv2d] taking the same
    ``stride``, ``padding``, ``dilation`` and ``groups``.

    Parameters
    ----------
    grad_output : (N, C_out, H_out, W_out) array_like
    x, weight, bias, stride, padding, output_padding, groups, dilation
        As in [`conv_transpose2d`][nnref.conv.conv_transpose2d].

    Returns
    -------
    grad_input : (N, C_in, H, W) ndarray
    grad_weight : (C_in, C_out / groups, k_H, k_W) ndarray
    grad_bias : (C_out,) ndarray or None

    Raises
    ------
    ValueError
        As [`conv_transpose2d`][nnref.conv.conv_transpose2d], or if ``grad_output`` does not have the
        output's shape.

    Notes
    -----
    Since the transposed convolution is $C^{\top}$, its input gradient is
    $C g$: a plain convolution, computed by the same code as [`conv2d`][nnref.conv.conv2d].
    The weight gradient is [`conv2d_backward`][nnref.conv.conv2d_backward]'s with the roles of input
    and output gradient swapped.

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
    g, x, weight, bias, stride, pads, dilation, groups, batched = v.transpose_backward_args(
        "conv_transpose2d_backward", 2, grad_output, x, weight, bias, stride, padding, output_padding, groups,
        dilation)
    grad_x, grad_w, grad_b = _conv_transpose_backward(g, x, weight, bias, stride, pads, dilation, groups)
    return (grad_x if batched else grad_x[0]), grad_w, grad_b


def conv_transpose1d(x, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    r"""1-D transposed convolution: [`conv_transpose2d`][nnref.conv.conv_transpose2d] with one spatial axis.

    Concept page: [Transposed convolution](../concepts/transposed-convolution.md#learnable-upsampling).

    $$ y_{n,o,i} = b_o + \sum_{c} \sum_{m, a:\ s m + d a = i + p} x_{n,c,m}\, w_{c,o,a} $$

    Shapes: ``x`` is ``(N, C_in, L)`` or ``(C_in, L)``, ``weight`` is
    ``(C_in, C_out / groups, k)``, and ``y`` is ``(N, C_out, L_out)`` with
    $L_{out} = (L - 1)s - 2p + d(k - 1) + \text{output_padding} + 1$. It is the
    adjoint of [`conv1d`][nnref.conv.conv1d].

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
    x, weight, bias, stride, pads, dilation, groups, size, batched = v.transpose_args(
        "conv_transpose1d", 1, x, weight, bias, stride, padding, output_padding, groups, dilation)
    y = _conv_transpose(x, weight, bias, stride, pads, dilation, groups, size)
    return y if batched else y[0]


def conv_transpose1d_backward(grad_output, x, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                              dilation=1):
    r"""Gradients of [`conv_transpose1d`][nnref.conv.conv_transpose1d]: [`conv_transpose2d_backward`][nnref.conv.conv_transpose2d_backward] with one axis.

    Concept page: [Transposed convolution: backward](../concepts/transposed-convolution.md#backward).

    $$ \frac{\partial\mathcal{L}}{\partial x} = \operatorname{conv1d}(g, w), \qquad
       \frac{\partial\mathcal{L}}{\partial w_{c,o,a}} = \sum_{n,m} x_{n,c,m}\, g^{\text{pad}}_{n,o,\, s m + d a}, \qquad
       \frac{\partial\mathcal{L}}{\partial b_o} = \sum_{n,i} g_{n,o,i} $$

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
    g, x, weight, bias, stride, pads, dilation, groups, batched = v.transpose_backward_args(
        "conv_transpose1d_backward", 1, grad_output, x, weight, bias, stride, padding, output_padding, groups,
        dilation)
    grad_x, grad_w, grad_b = _conv_transpose_backward(g, x, weight, bias, stride, pads, dilation, groups)
    return (grad_x if batched else grad_x[0]), grad_w, grad_b


def conv_transpose3d(x, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    r"""3-D transposed convolution: [`conv_transpose2d`][nnref.conv.conv_transpose2d] with three spatial axes.

    Concept page: [Transposed convolution](../concepts/transposed-convolution.md#learnable-upsampling).

    Each input voxel $x_{n,c,m_D,m_H,m_W}$ stamps its kernel $w_c$ onto the
    output at $(s_D m_D, s_H m_H, s_W m_W)$, overlapping stamps add, and $p$ is
    cropped from each side. Shapes: ``x`` is ``(N, C_in, D, H, W)`` or
    ``(C_in, D, H, W)``, ``weight`` is ``(C_in, C_out / groups, k_D, k_H, k_W)``,
    and ``y`` is ``(N, C_out, D_out, H_out, W_out)``, each size by
    [`conv_transpose_output_size`][nnref.conv.conv_transpose_output_size]. It is the adjoint of [`conv3d`][nnref.conv.conv3d].

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
    x, weight, bias, stride, pads, dilation, groups, size, batched = v.transpose_args(
        "conv_transpose3d", 3, x, weight, bias, stride, padding, output_padding, groups, dilation)
    y = _conv_transpose(x, weight, bias, stride, pads, dilation, groups, size)
    return y if batched else y[0]


def conv_transpose3d_backward(grad_output, x, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                              dilation=1):
    r"""Gradients of [`conv_transpose3d`][nnref.conv.conv_transpose3d]: [`conv_transpose2d_backward`][nnref.conv.conv_transpose2d_backward] with three axes.

    Concept page: [Transposed convolution: backward](../concepts/transposed-convolution.md#backward).

    $\partial\mathcal{L}/\partial x$ is ``conv3d(g, w)``, the weight gradient correlates
    ``x`` with $g$, and the bias gradient sums $g$ over everything but its channels.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> gx, gw, gb = nnref.conv_transpose3d_backward(np.ones((1, 1, 4, 4, 4)), np.ones((1, 1, 2, 2, 2)),
    ...                                              np.ones((1, 1, 2, 2, 2)), np.zeros(1), stride=2)
    >>> gx[0, 0, 0]
    array([[8., 8.],
           [8., 8.]])
    >>> gb
    array([64.])
    """
    g, x, weight, bias, stride, pads, dilation, groups, batched = v.transpose_backward_args(
        "conv_transpose3d_backward", 3, grad_output, x, weight, bias, stride, padding, output_padding, groups,
        dilation)
    grad_x, grad_w, grad_b = _conv_transpose_backward(g, x, weight, bias, stride, pads, dilation, groups)
    return (grad_x if batched else grad_x[0]), grad_w, grad_b


# ----------------------------------------------------------------------------- the windows as columns

def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    r"""Copy every sliding window of an image batch into a column (im2col), as ``torch.nn.functional.unfold``.

    Concept page: [Convolution: how nnref computes it](../concepts/convolution.md#how-nnref-computes-it).

    $$ \text{cols}_{n,\,(c, a_H, a_W),\,(i, j)} = x^{\text{pad}}_{n,\, c,\, s_H i + d_H a_H,\, s_W j + d_W a_W} $$

    Row $(c, a_H, a_W)$ of the result is one tap of one channel, column $(i, j)$
    one window: a convolution is then one matrix product, ``w.reshape(C_out, -1) @ cols``,
    and the same ``(c, a_H, a_W)`` order as a flattened ``(C_out, C_in, k_H, k_W)`` weight.

    Parameters
    ----------
    x : (N, C, H, W) or (C, H, W) array_like
    kernel_size : int or (int, int)
        Window size $k$.
    dilation : int or (int, int), default 1
        Spacing $d$ between the taps of a window.
    padding : int or (int, int), default 0
        Zeros $p$ added on both sides of each spatial axis.
    stride : int or (int, int), default 1
        Step $s$ between windows.

    Returns
    -------
    cols : (N, C * k_H * k_W, H_out * W_out) ndarray
        $H_{out}$, $W_{out}$ by [`conv_output_size`][nnref.conv.conv_output_size], columns in row-major
        order of $(i, j)$; ``(C * k_H * k_W, H_out * W_out)`` for an unbatched ``x``.

    Raises
    ------
    ValueError
        If ``x`` is not 3-D or 4-D, an argument is out of range, or the window
        is larger than the padded input.

    See Also
    --------
    fold : its adjoint, which adds columns back onto an image.
    unfold_backward : gradient with respect to ``x``.
    conv2d : unfold, then one matrix product.

    Examples
    --------
    The four 2x2 windows of a 3x3 image, one per column:

    >>> import numpy as np
    >>> import nnref
    >>> x = np.arange(9.0).reshape(1, 1, 3, 3)
    >>> nnref.unfold(x, 2)
    array([[[0., 1., 3., 4.],
            [1., 2., 4., 5.],
            [3., 4., 6., 7.],
            [4., 5., 7., 8.]]])

    A convolution is a matrix product with these columns:

    >>> w = np.array([[[[1.0, 0.0], [0.0, -1.0]]]])
    >>> (w.reshape(1, -1) @ nnref.unfold(x, 2)).reshape(1, 1, 2, 2)
    array([[[[-4., -4.],
             [-4., -4.]]]])
    >>> nnref.conv2d(x, w)
    array([[[[-4., -4.],
             [-4., -4.]]]])
    """
    x, kernel, dilation, pads, stride, batched = v.unfold_args("unfold", x, kernel_size, dilation, padding, stride)
    cols = _windows.unfold(x, kernel, stride, dilation, pads)  # (N, C, k_H, k_W, H_out, W_out)
    cols = cols.reshape(x.shape[0], -1, math.prod(cols.shape[4:]))  # (N, C k_H k_W, H_out W_out)
    return cols if batched else cols[0]


def unfold_backward(grad_output, x, kernel_size, dilation=1, padding=0, stride=1):
    r"""Gradient of [`unfold`][nnref.conv.unfold] with respect to ``x``: [`fold`][nnref.conv.fold] of ``grad_output``.

    Concept page: [Convolution: how nnref computes it](../concepts/convolution.md#how-nnref-computes-it).

    $$ \frac{\partial\mathcal{L}}{\partial x_{n,c,h,w}} = \sum_{\substack{a_H, a_W, i, j:\\ s_H i + d_H a_H = h + p_H
       \\ s_W j + d_W a_W = w + p_W}} g_{n,\,(c, a_H, a_W),\,(i, j)} $$

    Every copy of a pixel sends its gradient back to that pixel.

    Examples
    --------
    How many 2x2 windows read each pixel of a 3x3 image:

    >>> import numpy as np
    >>> import nnref
    >>> x = np.zeros((1, 1, 3, 3))
    >>> nnref.unfold_backward(np.ones((1, 4, 4)), x, 2)
    array([[[[1., 2., 1.],
             [2., 4., 2.],
             [1., 2., 1.]]]])
    """
    fn = "unfold_backward"
    x, kernel, dilation, pads, stride, batched = v.unfold_args(fn, x, kernel_size, dilation, padding, stride)
    out = [v.conv_size(fn, *a) for a in zip(v.AXIS_NAMES[2], x.shape[2:], kernel, stride, *zip(*pads), dilation)]
    g, x = v.batched_grad(grad_output, (x.shape[0], x.shape[1] * math.prod(kernel), math.prod(out)), batched, fn, x)
    y = _windows.fold(g.reshape(*x.shape[:2], *kernel, *out), x.shape[2:], kernel, stride, dilation, pads)
    return y if batched else y[0]


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    r"""Add columns back onto an image (col2im), the adjoint of [`unfold`][nnref.conv.unfold], as ``torch.nn.functional.fold``.

    Concept page: [Convolution: how nnref computes it](../concepts/convolution.md#how-nnref-computes-it).

    $$ y_{n,c,h,w} = \sum_{\substack{a_H, a_W, i, j:\\ s_H i + d_H a_H = h + p_H \\ s_W j + d_W a_W = w + p_W}}
       x_{n,\,(c, a_H, a_W),\,(i, j)} $$

    Column $(i, j)$ of ``x`` holds one window; each of its entries is added to
    the pixel that tap of that window covers, and entries that land in the
    padding are dropped. Where windows overlap, the sums collect several entries;
    ``fold(unfold(x))`` is ``x`` times the number of windows reading each pixel.

    Parameters
    ----------
    x : (N, C * k_H * k_W, L) or (C * k_H * k_W, L) array_like
        $L$ must be the number of windows, $H_{out} W_{out}$, that the output
        size, kernel, dilation, padding and stride give.
    output_size : int or (int, int)
        $(H, W)$ of the result.
    kernel_size, dilation, padding, stride
        As in [`unfold`][nnref.conv.unfold].

    Returns
    -------
    y : (N, C, H, W) ndarray
        ``(C, H, W)`` for an unbatched ``x``.

    Raises
    ------
    ValueError
        If ``x`` is not 2-D or 3-D, its rows are not a multiple of
        $k_H k_W$, its columns are not the number of windows, or an argument is
        out of range.

    See Also
    --------
    unfold : the windows as columns.
    fold_backward : gradient with respect to ``x``.
    conv_transpose2d : a matrix product, then fold.

    Examples
    --------
    The adjoint relation: $\langle \operatorname{unfold}(x), c\rangle = \langle x, \operatorname{fold}(c)\rangle$
    for every image $x$ and columns $c$:

    >>> import numpy as np
    >>> import nnref
    >>> rng = np.random.default_rng(0)
    >>> x, c = rng.standard_normal((1, 2, 4, 5)), rng.standard_normal((1, 2 * 3 * 3, 6))
    >>> left = np.sum(nnref.unfold(x, 3, padding=1, stride=2) * c)
    >>> right = np.sum(x * nnref.fold(c, (4, 5), 3, padding=1, stride=2))
    >>> bool(np.isclose(left, right))
    True

    Folding the windows of a 3x3 image back counts the windows on each pixel:

    >>> nnref.fold(nnref.unfold(np.ones((1, 1, 3, 3)), 2), 3, 2)
    array([[[[1., 2., 1.],
             [2., 4., 2.],
             [1., 2., 1.]]]])
    """
    x, size, kernel, dilation, pads, stride, out, batched = v.fold_args(
        "fold", x, output_size, kernel_size, dilation, padding, stride)
    cols = x.reshape(x.shape[0], -1, *kernel, *out)  # (N, C, k_H, k_W, H_out, W_out)
    y = _windows.fold(cols, size, kernel, stride, dilation, pads)  # (N, C, H, W)
    return y if batched else y[0]


def fold_backward(grad_output, x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    r"""Gradient of [`fold`][nnref.conv.fold] with respect to ``x``: [`unfold`][nnref.conv.unfold] of ``grad_output``.

    Concept page: [Convolution: how nnref computes it](../concepts/convolution.md#how-nnref-computes-it).

    $$ \frac{\partial\mathcal{L}}{\partial x_{n,\,(c, a_H, a_W),\,(i, j)}} =
       g^{\text{pad}}_{n,\, c,\, s_H i + d_H a_H,\, s_W j + d_W a_W} $$

    Each column entry gets the gradient of the pixel it was added to (zero for
    an entry that landed in the padding).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> g = np.arange(9.0).reshape(1, 1, 3, 3)
    >>> nnref.fold_backward(g, np.zeros((1, 4, 4)), 3, 2)
    array([[[0., 1., 3., 4.],
            [1., 2., 4., 5.],
            [3., 4., 6., 7.],
            [4., 5., 7., 8.]]])
    """
    fn = "fold_backward"
    x, size, kernel, dilation, pads, stride, out, batched = v.fold_args(
        fn, x, output_size, kernel_size, dilation, padding, stride)
    g, x = v.batched_grad(grad_output, (x.shape[0], x.shape[1] // math.prod(kernel), *size), batched, fn, x)
    cols = _windows.unfold(g, kernel, stride, dilation, pads)  # (N, C, k_H, k_W, H_out, W_out)
    cols = cols.reshape(x.shape)  # (N, C k_H k_W, H_out W_out)
    return cols if batched else cols[0]


# ----------------------------------------------------------------------------- checkerboard predictor

def checkerboard_overlap(kernel_size, stride, input_size=4):
    r"""Count how many kernel taps of a transposed convolution land on each output pixel.

    Concept page: [Transposed convolution: the checkerboard problem](../concepts/transposed-convolution.md#the-checkerboard-problem).

    $$ \text{count}_i = \#\{(m, a) : s\, m + a = i,\; 0 \le m < L,\; 0 \le a < k\} $$

    A transposed convolution with stride $s$ stamps a copy of its $k$-tap kernel at
    every $s$-th output position, one copy per input pixel $m$ (of $L$). Output pixel
    $i$ sums $\text{count}_i$ products; with equal weights and a constant input it is
    $\text{count}_i$ times as bright. Away from the borders the count repeats with
    period $s$ and is even exactly when $s$ divides $k$; otherwise it alternates between
    $\lceil k/s \rceil$ and $\lfloor k/s \rfloor$, which is the checkerboard
    artifact. In 2-D and 3-D the counts are products of the per-axis counts.

    Parameters
    ----------
    kernel_size : int or tuple of ints
        $k$ per spatial axis.
    stride : int or tuple of ints
        $s$ per spatial axis.
    input_size : int or tuple of ints, default 4
        $L$ per spatial axis. The number of axes (1, 2 or 3) is the length of the
        tuple arguments (they must agree); 1 if all three are ints.

    Returns
    -------
    counts : (L_out,) or (H_out, W_out) or (D_out, H_out, W_out) ndarray of int64
        $L_{out} = (L - 1)\, s + k$ per axis ([`conv_transpose_output_size`][nnref.conv.conv_transpose_output_size]
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
    fold : computes the counts.

    Notes
    -----
    The counts are [`fold`][nnref.conv.fold] of columns of ones: every tap of every stamp
    adds 1 to the pixel it lands on, exactly the weights a transposed
    convolution gives each output pixel. Fewer input pixels reach the first
    and last $k - 1$ pixels of each axis, so their counts can be lower; a layer
    with ``padding`` crops (part of) them off.

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
    kernel, stride, size = v.overlap_args("checkerboard_overlap", kernel_size, stride, input_size)
    nd = len(kernel)
    out = tuple((n - 1) * s + k for n, s, k in zip(size, stride, kernel))  # L_out per axis
    taps = np.ones((1, 1, *kernel, *size), dtype=np.int64)  # one 1 per tap of every stamp
    return _windows.fold(taps, out, kernel, stride, (1,) * nd, ((0, 0),) * nd)[0, 0]
