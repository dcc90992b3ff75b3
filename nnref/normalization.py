r"""Normalization layers: batch, layer, instance and group normalization, with backward passes.

All four standardize the input over some axes, with the mean and the *biased*
variance of those axes and a small $\epsilon$ inside the square root, then
scale and shift the result with learnable $\gamma$ (``weight``) and $\beta$
(``bias``):

$$ \hat x = \frac{x - \mu}{\sqrt{v + \epsilon}}, \qquad y = \gamma \hat x + \beta $$

They differ only in the axes the statistics run over. Letters
([Conventions](../conventions.md#shapes-and-letters)): $N$ batch, $C$ channels, $i$ a
spatial position and $S$ their number (1, $L$, $H W$ or $D H W$), $M$ the number of
values that share one mean $\mu$ and variance $v$.

| function | one $(\mu, v)$ per | averaged over | $\gamma, \beta$ shape |
| --- | --- | --- | --- |
| [batch_norm][nnref.normalization.batch_norm] | channel | $N$ and $S$ | $(C,)$ |
| [layer_norm][nnref.normalization.layer_norm] | sample (and leading axes) | the trailing ``normalized_shape`` axes | ``normalized_shape`` |
| [instance_norm][nnref.normalization.instance_norm] | sample and channel | $S$ | $(C,)$ |
| [group_norm][nnref.normalization.group_norm] | sample and group of channels | the group's channels and $S$ | $(C,)$ |

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


# --8<-- [start:standardize]
def _standardize(x, eps):
    r"""$\hat x_{n,g,m} = (x_{n,g,m} - \mu_g)/\sqrt{v_g + \epsilon}$ on an $(N, G, M)$ view of the input.

    $\mu_g$ and $v_g$ are the mean and the biased variance of the $N M$ values $x_{:,g,:}$.
    Batch norm views its input as $(N, C, S)$, one statistic per channel; layer, instance and
    group norm view theirs as $(1, G, M)$, one statistic per row: per sample, per sample and
    channel, per sample and group. Returns $\hat x$, $\mu$ and $v$.
    """
    count = x.shape[0] * x.shape[2]  # the N M values of one statistic
    mean = np.einsum("ngm->g", x) / count  # mu_g
    xhat = x - mean[:, None]  # x - mu, divided by the standard deviation below
    var = np.vecdot(xhat, xhat).sum(axis=0) / count  # v_g: dot products over m, summed over n; biased
    xhat /= np.sqrt(var + eps)[:, None]
    return xhat, mean, var


def _standardize_backward(grad_xhat, xhat, var, eps):
    r"""$\partial\mathcal{L}/\partial x = \big(\hat g - \operatorname{mean}(\hat g) - \hat x \operatorname{mean}(\hat g\, \hat x)\big)/\sqrt{v + \epsilon}$.

    $\hat g = \partial\mathcal{L}/\partial\hat x$ on the $(N, G, M)$ view of :func:`_standardize`, the
    means over its $N M$ values per $g$: the three terms are the paths through $x$ itself,
    through $\mu$ and through $v$. The result is built term by term in ``xhat``'s memory, which
    is overwritten (a fresh array costs about as much as a pass over it). Also returns the sums
    of $\hat g$ and $\hat g \hat x$ per $g$: with $\gamma$ outside the view, they are the gradients
    of $\beta$ and $\gamma$.
    """
    count = xhat.shape[0] * xhat.shape[2]
    sum_g = np.einsum("ngm->g", grad_xhat)
    sum_gx = np.vecdot(grad_xhat, xhat).sum(axis=0)  # dot products over m, summed over n
    grad_x = xhat  # overwritten from here on
    grad_x *= -(sum_gx / count)[:, None]  # - xhat mean(g xhat)
    grad_x += grad_xhat  # + g
    grad_x -= (sum_g / count)[:, None]  # - mean(g)
    grad_x /= np.sqrt(var + eps)[:, None]
    return grad_x, sum_g, sum_gx
# --8<-- [end:standardize]


def _affine(xhat, weight, bias, shape):
    r"""$y = \gamma \hat x + \beta$, with ``weight`` and ``bias`` (None: 1 and 0) reshaped to ``shape``.

    Computed in ``xhat``'s memory, a fresh array of the caller's (a new one costs about a pass).
    """
    if weight is not None:
        xhat *= weight.reshape(shape)
    if bias is not None:
        xhat += bias.reshape(shape)
    return xhat


def _param_grads(g, xhat, weight, bias):
    r"""$\partial\mathcal{L}/\partial\gamma_c = \sum_{n,i} g_{n,c,i}\, \hat x_{n,c,i}$ and $\partial\mathcal{L}/\partial\beta_c = \sum_{n,i} g_{n,c,i}$ on ``(N, C, S)`` views."""
    grad_weight = None if weight is None else np.vecdot(g, xhat).sum(axis=0).reshape(weight.shape)
    grad_bias = None if bias is None else np.einsum("nci->c", g).reshape(bias.shape)
    return grad_weight, grad_bias


# --8<-- [start:channel-norm]
def _channel_norm(x, running, stats, weight, bias, use_input_stats, momentum, eps, view):
    """Batch norm (``view=(N, C, -1)``) and instance norm (``view=(1, N C, -1)``), see :func:`_standardize`.

    With ``use_input_stats`` the input's statistics normalize it, and update the ``running``
    ones in place when given; otherwise the running statistics ``stats`` do.
    """
    x3 = x.reshape(x.shape[0], x.shape[1], -1)  # (N, C, S)
    if use_input_stats:
        xhat, mean, var = _standardize(x3.reshape(view), eps)
        if running[0] is not None:
            _update_running(*running, mean, var, x.size // mean.size, momentum)
    else:
        xhat = (x3 - stats[0][:, None]) / np.sqrt(stats[1][:, None] + eps)  # constants: an affine map of x
    return _affine(xhat.reshape(x3.shape), weight, bias, (-1, 1)).reshape(x.shape)


def _update_running(running_mean, running_var, mean, var, count, momentum):
    r"""$\hat\mu \leftarrow (1 - \text{momentum})\,\hat\mu + \text{momentum}\,\mu$, the same for $\hat v$ with $\frac{M}{M - 1} v$, in place.

    ``count`` is $M$; instance norm's per-sample statistics are averaged over the batch first.
    """
    channels = running_mean.shape[0]
    mean, var = mean.reshape(-1, channels).mean(axis=0), var.reshape(-1, channels).mean(axis=0)  # (C,)
    running_mean[...] = (1 - momentum) * running_mean + momentum * mean
    running_var[...] = (1 - momentum) * running_var + momentum * var * (count / (count - 1))  # unbiased


def _channel_norm_backward(g, x, stats, weight, bias, use_input_stats, eps, view):
    """The gradients of :func:`_channel_norm` (the running statistics are never updated here)."""
    g3, x3 = g.reshape(g.shape[0], g.shape[1], -1), x.reshape(x.shape[0], x.shape[1], -1)  # (N, C, S)
    if use_input_stats:  # the gradient flows through the input's statistics too
        xhat, _, var = _standardize(x3.reshape(view), eps)
        grad_x, sum_g, sum_gx = _standardize_backward(g3.reshape(view), xhat, var, eps)
        grad_x = grad_x.reshape(x3.shape)
        if weight is not None:
            grad_x *= weight[:, None]  # gamma is constant over each statistic's values: it factors out
        grad_weight = None if weight is None else sum_gx.reshape(-1, x.shape[1]).sum(axis=0)  # per channel
        grad_bias = None if bias is None else sum_g.reshape(-1, x.shape[1]).sum(axis=0)
    else:
        xhat = (x3 - stats[0][:, None]) / np.sqrt(stats[1][:, None] + eps)
        grad_weight, grad_bias = _param_grads(g3, xhat, weight, bias)
        grad_x = g3 * ((1 if weight is None else weight[:, None]) / np.sqrt(stats[1][:, None] + eps))
    return grad_x.reshape(x.shape), grad_weight, grad_bias
# --8<-- [end:channel-norm]


def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5):
    r"""Batch normalization: standardize each channel over the batch and spatial axes.

    Concept page: [Batch normalization](../concepts/batch-normalization.md#standardizing-over-the-batch).

    $$ \mu_c = \frac{1}{M}\sum_{n,i} x_{n,c,i}, \qquad
       v_c = \frac{1}{M}\sum_{n,i} (x_{n,c,i} - \mu_c)^2, \qquad M = N S $$

    $$ y_{n,c,i} = \gamma_c \, \frac{x_{n,c,i} - \mu_c}{\sqrt{v_c + \epsilon}} + \beta_c $$

    In training (``training=True``) $\mu_c, v_c$ are the batch's
    statistics and, when running statistics are given, they are updated in place:

    $$ \hat\mu_c \leftarrow (1 - \text{momentum})\,\hat\mu_c + \text{momentum}\,\mu_c, \qquad
       \hat v_c \leftarrow (1 - \text{momentum})\,\hat v_c + \text{momentum}\,\frac{M}{M-1}v_c $$

    In evaluation (``training=False``) the running statistics
    $\hat\mu_c, \hat v_c$ take the place of $\mu_c, v_c$.
    $i$ runs over the spatial positions: none for ``(N, C)``, ``L``, ``H, W`` or ``D, H, W``.

    Parameters
    ----------
    x : (N, C), (N, C, L), (N, C, H, W) or (N, C, D, H, W) array_like
    running_mean : (C,) ndarray or None
        $\hat\mu$. Required when ``training=False``. When ``training=True`` it
        must be a writable floating ndarray (or ``None`` with ``running_var``):
        it is updated in place.
    running_var : (C,) ndarray or None
        $\hat v$, the running *unbiased* variance; same rules as ``running_mean``.
    weight : (C,) array_like, optional
        $\gamma$ (PyTorch's modules initialize it to ones). ``None`` means 1.
    bias : (C,) array_like, optional
        $\beta$ (initialized to zeros). ``None`` means 0.
    training : bool
        Normalize with the batch's statistics (and update the running ones) if
        True, with the running statistics if False.
    momentum : float
        The weight of the *new* batch statistic (PyTorch's convention, default
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
    in nnref. The unbiased variance $\frac{M}{M-1}v_c$ goes into
    ``running_var`` while the biased $v_c$ normalizes the batch, as in
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
    x, stats, weight, bias, training, momentum, eps = v.channel_norm_args(
        "batch_norm", x, running_mean, running_var, weight, bias, training, momentum, eps, "training", update=True)
    return _channel_norm(x, (running_mean, running_var), stats, weight, bias, training, momentum, eps,
                         view=(x.shape[0], x.shape[1], -1))


def batch_norm_backward(grad_output, x, running_mean, running_var, weight=None, bias=None, training=False,
                        momentum=0.1, eps=1e-5):
    r"""Gradients of :func:`batch_norm` with respect to ``x``, ``weight`` and ``bias``.

    Concept page: [Batch normalization: the backward rule](../concepts/batch-normalization.md#the-backward-rule).

    With $g = \partial\mathcal{L} / \partial y$, $\hat x$ the normalized input and sums over $n, s$:

    $$ \frac{\partial\mathcal{L}}{\partial \gamma_c} = \sum_{n,i} g_{n,c,i} \hat x_{n,c,i}, \qquad
       \frac{\partial\mathcal{L}}{\partial \beta_c} = \sum_{n,i} g_{n,c,i} $$

    $$ \frac{\partial\mathcal{L}}{\partial x_{n,c,i}} = \frac{\gamma_c}{M\sqrt{v_c+\epsilon}}
       \Big( M g_{n,c,i} - \sum_{n',i'} g_{n',c,i'}
       - \hat x_{n,c,i} \sum_{n',i'} g_{n',c,i'} \hat x_{n',c,i'} \Big) \quad \text{(training)} $$

    $$ \frac{\partial\mathcal{L}}{\partial x_{n,c,i}} = \frac{\gamma_c \, g_{n,c,i}}{\sqrt{\hat v_c+\epsilon}}
       \quad \text{(evaluation: the running statistics are constants)} $$

    Parameters
    ----------
    grad_output : array_like
        $\partial\mathcal{L} / \partial y$, the shape of ``x``.
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
    x, stats, weight, bias, training, _, eps = v.channel_norm_args(
        fn, x, running_mean, running_var, weight, bias, training, momentum, eps, "training", update=False)
    g, x, *stats, weight, bias = v.same_dtype(v.grad_output(grad_output, x.shape, fn), x, *stats, weight, bias)
    return _channel_norm_backward(g, x, stats, weight, bias, training, eps, view=(x.shape[0], x.shape[1], -1))


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    r"""Layer normalization: standardize each sample over its trailing ``normalized_shape`` axes.

    Concept page: [Batch normalization: normalizing over other axes](../concepts/batch-normalization.md#normalizing-over-other-axes).

    $$ \mu_n = \frac{1}{M}\sum_{m} x_{n,m}, \qquad
       v_n = \frac{1}{M}\sum_{m} (x_{n,m} - \mu_n)^2, \qquad
       y_{n,m} = \gamma_m \frac{x_{n,m} - \mu_n}{\sqrt{v_n + \epsilon}} + \beta_m $$

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
    x, weight, bias, shape, eps = v.layer_norm_args("layer_norm", x, normalized_shape, weight, bias, eps)
    xhat, _, _ = _standardize(x.reshape(1, -1, math.prod(shape)), eps)  # (1, B, M): one statistic per row
    return _affine(xhat.reshape(x.shape), weight, bias, shape)


def layer_norm_backward(grad_output, x, normalized_shape, weight=None, bias=None, eps=1e-5):
    r"""Gradients of :func:`layer_norm` with respect to ``x``, ``weight`` and ``bias``.

    Concept page: [Batch normalization: the backward rule](../concepts/batch-normalization.md#the-backward-rule).

    $$ \frac{\partial\mathcal{L}}{\partial \gamma_m} = \sum_n g_{n,m} \hat x_{n,m}, \qquad
       \frac{\partial\mathcal{L}}{\partial \beta_m} = \sum_n g_{n,m}, \qquad
       \frac{\partial\mathcal{L}}{\partial x_{n,m}} = \frac{1}{\sqrt{v_n+\epsilon}} \Big( \bar g_{n,m}
       - \frac{1}{M}\sum_{m'} \bar g_{n,m'} - \hat x_{n,m} \frac{1}{M}\sum_{m'} \bar g_{n,m'} \hat x_{n,m'} \Big) $$

    with $g = \partial\mathcal{L} / \partial y$ and $\bar g_{n,m} = \gamma_m g_{n,m}$.

    Parameters
    ----------
    grad_output : (*, *normalized_shape) array_like
        $\partial\mathcal{L} / \partial y$, the shape of ``x``.
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

    By hand: $v = 2/3$, $\hat x = (-1.2247, 0, 1.2247)$, the means of
    $g$ and $g \hat x$ are $1/3$ and $0.4082$, so
    $\partial\mathcal{L}/\partial x = (g - 1/3 - 0.4082\, \hat x)/\sqrt{v}$:

    >>> np.round(grad_x, 4)
    array([[ 0.2041, -0.4082,  0.2041]])
    >>> np.round(grad_w, 4), grad_b is None
    (array([0.    , 0.    , 1.2247]), True)
    """
    fn = "layer_norm_backward"
    x, weight, bias, shape, eps = v.layer_norm_args(fn, x, normalized_shape, weight, bias, eps)
    g, x, weight, bias = v.same_dtype(v.grad_output(grad_output, x.shape, fn), x, weight, bias)
    xhat, _, var = _standardize(x.reshape(1, -1, math.prod(shape)), eps)  # (1, B, M)
    g2, xhat2 = g.reshape(-1, 1, math.prod(shape)), xhat.reshape(-1, 1, math.prod(shape))  # gamma's entries as "channels"
    grad_weight, grad_bias = _param_grads(g2.transpose(1, 2, 0), xhat2.transpose(1, 2, 0), weight, bias)
    grad_xhat = g if weight is None else g * weight  # gamma broadcasts over the leading axes
    grad_x, _, _ = _standardize_backward(grad_xhat.reshape(xhat.shape), xhat, var, eps)
    return grad_x.reshape(x.shape), grad_weight, grad_bias


def instance_norm(x, running_mean=None, running_var=None, weight=None, bias=None, use_input_stats=True,
                  momentum=0.1, eps=1e-5):
    r"""Instance normalization: standardize each channel of each sample over its spatial axes.

    Concept page: [Batch normalization: normalizing over other axes](../concepts/batch-normalization.md#normalizing-over-other-axes).

    $$ \mu_{n,c} = \frac{1}{M}\sum_{i} x_{n,c,i}, \qquad
       v_{n,c} = \frac{1}{M}\sum_{i} (x_{n,c,i} - \mu_{n,c})^2, \qquad M = S $$

    $$ y_{n,c,i} = \gamma_c \frac{x_{n,c,i} - \mu_{n,c}}{\sqrt{v_{n,c} + \epsilon}} + \beta_c $$

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
        and likewise $\hat v_c$ with the unbiased $\frac{M}{M-1}v_{n,c}$.
        With ``use_input_stats=False`` they are required and normalize instead of
        $\mu_{n,c}, v_{n,c}$.
    weight, bias : (C,) array_like, optional
        $\gamma$ and $\beta$, per channel. ``None`` means 1 and 0.
    use_input_stats : bool
        Normalize with each instance's statistics (True, the usual case) or with
        the running statistics (False).
    momentum : float
        The weight of the new statistic (PyTorch's convention; see :func:`batch_norm`).
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
    x, stats, weight, bias, use_input_stats, momentum, eps = v.channel_norm_args(
        "instance_norm", x, running_mean, running_var, weight, bias, use_input_stats, momentum, eps,
        "use_input_stats", update=True)
    return _channel_norm(x, (running_mean, running_var), stats, weight, bias, use_input_stats, momentum, eps,
                         view=(1, -1, math.prod(x.shape[2:])))


def instance_norm_backward(grad_output, x, running_mean=None, running_var=None, weight=None, bias=None,
                           use_input_stats=True, momentum=0.1, eps=1e-5):
    r"""Gradients of :func:`instance_norm` with respect to ``x``, ``weight`` and ``bias``.

    Concept page: [Batch normalization: the backward rule](../concepts/batch-normalization.md#the-backward-rule).

    The rule of :func:`batch_norm_backward` with the sums over $i$ only, for each
    $(n, c)$; $\partial\mathcal{L}/\partial\gamma_c$ and $\partial\mathcal{L}/\partial\beta_c$ still sum over $n$ and $i$:

    $$ \frac{\partial\mathcal{L}}{\partial x_{n,c,i}} = \frac{\gamma_c}{M\sqrt{v_{n,c}+\epsilon}}
       \Big( M g_{n,c,i} - \sum_{i'} g_{n,c,i'} - \hat x_{n,c,i} \sum_{i'} g_{n,c,i'} \hat x_{n,c,i'} \Big) $$

    With ``use_input_stats=False`` the statistics are constants and
    $\partial\mathcal{L}/\partial x = \gamma_c g / \sqrt{\hat v_c + \epsilon}$.

    Parameters
    ----------
    grad_output : array_like
        $\partial\mathcal{L} / \partial y$, the shape of ``x``.
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
    >>> np.round(grad_x[0], 12) + 0.0  # a shift of each instance's output cannot come from x
    array([[0., 0.],
           [0., 0.]])
    >>> grad_w, grad_b
    (None, array([2., 2.]))
    """
    fn = "instance_norm_backward"
    x, stats, weight, bias, use_input_stats, _, eps = v.channel_norm_args(
        fn, x, running_mean, running_var, weight, bias, use_input_stats, momentum, eps, "use_input_stats",
        update=False)
    g, x, *stats, weight, bias = v.same_dtype(v.grad_output(grad_output, x.shape, fn), x, *stats, weight, bias)
    return _channel_norm_backward(g, x, stats, weight, bias, use_input_stats, eps, view=(1, -1, math.prod(x.shape[2:])))


def group_norm(x, num_groups, weight=None, bias=None, eps=1e-5):
    r"""Group normalization: standardize each group of channels of each sample.

    Concept page: [Batch normalization: normalizing over other axes](../concepts/batch-normalization.md#normalizing-over-other-axes).

    The $C$ channels are split into $G$ consecutive groups of $C/G$; with
    $c'$ running over the channels of group $\mathrm{grp}$ and $i$ over the spatial positions:

    $$ \mu_{n,\mathrm{grp}} = \frac{1}{M}\sum_{c',i} x_{n,c',i}, \qquad
       v_{n,\mathrm{grp}} = \frac{1}{M}\sum_{c',i} (x_{n,c',i} - \mu_{n,\mathrm{grp}})^2,
       \qquad M = \frac{C}{G} S $$

    $$ y_{n,c,i} = \gamma_c \frac{x_{n,c,i} - \mu_{n,\mathrm{grp}(c)}}{\sqrt{v_{n,\mathrm{grp}(c)} + \epsilon}} + \beta_c $$

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
    x, num_groups, weight, bias, eps = v.group_norm_args("group_norm", x, num_groups, weight, bias, eps)
    xhat, _, _ = _standardize(x.reshape(1, x.shape[0] * num_groups, -1), eps)  # (1, N G, M): per sample and group
    return _affine(xhat.reshape(x.shape[0], x.shape[1], -1), weight, bias, (-1, 1)).reshape(x.shape)


def group_norm_backward(grad_output, x, num_groups, weight=None, bias=None, eps=1e-5):
    r"""Gradients of :func:`group_norm` with respect to ``x``, ``weight`` and ``bias``.

    Concept page: [Batch normalization: the backward rule](../concepts/batch-normalization.md#the-backward-rule).

    The rule of :func:`batch_norm_backward` with the sums over the group's
    channels $c'$ and positions $i$, for each sample; the weight and bias
    gradients sum over $n$ and $i$ per channel:

    $$ \frac{\partial\mathcal{L}}{\partial x_{n,c,i}} = \frac{1}{\sqrt{v_{n,\mathrm{grp}}+\epsilon}}
       \Big( \bar g_{n,c,i} - \frac{1}{M}\sum_{c',i'} \bar g_{n,c',i'}
       - \hat x_{n,c,i} \frac{1}{M}\sum_{c',i'} \bar g_{n,c',i'} \hat x_{n,c',i'} \Big),
       \qquad \bar g_{n,c,i} = \gamma_c g_{n,c,i} $$

    Parameters
    ----------
    grad_output : (N, C, *) array_like
        $\partial\mathcal{L} / \partial y$, the shape of ``x``.
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
    x, num_groups, weight, bias, eps = v.group_norm_args(fn, x, num_groups, weight, bias, eps)
    g, x, weight, bias = v.same_dtype(v.grad_output(grad_output, x.shape, fn), x, weight, bias)
    (n, c), g3 = x.shape[:2], g.reshape(x.shape[0], x.shape[1], -1)  # (N, C, S)
    xhat, _, var = _standardize(x.reshape(1, n * num_groups, -1), eps)  # (1, N G, M)
    grad_weight, grad_bias = _param_grads(g3, xhat.reshape(n, c, -1), weight, bias)
    grad_xhat = g3 if weight is None else g3 * weight[:, None]  # gamma per channel, the statistics per group
    grad_x, _, _ = _standardize_backward(grad_xhat.reshape(xhat.shape), xhat, var, eps)
    return grad_x.reshape(x.shape), grad_weight, grad_bias
