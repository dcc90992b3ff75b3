r"""Normalization layers: batch, layer, instance and group normalization, with backward passes.

All four standardize the input over some axes, with the mean and the *biased*
variance of those axes and a small $\epsilon$ inside the square root, then
scale and shift the result with learnable $\gamma$ (``weight``) and $\beta$
(``bias``):

$$ \hat x = \frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}}, \qquad y = \gamma \hat x + \beta $$

They differ only in the axes the statistics run over. Letters: $N$ batch,
$C$ channels, $s$ the spatial positions (none, $L$, $H W$ or $D H W$), $M$ the
number of values that share one mean and variance.

| function | one $(\mu, \sigma^2)$ per | averaged over | $\gamma, \beta$ shape |
| --- | --- | --- | --- |
| [batch_norm][nnref.normalization.batch_norm] | channel | $N$ and $s$ | $(C,)$ |
| [layer_norm][nnref.normalization.layer_norm] | sample (and leading axes) | the trailing ``normalized_shape`` axes | ``normalized_shape`` |
| [instance_norm][nnref.normalization.instance_norm] | sample and channel | $s$ | $(C,)$ |
| [group_norm][nnref.normalization.group_norm] | sample and group of channels | the group's channels and $s$ | $(C,)$ |

Every function ``f`` has ``f_backward(grad_output, x, ...)`` returning
``(grad_input, grad_weight, grad_bias)``, with ``None`` for a weight or bias
passed as ``None``. Running statistics are buffers, not differentiable inputs:
no gradient is returned for them.

The one in-place effect in nnref: [batch_norm][nnref.normalization.batch_norm]
with ``training=True`` (and [instance_norm][nnref.normalization.instance_norm]
with ``use_input_stats=True``) update the running statistics they are given, as
PyTorch does. Backward passes never update them.
"""

import math

import numpy as np

from . import _validation as v

__all__ = [
    "batch_norm",
    "batch_norm_backward",
    "layer_norm",
    "layer_norm_backward",
    "instance_norm",
    "instance_norm_backward",
    "group_norm",
    "group_norm_backward",
]


# --- the shared core: standardization on an (N, C, S) view, forward and backward ---------------
#
# Every op works on a 3-D view (N, C, S) of its input: S flattens the spatial axes (batch,
# instance norm), C counts groups instead of channels (group norm), or N flattens the leading
# axes, C = 1 and S the normalized ones (layer norm). ``stat`` names the axes that keep one
# statistic each: "c" (batch norm: one per channel) or "nc" (one per sample and channel or
# group); the sums run over the other letters, written as einsum subscripts. Each forward
# allocates one full-size array (the result) and each backward one or two, and works in place
# on them: on large inputs a fresh array costs as much as a pass over it.


def _ncs(x, channels=None):
    """View ``x`` as (N, C, S), with ``channels`` in place of ``x.shape[1]`` if given (group norm)."""
    n, c = x.shape[0], x.shape[1] if channels is None else channels
    return x.reshape(n, c, x.size // max(n * c, 1))  # (N, C, S)


def _expand(stat_array, stat, s):
    """Broadcast a statistic of shape (C,) (``stat="c"``) or (N, C) (``"nc"``) against (N, C, S).

    A per-channel statistic becomes a (1, C, S) plane, each value repeated ``s``
    times: NumPy broadcasts a contiguous plane over N about twice as fast as a
    (1, C, 1) column over N and S.
    """
    return np.repeat(stat_array, s).reshape(1, -1, s) if stat == "c" else stat_array[:, :, None]


def _count(x, stat):
    """$M$, the number of values of the (N, C, S) array ``x`` behind each statistic."""
    return x.shape[2] * (x.shape[0] if stat == "c" else 1)


def _sum_of_products(a, b, stat):
    """$\\sum a b$ over the letters of ``ncs`` not in ``stat``, for (N, C, S) arrays.

    ``np.vecdot`` over s, then a sum over n for ``stat="c"``: about twice as fast
    as the two-operand ``np.einsum(f"ncs,ncs->{stat}", a, b)``.
    """
    per_nc = np.vecdot(a, b)  # (N, C)
    return per_nc if stat == "nc" else per_nc.sum(axis=0)


def _center(x, stat):
    """The (N, C, S) array ``x`` minus its mean $\\mu$ (a new array), with $\\mu$ and $\\sigma^2$."""
    count = _count(x, stat)  # M
    mean = np.einsum(f"ncs->{stat}", x) / count
    centered = x - _expand(mean, stat, x.shape[2])  # (N, C, S)
    var = _sum_of_products(centered, centered, stat) / count  # biased: divides by M
    return centered, mean, var


def _standardize(x, stat, eps):
    r"""Standardize the (N, C, S) array ``x``: return a new array $\hat x$, and $\mu$, $\sigma^2$, $1/\sqrt{\sigma^2+\epsilon}$.

    $$ \mu = \frac{1}{M}\sum x, \quad \sigma^2 = \frac{1}{M}\sum (x - \mu)^2, \quad
       \hat x = \frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}} $$

    The sums run over the letters of ``ncs`` not in ``stat`` ($M$ values each).
    """
    xhat, mean, var = _center(x, stat)  # (N, C, S), centered for now
    invstd = 1.0 / np.sqrt(var + eps)
    xhat *= _expand(invstd, stat, x.shape[2])
    return xhat, mean, var, invstd


def _standardize_backward(grad_xhat, centered, invstd, stat, scale=None):
    r"""Gradient through :func:`_standardize`, including the paths through $\mu$ and $\sigma^2$.

    $$ \frac{\partial L}{\partial x} = \frac{a}{M\sqrt{\sigma^2+\epsilon}} \Big( M \bar g
       - \sum \bar g - \hat x \sum \bar g \hat x \Big),
       \qquad \bar g = \frac{\partial L}{\partial (a \hat x)}, \quad
       \hat x = \frac{x - \mu}{\sqrt{\sigma^2+\epsilon}} $$

    ``centered`` is $x - \mu$ and ``invstd`` $1/\sqrt{\sigma^2+\epsilon}$ (or
    $\hat x$ itself with ``invstd`` 1, the true $1/\sigma$ then going into
    ``scale``). ``scale`` is $a$, one factor per statistic (the per-channel
    $\gamma$ of batch and instance norm, constant over each statistic's
    values); without it $a = 1$. Writes the result into ``centered`` (an array
    of the caller's that it no longer needs) in four passes, and returns it with
    the two sums, $\sum \bar g$ and $\sum \bar g \hat x$.
    """
    count, s = _count(grad_xhat, stat), grad_xhat.shape[2]  # M, S
    sum_g = np.einsum(f"ncs->{stat}", grad_xhat)
    sum_gxhat = _sum_of_products(grad_xhat, centered, stat) * invstd
    grad_x = centered  # reuse the buffer, term by term
    grad_x *= _expand(-invstd * sum_gxhat / count, stat, s)  # -xhat mean(g xhat)
    grad_x -= _expand(sum_g / count, stat, s)
    grad_x += grad_xhat
    grad_x *= _expand(invstd if scale is None else invstd * scale, stat, s)
    return grad_x, sum_g, sum_gxhat


def _param(p, param, s):
    """A weight or bias against (N, C, S): one per channel (``"c"``, see :func:`_expand`) or per position (``"s"``)."""
    return _expand(p, "c", s) if param == "c" else p.reshape(1, 1, -1)


def _affine(xhat, weight, bias, param):
    r"""$y = \gamma \hat x + \beta$, written into ``xhat`` (a new array of the caller's)."""
    if weight is not None:
        xhat *= _param(weight, param, xhat.shape[2])
    if bias is not None:
        xhat += _param(bias, param, xhat.shape[2])
    return xhat


def _param_grads(g, xhat, weight, bias, param):
    r"""$\partial L/\partial\gamma = \sum g \hat x$ and $\partial L/\partial\beta = \sum g$ over the other letters."""
    if weight is None:
        grad_weight = None
    elif param == "c":
        grad_weight = _sum_of_products(g, xhat, "c")  # (C,)
    else:
        grad_weight = np.einsum("ncs,ncs->s", g, xhat).reshape(weight.shape)
    grad_bias = None if bias is None else np.einsum(f"ncs->{param}", g).reshape(bias.shape)
    return grad_weight, grad_bias


def _cast(dtype, *arrays):
    """Give every array (``None`` passes through) the floating ``dtype``."""
    return tuple(None if a is None else a.astype(dtype, copy=False) for a in arrays)


# --- argument checks ---------------------------------------------------------------------------


def _check_eps(eps, fn):
    eps = v.real(eps, fn, "eps")
    if eps < 0:
        raise ValueError(f"{fn}: eps must be >= 0, got {eps!r}")
    return eps


def _check_momentum(momentum, fn):
    if momentum is None:
        raise TypeError(
            f"{fn}: momentum must be a real number, got None (the cumulative average that PyTorch's "
            "BatchNorm modules use for momentum=None is momentum=1/k at the k-th training step)"
        )
    return v.real(momentum, fn, "momentum")


def _check_flag(value, fn, name):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{fn}: {name} must be True or False, got {value!r}")
    return bool(value)


def _check_per_channel(fn, channels, **arrays):
    for name, arr in arrays.items():
        if arr is not None and arr.shape != (channels,):
            raise ValueError(f"{fn}: {name} must have shape ({channels},), one entry per channel of x, "
                             f"got shape {arr.shape}")


def _check_buffer(arr, fn, name, flag):
    """A running statistic that will be updated in place must be a writable floating ndarray."""
    if not isinstance(arr, np.ndarray) or arr.dtype.kind != "f":
        got = f"dtype {arr.dtype}" if isinstance(arr, np.ndarray) else type(arr).__name__
        raise TypeError(f"{fn}: {name} must be a floating-point ndarray when {flag}=True "
                        f"(it is updated in place), got {got}")
    if not arr.flags.writeable:
        raise ValueError(f"{fn}: {name} must be writable when {flag}=True (it is updated in place), "
                         "got a read-only array")


def _check_running(fn, running_mean, running_var, use_input_stats, flag, update):
    """Check the pair of running statistics; return them as float arrays (or ``None``) for reading."""
    if (running_mean is None) != (running_var is None):
        raise ValueError(f"{fn}: running_mean and running_var must both be arrays or both be None")
    if running_mean is None:
        if not use_input_stats:
            raise ValueError(f"{fn}: running_mean and running_var are required when {flag}=False "
                             "(they normalize the input), got None")
        return None, None
    if use_input_stats and update:
        _check_buffer(running_mean, fn, "running_mean", flag)
        _check_buffer(running_var, fn, "running_var", flag)
    return v.as_float_array(running_mean, fn, "running_mean"), v.as_float_array(running_var, fn, "running_var")


def _check_channel_norm(fn, x, running_mean, running_var, weight, bias, use_input_stats, flag, update, ndims):
    """Checks shared by batch_norm and instance_norm; returns x, the running statistics, weight, bias."""
    x, weight, bias = v.as_float_arrays(fn, x=x, weight=weight, bias=bias)
    v.ndim(x, ndims, fn, layout=f"(N, C, *) with {ndims[0] - 2} to 3 spatial axes")
    mean, var = _check_running(fn, running_mean, running_var, use_input_stats, flag, update)
    _check_per_channel(fn, x.shape[1], running_mean=mean, running_var=var, weight=weight, bias=bias)
    return (x, *_cast(x.dtype, mean, var), weight, bias)


# --- batch and instance normalization (per-channel weight, optional running statistics) -------


def _update_running(running_mean, running_var, mean, var, count, momentum):
    r"""In place: $r \leftarrow (1 - m)\, r + m\, s$, with the unbiased variance $\sigma^2 M/(M-1)$.

    ``mean`` and ``var`` have shape (C,) (batch norm) or (N, C) (instance norm,
    whose update averages them over the batch first, as PyTorch's does).
    """
    if mean.ndim == 2:
        mean, var = mean.mean(axis=0), var.mean(axis=0)  # (C,)
    running_mean[...] = (1 - momentum) * running_mean + momentum * mean
    running_var[...] = (1 - momentum) * running_var + momentum * var * (count / (count - 1))


def _channel_xhat(x, stat, mean, var, use_input_stats, eps):
    r"""A new (N, C, S) array $\hat x$, from the input's or the running statistics, and $1/\sqrt{\sigma^2+\epsilon}$."""
    if use_input_stats:
        xhat, _, _, invstd = _standardize(x, stat, eps)
        return xhat, invstd
    invstd = 1.0 / np.sqrt(var + eps)  # (C,)
    xhat = x - _expand(mean, "c", x.shape[2])  # (N, C, S)
    xhat *= _expand(invstd, "c", x.shape[2])
    return xhat, invstd


def _channel_norm(x, stat, running, stats, weight, bias, use_input_stats, momentum, eps):
    """Forward of batch_norm (``stat="c"``) and instance_norm (``"nc"``); ``running`` are the arrays to update."""
    x3 = _ncs(x)  # (N, C, S)
    if use_input_stats and running[0] is not None:
        xhat, mean, var, _ = _standardize(x3, stat, eps)
        _update_running(*running, mean, var, _count(x3, stat), momentum)
    else:
        xhat, _ = _channel_xhat(x3, stat, *stats, use_input_stats, eps)
    return _affine(xhat, weight, bias, "c").reshape(x.shape)


def _channel_norm_backward(g, x, stat, stats, weight, bias, use_input_stats, eps):
    """Backward of batch_norm / instance_norm: ``(grad_input, grad_weight, grad_bias)``."""
    g3, x3 = _ncs(g), _ncs(x)  # (N, C, S)
    if not use_input_stats:  # the statistics are constants: an affine map
        xhat, invstd = _channel_xhat(x3, stat, *stats, use_input_stats, eps)
        grad_weight, grad_bias = _param_grads(g3, xhat, weight, bias, "c")
        grad_x = g3 * _expand(invstd if weight is None else invstd * weight, "c", g3.shape[2])
        return grad_x.reshape(x.shape), grad_weight, grad_bias
    # gamma is constant over each statistic's values, so the sums of g are those of dL/dxhat / gamma
    centered, _, var = _center(x3, stat)  # (N, C, S): x - mu, without the pass dividing by sigma
    invstd = 1.0 / np.sqrt(var + eps)
    grad_x, sum_g, sum_gxhat = _standardize_backward(g3, centered, invstd, stat, weight)
    if stat == "nc":
        sum_g, sum_gxhat = sum_g.sum(axis=0), sum_gxhat.sum(axis=0)  # (C,): over n too
    return grad_x.reshape(x.shape), None if weight is None else sum_gxhat, None if bias is None else sum_g


def _check_batch_norm(fn, x, running_mean, running_var, weight, bias, training, update):
    x, *arrays = _check_channel_norm(fn, x, running_mean, running_var, weight, bias, training, "training", update,
                                     (2, 3, 4, 5))
    if training and math.prod(x.shape) == x.shape[1]:  # N * |s| == 1
        raise ValueError(f"{fn}: expected more than 1 value per channel when training, got input of shape {x.shape}")
    return x, *arrays


def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5):
    r"""Batch normalization: standardize each channel over the batch and spatial axes.

    $$ \mu_c = \frac{1}{M}\sum_{n,s} x_{n,c,s}, \qquad
       \sigma_c^2 = \frac{1}{M}\sum_{n,s} (x_{n,c,s} - \mu_c)^2, \qquad M = N \cdot |s| $$

    $$ y_{n,c,s} = \gamma_c \, \frac{x_{n,c,s} - \mu_c}{\sqrt{\sigma_c^2 + \epsilon}} + \beta_c $$

    In training (``training=True``) $\mu_c, \sigma_c^2$ are the batch's
    statistics and, when running statistics are given, they are updated in place:

    $$ \hat\mu_c \leftarrow (1 - m)\,\hat\mu_c + m\,\mu_c, \qquad
       \hat\sigma_c^2 \leftarrow (1 - m)\,\hat\sigma_c^2 + m\,\frac{M}{M-1}\sigma_c^2 $$

    In evaluation (``training=False``) the running statistics
    $\hat\mu_c, \hat\sigma_c^2$ take the place of $\mu_c, \sigma_c^2$.
    $s$ runs over the spatial positions: none for ``(N, C)``, ``L``, ``H, W`` or ``D, H, W``.

    Parameters
    ----------
    x : (N, C), (N, C, L), (N, C, H, W) or (N, C, D, H, W) array_like
    running_mean : (C,) ndarray or None
        $\hat\mu$. Required when ``training=False``. When ``training=True`` it
        must be a writable floating ndarray (or ``None`` with ``running_var``):
        it is updated in place.
    running_var : (C,) ndarray or None
        $\hat\sigma^2$, the running *unbiased* variance; same rules as ``running_mean``.
    weight : (C,) array_like, optional
        $\gamma$ (PyTorch's modules initialize it to ones). ``None`` means 1.
    bias : (C,) array_like, optional
        $\beta$ (initialized to zeros). ``None`` means 0.
    training : bool
        Normalize with the batch's statistics (and update the running ones) if
        True, with the running statistics if False.
    momentum : float
        $m$, the weight of the *new* batch statistic (PyTorch's convention, default
        0.1). Keras / TensorFlow's ``momentum=0.9`` weights the old value instead
        and corresponds to ``momentum=0.1`` here.
    eps : float
        $\epsilon \ge 0$, added to the variance inside the square root.

    Returns
    -------
    y : ndarray
        Same shape as ``x``. Its dtype is the common floating dtype of ``x``,
        ``weight`` and ``bias``; the running statistics do not affect it.

    Raises
    ------
    ValueError
        If ``x`` is not 2- to 5-D; if a running statistic, ``weight`` or ``bias``
        does not have shape ``(C,)``; if only one of the running statistics is
        given, or none in evaluation mode; if training with one value per channel
        ($M = 1$); if a running statistic to update is read-only.
    TypeError
        If a running statistic to update is not a floating ndarray; if
        ``momentum`` is None or ``training`` is not a bool.

    See Also
    --------
    batch_norm_backward : gradients of this op.
    instance_norm : statistics per sample and channel.
    layer_norm, group_norm : statistics per sample.

    Notes
    -----
    The running statistics are updated in place, in their own dtype, and only
    when ``training=True`` and they are given: the one documented in-place effect
    in nnref. The unbiased variance $\frac{M}{M-1}\sigma_c^2$ goes into
    ``running_var`` while the biased $\sigma_c^2$ normalizes the batch, as in
    PyTorch. PyTorch's modules accept ``momentum=None`` for a cumulative average;
    ``torch.nn.functional.batch_norm`` does not, and neither does this function:
    passing ``momentum=1/k`` at the $k$-th step gives that average.

    Backward rule: see :func:`batch_norm_backward`.

    Examples
    --------
    A batch of 4 samples with 2 features on different scales. In training each
    feature comes out with mean 0 and standard deviation 1 (up to $\epsilon$):

    >>> import numpy as np
    >>> import nnref
    >>> x = np.array([[0.0, 10.0], [3.0, 70.0], [0.0, 40.0], [3.0, 40.0]])
    >>> running_mean, running_var = np.zeros(2), np.ones(2)
    >>> y = nnref.batch_norm(x, running_mean, running_var, training=True)
    >>> np.round(y, 4)
    array([[-1.    , -1.4142],
           [ 1.    ,  1.4142],
           [-1.    ,  0.    ],
           [ 1.    ,  0.    ]])
    >>> np.round(y.std(axis=0), 4)
    array([1., 1.])

    The batch means are (1.5, 40) and the unbiased variances (9/3, 1800/3) = (3, 600),
    so one step with momentum 0.1 gives $0.9 \cdot 0 + 0.1 \cdot (1.5, 40)$ and
    $0.9 \cdot 1 + 0.1 \cdot (3, 600)$:

    >>> running_mean
    array([0.15, 4.  ])
    >>> running_var
    array([ 1.2, 60.9])

    In evaluation mode those running statistics normalize, and nothing is updated:

    >>> nnref.batch_norm(np.array([[0.15, 4.0]]), running_mean, running_var, np.array([2.0, 2.0]),
    ...                  np.array([0.5, -1.0]))
    array([[ 0.5, -1. ]])
    """
    fn = "batch_norm"
    training, momentum, eps = _check_flag(training, fn, "training"), _check_momentum(momentum, fn), _check_eps(eps, fn)
    x, mean, var, weight, bias = _check_batch_norm(fn, x, running_mean, running_var, weight, bias, training, True)
    return _channel_norm(x, "c", (running_mean, running_var), (mean, var), weight, bias, training, momentum, eps)


def batch_norm_backward(grad_output, x, running_mean, running_var, weight=None, bias=None, training=False,
                        momentum=0.1, eps=1e-5):
    r"""Gradients of :func:`batch_norm` with respect to ``x``, ``weight`` and ``bias``.

    With $g = \partial L / \partial y$, $\hat x$ the normalized input and sums over $n, s$:

    $$ \frac{\partial L}{\partial \gamma_c} = \sum_{n,s} g_{n,c,s} \hat x_{n,c,s}, \qquad
       \frac{\partial L}{\partial \beta_c} = \sum_{n,s} g_{n,c,s} $$

    $$ \frac{\partial L}{\partial x_{n,c,s}} = \frac{\gamma_c}{M\sqrt{\sigma_c^2+\epsilon}}
       \Big( M g_{n,c,s} - \sum_{n',s'} g_{n',c,s'}
       - \hat x_{n,c,s} \sum_{n',s'} g_{n',c,s'} \hat x_{n',c,s'} \Big) \quad \text{(training)} $$

    $$ \frac{\partial L}{\partial x_{n,c,s}} = \frac{\gamma_c \, g_{n,c,s}}{\sqrt{\hat\sigma_c^2+\epsilon}}
       \quad \text{(evaluation: the running statistics are constants)} $$

    Parameters
    ----------
    grad_output : array_like
        $\partial L / \partial y$, the shape of ``x``.
    x, running_mean, running_var, weight, bias, training, momentum, eps
        As passed to :func:`batch_norm` (``momentum`` is checked but unused).

    Returns
    -------
    grad_input : ndarray
        The shape of ``x``.
    grad_weight : (C,) ndarray or None
        ``None`` when ``weight`` is None.
    grad_bias : (C,) ndarray or None
        ``None`` when ``bias`` is None.

    Raises
    ------
    ValueError, TypeError
        As :func:`batch_norm`; also if ``grad_output`` does not have the shape of ``x``.

    See Also
    --------
    batch_norm : the forward pass.

    Notes
    -----
    This function never updates the running statistics (only the forward pass
    does), so calling it after the forward step leaves them as the forward left
    them. In training the batch statistics are recomputed from ``x``; the
    gradient flows through them (the two sums above), which is why the
    gradient of a channel sums to zero when $\gamma$ is constant.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> x = np.array([[0.0, 10.0], [3.0, 70.0], [0.0, 40.0], [3.0, 40.0]])
    >>> grad_x, grad_w, grad_b = nnref.batch_norm_backward(
    ...     np.ones((4, 2)), x, None, None, np.ones(2), np.zeros(2), training=True)
    >>> np.round(grad_x, 12) + 0.0  # a constant shift of y cannot come from x
    array([[0., 0.],
           [0., 0.],
           [0., 0.],
           [0., 0.]])
    >>> grad_b
    array([4., 4.])
    """
    fn = "batch_norm_backward"
    training, _, eps = _check_flag(training, fn, "training"), _check_momentum(momentum, fn), _check_eps(eps, fn)
    x, mean, var, weight, bias = _check_batch_norm(fn, x, running_mean, running_var, weight, bias, training, False)
    g = v.grad_output(grad_output, x.shape, fn)
    g, x, mean, var, weight, bias = _cast(np.result_type(g, x), g, x, mean, var, weight, bias)
    return _channel_norm_backward(g, x, "c", (mean, var), weight, bias, training, eps)


# --- layer normalization -----------------------------------------------------------------------


def _check_layer_norm(fn, x, normalized_shape, weight, bias):
    """Return x, weight, bias and the normalized shape as a tuple."""
    x, weight, bias = v.as_float_arrays(fn, x=x, weight=weight, bias=bias)
    if isinstance(normalized_shape, (tuple, list)):
        if not normalized_shape:
            raise ValueError(f"{fn}: normalized_shape must have at least one entry, got {normalized_shape!r}")
        shape = tuple(v.integer(d, fn, "normalized_shape", 1) for d in normalized_shape)
    else:
        shape = (v.integer(normalized_shape, fn, "normalized_shape", 1),)
    k = len(shape)
    if x.ndim < k or x.shape[x.ndim - k:] != shape:
        raise ValueError(f"{fn}: x must have shape (*, {', '.join(map(str, shape))}) to match normalized_shape "
                         f"{shape}, got shape {x.shape}")
    for name, arr in (("weight", weight), ("bias", bias)):
        if arr is not None and arr.shape != shape:
            raise ValueError(f"{fn}: {name} must have normalized_shape {shape}, got shape {arr.shape}")
    return x, weight, bias, shape


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    r"""Layer normalization: standardize each sample over its trailing ``normalized_shape`` axes.

    $$ \mu_b = \frac{1}{M}\sum_{f} x_{b,f}, \qquad
       \sigma_b^2 = \frac{1}{M}\sum_{f} (x_{b,f} - \mu_b)^2, \qquad
       y_{b,f} = \gamma_f \frac{x_{b,f} - \mu_b}{\sqrt{\sigma_b^2 + \epsilon}} + \beta_f $$

    $f$ indexes the trailing axes given by ``normalized_shape`` ($M$ values),
    $b$ the leading axes (the batch, and for a sequence also the positions). The
    statistics do not mix samples, so training and evaluation compute the same
    thing and there are no running statistics.

    Parameters
    ----------
    x : (*, *normalized_shape) array_like
    normalized_shape : int or tuple of int
        The trailing shape of ``x`` to normalize over; an int means ``(int,)``.
    weight : (*normalized_shape) array_like, optional
        $\gamma$, one per normalized element (initialized to ones). ``None`` means 1.
    bias : (*normalized_shape) array_like, optional
        $\beta$ (initialized to zeros). ``None`` means 0.
    eps : float
        $\epsilon \ge 0$, added to the variance inside the square root.

    Returns
    -------
    y : ndarray
        Same shape as ``x``, common floating dtype of ``x``, ``weight`` and ``bias``.

    Raises
    ------
    ValueError
        If ``x`` does not end with ``normalized_shape``, or ``weight`` / ``bias``
        do not have that shape.

    See Also
    --------
    layer_norm_backward : gradients of this op.
    group_norm : with one group it normalizes over the same values, but has a per-channel $\gamma$.

    Notes
    -----
    Backward rule: see :func:`layer_norm_backward`.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> x = np.array([[1.0, 2.0, 3.0], [10.0, 10.0, 40.0]])
    >>> np.round(nnref.layer_norm(x, 3), 4)
    array([[-1.2247,  0.    ,  1.2247],
           [-0.7071, -0.7071,  1.4142]])
    """
    fn = "layer_norm"
    eps = _check_eps(eps, fn)
    x, weight, bias, shape = _check_layer_norm(fn, x, normalized_shape, weight, bias)
    x3 = x.reshape(-1, 1, math.prod(shape))  # (B, 1, F): one channel, the letters n, c, s are b, 1, f
    return _affine(_standardize(x3, "nc", eps)[0], weight, bias, "s").reshape(x.shape)


def layer_norm_backward(grad_output, x, normalized_shape, weight=None, bias=None, eps=1e-5):
    r"""Gradients of :func:`layer_norm` with respect to ``x``, ``weight`` and ``bias``.

    $$ \frac{\partial L}{\partial \gamma_f} = \sum_b g_{b,f} \hat x_{b,f}, \qquad
       \frac{\partial L}{\partial \beta_f} = \sum_b g_{b,f}, \qquad
       \frac{\partial L}{\partial x_{b,f}} = \frac{1}{\sqrt{\sigma_b^2+\epsilon}} \Big( \bar g_{b,f}
       - \frac{1}{M}\sum_{f'} \bar g_{b,f'} - \hat x_{b,f} \frac{1}{M}\sum_{f'} \bar g_{b,f'} \hat x_{b,f'} \Big) $$

    with $g = \partial L / \partial y$ and $\bar g_{b,f} = \gamma_f g_{b,f}$.

    Parameters
    ----------
    grad_output : (*, *normalized_shape) array_like
        $\partial L / \partial y$, the shape of ``x``.
    x, normalized_shape, weight, bias, eps
        As passed to :func:`layer_norm`.

    Returns
    -------
    grad_input : ndarray
        The shape of ``x``.
    grad_weight, grad_bias : (*normalized_shape) ndarray or None
        ``None`` for a ``weight`` or ``bias`` passed as None.

    See Also
    --------
    layer_norm : the forward pass.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> x = np.array([[1.0, 2.0, 3.0]])
    >>> grad_x, grad_w, grad_b = nnref.layer_norm_backward(np.array([[0.0, 0.0, 1.0]]), x, 3, np.ones(3))

    By hand: $\sigma = \sqrt{2/3}$, $\hat x = (-1.2247, 0, 1.2247)$, the means of
    $g$ and $g \hat x$ are $1/3$ and $0.4082$, so
    $\partial L/\partial x = (g - 1/3 - 0.4082\, \hat x)/\sigma$:

    >>> np.round(grad_x, 4)
    array([[ 0.2041, -0.4082,  0.2041]])
    >>> np.round(grad_w, 4), grad_b is None
    (array([0.    , 0.    , 1.2247]), True)
    """
    fn = "layer_norm_backward"
    eps = _check_eps(eps, fn)
    x, weight, bias, shape = _check_layer_norm(fn, x, normalized_shape, weight, bias)
    g = v.grad_output(grad_output, x.shape, fn)
    g, x, weight, bias = _cast(np.result_type(g, x), g, x, weight, bias)
    g3, x3 = (a.reshape(-1, 1, math.prod(shape)) for a in (g, x))  # (B, 1, F)
    xhat, _, _, invstd = _standardize(x3, "nc", eps)
    grad_weight, grad_bias = _param_grads(g3, xhat, weight, bias, "s")
    grad_xhat = g3 if weight is None else g3 * _param(weight, "s", None)
    grad_x = _standardize_backward(grad_xhat, xhat, np.ones_like(invstd), "nc", invstd)[0]  # xhat, 1/sigma as scale
    return grad_x.reshape(x.shape), grad_weight, grad_bias


# --- instance normalization --------------------------------------------------------------------


def _check_instance_norm(fn, x, running_mean, running_var, weight, bias, use_input_stats, update):
    x, *arrays = _check_channel_norm(fn, x, running_mean, running_var, weight, bias, use_input_stats,
                                     "use_input_stats", update, (3, 4, 5))
    if use_input_stats and math.prod(x.shape[2:]) == 1:
        raise ValueError(f"{fn}: expected more than 1 spatial element when use_input_stats=True, "
                         f"got input of shape {x.shape}")
    return x, *arrays


def instance_norm(x, running_mean=None, running_var=None, weight=None, bias=None, use_input_stats=True,
                  momentum=0.1, eps=1e-5):
    r"""Instance normalization: standardize each channel of each sample over its spatial axes.

    $$ \mu_{n,c} = \frac{1}{M}\sum_{s} x_{n,c,s}, \qquad
       \sigma_{n,c}^2 = \frac{1}{M}\sum_{s} (x_{n,c,s} - \mu_{n,c})^2, \qquad M = |s| $$

    $$ y_{n,c,s} = \gamma_c \frac{x_{n,c,s} - \mu_{n,c}}{\sqrt{\sigma_{n,c}^2 + \epsilon}} + \beta_c $$

    Used in style transfer and image generators, where the contrast of one
    image should not depend on the rest of the batch.

    Parameters
    ----------
    x : (N, C, L), (N, C, H, W) or (N, C, D, H, W) array_like
    running_mean, running_var : (C,) ndarray or None
        Optional running statistics, as in :func:`batch_norm`. With
        ``use_input_stats=True`` they are updated in place (so they must be
        writable floating ndarrays) with the per-instance statistics averaged
        over the batch: $\hat\mu_c \leftarrow (1-m)\hat\mu_c + \frac{m}{N}\sum_n \mu_{n,c}$
        and likewise $\hat\sigma^2_c$ with the unbiased $\frac{M}{M-1}\sigma^2_{n,c}$.
        With ``use_input_stats=False`` they are required and normalize instead of
        $\mu_{n,c}, \sigma^2_{n,c}$.
    weight, bias : (C,) array_like, optional
        $\gamma$ and $\beta$, per channel. ``None`` means 1 and 0.
    use_input_stats : bool
        Normalize with each instance's statistics (True, the usual case) or with
        the running statistics (False).
    momentum : float
        $m$, the weight of the new statistic (PyTorch's convention; see :func:`batch_norm`).
    eps : float
        $\epsilon \ge 0$.

    Returns
    -------
    y : ndarray
        Same shape as ``x``, common floating dtype of ``x``, ``weight`` and ``bias``.

    Raises
    ------
    ValueError
        If ``x`` is not 3- to 5-D; if a running statistic, ``weight`` or ``bias``
        does not have shape ``(C,)``; if only one running statistic is given, or
        none with ``use_input_stats=False``; if ``use_input_stats=True`` and there
        is one spatial element ($M = 1$).

    See Also
    --------
    instance_norm_backward : gradients of this op.
    batch_norm : statistics shared by the batch.
    group_norm : ``group_norm(x, C)`` equals ``instance_norm(x)`` up to $\gamma, \beta$.

    Notes
    -----
    This is ``torch.nn.functional.instance_norm``, running-statistics path
    included: the in-place update is the same documented effect as in
    :func:`batch_norm`. With ``use_input_stats=False`` it is batch norm in
    evaluation mode. Backward rule: see :func:`instance_norm_backward`.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> x = np.array([[[1.0, 3.0], [10.0, 30.0]]])  # (N, C, L) = (1, 2, 2)
    >>> np.round(nnref.instance_norm(x), 4)
    array([[[-1.,  1.],
            [-1.,  1.]]])
    """
    fn = "instance_norm"
    use_input_stats = _check_flag(use_input_stats, fn, "use_input_stats")
    momentum, eps = _check_momentum(momentum, fn), _check_eps(eps, fn)
    x, mean, var, weight, bias = _check_instance_norm(fn, x, running_mean, running_var, weight, bias,
                                                      use_input_stats, True)
    return _channel_norm(x, "nc", (running_mean, running_var), (mean, var), weight, bias, use_input_stats,
                         momentum, eps)


def instance_norm_backward(grad_output, x, running_mean=None, running_var=None, weight=None, bias=None,
                           use_input_stats=True, momentum=0.1, eps=1e-5):
    r"""Gradients of :func:`instance_norm` with respect to ``x``, ``weight`` and ``bias``.

    The rule of :func:`batch_norm_backward` with the sums over $s$ only, for each
    $(n, c)$; $\partial L/\partial\gamma_c$ and $\partial L/\partial\beta_c$ still sum over $n$ and $s$:

    $$ \frac{\partial L}{\partial x_{n,c,s}} = \frac{\gamma_c}{M\sqrt{\sigma_{n,c}^2+\epsilon}}
       \Big( M g_{n,c,s} - \sum_{s'} g_{n,c,s'} - \hat x_{n,c,s} \sum_{s'} g_{n,c,s'} \hat x_{n,c,s'} \Big) $$

    With ``use_input_stats=False`` the statistics are constants and
    $\partial L/\partial x = \gamma_c g / \sqrt{\hat\sigma_c^2 + \epsilon}$.

    Parameters
    ----------
    grad_output : array_like
        $\partial L / \partial y$, the shape of ``x``.
    x, running_mean, running_var, weight, bias, use_input_stats, momentum, eps
        As passed to :func:`instance_norm` (``momentum`` is checked but unused).

    Returns
    -------
    grad_input : ndarray
    grad_weight, grad_bias : (C,) ndarray or None

    See Also
    --------
    instance_norm : the forward pass.

    Notes
    -----
    Never updates the running statistics.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> x = np.array([[[1.0, 3.0], [10.0, 30.0]]])
    >>> grad_x, grad_w, grad_b = nnref.instance_norm_backward(np.ones((1, 2, 2)), x, bias=np.zeros(2))
    >>> np.round(grad_x, 12) + 0.0, grad_w, grad_b
    (array([[[0., 0.],
             [0., 0.]]]), None, array([2., 2.]))
    """
    fn = "instance_norm_backward"
    use_input_stats = _check_flag(use_input_stats, fn, "use_input_stats")
    _, eps = _check_momentum(momentum, fn), _check_eps(eps, fn)
    x, mean, var, weight, bias = _check_instance_norm(fn, x, running_mean, running_var, weight, bias,
                                                      use_input_stats, False)
    g = v.grad_output(grad_output, x.shape, fn)
    g, x, mean, var, weight, bias = _cast(np.result_type(g, x), g, x, mean, var, weight, bias)
    return _channel_norm_backward(g, x, "nc", (mean, var), weight, bias, use_input_stats, eps)


# --- group normalization -----------------------------------------------------------------------


def _group_scale(invstd, channels, weight=None):
    """(N, C): $1/\\sqrt{\\sigma^2_{n,\\mathrm{grp}(c)}+\\epsilon}$ from the (N, G) ``invstd``, times $\\gamma_c$ if given."""
    scale = np.repeat(invstd, channels // invstd.shape[1], axis=1)  # (N, C)
    return scale if weight is None else scale * weight


def _group_sum(per_channel, num_groups):
    """Sum an (N, C) array over the channels of each group: (N, G)."""
    return per_channel.reshape(per_channel.shape[0], num_groups, -1).sum(axis=2)  # (N, G, C/G) -> (N, G)


def _check_group_norm(fn, x, num_groups, weight, bias):
    x, weight, bias = v.as_float_arrays(fn, x=x, weight=weight, bias=bias)
    v.ndim(x, (2, 3, 4, 5), fn, layout="(N, C, *) with 0 to 3 spatial axes")
    num_groups = v.integer(num_groups, fn, "num_groups", 1)
    if x.shape[1] % num_groups:
        raise ValueError(f"{fn}: num_groups must divide the {x.shape[1]} channels of x, got num_groups={num_groups}")
    _check_per_channel(fn, x.shape[1], weight=weight, bias=bias)
    if x.size == num_groups:
        raise ValueError(f"{fn}: expected more than 1 value per group, got input of shape {x.shape} "
                         f"with num_groups={num_groups}")
    return x, num_groups, weight, bias


def group_norm(x, num_groups, weight=None, bias=None, eps=1e-5):
    r"""Group normalization: standardize each group of channels of each sample.

    The $C$ channels are split into $G$ consecutive groups of $C/G$; with
    $k$ running over the channels of group $\mathrm{grp}$ and $s$ over the spatial positions:

    $$ \mu_{n,\mathrm{grp}} = \frac{1}{M}\sum_{k,s} x_{n,k,s}, \qquad
       \sigma_{n,\mathrm{grp}}^2 = \frac{1}{M}\sum_{k,s} (x_{n,k,s} - \mu_{n,\mathrm{grp}})^2,
       \qquad M = \frac{C}{G} |s| $$

    $$ y_{n,c,s} = \gamma_c \frac{x_{n,c,s} - \mu_{n,\mathrm{grp}(c)}}{\sqrt{\sigma_{n,\mathrm{grp}(c)}^2 + \epsilon}} + \beta_c $$

    ``num_groups=1`` normalizes each sample over all its values (layer norm with
    a per-channel $\gamma$); ``num_groups=C`` is instance norm.

    Parameters
    ----------
    x : (N, C, *) array_like
        With 0 to 3 spatial axes.
    num_groups : int
        $G$; it must divide $C$.
    weight, bias : (C,) array_like, optional
        $\gamma$ and $\beta$, per channel (not per group). ``None`` means 1 and 0.
    eps : float
        $\epsilon \ge 0$.

    Returns
    -------
    y : ndarray
        Same shape as ``x``, common floating dtype of ``x``, ``weight`` and ``bias``.

    Raises
    ------
    ValueError
        If ``num_groups`` does not divide $C$; if ``weight`` or ``bias`` does not
        have shape ``(C,)``; if the input has one value per group and one sample
        (PyTorch's check; with more samples a one-value group normalizes to 0).

    See Also
    --------
    group_norm_backward : gradients of this op.

    Notes
    -----
    Backward rule: see :func:`group_norm_backward`.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> x = np.array([[1.0, 3.0, 10.0, 30.0]])  # (N, C) = (1, 4), groups {0, 1} and {2, 3}
    >>> np.round(nnref.group_norm(x, 2), 4)
    array([[-1.,  1., -1.,  1.]])
    """
    fn = "group_norm"
    eps = _check_eps(eps, fn)
    x, num_groups, weight, bias = _check_group_norm(fn, x, num_groups, weight, bias)
    centered, _, var = _center(_ncs(x, num_groups), "nc")  # (N, G, M), (N, G)
    y = centered.reshape(_ncs(x).shape)  # (N, C, S)
    y *= _group_scale(1.0 / np.sqrt(var + eps), x.shape[1], weight)[:, :, None]  # gamma_c / sigma: one pass
    if bias is not None:
        y += _param(bias, "c", y.shape[2])
    return y.reshape(x.shape)


def group_norm_backward(grad_output, x, num_groups, weight=None, bias=None, eps=1e-5):
    r"""Gradients of :func:`group_norm` with respect to ``x``, ``weight`` and ``bias``.

    The rule of :func:`batch_norm_backward` with the sums over the group's
    channels $k$ and positions $s$, for each sample; the weight and bias
    gradients sum over $n$ and $s$ per channel:

    $$ \frac{\partial L}{\partial x_{n,c,s}} = \frac{1}{\sqrt{\sigma_{n,\mathrm{grp}}^2+\epsilon}}
       \Big( \bar g_{n,c,s} - \frac{1}{M}\sum_{k,s'} \bar g_{n,k,s'}
       - \hat x_{n,c,s} \frac{1}{M}\sum_{k,s'} \bar g_{n,k,s'} \hat x_{n,k,s'} \Big),
       \qquad \bar g_{n,c,s} = \gamma_c g_{n,c,s} $$

    Parameters
    ----------
    grad_output : (N, C, *) array_like
        $\partial L / \partial y$, the shape of ``x``.
    x, num_groups, weight, bias, eps
        As passed to :func:`group_norm`.

    Returns
    -------
    grad_input : (N, C, *) ndarray
    grad_weight, grad_bias : (C,) ndarray or None

    See Also
    --------
    group_norm : the forward pass.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> x = np.array([[1.0, 3.0, 10.0, 30.0]])
    >>> grad_x, grad_w, grad_b = nnref.group_norm_backward(np.ones((1, 4)), x, 2, np.ones(4), np.zeros(4))
    >>> np.round(grad_w, 4), grad_b
    (array([-1.,  1., -1.,  1.]), array([1., 1., 1., 1.]))
    """
    fn = "group_norm_backward"
    eps = _check_eps(eps, fn)
    x, num_groups, weight, bias = _check_group_norm(fn, x, num_groups, weight, bias)
    g = v.grad_output(grad_output, x.shape, fn)
    g, x, weight, bias = _cast(np.result_type(g, x), g, x, weight, bias)
    g3 = _ncs(g)  # (N, C, S)
    centered, _, var = _center(_ncs(x, num_groups), "nc")  # (N, G, M), (N, G)
    invstd = 1.0 / np.sqrt(var + eps)  # (N, G)
    sum_g = np.einsum("ncs->nc", g3)  # sums over s of g and of g xhat, per sample and channel
    sum_gxhat = np.vecdot(g3, centered.reshape(g3.shape)) * _group_scale(invstd, x.shape[1])  # (N, C)
    gamma = 1.0 if weight is None else weight
    count = centered.shape[2]  # M
    mean_gbar = _group_sum(sum_g * gamma, num_groups) / count  # (N, G), gbar = gamma g
    mean_gbar_xhat = _group_sum(sum_gxhat * gamma, num_groups) / count
    # (gbar - mean gbar - xhat mean(gbar xhat)) / sigma, term by term, with xhat = centered / sigma;
    # the factors per (n, group) broadcast along rows of M values, gamma as a (1, C, S) plane
    grad_x = centered  # reuse the buffer
    grad_x *= (-invstd * mean_gbar_xhat)[:, :, None]
    grad_x -= mean_gbar[:, :, None]
    grad_x.reshape(g3.shape)[...] += g3 if weight is None else g3 * _param(weight, "c", g3.shape[2])
    grad_x *= invstd[:, :, None]
    grad_weight = None if weight is None else sum_gxhat.sum(axis=0)
    return grad_x.reshape(x.shape), grad_weight, None if bias is None else sum_g.sum(axis=0)
