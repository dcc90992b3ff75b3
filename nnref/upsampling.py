r"""Upsampling (and resampling): interpolation (nearest, linear, bilinear, bicubic, trilinear) and pixel shuffle.

Upsampling is the inverse-shaped partner of pooling: pooling shrinks the
spatial size of a feature map, upsampling grows it. Like pooling it has no
learnable parameters (a transposed convolution is the learnable alternative,
and a convolution followed by [`pixel_shuffle`][nnref.upsampling.pixel_shuffle]
a third way). Letters ([Conventions](../conventions.md#shapes-and-letters)): $N$
batch, $C$ channels, $L$ / $(H, W)$ / $(D, H, W)$ input sizes, and for one axis
$n_{in}$, $n_{out}$ and the ratio $r = n_{in} / n_{out}$ (or $1/\text{scale_factor}$
when a scale factor is given).

Every interpolation mode is separable: along each spatial axis an output index
$i$ reads a real source coordinate $x_i$ and mixes a few neighbouring inputs
with weights, which is one small $(n_{out}, n_{in})$ interpolation matrix $A$
per axis, $y = A x$ along that axis. The backward pass is the transpose,
$\partial\mathcal{L} / \partial x = A^\top g$. Both are the per-axis maps that
adaptive pooling uses too.
"""

import math

import numpy as np

from . import _validation as v
from . import _windows

__all__ = [
    "interpolate",
    "interpolate_backward",
    "pixel_shuffle",
    "pixel_shuffle_backward",
    "pixel_unshuffle",
    "pixel_unshuffle_backward",
]

_CUBIC_A = -0.75  # PyTorch's (and OpenCV's) bicubic convolution parameter
_CUBIC_A_ANTIALIAS = -0.5  # PyTorch's (and PIL's) antialiasing bicubic filter


# --8<-- [start:maps]
def _axis_map(n_in, n_out, scale, mode, align_corners, antialias, dtype, small_2d):
    """The interpolation along one axis as ``(index, weight)``, both ``(n_out, T)``: $y_i = \\sum_t w_{i,t}\\, x_{m_{i,t}}$.

    ``weight`` is ``None`` for the nearest modes (one tap of weight 1).
    """
    if mode.startswith("nearest"):
        return _nearest_index(n_in, n_out, scale, mode == "nearest-exact", dtype, small_2d)[:, None], None
    if antialias:
        return _antialias_map(n_in, n_out, scale, align_corners, cubic=mode == "bicubic")
    if mode == "bicubic":
        return _cubic_map(n_in, n_out, scale, align_corners)
    return _linear_map(n_in, n_out, scale, align_corners)


def _source_coordinate(n_in, n_out, scale, align_corners, clamp=True):
    r"""Real source coordinate $x_i$ of each output index $i$ (PyTorch's rule).

    ``align_corners=True``: $x_i = i\,(n_{in} - 1)/(n_{out} - 1)$, so the corner
    pixels' centres coincide. ``align_corners=False``: pixels are unit squares,
    $x_i = r\,(i + \tfrac12) - \tfrac12$ with $r = 1/\text{scale}$ if a scale
    factor was given, else $n_{in}/n_{out}$; clamped at 0 (except for cubic).
    """
    i = np.arange(n_out, dtype=np.float64)
    if align_corners:
        return i * ((n_in - 1) / (n_out - 1) if n_out > 1 else 0.0)
    ratio = 1.0 / scale if scale is not None else n_in / n_out
    x = ratio * (i + 0.5) - 0.5
    return np.maximum(x, 0.0) if clamp else x


def _linear_map(n_in, n_out, scale, align_corners):
    r"""Two taps: $(1 - \lambda)\,x[m_0] + \lambda\,x[m_0 + 1]$ with $m_0 = \lfloor x_i \rfloor$, $\lambda = x_i - m_0$."""
    if n_out == n_in:
        scale = None  # PyTorch's linear modes ignore the scale factor along an axis that keeps its size
    x = _source_coordinate(n_in, n_out, scale, align_corners)
    m0 = np.minimum(np.floor(x.astype(np.float32)).astype(np.intp), n_in - 1)  # PyTorch floors in float32
    lam = np.clip(x - m0, 0.0, 1.0)
    m1 = np.minimum(m0 + 1, n_in - 1)
    return np.stack([m0, m1], axis=1), np.stack([1.0 - lam, lam], axis=1)  # (n_out, 2) each


def _keys_cubic(t, a):
    r"""Keys' cubic convolution kernel: $(a + 2)|t|^3 - (a + 3)|t|^2 + 1$ for $|t| \le 1$, $a|t|^3 - 5a|t|^2 + 8a|t| - 4a$ for $1 < |t| < 2$, else 0."""
    t = np.abs(t)
    near = ((a + 2) * t - (a + 3)) * t * t + 1
    far = ((a * t - 5 * a) * t + 8 * a) * t - 4 * a
    return np.where(t <= 1, near, np.where(t < 2, far, 0.0))


def _cubic_map(n_in, n_out, scale, align_corners):
    r"""Four taps $x[m_0 - 1], \dots, x[m_0 + 2]$ with Keys' weights at distances $t + 1, t, 1 - t, 2 - t$, borders clamped."""
    x = _source_coordinate(n_in, n_out, scale, align_corners, clamp=False)
    m0 = np.minimum(np.floor(x.astype(np.float32)).astype(np.intp), n_in - 1)  # PyTorch floors in float32
    t = np.clip(x - m0, 0.0, 1.0)
    weight = _keys_cubic(np.stack([t + 1.0, t, 1.0 - t, 2.0 - t], axis=1), _CUBIC_A)  # (n_out, 4)
    return np.clip(m0[:, None] + np.arange(-1, 3), 0, n_in - 1), weight


def _antialias_map(n_in, n_out, scale, align_corners, cubic):
    r"""Every input within the filter's support of $c_i = r\,(i + \tfrac12)$, the filter stretched by $\max(r, 1)$.

    Weights $f((m + \tfrac12 - c_i)/\max(r, 1))$ normalised to sum 1 ($f$ the triangle, or Keys'
    cubic with $A = -0.5$); outputs with fewer taps than the widest get padding taps.
    """
    if align_corners:
        r = (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
    else:
        r = 1.0 / scale if scale is not None else n_in / n_out
    stretch = max(r, 1.0)
    support = (2.0 if cubic else 1.0) * stretch
    centre = r * (np.arange(n_out) + 0.5)
    first = np.maximum(np.trunc(centre - support + 0.5), 0).astype(np.intp)  # C's truncating casts, as PyTorch
    stop = np.minimum(np.trunc(centre + support + 0.5).astype(np.intp), n_in)
    index = first[:, None] + np.arange((stop - first).max())  # (n_out, T)
    t = (index + 0.5 - centre[:, None]) / stretch
    weight = np.where(index < stop[:, None], _keys_cubic(t, _CUBIC_A_ANTIALIAS) if cubic else np.maximum(1 - np.abs(t), 0), 0)
    total = weight.sum(axis=1, keepdims=True)
    return np.where(index < stop[:, None], index, n_in), weight / np.where(total == 0, 1, total)
# --8<-- [end:maps]


def _nearest_index(n_in, n_out, scale, exact, dtype, small_2d):
    r"""Source index of each output index for the nearest modes, in PyTorch's arithmetic.

    ``nearest``: $\lfloor r\,i \rfloor$; ``nearest-exact``: $\lfloor r\,(i + \tfrac12) \rfloor$,
    the pixel whose centre is nearest. Both clamped to $n_{in} - 1$. The last
    bits matter when $r\,i$ is within rounding of an integer, so this follows
    PyTorch's two CPU code paths exactly: 2-D inputs with $H_{out} + W_{out} \le 128$
    (``small_2d``) use float32 $r$ and, for ``nearest``, copy when $n_{out} = n_{in}$
    and halve when $n_{out} = 2 n_{in}$; the other inputs compute in float64 for
    float64 input (float32 otherwise) and round to float32 before the floor.
    """
    i = np.arange(n_out)
    if small_2d:
        if not exact and n_out in (n_in, 2 * n_in):
            return i * n_in // n_out
        ratio = np.float32(1.0 / scale) if scale is not None else np.float32(n_in) / np.float32(n_out)
        src = (i + 0.5) * np.float64(ratio) if exact else i.astype(np.float32) * ratio
    else:
        work = np.float64 if np.dtype(dtype).itemsize >= 8 else np.float32
        ratio = work(1.0 / scale) if scale is not None else work(n_in) / work(n_out)
        if exact:  # PyTorch: floor(max(r (i + 1/2) - 1/2, 0) + 1/2)
            src = np.maximum(ratio * (i + 0.5).astype(work) - work(0.5), 0) + work(0.5)
        else:
            src = i.astype(work) * ratio
    return np.minimum(np.floor(src.astype(np.float32)).astype(np.intp), n_in - 1)


def interpolate(x, size=None, scale_factor=None, mode="nearest", align_corners=None, recompute_scale_factor=None,
                antialias=False):
    r"""Resize the spatial axes of ``x`` by interpolation (upsampling or downsampling).

    Concept page: [Upsampling](../concepts/upsampling.md#nearest-neighbour).

    Separable along each spatial axis: output index $i$ has a real source
    coordinate $x_i$ and mixes the input values around it,

    $$ y_i = \sum_t w_t(x_i)\, x[\operatorname{idx}_t(x_i)], \qquad
       x_i = \begin{cases} i\,\dfrac{n_{in} - 1}{n_{out} - 1} & \text{align_corners} \\[1ex]
       r\,(i + \tfrac12) - \tfrac12 & \text{otherwise} \end{cases} $$

    with $r = 1/\text{scale_factor}$ if ``scale_factor`` is given, else
    $n_{in}/n_{out}$. ``nearest`` copies $x[\lfloor r\,i \rfloor]$ and
    ``nearest-exact`` $x[\lfloor r\,(i + \tfrac12) \rfloor]$; ``linear``,
    ``bilinear`` and ``trilinear`` mix the two neighbours
    $(1 - \lambda)\,x[\lfloor x_i \rfloor] + \lambda\,x[\lfloor x_i \rfloor + 1]$
    per axis ($\lambda = x_i - \lfloor x_i \rfloor$, $x_i$ clamped at 0);
    ``bicubic`` mixes four with Keys' cubic kernel ($A = -0.75$), reading
    clamped indices at the border. Upsampling has no learnable parameters: it
    is the inverse-shaped partner of pooling.

    Parameters
    ----------
    x : (N, C, L), (N, C, H, W) or (N, C, D, H, W) array_like
        Batched input (an unbatched input is not accepted: as in PyTorch the
        first two axes are always batch and channels).
    size : int or tuple of ints, optional
        Output spatial size.
    scale_factor : float or tuple of floats, optional
        Multiplier of the spatial size: $n_{out} = \lfloor n_{in} \cdot \text{scale_factor} \rfloor$.
        Exactly one of ``size`` and ``scale_factor`` must be given.
    mode : {'nearest', 'nearest-exact', 'linear', 'bilinear', 'bicubic', 'trilinear'}
        ``linear`` needs a 3-D input, ``bilinear`` and ``bicubic`` 4-D,
        ``trilinear`` 5-D; the nearest modes take any of the three.
    align_corners : bool, optional
        For the interpolating modes only (default False): map the corner
        pixels' centres onto each other instead of the pixel edges.
    recompute_scale_factor : bool, optional
        With ``scale_factor``: True computes the output size from it, then
        interpolates as if that size had been given ($r = n_{in}/n_{out}$);
        False or None (the default) keeps $r = 1/\text{scale_factor}$.
    antialias : bool, default False
        ``bilinear`` and ``bicubic`` only: when shrinking by $r > 1$, widen the
        filter by $r$ so that every input contributes (see Notes).

    Returns
    -------
    y : (N, C, *size) ndarray
        Same dtype as ``x`` (float64 for integer input).

    Raises
    ------
    ValueError
        If both or neither of ``size`` and ``scale_factor`` are given, the mode
        does not fit ``x.ndim``, ``align_corners`` is set for a nearest mode,
        or a size is not positive.
    TypeError
        If ``x`` is not a real numeric array or an argument has the wrong type.

    See Also
    --------
    interpolate_backward : gradient with respect to ``x``.
    nnref.pooling.max_pool2d : the size-reducing partner.

    Notes
    -----
    The source index follows PyTorch's CPU kernels exactly, including
    ``recompute_scale_factor=None``: when ``scale_factor`` is given, $r$ is
    $1/\text{scale_factor}$, not $n_{in}/n_{out}$ (they differ when
    $n_{in} \cdot \text{scale_factor}$ is not an integer), except that the
    linear modes keep an axis whose size does not change as it is. The
    nearest modes reproduce PyTorch's float32 rounding, so they pick the same
    pixel even when $r\,i$ is within rounding of an integer. The ``area``
    mode is [`adaptive_avg_pool2d`][nnref.pooling.adaptive_avg_pool2d].

    **Antialiasing.** Shrinking by $r > 1$ with a 2- or 4-tap filter skips
    inputs: a fine pattern aliases into a coarse one. With ``antialias=True``
    the filter is stretched by $\max(r, 1)$, as in PIL and PyTorch: output $i$,
    centred at $c_i = r\,(i + \tfrac12)$ (with $r = (n_{in} - 1)/(n_{out} - 1)$
    under ``align_corners``), mixes every input $m$ within the support
    $\max(r, 1)$ (bilinear) or $2\max(r, 1)$ (bicubic) of $c_i$ with weight
    $f\big((m + \tfrac12 - c_i)/\max(r, 1)\big)$, normalised to sum to 1, where
    $f$ is the triangle $1 - |t|$ or Keys' cubic with $A = -0.5$.

    Backward: the gradient is the transpose of the per-axis interpolation
    matrices applied to ``grad_output`` (see :func:`interpolate_backward`).

    Examples
    --------
    Nearest-neighbour upsampling of the notes' 2x2 example to 4x4:

    >>> import numpy as np
    >>> import nnref
    >>> x = np.array([[[[20., 45.],
    ...                 [10., 43.]]]])
    >>> nnref.interpolate(x, scale_factor=2)
    array([[[[20., 20., 45., 45.],
             [20., 20., 45., 45.],
             [10., 10., 43., 43.],
             [10., 10., 43., 43.]]]])

    Linear interpolation, with and without ``align_corners``:

    >>> nnref.interpolate(np.array([[[0., 4.]]]), scale_factor=2, mode="linear")
    array([[[0., 1., 3., 4.]]])
    >>> nnref.interpolate(np.array([[[0., 3.]]]), size=4, mode="linear", align_corners=True)
    array([[[0., 1., 2., 3.]]])

    Shrinking stripes one pixel wide by 3: plain bilinear reads one pixel in
    three and sees wide stripes that are not there; antialiased bilinear
    averages every pixel and sees (almost) flat grey:

    >>> stripes = np.tile([0.0, 1.0], 8)[:15].reshape(1, 1, 1, 15)
    >>> nnref.interpolate(stripes, size=(1, 5), mode="bilinear")
    array([[[[1., 0., 1., 0., 1.]]]])
    >>> np.round(nnref.interpolate(stripes, size=(1, 5), mode="bilinear", antialias=True), 4)
    array([[[[0.5   , 0.4444, 0.5556, 0.4444, 0.5   ]]]])
    """
    x, out, scales, align_corners, antialias = v.interpolate_args(
        "interpolate", x, size, scale_factor, mode, align_corners, recompute_scale_factor, antialias)
    small_2d = x.ndim == 4 and sum(out) <= 128  # PyTorch's vectorized 2-D nearest kernel (_nearest_index)
    # The gather along the last axis is the slow one: run it while the array is smallest, first
    # when that axis grows, last when it shrinks.
    axes = range(x.ndim - 1, 1, -1) if out[-1] > x.shape[-1] else range(2, x.ndim)
    for axis in axes:
        index, weight = _axis_map(x.shape[axis], out[axis - 2], scales[axis - 2], mode, align_corners, antialias,
                                  x.dtype, small_2d)
        x = _windows.gather_axis(x, index, weight, axis)  # y = A x along this axis
    return x


def interpolate_backward(grad_output, x, size=None, scale_factor=None, mode="nearest", align_corners=None,
                         recompute_scale_factor=None, antialias=False):
    r"""Gradient of :func:`interpolate` with respect to ``x``.

    Concept page: [Upsampling: backward](../concepts/upsampling.md#backward-the-transpose-of-the-interpolation-matrix).

    Along each spatial axis the forward pass is $y = A x$ with a small
    $(n_{out}, n_{in})$ interpolation matrix $A$; the gradient is its transpose,

    $$ \frac{\partial\mathcal{L}}{\partial x} = A_D^\top A_H^\top A_W^\top \frac{\partial\mathcal{L}}{\partial y} $$

    (one factor per spatial axis). Each output's gradient goes back to the
    inputs it was mixed from, with the same weights; nearest modes sum the
    gradients of all the copies of an input.

    Parameters
    ----------
    grad_output : (N, C, *out) array_like
        $\partial\mathcal{L} / \partial y$, the shape of the forward output.
    x : (N, C, *spatial) array_like
        The forward input (only its shape and dtype are used).
    size, scale_factor, mode, align_corners, recompute_scale_factor, antialias
        As in [`interpolate`][nnref.upsampling.interpolate].

    Returns
    -------
    grad_input : (N, C, *spatial) ndarray

    Raises
    ------
    ValueError
        As :func:`interpolate`, or if ``grad_output`` does not have the output's shape.

    Notes
    -----
    This is the exact gradient of :func:`interpolate`, whose values match
    PyTorch's forward. PyTorch's own backward agrees except in two corners
    where it uses other indices than its forward and so is not the gradient
    of its forward (``torch.autograd.gradcheck`` fails there): the nearest
    modes when an axis keeps or doubles its size under a scale factor that
    is not 1 or 2 (e.g. length 5 with ``scale_factor=1.1``) or where its
    backward's float32 arithmetic rounds $r\,i$ differently, and ``bicubic``
    when every size is unchanged but a scale factor is not 1.

    Examples
    --------
    Each input of a 2x nearest upsampling was copied to a 2x2 block, so its
    gradient is the block's sum:

    >>> import numpy as np
    >>> import nnref
    >>> g = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> nnref.interpolate_backward(g, np.zeros((1, 1, 2, 2)), scale_factor=2)
    array([[[[10., 18.],
             [42., 50.]]]])
    """
    fn = "interpolate_backward"
    x, out, scales, align_corners, antialias = v.interpolate_args(
        fn, x, size, scale_factor, mode, align_corners, recompute_scale_factor, antialias)
    g, x = v.batched_grad(grad_output, x.shape[:2] + out, True, fn, x)
    small_2d = x.ndim == 4 and sum(out) <= 128
    for axis in range(2, x.ndim):  # first spatial axis first: it shrinks g before the costly last axis
        index, weight = _axis_map(x.shape[axis], out[axis - 2], scales[axis - 2], mode, align_corners, antialias,
                                  x.dtype, small_2d)
        g = _windows.scatter_axis(g, index, weight, axis, x.shape[axis])  # A^T g along this axis
    return g


# ----------------------------------------------------------------------------- sub-pixel rearrangement

def pixel_shuffle(x, upscale_factor):
    r"""Rearrange $r^2$ channels into an $r \times r$ block of pixels, as ``torch.nn.functional.pixel_shuffle``.

    Concept page: [Transposed convolution: sub-pixel convolution](../concepts/transposed-convolution.md#sub-pixel-convolution).

    $$ y_{\ldots,\, c,\ r h + i,\ r w + j} = x_{\ldots,\ c r^2 + i r + j,\ h,\ w}, \qquad 0 \le i, j < r $$

    A convolution with $C r^2$ output channels followed by ``pixel_shuffle``
    is a *sub-pixel convolution* (Shi et al., 2016): an upsampling by $r$ whose
    every output pixel comes from exactly one kernel, so it has no uneven
    overlap, the cause of a transposed convolution's checkerboard. It moves
    entries and computes nothing.

    Parameters
    ----------
    x : (*, C r^2, H, W) array_like
        Any number of leading dimensions.
    upscale_factor : int
        $r \ge 1$.

    Returns
    -------
    y : (*, C, H r, W r) ndarray

    Raises
    ------
    ValueError
        If ``x`` has fewer than 3 dimensions or its channels (dimension -3)
        are not a multiple of $r^2$.

    See Also
    --------
    pixel_unshuffle : the inverse rearrangement, and the adjoint.
    pixel_shuffle_backward : gradient with respect to ``x``.

    Examples
    --------
    Four channels of one pixel become one channel of 2x2 pixels:

    >>> import numpy as np
    >>> import nnref
    >>> x = np.arange(8.0).reshape(1, 4, 1, 2)  # channels 0..3, two pixels each
    >>> nnref.pixel_shuffle(x, 2)
    array([[[[0., 2., 1., 3.],
             [4., 6., 5., 7.]]]])
    """
    x, r = v.shuffle_args("pixel_shuffle", x, upscale_factor, "upscale_factor", upscale=True)
    *lead, c, h, w = x.shape
    blocks = x.reshape(*lead, c // (r * r), r, r, h, w)  # (*, C, i, j, H, W)
    return np.einsum("...cijhw->...chiwj", blocks).reshape(*lead, c // (r * r), h * r, w * r)


def pixel_shuffle_backward(grad_output, x, upscale_factor):
    r"""Gradient of [`pixel_shuffle`][nnref.upsampling.pixel_shuffle]: each entry's gradient moved back, ``pixel_unshuffle(g, r)``.

    Concept page: [Transposed convolution: sub-pixel convolution](../concepts/transposed-convolution.md#sub-pixel-convolution).

    A permutation's gradient is the inverse permutation of the gradient.

    >>> import numpy as np
    >>> import nnref
    >>> g = np.arange(8.0).reshape(1, 1, 2, 4)
    >>> nnref.pixel_shuffle_backward(g, np.zeros((1, 4, 1, 2)), 2).reshape(4, 2)
    array([[0., 2.],
           [1., 3.],
           [4., 6.],
           [5., 7.]])
    """
    fn = "pixel_shuffle_backward"
    x, r = v.shuffle_args(fn, x, upscale_factor, "upscale_factor", upscale=True)
    *lead, c, h, w = x.shape
    g, x = v.same_dtype(v.grad_output(grad_output, (*lead, c // (r * r), h * r, w * r), fn), x)
    return pixel_unshuffle(g, r)


def pixel_unshuffle(x, downscale_factor):
    r"""Fold each $r \times r$ block of pixels into $r^2$ channels, as ``torch.nn.functional.pixel_unshuffle``.

    Concept page: [Transposed convolution: sub-pixel convolution](../concepts/transposed-convolution.md#sub-pixel-convolution).

    $$ y_{\ldots,\ c r^2 + i r + j,\ h,\ w} = x_{\ldots,\, c,\ r h + i,\ r w + j} $$

    The inverse of [`pixel_shuffle`][nnref.upsampling.pixel_shuffle] (and, as
    for every permutation, its transpose): a lossless downsampling by $r$.

    Parameters
    ----------
    x : (*, C, H r, W r) array_like
    downscale_factor : int
        $r \ge 1$; the height and width must be multiples of it.

    Returns
    -------
    y : (*, C r^2, H, W) ndarray

    Raises
    ------
    ValueError
        If ``x`` has fewer than 3 dimensions or its height or width is not a
        multiple of $r$.

    See Also
    --------
    pixel_shuffle : the inverse.
    pixel_unshuffle_backward : gradient with respect to ``x``.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> y = nnref.pixel_unshuffle(x, 2)
    >>> y.shape
    (1, 4, 2, 2)
    >>> y[0, 0]  # the top-left pixel of every 2x2 block
    array([[ 0.,  2.],
           [ 8., 10.]])
    >>> bool(np.array_equal(nnref.pixel_shuffle(y, 2), x))
    True
    """
    x, r = v.shuffle_args("pixel_unshuffle", x, downscale_factor, "downscale_factor", upscale=False)
    *lead, c, h, w = x.shape
    blocks = x.reshape(*lead, c, h // r, r, w // r, r)  # (*, C, H, i, W, j)
    return np.einsum("...chiwj->...cijhw", blocks).reshape(*lead, c * r * r, h // r, w // r)


def pixel_unshuffle_backward(grad_output, x, downscale_factor):
    r"""Gradient of [`pixel_unshuffle`][nnref.upsampling.pixel_unshuffle]: ``pixel_shuffle(g, r)``, the inverse permutation.

    Concept page: [Transposed convolution: sub-pixel convolution](../concepts/transposed-convolution.md#sub-pixel-convolution).

    >>> import numpy as np
    >>> import nnref
    >>> g = np.ones((1, 4, 2, 2))
    >>> nnref.pixel_unshuffle_backward(g, np.zeros((1, 1, 4, 4)), 2).shape
    (1, 1, 4, 4)
    """
    fn = "pixel_unshuffle_backward"
    x, r = v.shuffle_args(fn, x, downscale_factor, "downscale_factor", upscale=False)
    *lead, c, h, w = x.shape
    g, x = v.same_dtype(v.grad_output(grad_output, (*lead, c * r * r, h // r, w // r), fn), x)
    return pixel_shuffle(g, r)
