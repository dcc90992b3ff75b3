"""Tests for nnref.testing.gradcheck: it passes correct backward passes and catches wrong ones."""

import numpy as np
import pytest

import nnref


def test_passes_a_correct_backward_and_returns_true():
    rng = np.random.default_rng(0)
    x, w, b = rng.standard_normal((2, 3)), rng.standard_normal((4, 3)), rng.standard_normal(4)
    assert nnref.gradcheck(nnref.linear, nnref.linear_backward, x, w, b) is True
    assert nnref.gradcheck(nnref.softmax, nnref.softmax_backward, x, dim=1) is True  # a keyword of both


def test_catches_a_wrong_gradient_naming_the_argument_and_the_entry():
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((2, 3)), rng.standard_normal((4, 3))

    def backward_with_a_wrong_weight_gradient(g, x, weight):
        grad_x, grad_w, _ = nnref.linear_backward(g, x, weight)
        grad_w[1, 2] += 0.5
        return grad_x, grad_w

    with pytest.raises(AssertionError, match=r"gradcheck: the gradient with respect to weight \(argument 1\) "
                                             r"is off at index \(1, 2\): backward gives"):
        nnref.gradcheck(nnref.linear, backward_with_a_wrong_weight_gradient, x, w)


def test_catches_a_gradient_off_by_a_small_relative_error():
    x = np.linspace(-2, 2, 7)
    with pytest.raises(AssertionError):
        nnref.gradcheck(nnref.sigmoid, lambda g, x: nnref.sigmoid_backward(g, x) * (1 + 1e-4), x)


def test_the_estimate_is_central_differences_in_float64():
    # float32 input is checked in float64: a float32 finite difference with eps=1e-6 would be noise
    x = np.array([0.3, -1.2], dtype=np.float32)
    assert nnref.gradcheck(nnref.tanh, nnref.tanh_backward, x)


def test_batch_norm_needs_wrt_for_its_running_statistics():
    rng = np.random.default_rng(1)
    x, w, b = rng.standard_normal((4, 3)), rng.standard_normal(3), rng.standard_normal(3)
    mean, var = np.zeros(3), np.ones(3)
    with pytest.raises(AssertionError, match=r"returned 3 gradients for the 5 array arguments \(0, 1, 2, 3, 4\); "
                                             "pass wrt="):
        nnref.gradcheck(nnref.batch_norm, nnref.batch_norm_backward, x, mean, var, w, b, training=True)
    assert nnref.gradcheck(nnref.batch_norm, nnref.batch_norm_backward, x, mean, var, w, b, training=True,
                           wrt=(0, 3, 4))


def test_a_skipped_gradient_is_none_and_a_wrong_shape_is_reported():
    rng = np.random.default_rng(2)
    x, w = rng.standard_normal((1, 1, 4)), rng.standard_normal((1, 1, 2))
    assert nnref.gradcheck(nnref.conv1d, nnref.conv1d_backward, x, w, None, wrt=(0, 1, 2))  # bias None: skipped
    with pytest.raises(AssertionError, match=r"the gradient with respect to x \(argument 0\) has shape \(4,\), "
                                             r"the argument has shape \(1, 1, 4\)"):
        nnref.gradcheck(nnref.relu, lambda g, x: g.reshape(-1), x + 3.0)


@pytest.mark.parametrize("kw, message", [(dict(wrt=3), "gradcheck: wrt must name positional array arguments"),
                                         (dict(eps=0.0), "gradcheck: eps must be positive")])
def test_bad_arguments_are_rejected(kw, message):
    with pytest.raises(ValueError, match=message):
        nnref.gradcheck(nnref.relu, nnref.relu_backward, np.ones(2), **kw)
