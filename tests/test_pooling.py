"""Tests for nnref.pooling: worked examples, PyTorch parity, gradients, ties, dtypes, errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnref
from helpers import assert_close, check_backward, torch_vjp

# The 4x4 example (distinct values), pooled 2x2 with stride 2; results computed by hand.
X44 = np.array([[3.0, 12.0, 0.0, 7.0],
                [8.0, 1.0, 14.0, 5.0],
                [10.0, 6.0, 2.0, 13.0],
                [9.0, 15.0, 4.0, 11.0]])

# (nd, input spatial shape, kernel_size, stride, padding, dilation, ceil_mode)
MAX_CASES = [
    (1, (9,), 2, None, 0, 1, False),
    (1, (10,), 3, 2, 1, 1, True),
    (1, (11,), 3, 2, 1, 2, False),
    (1, (8,), 4, 3, 2, 1, True),
    (2, (6, 7), 2, None, 0, 1, False),
    (2, (7, 7), 3, 2, 1, 1, True),
    (2, (7, 8), (3, 2), (2, 1), (1, 0), (2, 3), False),
    (2, (5, 6), 2, 1, 1, 1, False),
    (2, (9, 9), 3, 3, 1, 1, True),
    (3, (4, 5, 6), 2, None, 0, 1, False),
    (3, (5, 5, 5), 3, 2, 1, 1, True),
    (3, (5, 6, 7), (2, 3, 2), (1, 2, 2), (1, 1, 0), (2, 1, 2), True),
]

# (nd, input spatial shape, kernel_size, stride, padding, ceil_mode)
AVG_CASES = [
    (1, (9,), 2, None, 0, False),
    (1, (10,), 3, 2, 1, True),
    (1, (8,), 4, 3, 2, True),
    (2, (6, 7), 2, None, 0, False),
    (2, (7, 7), 3, 2, 1, True),
    (2, (7, 8), (3, 2), (2, 1), (1, 0), False),
    (2, (5, 5), 2, 2, 1, True),
    (3, (4, 5, 6), 2, None, 0, False),
    (3, (5, 6, 7), (2, 3, 2), (1, 2, 2), (1, 1, 0), True),
]

MAX = {1: nnref.max_pool1d, 2: nnref.max_pool2d, 3: nnref.max_pool3d}
MAX_BACKWARD = {1: nnref.max_pool1d_backward, 2: nnref.max_pool2d_backward, 3: nnref.max_pool3d_backward}
MIN = {1: nnref.min_pool1d, 2: nnref.min_pool2d, 3: nnref.min_pool3d}
MIN_BACKWARD = {1: nnref.min_pool1d_backward, 2: nnref.min_pool2d_backward, 3: nnref.min_pool3d_backward}
AVG = {1: nnref.avg_pool1d, 2: nnref.avg_pool2d, 3: nnref.avg_pool3d}
AVG_BACKWARD = {1: nnref.avg_pool1d_backward, 2: nnref.avg_pool2d_backward, 3: nnref.avg_pool3d_backward}
ADAPTIVE_AVG = {1: nnref.adaptive_avg_pool1d, 2: nnref.adaptive_avg_pool2d, 3: nnref.adaptive_avg_pool3d}
ADAPTIVE_AVG_BACKWARD = {1: nnref.adaptive_avg_pool1d_backward, 2: nnref.adaptive_avg_pool2d_backward,
                         3: nnref.adaptive_avg_pool3d_backward}


def _inputs(spatial, ties, seed=0):
    """A random (2, 3, *spatial) input; with ``ties`` small integers, so windows repeat values."""
    rng = np.random.default_rng(seed)
    shape = (2, 3, *spatial)
    return rng.integers(0, 3, shape).astype(np.float64) if ties else rng.standard_normal(shape)


# --- worked examples ---------------------------------------------------------------------------


def test_notes_4x4_example_by_hand():
    x = X44[None, None]
    np.testing.assert_array_equal(nnref.max_pool2d(x, 2)[0, 0], [[12, 14], [15, 13]])
    np.testing.assert_array_equal(nnref.min_pool2d(x, 2)[0, 0], [[1, 0], [6, 2]])
    np.testing.assert_array_equal(nnref.avg_pool2d(x, 2)[0, 0], [[6, 6.5], [10, 7.5]])


def test_notes_4x4_example_gradients_by_hand():
    x, g = X44[None, None], np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    expected_max = np.zeros((4, 4))
    expected_max[0, 1], expected_max[1, 2], expected_max[3, 1], expected_max[2, 3] = 1, 2, 3, 4
    np.testing.assert_array_equal(nnref.max_pool2d_backward(g, x, 2)[0, 0], expected_max)
    expected_min = np.zeros((4, 4))
    expected_min[1, 1], expected_min[0, 2], expected_min[2, 1], expected_min[2, 2] = 1, 2, 3, 4
    np.testing.assert_array_equal(nnref.min_pool2d_backward(g, x, 2)[0, 0], expected_min)
    expected_avg = np.kron([[1.0, 2.0], [3.0, 4.0]], np.full((2, 2), 0.25))
    np.testing.assert_array_equal(nnref.avg_pool2d_backward(g, x, 2)[0, 0], expected_avg)


def test_all_equal_window_sends_gradient_to_first_element():
    grad = nnref.max_pool2d_backward(np.ones((1, 1, 1, 1)), np.full((1, 1, 3, 3), 7.0), 3)
    expected = np.zeros((1, 1, 3, 3))
    expected[0, 0, 0, 0] = 1
    np.testing.assert_array_equal(grad, expected)


# --- PyTorch parity ----------------------------------------------------------------------------


@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("nd, spatial, k, s, p, d, ceil", MAX_CASES)
def test_max_pool_parity_with_torch(nd, spatial, k, s, p, d, ceil, ties):
    torch = pytest.importorskip("torch")
    x = _inputs(spatial, ties)
    kw = dict(kernel_size=k, stride=s, padding=p, dilation=d, ceil_mode=ceil)
    torch_fn = getattr(torch.nn.functional, f"max_pool{nd}d")
    y = MAX[nd](x, **kw)
    g = np.random.default_rng(1).standard_normal(y.shape)
    out, (grad,) = torch_vjp(lambda t: torch_fn(t, **kw), [x], g, (True,))
    assert_close(y, out)
    assert_close(MAX_BACKWARD[nd](g, x, **kw), grad)


@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("nd, spatial, k, s, p, d, ceil", MAX_CASES[::2])
def test_min_pool_parity_with_negated_torch_max_pool(nd, spatial, k, s, p, d, ceil, ties):
    torch = pytest.importorskip("torch")
    x = _inputs(spatial, ties)
    kw = dict(kernel_size=k, stride=s, padding=p, dilation=d, ceil_mode=ceil)
    torch_fn = getattr(torch.nn.functional, f"max_pool{nd}d")
    y = MIN[nd](x, **kw)
    g = np.random.default_rng(1).standard_normal(y.shape)
    out, (grad,) = torch_vjp(lambda t: -torch_fn(-t, **kw), [x], g, (True,))
    assert_close(y, out)
    assert_close(MIN_BACKWARD[nd](g, x, **kw), grad)


@pytest.mark.parametrize("count_include_pad, divisor_override", [(True, None), (False, None), (True, 3)])
@pytest.mark.parametrize("nd, spatial, k, s, p, ceil", AVG_CASES)
def test_avg_pool_parity_with_torch(nd, spatial, k, s, p, ceil, count_include_pad, divisor_override):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    x = _inputs(spatial, False)
    kw = dict(kernel_size=k, stride=s, padding=p, ceil_mode=ceil, count_include_pad=count_include_pad,
              divisor_override=divisor_override)
    if nd == 1:  # torch's avg_pool1d has no divisor_override: use avg_pool2d on an (N, C, 1, L) input
        def torch_fn(t):
            one = lambda a, fill: (fill, a if not isinstance(a, tuple) else a[0])  # noqa: E731
            return F.avg_pool2d(t[:, :, None], one(k, 1), None if s is None else one(s, 1), one(p, 0),
                                ceil, count_include_pad, divisor_override)[:, :, 0]
    else:
        def torch_fn(t):
            return getattr(F, f"avg_pool{nd}d")(t, **kw)
    y = AVG[nd](x, **kw)
    g = np.random.default_rng(1).standard_normal(y.shape)
    out, (grad,) = torch_vjp(torch_fn, [x], g, (True,))
    assert_close(y, out)
    assert_close(AVG_BACKWARD[nd](g, x, **kw), grad)


@pytest.mark.parametrize("nd, spatial, output_size", [
    (1, (10,), 3), (1, (5,), 7), (1, (6,), (None,)),
    (2, (7, 9), (3, 4)), (2, (5, 5), 1), (2, (4, 6), (None, 4)), (2, (3, 4), (5, 6)),
    (3, (5, 6, 7), (2, 3, 4)), (3, (4, 4, 4), (None, 1, 3)),
])
def test_adaptive_avg_pool_parity_with_torch(nd, spatial, output_size):
    """``None`` keeps an input size (as in torch's 2-D and 3-D functions; nnref also allows it in 1-D)."""
    torch = pytest.importorskip("torch")
    torch_fn = getattr(torch.nn.functional, f"adaptive_avg_pool{nd}d")
    x = _inputs(spatial, False)
    y = ADAPTIVE_AVG[nd](x, output_size)
    g = np.random.default_rng(1).standard_normal(y.shape)
    out, (grad,) = torch_vjp(lambda t: torch_fn(t, y.shape[2:]), [x], g, (True,))  # torch 1-D: no None
    assert_close(y, out)
    assert_close(ADAPTIVE_AVG_BACKWARD[nd](g, x, output_size), grad)


@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("spatial, output_size", [((7, 9), (3, 4)), ((5, 5), 1), ((4, 6), (None, 4)),
                                                  ((3, 4), (5, 6)), ((8, 8), 4)])
def test_adaptive_max_pool2d_parity_with_torch(spatial, output_size, ties):
    torch = pytest.importorskip("torch")
    x = _inputs(spatial, ties)
    y = nnref.adaptive_max_pool2d(x, output_size)
    g = np.random.default_rng(1).standard_normal(y.shape)
    out, (grad,) = torch_vjp(lambda t: torch.nn.functional.adaptive_max_pool2d(t, output_size), [x], g, (True,))
    assert_close(y, out)
    assert_close(nnref.adaptive_max_pool2d_backward(g, x, output_size), grad)


def test_nan_and_minus_infinity_follow_torch():
    """A NaN wins its window and takes the gradient (the last NaN); an all -inf window picks its
    first input element, never the padding."""
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    x = np.array([[[1.0, np.nan, 2.0, np.nan, 0.0, -np.inf, -np.inf, -np.inf, 3.0]]])
    g = np.arange(1.0, 6.0)[None, None]
    kw = dict(kernel_size=4, stride=2, padding=2)
    out, (grad,) = torch_vjp(lambda t: F.max_pool1d(t, **kw), [x], g, (True,))
    np.testing.assert_array_equal(nnref.max_pool1d(x, **kw), out)
    np.testing.assert_array_equal(nnref.max_pool1d_backward(g, x, **kw), grad)
    x2 = np.where(np.isnan(x), 5.0, x)[:, :, None, :].repeat(2, axis=2)  # (1, 1, 2, 9)
    x2[0, 0, 1, 3] = np.nan
    out, (grad,) = torch_vjp(lambda t: F.adaptive_max_pool2d(t, (1, 3)), [x2], np.ones((1, 1, 1, 3)), (True,))
    np.testing.assert_array_equal(nnref.adaptive_max_pool2d(x2, (1, 3)), out)
    np.testing.assert_array_equal(nnref.adaptive_max_pool2d_backward(np.ones((1, 1, 1, 3)), x2, (1, 3)), grad)
    x3 = np.zeros((1, 1, 5, 5))  # windows of sizes 2, 3, 2 per axis; two NaNs in the first window's last row
    x3[0, 0, 1, :2] = np.nan
    g3 = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    out, (grad,) = torch_vjp(lambda t: F.adaptive_max_pool2d(t, 3), [x3], g3, (True,))
    np.testing.assert_array_equal(nnref.adaptive_max_pool2d_backward(g3, x3, 3), grad)


@pytest.mark.parametrize("fill", [None, 0.0, -np.inf])
@pytest.mark.parametrize("kw", [dict(kernel_size=2), dict(kernel_size=2, padding=1), dict(kernel_size=3, stride=2),
                                dict(kernel_size=3, stride=2, padding=1, ceil_mode=True), dict(kernel_size=2, stride=1),
                                dict(kernel_size=(1, 3), padding=(0, 1))])
def test_max_pool2d_ties_nan_and_minus_infinity_match_torch(kw, fill):
    """Windows full of repeated small integers, NaNs and -inf (or one constant everywhere): the
    gradient goes where PyTorch sends it (first maximum in row-major order, else the last NaN)."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    x = rng.choice([0.0, 1.0, np.nan, -np.inf], size=(2, 3, 6, 7), p=[0.4, 0.4, 0.1, 0.1])
    if fill is not None:
        x = np.full_like(x, fill)
    y = nnref.max_pool2d(x, **kw)
    g = rng.standard_normal(y.shape)
    out, (grad,) = torch_vjp(lambda t: torch.nn.functional.max_pool2d(t, **kw), [x], g, (True,))
    np.testing.assert_array_equal(y, out)
    assert_close(nnref.max_pool2d_backward(g, x, **kw), grad)  # overlapping windows add in another order
    assert_close(nnref.min_pool2d_backward(g, -x, **kw), grad)


@pytest.mark.parametrize("stride", [2, 1])
def test_infinite_grad_output_reaches_only_the_maximum(stride):
    torch = pytest.importorskip("torch")
    x = np.array([[[1.0, 3.0, 2.0, 0.0, 5.0, 4.0]]])
    y = nnref.max_pool1d(x, 2, stride)
    g = np.ones(y.shape)
    g[0, 0, 1] = np.inf
    _, (grad,) = torch_vjp(lambda t: torch.nn.functional.max_pool1d(t, 2, stride), [x], g, (True,))
    np.testing.assert_array_equal(nnref.max_pool1d_backward(g, x, 2, stride), grad)
    assert not np.isnan(grad).any()


def test_unbatched_input_matches_torch():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    x = _inputs((5, 6), False)[0]  # (C, H, W)
    for ours, theirs in [(nnref.max_pool2d(x, 3, 2, 1), F.max_pool2d(torch.tensor(x), 3, 2, 1)),
                         (nnref.avg_pool2d(x, 2, ceil_mode=True), F.avg_pool2d(torch.tensor(x), 2, ceil_mode=True)),
                         (nnref.adaptive_avg_pool2d(x, 2), F.adaptive_avg_pool2d(torch.tensor(x), 2)),
                         (nnref.adaptive_max_pool2d(x, 2), F.adaptive_max_pool2d(torch.tensor(x), 2))]:
        assert_close(ours, theirs.numpy())


def test_unbatched_backward_is_batched_backward_of_one_sample():
    x = _inputs((5, 6), False)[0]
    g = np.random.default_rng(1).standard_normal((3, 2, 3))
    np.testing.assert_array_equal(nnref.max_pool2d_backward(g, x, 2), nnref.max_pool2d_backward(g[None], x[None], 2)[0])
    np.testing.assert_array_equal(nnref.avg_pool2d_backward(g, x, 2), nnref.avg_pool2d_backward(g[None], x[None], 2)[0])
    g2 = g[:, :2, :2]
    np.testing.assert_array_equal(nnref.adaptive_max_pool2d_backward(g2, x, 2),
                                  nnref.adaptive_max_pool2d_backward(g2[None], x[None], 2)[0])


# --- finite differences ------------------------------------------------------------------------


def _distinct(shape, seed=0):
    """Distinct values spaced well above the finite-difference step: no ties, no kinks."""
    rng = np.random.default_rng(seed)
    return rng.permutation(np.prod(shape)).reshape(shape) * 0.1 + 0.05


@pytest.mark.parametrize("kw", [dict(kernel_size=2), dict(kernel_size=3, stride=1, padding=1),
                                dict(kernel_size=2, stride=2, dilation=2, ceil_mode=True)])
def test_max_and_min_pool2d_backward_match_finite_differences(kw):
    x = _distinct((1, 2, 5, 5))
    check_backward(lambda a: nnref.max_pool2d(a, **kw), lambda g, a: nnref.max_pool2d_backward(g, a, **kw), [x])
    check_backward(lambda a: nnref.min_pool2d(a, **kw), lambda g, a: nnref.min_pool2d_backward(g, a, **kw), [x])


@pytest.mark.parametrize("nd", [1, 3])
def test_max_pool_1d_3d_backward_match_finite_differences(nd):
    x = _distinct((1, 1) + (5,) * nd if nd == 1 else (1, 1, 3, 3, 3))
    kw = dict(kernel_size=2, stride=1)
    check_backward(lambda a: MAX[nd](a, **kw), lambda g, a: MAX_BACKWARD[nd](g, a, **kw), [x])
    check_backward(lambda a: MIN[nd](a, **kw), lambda g, a: MIN_BACKWARD[nd](g, a, **kw), [x])


@pytest.mark.parametrize("nd, kw", [
    (1, dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)),
    (2, dict(kernel_size=3, stride=2, padding=1)),
    (2, dict(kernel_size=2, stride=1, divisor_override=3)),
    (3, dict(kernel_size=2, stride=1, padding=1, count_include_pad=False)),
])
def test_avg_pool_backward_matches_finite_differences(nd, kw):
    x = np.random.default_rng(0).standard_normal((1, 2) + (4,) * nd if nd < 3 else (1, 1, 3, 3, 3))
    check_backward(lambda a: AVG[nd](a, **kw), lambda g, a: AVG_BACKWARD[nd](g, a, **kw), [x])


@pytest.mark.parametrize("nd, output_size", [(1, 3), (2, (2, 3)), (3, (2, 1, 2))])
def test_adaptive_avg_pool_backward_matches_finite_differences(nd, output_size):
    x = np.random.default_rng(0).standard_normal((1, 2) + (5, 4, 3)[:nd])
    check_backward(lambda a: ADAPTIVE_AVG[nd](a, output_size),
                   lambda g, a: ADAPTIVE_AVG_BACKWARD[nd](g, a, output_size), [x])


def test_adaptive_max_pool2d_backward_matches_finite_differences():
    x = _distinct((1, 2, 5, 4))
    check_backward(lambda a: nnref.adaptive_max_pool2d(a, (3, 3)),
                   lambda g, a: nnref.adaptive_max_pool2d_backward(g, a, (3, 3)), [x])


# --- properties --------------------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(size=st.integers(1, 12), k=st.integers(1, 4), s=st.integers(1, 3), p=st.integers(0, 2),
       ceil=st.booleans(), include=st.booleans())
def test_avg_pool1d_shape_and_adjoint(size, k, s, p, ceil, include):
    """Output length is pool_output_size, and <avg(x), g> = <x, avg_backward(g)> (linearity)."""
    if p > k // 2 or size + 2 * p < k:
        return
    rng = np.random.default_rng(size)
    x = rng.standard_normal((1, 2, size))
    kw = dict(kernel_size=k, stride=s, padding=p, ceil_mode=ceil, count_include_pad=include)
    y = nnref.avg_pool1d(x, **kw)
    assert y.shape == (1, 2, nnref.pool_output_size(size, k, s, p, 1, ceil))
    g = rng.standard_normal(y.shape)
    np.testing.assert_allclose(np.sum(y * g), np.sum(x * nnref.avg_pool1d_backward(g, x, **kw)), rtol=1e-10,
                               atol=1e-12)


# --- dtypes and non-mutation -------------------------------------------------------------------


_IDX = np.broadcast_to(16 * np.arange(4)[:, None] + 2 * np.arange(4), (1, 2, 4, 4))  # top-left of 2x2 blocks of 8x8

CALLS = [
    (lambda x: nnref.max_pool2d(x, 2), lambda g, x: nnref.max_pool2d_backward(g, x, 2)),
    (lambda x: nnref.max_unpool2d(x, _IDX, 2), lambda g, x: nnref.max_unpool2d_backward(g, x, _IDX, 2)),
    (lambda x: nnref.min_pool2d(x, 2, padding=1), lambda g, x: nnref.min_pool2d_backward(g, x, 2, padding=1)),
    (lambda x: nnref.avg_pool2d(x, 2, padding=1), lambda g, x: nnref.avg_pool2d_backward(g, x, 2, padding=1)),
    (lambda x: nnref.adaptive_avg_pool2d(x, 3), lambda g, x: nnref.adaptive_avg_pool2d_backward(g, x, 3)),
    (lambda x: nnref.adaptive_max_pool2d(x, 3), lambda g, x: nnref.adaptive_max_pool2d_backward(g, x, 3)),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("forward, backward", CALLS)
def test_floating_dtype_is_kept(forward, backward, dtype):
    x = np.arange(32, dtype=dtype).reshape(1, 2, 4, 4)
    y = forward(x)
    assert y.dtype == dtype
    assert backward(np.ones(y.shape, dtype), x).dtype == dtype


@pytest.mark.parametrize("forward, backward", CALLS)
def test_integers_are_computed_in_float64(forward, backward):
    x = np.arange(32).reshape(1, 2, 4, 4)
    y = forward(x)
    assert y.dtype == np.float64
    np.testing.assert_array_equal(y, forward(x.astype(np.float64)))
    assert backward(np.ones(y.shape, dtype=int), x).dtype == np.float64


@pytest.mark.parametrize("forward, backward", CALLS)
def test_inputs_are_not_modified(forward, backward):
    x = np.random.default_rng(0).standard_normal((1, 2, 4, 4))
    x_copy = x.copy()
    y = forward(x)
    g = np.ones(y.shape)
    backward(g, x)
    np.testing.assert_array_equal(x, x_copy)
    np.testing.assert_array_equal(g, 1.0)


def test_array_like_input():
    np.testing.assert_array_equal(nnref.max_pool1d([[[1, 3, 2, 0]]], 2), [[[3.0, 2.0]]])


# --- errors ------------------------------------------------------------------------------------


def test_padding_larger_than_half_the_kernel_is_rejected():
    with pytest.raises(ValueError, match=r"max_pool2d: padding must be at most half the kernel size .*"
                                         r"got padding=\(2, 2\) and kernel_size=\(3, 3\)"):
        nnref.max_pool2d(np.zeros((1, 1, 8, 8)), 3, padding=2)


def test_empty_output_is_rejected():
    with pytest.raises(ValueError, match=r"avg_pool2d: spatial size \(2, 2\) is too small for kernel_size \(3, 3\)"):
        nnref.avg_pool2d(np.zeros((1, 1, 2, 2)), 3)


@pytest.mark.parametrize("shape", [(4,), (1, 1, 1, 4, 4)])
def test_wrong_number_of_dimensions_is_rejected(shape):
    with pytest.raises(ValueError, match=r"max_pool2d: x must be 3 or 4-D \(C, H, W\) or \(N, C, H, W\), got shape"):
        nnref.max_pool2d(np.zeros(shape), 2)


@pytest.mark.parametrize("call, error, message", [
    (lambda: nnref.max_pool2d(np.zeros((1, 1, 4, 4)), 2.5), TypeError, "max_pool2d: kernel_size must be an int"),
    (lambda: nnref.max_pool2d(np.zeros((1, 1, 4, 4)), (2, 2, 2)), ValueError,
     r"max_pool2d: kernel_size must be an int or a tuple of 2 ints, got \(2, 2, 2\)"),
    (lambda: nnref.max_pool1d(np.zeros((1, 1, 4)), 2, stride=0), ValueError,
     "max_pool1d: stride must be an integer >= 1, got 0"),
    (lambda: nnref.max_pool1d(np.zeros((1, 1, 4)), 2, ceil_mode="yes"), TypeError,
     "max_pool1d: ceil_mode must be True or False, got 'yes'"),
    (lambda: nnref.avg_pool1d(np.zeros((1, 1, 4)), 2, divisor_override=0), ValueError,
     "avg_pool1d: divisor_override must be an integer >= 1, got 0"),
    (lambda: nnref.avg_pool3d(np.zeros((1, 1, 4, 4, 4)), 2, count_include_pad=None), TypeError,
     "avg_pool3d: count_include_pad must be True or False"),
    (lambda: nnref.adaptive_avg_pool2d(np.zeros((1, 1, 4, 4)), (2, 2, 2)), ValueError,
     r"adaptive_avg_pool2d: output_size must be an int or a tuple of 2 ints or None, got \(2, 2, 2\)"),
    (lambda: nnref.adaptive_max_pool2d(np.zeros((1, 1, 4, 4)), 0), ValueError,
     "adaptive_max_pool2d: output_size must be an integer >= 1, got 0"),
    (lambda: nnref.adaptive_avg_pool1d(np.zeros((1, 1, 0)), 2), ValueError,
     r"adaptive_avg_pool1d: spatial sizes must be positive, got shape \(1, 1, 0\)"),
    (lambda: nnref.max_pool2d(np.array([["a"]]), 2), TypeError, "max_pool2d: x must be a real numeric array"),
])
def test_bad_arguments_are_rejected(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("backward, args", [
    (nnref.max_pool2d_backward, (np.zeros((1, 1, 4, 4)), 2)),
    (nnref.min_pool1d_backward, (np.zeros((1, 1, 4)), 2)),
    (nnref.avg_pool3d_backward, (np.zeros((1, 1, 4, 4, 4)), 2)),
    (nnref.adaptive_avg_pool2d_backward, (np.zeros((1, 1, 4, 4)), 2)),
    (nnref.adaptive_max_pool2d_backward, (np.zeros((1, 1, 4, 4)), 2)),
])
def test_backward_rejects_mismatched_grad_output(backward, args):
    with pytest.raises(ValueError, match=rf"{backward.__name__}: grad_output must have the output's shape"):
        backward(np.ones((1, 1, 3)), *args)


# --- return_indices, backward from indices, max_unpool -----------------------------------------

UNPOOL = {1: nnref.max_unpool1d, 2: nnref.max_unpool2d, 3: nnref.max_unpool3d}
UNPOOL_BACKWARD = {1: nnref.max_unpool1d_backward, 2: nnref.max_unpool2d_backward, 3: nnref.max_unpool3d_backward}


def _with_nan(x):
    """``x`` with every 2 replaced by NaN (ties inputs hold values 0, 1, 2)."""
    return np.where(x == 2.0, np.nan, x)


@pytest.mark.parametrize("values", ["distinct", "ties", "nan"])
@pytest.mark.parametrize("nd, spatial, k, s, p, d, ceil", MAX_CASES)
def test_max_pool_indices_match_torch(nd, spatial, k, s, p, d, ceil, values):
    torch = pytest.importorskip("torch")
    x = _inputs(spatial, values != "distinct")
    x = _with_nan(x) if values == "nan" else x
    kw = dict(kernel_size=k, stride=s, padding=p, dilation=d, ceil_mode=ceil)
    out, indices = getattr(torch.nn.functional, f"max_pool{nd}d")(torch.from_numpy(x), return_indices=True, **kw)
    y, idx = MAX[nd](x, return_indices=True, **kw)
    np.testing.assert_array_equal(y, out.numpy())
    assert idx.dtype == np.int64
    np.testing.assert_array_equal(idx, indices.numpy())


@pytest.mark.parametrize("nd, spatial, k, s, p, d, ceil", MAX_CASES)
def test_min_pool_indices_are_torch_max_pool_indices_of_minus_x(nd, spatial, k, s, p, d, ceil):
    torch = pytest.importorskip("torch")
    x = _inputs(spatial, ties=True)
    kw = dict(kernel_size=k, stride=s, padding=p, dilation=d, ceil_mode=ceil)
    _, indices = getattr(torch.nn.functional, f"max_pool{nd}d")(torch.from_numpy(-x), return_indices=True, **kw)
    y, idx = MIN[nd](x, return_indices=True, **kw)
    np.testing.assert_array_equal(y, MIN[nd](x, **kw))
    np.testing.assert_array_equal(idx, indices.numpy())


@pytest.mark.parametrize("values", ["distinct", "ties", "nan"])
@pytest.mark.parametrize("nd, spatial, k, s, p, d, ceil", MAX_CASES)
def test_backward_from_indices_equals_recomputed_backward(nd, spatial, k, s, p, d, ceil, values):
    x = _inputs(spatial, values != "distinct")
    x = _with_nan(x) if values == "nan" else x
    kw = dict(kernel_size=k, stride=s, padding=p, dilation=d, ceil_mode=ceil)
    for forward, backward in ((MAX[nd], MAX_BACKWARD[nd]), (MIN[nd], MIN_BACKWARD[nd])):
        y, idx = forward(x, return_indices=True, **kw)
        g = np.random.default_rng(1).standard_normal(y.shape)
        assert_close(backward(g, x, indices=idx, **kw), backward(g, x, **kw))  # sums may differ in order


def test_indices_by_hand_on_the_notes_example():
    # Maxima 12, 14, 15, 13 sit at (0, 1), (1, 2), (3, 1), (2, 3): flat 1, 6, 13, 11.
    _, idx = nnref.max_pool2d(X44[None, None], 2, return_indices=True)
    np.testing.assert_array_equal(idx[0, 0], [[1, 6], [13, 11]])
    # Minima 1, 0, 6, 2 sit at (1, 1), (0, 2), (2, 1), (2, 2): flat 5, 2, 9, 10.
    _, idx = nnref.min_pool2d(X44[None], 2, return_indices=True)  # unbatched (C, H, W)
    assert idx.shape == (1, 2, 2)
    np.testing.assert_array_equal(idx[0], [[5, 2], [9, 10]])


@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("spatial, output_size", [((7, 9), (3, 4)), ((5, 5), 1), ((3, 4), (5, 6))])
def test_adaptive_max_pool2d_indices_match_torch(spatial, output_size, ties):
    torch = pytest.importorskip("torch")
    x = _inputs(spatial, ties)
    _, indices = torch.nn.functional.adaptive_max_pool2d(torch.from_numpy(x), output_size, return_indices=True)
    y, idx = nnref.adaptive_max_pool2d(x, output_size, return_indices=True)
    np.testing.assert_array_equal(idx, indices.numpy())
    g = np.random.default_rng(1).standard_normal(y.shape)
    np.testing.assert_array_equal(nnref.adaptive_max_pool2d_backward(g, x, output_size, indices=idx),
                                  nnref.adaptive_max_pool2d_backward(g, x, output_size))


# (nd, pooled input spatial shape, kernel_size, stride, padding, output_size)
UNPOOL_CASES = [
    (1, (9,), 2, None, 0, None),
    (1, (9,), 2, None, 0, [9]),
    (1, (10,), 3, 2, 1, [10]),  # overlapping windows: repeated indices
    (2, (6, 7), 2, None, 0, (6, 7)),
    (2, (7, 7), 3, 2, 1, None),
    (2, (8, 8), (2, 4), (2, 4), 0, (1, 1, 8, 8)),
    (3, (4, 5, 6), 2, None, 0, (4, 5, 6)),
    (3, (5, 5, 5), 3, 2, 1, None),
]


@pytest.mark.parametrize("nd, spatial, k, s, p, output_size", UNPOOL_CASES)
def test_max_unpool_parity_with_torch(nd, spatial, k, s, p, output_size):
    torch = pytest.importorskip("torch")
    x = _inputs(spatial, ties=False)
    y, idx = MAX[nd](x, k, s, p, return_indices=True)
    kw = dict(kernel_size=k, stride=s, padding=p, output_size=output_size)
    torch_fn = getattr(torch.nn.functional, f"max_unpool{nd}d")
    unpooled = UNPOOL[nd](y, idx, **kw)
    g = np.random.default_rng(1).standard_normal(unpooled.shape)
    out, (grad,) = torch_vjp(lambda t: torch_fn(t, torch.from_numpy(idx), **kw), [y], g, (True,))
    np.testing.assert_array_equal(unpooled, out)
    np.testing.assert_array_equal(UNPOOL_BACKWARD[nd](g, y, idx, **kw), grad)


def test_max_unpool_puts_the_maxima_back_and_zeros_elsewhere():
    """Independent of torch: for distinct values and disjoint windows, unpool(pool(x)) keeps
    exactly the elements that are the maximum of their window."""
    x = _inputs((6, 8), ties=False)
    y, idx = nnref.max_pool2d(x, 2, return_indices=True)
    is_max = x == nnref.interpolate(y, scale_factor=2, mode="nearest")
    np.testing.assert_array_equal(nnref.max_unpool2d(y, idx, 2), np.where(is_max, x, 0.0))


@pytest.mark.parametrize("nd, spatial, k, s, p, output_size", [c for c in UNPOOL_CASES if c[3] is None])
def test_max_unpool_backward_matches_finite_differences(nd, spatial, k, s, p, output_size):
    # Disjoint windows only: with repeated indices the backward follows PyTorch (every repeat gets
    # the gradient at its index), which is not the derivative of keeping one of them.
    y, idx = MAX[nd](_inputs(spatial, ties=False), k, s, p, return_indices=True)
    kw = dict(kernel_size=k, stride=s, padding=p, output_size=output_size)
    check_backward(lambda t: UNPOOL[nd](t, idx, **kw), lambda g, t: UNPOOL_BACKWARD[nd](g, t, idx, **kw), [y])


def test_max_unpool_keeps_dtype_and_accepts_unbatched_input():
    y, idx = nnref.max_pool2d(np.arange(32, dtype=np.float32).reshape(2, 4, 4), 2, return_indices=True)
    unpooled = nnref.max_unpool2d(y, idx, 2)
    assert unpooled.dtype == np.float32 and unpooled.shape == (2, 4, 4)
    np.testing.assert_array_equal(unpooled[1, 1::2, 1::2], [[21, 23], [29, 31]])
    grad = nnref.max_unpool2d_backward(np.ones((2, 4, 4), np.float32), y, idx, 2)
    assert grad.dtype == np.float32 and grad.shape == (2, 2, 2)


@pytest.mark.parametrize("call, error, message", [
    (lambda: nnref.max_pool2d(np.zeros((1, 1, 4, 4)), 2, return_indices=1), TypeError,
     "max_pool2d: return_indices must be True or False, got 1"),
    (lambda: nnref.max_pool2d_backward(np.ones((1, 1, 2, 2)), np.zeros((1, 1, 4, 4)), 2,
                                       indices=np.zeros((1, 1, 2, 2))), TypeError,
     "max_pool2d_backward: indices must be an integer array, got dtype float64"),
    (lambda: nnref.max_pool2d_backward(np.ones((1, 1, 2, 2)), np.zeros((1, 1, 4, 4)), 2,
                                       indices=np.zeros((1, 2, 2), int)), ValueError,
     r"max_pool2d_backward: indices must have shape \(1, 1, 2, 2\), got \(1, 2, 2\)"),
    (lambda: nnref.min_pool1d_backward(np.ones((1, 1, 2)), np.zeros((1, 1, 4)), 2, indices=[[[0, 4]]]),
     ValueError, r"min_pool1d_backward: indices must be flat positions in \[0, 4\) of one \(n, c\) plane, "
                 r"got values in \[0, 4\]"),
    (lambda: nnref.max_unpool2d(np.ones((1, 1, 2, 2)), np.full((1, 1, 2, 2), -1), 2), ValueError,
     r"max_unpool2d: indices must be flat positions in \[0, 16\)"),
    (lambda: nnref.max_unpool2d(np.ones((1, 1, 2, 2)), np.zeros((1, 1, 2, 2), int), 2, output_size=(6, 4)),
     ValueError, r"max_unpool2d: output_size must give 2 spatial sizes \(or the full shape\), each strictly "
                 r"within stride \(2, 2\) of the default \(4, 4\), got \(6, 4\)"),
    (lambda: nnref.max_unpool1d(np.ones((1, 1, 2)), np.zeros((1, 1, 2), int), 2, output_size=(1, 4)),
     ValueError, r"max_unpool1d: output_size must give 1 spatial sizes"),
    (lambda: nnref.max_unpool1d(np.ones((1, 1, 1)), np.zeros((1, 1, 1), int), 1, padding=1), ValueError,
     r"max_unpool1d: the output would be empty"),
    (lambda: nnref.max_unpool2d_backward(np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2)),
                                         np.zeros((1, 1, 2, 2), int), 2), ValueError,
     r"max_unpool2d_backward: grad_output must have the output's shape \(1, 1, 4, 4\)"),
])
def test_bad_indices_and_unpool_arguments_are_rejected(call, error, message):
    with pytest.raises(error, match=message):
        call()
