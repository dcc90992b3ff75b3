"""Argument checks and the dtype policy shared by every public nnref function.

Every public function validates its arguments here, before doing any work, so a
user sees one kind of message everywhere::

    <function>: <parameter> must be <what was expected>, got <what was got>

The dtype policy: floating arrays keep their dtype (float32 in, float32 out);
integer and bool arrays are computed in float64; anything else (strings,
objects, complex numbers) is a ``TypeError``.
"""

import math
import numbers
import operator

import numpy as np

from . import _windows


def as_float_array(x, fn, name="x"):
    """Return ``x`` as a floating ndarray, following the dtype policy.

    Floating input keeps its dtype and is not copied; integer and bool input is
    converted to float64. Nothing here writes into the result, so callers must
    not modify it in place either.
    """
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{fn}: {name} must be a real numeric array, got {type(x).__name__} {x!r}")
    try:
        arr = np.asarray(x)
    except ValueError as err:  # ragged nested sequences
        raise ValueError(f"{fn}: {name} must be a rectangular array, got {err}") from None
    if arr.dtype.kind == "f":
        return arr
    if arr.dtype.kind in "biu":
        return arr.astype(np.float64)
    raise TypeError(f"{fn}: {name} must be a real numeric array, got dtype {arr.dtype}")


def as_float_arrays(fn, **arrays):
    """Convert several arrays with :func:`as_float_array` and give them one common dtype.

    ``None`` values pass through unchanged. The common dtype is the widest
    floating dtype among the inputs (float32 with float64 gives float64), so a
    result never loses precision that one of its inputs had.
    """
    converted = {k: None if v is None else as_float_array(v, fn, k) for k, v in arrays.items()}
    present = [a for a in converted.values() if a is not None]
    dtype = np.result_type(*present) if present else np.float64
    return tuple(None if a is None else a.astype(dtype, copy=False) for a in converted.values())


def real(value, fn, name):
    """Return ``value`` as a Python float, or raise if it is not a finite real number."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{fn}: {name} must be a real number, got {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{fn}: {name} must be finite, got {value!r}")
    return value


def positive(value, fn, name):
    """Return ``value`` as a float, or raise if it is not a real number > 0."""
    value = real(value, fn, name)
    if value <= 0:
        raise ValueError(f"{fn}: {name} must be positive, got {value!r}")
    return value


def integer(value, fn, name, minimum=None):
    """Return ``value`` as a Python int, or raise if it is not an integer >= ``minimum``."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{fn}: {name} must be an integer, got {value!r}")
    try:
        value = operator.index(value)
    except TypeError:
        raise TypeError(f"{fn}: {name} must be an integer, got {value!r}") from None
    if minimum is not None and value < minimum:
        raise ValueError(f"{fn}: {name} must be an integer >= {minimum}, got {value!r}")
    return value


def ntuple(value, n, fn, name, minimum=None):
    """Expand an int, or check a sequence of ``n`` ints, into a tuple of ``n`` ints.

    ``ntuple(2, 3, ...)`` gives ``(2, 2, 2)``; ``ntuple((1, 2), 2, ...)`` gives
    ``(1, 2)``. Each entry must be an integer >= ``minimum``.
    """
    if isinstance(value, (tuple, list)):
        if len(value) != n:
            raise ValueError(f"{fn}: {name} must be an int or a tuple of {n} ints, got {value!r}")
        return tuple(integer(v, fn, name, minimum) for v in value)
    try:
        return (integer(value, fn, name, minimum),) * n
    except TypeError:
        raise TypeError(f"{fn}: {name} must be an int or a tuple of {n} ints, got {value!r}") from None


def flag(value, fn, name):
    """Return ``value`` as a Python bool, or raise ``TypeError`` unless it is True or False."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{fn}: {name} must be True or False, got {value!r}")
    return bool(value)


def choice(value, options, fn, name):
    """Return ``value`` if it is one of ``options``, else raise ``ValueError`` listing them."""
    if not isinstance(value, str) or value not in options:
        listed = ", ".join(repr(o) for o in options)
        raise ValueError(f"{fn}: {name} must be one of {listed}, got {value!r}")
    return value


def ndim(x, allowed, fn, name="x", layout=None):
    """Raise ``ValueError`` unless ``x.ndim`` is in ``allowed`` (an int or a tuple of ints).

    ``layout`` names the expected axes in the message, e.g. ``"(N, C, H, W)"``.
    """
    allowed = (allowed,) if isinstance(allowed, int) else tuple(allowed)
    if x.ndim not in allowed:
        dims = " or ".join(str(d) for d in allowed)
        expected = f"{dims}-D" + (f" {layout}" if layout else "")
        raise ValueError(f"{fn}: {name} must be {expected}, got shape {x.shape}")


def grad_output(g, shape, fn):
    """Convert ``grad_output`` and check that it has the forward output's ``shape``."""
    g = as_float_array(g, fn, "grad_output")
    if g.shape != tuple(shape):
        raise ValueError(f"{fn}: grad_output must have the output's shape {tuple(shape)}, got {g.shape}")
    return g


def grad_and_input(g, x, fn):
    """The arguments of an elementwise backward: ``(g, x)`` as floating arrays of one shape.

    ``x`` follows the dtype policy; ``g`` (``grad_output``) must have its shape. The product
    ``grad_output * f_derivative(x)`` then has their common floating dtype.
    """
    x = as_float_array(x, fn)
    return grad_output(g, x.shape, fn), x


def same_shape(a, shape, fn, name, of="x"):
    """Raise ``ValueError`` unless array ``a`` has ``shape`` (the shape of the array named ``of``)."""
    if a.shape != tuple(shape):
        raise ValueError(f"{fn}: {name} must have the shape of {of} {tuple(shape)}, got {a.shape}")


def indices(idx, shape, size, fn, name="indices"):
    """Check flat spatial indices (as ``return_indices`` gives): integers of ``shape`` in ``[0, size)``.

    Returns them as an int64 ndarray (no copy when they already are).
    """
    idx = np.asarray(idx)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"{fn}: {name} must be an integer array, got dtype {idx.dtype}")
    if idx.shape != tuple(shape):
        raise ValueError(f"{fn}: {name} must have shape {tuple(shape)}, got {idx.shape}")
    if idx.size and (idx.min() < 0 or idx.max() >= size):
        raise ValueError(f"{fn}: {name} must be flat positions in [0, {size}) of one (n, c) plane, "
                         f"got values in [{idx.min()}, {idx.max()}]")
    return idx.astype(np.int64, copy=False)


def axis(dim, ndim_, fn, name="dim"):
    """Return ``dim`` as a non-negative axis of an ``ndim_``-D array (negative counts from the end)."""
    dim = integer(dim, fn, name)
    if not -ndim_ <= dim < ndim_:
        raise ValueError(f"{fn}: {name} must be in [{-ndim_}, {ndim_ - 1}] for a {ndim_}-D input, got {dim}")
    return dim % ndim_


# --- shapes with a batch axis, and grad_output ---

SPATIAL_LAYOUT = {1: "(C, L) or (N, C, L)", 2: "(C, H, W) or (N, C, H, W)", 3: "(C, D, H, W) or (N, C, D, H, W)"}
AXIS_NAMES = {1: ("length",), 2: ("height", "width"), 3: ("depth", "height", "width")}


def batched(x, nd, fn, name="x"):
    """``(x, True)`` for an ``(N, C, *spatial)`` input with ``nd`` spatial axes, ``(x[None], False)`` for ``(C, *spatial)``."""
    ndim(x, (nd + 1, nd + 2), fn, name, SPATIAL_LAYOUT[nd])
    return (x, True) if x.ndim == nd + 2 else (x[None], False)


def batched_grad(g, shape, batched_, fn, *arrays):
    """``grad_output`` checked against the batched output ``shape``, given a batch axis like ``x``.

    Returns it and ``arrays`` converted to their common floating dtype.
    """
    g = grad_output(g, shape if batched_ else shape[1:], fn)
    dtype = np.result_type(g, *arrays)
    return (g if batched_ else g[None]).astype(dtype, copy=False), *(a.astype(dtype, copy=False) for a in arrays)


# --- convolution, transposed convolution and padding ---

def conv_size(fn, axis, size, k, s, lo, hi, d):
    """Convolution output length along one axis, or a ValueError that shows the arithmetic."""
    span, padded = d * (k - 1) + 1, size + lo + hi
    if span > padded:
        shown = f"{size} + 2*{lo}" if lo == hi else f"{size} + {lo} + {hi}"
        spans = "" if d == 1 else f" spans {d}*({k}-1)+1 = {span} and"
        raise ValueError(f"{fn}: kernel {k} (dilation {d}){spans} is larger than the padded input {axis} "
                         f"{shown} = {padded}; add padding or use a smaller kernel")
    return _windows.conv_size(size, k, s, lo, hi, d)


def transpose_size(fn, axis, size, k, s, p, op, d):
    """Transposed-convolution output length along one axis, or a ValueError showing the arithmetic."""
    if op >= s and op >= d:
        raise ValueError(f"{fn}: output_padding {op} must be smaller than the stride {s} or the dilation {d} "
                         f"along the {axis}, as in PyTorch; use output_padding < {max(s, d)}")
    out = _windows.transpose_size(size, k, s, p, op, d)
    if out < 1:
        raise ValueError(f"{fn}: output {axis} (i-1)*s - 2*p + d*(k-1) + output_padding + 1 = "
                         f"({size}-1)*{s} - 2*{p} + {d}*({k}-1) + {op} + 1 = {out} is not positive; "
                         "use less padding")
    return out


def pool_size(fn, size, k, s, p, d, ceil_mode):
    """Pooling output length along one axis (:func:`nnref.pool_output_size`), or a ValueError."""
    out = _windows.pool_size(size, k, s, p, d, ceil_mode)
    if out < 1:
        raise ValueError(f"{fn}: kernel {k} (dilation {d}) spans {d * (k - 1) + 1}, more than the padded input "
                         f"{size} + 2*{p} = {size + 2 * p}; add padding or use a smaller kernel")
    return out


def size_args(fn, size, kernel_size, stride, padding, dilation):
    """The checked integers of an output-size function: size, k, s, p, d."""
    return (integer(size, fn, "size", 1), integer(kernel_size, fn, "kernel_size", 1), integer(stride, fn, "stride", 1),
            integer(padding, fn, "padding", 0), integer(dilation, fn, "dilation", 1))


def _conv_arrays(fn, nd, x, weight, bias, weight_layout):
    """x (batched), weight and bias in one floating dtype, with their ranks checked."""
    x, weight, bias = as_float_arrays(fn, x=x, weight=weight, bias=bias)
    x, batched_ = batched(x, nd, fn)
    ndim(weight, nd + 2, fn, "weight", weight_layout)
    if bias is not None:
        ndim(bias, 1, fn, "bias", "(C_out,)")
    if 0 in weight.shape:
        raise ValueError(f"{fn}: weight must not have a zero-size dimension, got shape {weight.shape}")
    return x, weight, bias, batched_


def _bias_shape(fn, bias, c_out):
    if bias is not None and bias.shape != (c_out,):
        raise ValueError(f"{fn}: bias must have one entry per output channel, shape ({c_out},), got {bias.shape}")


def _conv_pads(fn, padding, kernel, stride, dilation):
    """``padding`` (int, tuple, 'valid' or 'same') as one (before, after) pair per spatial axis."""
    nd = len(kernel)
    if isinstance(padding, str):
        padding = choice(padding, ("valid", "same"), fn, "padding")
        if padding == "valid":
            return ((0, 0),) * nd
        if any(s != 1 for s in stride):
            raise ValueError(f"{fn}: padding='same' needs stride 1 (as in PyTorch), got stride {stride}; "
                             "pass the padding as an int (see conv_output_size)")
        total = [d * (k - 1) for k, d in zip(kernel, dilation)]
        return tuple((t // 2, t - t // 2) for t in total)  # an odd total puts the extra zero after
    return tuple((p, p) for p in ntuple(padding, nd, fn, "padding", 0))


def conv_args(fn, nd, x, weight, bias, stride, padding, dilation, groups):
    """A convolution's checked arguments: ``x`` (batched), weight, bias, stride, pads, dilation, groups, batched.

    ``pads`` holds one (before, after) pair per spatial axis. Raises if the kernel does not fit.
    """
    x, weight, bias, batched_ = _conv_arrays(fn, nd, x, weight, bias, "(C_out, C_in/groups, *kernel)")
    stride, dilation = ntuple(stride, nd, fn, "stride", 1), ntuple(dilation, nd, fn, "dilation", 1)
    groups, (c_out, c_group) = integer(groups, fn, "groups", 1), weight.shape[:2]
    if c_out % groups:
        raise ValueError(f"{fn}: weight has {c_out} output channels, not divisible by groups={groups}")
    if c_group * groups != x.shape[1]:
        raise ValueError(f"{fn}: weight has {c_group} input channels per group but x has {x.shape[1]} channels "
                         f"(groups={groups}); x needs {c_group * groups}")
    _bias_shape(fn, bias, c_out)
    pads = _conv_pads(fn, padding, weight.shape[2:], stride, dilation)
    for args in zip(AXIS_NAMES[nd], x.shape[2:], weight.shape[2:], stride, *zip(*pads), dilation):
        conv_size(fn, *args)
    return x, weight, bias, stride, pads, dilation, groups, batched_


def conv_backward_args(fn, nd, grad_output, x, weight, bias, stride, padding, dilation, groups):
    """:func:`conv_args` with ``grad_output`` checked against the output's shape (first in the result)."""
    x, weight, bias, stride, pads, dilation, groups, batched_ = conv_args(
        fn, nd, x, weight, bias, stride, padding, dilation, groups)
    out = [conv_size(fn, *a) for a in zip(AXIS_NAMES[nd], x.shape[2:], weight.shape[2:], stride, *zip(*pads), dilation)]
    g, x, weight = batched_grad(grad_output, (x.shape[0], weight.shape[0], *out), batched_, fn, x, weight)
    return g, x, weight, bias, stride, pads, dilation, groups, batched_


def transpose_args(fn, nd, x, weight, bias, stride, padding, output_padding, groups, dilation):
    """A transposed convolution's checked arguments: ``x`` (batched), weight, bias, stride, pads, dilation,
    groups, the output's spatial size, batched."""
    x, weight, bias, batched_ = _conv_arrays(fn, nd, x, weight, bias, "(C_in, C_out/groups, *kernel)")
    stride, dilation = ntuple(stride, nd, fn, "stride", 1), ntuple(dilation, nd, fn, "dilation", 1)
    padding = ntuple(padding, nd, fn, "padding", 0)
    output_padding = ntuple(output_padding, nd, fn, "output_padding", 0)
    groups = integer(groups, fn, "groups", 1)
    if weight.shape[0] != x.shape[1]:
        raise ValueError(f"{fn}: weight has {weight.shape[0]} input channels (its first axis) "
                         f"but x has {x.shape[1]} channels")
    if x.shape[1] % groups:
        raise ValueError(f"{fn}: x has {x.shape[1]} channels, not divisible by groups={groups}")
    _bias_shape(fn, bias, weight.shape[1] * groups)
    size = tuple(transpose_size(fn, *a) for a in zip(AXIS_NAMES[nd], x.shape[2:], weight.shape[2:], stride,
                                                      padding, output_padding, dilation))
    return x, weight, bias, stride, tuple((p, p) for p in padding), dilation, groups, size, batched_


def transpose_backward_args(fn, nd, grad_output, x, weight, bias, stride, padding, output_padding, groups, dilation):
    """:func:`transpose_args` (without the output size) with ``grad_output`` checked, first in the result."""
    x, weight, bias, stride, pads, dilation, groups, size, batched_ = transpose_args(
        fn, nd, x, weight, bias, stride, padding, output_padding, groups, dilation)
    shape = (x.shape[0], weight.shape[1] * groups, *size)
    g, x, weight = batched_grad(grad_output, shape, batched_, fn, x, weight)
    return g, x, weight, bias, stride, pads, dilation, groups, batched_


PAD_MODES = ("constant", "reflect", "replicate", "circular")


def pad_args(fn, x, pad, mode, value):
    """:func:`nnref.pad`'s checked arguments: ``x``, one (before, after) pair per padded axis (first axis first), mode, value."""
    x = as_float_array(x, fn)
    mode = choice(mode, PAD_MODES, fn, "mode")
    if not isinstance(pad, (tuple, list)) or len(pad) % 2 or not pad:
        raise ValueError(f"{fn}: pad must be a non-empty tuple of (before, after) pairs, last dimension first, "
                         f"got {pad!r}")
    pad = tuple(integer(p, fn, "pad") for p in pad)
    m = len(pad) // 2
    if m > x.ndim:
        raise ValueError(f"{fn}: pad has {m} pairs but x has only {x.ndim} dimensions (shape {x.shape})")
    if mode != "constant" and (m > 3 or x.ndim not in (m + 1, m + 2)):
        raise ValueError(f"{fn}: mode={mode!r} pads the last 1, 2 or 3 dimensions of an input with one or two "
                         f"more dimensions (C or N, C first), as in PyTorch; got {m} pairs for shape {x.shape}")
    value = real(value, fn, "value")
    if mode != "constant" and value != 0.0:
        raise ValueError(f"{fn}: value is only used with mode='constant', got value={value!r} with mode={mode!r}")
    pairs = [(pad[2 * j], pad[2 * j + 1]) for j in reversed(range(m))]  # first padded axis first
    for axis_, (lo, hi) in enumerate(pairs, start=x.ndim - m):
        _pad_axis(fn, mode, x.shape[axis_], lo, hi, axis_)
    return x, pairs, mode, value


def _pad_axis(fn, mode, n, lo, hi, axis_):
    """Raise if ``(lo, hi)`` cannot pad an axis of length ``n`` in ``mode`` (PyTorch's limits)."""
    out = n + lo + hi
    kept = n - max(-lo, 0) - max(-hi, 0)  # what negative pads leave of x
    where = f"pad ({lo}, {hi}) for dimension {axis_} of size {n}"
    if mode == "reflect" and max(lo, hi) >= n:
        raise ValueError(f"{fn}: reflect padding must be smaller than the dimension it pads, got {where}; "
                         "use mode='replicate' or a smaller pad")
    if mode == "circular" and max(lo, hi) > kept:
        raise ValueError(f"{fn}: circular padding cannot wrap around more than once, got {where}; "
                         "use a pad at most the (cropped) size")
    if out < (1 if mode in ("reflect", "replicate") else 0):
        raise ValueError(f"{fn}: the padded size {n} + {lo} + {hi} = {out} is too small, from {where}")


def overlap_args(fn, kernel_size, stride, input_size):
    """:func:`nnref.checkerboard_overlap`'s arguments as three tuples of one common length 1, 2 or 3."""
    lengths = {len(a) for a in (kernel_size, stride, input_size) if isinstance(a, (tuple, list))}
    if len(lengths) > 1 or not lengths <= {1, 2, 3}:
        raise ValueError(f"{fn}: kernel_size, stride and input_size must be ints or tuples "
                         f"of one common length 1, 2 or 3, got {kernel_size!r}, {stride!r}, {input_size!r}")
    nd = lengths.pop() if lengths else 1
    return (ntuple(kernel_size, nd, fn, "kernel_size", minimum=1), ntuple(stride, nd, fn, "stride", minimum=1),
            ntuple(input_size, nd, fn, "input_size", minimum=1))


def unfold_args(fn, x, kernel_size, dilation, padding, stride):
    """:func:`nnref.unfold`'s checked arguments: x (batched, 2-D images), kernel, dilation, pads, stride, batched."""
    x = as_float_array(x, fn)
    x, batched_ = batched(x, 2, fn)
    kernel = ntuple(kernel_size, 2, fn, "kernel_size", 1)
    dilation, stride = ntuple(dilation, 2, fn, "dilation", 1), ntuple(stride, 2, fn, "stride", 1)
    pads = tuple((p, p) for p in ntuple(padding, 2, fn, "padding", 0))
    for args in zip(AXIS_NAMES[2], x.shape[2:], kernel, stride, *zip(*pads), dilation):
        conv_size(fn, *args)  # raises if the window does not fit
    return x, kernel, dilation, pads, stride, batched_


def fold_args(fn, x, output_size, kernel_size, dilation, padding, stride):
    """:func:`nnref.fold`'s checked arguments: x (batched columns), size, kernel, dilation, pads, stride,
    the number of windows per axis, batched."""
    x = as_float_array(x, fn)
    ndim(x, (3, 2), fn, "x", "(N, C * k_H * k_W, L) or (C * k_H * k_W, L)")
    x, batched_ = (x, True) if x.ndim == 3 else (x[None], False)
    size = ntuple(output_size, 2, fn, "output_size", 1)
    kernel = ntuple(kernel_size, 2, fn, "kernel_size", 1)
    dilation, stride = ntuple(dilation, 2, fn, "dilation", 1), ntuple(stride, 2, fn, "stride", 1)
    pads = tuple((p, p) for p in ntuple(padding, 2, fn, "padding", 0))
    out = [conv_size(fn, *a) for a in zip(AXIS_NAMES[2], size, kernel, stride, *zip(*pads), dilation)]
    taps = kernel[0] * kernel[1]
    if x.shape[1] % taps:
        raise ValueError(f"{fn}: x must have C * k_H * k_W rows, a multiple of {taps} for kernel_size {kernel}, "
                         f"got shape {x.shape[1 if batched_ else 0:]}")
    if x.shape[2] != out[0] * out[1]:
        raise ValueError(f"{fn}: x must have one column per window, {out[0]} * {out[1]} = {out[0] * out[1]} for "
                         f"output_size {size}, got {x.shape[2]}")
    return x, size, kernel, dilation, pads, stride, tuple(out), batched_


# --- pooling ---

def _pool_window(fn, nd, kernel_size, stride, padding):
    """kernel, stride (default: the kernel) and padding as tuples of ``nd`` ints."""
    kernel = ntuple(kernel_size, nd, fn, "kernel_size", 1)
    stride = kernel if stride is None else ntuple(stride, nd, fn, "stride", 1)
    return kernel, stride, ntuple(padding, nd, fn, "padding", 0)


def pool_args(fn, nd, x, kernel_size, stride, padding, dilation, ceil_mode):
    """A pooling's checked arguments: x (batched), kernel, stride, pads, dilation, the output's spatial size, batched.

    ``pads`` holds (p, right) per axis: ``right`` is what the last window needs past the input
    (at most p, more only for ``ceil_mode``'s partial last window).
    """
    x, batched_ = batched(as_float_array(x, fn), nd, fn)
    kernel, stride, padding = _pool_window(fn, nd, kernel_size, stride, padding)
    dilation, ceil_mode = ntuple(dilation, nd, fn, "dilation", 1), flag(ceil_mode, fn, "ceil_mode")
    if any(p > k // 2 for p, k in zip(padding, kernel)):
        raise ValueError(f"{fn}: padding must be at most half the kernel size (padding <= kernel_size // 2, "
                         f"as in PyTorch), got padding={padding} and kernel_size={kernel}")
    out = tuple(_windows.pool_size(*a, ceil_mode) for a in zip(x.shape[2:], kernel, stride, padding, dilation))
    if min(out) < 1:
        raise ValueError(f"{fn}: spatial size {tuple(x.shape[2:])} is too small for kernel_size {kernel} "
                         f"with dilation {dilation} and padding {padding} (the output would be empty)")
    pads = tuple((p, max(0, (o - 1) * s + d * (k - 1) + 1 - n - p))
                 for n, k, s, p, d, o in zip(x.shape[2:], kernel, stride, padding, dilation, out))
    return x, kernel, stride, pads, dilation, out, batched_


def plane_indices(idx, shape, spatial, batched_, fn, name="indices"):
    """Flat positions in a plane of ``spatial`` size (as ``return_indices`` gives), given a batch axis like ``x``."""
    idx = indices(idx, shape if batched_ else shape[1:], math.prod(spatial), fn, name)
    return idx if batched_ else idx[None]


def pool_backward_args(fn, nd, grad_output, x, kernel_size, stride, padding, dilation, ceil_mode, saved=None):
    """:func:`pool_args` with ``grad_output`` (first) and the optional saved ``indices`` (after the size) checked."""
    x, kernel, stride, pads, dilation, out, batched_ = pool_args(
        fn, nd, x, kernel_size, stride, padding, dilation, ceil_mode)
    g, x = batched_grad(grad_output, x.shape[:2] + out, batched_, fn, x)
    if saved is not None:
        saved = plane_indices(saved, g.shape, x.shape[2:], batched_, fn)
    return g, x, kernel, stride, pads, dilation, out, saved, batched_


def avg_args(fn, count_include_pad, divisor_override):
    """Average pooling's two options, checked."""
    count_include_pad = flag(count_include_pad, fn, "count_include_pad")
    if divisor_override is not None:
        divisor_override = integer(divisor_override, fn, "divisor_override", 1)
    return count_include_pad, divisor_override


def unpool_args(fn, nd, x, indices_, kernel_size, stride, padding, output_size):
    """Max unpooling's checked arguments: x (batched), indices (batched), the output's spatial size, batched."""
    x, batched_ = batched(as_float_array(x, fn), nd, fn)
    kernel, stride, padding = _pool_window(fn, nd, kernel_size, stride, padding)
    default = tuple((n - 1) * s - 2 * p + k for n, k, s, p in zip(x.shape[2:], kernel, stride, padding))
    size = default
    if output_size is not None:
        size = tuple(integer(o, fn, "output_size", 0) for o in output_size)[-nd:]
        if len(output_size) not in (nd, nd + 2) or any(not d - s < o < d + s for o, d, s in zip(size, default, stride)):
            raise ValueError(f"{fn}: output_size must give {nd} spatial sizes (or the full shape), each "
                             f"strictly within stride {stride} of the default {default}, got {tuple(output_size)}")
    if min(size) < 1:
        raise ValueError(f"{fn}: the output would be empty: spatial size {size} (kernel_size {kernel}, "
                         f"stride {stride}, padding {padding}, input {tuple(x.shape[2:])})")
    return x, plane_indices(indices_, x.shape, size, batched_, fn), size, batched_


def adaptive_args(fn, nd, x, output_size):
    """Adaptive pooling's checked arguments: x (batched), the output's spatial size (None keeps a size), batched."""
    x, batched_ = batched(as_float_array(x, fn), nd, fn)
    if any(n == 0 for n in x.shape[2:]):
        raise ValueError(f"{fn}: spatial sizes must be positive, got shape {x.shape}")
    if isinstance(output_size, (tuple, list)):
        if len(output_size) != nd:
            raise ValueError(f"{fn}: output_size must be an int or a tuple of {nd} ints or None, "
                             f"got {output_size!r}")
        out = tuple(n if o is None else integer(o, fn, "output_size", 1) for o, n in zip(output_size, x.shape[2:]))
    else:
        out = ntuple(output_size, nd, fn, "output_size", 1)
    return x, out, batched_


# --- interpolation ---

INTERPOLATE_MODES = {"nearest": (3, 4, 5), "nearest-exact": (3, 4, 5), "linear": (3,), "bilinear": (4,),
                     "bicubic": (4,), "trilinear": (5,)}  # mode -> the input dimensions it accepts
_BATCHED_LAYOUT = {3: "(N, C, L)", 4: "(N, C, H, W)", 5: "(N, C, D, H, W)"}


def interpolate_args(fn, x, size, scale_factor, mode, align_corners, recompute_scale_factor, antialias):
    """:func:`nnref.interpolate`'s checked arguments: x, the output's spatial size, the scale factor per
    axis (None where the ratio is the sizes'), align_corners and antialias as bools."""
    x = as_float_array(x, fn)
    choice(mode, tuple(INTERPOLATE_MODES), fn, "mode")
    ndim(x, (3, 4, 5), fn, layout="(N, C, *spatial)")
    if x.ndim not in INTERPOLATE_MODES[mode]:
        needed = INTERPOLATE_MODES[mode][0]
        raise ValueError(f"{fn}: mode {mode!r} needs a {needed}-D {_BATCHED_LAYOUT[needed]} input, got shape {x.shape}")
    if mode.startswith("nearest") and align_corners is not None:
        raise ValueError(f"{fn}: align_corners can only be set with the interpolating modes 'linear', "
                         f"'bilinear', 'bicubic' and 'trilinear', got align_corners={align_corners!r} "
                         f"with mode {mode!r}")
    align_corners = False if align_corners is None else flag(align_corners, fn, "align_corners")
    if flag(antialias, fn, "antialias") and mode not in ("bilinear", "bicubic"):
        raise ValueError(f"{fn}: antialias=True needs mode 'bilinear' or 'bicubic' (a 4-D input), as in PyTorch, "
                         f"got mode {mode!r}")
    if min(x.shape[2:]) < 1:
        raise ValueError(f"{fn}: spatial sizes must be positive, got shape {x.shape}")
    out, scales = _interpolate_sizes(fn, x.shape[2:], size, scale_factor)
    if recompute_scale_factor is not None and flag(recompute_scale_factor, fn, "recompute_scale_factor"):
        if size is not None:
            raise ValueError(f"{fn}: recompute_scale_factor is only meaningful with scale_factor, got size={size!r}")
        scales = (None,) * len(out)  # the ratio of the sizes, as if size=out had been given
    return x, out, scales, align_corners, antialias


def _interpolate_sizes(fn, spatial, size, scale_factor):
    """The output's spatial size and the scale factor per axis (None for each when ``size`` is given)."""
    nd = len(spatial)
    if (size is None) == (scale_factor is None):
        raise ValueError(f"{fn}: exactly one of size and scale_factor must be given, "
                         f"got size={size!r} and scale_factor={scale_factor!r}")
    if size is not None:
        return ntuple(size, nd, fn, "size", 1), (None,) * nd
    if isinstance(scale_factor, (tuple, list)):
        if len(scale_factor) != nd:
            raise ValueError(f"{fn}: scale_factor must be a number or a tuple of {nd} numbers, got {scale_factor!r}")
        scales = tuple(positive(f, fn, "scale_factor") for f in scale_factor)
    else:
        scales = (positive(scale_factor, fn, "scale_factor"),) * nd
    out = tuple(int(math.floor(n * f)) for n, f in zip(spatial, scales))  # as PyTorch: floor(n * f)
    if min(out) < 1:
        raise ValueError(f"{fn}: scale_factor {scale_factor!r} gives an empty output {out} "
                         f"for the input size {tuple(spatial)}")
    return out, scales


# --- normalization ---

def eps_(eps, fn):
    """``eps`` as a float >= 0."""
    eps = real(eps, fn, "eps")
    if eps < 0:
        raise ValueError(f"{fn}: eps must be >= 0, got {eps!r}")
    return eps


def momentum_(momentum, fn):
    """``momentum`` as a float (PyTorch's functional batch_norm has no cumulative ``None``)."""
    if momentum is None:
        raise TypeError(f"{fn}: momentum must be a real number, got None (the cumulative average that PyTorch's "
                        "BatchNorm modules use for momentum=None is momentum=1/k at the k-th training step)")
    return real(momentum, fn, "momentum")


def _per_channel(fn, channels, **arrays):
    for name, arr in arrays.items():
        if arr is not None and arr.shape != (channels,):
            raise ValueError(f"{fn}: {name} must have shape ({channels},), one entry per channel of x, "
                             f"got shape {arr.shape}")


def _buffer(arr, fn, name, flag_name):
    """A running statistic that will be updated in place: a writable floating ndarray."""
    if not isinstance(arr, np.ndarray) or arr.dtype.kind != "f":
        got = f"dtype {arr.dtype}" if isinstance(arr, np.ndarray) else type(arr).__name__
        raise TypeError(f"{fn}: {name} must be a floating-point ndarray when {flag_name}=True "
                        f"(it is updated in place), got {got}")
    if not arr.flags.writeable:
        raise ValueError(f"{fn}: {name} must be writable when {flag_name}=True (it is updated in place), "
                         "got a read-only array")


def channel_norm_args(fn, x, running_mean, running_var, weight, bias, use_input_stats, momentum, eps, flag_name,
                      update):
    """Batch and instance norm's checked arguments: x, the running statistics as x's dtype (or None), weight,
    bias, use_input_stats, momentum, eps. With ``update`` (a forward pass), the running statistics that
    will be updated must be writable floating ndarrays."""
    use_input_stats, momentum, eps = flag(use_input_stats, fn, flag_name), momentum_(momentum, fn), eps_(eps, fn)
    x, weight, bias = as_float_arrays(fn, x=x, weight=weight, bias=bias)
    batch_norm_ = flag_name == "training"
    ndim(x, (2, 3, 4, 5) if batch_norm_ else (3, 4, 5), fn,
         layout=f"(N, C, *) with {0 if batch_norm_ else 1} to 3 spatial axes")
    if (running_mean is None) != (running_var is None):
        raise ValueError(f"{fn}: running_mean and running_var must both be arrays or both be None")
    if running_mean is None and not use_input_stats:
        raise ValueError(f"{fn}: running_mean and running_var are required when {flag_name}=False "
                         "(they normalize the input), got None")
    if running_mean is not None:
        if use_input_stats and update:
            _buffer(running_mean, fn, "running_mean", flag_name)
            _buffer(running_var, fn, "running_var", flag_name)
        running_mean, running_var = as_float_array(running_mean, fn, "running_mean"), as_float_array(
            running_var, fn, "running_var")
        running_mean, running_var = running_mean.astype(x.dtype, copy=False), running_var.astype(x.dtype, copy=False)
    _per_channel(fn, x.shape[1], running_mean=running_mean, running_var=running_var, weight=weight, bias=bias)
    values = x.size // x.shape[1] if batch_norm_ else math.prod(x.shape[2:])  # per statistic
    if use_input_stats and values == 1:
        raise ValueError(f"{fn}: expected more than 1 value per channel when training, got input of shape {x.shape}"
                         if batch_norm_ else f"{fn}: expected more than 1 spatial element when use_input_stats=True, "
                         f"got input of shape {x.shape}")
    return x, (running_mean, running_var), weight, bias, use_input_stats, momentum, eps


def layer_norm_args(fn, x, normalized_shape, weight, bias, eps):
    """Layer norm's checked arguments: x, weight, bias, the normalized shape as a tuple, eps."""
    eps = eps_(eps, fn)
    x, weight, bias = as_float_arrays(fn, x=x, weight=weight, bias=bias)
    if isinstance(normalized_shape, (tuple, list)):
        if not normalized_shape:
            raise ValueError(f"{fn}: normalized_shape must have at least one entry, got {normalized_shape!r}")
        shape = tuple(integer(d, fn, "normalized_shape", 1) for d in normalized_shape)
    else:
        shape = (integer(normalized_shape, fn, "normalized_shape", 1),)
    if x.ndim < len(shape) or x.shape[x.ndim - len(shape):] != shape:
        raise ValueError(f"{fn}: x must have shape (*, {', '.join(map(str, shape))}) to match normalized_shape "
                         f"{shape}, got shape {x.shape}")
    for name, arr in (("weight", weight), ("bias", bias)):
        if arr is not None and arr.shape != shape:
            raise ValueError(f"{fn}: {name} must have normalized_shape {shape}, got shape {arr.shape}")
    return x, weight, bias, shape, eps


def group_norm_args(fn, x, num_groups, weight, bias, eps):
    """Group norm's checked arguments: x, num_groups, weight, bias, eps."""
    eps = eps_(eps, fn)
    x, weight, bias = as_float_arrays(fn, x=x, weight=weight, bias=bias)
    ndim(x, (2, 3, 4, 5), fn, layout="(N, C, *) with 0 to 3 spatial axes")
    num_groups = integer(num_groups, fn, "num_groups", 1)
    if x.shape[1] % num_groups:
        raise ValueError(f"{fn}: num_groups must divide the {x.shape[1]} channels of x, got num_groups={num_groups}")
    _per_channel(fn, x.shape[1], weight=weight, bias=bias)
    if x.size == num_groups:
        raise ValueError(f"{fn}: expected more than 1 value per group, got input of shape {x.shape} "
                         f"with num_groups={num_groups}")
    return x, num_groups, weight, bias, eps


def same_dtype(*arrays):
    """``arrays`` (None passes through) in their common floating dtype."""
    dtype = np.result_type(*[a for a in arrays if a is not None])
    return tuple(None if a is None else a.astype(dtype, copy=False) for a in arrays)


# --- the linear layer and flatten ---

def linear_args(fn, x, weight, bias):
    """The linear layer's checked arguments: x, weight, bias in one floating dtype."""
    x, weight, bias = as_float_arrays(fn, x=x, weight=weight, bias=bias)
    ndim(weight, 2, fn, "weight", "(out_features, in_features)")
    out_features, in_features = weight.shape
    if x.ndim == 0 or x.shape[-1] != in_features:
        raise ValueError(f"{fn}: x must have in_features = {in_features} entries in its last dimension "
                         f"(weight has shape {weight.shape}), got shape {x.shape}")
    if bias is not None and bias.shape != (out_features,):
        raise ValueError(f"{fn}: bias must have shape ({out_features},) (out_features), got {bias.shape}")
    return x, weight, bias


def flatten_dims(fn, ndim_, start_dim, end_dim):
    """``start_dim`` and ``end_dim`` as non-negative axes, in order (a 0-D input counts as 1-D, as in PyTorch)."""
    ndim_ = max(ndim_, 1)
    start, end = axis(start_dim, ndim_, fn, "start_dim"), axis(end_dim, ndim_, fn, "end_dim")
    if start > end:
        raise ValueError(f"{fn}: start_dim must not come after end_dim, got start_dim={start_dim}, "
                         f"end_dim={end_dim} for a {ndim_}-D input")
    return start, end


# --- pixel shuffle ---

def shuffle_args(fn, x, factor, name, upscale):
    """Pixel (un)shuffle's checked arguments: ``x`` with at least 3 dimensions ``(*, C, H, W)`` and the factor $r$.

    ``upscale`` (pixel_shuffle): $C$ must be a multiple of $r^2$; otherwise $H$ and $W$ multiples of $r$.
    """
    x = as_float_array(x, fn)
    r = integer(factor, fn, name, 1)
    if x.ndim < 3:
        raise ValueError(f"{fn}: x must have at least 3 dimensions (*, C, H, W), got shape {x.shape}")
    if upscale and x.shape[-3] % (r * r):
        raise ValueError(f"{fn}: x must have a multiple of {name}**2 = {r * r} channels (dimension -3), "
                         f"got {x.shape[-3]} in shape {x.shape}")
    if not upscale and (x.shape[-2] % r or x.shape[-1] % r):
        raise ValueError(f"{fn}: x's height and width must be multiples of {name} = {r}, got shape {x.shape}")
    return x, r


# --- gradcheck ---

def gradcheck_args(fn, args, wrt, eps, rtol, atol):
    """gradcheck's checked arguments: float64 copies of the array arguments (others unchanged), the
    positions of the arguments to check, and eps, rtol, atol as floats."""
    arrays = [i for i, a in enumerate(args) if isinstance(a, (np.ndarray, list, tuple)) and not isinstance(a, str)]
    args = [np.array(a, dtype=np.float64) if i in arrays else a for i, a in enumerate(args)]
    if wrt is None:
        wrt = tuple(arrays)
    elif isinstance(wrt, (int, np.integer)):
        wrt = (wrt,)
    wrt = tuple(integer(i, fn, "wrt", 0) for i in wrt)
    for i in wrt:
        if i >= len(args) or not (args[i] is None or isinstance(args[i], np.ndarray)):
            raise ValueError(f"{fn}: wrt must name positional array arguments (or None ones, whose gradient is "
                             f"None), got {i} for {len(args)} arguments")
    return args, wrt, positive(eps, fn, "eps"), real(rtol, fn, "rtol"), real(atol, fn, "atol")


# --- activations ---


def prelu_args(fn, x, weight):
    """:func:`nnref.prelu`'s ``x`` and ``weight`` in one floating dtype, and the slopes shaped to broadcast on x.

    ``weight`` holds one slope, or one per channel: dim 1 of ``x`` (a 0-D or 1-D ``x`` has one
    channel). Returns ``(x, weight, w)`` with ``w`` of shape ``()`` or ``(C, 1, ..., 1)``.
    """
    x, weight = as_float_arrays(fn, x=x, weight=weight)
    channels = x.shape[1] if x.ndim >= 2 else 1
    if weight.ndim > 1 or weight.size not in (1, channels):
        raise ValueError(f"{fn}: weight must hold 1 slope or one per channel "
                         f"({channels} on dim 1 of x), got shape {weight.shape}")
    if weight.size == 1:
        return x, weight, weight.reshape(())
    return x, weight, weight.reshape((channels,) + (1,) * (x.ndim - 2))


def rrelu_args(fn, lower, upper, training, rng, backward=False):
    """:func:`nnref.rrelu`'s keywords, checked: ``(lower, upper, training, rng)``.

    ``rng`` stays what it was (a Generator, an integer seed, or None for fresh entropy), ready
    for ``np.random.default_rng(rng)``. A backward pass in training must draw the forward's
    slopes again (``backward=True``), so there ``rng=None`` is an error.
    """
    lower, upper = real(lower, fn, "lower"), real(upper, fn, "upper")
    if lower > upper:
        raise ValueError(f"{fn}: lower must be <= upper, got lower={lower!r}, upper={upper!r}")
    training = flag(training, fn, "training")
    if rng is not None and not isinstance(rng, np.random.Generator):
        integer(rng, fn, "rng", minimum=0)
    if backward and training and rng is None:
        raise ValueError(f"{fn}: rng must be given when training=True (the seed or a copy of the "
                         "Generator the forward pass used), got None")
    return lower, upper, training, rng


def bipolar_relu_input(fn, x):
    """:func:`nnref.bipolar_relu`'s ``x`` as a floating array, with units on dim 1: ``(N, C, *)``."""
    x = as_float_array(x, fn)
    if x.ndim < 2:
        raise ValueError(f"{fn}: x must have at least 2 dimensions (N, C, *), got shape {x.shape}")
    return x


def hardtanh_bounds(fn, min_val, max_val):
    """:func:`nnref.hardtanh`'s bounds as floats, ``min_val <= max_val``."""
    min_val, max_val = real(min_val, fn, "min_val"), real(max_val, fn, "max_val")
    if min_val > max_val:
        raise ValueError(f"{fn}: min_val must be <= max_val, got min_val={min_val!r}, max_val={max_val!r}")
    return min_val, max_val


def softplus_args(fn, beta, threshold):
    """:func:`nnref.softplus`'s ``beta`` (a positive float) and ``threshold`` (a float)."""
    return positive(beta, fn, "beta"), real(threshold, fn, "threshold")


def softmax_args(fn, x, dim):
    """:func:`nnref.softmax`'s ``x`` as a floating array and ``dim`` as the axis to reduce over.

    ``dim`` is required (PyTorch's implicit ``dim=None`` is deprecated). The axis is
    non-negative, or None for a 0-D ``x``, whose one element is the whole slice (``dim`` is then
    0 or -1).
    """
    x = as_float_array(x, fn)
    if dim is None:
        raise TypeError(f"{fn}: dim must be an integer (no implicit default, unlike PyTorch's "
                        "deprecated dim=None), got None")
    dim = axis(dim, max(x.ndim, 1), fn)
    return x, (dim if x.ndim else None)


def softmax_backward_args(fn, g, x, dim, output):
    """A softmax or log_softmax backward's arguments: ``(g, x, output, axis)``.

    ``g`` (``grad_output``) and ``output`` (None, or the forward's result) must have the shape of ``x``.
    """
    x, ax = softmax_args(fn, x, dim)
    g = grad_output(g, x.shape, fn)
    if output is not None:
        output = as_float_array(output, fn, "output")
        same_shape(output, x.shape, fn, "output")
    return g, x, output, ax

