r"""How nnref's ops read their input: sliding windows, and maps along one axis (private).

**Sliding windows** serve convolution, pooling and ``unfold`` / ``fold``. Along each spatial
axis of the padded input $x^{\text{pad}}$, window $i$ has $k$ taps $d$ apart and starts at
$s i$: its tap $a$ reads

$$ x^{\text{pad}}_{s i + d a}, \qquad 0 \le a < k, \qquad
   0 \le i < L_{out} = \left\lfloor \frac{L^{\text{pad}} - d(k - 1) - 1}{s} \right\rfloor + 1. $$

:func:`windows` is every window at once as a strided view (nothing is copied), :func:`unfold`
copies them into the im2col columns, and :func:`fold`, the adjoint of :func:`unfold`, adds
column entries back onto the positions they were read from.

**Maps along one axis** serve interpolation, adaptive pooling and the padding modes. Output
$i$ mixes $T$ input entries, $y_i = \sum_t w_{i,t}\, x_{m_{i,t}}$, given by an index array $m$
and a weight array $w$, both $(L_{out}, T)$. :func:`gather_axis` applies the map and
:func:`scatter_axis` its transpose: with $A$ the $(L_{out}, L)$ matrix of the map, $y = A x$
and $\partial\mathcal{L}/\partial x = A^\top g$.

Arguments are validated by the public functions (``nnref._validation``) before they get here.
"""

import math

import numpy as np
from numpy.lib.stride_tricks import as_strided


# --8<-- [start:sizes]
def conv_size(length, k, s, lo, hi, d):
    r"""How many windows fit along one axis: $\lfloor (L + lo + hi - d(k - 1) - 1)/s \rfloor + 1$."""
    return (length + lo + hi - d * (k - 1) - 1) // s + 1


def pool_size(length, k, s, p, d, ceil_mode):
    """:func:`conv_size` with PyTorch's ``ceil_mode``: round up, but drop a last window starting in the right padding."""
    out = (length + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= length + p:
        out -= 1  # the last window would start in the right padding
    return out


def transpose_size(length, k, s, p, output_padding, d):
    r"""Output length of a transposed convolution: $(L - 1)s - 2p + d(k - 1) + \text{output_padding} + 1$."""
    return (length - 1) * s - 2 * p + d * (k - 1) + output_padding + 1
# --8<-- [end:sizes]


# --8<-- [start:windows]
def windows(xp, kernel, stride, dilation, out=None, writeable=False):
    """Every window of the last ``len(kernel)`` axes of ``xp``: a strided view ``(*lead, *L_out, *k)``.

    ``view[..., i, a]`` is ``xp[..., s*i + d*a]`` (per axis); nothing is copied. ``out`` sets
    $L_{out}$ per axis, by default as many windows as fit. Writing through a ``writeable``
    view is safe one tap ``a`` at a time, where no two windows share an entry.
    """
    nd = len(kernel)
    lead, step = xp.strides[:-nd], xp.strides[-nd:]
    if out is None:
        out = tuple((n - d * (k - 1) - 1) // s + 1 for n, k, s, d in zip(xp.shape[-nd:], kernel, stride, dilation))
    return as_strided(xp, xp.shape[:-nd] + tuple(out) + tuple(kernel),
                      lead + tuple(t * s for t, s in zip(step, stride)) + tuple(t * d for t, d in zip(step, dilation)),
                      writeable=writeable)
# --8<-- [end:windows]


# --8<-- [start:unfold]
def unfold(x, kernel, stride, dilation, pads, out=None):
    """The im2col columns ``(N, C, *k, *L_out)`` of ``x`` zero-padded by ``pads``: every window, copied.

    ``pads`` holds one ``(before, after)`` pair per spatial axis; ``out`` is as in :func:`windows`.
    The copy is the buffer a convolution pays for: ``prod(k)`` entries per output position and
    input channel.
    """
    nd = len(kernel)
    xp = np.pad(x, [(0, 0), (0, 0), *pads]) if any(map(any, pads)) else x  # (N, C, *L^pad)
    view = windows(xp, kernel, stride, dilation, out)  # (N, C, *L_out, *k)
    return np.ascontiguousarray(np.moveaxis(view, range(-nd, 0), range(2, 2 + nd)))  # (N, C, *k, *L_out)


def fold(cols, size, kernel, stride, dilation, pads):
    """The adjoint of :func:`unfold`: ``(N, C, *size)``, each position the sum of the column entries read from it.

    A zero padded array gets every tap's column entries added to the positions that tap read
    (``x^pad[s*i + d*a] += cols[a, i]``), then the padding is cut off again (col2im).
    """
    n, c, out = cols.shape[0], cols.shape[1], cols.shape[2 + len(kernel):]
    padded = tuple(length + lo + hi for length, (lo, hi) in zip(size, pads))
    xp = np.zeros((n, c, *padded), cols.dtype)
    view = windows(xp, kernel, stride, dilation, out, writeable=True)  # (N, C, *L_out, *k), a view of xp
    for a in np.ndindex(*kernel):  # one tap at a time: within a tap, no two windows share an entry
        view[(..., *a)] += cols[(slice(None), slice(None), *a)]  # (N, C, *L_out)
    return xp[(..., *(slice(lo, lo + length) for length, (lo, _) in zip(size, pads)))]  # (N, C, *size)
# --8<-- [end:unfold]


# --8<-- [start:axis-maps]
def gather_axis(x, index, weight, axis):
    r"""$y_i = \sum_t w_{i,t}\, x_{m_{i,t}}$ along ``axis``; with ``weight=None``, $y_i = x_{m_{i,0}}$.

    ``index`` and ``weight`` are ``(L_out, T)``. An index equal to the axis length is a padding
    tap, for an output that mixes fewer than $T$ entries: it reads nothing (a 0). A tap of
    weight 0 still reads its entry, so an inf there gives NaN (0 * inf), as in PyTorch.
    """
    n = x.shape[axis]
    if weight is None:
        return np.take(x, index[:, 0], axis=axis)
    shape = [-1 if a == axis else 1 for a in range(x.ndim)]  # a weight per position along axis
    y = np.zeros(x.shape[:axis] + index.shape[:1] + x.shape[axis + 1:], x.dtype)
    for t in range(index.shape[1]):
        tap = np.take(x, np.minimum(index[:, t], n - 1), axis=axis)  # x_{m_{i,t}} for every i
        tap[(slice(None),) * axis + (index[:, t] == n,)] = 0  # padding taps read nothing
        with np.errstate(invalid="ignore"):  # 0 * inf
            tap *= weight[:, t].astype(x.dtype).reshape(shape)
        y += tap
    return y


def scatter_axis(g, index, weight, axis, size):
    r"""The transpose of :func:`gather_axis`: $A^\top g$ along ``axis``, which gets length ``size``.

    Entry $m$ collects $\sum_{(i,t):\ m_{i,t} = m} w_{i,t}\, g_i$: every output's gradient goes
    back to the entries it mixed, with the same weights (a padding tap's share is dropped). It is
    one matrix product with the $(L_{out}, L)$ matrix $A$ (BLAS; $L \cdot L_{out}$ products per line).
    """
    n_out, taps = index.shape
    weight = np.ones(index.shape) if weight is None else weight
    if not np.isfinite(g).all():  # PyTorch parity: an inf or NaN reaches only the entries its taps read
        gm = np.moveaxis(g, axis, -1)  # (..., L_out); A.T @ g would spread it along the axis (0 * inf = NaN)
        out = np.zeros(gm.shape[:-1] + (size + 1,), g.dtype)
        for t in range(taps):
            with np.errstate(invalid="ignore"):  # inf * 0 = NaN, as in PyTorch
                np.add.at(out, (..., index[:, t]), gm * weight[:, t].astype(g.dtype))
        return np.moveaxis(out[..., :size], -1, axis)
    a = np.zeros((n_out, size + 1), g.dtype)  # A: row i holds output i's weights; column `size` the padding's
    np.add.at(a, (np.arange(n_out).repeat(taps), index.reshape(-1)), weight.reshape(-1))
    if axis == g.ndim - 1:
        return g @ a[:, :size]  # (..., size)
    before, after = g.shape[:axis], g.shape[axis + 1:]
    g3 = g.reshape(math.prod(before), n_out, math.prod(after))  # (B, L_out, R)
    return (a[:, :size].T @ g3).reshape(*before, size, *after)  # (B, size, R)
# --8<-- [end:axis-maps]

