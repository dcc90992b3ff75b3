r"""Upsampling (and resampling) by interpolation: nearest, linear, bilinear, bicubic, trilinear.

Upsampling is the inverse-shaped partner of pooling: pooling shrinks the
spatial size of a feature map, upsampling grows it. Like pooling it has no
learnable parameters (a transposed convolution is the learnable alternative).
Letters used throughout: $N$ batch, $C$ channels, $L$ / $(H, W)$ / $(D, H, W)$
input sizes, and for one axis $n_{in}$, $n_{out}$ and the ratio
$r = n_{in} / n_{out}$ (or $1/\text{scale_factor}$ when a scale factor is given).

Every mode is separable: along each spatial axis an output index $i$ reads a
real source coordinate $x_i$ and mixes a few neighbouring inputs with weights,
which is one small $(n_{out}, n_{in})$ interpolation matrix $A$ per axis,
$y = A x$ along that axis. The backward pass is the transpose,
$\partial L / \partial x = A^\top \, \partial L / \partial y$.
"""

import numpy as np

from . import _validation as v

__all__ = [
    "interpolate",
    "interpolate_backward",
]

# mode -> the input dimensions it accepts
_MODES = {"nearest": (3, 4, 5), "nearest-exact": (3, 4, 5), "linear": (3,), "bilinear": (4,),
          "bicubic": (4,), "trilinear": (5,)}
_LAYOUT = {3: "(N, C, L)", 4: "(N, C, H, W)", 5: "(N, C, D, H, W)"}
_CUBIC_A = -0.75  # PyTorch's (and OpenCV's) bicubic convolution parameter


# ----------------------------------------------------------------------------
# Arguments
# ----------------------------------------------------------------------------


def _sizes(fn, spatial, size, scale_factor):
    """Output sizes and the scale factors the source index uses (``None`` when ``size`` is given)."""
    nd = len(spatial)
    if (size is None) == (scale_factor is None):
        raise ValueError(f"{fn}: exactly one of size and scale_factor must be given, "
                         f"got size={size!r} and scale_factor={scale_factor!r}")
    if size is not None:
        return v.ntuple(size, nd, fn, "size", 1), (None,) * nd
    if isinstance(scale_factor, (tuple, list)):
        if len(scale_factor) != nd:
            raise ValueError(f"{fn}: scale_factor must be a number or a tuple of {nd} numbers, "
                             f"got {scale_factor!r}")
        scales = tuple(v.positive(f, fn, "scale_factor") for f in scale_factor)
    else:
        scales = (v.positive(scale_factor, fn, "scale_factor"),) * nd
    out = tuple(int(np.floor(n * f)) for n, f in zip(spatial, scales))  # as PyTorch: floor(n * f)
    if min(out) < 1:
        raise ValueError(f"{fn}: scale_factor {scale_factor!r} gives an empty output {out} "
                         f"for the input size {tuple(spatial)}")
    return out, scales


def _check_mode(fn, x, mode, align_corners):
    """Check ``mode`` against ``x.ndim`` and ``align_corners``; return ``align_corners`` as a bool."""
    v.choice(mode, tuple(_MODES), fn, "mode")
    v.ndim(x, (3, 4, 5), fn, layout="(N, C, *spatial)")
    if x.ndim not in _MODES[mode]:
        needed = _MODES[mode][0]
        raise ValueError(f"{fn}: mode {mode!r} needs a {needed}-D {_LAYOUT[needed]} input, "
                         f"got shape {x.shape}")
    if mode.startswith("nearest"):
        if align_corners is not None:
            raise ValueError(f"{fn}: align_corners can only be set with the interpolating modes 'linear', "
                             f"'bilinear', 'bicubic' and 'trilinear', got align_corners={align_corners!r} "
                             f"with mode {mode!r}")
        return False
    if align_corners is None:
        return False
    if not isinstance(align_corners, (bool, np.bool_)):
        raise TypeError(f"{fn}: align_corners must be a bool or None, got {align_corners!r}")
    return bool(align_corners)


def _setup(fn, x, size, scale_factor, mode, align_corners):
    """Validate everything; return ``(x, taps)``, one ``(index, weight)`` pair per spatial axis."""
    x = v.as_float_array(x, fn)
    align_corners = _check_mode(fn, x, mode, align_corners)
    if min(x.shape[2:]) < 1:
        raise ValueError(f"{fn}: spatial sizes must be positive, got shape {x.shape}")
    out, scales = _sizes(fn, x.shape[2:], size, scale_factor)
    small_2d = x.ndim == 4 and sum(out) <= 128  # PyTorch's vectorized 2-D nearest kernel
    taps = [_axis_taps(n_in, n_out, scale, mode, align_corners, x.dtype, small_2d)
            for n_in, n_out, scale in zip(x.shape[2:], out, scales)]
    return x, taps


# ----------------------------------------------------------------------------
# Per-axis source indices and weights
# ----------------------------------------------------------------------------


def _source_index(n_in, n_out, scale, align_corners, cubic=False):
    r"""Real source coordinate $x_i$ of each output index $i$ (PyTorch's rule).

    ``align_corners=True``: $x_i = i\,(n_{in} - 1)/(n_{out} - 1)$, so the corner
    pixels' centres coincide. ``align_corners=False``: pixels are unit squares,
    $x_i = r\,(i + \tfrac12) - \tfrac12$ with $r = 1/\text{scale}$ if a scale
    factor was given, else $n_{in}/n_{out}$; clamped at 0 except for cubic.
    """
    i = np.arange(n_out, dtype=np.float64)
    if align_corners:
        return i * ((n_in - 1) / (n_out - 1) if n_out > 1 else 0.0)
    ratio = 1.0 / scale if scale is not None else n_in / n_out
    src = ratio * (i + 0.5) - 0.5
    return src if cubic else np.maximum(src, 0.0)


def _floor_index(src, n_in):
    """``min(floor(src), n_in - 1)`` as PyTorch computes it (``floorf``: rounded to float32 first)."""
    return np.minimum(np.floor(src.astype(np.float32)).astype(np.intp), n_in - 1)


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


def _linear_weights(n_in, n_out, scale, align_corners):
    """Two taps per output: $(1 - \\lambda)\\,x[i_0] + \\lambda\\,x[i_1]$, $i_1 = \\min(i_0 + 1, n_{in} - 1)$."""
    if n_out == n_in:
        scale = None  # PyTorch's linear modes ignore the scale factor along an axis that keeps its size
    src = _source_index(n_in, n_out, scale, align_corners)
    i0 = _floor_index(src, n_in)
    lam = np.clip(src - i0, 0.0, 1.0)
    i1 = i0 + (i0 < n_in - 1)
    return np.stack([i0, i1], axis=1), np.stack([1.0 - lam, lam], axis=1)  # (n_out, 2) each


def _cubic_weights(n_in, n_out, scale, align_corners):
    r"""Four taps per output, Keys' cubic convolution with $A = -0.75$; border taps clamped.

    With $t = x_i - i_0$ the weights of $x[i_0 - 1], \dots, x[i_0 + 2]$ are
    $W(t + 1), W(t), W(1 - t), W(2 - t)$ where
    $W(s) = (A + 2)s^3 - (A + 3)s^2 + 1$ for $s \le 1$ and
    $W(s) = A s^3 - 5A s^2 + 8A s - 4A$ for $1 < s < 2$.
    """
    src = _source_index(n_in, n_out, scale, align_corners, cubic=True)
    i0 = _floor_index(src, n_in)
    t = np.clip(src - i0, 0.0, 1.0)
    a = _CUBIC_A

    def near(s):
        return ((a + 2) * s - (a + 3)) * s * s + 1

    def far(s):
        return ((a * s - 5 * a) * s + 8 * a) * s - 4 * a

    weight = np.stack([far(t + 1.0), near(t), near(1.0 - t), far(2.0 - t)], axis=1)  # (n_out, 4)
    index = np.clip(i0[:, None] + np.arange(-1, 3), 0, n_in - 1)  # (n_out, 4)
    return index, weight


def _axis_taps(n_in, n_out, scale, mode, align_corners, dtype, small_2d):
    """``(index, weight)``, both ``(n_out, T)``: output $i$ is $\\sum_t w_{it}\\, x[\\text{index}_{it}]$.

    ``weight`` is ``None`` for the nearest modes (a pure gather, T = 1).
    """
    if mode in ("nearest", "nearest-exact"):
        return _nearest_index(n_in, n_out, scale, mode == "nearest-exact", dtype, small_2d)[:, None], None
    if mode == "bicubic":
        return _cubic_weights(n_in, n_out, scale, align_corners)
    return _linear_weights(n_in, n_out, scale, align_corners)


def _axis_matrix(index, weight, n_in, dtype):
    """The ``(n_out, n_in)`` interpolation matrix $A$ of one axis (clamped taps add up)."""
    n_out, taps = index.shape
    matrix = np.zeros((n_out, n_in), dtype=np.float64)
    values = np.ones(index.shape) if weight is None else weight
    np.add.at(matrix, (np.repeat(np.arange(n_out), taps), index.reshape(-1)), values.reshape(-1))
    return matrix.astype(dtype)


# ----------------------------------------------------------------------------
# Applying the taps along one axis, forward and transposed
# ----------------------------------------------------------------------------


def _interpolate_axis(y, index, weight, axis):
    """Gather-and-mix along ``axis``: only the taps of each output are read, as in PyTorch."""
    if weight is None:
        return np.take(y, index[:, 0], axis=axis)
    shape = [1] * y.ndim
    shape[axis] = -1
    weight = weight.astype(y.dtype)
    out = np.take(y, index[:, 0], axis=axis)  # (..., n_out along axis, ...)
    with np.errstate(invalid="ignore"):  # 0 * inf = NaN where a tap has weight 0, as in PyTorch
        out *= weight[:, 0].reshape(shape)
        for t in range(1, index.shape[1]):
            tap = np.take(y, index[:, t], axis=axis)
            tap *= weight[:, t].reshape(shape)
            out += tap
    return out


def _transpose_axis(g, matrix, axis):
    r"""Contract ``g`` with $A$ along ``axis``: $n_{out} \to n_{in}$, i.e. apply $A^\top$."""
    n_out, n_in = matrix.shape
    before, after = g.shape[:axis], g.shape[axis + 1:]
    if not after:
        return (g.reshape(-1, n_out) @ matrix).reshape(before + (n_in,))  # (..., n_in)
    g3 = g.reshape(int(np.prod(before)), n_out, int(np.prod(after)))  # (B, n_out, R)
    return np.matmul(matrix.T, g3).reshape(before + (n_in,) + after)  # (B, n_in, R)


def _block_factor(index, n_in):
    """``f`` if ``index`` is ``i // f`` (each input copied to ``f`` consecutive outputs), else ``None``."""
    n_out = index.shape[0]
    if index.shape[1] != 1 or n_out % n_in:
        return None
    f = n_out // n_in
    return f if np.array_equal(index[:, 0], np.arange(n_out) // f) else None


def _sum_blocks(g, f, axis):
    """Transpose of an integer-factor nearest copy: add the ``f`` strided slices along ``axis``."""
    index = [slice(None)] * g.ndim
    index[axis] = slice(0, None, f)
    total = g[tuple(index)].copy()  # (..., n_in along axis, ...)
    for j in range(1, f):
        index[axis] = slice(j, None, f)
        total += g[tuple(index)]
    return total


def _scatter_axis(g, index, weight, axis, n_in):
    """Transpose by scattering each tap with ``np.add.at``: exact for non-finite ``g`` too."""
    gm = np.moveaxis(g, axis, -1)  # (..., n_out)
    out = np.zeros(gm.shape[:-1] + (n_in,), dtype=g.dtype)
    for t in range(index.shape[1]):
        with np.errstate(invalid="ignore"):  # inf * 0 = NaN, as in PyTorch's scatter
            share = gm if weight is None else gm * weight[:, t].astype(g.dtype)
        np.add.at(out, (Ellipsis, index[:, t]), share)
    return np.moveaxis(out, -1, axis)


# ----------------------------------------------------------------------------
# Public functions
# ----------------------------------------------------------------------------


def interpolate(x, size=None, scale_factor=None, mode="nearest", align_corners=None):
    r"""Resize the spatial axes of ``x`` by interpolation (upsampling or downsampling).

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
    pixel even when $r\,i$ is within rounding of an integer. ``antialias``,
    ``recompute_scale_factor`` and the ``area`` mode (which is
    :func:`nnref.pooling.adaptive_avg_pool2d`) are not provided.

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
    """
    x, taps = _setup("interpolate", x, size, scale_factor, mode, align_corners)
    y = x
    for axis in reversed(range(2, x.ndim)):  # last axis first: its gather is the costly one
        index, weight = taps[axis - 2]
        y = _interpolate_axis(y, index, weight, axis)
    return y


def interpolate_backward(grad_output, x, size=None, scale_factor=None, mode="nearest", align_corners=None):
    r"""Gradient of :func:`interpolate` with respect to ``x``.

    Along each spatial axis the forward pass is $y = A x$ with a small
    $(n_{out}, n_{in})$ interpolation matrix $A$; the gradient is its transpose,

    $$ \frac{\partial L}{\partial x} = A_D^\top A_H^\top A_W^\top \frac{\partial L}{\partial y} $$

    (one factor per spatial axis). Each output's gradient goes back to the
    inputs it was mixed from, with the same weights; nearest modes sum the
    gradients of all the copies of an input.

    Parameters
    ----------
    grad_output : (N, C, *out) array_like
        $\partial L / \partial y$, the shape of the forward output.
    x : (N, C, *spatial) array_like
        The forward input (only its shape and dtype are used).
    size, scale_factor, mode, align_corners
        As in :func:`interpolate`.

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
    x, taps = _setup(fn, x, size, scale_factor, mode, align_corners)
    g = v.grad_output(grad_output, x.shape[:2] + tuple(index.shape[0] for index, _ in taps), fn)
    g = g.astype(np.result_type(g, x), copy=False)
    for axis in range(2, x.ndim):  # first spatial axis first: it shrinks g before the costly last axis
        index, weight = taps[axis - 2]
        factor = _block_factor(index, x.shape[axis]) if weight is None else None
        if factor is not None:
            g = _sum_blocks(g, factor, axis)
        elif np.isfinite(g).all():  # a matrix product would spread a NaN or inf along its whole line
            g = _transpose_axis(g, _axis_matrix(index, weight, x.shape[axis], g.dtype), axis)
        else:
            g = _scatter_axis(g, index, weight, axis, x.shape[axis])
    return g
