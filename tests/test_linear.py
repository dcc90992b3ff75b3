"""Tests for nnref.linear: linear and flatten, forward and backward."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnref
from helpers import assert_close, check_backward, torch_vjp


def make(shape_x, out_features, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape_x)
    w = rng.standard_normal((out_features, shape_x[-1]))
    b = rng.standard_normal(out_features)
    return x, w, b


def test_linear_is_the_notes_layer_formula_for_each_row():
    # z_i = sum_j W_ij a_j + b_i, written with explicit loops (independent of the matmul).
    x, w, b = make((3, 4), 2)
    y = nnref.linear(x, w, b)
    for n in range(3):
        for i in range(2):
            assert y[n, i] == pytest.approx(sum(w[i, j] * x[n, j] for j in range(4)) + b[i], rel=1e-12)


@pytest.mark.parametrize("shape_x", [(4,), (3, 4), (2, 3, 4)])
@pytest.mark.parametrize("with_bias", [True, False])
def test_linear_backward_matches_finite_differences(shape_x, with_bias):
    x, w, b = make(shape_x, 3)
    b = b if with_bias else None
    argnums = (0, 1, 2) if with_bias else (0, 1)
    check_backward(nnref.linear, nnref.linear_backward, [x, w, b], argnums=argnums)
    grads = nnref.linear_backward(np.ones(shape_x[:-1] + (3,)), x, w, b)
    assert len(grads) == 3 and (grads[2] is None) == (not with_bias)


@pytest.mark.parametrize("shape_x", [(5,), (6, 5), (2, 3, 5)])
@pytest.mark.parametrize("with_bias", [True, False])
def test_linear_parity_with_torch(shape_x, with_bias):
    torch = pytest.importorskip("torch")
    x, w, b = make(shape_x, 4)
    b = b if with_bias else None
    g = np.random.default_rng(1).standard_normal(shape_x[:-1] + (4,))
    out, grads = torch_vjp(torch.nn.functional.linear, [x, w, b], g, (True, True, True))
    assert_close(nnref.linear(x, w, b), out)
    mine = nnref.linear_backward(g, x, w, b)
    for got, expected in zip(mine, grads):
        assert_close(got, expected)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_linear_keeps_floating_dtype(dtype):
    x, w, b = (a.astype(dtype) for a in make((2, 3), 2))
    assert nnref.linear(x, w, b).dtype == dtype
    assert all(g.dtype == dtype for g in nnref.linear_backward(np.ones((2, 2), dtype), x, w, b))


def test_linear_integers_in_float64_and_mixed_precision_widens():
    assert nnref.linear(np.array([[1, 2]]), np.array([[1, 1]])).dtype == np.float64
    x, w, _ = make((2, 3), 2)
    assert nnref.linear(x.astype(np.float32), w).dtype == np.float64


def test_linear_does_not_modify_inputs():
    x, w, b = make((2, 3), 2)
    copies = [a.copy() for a in (x, w, b)]
    g = np.ones((2, 2))
    nnref.linear(x, w, b)
    nnref.linear_backward(g, x, w, b)
    for a, c in zip((x, w, b), copies):
        np.testing.assert_array_equal(a, c)
    np.testing.assert_array_equal(g, np.ones((2, 2)))


@pytest.mark.parametrize(("args", "error", "message"), [
    ((np.ones((2, 3)), np.ones((2, 4))), ValueError,
     r"linear: x must have in_features = 4 entries in its last dimension "
     r"\(weight has shape \(2, 4\)\), got shape \(2, 3\)"),
    ((np.ones((2, 3)), np.ones(3)), ValueError,
     r"linear: weight must be 2-D \(out_features, in_features\), got shape \(3,\)"),
    ((np.ones((2, 3)), np.ones((2, 3)), np.ones(3)), ValueError,
     r"linear: bias must have shape \(2,\) \(out_features\), got \(3,\)"),
    ((np.float64(1.0), np.ones((2, 1))), ValueError, "linear: x must have in_features = 1"),
    ((["a"], np.ones((1, 1))), TypeError, "linear: x must be a real numeric array"),
    ((np.ones((1, 1)), np.ones((1, 1), complex)), TypeError, "linear: weight must be a real numeric array"),
])
def test_linear_rejects_bad_arguments(args, error, message):
    with pytest.raises(error, match=f"^{message}"):
        nnref.linear(*args)


def test_linear_backward_rejects_mismatched_grad_output():
    message = r"^linear_backward: grad_output must have the output's shape \(2, 2\), got \(2, 3\)"
    with pytest.raises(ValueError, match=message):
        nnref.linear_backward(np.ones((2, 3)), np.ones((2, 3)), np.ones((2, 3)))


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 4), i=st.integers(1, 5), o=st.integers(1, 5), seed=st.integers(0, 2**16))
def test_linear_backward_is_the_adjoint(n, i, o, seed):
    # <G, d y> = <dL/dx, dx> + <dL/dW, dW> + <dL/db, db> for a linear map: exact up to rounding.
    rng = np.random.default_rng(seed)
    x, w, b = rng.standard_normal((n, i)), rng.standard_normal((o, i)), rng.standard_normal(o)
    g = rng.standard_normal((n, o))
    dx, dw, db = rng.standard_normal((n, i)), rng.standard_normal((o, i)), rng.standard_normal(o)
    gx, gw, gb = nnref.linear_backward(g, x, w, b)
    # y is bilinear in (x, W): the directional derivative along (dx, dW, db) is dx W^T + x dW^T + db.
    dy = dx @ w.T + x @ dw.T + db
    assert np.sum(g * dy) == pytest.approx(np.sum(gx * dx) + np.sum(gw * dw) + np.sum(gb * db), rel=1e-9, abs=1e-9)


# ----------------------------------------------------------------------------- flatten
@pytest.mark.parametrize(("shape", "start_dim", "end_dim", "expected"), [
    ((2, 3, 4, 5), 1, -1, (2, 60)),
    ((2, 3, 4, 5), 0, -1, (120,)),
    ((2, 3, 4, 5), 2, 3, (2, 3, 20)),
    ((2, 3, 4, 5), -3, -2, (2, 12, 5)),
    ((2, 3, 4, 5), 1, 1, (2, 3, 4, 5)),
    ((2, 3), 1, -1, (2, 3)),
    ((), 0, -1, (1,)),
])
def test_flatten_shapes_match_torch(shape, start_dim, end_dim, expected):
    x = np.arange(float(np.prod(shape))).reshape(shape)
    y = nnref.flatten(x, start_dim, end_dim)
    assert y.shape == expected
    np.testing.assert_array_equal(y.ravel(), x.ravel())  # row-major order kept
    torch = pytest.importorskip("torch")
    assert tuple(torch.flatten(torch.tensor(x), start_dim, end_dim).shape) == expected


def test_flatten_orders_channel_then_row_like_torch():
    x = np.arange(8.0).reshape(1, 2, 2, 2)
    np.testing.assert_array_equal(nnref.flatten(x), [[0, 1, 2, 3, 4, 5, 6, 7]])
    assert nnref.flatten(x)[0, 4] == x[0, 1, 0, 0]


@pytest.mark.parametrize(("start_dim", "end_dim"), [(1, -1), (0, 2), (2, 3)])
def test_flatten_backward_matches_finite_differences_and_torch(start_dim, end_dim):
    x = np.random.default_rng(0).standard_normal((2, 3, 2, 2))
    f = lambda t: nnref.flatten(t, start_dim, end_dim)  # noqa: E731
    b = lambda g, t: nnref.flatten_backward(g, t, start_dim, end_dim)  # noqa: E731
    check_backward(f, b, [x])
    torch = pytest.importorskip("torch")
    g = np.random.default_rng(1).standard_normal(f(x).shape)
    out, (grad,) = torch_vjp(lambda t: torch.flatten(t, start_dim, end_dim), [x], g, (True,))
    assert_close(f(x), out)
    assert_close(b(g, x), grad)


def test_flatten_then_linear_is_the_conv_to_dense_step():
    # (N, C, H, W) feature maps -> (N, C*H*W) rows -> (N, O) scores, gradients flowing back.
    rng = np.random.default_rng(0)
    maps, w = rng.standard_normal((2, 3, 2, 2)), rng.standard_normal((4, 12))

    def net(m, w_):
        return nnref.linear(nnref.flatten(m), w_)

    def net_backward(g, m, w_):
        gx, gw, _ = nnref.linear_backward(g, nnref.flatten(m), w_)
        return nnref.flatten_backward(gx, m), gw

    check_backward(net, net_backward, [maps, w], argnums=(0, 1))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_flatten_keeps_dtype_and_input(dtype):
    x = np.ones((2, 3, 2), dtype)
    assert nnref.flatten(x).dtype == dtype
    assert nnref.flatten_backward(np.ones((2, 6), dtype), x).dtype == dtype
    assert nnref.flatten(np.ones((2, 3), int)).dtype == np.float64
    np.testing.assert_array_equal(x, np.ones((2, 3, 2)))


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: nnref.flatten(np.ones(3)), ValueError, r"flatten: start_dim must be in \[-1, 0\] for a 1-D input, got 1"),
    (lambda: nnref.flatten(np.ones((2, 3, 4)), 2, 1), ValueError,
     "flatten: start_dim must not come after end_dim, got start_dim=2, end_dim=1 for a 3-D input"),
    (lambda: nnref.flatten(np.ones((2, 3)), 1.5), TypeError, "flatten: start_dim must be an integer, got 1.5"),
    (lambda: nnref.flatten(["x"]), TypeError, "flatten: x must be a real numeric array"),
    (lambda: nnref.flatten_backward(np.ones((2, 5)), np.ones((2, 3, 2))), ValueError,
     r"flatten_backward: grad_output must have the output's shape \(2, 6\), got \(2, 5\)"),
])
def test_flatten_rejects_bad_arguments(call, error, message):
    with pytest.raises(error, match=f"^{message}"):
        call()
