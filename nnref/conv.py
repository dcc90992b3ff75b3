r"""Convolution, transposed convolution and padding, forward and backward.

Shape arithmetic lives here too: :func:`conv_output_size`,
:func:`conv_transpose_output_size` and :func:`pool_output_size` are used by the
ops in this module and by :mod:`nnref.pooling`.
"""

from . import _validation as v

__all__ = [
    "pool_output_size",
]


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
