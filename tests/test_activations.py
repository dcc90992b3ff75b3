"""Tests for nnref.activations: values, derivatives, gradients, dtypes, errors, PyTorch parity."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import nnref
from helpers import assert_close, check_backward, numerical_vjp, torch_vjp

# Points at and next to the kinks, plus a spread of ordinary values.
KINK_POINTS = np.array([-1e-3, 0.0, 1e-3, -2.0, -0.5, 0.7, 3.0])


def test_relu_values_at_and_around_zero():
    np.testing.assert_array_equal(nnref.relu([-1.0, 0.0, 2.0]), [0.0, 0.0, 2.0])
    np.testing.assert_array_equal(nnref.relu_derivative([-1.0, 0.0, 2.0]), [0.0, 0.0, 1.0])


def test_relu_backward_matches_finite_differences():
    x = np.array([-2.0, -0.5, 1e-3, 0.7, 3.0])  # away from 0, where relu is not differentiable
    check_backward(nnref.relu, nnref.relu_backward, [x])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_relu_keeps_floating_dtype(dtype):
    x = np.array([-1.0, 2.0], dtype=dtype)
    assert nnref.relu(x).dtype == dtype
    assert nnref.relu_derivative(x).dtype == dtype
    assert nnref.relu_backward(np.ones(2, dtype), x).dtype == dtype


def test_relu_computes_integers_in_float64():
    assert nnref.relu(np.array([-1, 2])).dtype == np.float64
    assert nnref.relu([True, False]).dtype == np.float64


def test_relu_does_not_modify_input():
    x = np.array([-1.0, 2.0])
    nnref.relu(x)
    nnref.relu_backward(np.ones(2), x)
    np.testing.assert_array_equal(x, [-1.0, 2.0])


@pytest.mark.parametrize("bad", [["a", "b"], np.array([1 + 2j]), np.array([object()])])
def test_relu_rejects_non_real_input(bad):
    with pytest.raises(TypeError, match="relu: x must be a real numeric array"):
        nnref.relu(bad)


def test_relu_backward_rejects_mismatched_grad_output():
    with pytest.raises(ValueError, match=r"relu_backward: grad_output must have the output's shape \(3,\), got \(2,\)"):
        nnref.relu_backward(np.ones(2), np.ones(3))


def test_relu_parity_with_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.standard_normal(50), KINK_POINTS])
    g = rng.standard_normal(x.shape)
    out, (grad,) = torch_vjp(torch.nn.functional.relu, [x], g, (True,))
    assert_close(nnref.relu(x), out)
    assert_close(nnref.relu_backward(g, x), grad)


# ----------------------------------------------------------------------------- every elementwise activation
# (name, keywords, kinks): the kinks are where the derivative jumps (or, for
# softplus, where PyTorch's threshold switches to the identity).
ELEMENTWISE = [
    ("identity", {}, []),
    ("relu", {}, [0.0]),
    ("leaky_relu", {}, [0.0]),
    ("leaky_relu", {"negative_slope": 0.2}, [0.0]),
    ("leaky_relu", {"negative_slope": -0.3}, [0.0]),
    ("leaky_relu", {"negative_slope": 1.5}, [0.0]),
    ("rrelu", {"lower": 0.1, "upper": 0.3}, [0.0]),
    ("bipolar_relu", {}, [0.0]),
    ("sigmoid", {}, []),
    ("tanh", {}, []),
    ("arctan", {}, []),
    ("binary_step", {}, [0.0]),
    ("elu", {}, [0.0]),
    ("elu", {"alpha": 0.5}, [0.0]),
    ("selu", {}, [0.0]),
    ("gelu", {}, []),
    ("gelu", {"approximate": "tanh"}, []),
    ("softsign", {}, [0.0]),
    ("softplus", {}, [20.0]),
    ("softplus", {"beta": 2.0, "threshold": 5.0}, [2.5]),
    ("isru", {}, []),
    ("isru", {"alpha": 0.5}, []),
    ("isrlu", {}, [0.0]),
    ("isrlu", {"alpha": 3.0}, [0.0]),
    ("sqnl", {}, [-2.0, 0.0, 2.0]),
    ("silu", {}, []),
    ("mish", {}, []),
    ("hardtanh", {}, [-1.0, 1.0]),
    ("hardtanh", {"min_val": -0.5, "max_val": 2.0}, [-0.5, 2.0]),
]
CASES = [pytest.param(n, kw, k, id=n + "".join(f"-{a}={b}" for a, b in kw.items())) for n, kw, k in ELEMENTWISE]


def fns(name, kw):
    """(forward, derivative, backward) of ``name`` with its keywords bound."""
    f, d, b = (getattr(nnref, name + s) for s in ("", "_derivative", "_backward"))
    return (lambda x: f(x, **kw)), (lambda x: d(x, **kw)), (lambda g, x: b(g, x, **kw))


def smooth_points(kinks, seed=0):
    """A (N, 4) array of points at distance >= 1e-3 from every kink (4 units for bipolar_relu)."""
    rng = np.random.default_rng(seed)
    x = np.concatenate([rng.uniform(-4, 4, 20), [k + s for k in kinks for s in (-1e-3, 1e-3)], [-6.0, 6.0]])
    x = x[np.all(np.abs(x[:, None] - np.array(kinks + [np.inf])) >= 1e-3 - 1e-12, axis=1)]
    return np.resize(x, (-(-x.size // 4), 4))  # padded by repeating points


@pytest.mark.parametrize(("name", "kw", "kinks"), CASES)
def test_backward_matches_finite_differences(name, kw, kinks):
    f, _, b = fns(name, kw)
    check_backward(f, b, [smooth_points(kinks)])


@pytest.mark.parametrize(("name", "kw", "kinks"), CASES)
def test_derivative_matches_finite_differences_and_backward(name, kw, kinks):
    f, d, b = fns(name, kw)
    x = smooth_points(kinks, seed=1)
    h = 1e-6
    np.testing.assert_allclose(d(x), (f(x + h) - f(x - h)) / (2 * h), rtol=1e-6, atol=1e-8)
    np.testing.assert_array_equal(b(np.ones_like(x), x), d(x))


def torch_function(name, kw, torch):
    """The PyTorch version of ``name`` (keywords bound), or None if PyTorch has none."""
    F = torch.nn.functional
    plain = {"relu": F.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh, "arctan": torch.atan,
             "elu": F.elu, "selu": F.selu, "gelu": F.gelu, "softsign": F.softsign, "softplus": F.softplus,
             "silu": F.silu, "mish": F.mish, "hardtanh": F.hardtanh, "leaky_relu": F.leaky_relu}
    if name in plain:
        return lambda t: plain[name](t, **kw)
    if name == "rrelu":
        return lambda t: F.rrelu(t, **kw, training=False)
    if name == "bipolar_relu":  # relu on even units, -relu(-x) on odd units, in autograd
        return lambda t: torch.where(torch.arange(t.shape[1]) % 2 == 0, F.relu(t), -F.relu(-t))
    return None


NOT_IN_TORCH = {"identity", "binary_step", "isru", "isrlu", "sqnl"}  # see test_matches_independent_formula


@pytest.mark.parametrize(("name", "kw", "kinks"), [c for c in CASES if c.values[0] not in NOT_IN_TORCH])
def test_parity_with_torch_including_kinks(name, kw, kinks):
    torch = pytest.importorskip("torch")
    tf = torch_function(name, kw, torch)
    rng = np.random.default_rng(0)
    x = np.concatenate([3 * rng.standard_normal(40), kinks, KINK_POINTS])
    x = np.resize(x, (-(-x.size // 4), 4))
    g = rng.standard_normal(x.shape)
    f, d, b = fns(name, kw)
    out, (grad,) = torch_vjp(tf, [x], g, (True,))
    assert_close(f(x), out)
    assert_close(b(g, x), grad)
    assert_close(d(x), torch_vjp(tf, [x], np.ones_like(x), (True,))[1][0])


# Independent scalar formulas (math module, one element at a time) for what PyTorch lacks.
def _sqnl(t):
    return 1.0 if t > 2 else -1.0 if t < -2 else t - t * t / 4 if t >= 0 else t + t * t / 4


REFERENCE = {
    "identity": (lambda t, kw: t, lambda t, kw: 1.0),
    "isru": (lambda t, kw: t / math.sqrt(1 + kw.get("alpha", 1.0) * t * t),
             lambda t, kw: (1 + kw.get("alpha", 1.0) * t * t) ** -1.5),
    "isrlu": (lambda t, kw: t if t >= 0 else t / math.sqrt(1 + kw.get("alpha", 1.0) * t * t),
              lambda t, kw: 1.0 if t >= 0 else (1 + kw.get("alpha", 1.0) * t * t) ** -1.5),
    "sqnl": (lambda t, kw: _sqnl(t), lambda t, kw: 0.0 if abs(t) > 2 else 1 - abs(t) / 2),
    "binary_step": (lambda t, kw: 1.0 if t >= 0 else 0.0, lambda t, kw: 0.0),
}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_matches_independent_formula(name):
    f, d, _ = fns(name, {})
    x = np.concatenate([np.linspace(-5, 5, 41), KINK_POINTS, [-2.0, 2.0]])
    ref_f, ref_d = REFERENCE[name]
    assert_close(f(x), [ref_f(t, {}) for t in x])
    assert_close(d(x), [ref_d(t, {}) for t in x])
    if name in ("isru", "isrlu"):
        kw = {"alpha": 0.3}
        f, d, _ = fns(name, kw)
        assert_close(f(x), [ref_f(t, kw) for t in x])
        assert_close(d(x), [ref_d(t, kw) for t in x])


def test_binary_step_matches_torch_heaviside():
    torch = pytest.importorskip("torch")
    x = np.concatenate([KINK_POINTS, [-0.0]])
    expected = torch.heaviside(torch.tensor(x), torch.tensor(1.0, dtype=torch.float64)).numpy()
    np.testing.assert_array_equal(nnref.binary_step(x), expected)


# Kink values checked against PyTorch's autograd by hand (torch 2.13, float64).
@pytest.mark.parametrize(("name", "kw", "x", "expected"), [
    ("relu", {}, 0.0, 0.0),
    ("leaky_relu", {"negative_slope": 0.1}, 0.0, 0.1),
    ("elu", {"alpha": 2.0}, 0.0, 2.0),
    ("selu", {}, 0.0, 1.7580993408473766),
    ("hardtanh", {}, -1.0, 0.0),
    ("hardtanh", {}, 1.0, 0.0),
    ("rrelu", {}, 0.0, 0.22916666666666666),
    ("softsign", {}, 0.0, 1.0),
    ("binary_step", {}, 0.0, 0.0),
    ("bipolar_relu", {}, 0.0, 0.0),
    ("sqnl", {}, 2.0, 0.0),
    ("isrlu", {}, 0.0, 1.0),
    ("softplus", {"beta": 2.0, "threshold": 20.0}, 10.0, 0.9999999979388464),
    ("softplus", {"beta": 2.0, "threshold": 20.0}, 10.0001, 1.0),
])
def test_derivative_at_kinks_follows_pytorch(name, kw, x, expected):
    d = fns(name, kw)[1]
    np.testing.assert_allclose(d(np.full((1, 2), x)), np.full((1, 2), expected), rtol=1e-15)


def test_sigmoid_derivative_peaks_at_a_quarter():
    # The notes' vanishing-gradient number: sigma'(x) = sigma(x)(1 - sigma(x)) <= 1/4, equality at 0.
    x = np.linspace(-10, 10, 2001)
    d = nnref.sigmoid_derivative(x)
    assert d.max() == 0.25 and x[d.argmax()] == 0.0
    np.testing.assert_allclose(nnref.sigmoid(0.0), 0.5)


def test_bipolar_relu_alternates_units():
    x = np.array([[-1.0, -1.0, 2.0, 2.0, -3.0]])
    np.testing.assert_array_equal(nnref.bipolar_relu(x), [[0.0, -1.0, 2.0, 0.0, 0.0]])
    x4 = np.full((1, 3, 2, 2), -1.0)  # units on dim 1, spatial axes follow
    np.testing.assert_array_equal(nnref.bipolar_relu(x4)[0, :, 0, 0], [0.0, -1.0, 0.0])


# ----------------------------------------------------------------------------- dtypes, mutation, stability
ALL = CASES + [pytest.param("prelu", {"weight": np.array([0.25])}, [0.0], id="prelu")]


def call_all(name, kw, x, g):
    """forward, derivative and backward (first gradient) of ``name`` at ``x``."""
    f, d, b = fns(name, kw)
    grad = b(g, x)
    return f(x), d(x), grad[0] if isinstance(grad, tuple) else grad


@pytest.mark.parametrize(("name", "kw", "kinks"), ALL)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_keeps_floating_dtype(name, kw, kinks, dtype):
    kw = {k: (np.asarray(a, dtype) if isinstance(a, np.ndarray) else a) for k, a in kw.items()}
    x = np.array([[-1.5, 0.0, 0.5, 2.5]], dtype=dtype)
    for out in call_all(name, kw, x, np.ones_like(x)):
        assert out.dtype == dtype and out.shape == x.shape


@pytest.mark.parametrize(("name", "kw", "kinks"), ALL)
def test_computes_integers_and_bools_in_float64(name, kw, kinks):
    for x in (np.array([[-2, 0, 1, 3]]), np.array([[True, False, True, False]])):
        for out in call_all(name, kw, x, np.ones((1, 4), dtype=int)):
            assert out.dtype == np.float64


@pytest.mark.parametrize(("name", "kw", "kinks"), ALL)
def test_does_not_modify_inputs(name, kw, kinks):
    x = np.array([[-1.5, 0.0, 0.5, 2.5]])
    g = np.array([[1.0, -2.0, 3.0, 0.5]])
    call_all(name, kw, x, g)
    np.testing.assert_array_equal(x, [[-1.5, 0.0, 0.5, 2.5]])
    np.testing.assert_array_equal(g, [[1.0, -2.0, 3.0, 0.5]])


@pytest.mark.parametrize(("name", "kw", "kinks"), ALL)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_finite_and_silent_for_large_inputs(name, kw, kinks, dtype):
    # pytest turns every RuntimeWarning (overflow, invalid) into an error.
    kw = {k: (np.asarray(a, dtype) if isinstance(a, np.ndarray) else a) for k, a in kw.items()}
    x = np.array([[-1e4, -1e3, -100.0, -30.0], [30.0, 100.0, 1e3, 1e4]], dtype=dtype)
    for out in call_all(name, kw, x, np.ones_like(x)):
        assert np.all(np.isfinite(out))


@pytest.mark.parametrize(("name", "kw", "kinks"), [c for c in ALL if c.values[0] != "bipolar_relu"])
def test_zero_dimensional_input(name, kw, kinks):
    for value in (0.5, np.float32(-2.0), 3):
        outs = call_all(name, kw, value, 1.0)
        assert all(np.shape(out) == () for out in outs)
        f = fns(name, kw)[0]
        np.testing.assert_array_equal(outs[0], f(np.array([value]))[0])


def test_large_input_limits():
    x = np.array([-1e4, 1e4])
    np.testing.assert_array_equal(nnref.sigmoid(x), [0.0, 1.0])
    np.testing.assert_array_equal(nnref.softplus(x), [0.0, 1e4])
    np.testing.assert_array_equal(nnref.gelu(x), [0.0, 1e4])
    np.testing.assert_array_equal(nnref.elu(x), [-1.0, 1e4])
    np.testing.assert_array_equal(nnref.mish(x), [0.0, 1e4])
    np.testing.assert_array_equal(nnref.silu(x), [0.0, 1e4])


def test_small_sigmoid_and_gelu_values_keep_relative_precision():
    # sigma(-30) = 1 / (1 + e^30) and gelu(-10) = -10 Phi(-10), from math.erfc (independent).
    np.testing.assert_allclose(nnref.sigmoid(np.array([-30.0])), [1 / (1 + math.exp(30))], rtol=1e-14)
    phi = 0.5 * math.erfc(10 / math.sqrt(2))
    np.testing.assert_allclose(nnref.gelu(np.array([-10.0])), [-10 * phi], rtol=1e-13)
    np.testing.assert_allclose(nnref.sigmoid(np.array([-30.0], np.float32)), [1 / (1 + math.exp(30))], rtol=1e-6)


@pytest.mark.parametrize(("low", "high", "rtol"), [(-6, 10, 1e-14), (-30, -6, 1e-12)])
def test_gelu_normal_cdf_matches_math_erfc(low, high, rtol):
    # Phi(x) = gelu(x) / x. In the far tail the reference itself is only good to
    # about x^2 * 1e-16 (the rounding of x / sqrt(2) is amplified by exp(-x^2/2)).
    x = np.linspace(low, high, 2001)
    x = x[x != 0]
    expected = [0.5 * math.erfc(-t / math.sqrt(2)) for t in x]
    np.testing.assert_allclose(nnref.gelu(x) / x, expected, rtol=rtol)


# ----------------------------------------------------------------------------- prelu and rrelu
@pytest.mark.parametrize("weight", [np.array([0.25]), np.array([0.1, -0.2, 0.3]), np.array(0.4)])
def test_prelu_backward_matches_finite_differences(weight):
    x = np.resize(smooth_points([0.0]), (2, 3, 2))
    check_backward(nnref.prelu, nnref.prelu_backward, [x, weight], argnums=(0, 1))


@pytest.mark.parametrize("shape", [(2, 3, 4, 4), (5, 3), (7,)])
def test_prelu_parity_with_torch(shape):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape)
    x.flat[:3] = 0.0  # kinks
    g = rng.standard_normal(shape)
    for weight in (rng.uniform(0, 0.5, 1), rng.uniform(0, 0.5, shape[1] if len(shape) > 1 else 1)):
        out, (gx, gw) = torch_vjp(torch.nn.functional.prelu, [x, weight], g, (True, True))
        assert_close(nnref.prelu(x, weight), out)
        mine = nnref.prelu_backward(g, x, weight)
        assert_close(mine[0], gx)
        assert_close(mine[1], gw)
        assert mine[1].shape == weight.shape


@pytest.mark.parametrize("weight", [[0.5, 2.0, -0.3], [1.5, 2.0, 1.0], [0.0, 1.0, -2.0]])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_prelu_slopes_above_below_and_across_one(weight, dtype):
    # prelu takes max(x, a x), min(x, a x) or a mixed formula depending on the slopes;
    # each must give exactly a x for x <= 0 and x for x > 0 (hand-written expectation).
    x = np.array([[-2.0, -0.5, 0.0, 0.25, 3.0]] * 3, dtype).T[None]  # (1, 5, 3)
    x = np.moveaxis(x, 2, 1)  # (1, 3, 5): channel c sees the same five values
    w = np.array(weight, dtype)
    expected = np.where(x > 0, x, w[:, None] * x)
    y = nnref.prelu(x, w)
    assert y.dtype == dtype
    np.testing.assert_array_equal(y, expected)
    np.testing.assert_array_equal(nnref.prelu_derivative(x, w), np.where(x > 0, 1.0, w[:, None] + 0 * x))


def test_prelu_rejects_wrong_number_of_slopes():
    message = r"prelu: weight must hold 1 slope or one per channel \(3 on dim 1 of x\), got shape \(2,\)"
    with pytest.raises(ValueError, match=message):
        nnref.prelu(np.ones((2, 3)), np.ones(2))
    with pytest.raises(ValueError, match="prelu_backward: weight must hold"):
        nnref.prelu_backward(np.ones((2, 3)), np.ones((2, 3)), np.ones((3, 1)))


def test_rrelu_training_draws_per_element_slopes_in_range():
    x = -np.ones((200, 4))
    y = nnref.rrelu(x, lower=0.1, upper=0.3, training=True, rng=0)
    slopes = y / x
    assert slopes.min() >= 0.1 and slopes.max() <= 0.3 and np.unique(slopes).size > 100
    expected = np.random.default_rng(0).uniform(0.1, 0.3, size=x.shape)
    np.testing.assert_array_equal(slopes, expected)
    np.testing.assert_array_equal(nnref.rrelu(-x, training=True, rng=0), -x)


def test_rrelu_training_backward_reuses_the_forward_slopes():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((6, 4))
    g = rng.standard_normal(x.shape)
    gen = np.random.default_rng(5)
    y = nnref.rrelu(x, training=True, rng=np.random.default_rng(5))
    grad = nnref.rrelu_backward(g, x, training=True, rng=gen)
    slope = np.where(x > 0, 1.0, y / x)
    np.testing.assert_allclose(grad, g * slope, rtol=1e-15)
    np.testing.assert_allclose(nnref.rrelu_derivative(x, training=True, rng=5), slope, rtol=1e-15)
    check_backward(lambda t: nnref.rrelu(t, training=True, rng=5),
                   lambda g_, t: nnref.rrelu_backward(g_, t, training=True, rng=5), [x])


def test_rrelu_eval_is_leaky_relu_with_mean_slope():
    x = np.array([-4.0, 0.0, 2.0])
    np.testing.assert_array_equal(nnref.rrelu(x, 0.25, 0.75), nnref.leaky_relu(x, 0.5))
    np.testing.assert_array_equal(nnref.rrelu(x), nnref.leaky_relu(x, (1 / 8 + 1 / 3) / 2))


def test_rrelu_backward_in_training_needs_rng():
    with pytest.raises(ValueError, match="rrelu_backward: rng must be given when training=True"):
        nnref.rrelu_backward(np.ones(2), np.ones(2), training=True)


# ----------------------------------------------------------------------------- softmax and log_softmax
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_softmax_backward_matches_finite_differences(name, dim):
    f, b = getattr(nnref, name), getattr(nnref, name + "_backward")
    x = np.random.default_rng(0).standard_normal((3, 4))
    check_backward(lambda t: f(t, dim), lambda g, t: b(g, t, dim), [x])


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize(("shape", "dim"), [((3, 4), 1), ((2, 3, 4), 0), ((2, 3, 4), -2), ((5,), 0), ((), 0)])
def test_softmax_parity_with_torch(name, shape, dim):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    x, g = 3 * rng.standard_normal(shape), rng.standard_normal(shape)
    out, (grad,) = torch_vjp(lambda t: getattr(torch.nn.functional, name)(t, dim=dim), [x], g, (True,))
    assert_close(getattr(nnref, name)(x, dim), out)
    assert_close(getattr(nnref, name + "_backward")(g, x, dim), grad)


def test_softmax_is_stable_for_huge_logits():
    x = np.array([[1e4, 1e4 - np.log(3.0)], [-1e4, 0.0]])
    np.testing.assert_allclose(nnref.softmax(x, 1), [[0.75, 0.25], [0.0, 1.0]], rtol=1e-12)
    x = x.astype(np.float32)
    assert np.all(np.isfinite(nnref.log_softmax(x, 1)))
    np.testing.assert_array_equal(nnref.log_softmax(np.array([0.0, -1e4]), 0), [0.0, -1e4])
    assert nnref.softmax(x, 1).dtype == np.float32
    assert nnref.softmax_backward(np.ones((2, 2), np.float32), x, dim=1).dtype == np.float32


def test_softmax_requires_dim():
    with pytest.raises(TypeError, match="softmax: dim must be an integer"):
        nnref.softmax(np.ones(3), None)
    with pytest.raises(TypeError):
        nnref.softmax(np.ones(3))  # no default
    with pytest.raises(ValueError, match=r"log_softmax: dim must be in \[-2, 1\] for a 2-D input, got 2"):
        nnref.log_softmax(np.ones((2, 2)), 2)
    with pytest.raises(ValueError, match="softmax_backward: grad_output must have the output's shape"):
        nnref.softmax_backward(np.ones(2), np.ones(3), 0)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_softmax_backward_with_output_matches_finite_differences(name, dim):
    f, b = getattr(nnref, name), getattr(nnref, name + "_backward")
    x = np.random.default_rng(1).standard_normal((3, 4))
    check_backward(lambda t: f(t, dim), lambda g, t: b(g, t, dim, output=f(t, dim)), [x])


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("offset", [0.0, 800.0, -800.0, "mixed"])
def test_softmax_parity_with_torch_with_and_without_output(name, offset):
    # e^{x +- 800} overflows / underflows in float64, so these take the shifted path; "mixed" shifts one row.
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2)
    x, g = 3 * rng.standard_normal((3, 5)), rng.standard_normal((3, 5))
    if offset == "mixed":
        x[1] += 800.0
    else:
        x += offset
    out, (grad,) = torch_vjp(lambda t: getattr(torch.nn.functional, name)(t, dim=1), [x], g, (True,))
    b = getattr(nnref, name + "_backward")
    assert_close(getattr(nnref, name)(x, 1), out)
    assert_close(b(g, x, 1), grad)
    assert_close(b(g, x, 1, output=out), grad)  # torch's own forward output: independent of nnref


def test_softmax_float32_extremes_match_torch():
    # Slices whose e^x overflow (90) or sum to less than 1 (-90) in float32, and a slice whose
    # e^{-100} is subnormal: the values of torch's float32 kernel (shifted by the max).
    torch = pytest.importorskip("torch")
    x = np.array([[90.0, 90.0, 89.0], [-90.0, -90.0, -91.0], [0.0, -100.0, 1.0]], np.float32)
    g = np.array([[1.0, -2.0, 0.5], [0.25, 1.0, -1.0], [2.0, 1.0, -1.0]], np.float32)
    for name in ("softmax", "log_softmax"):
        tx = torch.from_numpy(x).requires_grad_()
        ty = getattr(torch.nn.functional, name)(tx, dim=1)
        (tgrad,) = torch.autograd.grad(ty, tx, torch.from_numpy(g))
        y = getattr(nnref, name)(x, 1)
        assert y.dtype == np.float32
        np.testing.assert_allclose(y, ty.detach().numpy(), rtol=1e-6, atol=1e-45)
        grad = getattr(nnref, name + "_backward")(g, x, 1)
        assert grad.dtype == np.float32
        np.testing.assert_allclose(grad, tgrad.numpy(), rtol=1e-5, atol=1e-6)


def test_softmax_backward_uses_the_given_output():
    # output is not checked against x: the result is the formula with that y (independent numpy).
    g, x, y = np.array([[1.0, -2.0, 0.5]]), np.zeros((1, 3)), np.array([[0.2, 0.3, 0.5]])
    np.testing.assert_allclose(nnref.softmax_backward(g, x, 1, output=y), y * (g - np.sum(g * y)), rtol=1e-15)
    log_y = np.log(y)
    np.testing.assert_allclose(nnref.log_softmax_backward(g, x, 1, output=log_y), g - y * np.sum(g), rtol=1e-15)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize(("gx_dtype", "out_dtype", "expected"), [
    (np.float32, np.float32, np.float32), (np.float32, np.float64, np.float64),
    (np.float64, np.float32, np.float64), (np.int64, np.float32, np.float64),
])
def test_softmax_backward_output_dtype_is_the_widest(name, gx_dtype, out_dtype, expected):
    g, x = np.ones((2, 3), gx_dtype), np.arange(6).reshape(2, 3).astype(gx_dtype)
    y = getattr(nnref, name)(x.astype(np.float64), 1).astype(out_dtype)
    grad = getattr(nnref, name + "_backward")(g, x, 1, output=y)
    assert grad.dtype == expected
    np.testing.assert_allclose(grad, getattr(nnref, name + "_backward")(g, x.astype(np.float64), 1), atol=1e-6)


@pytest.mark.parametrize("name", ["softmax_backward", "log_softmax_backward"])
def test_softmax_backward_rejects_bad_output(name):
    b = getattr(nnref, name)
    with pytest.raises(ValueError, match=rf"^{name}: output must have the shape of x \(2, 3\), got \(3, 2\)$"):
        b(np.ones((2, 3)), np.ones((2, 3)), 1, output=np.ones((3, 2)))
    with pytest.raises(TypeError, match=f"^{name}: output must be a real numeric array, got dtype complex128"):
        b(np.ones((2, 3)), np.ones((2, 3)), 1, output=np.ones((2, 3), complex))
    with pytest.raises(TypeError):
        b(np.ones((2, 3)), np.ones((2, 3)), 1, np.ones((2, 3)))  # output is keyword-only


# ----------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(("name", "kw", "kinks"), ALL)
def test_rejects_non_real_input(name, kw, kinks):
    f, d, b = fns(name, kw)
    for call, fn in ((lambda: f(["a", "b"]), name), (lambda: d(np.array([[1 + 2j]])), name + "_derivative"),
                     (lambda: b(np.ones((1, 1)), np.array([[object()]])), name + "_backward")):
        with pytest.raises(TypeError, match=f"^{fn}: x must be a real numeric array"):
            call()


@pytest.mark.parametrize(("name", "kw", "kinks"), ALL)
def test_backward_rejects_mismatched_grad_output(name, kw, kinks):
    b = fns(name, kw)[2]
    message = rf"^{name}_backward: grad_output must have the output's shape \(2, 3\), got \(3, 2\)"
    with pytest.raises(ValueError, match=message):
        b(np.ones((3, 2)), np.ones((2, 3)))


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: nnref.leaky_relu([1.0], negative_slope="big"), TypeError,
     "leaky_relu: negative_slope must be a real number, got 'big'"),
    (lambda: nnref.leaky_relu_backward([1.0], [1.0], negative_slope=None), TypeError,
     "leaky_relu_backward: negative_slope must be a real number, got None"),
    (lambda: nnref.leaky_relu_derivative([1.0], negative_slope=float("nan")), ValueError,
     "leaky_relu_derivative: negative_slope must be finite, got nan"),
    (lambda: nnref.elu([1.0], alpha="1"), TypeError, "elu: alpha must be a real number, got '1'"),
    (lambda: nnref.isru([1.0], alpha=0.0), ValueError, "isru: alpha must be positive, got 0.0"),
    (lambda: nnref.isrlu_backward([1.0], [1.0], alpha=-1), ValueError,
     "isrlu_backward: alpha must be positive, got -1.0"),
    (lambda: nnref.softplus([1.0], beta=0), ValueError, "softplus: beta must be positive, got 0.0"),
    (lambda: nnref.softplus_derivative([1.0], threshold=True), TypeError,
     "softplus_derivative: threshold must be a real number, got True"),
    (lambda: nnref.gelu([1.0], approximate="fast"), ValueError,
     "gelu: approximate must be one of 'none', 'tanh', got 'fast'"),
    (lambda: nnref.hardtanh([1.0], min_val=2.0, max_val=1.0), ValueError,
     "hardtanh: min_val must be <= max_val, got min_val=2.0, max_val=1.0"),
    (lambda: nnref.rrelu([1.0], lower=0.5, upper=0.1), ValueError,
     "rrelu: lower must be <= upper, got lower=0.5, upper=0.1"),
    (lambda: nnref.rrelu([1.0], training="yes"), TypeError, "rrelu: training must be True or False, got 'yes'"),
    (lambda: nnref.rrelu([1.0], training=True, rng="seed"), TypeError, "rrelu: rng must be an integer, got 'seed'"),
    (lambda: nnref.bipolar_relu([1.0, 2.0]), ValueError,
     r"bipolar_relu: x must have at least 2 dimensions \(N, C, \*\), got shape \(2,\)"),
    (lambda: nnref.sigmoid([[1.0], [1.0, 2.0]]), ValueError, "sigmoid: x must be a rectangular array"),
])
def test_bad_arguments_raise_clear_errors(call, error, message):
    with pytest.raises(error, match=f"^{message}"):
        call()


# ----------------------------------------------------------------------------- properties
finite = arrays(np.float64, st.integers(1, 12), elements=st.floats(-50, 50))
MONOTONIC = ["relu", "leaky_relu", "rrelu", "sigmoid", "tanh", "arctan", "binary_step", "elu", "selu",
             "softsign", "softplus", "isru", "isrlu", "sqnl", "hardtanh", "identity"]


@settings(max_examples=30, deadline=None)
@given(x=finite)
def test_monotonic_activations_preserve_order(x):
    x = np.sort(x)
    for name in MONOTONIC:
        assert np.all(np.diff(getattr(nnref, name)(x)) >= 0), name
        assert np.all(getattr(nnref, name + "_derivative")(x) >= 0), name


@settings(max_examples=30, deadline=None)
@given(x=finite)
def test_sigmoid_and_tanh_symmetries(x):
    np.testing.assert_allclose(nnref.sigmoid(x) + nnref.sigmoid(-x), 1.0, rtol=1e-15)
    np.testing.assert_allclose(nnref.tanh(x), 2 * nnref.sigmoid(2 * x) - 1, atol=1e-15)
    assert np.all(nnref.sigmoid_derivative(x) <= 0.25)
    np.testing.assert_allclose(nnref.silu(x), x * nnref.sigmoid(x), rtol=1e-15)
    np.testing.assert_allclose(nnref.selu(x), 1.0507009873554805 * nnref.elu(x, 1.6732632423543772), rtol=1e-15)


@settings(max_examples=30, deadline=None)
@given(x=arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 5)), elements=st.floats(-1e3, 1e3)),
       shift=st.floats(-1e3, 1e3))
def test_softmax_is_a_distribution_and_shift_invariant(x, shift):
    y = nnref.softmax(x, dim=1)
    np.testing.assert_allclose(y.sum(axis=1), 1.0, rtol=1e-12)
    assert np.all(y >= 0)
    np.testing.assert_allclose(nnref.softmax(x + shift, dim=1), y, atol=1e-12)
    np.testing.assert_allclose(np.exp(nnref.log_softmax(x, dim=1)), y, atol=1e-12)


def test_backward_is_linear_in_grad_output():
    # A vector-Jacobian product is linear in the upstream gradient.
    rng = np.random.default_rng(0)
    x, g1, g2 = rng.standard_normal((3, 2, 4))
    for name, kw, _ in ELEMENTWISE:
        b = fns(name, kw)[2]
        np.testing.assert_allclose(b(2 * g1 + g2, x), 2 * b(g1, x) + b(g2, x), rtol=1e-12, atol=1e-15)
    w = np.array([0.1, 0.2, 0.3, 0.4])
    lhs = nnref.prelu_backward(2 * g1 + g2, x, w)[1]
    rhs = 2 * nnref.prelu_backward(g1, x, w)[1] + nnref.prelu_backward(g2, x, w)[1]
    np.testing.assert_allclose(lhs, rhs, rtol=1e-12)
    np.testing.assert_allclose(numerical_vjp(lambda t: nnref.prelu(t, w), [x], 0, g1),
                               nnref.prelu_backward(g1, x, w)[0], rtol=1e-6, atol=1e-8)


def test_float32_gelu_matches_math_erfc_to_float32_precision():
    # The float32 path has its own normal tail (one polynomial, no masks). Reference in
    # float64 from math.erfc (independent). Relative error of Phi in the tails is bounded
    # by ~x^2 * eps32, the sensitivity of Phi to the rounding of x itself.
    x = np.linspace(-13, 8, 4001, dtype=np.float32)
    x64 = x.astype(np.float64)
    cdf = np.array([0.5 * math.erfc(-t / math.sqrt(2)) for t in x64])
    y = nnref.gelu(x)
    assert y.dtype == np.float32
    np.testing.assert_array_less(np.abs(y - x64 * cdf), 1e-6 * np.maximum(1, x64**2) * np.abs(x64 * cdf) + 1e-45)
    pdf = np.exp(-0.5 * x64**2) / math.sqrt(2 * math.pi)
    d = nnref.gelu_derivative(x)
    assert d.dtype == np.float32
    np.testing.assert_allclose(d, cdf + x64 * pdf, rtol=0, atol=3e-7)
    np.testing.assert_array_equal(nnref.gelu(np.array([-1e4, 0.0, 1e4], np.float32)), [0.0, 0.0, 1e4])


def test_float32_gelu_over_several_blocks_and_a_transposed_input():
    # The float32 normal CDF (nnref._special) runs over flat blocks of 65536 elements: here three
    # blocks and a partial one, against the float64 path (Cody's approximations, a different algorithm,
    # checked against torch and math.erfc above). A transposed input gives the same values.
    x = np.linspace(-13, 8, 3 * 65536 + 5, dtype=np.float32)
    x64 = x.astype(np.float64)
    y, d = nnref.gelu(x), nnref.gelu_derivative(x)
    expected = nnref.gelu(x64)
    np.testing.assert_array_less(np.abs(y - expected), 1e-6 * np.maximum(1, x64**2) * np.abs(expected) + 1e-45)
    np.testing.assert_allclose(d, nnref.gelu_derivative(x64), rtol=0, atol=3e-7)
    t = x[:-5].reshape(768, 256).T
    for f in (nnref.gelu, nnref.gelu_derivative):
        np.testing.assert_array_equal(f(t), f(np.ascontiguousarray(t)))


def test_float32_gelu_derivative_keeps_relative_precision_in_the_negative_tail():
    # gelu'(x) = Phi(x) + x phi(x) is tiny for x << 0; a formula that goes through 1 - Q or 0.5 +- ...
    # would round it to 0. Same budget as gelu: 1e-6 x^2 relative (reference from math.erfc).
    x = np.linspace(-13, -1, 2001, dtype=np.float32)
    x64 = x.astype(np.float64)
    cdf = np.array([0.5 * math.erfc(-t / math.sqrt(2)) for t in x64])
    expected = cdf + x64 * np.exp(-0.5 * x64**2) / math.sqrt(2 * math.pi)
    d = nnref.gelu_derivative(x)
    keep = np.abs(expected) > 1e-36  # float32 normal range
    np.testing.assert_array_less(np.abs(d - expected)[keep], 1e-6 * x64[keep] ** 2 * np.abs(expected[keep]))
    np.testing.assert_array_less(d, 0.0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_piecewise_derivatives_take_their_exact_values(dtype):
    # Each piece is exactly its constant, in the dtype of x: 1 (or SELU's lambda) above 0, the slope at
    # and below 0 (hand-written expectation; the derivatives add the two pieces, so rounding could show).
    x = np.array([-2.0, -0.0, 0.0, 0.5, 3.0], dtype)
    above = x > 0
    for slope in (0.01, 0.5, -0.3, 1.5, -2.0):
        d = nnref.leaky_relu_derivative(x, negative_slope=slope)
        np.testing.assert_array_equal(d, np.where(above, 1, dtype(slope)))
    for alpha in (0.5, 1.0, 1.6732632423543772, 2.0):
        d = nnref.elu_derivative(x, alpha=alpha)
        assert d.dtype == dtype
        np.testing.assert_array_equal(d[above], 1.0)
        assert d[2] == dtype(alpha)  # at the kink
    d = nnref.selu_derivative(x)
    np.testing.assert_array_equal(d[above], dtype(1.0507009873554805))
    assert d[2] == dtype(1.0507009873554805 * 1.6732632423543772)
