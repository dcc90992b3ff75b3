"""Argument checks and the dtype policy shared by every public nnref function.

Every public function validates its arguments here, before doing any work, so a
user sees one kind of message everywhere::

    <function>: <parameter> must be <what was expected>, got <what was got>

The dtype policy: floating arrays keep their dtype (float32 in, float32 out);
integer and bool arrays are computed in float64; anything else (strings,
objects, complex numbers) is a ``TypeError``.
"""

import numbers
import operator

import numpy as np


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
