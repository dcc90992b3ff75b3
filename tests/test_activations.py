"""Tests for nnref.activations: values, derivatives, gradients, dtypes, errors, PyTorch parity."""

import numpy as np
import pytest

import nnref
from helpers import assert_close, check_backward, torch_vjp

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
