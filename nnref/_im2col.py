r"""The N-dimensional engine behind :mod:`nnref.conv` (private; validated arguments only).

Letters: $N$ batch, $G$ groups, $C_g$ input channels per group, $O_g$ output
channels per group, $K$ the kernel offsets (a multi-index over $d$ spatial
axes), $Q$ the output positions (also a multi-index). A convolution is

$$ y_{n,g,o,Q} = \sum_{c,K} w_{g,o,c,K}\, x^{\text{pad}}_{n,g,c,\, sQ + dK}, $$

and everything here is one of three contractions of that sum:

* :func:`conv_forward`: contract $(c, K)$ of the im2col columns with $w$;
* :func:`conv_grad_weight`: contract $(n, Q)$ of the columns with $\partial L/\partial y$;
* :func:`conv_grad_input`: contract $o$ of $w$ with $\partial L/\partial y$, then
  scatter the columns back onto the input (col2im).

The im2col columns are a contiguous copy of a strided window view, shaped
$(N, G, C_g K, Q)$ so that each product is one batched BLAS matmul and its
result already has the output's memory layout. Padding is given as one
``(before, after)`` pair per spatial axis, so the asymmetric ``'same'`` padding
of even kernels fits too.
"""

import itertools
import math

import numpy as np
from numpy.lib.stride_tricks import as_strided


def constant_pad(x, pads, value=0.0):
    """``x`` with ``value`` added (or entries cropped, for negative numbers) on its trailing axes.

    ``pads`` holds one ``(before, after)`` pair per trailing axis of ``x``.
    """
    lead = x.ndim - len(pads)
    if all(lo == 0 and hi == 0 for lo, hi in pads):
        return x
    grow = [(0, 0)] * lead + [(max(lo, 0), max(hi, 0)) for lo, hi in pads]
    crop = (slice(None),) * lead + tuple(slice(max(-lo, 0), n - max(-hi, 0) + max(lo, 0) + max(hi, 0))
                                         for (lo, hi), n in zip(pads, x.shape[lead:]))
    return np.pad(x, grow, constant_values=value)[crop]


def windows(xp, kernel, stride, dilation, out_shape):
    """Read-only strided view ``(N, C, *Q, *K)`` of every kernel window of the padded ``xp``.

    Window ``Q`` starts at ``stride * Q`` and takes every ``dilation``-th entry;
    nothing is copied.
    """
    sp = xp.strides[2:]
    shape = xp.shape[:2] + tuple(out_shape) + tuple(kernel)
    strides = xp.strides[:2] + tuple(a * s for a, s in zip(sp, stride)) + tuple(a * d for a, d in zip(sp, dilation))
    return as_strided(xp, shape, strides, writeable=False)


def im2col(xp, kernel, stride, dilation, out_shape, groups):
    """The columns ``(N, G, C_g * prod(K), prod(Q))``: one contiguous copy of :func:`windows`.

    This is the buffer the convolution materializes: $N C_{in} \\prod K \\prod Q$
    entries, ``prod(kernel)`` times the size of the output per output channel.
    """
    n, c, d = xp.shape[0], xp.shape[1], len(kernel)
    view = windows(xp, kernel, stride, dilation, out_shape)  # (N, C, *Q, *K)
    order = (0, 1, *range(2 + d, 2 + 2 * d), *range(2, 2 + d))
    cols = np.ascontiguousarray(view.transpose(order))  # (N, C, *K, *Q)
    return cols.reshape(n, groups, c // groups * math.prod(kernel), math.prod(out_shape))  # (N, G, C_g K, Q)


def col2im(cols, padded_shape, kernel, stride, dilation):
    """Adjoint of :func:`im2col`: add each column entry back onto the input position it was read from.

    ``cols`` is ``(N, C, *K, *Q)``; the result has ``padded_shape``. One
    strided ``+=`` per kernel offset (``prod(kernel)`` iterations), each over
    the whole batch, all channels and all output positions.
    """
    d = len(kernel)
    out_shape = cols.shape[2 + d:]
    xp = np.zeros(padded_shape, dtype=cols.dtype)
    for offset in itertools.product(*(range(k) for k in kernel)):
        target = tuple(slice(o * dl, o * dl + s * (q - 1) + 1, s)
                       for o, dl, s, q in zip(offset, dilation, stride, out_shape))
        xp[(slice(None), slice(None)) + target] += cols[(slice(None), slice(None)) + offset]  # (N, C, *Q)
    return xp


def conv_forward(x, weight, bias, stride, pads, dilation, groups, out_shape):
    """$y = w \\star x + b$ with output spatial shape ``out_shape``: ``(N, C_out, *Q)``."""
    n, kernel = x.shape[0], weight.shape[2:]
    cols = im2col(constant_pad(x, pads), kernel, stride, dilation, out_shape, groups)  # (N, G, C_g K, Q)
    w = weight.reshape(groups, weight.shape[0] // groups, -1)  # (G, O_g, C_g K)
    y = np.matmul(w, cols)  # (N, G, O_g, Q)
    y = y.reshape(n, weight.shape[0], *out_shape)  # (N, C_out, *Q)
    if bias is not None:
        y += bias.reshape(-1, *(1,) * len(kernel))
    return y


def conv_grad_weight(x, grad_output, weight_shape, stride, pads, dilation, groups):
    """$\\partial L / \\partial w_{g,o,c,K} = \\sum_{n,Q} g_{n,g,o,Q}\\, x^{\\text{pad}}_{n,g,c,\\,sQ + dK}$."""
    n, out_shape, kernel = x.shape[0], grad_output.shape[2:], weight_shape[2:]
    cols = im2col(constant_pad(x, pads), kernel, stride, dilation, out_shape, groups)  # (N, G, C_g K, Q)
    g = grad_output.reshape(n, groups, weight_shape[0] // groups, -1)  # (N, G, O_g, Q)
    gw = np.matmul(g, cols.swapaxes(-1, -2)).sum(axis=0)  # (G, O_g, C_g K)
    return gw.reshape(weight_shape)  # (C_out, C_g, *K)


def conv_grad_input(grad_output, weight, in_shape, stride, pads, dilation, groups):
    """$\\partial L / \\partial x$: the transposed convolution of ``grad_output``, shape ``(N, C_in, *in_shape)``."""
    n, out_shape, kernel = grad_output.shape[0], grad_output.shape[2:], weight.shape[2:]
    c_in = weight.shape[1] * groups
    w = weight.reshape(groups, weight.shape[0] // groups, -1)  # (G, O_g, C_g K)
    g = grad_output.reshape(n, groups, w.shape[1], -1)  # (N, G, O_g, Q)
    cols = np.matmul(w.swapaxes(-1, -2), g)  # (N, G, C_g K, Q)
    cols = cols.reshape(n, c_in, *kernel, *out_shape)  # (N, C_in, *K, *Q)
    padded = tuple(i + lo + hi for i, (lo, hi) in zip(in_shape, pads))
    gxp = col2im(cols, (n, c_in, *padded), kernel, stride, dilation)  # (N, C_in, *padded)
    return constant_pad(gxp, [(-lo, -hi) for lo, hi in pads])  # (N, C_in, *in_shape)
