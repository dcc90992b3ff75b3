r"""Activation functions, their derivatives and their backward passes.

An activation $f$ is applied elementwise to its input $x$: $y = f(x)$. Each function ``f``
here comes with

* ``f_derivative(x, ...)``: the pointwise derivative $f'(x)$, of the shape and dtype of
  ``f(x)``;
* ``f_backward(grad_output, x, ...)``: the gradient $\partial\mathcal{L}/\partial x =
  g \odot f'(x)$, with $g = \partial\mathcal{L}/\partial y$ = ``grad_output``, computed as
  ``grad_output * f_derivative(x, ...)``.

Both take the keywords of ``f``. At a kink the derivative takes the value PyTorch's autograd
uses, stated in each entry. :func:`softmax` and :func:`log_softmax` act along one axis, so they
have a backward pass but no pointwise derivative. What every function shares is stated once on
the Conventions page: [dtypes](../conventions.md#dtypes), [errors](../conventions.md#errors) and
[backward functions](../conventions.md#backward-functions).
"""

import math

import numpy as np

from . import _validation as v
from ._special import normal_cdf as Phi
from ._special import normal_pdf as phi

__all__ = [
    "identity", "identity_derivative", "identity_backward",
    "relu", "relu_derivative", "relu_backward",
    "leaky_relu", "leaky_relu_derivative", "leaky_relu_backward",
    "prelu", "prelu_derivative", "prelu_backward",
    "rrelu", "rrelu_derivative", "rrelu_backward",
    "bipolar_relu", "bipolar_relu_derivative", "bipolar_relu_backward",
    "sigmoid", "sigmoid_derivative", "sigmoid_backward",
    "tanh", "tanh_derivative", "tanh_backward",
    "arctan", "arctan_derivative", "arctan_backward",
    "binary_step", "binary_step_derivative", "binary_step_backward",
    "elu", "elu_derivative", "elu_backward",
    "selu", "selu_derivative", "selu_backward",
    "gelu", "gelu_derivative", "gelu_backward",
    "softsign", "softsign_derivative", "softsign_backward",
    "softplus", "softplus_derivative", "softplus_backward",
    "isru", "isru_derivative", "isru_backward",
    "isrlu", "isrlu_derivative", "isrlu_backward",
    "sqnl", "sqnl_derivative", "sqnl_backward",
    "silu", "silu_derivative", "silu_backward",
    "mish", "mish_derivative", "mish_backward",
    "hardtanh", "hardtanh_derivative", "hardtanh_backward",
    "softmax", "softmax_backward",
    "log_softmax", "log_softmax_backward",
]

# Constants are Python floats, so that float32 arrays stay float32 (NEP 50).
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_LAMBDA = 1.0507009873554804934193349852946
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


# ----------------------------------------------------------------------------- identity
def identity(x):
    r"""Identity activation: returns a copy of ``x``.

    Concept page: [Activation functions: identity](../concepts/activations.md#identity).

    $$ f(x) = x, \qquad f'(x) = 1 $$

    A network whose activations are all the identity collapses to one linear map, whatever
    its depth; the identity is useful only as an output layer for regression or as a baseline.

    Parameters
    ----------
    x : (*) array_like

    Returns
    -------
    y : (*) ndarray
        A new array equal to ``x``, in its floating dtype ([Conventions](../conventions.md#dtypes)).

    Raises
    ------
    TypeError
        If ``x`` is not a real numeric array ([Conventions](../conventions.md#errors)).

    See Also
    --------
    identity_derivative, identity_backward
    relu : the simplest nonlinear activation.

    Notes
    -----
    Backward: $\partial\mathcal{L}/\partial x = g$. PyTorch has no functional identity
    (``torch.nn.Identity`` returns its input unchanged).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.identity(np.array([-2.0, 0.0, 3.0]))  # a copy
    array([-2.,  0.,  3.])
    """
    return v.as_float_array(x, "identity").copy()


def identity_derivative(x):
    r"""Derivative of :func:`identity`: $f'(x) = 1$ everywhere.

    Concept page: [Activation functions: identity](../concepts/activations.md#identity).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.identity_derivative(np.array([-2.0, 0.0]))
    array([1., 1.])
    """
    return np.ones_like(v.as_float_array(x, "identity_derivative"))


def identity_backward(grad_output, x):
    r"""Gradient of :func:`identity`: $g$ itself, as a new array.

    Concept page: [Activation functions: identity](../concepts/activations.md#identity).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.identity_backward(np.array([0.5, -1.0]), np.array([3.0, 4.0]))  # g itself
    array([ 0.5, -1. ])
    """
    g, x = v.grad_and_input(grad_output, x, "identity_backward")
    return g * identity_derivative(x)


# ----------------------------------------------------------------------------- ReLU family
def relu(x):
    r"""Rectified linear unit.

    Concept page: [Activation functions: ReLU](../concepts/activations.md#relu).

    $$ f(x) = \max(0, x), \qquad f'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases} $$

    Positive inputs pass unchanged, the rest become 0. Its gradient does not shrink for
    $x > 0$, unlike a sigmoid's; a unit whose input stays negative gets no gradient at all.

    Parameters
    ----------
    x : (*) array_like

    Returns
    -------
    y : (*) ndarray
        Values $\ge 0$, in the floating dtype of ``x`` ([Conventions](../conventions.md#dtypes)).

    Raises
    ------
    TypeError
        If ``x`` is not a real numeric array ([Conventions](../conventions.md#errors)).

    See Also
    --------
    relu_derivative, relu_backward
    leaky_relu : keeps a small slope for $x \le 0$.

    Notes
    -----
    Backward: $\partial\mathcal{L}/\partial x = g \odot \mathbb{1}[x > 0]$. At the kink
    $x = 0$ the derivative is taken as 0, as in PyTorch.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.relu(np.array([-2.0, -0.5, 0.0, 1.5]))
    array([0. , 0. , 0. , 1.5])
    """
    x = v.as_float_array(x, "relu")
    return np.clip(x, 0.0, np.inf)  # max(x, 0)


def relu_derivative(x):
    r"""Derivative of :func:`relu`: $f'(x) = \mathbb{1}[x > 0]$, so 0 at the kink $x = 0$ (as PyTorch).

    Concept page: [Activation functions: ReLU](../concepts/activations.md#relu).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.relu_derivative(np.array([-1.0, 0.0, 2.0]))  # 0 at the kink
    array([0., 0., 1.])
    """
    x = v.as_float_array(x, "relu_derivative")
    return (x > 0).astype(x.dtype)


def relu_backward(grad_output, x):
    r"""Gradient of :func:`relu`: $g \odot \mathbb{1}[x > 0]$, with $g$ = ``grad_output``.

    Concept page: [Activation functions: ReLU](../concepts/activations.md#relu).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.relu_backward(np.array([5.0, 5.0, 5.0]), np.array([-1.0, 0.0, 2.0]))  # g passes where x > 0
    array([0., 0., 5.])
    """
    g, x = v.grad_and_input(grad_output, x, "relu_backward")
    return g * relu_derivative(x)


def leaky_relu(x, negative_slope=0.01):
    r"""Leaky ReLU: the identity for $x > 0$, a small slope for $x \le 0$.

    Concept page: [Activation functions: Leaky ReLU](../concepts/activations.md#leaky-relu).

    $$ f(x) = \max(0, x) + \text{negative_slope} \cdot \min(0, x), \qquad
       f'(x) = \begin{cases} 1 & x > 0 \\ \text{negative_slope} & x \le 0 \end{cases} $$

    The small slope keeps a gradient flowing through units whose input is negative, which
    plain ReLU blocks. For a slope up to 1, the usual case,
    $f(x) = \max(x, \text{negative_slope} \cdot x)$: the larger of the two lines.

    Parameters
    ----------
    x : (*) array_like
    negative_slope : float, default 0.01
        The slope for $x \le 0$ (any real number, as in PyTorch).

    Returns
    -------
    y : (*) ndarray
        In the floating dtype of ``x`` ([Conventions](../conventions.md#dtypes)): $x$ where $x > 0$,
        else ``negative_slope`` times $x$.

    Raises
    ------
    TypeError
        If ``negative_slope`` is not a real number; for ``x``, see [Conventions](../conventions.md#errors).

    See Also
    --------
    leaky_relu_derivative, leaky_relu_backward
    prelu : the slope is learned.
    rrelu : the slope is random during training.

    Notes
    -----
    At the kink $x = 0$ the derivative is ``negative_slope``, as in PyTorch. A slope up to 1
    is computed as $\max(x, \text{negative_slope} \cdot x)$ in one array: two passes over
    it, where the general formula takes four passes and three arrays (about three times as
    long). Backward: $\partial\mathcal{L}/\partial x = g \odot f'(x)$.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.leaky_relu(np.array([-2.0, 0.0, 3.0]), negative_slope=0.5)  # half of x below 0
    array([-1.,  0.,  3.])
    """
    x = v.as_float_array(x, "leaky_relu")
    negative_slope = v.real(negative_slope, "leaky_relu", "negative_slope")
    if negative_slope <= 1:  # the usual case: the larger of x and slope x, computed in one array
        y = np.multiply(negative_slope, x, out=np.empty_like(x))  # slope x (an array also for 0-D x)
        return np.maximum(x, y, out=y)
    return np.maximum(x, 0.0) + negative_slope * np.minimum(x, 0.0)  # any slope


def leaky_relu_derivative(x, negative_slope=0.01):
    r"""Derivative of :func:`leaky_relu`: 1 for $x > 0$, else ``negative_slope`` (also at the kink, as PyTorch).

    Concept page: [Activation functions: Leaky ReLU](../concepts/activations.md#leaky-relu).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.leaky_relu_derivative(np.array([-1.0, 0.0, 2.0]), negative_slope=0.5)  # slope at 0
    array([0.5, 0.5, 1. ])
    """
    x = v.as_float_array(x, "leaky_relu_derivative")
    negative_slope = v.real(negative_slope, "leaky_relu_derivative", "negative_slope")
    positive = x > 0  # not positive: x <= 0, and NaN, which gets the slope too (as in PyTorch)
    return positive + np.multiply(~positive, negative_slope, dtype=x.dtype)  # 1[x > 0] + slope 1[x <= 0]


def leaky_relu_backward(grad_output, x, negative_slope=0.01):
    r"""Gradient of :func:`leaky_relu`: $g$ times 1 for $x > 0$, times ``negative_slope`` for $x \le 0$.

    Concept page: [Activation functions: Leaky ReLU](../concepts/activations.md#leaky-relu).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.leaky_relu_backward(np.full(3, 4.0), np.array([-1.0, 0.0, 2.0]), negative_slope=0.5)
    array([2., 2., 4.])
    """
    negative_slope = v.real(negative_slope, "leaky_relu_backward", "negative_slope")
    g, x = v.grad_and_input(grad_output, x, "leaky_relu_backward")
    return g * leaky_relu_derivative(x, negative_slope)


def prelu(x, weight):
    r"""Parametric ReLU: leaky ReLU whose negative slope $w$ is a learned parameter.

    Concept page: [Activation functions: parametric and randomized ReLU](../concepts/activations.md#parametric-and-randomized-relu).

    $$ y_{n,c,\dots} = \max(0, x_{n,c,\dots}) + w_c \min(0, x_{n,c,\dots}), \qquad
       \frac{\partial y}{\partial x} = \begin{cases} 1 & x > 0 \\ w_c & x \le 0 \end{cases} $$

    One slope $w$ shared by every unit, or one slope $w_c$ per channel $c$ (dim 1).

    Parameters
    ----------
    x : (N, C, *) array_like
        A 0-D or 1-D input has a single channel.
    weight : (1,) or (C,) array_like
        The slopes $w$ (a 0-D array also counts as one slope).

    Returns
    -------
    y : (N, C, *) ndarray
        In the common floating dtype of ``x`` and ``weight`` ([Conventions](../conventions.md#dtypes)).

    Raises
    ------
    ValueError
        If ``weight`` has neither 1 element nor one per channel.
    TypeError
        If ``x`` or ``weight`` is not a real numeric array ([Conventions](../conventions.md#errors)).

    See Also
    --------
    prelu_derivative, prelu_backward : gradients with respect to ``x`` (and ``weight``).
    leaky_relu : a fixed slope.

    Notes
    -----
    Backward: $\partial\mathcal{L}/\partial x = g \odot \partial y/\partial x$ and
    $\partial\mathcal{L}/\partial w_c = \sum g \cdot \min(0, x)$, summed over every position of
    channel $c$ (over everything for a single slope). At $x = 0$ the derivative with respect
    to $x$ is $w_c$, as in PyTorch. Slopes up to 1, the usual case, are computed as
    $\max(x, w_c x)$, as in :func:`leaky_relu`.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> x = np.array([[-2.0, -2.0], [1.0, -4.0]])  # (N=2, C=2)
    >>> nnref.prelu(x, np.array([0.5, 0.25]))
    array([[-1. , -0.5],
           [ 1. , -1. ]])
    """
    x, _, w = v.prelu_args("prelu", x, weight)
    if np.all(w <= 1):  # the usual slopes: the larger of x and w x, computed in one array
        y = np.multiply(w, x, out=np.empty_like(x))  # w x (an array also for 0-D x)
        return np.maximum(x, y, out=y)
    return np.maximum(x, 0.0) + w * np.minimum(x, 0.0)  # any slopes


def prelu_derivative(x, weight):
    r"""Derivative of :func:`prelu` with respect to ``x``: 1 for $x > 0$, the slope $w_c$ for $x \le 0$.

    Concept page: [Activation functions: parametric and randomized ReLU](../concepts/activations.md#parametric-and-randomized-relu).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.prelu_derivative(np.array([[-1.0, 0.0, 2.0]]), np.array([0.25]))  # one slope for all
    array([[0.25, 0.25, 1.  ]])
    """
    x, _, w = v.prelu_args("prelu_derivative", x, weight)
    positive = x > 0  # not positive: x <= 0, and NaN, which gets the slope too (as in PyTorch)
    return positive + np.multiply(~positive, w, dtype=x.dtype)  # 1[x > 0] + w_c 1[x <= 0]


def prelu_backward(grad_output, x, weight):
    r"""Gradients of :func:`prelu` with respect to ``x`` and ``weight``.

    Concept page: [Activation functions: parametric and randomized ReLU](../concepts/activations.md#parametric-and-randomized-relu).

    $$ \frac{\partial\mathcal{L}}{\partial x} = g \odot \frac{\partial y}{\partial x}, \qquad
       \frac{\partial\mathcal{L}}{\partial w_c} = \sum_{n, \dots} g_{n,c,\dots} \min(0, x_{n,c,\dots}) $$

    with $g$ = ``grad_output``. Returns ``(grad_input, grad_weight)``, ``grad_weight`` of the
    shape of ``weight``.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> x = np.array([[-2.0, -2.0], [1.0, -4.0]])
    >>> grad_x, grad_weight = nnref.prelu_backward(np.ones((2, 2)), x, np.array([0.5, 0.25]))
    >>> grad_weight
    array([-2., -6.])
    """
    x, weight, w = v.prelu_args("prelu_backward", x, weight)
    g = v.grad_output(grad_output, x.shape, "prelu_backward")
    channel_sum = None if weight.size == 1 else (0, *range(2, x.ndim))  # every axis but dim 1
    grad_weight = np.sum(g * np.minimum(x, 0.0), axis=channel_sum).reshape(weight.shape)
    return g * prelu_derivative(x, weight), grad_weight


def rrelu(x, lower=1.0 / 8, upper=1.0 / 3, training=False, rng=None):
    r"""Randomized leaky ReLU: the negative slope is drawn at random during training.

    Concept page: [Activation functions: parametric and randomized ReLU](../concepts/activations.md#parametric-and-randomized-relu).

    $$ f(x) = \max(0, x) + r \min(0, x), \qquad
       r \sim \mathcal{U}(\text{lower}, \text{upper}) \text{ (training)}, \quad
       r = \tfrac{\text{lower} + \text{upper}}{2} \text{ (eval)} $$

    In training every element gets its own slope $r$; in evaluation the mean slope is used,
    so ``rrelu(x)`` is ``leaky_relu(x, (lower + upper) / 2)``, as in PyTorch.

    Parameters
    ----------
    x : (*) array_like
    lower, upper : float, default 1/8 and 1/3
        Range of the random slope; ``lower <= upper``.
    training : bool, default False
        Draw random slopes (True) or use the mean slope (False).
    rng : numpy.random.Generator or int or None, default None
        Source of the slopes in training: a Generator, or a seed for
        ``numpy.random.default_rng``; None draws fresh entropy. Ignored in eval.

    Returns
    -------
    y : (*) ndarray
        In training each element $x \le 0$ is scaled by its own slope; in the floating dtype of
        ``x`` ([Conventions](../conventions.md#dtypes)).

    Raises
    ------
    ValueError
        If ``lower`` exceeds ``upper``.
    TypeError
        If ``x`` is not a real numeric array ([Conventions](../conventions.md#errors)), or if a
        keyword has the wrong type.

    See Also
    --------
    rrelu_derivative, rrelu_backward
    leaky_relu : what rrelu is in evaluation.

    Notes
    -----
    Convention for training: every call draws exactly
    ``rng.uniform(lower, upper, size=x.shape)`` once, one slope per element (the slopes of
    positive elements are drawn and ignored). The backward pass draws the slopes again the
    same way, so it must be given an ``rng`` in the state the forward pass started from: the
    same integer seed (simplest) or a copy of the Generator taken before the forward call.
    PyTorch instead stores the drawn slopes (its ``noise`` buffer) and draws from its own
    generator, so the training-mode slopes cannot match PyTorch's draws. Backward:
    $\partial\mathcal{L}/\partial x = g \odot f'(x)$, with $f'(x) = 1$ for $x > 0$ and $r$ for
    $x \le 0$, also at the kink $x = 0$, as in PyTorch.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> x = np.array([-3.0, 0.0, 2.0])
    >>> nnref.rrelu(x, lower=0.25, upper=0.75)  # eval: mean slope 0.5
    array([-1.5,  0. ,  2. ])
    >>> y = nnref.rrelu(x, training=True, rng=0)
    >>> bool(-1.0 <= y[0] <= -0.375)
    True
    """
    x = v.as_float_array(x, "rrelu")
    lower, upper, training, rng = v.rrelu_args("rrelu", lower, upper, training, rng)
    if not training:
        return leaky_relu(x, (lower + upper) / 2)
    # one slope per element, from a seed, a Generator, or fresh entropy (rng=None)
    r = np.random.default_rng(rng).uniform(lower, upper, size=x.shape).astype(x.dtype, copy=False)
    return np.maximum(x, 0.0) + r * np.minimum(x, 0.0)


def rrelu_derivative(x, lower=1.0 / 8, upper=1.0 / 3, training=False, rng=None):
    r"""Derivative of :func:`rrelu`: 1 for $x > 0$, the slope $r$ for $x \le 0$, drawn as there in training.

    Concept page: [Activation functions: parametric and randomized ReLU](../concepts/activations.md#parametric-and-randomized-relu).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.rrelu_derivative(np.array([-1.0, 0.0, 2.0]), lower=0.25, upper=0.75)  # eval: the mean slope
    array([0.5, 0.5, 1. ])
    """
    x = v.as_float_array(x, "rrelu_derivative")
    lower, upper, training, rng = v.rrelu_args("rrelu_derivative", lower, upper, training, rng)
    if not training:
        return leaky_relu_derivative(x, (lower + upper) / 2)
    # the slopes rrelu draws from the same rng
    r = np.random.default_rng(rng).uniform(lower, upper, size=x.shape).astype(x.dtype, copy=False)
    positive = x > 0  # not positive: x <= 0, and NaN, which gets the slope too (as in PyTorch)
    return positive + np.multiply(~positive, r, dtype=x.dtype)  # 1[x > 0] + r 1[x <= 0]


def rrelu_backward(grad_output, x, lower=1.0 / 8, upper=1.0 / 3, training=False, rng=None):
    r"""Gradient of :func:`rrelu`: $g$ times 1 for $x > 0$, times $r$ for $x \le 0$.

    Concept page: [Activation functions: parametric and randomized ReLU](../concepts/activations.md#parametric-and-randomized-relu).

    In training, pass the ``rng`` the forward pass used, in the same state (the same integer
    seed, or a copy of the Generator taken before the forward call), so that the same slopes
    are drawn again; ``rng=None`` is then a ``ValueError``.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> x = np.array([-3.0, 2.0])
    >>> y = nnref.rrelu(x, training=True, rng=7)
    >>> grad_x = nnref.rrelu_backward(np.ones(2), x, training=True, rng=7)
    >>> bool(np.allclose(grad_x * x, y))  # the forward's slopes
    True
    """
    args = v.rrelu_args("rrelu_backward", lower, upper, training, rng, backward=True)
    g, x = v.grad_and_input(grad_output, x, "rrelu_backward")  # checked before drawing from rng
    return g * rrelu_derivative(x, *args)


def bipolar_relu(x):
    r"""Bipolar ReLU: ReLU on the even units of dim 1, its mirror image on the odd units.

    Concept page: [Activation functions: bipolar ReLU](../concepts/activations.md#bipolar-relu).

    $$ y_{n,c,\dots} = \begin{cases} \max(0, x_{n,c,\dots}) & c \text{ even} \\
                                     \min(0, x_{n,c,\dots}) & c \text{ odd} \end{cases} $$

    Half the units pass only positive values and half only negative ones, so the layer's
    output is not biased towards positive values the way a ReLU layer's is (Eidnes and
    Nøkland, 2017).

    Parameters
    ----------
    x : (N, C, *) array_like
        Units (channels) on dim 1, counted from 0.

    Returns
    -------
    y : (N, C, *) ndarray
        In the floating dtype of ``x`` ([Conventions](../conventions.md#dtypes)).

    Raises
    ------
    ValueError
        If ``x`` has fewer than 2 dimensions.
    TypeError
        If ``x`` is not a real numeric array ([Conventions](../conventions.md#errors)).

    See Also
    --------
    bipolar_relu_derivative, bipolar_relu_backward
    relu : the even units' activation.

    Notes
    -----
    Backward: $\partial\mathcal{L}/\partial x = g \odot \mathbb{1}[x > 0]$ on even units and
    $g \odot \mathbb{1}[x < 0]$ on odd units; at $x = 0$ the derivative is 0 for both, which
    is what PyTorch's autograd gives for ``relu(x)`` and ``-relu(-x)``. PyTorch has no
    bipolar ReLU.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.bipolar_relu(np.array([[-1.0, -1.0, 2.0, 2.0]]))
    array([[ 0., -1.,  2.,  0.]])
    """
    x = v.bipolar_relu_input("bipolar_relu", x)
    y = np.maximum(x, 0.0)  # even units
    y[:, 1::2] = np.minimum(x[:, 1::2], 0.0)  # odd units
    return y


def bipolar_relu_derivative(x):
    r"""Derivative of :func:`bipolar_relu`: $\mathbb{1}[x > 0]$ on even units, $\mathbb{1}[x < 0]$ on odd ones.

    Concept page: [Activation functions: bipolar ReLU](../concepts/activations.md#bipolar-relu).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.bipolar_relu_derivative(np.array([[-1.0, -1.0, 0.0, 0.0]]))  # unit 1 passes x < 0
    array([[0., 1., 0., 0.]])
    """
    x = v.bipolar_relu_input("bipolar_relu_derivative", x)
    d = (x > 0).astype(x.dtype)  # even units
    d[:, 1::2] = x[:, 1::2] < 0  # odd units
    return d


def bipolar_relu_backward(grad_output, x):
    r"""Gradient of :func:`bipolar_relu`: $g$ where the unit passed its input, else 0.

    Concept page: [Activation functions: bipolar ReLU](../concepts/activations.md#bipolar-relu).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.bipolar_relu_backward(np.array([[3.0, 3.0]]), np.array([[2.0, 2.0]]))  # unit 1 blocks x > 0
    array([[3., 0.]])
    """
    x = v.bipolar_relu_input("bipolar_relu_backward", x)
    g = v.grad_output(grad_output, x.shape, "bipolar_relu_backward")
    return g * bipolar_relu_derivative(x)


# ----------------------------------------------------------------------------- saturating
def sigmoid(x):
    r"""Logistic sigmoid.

    Concept page: [Activation functions: sigmoid](../concepts/activations.md#sigmoid).

    $$ \sigma(x) = \frac{1}{1 + e^{-x}}, \qquad
       \sigma'(x) = \sigma(x)\,(1 - \sigma(x)) = \frac{1}{2\,(1 + \cosh x)} $$

    Range $(0, 1)$, increasing, centred on $\sigma(0) = 1/2$, which is also its inflection
    point. The derivative peaks at $x = 0$ with $\sigma'(0) = 1/4$ and decays like
    $e^{-|x|}$: a chain of $L$ sigmoid layers multiplies the gradient by at most $4^{-L}$
    (times the weights), the vanishing-gradient problem.

    Parameters
    ----------
    x : (*) array_like

    Returns
    -------
    y : (*) ndarray
        Values in $[0, 1]$ (exactly 0 or 1 only where float rounding saturates), in the
        floating dtype of ``x`` ([Conventions](../conventions.md#dtypes)).

    Raises
    ------
    TypeError
        If ``x`` is not a real numeric array ([Conventions](../conventions.md#errors)).

    See Also
    --------
    sigmoid_derivative, sigmoid_backward
    tanh : the same S-shape, centred on 0: $\tanh(x) = 2\sigma(2x) - 1$.
    silu : $x\,\sigma(x)$.

    Notes
    -----
    Computed as $1/(1 + e^{-x})$, as PyTorch does: for very negative $x$ (below $-88$ in
    float32) $e^{-x}$ overflows to infinity and the result is the correct limit 0, so that
    overflow is expected and silenced. Small outputs keep their full relative precision,
    which $\tfrac12(1 + \tanh(x/2))$ would lose. The derivative is computed as
    $1/(2(1 + \cosh x))$, in which nothing cancels: $1 - \sigma(x)$ rounds to 0 once
    $\sigma(x)$ rounds to 1 (from $x \approx 17$ in float32). Backward:
    $\partial\mathcal{L}/\partial x = g \odot \sigma(x)(1 - \sigma(x))$.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.sigmoid(np.array([-1e4, 0.0, 1e4]))  # saturated at both ends
    array([0. , 0.5, 1. ])

    The derivative is largest at 0, where it is 1/4:

    >>> np.round(nnref.sigmoid_derivative(np.array([-2.0, 0.0, 2.0])), 4)
    array([0.105, 0.25 , 0.105])
    """
    x = v.as_float_array(x, "sigmoid")
    with np.errstate(over="ignore"):  # e^{-x} = inf for x < -88 (float32): 1 / (1 + inf) = 0, the limit
        d = np.exp(-x)
    d += 1.0  # 1 + e^{-x}, in the array of e^{-x}
    return 1.0 / d


def sigmoid_derivative(x):
    r"""Derivative of :func:`sigmoid`: $\sigma(x)(1 - \sigma(x)) = 1/(2(1 + \cosh x))$, at most 1/4.

    Concept page: [Activation functions: sigmoid](../concepts/activations.md#sigmoid).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.sigmoid_derivative(np.array([0.0, 1e4]))  # at most 1/4
    array([0.25, 0.  ])
    """
    x = v.as_float_array(x, "sigmoid_derivative")
    with np.errstate(over="ignore"):  # cosh x = inf for |x| > 89 (float32): 1 / inf = 0, the limit
        return 0.5 / (1.0 + np.cosh(x))  # sigma (1 - sigma) would cancel to 0 where sigma rounds to 1


def sigmoid_backward(grad_output, x):
    r"""Gradient of :func:`sigmoid`: $g \odot \sigma(x)(1 - \sigma(x))$, with $g$ = ``grad_output``.

    Concept page: [Activation functions: sigmoid](../concepts/activations.md#sigmoid).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.sigmoid_backward(np.array([4.0, 2.0]), np.zeros(2))  # g / 4 at x = 0
    array([1. , 0.5])
    """
    g, x = v.grad_and_input(grad_output, x, "sigmoid_backward")
    return g * sigmoid_derivative(x)


def tanh(x):
    r"""Hyperbolic tangent.

    Concept page: [Activation functions: hyperbolic tangent](../concepts/activations.md#hyperbolic-tangent).

    $$ \tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1,
       \qquad \tanh'(x) = 1 - \tanh^2 x = \frac{1}{\cosh^2 x} $$

    Range $(-1, 1)$, increasing, zero-centred, $\tanh'(0) = 1$; it saturates for large $|x|$
    just like the sigmoid, so deep tanh networks also suffer from vanishing gradients.

    Parameters
    ----------
    x : (*) array_like

    Returns
    -------
    y : (*) ndarray
        Values in $(-1, 1)$ ($\pm 1$ only where float rounding saturates), in the floating dtype
        of ``x`` ([Conventions](../conventions.md#dtypes)).

    Raises
    ------
    TypeError
        If ``x`` is not a real numeric array ([Conventions](../conventions.md#errors)).

    See Also
    --------
    tanh_derivative, tanh_backward
    sigmoid : the same S-shape between 0 and 1.
    hardtanh : a piecewise-linear version.

    Notes
    -----
    The derivative is computed as $1/\cosh^2 x$, in which nothing cancels: $1 - \tanh^2 x$
    rounds to 0 once $\tanh x$ rounds to $\pm 1$ (from $|x| \approx 9$ in float32). Backward:
    $\partial\mathcal{L}/\partial x = g \odot (1 - \tanh^2 x)$.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.tanh(np.array([-1e4, 0.0, 1e4]))  # saturated
    array([-1.,  0.,  1.])
    """
    x = v.as_float_array(x, "tanh")
    return np.tanh(x)


def tanh_derivative(x):
    r"""Derivative of :func:`tanh`: $1 - \tanh^2 x = 1/\cosh^2 x$, at most 1 (at $x = 0$).

    Concept page: [Activation functions: hyperbolic tangent](../concepts/activations.md#hyperbolic-tangent).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.tanh_derivative(np.array([0.0, 1e4]))  # 1 at 0, then vanishing
    array([1., 0.])
    """
    x = v.as_float_array(x, "tanh_derivative")
    with np.errstate(over="ignore"):  # cosh x = inf for |x| > 89 (float32): 1 / inf = 0, the limit
        return 1.0 / np.cosh(x) ** 2  # 1 - tanh^2 would cancel to 0 where tanh rounds to +-1


def tanh_backward(grad_output, x):
    r"""Gradient of :func:`tanh`: $g \odot (1 - \tanh^2 x)$, with $g$ = ``grad_output``.

    Concept page: [Activation functions: hyperbolic tangent](../concepts/activations.md#hyperbolic-tangent).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.tanh_backward(np.array([3.0]), np.array([0.0]))  # tanh'(0) = 1
    array([3.])
    """
    g, x = v.grad_and_input(grad_output, x, "tanh_backward")
    return g * tanh_derivative(x)


def arctan(x):
    r"""Inverse tangent as an activation.

    Concept page: [Activation functions: arctangent](../concepts/activations.md#arctangent).

    $$ f(x) = \arctan(x), \qquad f'(x) = \frac{1}{1 + x^2} $$

    Range $(-\pi/2, \pi/2)$, increasing, zero-centred, smooth. Like tanh it saturates, but
    only polynomially ($f'$ decays like $1/x^2$, not exponentially).

    Parameters
    ----------
    x : (*) array_like

    Returns
    -------
    y : (*) ndarray
        Values in $(-\pi/2, \pi/2)$, in the floating dtype of ``x`` ([Conventions](../conventions.md#dtypes)).

    Raises
    ------
    TypeError
        If ``x`` is not a real numeric array ([Conventions](../conventions.md#errors)).

    See Also
    --------
    arctan_derivative, arctan_backward
    tanh : saturates faster: $1 - \tanh x \approx 2e^{-2x}$.

    Notes
    -----
    Backward: $\partial\mathcal{L}/\partial x = g / (1 + x^2)$. The PyTorch equivalent is
    ``torch.atan``.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.arctan(np.array([-1.0, 0.0, 1.0])) * 4 / np.pi
    array([-1.,  0.,  1.])
    """
    x = v.as_float_array(x, "arctan")
    return np.arctan(x)


def arctan_derivative(x):
    r"""Derivative of :func:`arctan`: $1 / (1 + x^2)$.

    Concept page: [Activation functions: arctangent](../concepts/activations.md#arctangent).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.arctan_derivative(np.array([0.0, 1.0, 3.0]))
    array([1. , 0.5, 0.1])
    """
    x = v.as_float_array(x, "arctan_derivative")
    return 1.0 / (1.0 + x * x)


def arctan_backward(grad_output, x):
    r"""Gradient of :func:`arctan`: $g / (1 + x^2)$, with $g$ = ``grad_output``.

    Concept page: [Activation functions: arctangent](../concepts/activations.md#arctangent).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.arctan_backward(np.array([2.0]), np.array([1.0]))  # 2 / (1 + 1)
    array([1.])
    """
    g, x = v.grad_and_input(grad_output, x, "arctan_backward")
    return g * arctan_derivative(x)


def binary_step(x):
    r"""Binary (Heaviside) step: 1 for $x \ge 0$, 0 for $x < 0$.

    Concept page: [Activation functions: binary step](../concepts/activations.md#binary-step).

    $$ f(x) = \begin{cases} 1 & x \ge 0 \\ 0 & x < 0 \end{cases}, \qquad f'(x) = 0 $$

    The perceptron's activation. Its derivative is 0 wherever it exists (and is taken as 0 at
    the jump $x = 0$ too), so no gradient flows through it: it cannot be trained by
    backpropagation.

    Parameters
    ----------
    x : (*) array_like

    Returns
    -------
    y : (*) ndarray
        0.0 and 1.0 in the floating dtype of ``x`` ([Conventions](../conventions.md#dtypes)).

    Raises
    ------
    TypeError
        If ``x`` is not a real numeric array ([Conventions](../conventions.md#errors)).

    See Also
    --------
    binary_step_derivative, binary_step_backward
    sigmoid : a smooth step, which backpropagation can train.

    Notes
    -----
    $f(0) = 1$, as ``torch.heaviside(x, torch.tensor(1.0))``. Backward returns zeros:
    PyTorch's ``heaviside`` has no gradient at all; nnref returns the almost-everywhere
    derivative 0 instead.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.binary_step(np.array([-0.5, 0.0, 2.0]))  # 1 from 0 on
    array([0., 1., 1.])
    """
    x = v.as_float_array(x, "binary_step")
    return (x >= 0).astype(x.dtype)


def binary_step_derivative(x):
    r"""Derivative of :func:`binary_step`: 0 everywhere, also at the jump $x = 0$.

    Concept page: [Activation functions: binary step](../concepts/activations.md#binary-step).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.binary_step_derivative(np.array([-1.0, 0.0, 1.0]))  # also 0 at the jump
    array([0., 0., 0.])
    """
    return np.zeros_like(v.as_float_array(x, "binary_step_derivative"))


def binary_step_backward(grad_output, x):
    r"""Gradient of :func:`binary_step`: zeros of the shape of ``x``.

    Concept page: [Activation functions: binary step](../concepts/activations.md#binary-step).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.binary_step_backward(np.array([3.0, 3.0]), np.array([-1.0, 1.0]))  # no gradient flows
    array([0., 0.])
    """
    g, x = v.grad_and_input(grad_output, x, "binary_step_backward")
    return g * binary_step_derivative(x)


def softsign(x):
    r"""Softsign: a rational, slowly saturating alternative to tanh.

    Concept page: [Activation functions: softsign](../concepts/activations.md#softsign).

    $$ f(x) = \frac{x}{1 + |x|}, \qquad f'(x) = \frac{1}{(1 + |x|)^2} $$

    Range $(-1, 1)$, increasing, zero-centred, $f'(0) = 1$; continuously differentiable (the
    second derivative jumps at 0). It approaches $\pm 1$ polynomially, so its gradient
    vanishes more slowly than tanh's.

    Parameters
    ----------
    x : (*) array_like

    Returns
    -------
    y : (*) ndarray
        Values in $(-1, 1)$, in the floating dtype of ``x`` ([Conventions](../conventions.md#dtypes)).

    Raises
    ------
    TypeError
        If ``x`` is not a real numeric array ([Conventions](../conventions.md#errors)).

    See Also
    --------
    softsign_derivative, softsign_backward
    tanh : saturates exponentially fast.
    isru : another rational tanh look-alike.

    Notes
    -----
    Backward: $\partial\mathcal{L}/\partial x = g / (1 + |x|)^2$; PyTorch's autograd gives the
    same value, 1, at $x = 0$.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.softsign(np.array([-3.0, 0.0, 1.0]))
    array([-0.75,  0.  ,  0.5 ])
    """
    x = v.as_float_array(x, "softsign")
    return x / (1.0 + np.abs(x))


def softsign_derivative(x):
    r"""Derivative of :func:`softsign`: $1 / (1 + |x|)^2$.

    Concept page: [Activation functions: softsign](../concepts/activations.md#softsign).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.softsign_derivative(np.array([-1.0, 0.0, 3.0]))  # 1 / 4, 1, 1 / 16
    array([0.25  , 1.    , 0.0625])
    """
    x = v.as_float_array(x, "softsign_derivative")
    return 1.0 / (1.0 + np.abs(x)) ** 2


def softsign_backward(grad_output, x):
    r"""Gradient of :func:`softsign`: $g / (1 + |x|)^2$, with $g$ = ``grad_output``.

    Concept page: [Activation functions: softsign](../concepts/activations.md#softsign).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.softsign_backward(np.array([4.0]), np.array([1.0]))  # 4 / (1 + 1)^2
    array([1.])
    """
    g, x = v.grad_and_input(grad_output, x, "softsign_backward")
    return g * softsign_derivative(x)


def isru(x, alpha=1.0):
    r"""Inverse square root unit (ISRU).

    Concept page: [Activation functions: ISRU](../concepts/activations.md#isru).

    $$ f(x) = \frac{x}{\sqrt{1 + \alpha x^2}}, \qquad f'(x) = (1 + \alpha x^2)^{-3/2} $$

    Range $(-1/\sqrt\alpha, 1/\sqrt\alpha)$, increasing, zero-centred, smooth, $f'(0) = 1$: a
    tanh-like curve that needs only a square root (Carlile et al., 2017).

    Parameters
    ----------
    x : (*) array_like
    alpha : float, default 1.0
        $\alpha > 0$; sets the saturation level $\pm 1/\sqrt\alpha$.

    Returns
    -------
    y : (*) ndarray
        In the floating dtype of ``x`` ([Conventions](../conventions.md#dtypes)): values in
        $(-1/\sqrt\alpha, 1/\sqrt\alpha)$.

    Raises
    ------
    ValueError
        If ``alpha <= 0``.
    TypeError
        If ``alpha`` is not a real number ([Conventions](../conventions.md#errors) lists the checks
        on ``x``).

    See Also
    --------
    isru_derivative, isru_backward
    isrlu : the identity for $x \ge 0$, ISRU below.
    softsign : $x / (1 + |x|)$.

    Notes
    -----
    Backward: $\partial\mathcal{L}/\partial x = g \odot (1 + \alpha x^2)^{-3/2}$. PyTorch has
    no ISRU.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.isru(np.array([-2.0, 0.0, 2.0]), alpha=0.75)  # 2 / sqrt(1 + 0.75 * 4)
    array([-1.,  0.,  1.])
    """
    x = v.as_float_array(x, "isru")
    alpha = v.positive(alpha, "isru", "alpha")
    return x / np.sqrt(1.0 + alpha * x * x)


def isru_derivative(x, alpha=1.0):
    r"""Derivative of :func:`isru`: $(1 + \alpha x^2)^{-3/2}$.

    Concept page: [Activation functions: ISRU](../concepts/activations.md#isru).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.isru_derivative(np.array([0.0, 2.0]), alpha=0.75)  # (1 + 0.75 * 4)^(-3/2) = 1/8
    array([1.   , 0.125])
    """
    x = v.as_float_array(x, "isru_derivative")
    alpha = v.positive(alpha, "isru_derivative", "alpha")
    return (1.0 + alpha * x * x) ** -1.5


def isru_backward(grad_output, x, alpha=1.0):
    r"""Gradient of :func:`isru`: $g \odot (1 + \alpha x^2)^{-3/2}$, with $g$ = ``grad_output``.

    Concept page: [Activation functions: ISRU](../concepts/activations.md#isru).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.isru_backward(np.array([8.0]), np.array([2.0]), alpha=0.75)  # 8 / 8
    array([1.])
    """
    alpha = v.positive(alpha, "isru_backward", "alpha")
    g, x = v.grad_and_input(grad_output, x, "isru_backward")
    return g * isru_derivative(x, alpha)


def isrlu(x, alpha=1.0):
    r"""Inverse square root linear unit (ISRLU): the identity for $x \ge 0$, ISRU below.

    Concept page: [Activation functions: ISRLU](../concepts/activations.md#isrlu).

    $$ f(x) = \begin{cases} x & x \ge 0 \\ \dfrac{x}{\sqrt{1 + \alpha x^2}} & x < 0 \end{cases}
       = \max(x, 0) + \operatorname{isru}(\min(x, 0)),
       \qquad f'(x) = \begin{cases} 1 & x \ge 0 \\ (1 + \alpha x^2)^{-3/2} & x < 0 \end{cases} $$

    Range $(-1/\sqrt\alpha, \infty)$, increasing, continuously differentiable (both pieces
    have slope 1 at 0). Like ELU, it lets negative values through (pushing mean activations
    towards 0) without an exponential.

    Parameters
    ----------
    x : (*) array_like
    alpha : float, default 1.0
        $\alpha > 0$; the negative saturation level is $-1/\sqrt\alpha$.

    Returns
    -------
    y : (*) ndarray
        In the floating dtype of ``x`` ([Conventions](../conventions.md#dtypes)): values above
        $-1/\sqrt\alpha$.

    Raises
    ------
    ValueError
        If ``alpha`` is not positive.
    TypeError
        If ``x`` is not a real numeric array ([Conventions](../conventions.md#errors)), or
        ``alpha`` is not a real number.

    See Also
    --------
    isrlu_derivative, isrlu_backward
    isru : its negative part.
    elu : the same idea with an exponential.

    Notes
    -----
    $f'(0) = 1$ from both sides. Backward: $\partial\mathcal{L}/\partial x = g \odot f'(x)$.
    PyTorch has no ISRLU.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.isrlu(np.array([-2.0, 0.0, 2.0]), alpha=0.75)  # ISRU below 0, x above
    array([-1.,  0.,  2.])
    """
    x = v.as_float_array(x, "isrlu")
    alpha = v.positive(alpha, "isrlu", "alpha")
    return np.maximum(x, 0.0) + isru(np.minimum(x, 0.0), alpha)


def isrlu_derivative(x, alpha=1.0):
    r"""Derivative of :func:`isrlu`: ISRU's at $\min(x, 0)$, so $(1 + \alpha x^2)^{-3/2}$ below 0, else 1.

    Concept page: [Activation functions: ISRLU](../concepts/activations.md#isrlu).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.isrlu_derivative(np.array([-2.0, 0.0, 2.0]), alpha=0.75)  # ISRU's slope below 0
    array([0.125, 1.   , 1.   ])
    """
    x = v.as_float_array(x, "isrlu_derivative")
    alpha = v.positive(alpha, "isrlu_derivative", "alpha")
    return isru_derivative(np.minimum(x, 0.0), alpha)


def isrlu_backward(grad_output, x, alpha=1.0):
    r"""Gradient of :func:`isrlu`: $g$ times 1 for $x \ge 0$, times $(1 + \alpha x^2)^{-3/2}$ below.

    Concept page: [Activation functions: ISRLU](../concepts/activations.md#isrlu).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.isrlu_backward(np.array([8.0, 8.0]), np.array([-2.0, 2.0]), alpha=0.75)  # g / 8, then g
    array([1., 8.])
    """
    alpha = v.positive(alpha, "isrlu_backward", "alpha")
    g, x = v.grad_and_input(grad_output, x, "isrlu_backward")
    return g * isrlu_derivative(x, alpha)


def sqnl(x):
    r"""Square nonlinearity (SQNL): a piecewise-quadratic tanh look-alike.

    Concept page: [Activation functions: square nonlinearity](../concepts/activations.md#square-nonlinearity-sqnl).

    $$ f(x) = \begin{cases} 1 & x > 2 \\ x - x^2/4 & 0 \le x \le 2 \\
                            x + x^2/4 & -2 \le x < 0 \\ -1 & x < -2 \end{cases}
       \qquad f'(x) = \begin{cases} 1 - |x|/2 & |x| \le 2 \\ 0 & |x| > 2 \end{cases} $$

    Range $[-1, 1]$, non-decreasing, zero-centred, continuously differentiable ($f'$ is
    continuous, with $f'(\pm 2) = 0$ and $f'(0) = 1$), and cheap: no exponential (Wuraola and
    Patel, 2018). In one line, $f(x) = u - u|u|/4$ and $f'(x) = 1 - |u|/2$ with
    $u = \operatorname{clip}(x, -2, 2)$.

    Parameters
    ----------
    x : (*) array_like

    Returns
    -------
    y : (*) ndarray
        Values in $[-1, 1]$, in the floating dtype of ``x`` ([Conventions](../conventions.md#dtypes)).

    Raises
    ------
    TypeError
        If ``x`` is not a real numeric array ([Conventions](../conventions.md#errors)).

    See Also
    --------
    sqnl_derivative, sqnl_backward
    tanh : the smooth curve SQNL imitates.
    hardtanh : clips to $[-1, 1]$ without the quadratic pieces.

    Notes
    -----
    At $|x| = 2$ both pieces of the derivative are 0. Backward:
    $\partial\mathcal{L}/\partial x = g \odot \max(0, 1 - |x|/2)$. PyTorch has no SQNL.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.sqnl(np.array([-3.0, -1.0, 0.0, 1.0, 2.0, 3.0]))
    array([-1.  , -0.75,  0.  ,  0.75,  1.  ,  1.  ])
    """
    x = v.as_float_array(x, "sqnl")
    u = np.clip(x, -2.0, 2.0)
    return u - u * np.abs(u) / 4.0


def sqnl_derivative(x):
    r"""Derivative of :func:`sqnl`: $1 - |u|/2$ with $u = \operatorname{clip}(x, -2, 2)$: 0 for $|x| \ge 2$.

    Concept page: [Activation functions: square nonlinearity](../concepts/activations.md#square-nonlinearity-sqnl).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.sqnl_derivative(np.array([-3.0, -1.0, 0.0, 2.0]))  # 0 from |x| = 2 on
    array([0. , 0.5, 1. , 0. ])
    """
    x = v.as_float_array(x, "sqnl_derivative")
    return 1.0 - np.abs(np.clip(x, -2.0, 2.0)) / 2.0


def sqnl_backward(grad_output, x):
    r"""Gradient of :func:`sqnl`: $g \odot \max(0, 1 - |x|/2)$, with $g$ = ``grad_output``.

    Concept page: [Activation functions: square nonlinearity](../concepts/activations.md#square-nonlinearity-sqnl).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.sqnl_backward(np.array([2.0, 2.0]), np.array([1.0, 5.0]))  # 2 * (1 - 1/2), then 0
    array([1., 0.])
    """
    g, x = v.grad_and_input(grad_output, x, "sqnl_backward")
    return g * sqnl_derivative(x)


def hardtanh(x, min_val=-1.0, max_val=1.0):
    r"""Hard tanh: the identity clipped to $[\text{min_val}, \text{max_val}]$.

    Concept page: [Activation functions: hard tanh](../concepts/activations.md#hard-tanh).

    $$ f(x) = \min(\max(x, \text{min_val}), \text{max_val}), \qquad
       f'(x) = \begin{cases} 1 & \text{min_val} < x < \text{max_val} \\ 0 & \text{otherwise} \end{cases} $$

    A piecewise-linear tanh: non-decreasing, zero-centred for the default $[-1, 1]$, and
    hard-saturating (zero gradient) outside the interval.

    Parameters
    ----------
    x : (*) array_like
    min_val, max_val : float, default -1.0 and 1.0
        The clip bounds, ``min_val <= max_val``.

    Returns
    -------
    y : (*) ndarray
        In the floating dtype of ``x`` ([Conventions](../conventions.md#dtypes)): values in
        $[\text{min_val}, \text{max_val}]$.

    Raises
    ------
    ValueError
        If ``min_val > max_val``.
    TypeError
        If ``x`` is not a real numeric array ([Conventions](../conventions.md#errors)), or if a
        bound is not a real number.

    See Also
    --------
    hardtanh_derivative, hardtanh_backward
    tanh : the smooth curve it approximates.
    sqnl : quadratic pieces instead of corners, so $f'$ is continuous.

    Notes
    -----
    At the kinks $x = \text{min_val}$ and $x = \text{max_val}$ the derivative is 0, as in
    PyTorch. Backward: $\partial\mathcal{L}/\partial x = g \odot f'(x)$.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.hardtanh(np.array([-3.0, -0.5, 0.0, 2.0]))
    array([-1. , -0.5,  0. ,  1. ])
    """
    x = v.as_float_array(x, "hardtanh")
    min_val, max_val = v.hardtanh_bounds("hardtanh", min_val, max_val)
    return np.clip(x, min_val, max_val)


def hardtanh_derivative(x, min_val=-1.0, max_val=1.0):
    r"""Derivative of :func:`hardtanh`: 1 strictly between the bounds, else 0 (0 at the bounds, as PyTorch).

    Concept page: [Activation functions: hard tanh](../concepts/activations.md#hard-tanh).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.hardtanh_derivative(np.array([-1.0, 0.0, 1.0, 2.0]))  # 0 at the bounds
    array([0., 1., 0., 0.])
    """
    x = v.as_float_array(x, "hardtanh_derivative")
    min_val, max_val = v.hardtanh_bounds("hardtanh_derivative", min_val, max_val)
    return ((x > min_val) & (x < max_val)).astype(x.dtype)


def hardtanh_backward(grad_output, x, min_val=-1.0, max_val=1.0):
    r"""Gradient of :func:`hardtanh`: $g$ strictly between the bounds, 0 elsewhere.

    Concept page: [Activation functions: hard tanh](../concepts/activations.md#hard-tanh).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.hardtanh_backward(np.array([2.0, 2.0, 2.0]), np.array([-1.0, 0.5, 1.5]))  # only inside (-1, 1)
    array([0., 2., 0.])
    """
    bounds = v.hardtanh_bounds("hardtanh_backward", min_val, max_val)
    g, x = v.grad_and_input(grad_output, x, "hardtanh_backward")
    return g * hardtanh_derivative(x, *bounds)


# ----------------------------------------------------------------------------- exponential and smooth
def elu(x, alpha=1.0):
    r"""Exponential linear unit (ELU).

    Concept page: [Activation functions: ELU](../concepts/activations.md#elu).

    $$ f(x) = \max(0, x) + \alpha\,(e^{\min(0, x)} - 1), \qquad
       f'(x) = \begin{cases} 1 & x > 0 \\ \alpha e^{x} & x \le 0 \end{cases} $$

    that is $x$ for $x > 0$ and $\alpha (e^{x} - 1)$ for $x \le 0$. Range $(-\alpha, \infty)$,
    increasing for $\alpha > 0$, smooth except at 0 (where it is continuously differentiable
    only for $\alpha = 1$). Negative outputs push the mean activation towards zero; for very
    negative inputs it saturates at $-\alpha$ (Clevert et al., 2016).

    Parameters
    ----------
    x : (*) array_like
    alpha : float, default 1.0
        $\alpha$, the negative saturation value (any real number, as in PyTorch).

    Returns
    -------
    y : (*) ndarray
        In the floating dtype of ``x`` ([Conventions](../conventions.md#dtypes)): values above
        $-\alpha$ (for $\alpha > 0$).

    Raises
    ------
    TypeError
        For an ``alpha`` that is not a real number, and for an ``x`` that is not a real numeric
        array ([Conventions](../conventions.md#errors)).

    See Also
    --------
    elu_derivative, elu_backward
    selu : a scaled ELU with fixed constants.
    leaky_relu : linear below 0 instead of saturating.

    Notes
    -----
    The exponential only meets $\min(0, x)$, so large inputs cannot overflow it, and
    $e^x - 1$ is computed with ``expm1``, which keeps its relative precision near 0. At the
    kink $x = 0$ the derivative is $\alpha$, as in PyTorch. The derivative is computed as
    $\alpha e^{\min(x, 0)} + (1 - \alpha)\,\mathbb{1}[x > 0]$, with $\alpha$ rounded to the
    dtype of ``x`` first: for $0 < \alpha \le 2$, $\alpha + (1 - \alpha)$ is then exactly 1
    (within one unit in the last place for other $\alpha$). Backward:
    $\partial\mathcal{L}/\partial x = g \odot f'(x)$.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.elu(np.array([-1e4, 0.0, 2.0]), alpha=2.0)  # saturates at -alpha
    array([-2.,  0.,  2.])
    """
    x = v.as_float_array(x, "elu")
    alpha = v.real(alpha, "elu", "alpha")
    return np.clip(x, 0.0, np.inf) + alpha * np.expm1(np.clip(x, -np.inf, 0.0))  # max(x, 0), min(x, 0)


def elu_derivative(x, alpha=1.0):
    r"""Derivative of :func:`elu`: 1 for $x > 0$, else $\alpha e^{x}$ ($\alpha$ at the kink, as PyTorch).

    Concept page: [Activation functions: ELU](../concepts/activations.md#elu).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.elu_derivative(np.array([-1e4, 0.0, 2.0]), alpha=2.0)  # alpha at the kink
    array([0., 2., 1.])
    """
    x = v.as_float_array(x, "elu_derivative")
    alpha = x.dtype.type(v.real(alpha, "elu_derivative", "alpha"))  # in x's dtype: see the Notes of elu
    # alpha e^{min(x, 0)} is alpha e^x for x <= 0, and alpha for x > 0, where 1 - alpha is added
    return alpha * np.exp(np.clip(x, -np.inf, 0.0)) + (1 - alpha) * (x > 0).astype(x.dtype)


def elu_backward(grad_output, x, alpha=1.0):
    r"""Gradient of :func:`elu`: $g$ times 1 for $x > 0$, times $\alpha e^{x}$ for $x \le 0$.

    Concept page: [Activation functions: ELU](../concepts/activations.md#elu).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.elu_backward(np.array([4.0, 4.0]), np.array([0.0, 3.0]), alpha=0.5)  # 4 alpha, then 4
    array([2., 4.])
    """
    alpha = v.real(alpha, "elu_backward", "alpha")
    g, x = v.grad_and_input(grad_output, x, "elu_backward")
    return g * elu_derivative(x, alpha)


def selu(x):
    r"""Scaled exponential linear unit (SELU): an ELU with fixed $\alpha$, scaled by $\lambda$.

    Concept page: [Activation functions: SELU](../concepts/activations.md#selu).

    $$ f(x) = \lambda\, \operatorname{elu}_\alpha(x) = \lambda \begin{cases} x & x > 0 \\
       \alpha (e^{x} - 1) & x \le 0 \end{cases}, \qquad
       f'(x) = \lambda \begin{cases} 1 & x > 0 \\ \alpha e^{x} & x \le 0 \end{cases} $$

    with $\alpha \approx 1.6733$ and $\lambda \approx 1.0507$, chosen so that, with suitably
    initialized weights, activations keep zero mean and unit variance from layer to layer
    (self-normalizing networks, Klambauer et al., 2017). Range
    $(-\lambda\alpha, \infty) \approx (-1.758, \infty)$.

    Parameters
    ----------
    x : (*) array_like

    Returns
    -------
    y : (*) ndarray
        In the floating dtype of ``x`` ([Conventions](../conventions.md#dtypes)): values above
        $-\lambda\alpha$.

    Raises
    ------
    TypeError
        If ``x`` is not a real numeric array ([Conventions](../conventions.md#errors)).

    See Also
    --------
    selu_derivative, selu_backward
    elu : the same curve with a free $\alpha$ and no scale.

    Notes
    -----
    Uses PyTorch's constants $\alpha = 1.6732632423543772848$ and
    $\lambda = 1.0507009873554804934$. At the kink $x = 0$ the derivative is
    $\lambda\alpha \approx 1.7581$, as in PyTorch. Backward:
    $\partial\mathcal{L}/\partial x = g \odot f'(x)$.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> np.round(nnref.selu(np.array([-1e4, 0.0, 1.0])), 4)  # -lambda alpha, 0, lambda
    array([-1.7581,  0.    ,  1.0507])
    """
    x = v.as_float_array(x, "selu")
    return _SELU_LAMBDA * elu(x, _SELU_ALPHA)


def selu_derivative(x):
    r"""Derivative of :func:`selu`: $\lambda$ for $x > 0$, else $\lambda\alpha e^{x}$ ($\lambda\alpha$ at the kink, as PyTorch).

    Concept page: [Activation functions: SELU](../concepts/activations.md#selu).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> np.round(nnref.selu_derivative(np.array([0.0, 1.0])), 4)
    array([1.7581, 1.0507])
    """
    x = v.as_float_array(x, "selu_derivative")
    # in the dtype of x, as in elu_derivative: lam_alpha + (lam - lam_alpha) is then exactly lam
    lam, lam_alpha = x.dtype.type(_SELU_LAMBDA), x.dtype.type(_SELU_LAMBDA * _SELU_ALPHA)
    # lambda alpha e^{min(x, 0)} is lambda alpha e^x for x <= 0; for x > 0 it is lambda alpha, to which
    # lambda - lambda alpha is added
    return lam_alpha * np.exp(np.clip(x, -np.inf, 0.0)) + (lam - lam_alpha) * (x > 0).astype(x.dtype)


def selu_backward(grad_output, x):
    r"""Gradient of :func:`selu`: $g$ times $\lambda$ for $x > 0$, times $\lambda\alpha e^{x}$ for $x \le 0$.

    Concept page: [Activation functions: SELU](../concepts/activations.md#selu).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> np.round(nnref.selu_backward(np.array([2.0]), np.array([5.0])), 4)
    array([2.1014])
    """
    g, x = v.grad_and_input(grad_output, x, "selu_backward")
    return g * selu_derivative(x)


def gelu(x, approximate="none"):
    r"""Gaussian error linear unit (GELU): the input weighted by the standard normal CDF.

    Concept page: [Activation functions: GELU](../concepts/activations.md#gelu).

    $$ f(x) = x\,\Phi(x) = \frac{x}{2}\left(1 + \operatorname{erf}\frac{x}{\sqrt 2}\right), \qquad
       f'(x) = \Phi(x) + x\,\phi(x) $$

    with $\Phi$ and $\phi$ the standard normal CDF and density. ``approximate='tanh'`` is
    PyTorch's approximation

    $$ f(x) = \frac{x}{2}\bigl(1 + \tanh u\bigr), \quad u = \sqrt{2/\pi}\,(x + 0.044715\,x^3), \qquad
       f'(x) = \frac{1 + \tanh u}{2} + \frac{x}{2}\,(1 - \tanh^2 u)\,\sqrt{2/\pi}\,(1 + 3 \cdot 0.044715\,x^2) $$

    A smooth ReLU-like curve: range about $[-0.17, \infty)$, not monotonic (a shallow dip
    with its minimum near $x \approx -0.75$), smooth everywhere (Hendrycks and Gimpel, 2016).

    Parameters
    ----------
    x : (*) array_like
    approximate : {'none', 'tanh'}, default 'none'
        The exact form or PyTorch's tanh approximation.

    Returns
    -------
    y : (*) ndarray
        Values above about $-0.17$, in the floating dtype of ``x`` ([Conventions](../conventions.md#dtypes)).

    Raises
    ------
    ValueError
        If ``approximate`` is not ``'none'`` or ``'tanh'``.
    TypeError
        If ``x`` is not a real numeric array ([Conventions](../conventions.md#errors)).

    See Also
    --------
    gelu_derivative, gelu_backward
    silu : $x\,\sigma(x)$, the same shape with a logistic gate.
    relu : the curve GELU smooths.

    Notes
    -----
    NumPy has no ``erf``. $\Phi$ comes from W. J. Cody's rational approximations in float64
    (relative error below $10^{-15}$, also far in the negative tail, where $1 + \operatorname{erf}$
    would cancel) and from a faster form with one polynomial in float32 (relative error below
    $5 \cdot 10^{-7} \max(1, x^2)$, within what the rounding of a float32 $x$ itself causes).
    PyTorch's float32 kernel computes $1 + \operatorname{erf}$: its $f(-5)$ is 4% off and its
    $f(-6)$ is 0. GELU has no kink. Backward: $\partial\mathcal{L}/\partial x = g \odot f'(x)$.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> np.round(nnref.gelu(np.array([-3.0, -1.0, 0.0, 1.0, 3.0])), 4)
    array([-0.004 , -0.1587,  0.    ,  0.8413,  2.996 ])
    >>> np.round(nnref.gelu(np.array([1.0]), approximate="tanh"), 4)
    array([0.8412])
    """
    x = v.as_float_array(x, "gelu")
    if v.choice(approximate, ("none", "tanh"), "gelu", "approximate") == "tanh":
        return 0.5 * x * (1.0 + np.tanh(_SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)))
    return x * Phi(x)


def gelu_derivative(x, approximate="none"):
    r"""Derivative of :func:`gelu`: $f'(x) = \Phi(x) + x\,\phi(x)$, or that of the tanh form.

    Concept page: [Activation functions: GELU](../concepts/activations.md#gelu).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.gelu_derivative(np.array([-1e4, 0.0, 1e4]))  # Phi(0) = 1/2
    array([0. , 0.5, 1. ])
    """
    x = v.as_float_array(x, "gelu_derivative")
    if v.choice(approximate, ("none", "tanh"), "gelu_derivative", "approximate") == "tanh":
        x2 = x * x
        t = np.tanh(_SQRT_2_OVER_PI * x * (1.0 + 0.044715 * x2))  # tanh u
        du = _SQRT_2_OVER_PI * (1.0 + 3 * 0.044715 * x2)  # u'(x)
        return 0.5 * (1.0 + t + x * (1.0 - t * t) * du)
    return Phi(x) + x * phi(x)


def gelu_backward(grad_output, x, approximate="none"):
    r"""Gradient of :func:`gelu`: $g \odot (\Phi(x) + x\,\phi(x))$, $g$ = ``grad_output``.

    Concept page: [Activation functions: GELU](../concepts/activations.md#gelu).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.gelu_backward(np.array([2.0]), np.array([0.0]), approximate="tanh")  # 2 * 1/2
    array([1.])
    """
    approximate = v.choice(approximate, ("none", "tanh"), "gelu_backward", "approximate")
    g, x = v.grad_and_input(grad_output, x, "gelu_backward")
    return g * gelu_derivative(x, approximate)


def softplus(x, beta=1.0, threshold=20.0):
    r"""Softplus: a smooth ReLU.

    Concept page: [Activation functions: softplus](../concepts/activations.md#softplus).

    $$ f(x) = \frac{1}{\beta} \log\left(1 + e^{\beta x}\right), \qquad f'(x) = \sigma(\beta x) $$

    Range $(0, \infty)$, increasing, smooth, $f'(0) = 1/2$; as $\beta \to \infty$ it tends to ReLU.

    Parameters
    ----------
    x : (*) array_like
    beta : float, default 1.0
        Sharpness $\beta > 0$.
    threshold : float, default 20.0
        Where $\beta x > $ ``threshold`` the result is $x$ itself (derivative 1), as in PyTorch.

    Returns
    -------
    y : (*) ndarray
        In the floating dtype of ``x`` ([Conventions](../conventions.md#dtypes)): values $> 0$ (0
        only where float rounding underflows).

    Raises
    ------
    ValueError
        If ``beta <= 0`` (PyTorch accepts any ``beta``).
    TypeError
        If ``x`` is not a real numeric array ([Conventions](../conventions.md#errors)), or if
        ``beta`` or ``threshold`` is not a real number.

    See Also
    --------
    softplus_derivative, softplus_backward
    relu : the limit as $\beta \to \infty$.
    mish : $x \tanh(\operatorname{softplus}(x))$.

    Notes
    -----
    PyTorch's threshold rule: $f(x) = x$ and $f'(x) = 1$ where $\beta x > \text{threshold}$
    (the difference is below $e^{-20}$ for the default). Elsewhere $\log(1 + e^{\beta x})$ is
    computed as $\max(\beta x, 0) + \log(1 + e^{-|\beta x|})$, which never overflows, with
    ``log1p`` for the second term. Backward: $\partial\mathcal{L}/\partial x = g \odot
    \sigma(\beta x)$.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> np.round(nnref.softplus(np.array([-1e4, 0.0, 30.0])), 4)
    array([ 0.    ,  0.6931, 30.    ])
    """
    x = v.as_float_array(x, "softplus")
    beta, threshold = v.softplus_args("softplus", beta, threshold)
    bx = beta * x
    # log(1 + e^{bx}) = max(bx, 0) + log(1 + e^{-|bx|}): e^{bx} itself would overflow for large bx
    y = (np.clip(bx, 0.0, np.inf) + np.log1p(np.exp(-np.abs(bx)))) / beta
    return np.where(bx > threshold, x, y)  # PyTorch's threshold: the identity where beta x > threshold


def softplus_derivative(x, beta=1.0, threshold=20.0):
    r"""Derivative of :func:`softplus`: $\sigma(\beta x)$, and 1 where $\beta x > $ ``threshold``.

    Concept page: [Activation functions: softplus](../concepts/activations.md#softplus).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.softplus_derivative(np.array([0.0, 30.0]))  # sigma(0), then 1 past the threshold
    array([0.5, 1. ])
    """
    x = v.as_float_array(x, "softplus_derivative")
    beta, threshold = v.softplus_args("softplus_derivative", beta, threshold)
    bx = beta * x
    d = np.asarray(sigmoid(bx))  # an array also for 0-D x, for the assignment below
    d[bx > threshold] = 1.0  # PyTorch's threshold: the identity, slope 1, where beta x > threshold
    return d


def softplus_backward(grad_output, x, beta=1.0, threshold=20.0):
    r"""Gradient of :func:`softplus`: $g \odot \sigma(\beta x)$, or $g$ itself where $\beta x > $ ``threshold``.

    Concept page: [Activation functions: softplus](../concepts/activations.md#softplus).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.softplus_backward(np.array([2.0]), np.array([0.0]), beta=3.0)  # 2 sigma(0)
    array([1.])
    """
    beta, threshold = v.softplus_args("softplus_backward", beta, threshold)
    g, x = v.grad_and_input(grad_output, x, "softplus_backward")
    return g * softplus_derivative(x, beta, threshold)


def silu(x):
    r"""Sigmoid linear unit (SiLU, also called swish): the input gated by its own sigmoid.

    Concept page: [Activation functions: SiLU](../concepts/activations.md#silu-swish).

    $$ f(x) = x\,\sigma(x) = \frac{x}{1 + e^{-x}}, \qquad f'(x) = \sigma(x)\bigl(1 + x\,(1 - \sigma(x))\bigr) $$

    Range about $[-0.278, \infty)$, not monotonic (minimum near $x \approx -1.28$), smooth,
    unbounded above and bounded below.

    Parameters
    ----------
    x : (*) array_like

    Returns
    -------
    y : (*) ndarray
        In the floating dtype of ``x`` ([Conventions](../conventions.md#dtypes)): its minimum, about
        $-0.278$, is at $x \approx -1.28$.

    Raises
    ------
    TypeError
        If ``x`` is not a real numeric array ([Conventions](../conventions.md#errors)).

    See Also
    --------
    silu_derivative, silu_backward
    sigmoid : the gate $\sigma(x)$.
    gelu : the input weighted by $\Phi(x)$ instead.
    mish : the input weighted by $\tanh(\operatorname{softplus}(x))$.

    Notes
    -----
    As in :func:`sigmoid`, $e^{-x}$ overflows to infinity for $x < -88$ (float32), where
    $x/(1 + e^{-x})$ is then the correct limit $-0$; that overflow is silenced. Backward:
    $\partial\mathcal{L}/\partial x = g \odot \sigma(x)\bigl(1 + x(1 - \sigma(x))\bigr)$.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.silu(np.array([-1e4, 0.0, 1e4]))  # -0 is the limit at -inf
    array([   -0.,     0., 10000.])
    """
    x = v.as_float_array(x, "silu")
    with np.errstate(over="ignore"):  # e^{-x} = inf for x < -88 (float32): x / inf = -0, the limit
        d = np.exp(-x)
    d += 1.0  # 1 + e^{-x}, in the array of e^{-x}
    return x / d


def silu_derivative(x):
    r"""Derivative of :func:`silu`: $\sigma(x)(1 + x(1 - \sigma(x)))$.

    Concept page: [Activation functions: SiLU](../concepts/activations.md#silu-swish).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> np.round(nnref.silu_derivative(np.array([0.0, 1.0, 1e4])), 4)
    array([0.5   , 0.9277, 1.    ])
    """
    x = v.as_float_array(x, "silu_derivative")
    s = sigmoid(x)
    return s * (1.0 + x * (1.0 - s))


def silu_backward(grad_output, x):
    r"""Gradient of :func:`silu`: $g \odot \sigma(x)(1 + x(1 - \sigma(x)))$, with $g$ = ``grad_output``.

    Concept page: [Activation functions: SiLU](../concepts/activations.md#silu-swish).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.silu_backward(np.array([2.0]), np.array([0.0]))  # silu'(0) = 1/2
    array([1.])
    """
    g, x = v.grad_and_input(grad_output, x, "silu_backward")
    return g * silu_derivative(x)


def mish(x):
    r"""Mish: the input gated by the tanh of its softplus.

    Concept page: [Activation functions: Mish](../concepts/activations.md#mish).

    $$ f(x) = x \tanh\bigl(\operatorname{sp}(x)\bigr), \qquad
       f'(x) = \tanh(\operatorname{sp}(x)) + x\,\sigma(x)\bigl(1 - \tanh^2(\operatorname{sp}(x))\bigr) $$

    with $\operatorname{sp}(x) = \log(1 + e^x)$ the softplus, whose derivative is $\sigma(x)$.
    Range about $[-0.309, \infty)$, not monotonic, smooth (Misra, 2019).

    Parameters
    ----------
    x : (*) array_like

    Returns
    -------
    y : (*) ndarray
        Values above about $-0.309$, in the floating dtype of ``x`` ([Conventions](../conventions.md#dtypes)).

    Raises
    ------
    TypeError
        If ``x`` is not a real numeric array ([Conventions](../conventions.md#errors)).

    See Also
    --------
    mish_derivative, mish_backward
    softplus : $\operatorname{sp}(x)$ (with ``beta`` and PyTorch's threshold).
    silu : the input weighted by $\sigma(x)$.

    Notes
    -----
    Computed as PyTorch does, $x \tanh(\log(1 + e^x))$ with ``log1p``: for $x > 88$ (float32)
    $e^x$ overflows to infinity, where $\tanh(\infty) = 1$ is the correct limit, so that
    overflow is expected and silenced. Backward: $\partial\mathcal{L}/\partial x = g \odot f'(x)$.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> np.round(nnref.mish(np.array([-1e4, 0.0, 1.0])), 4)  # 1 * tanh(log(1 + e))
    array([-0.    ,  0.    ,  0.8651])
    """
    x = v.as_float_array(x, "mish")
    with np.errstate(over="ignore"):  # e^x = inf for x > 88 (float32): tanh(inf) = 1, the limit
        return x * np.tanh(np.log1p(np.exp(x)))


def mish_derivative(x):
    r"""Derivative of :func:`mish`: $t + x\,\sigma(x)(1 - t^2)$ with $t = \tanh(\log(1 + e^x))$.

    Concept page: [Activation functions: Mish](../concepts/activations.md#mish).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.mish_derivative(np.array([-1e4, 0.0, 1e4]))  # tanh(log 2) = 0.6 at 0
    array([0. , 0.6, 1. ])
    """
    x = v.as_float_array(x, "mish_derivative")
    with np.errstate(over="ignore"):  # e^x = inf for x > 88 (float32): tanh(inf) = 1, the limit
        t = np.tanh(np.log1p(np.exp(x)))  # tanh(sp(x))
    return t + x * sigmoid(x) * (1.0 - t * t)


def mish_backward(grad_output, x):
    r"""Gradient of :func:`mish`: $g \odot f'(x)$, with $g$ = ``grad_output`` and $f'$ of :func:`mish_derivative`.

    Concept page: [Activation functions: Mish](../concepts/activations.md#mish).

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.mish_backward(np.array([5.0]), np.array([0.0]))  # 5 * 0.6
    array([3.])
    """
    g, x = v.grad_and_input(grad_output, x, "mish_backward")
    return g * mish_derivative(x)


# ----------------------------------------------------------------------------- softmax
def softmax(x, dim):
    r"""Softmax along ``dim``: exponentials normalized to sum to 1.

    Concept page: [Activation functions: softmax and log-softmax](../concepts/activations.md#softmax-and-log-softmax).

    $$ y_i = \frac{e^{x_i}}{\sum_j e^{x_j}}, \qquad
       \frac{\partial y_i}{\partial x_j} = y_i(\delta_{ij} - y_j) $$

    The sums run along ``dim``. Outputs lie in $(0, 1)$ and sum to 1: a probability
    distribution, typically over classes in the last layer.

    Parameters
    ----------
    x : (*) array_like
    dim : int
        The axis to normalize over (negative counts from the end). Required: PyTorch's
        implicit ``dim=None`` is deprecated there, so it has no default here.

    Returns
    -------
    y : (*) ndarray
        In the floating dtype of ``x`` ([Conventions](../conventions.md#dtypes)): values in $[0, 1]$
        that sum to 1 along ``dim``.

    Raises
    ------
    TypeError
        If ``x`` is not a real numeric array ([Conventions](../conventions.md#errors)), or if
        ``dim`` is not an integer.
    ValueError
        If ``dim`` is out of range.

    See Also
    --------
    softmax_backward
    log_softmax : its logarithm, computed without $\log 0$.
    sigmoid : the two-class case, $\operatorname{softmax}([x, 0])_0 = \sigma(x)$.

    Notes
    -----
    Computed as $e^{x - \max x} / \sum e^{x - \max x}$, the same function (the factor
    $e^{-\max x}$ cancels), in which no exponential can overflow. No pointwise derivative
    exists: each output depends on the whole slice. Backward: $\partial\mathcal{L}/\partial x =
    y \odot \bigl(g - \sum_j g_j y_j\bigr)$.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.softmax(np.array([[0.0, np.log(3.0)], [1e4, 1e4]]), dim=1)
    array([[0.25, 0.75],
           [0.5 , 0.5 ]])
    """
    x, axis = v.softmax_args("softmax", x, dim)
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))  # shifted: e^x itself overflows for x > 88 (float32)
    e /= np.sum(e, axis=axis, keepdims=True)
    return e


def softmax_backward(grad_output, x, dim, *, output=None):
    r"""Gradient of :func:`softmax`: $y \odot (g - \sum_j g_j y_j)$, with $g$ = ``grad_output``.

    Concept page: [Activation functions: softmax and log-softmax](../concepts/activations.md#softmax-and-log-softmax).

    $$ \frac{\partial\mathcal{L}}{\partial x_i} = y_i \Bigl(g_i - \sum_j g_j\, y_j\Bigr) $$

    $y$ is recomputed from ``x``, as every nnref backward does, unless the forward's result
    ``softmax(x, dim)`` is passed as ``output``: PyTorch's kernel
    (``torch._softmax_backward_data``) reads that saved output, which spares an exponential
    per element. ``output`` is not checked against ``x``: another array gives a wrong gradient
    without an error. The result has the widest floating dtype of ``grad_output``, ``x`` and
    ``output``.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> x = np.array([0.0, np.log(3.0)])  # softmax: [0.25, 0.75]
    >>> nnref.softmax_backward(np.array([1.0, 0.0]), x, dim=0)
    array([ 0.1875, -0.1875])
    """
    g, x, y, axis = v.softmax_backward_args("softmax_backward", grad_output, x, dim, output)
    if y is None:
        y = softmax(x, dim)
    return y * (g - np.sum(g * y, axis=axis, keepdims=True))


def log_softmax(x, dim):
    r"""Logarithm of :func:`softmax` along ``dim``, computed directly.

    Concept page: [Activation functions: softmax and log-softmax](../concepts/activations.md#softmax-and-log-softmax).

    $$ y_i = x_i - \log \sum_j e^{x_j}, \qquad
       \frac{\partial y_i}{\partial x_j} = \delta_{ij} - \operatorname{softmax}(x)_j $$

    Parameters
    ----------
    x : (*) array_like
    dim : int
        The axis (required, as for :func:`softmax`).

    Returns
    -------
    y : (*) ndarray
        Values $\le 0$, in the floating dtype of ``x`` ([Conventions](../conventions.md#dtypes)).

    Raises
    ------
    ValueError
        If ``dim`` is not an axis of ``x``.
    TypeError
        If ``x`` is not a real numeric array ([Conventions](../conventions.md#errors)), or
        ``dim`` is not an integer.

    See Also
    --------
    log_softmax_backward
    softmax : $e^y$.

    Notes
    -----
    Computed as $(x - \max x) - \log \sum e^{x - \max x}$ (log-sum-exp): no overflow, and no
    $\log 0$ for very negative entries (``np.log(softmax(x))`` would give ``-inf`` there).
    Backward: $\partial\mathcal{L}/\partial x = g - \operatorname{softmax}(x) \sum_j g_j$.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> np.round(nnref.log_softmax(np.array([[0.0, 0.0], [1e4, 1e4]]), dim=1), 4)  # log(1/2)
    array([[-0.6931, -0.6931],
           [-0.6931, -0.6931]])
    >>> nnref.log_softmax(np.array([0.0, -1e4]), dim=0)  # softmax would round e^{-1e4} to 0
    array([     0., -10000.])
    """
    x, axis = v.softmax_args("log_softmax", x, dim)
    shifted = x - np.max(x, axis=axis, keepdims=True)  # log-sum-exp: e^x overflows for x > 88 (float32)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def log_softmax_backward(grad_output, x, dim, *, output=None):
    r"""Gradient of :func:`log_softmax`: $g - \operatorname{softmax}(x) \sum_j g_j$ with $g$ = ``grad_output``.

    Concept page: [Activation functions: softmax and log-softmax](../concepts/activations.md#softmax-and-log-softmax).

    $$ \frac{\partial\mathcal{L}}{\partial x_i} = g_i - \operatorname{softmax}(x)_i \sum_j g_j,
       \qquad \operatorname{softmax}(x) = e^{y} $$

    softmax is recomputed from ``x``, as every nnref backward does, unless the forward's
    result ``log_softmax(x, dim)`` is passed as ``output``: then it is $e^y$, as in PyTorch's
    kernel (``torch._log_softmax_backward_data``), which spares the normalizing sum (both ways
    take one exponential per element). ``output`` is not checked against ``x``: another array
    gives a wrong gradient without an error. The result has the widest floating dtype of
    ``grad_output``, ``x`` and ``output``.

    Examples
    --------
    >>> import numpy as np
    >>> import nnref
    >>> nnref.log_softmax_backward(np.array([1.0, 0.0]), np.zeros(2), dim=0)
    array([ 0.5, -0.5])
    """
    g, x, y, axis = v.softmax_backward_args("log_softmax_backward", grad_output, x, dim, output)
    p = softmax(x, dim) if y is None else np.exp(y)  # softmax(x) = e^y
    return g - p * np.sum(g, axis=axis, keepdims=True)
