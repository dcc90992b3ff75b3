"""Tests for nnref.normalization: hand-computed values, running statistics, gradients, dtypes, errors, PyTorch parity."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnref
from helpers import assert_close, check_backward, torch_vjp

# One shape per layout: (N, C), (N, C, L), (N, C, H, W), (N, C, D, H, W).
BN_SHAPES = [(5, 3), (4, 3, 5), (2, 3, 4, 5), (2, 3, 2, 3, 4)]
# The worked example: 4 samples, 2 features on different scales.
X_EXAMPLE = np.array([[0.0, 10.0], [3.0, 70.0], [0.0, 40.0], [3.0, 40.0]])


def _params(rng, shape, affine):
    """Random weight and bias of ``shape``; ``affine`` is True/False (both/neither), "weight" or "bias"."""
    weight, bias = rng.standard_normal(shape) + 1.0, rng.standard_normal(shape)
    return weight if affine in (True, "weight") else None, bias if affine in (True, "bias") else None


def _running(rng, c):
    """Running statistics that are not the usual zeros/ones start, so the update is visible."""
    return rng.standard_normal(c), rng.uniform(0.5, 2.0, c)


# --- the worked example and the momentum convention, checked by hand --------------------------


def test_batch_norm_worked_example_by_hand():
    running_mean, running_var = np.zeros(2), np.ones(2)
    y = nnref.batch_norm(X_EXAMPLE, running_mean, running_var, training=True)
    # Feature 0: mean 1.5, biased variance 2.25; feature 1: mean 40, biased variance 450.
    expected = np.array([[-1.5, -30.0], [1.5, 30.0], [-1.5, 0.0], [1.5, 0.0]]) / np.sqrt(np.array([2.25, 450.0]) + 1e-5)
    assert_close(y, expected)
    np.testing.assert_allclose(y.mean(axis=0), 0.0, atol=1e-15)
    np.testing.assert_allclose(y.var(axis=0), [2.25 / (2.25 + 1e-5), 450 / (450 + 1e-5)], rtol=1e-12)
    # Unbiased variances 9/3 = 3 and 1800/3 = 600 go into the running variance.
    assert_close(running_mean, [0.1 * 1.5, 0.1 * 40.0])
    assert_close(running_var, [0.9 + 0.1 * 3.0, 0.9 + 0.1 * 600.0])


def test_batch_norm_gamma_and_beta_scale_and_shift_each_feature():
    gamma, beta = np.array([2.0, 0.5]), np.array([1.0, -3.0])
    plain = nnref.batch_norm(X_EXAMPLE, None, None, training=True)
    y = nnref.batch_norm(X_EXAMPLE, None, None, gamma, beta, training=True)
    assert_close(y, plain * gamma + beta)


@pytest.mark.parametrize("momentum", [0.1, 0.5, 1.0, 0.0])
def test_momentum_weights_the_new_batch_statistic(momentum):
    # PyTorch's convention: running = (1 - momentum) * running + momentum * batch statistic.
    # Keras / TensorFlow write the same update with their momentum = 1 - ours (0.9 <-> 0.1).
    old_mean, old_var = np.array([5.0, -2.0]), np.array([4.0, 0.25])
    running_mean, running_var = old_mean.copy(), old_var.copy()
    nnref.batch_norm(X_EXAMPLE, running_mean, running_var, training=True, momentum=momentum)
    keras_momentum = 1 - momentum
    assert_close(running_mean, keras_momentum * old_mean + (1 - keras_momentum) * np.array([1.5, 40.0]))
    assert_close(running_var, (1 - momentum) * old_var + momentum * np.array([3.0, 600.0]))


def test_momentum_one_over_k_gives_the_cumulative_average():
    rng = np.random.default_rng(0)
    batches = [rng.standard_normal((6, 2)) * 3 + 1 for _ in range(4)]
    running_mean, running_var = np.zeros(2), np.ones(2)
    for k, batch in enumerate(batches, start=1):
        nnref.batch_norm(batch, running_mean, running_var, training=True, momentum=1 / k)
    assert_close(running_mean, np.mean([b.mean(axis=0) for b in batches], axis=0))
    assert_close(running_var, np.mean([b.var(axis=0, ddof=1) for b in batches], axis=0))


def test_batch_norm_eval_uses_running_statistics_by_hand():
    x = np.array([[1.0, 2.0], [3.0, 6.0]])
    y = nnref.batch_norm(x, np.array([1.0, 2.0]), np.array([4.0, 16.0]), np.array([2.0, 1.0]), np.array([0.0, 1.0]),
                         eps=0.0)
    np.testing.assert_array_equal(y, [[0.0, 1.0], [2.0, 2.0]])


def test_layer_instance_group_norm_by_hand():
    x = np.array([[[1.0, 3.0], [10.0, 30.0]]])  # (1, 2, 2)
    one = 1 / np.sqrt(1 + 1e-5)  # channel 0: mean 2, variance 1
    ten = 10 / np.sqrt(100 + 1e-5)  # channel 1: mean 20, variance 100
    assert_close(nnref.instance_norm(x), [[[-one, one], [-ten, ten]]])
    assert_close(nnref.group_norm(x, 2), [[[-one, one], [-ten, ten]]])
    # All four values: mean 11, variance (100 + 64 + 1 + 361) / 4 = 131.5.
    assert_close(nnref.layer_norm(x, (2, 2)), (x - 11) / np.sqrt(131.5 + 1e-5))
    assert_close(nnref.group_norm(x, 1), (x - 11) / np.sqrt(131.5 + 1e-5))


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 3), st.sampled_from([1, 2, 3, 6]), st.integers(2, 4))
def test_group_norm_spans_layer_norm_and_instance_norm(n, groups, length):
    x = np.random.default_rng(n * 100 + groups * 10 + length).standard_normal((n, 6, length))
    y = nnref.group_norm(x, groups)
    grouped = x.reshape(n, groups, -1)
    expected = (grouped - grouped.mean(axis=2, keepdims=True)) / np.sqrt(grouped.var(axis=2, keepdims=True) + 1e-5)
    assert_close(y, expected.reshape(x.shape))
    if groups == 1:
        assert_close(y, nnref.layer_norm(x, (6, length)))
    if groups == 6:
        assert_close(y, nnref.instance_norm(x))


# --- finite differences --------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(4, 2), (2, 2, 3), (2, 2, 2, 2)])
@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_backward_matches_finite_differences(shape, training):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape)
    weight, bias = _params(rng, shape[1], True)
    mean, var = (None, None) if training else _running(rng, shape[1])  # training: no in-place updates
    check_backward(lambda x, w, b: nnref.batch_norm(x, mean, var, w, b, training),
                   lambda g, x, w, b: nnref.batch_norm_backward(g, x, mean, var, w, b, training),
                   [x, weight, bias], argnums=(0, 1, 2))


@pytest.mark.parametrize("k", [1, 2])
def test_layer_norm_backward_matches_finite_differences(k):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 3))
    weight, bias = _params(rng, x.shape[3 - k:], True)
    check_backward(lambda x, w, b: nnref.layer_norm(x, x.shape[3 - k:], w, b),
                   lambda g, x, w, b: nnref.layer_norm_backward(g, x, x.shape[3 - k:], w, b),
                   [x, weight, bias], argnums=(0, 1, 2))


@pytest.mark.parametrize("use_input_stats", [True, False])
def test_instance_norm_backward_matches_finite_differences(use_input_stats):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 2, 4))
    weight, bias = _params(rng, 2, True)
    mean, var = (None, None) if use_input_stats else _running(rng, 2)
    check_backward(lambda x, w, b: nnref.instance_norm(x, mean, var, w, b, use_input_stats),
                   lambda g, x, w, b: nnref.instance_norm_backward(g, x, mean, var, w, b, use_input_stats),
                   [x, weight, bias], argnums=(0, 1, 2))


@pytest.mark.parametrize("groups", [1, 2, 4])
def test_group_norm_backward_matches_finite_differences(groups):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 4, 3))
    weight, bias = _params(rng, 4, True)
    check_backward(lambda x, w, b: nnref.group_norm(x, groups, w, b),
                   lambda g, x, w, b: nnref.group_norm_backward(g, x, groups, w, b),
                   [x, weight, bias], argnums=(0, 1, 2))


def test_backward_without_weight_and_bias_returns_none():
    rng = np.random.default_rng(0)
    x, g = rng.standard_normal((2, 4, 3)), rng.standard_normal((2, 4, 3))
    for grads in [nnref.batch_norm_backward(g, x, None, None, training=True),
                  nnref.layer_norm_backward(g, x, 3),
                  nnref.instance_norm_backward(g, x),
                  nnref.group_norm_backward(g, x, 2)]:
        assert grads[0].shape == x.shape and grads[1] is None and grads[2] is None
    check_backward(lambda x: nnref.batch_norm(x, None, None, training=True),
                   lambda g, x: nnref.batch_norm_backward(g, x, None, None, training=True)[0], [x])


# --- in-place effects, non-mutation, dtypes ----------------------------------------------------


def _all_calls(x, weight, bias, mean, var, g, training):
    """Every public function once, with the same arrays (the running statistics only where they apply)."""
    return [
        lambda: nnref.batch_norm(x, mean, var, weight, bias, training),
        lambda: nnref.batch_norm_backward(g, x, mean, var, weight, bias, training),
        lambda: nnref.instance_norm_backward(g, x, mean, var, weight, bias),
        lambda: nnref.layer_norm(x, x.shape[1:]),
        lambda: nnref.layer_norm_backward(g, x, x.shape[-1], x[0, 0], x[0, 1]),
        lambda: nnref.group_norm(x, 1, weight, bias),
        lambda: nnref.group_norm_backward(g, x, 3, weight, bias),
    ]


def test_running_statistics_change_only_in_training_forward():
    rng = np.random.default_rng(0)
    x, g = rng.standard_normal((4, 3, 5)), rng.standard_normal((4, 3, 5))
    weight, bias = _params(rng, 3, True)
    mean, var = _running(rng, 3)
    before = [a.copy() for a in (x, weight, bias, mean, var)]
    for call in _all_calls(x, weight, bias, mean, var, g, training=False):
        call()
    nnref.batch_norm_backward(g, x, mean, var, weight, bias, training=True)  # backward never updates
    nnref.instance_norm(x, mean, var, use_input_stats=False)
    for a, b in zip((x, weight, bias, mean, var), before):
        np.testing.assert_array_equal(a, b)
    nnref.batch_norm(x, mean, var, weight, bias, training=True)
    np.testing.assert_array_equal(x, before[0])
    assert not np.array_equal(mean, before[3]) and not np.array_equal(var, before[4])


def test_running_statistics_update_views_in_place():
    stats = np.zeros((2, 3))
    stats[1] = 1.0
    nnref.batch_norm(np.arange(12.0).reshape(4, 3), stats[0], stats[1], training=True, momentum=1.0)
    assert_close(stats, [[4.5, 5.5, 6.5], [15.0, 15.0, 15.0]])  # means of columns, unbiased variance 45/3


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_floating_dtype_is_kept(dtype):
    rng = np.random.default_rng(0)
    x, g = rng.standard_normal((4, 3, 5)).astype(dtype), rng.standard_normal((4, 3, 5)).astype(dtype)
    weight, bias = (a.astype(dtype) for a in _params(rng, 3, True))
    mean, var = (a.astype(dtype) for a in _running(rng, 3))
    for training in (True, False):
        for call in _all_calls(x, weight, bias, mean, var, g, training):
            out = call()
            for a in out if isinstance(out, tuple) else (out,):
                assert a.dtype == dtype
    assert mean.dtype == dtype and var.dtype == dtype


def test_running_statistics_keep_their_own_dtype():
    x = np.random.default_rng(0).standard_normal((4, 3)).astype(np.float32)
    mean, var = np.zeros(3), np.ones(3)  # float64 buffers with a float32 input
    y = nnref.batch_norm(x, mean, var, training=True)
    assert y.dtype == np.float32 and mean.dtype == np.float64 and var.dtype == np.float64
    assert_close(mean, 0.1 * x.astype(np.float64).mean(axis=0), rtol=1e-6)
    mean32, var32 = np.zeros(3, np.float32), np.ones(3, np.float32)
    assert nnref.batch_norm(x.astype(np.float64), mean32, var32, training=True).dtype == np.float64
    assert mean32.dtype == np.float32 and not np.array_equal(mean32, np.zeros(3))


def test_integer_input_is_computed_in_float64():
    x = np.arange(12).reshape(2, 3, 2)
    assert nnref.batch_norm(x, [0, 0, 0], [1, 1, 1]).dtype == np.float64  # array_like statistics in eval
    assert nnref.layer_norm(x, 2).dtype == np.float64
    assert nnref.group_norm(x.tolist(), 3).dtype == np.float64
    assert nnref.instance_norm(x)[0].dtype == np.float64


# --- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize("call, match", [
    (lambda: nnref.batch_norm(np.ones((2, 3)), np.zeros(4), np.ones(4)),
     r"batch_norm: running_mean must have shape \(3,\), one entry per channel of x, got shape \(4,\)"),
    (lambda: nnref.batch_norm(np.ones((2, 3)), np.zeros(3), np.ones(3), np.ones(2)),
     r"batch_norm: weight must have shape \(3,\), one entry per channel of x, got shape \(2,\)"),
    (lambda: nnref.batch_norm_backward(np.ones((2, 3)), np.ones((2, 3)), None, None, None, np.ones(4), True),
     r"batch_norm_backward: bias must have shape \(3,\), one entry per channel of x, got shape \(4,\)"),
    (lambda: nnref.batch_norm(np.ones((1, 3)), np.zeros(3), np.ones(3), training=True),
     r"batch_norm: expected more than 1 value per channel when training, got input of shape \(1, 3\)"),
    (lambda: nnref.batch_norm_backward(np.ones((1, 3, 1)), np.ones((1, 3, 1)), None, None, training=True),
     r"batch_norm_backward: expected more than 1 value per channel when training, got input of shape \(1, 3, 1\)"),
    (lambda: nnref.batch_norm(np.ones((2, 3)), None, None),
     r"batch_norm: running_mean and running_var are required when training=False"),
    (lambda: nnref.batch_norm(np.ones((2, 3)), np.zeros(3), None, training=True),
     r"batch_norm: running_mean and running_var must both be arrays or both be None"),
    (lambda: nnref.batch_norm(np.ones(3), None, None, training=True),
     r"batch_norm: x must be 2 or 3 or 4 or 5-D .*, got shape \(3,\)"),
    (lambda: nnref.layer_norm(np.ones((2, 4)), 3),
     r"layer_norm: x must have shape \(\*, 3\) to match normalized_shape \(3,\), got shape \(2, 4\)"),
    (lambda: nnref.layer_norm(np.ones((2, 4)), (2, 4, 1)),
     r"layer_norm: x must have shape \(\*, 2, 4, 1\) to match normalized_shape \(2, 4, 1\), got shape \(2, 4\)"),
    (lambda: nnref.layer_norm_backward(np.ones((2, 4)), np.ones((2, 4)), [4], np.ones(3)),
     r"layer_norm_backward: weight must have normalized_shape \(4,\), got shape \(3,\)"),
    (lambda: nnref.group_norm(np.ones((2, 6)), 4),
     r"group_norm: num_groups must divide the 6 channels of x, got num_groups=4"),
    (lambda: nnref.group_norm(np.ones((1, 6, 1)), 6),
     r"group_norm: expected more than 1 value per group, got input of shape \(1, 6, 1\) with num_groups=6"),
    (lambda: nnref.group_norm_backward(np.ones((2, 6)), np.ones((2, 6)), 0),
     r"group_norm_backward: num_groups must be an integer >= 1, got 0"),
    (lambda: nnref.instance_norm(np.ones((2, 3, 1))),
     r"instance_norm: expected more than 1 spatial element when use_input_stats=True, got input of shape \(2, 3, 1\)"),
    (lambda: nnref.instance_norm(np.ones((2, 3, 4)), use_input_stats=False),
     r"instance_norm: running_mean and running_var are required when use_input_stats=False"),
    (lambda: nnref.instance_norm_backward(np.ones((2, 3, 4)), np.ones((2, 3, 4)), np.zeros(2), np.ones(2)),
     r"instance_norm_backward: running_mean must have shape \(3,\), one entry per channel of x, got shape \(2,\)"),
    (lambda: nnref.batch_norm(np.ones((2, 3)), np.zeros(3), np.ones(3), eps=-1.0),
     r"batch_norm: eps must be >= 0, got -1.0"),
    (lambda: nnref.layer_norm_backward(np.ones((2, 3)), np.ones((2, 4)), 4),
     r"layer_norm_backward: grad_output must have the output's shape \(2, 4\), got \(2, 3\)"),
])
def test_bad_input_raises_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize("call, match", [
    (lambda: nnref.batch_norm(np.ones((2, 3)), [0.0, 0.0, 0.0], np.ones(3), training=True),
     r"batch_norm: running_mean must be a floating-point ndarray when training=True \(it is updated in place\), "
     r"got list"),
    (lambda: nnref.batch_norm(np.ones((2, 3)), np.zeros(3), np.ones(3, dtype=int), training=True),
     r"batch_norm: running_var must be a floating-point ndarray when training=True .*, got dtype int64"),
    (lambda: nnref.instance_norm(np.ones((2, 3, 2)), (0, 0, 0), np.ones(3)),
     r"instance_norm: running_mean must be a floating-point ndarray when use_input_stats=True"),
    (lambda: nnref.batch_norm(np.ones((2, 3)), np.zeros(3), np.ones(3), training=True, momentum=None),
     r"batch_norm: momentum must be a real number, got None \(the cumulative average .* momentum=1/k"),
    (lambda: nnref.batch_norm(np.ones((2, 3)), np.zeros(3), np.ones(3), training="yes"),
     r"batch_norm: training must be True or False, got 'yes'"),
    (lambda: nnref.layer_norm(np.ones((2, 3)), "3"),
     r"layer_norm: normalized_shape must be an integer, got '3'"),
    (lambda: nnref.group_norm(np.array(["a"]), 1),
     r"group_norm: x must be a real numeric array"),
])
def test_bad_input_raises_type_error(call, match):
    with pytest.raises(TypeError, match=match):
        call()


def test_read_only_running_statistics_are_rejected_before_any_work():
    mean, var = np.zeros(3), np.ones(3)
    mean.flags.writeable = False
    with pytest.raises(ValueError, match=r"batch_norm: running_mean must be writable when training=True"):
        nnref.batch_norm(np.ones((2, 3)), mean, var, training=True)
    np.testing.assert_array_equal(var, np.ones(3))  # nothing was half-updated
    assert nnref.batch_norm(np.ones((2, 3)), mean, var).shape == (2, 3)  # read-only is fine in eval


# --- PyTorch parity, float64 -----------------------------------------------------------------


def _torch_channel_norm(torch_fn, x, mean, var, weight, bias, g, **kw):
    """PyTorch's output, grads (x, then the weight and bias that are given) and running statistics."""
    import torch

    tmean, tvar = (None, None) if mean is None else (torch.tensor(mean), torch.tensor(var))
    out, grads = torch_vjp(lambda x, w, b: torch_fn(x, tmean, tvar, w, b, **kw), [x, weight, bias], g,
                           (True, True, True))
    stats = (None, None) if mean is None else (tmean.numpy(), tvar.numpy())
    return out, grads, stats


def _expected_grads(grads, weight, bias):
    """Spread torch's grads (one per given array) into (x, weight or None, bias or None)."""
    it = iter(grads)
    return next(it), None if weight is None else next(it), None if bias is None else next(it)


def _assert_grads(actual, expected):
    for a, e in zip(actual, expected):
        if e is None:
            assert a is None
        else:
            assert_close(a, e)


@pytest.mark.parametrize("shape", BN_SHAPES)
@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("affine", [True, False, "weight", "bias"])
def test_batch_norm_parity_with_torch(shape, training, affine):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    x, g = rng.standard_normal(shape) * 3 + 1, rng.standard_normal(shape)
    weight, bias = _params(rng, shape[1], affine)
    mean, var = _running(rng, shape[1])
    out, grads, (tmean, tvar) = _torch_channel_norm(
        torch.nn.functional.batch_norm, x, mean, var, weight, bias, g, training=training, momentum=0.3, eps=1e-3)
    grads_nnref = nnref.batch_norm_backward(g, x, mean, var, weight, bias, training, 0.3, 1e-3)
    assert_close(nnref.batch_norm(x, mean, var, weight, bias, training, 0.3, 1e-3), out)
    assert_close(mean, tmean)
    assert_close(var, tvar)
    _assert_grads(grads_nnref, _expected_grads(grads, weight, bias))


@pytest.mark.parametrize("use_input_stats, running", [(True, False), (True, True), (False, True)])
@pytest.mark.parametrize("shape", [(2, 3, 5), (3, 2, 3, 4), (2, 2, 2, 2, 3)])
def test_instance_norm_parity_with_torch(shape, use_input_stats, running):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    x, g = rng.standard_normal(shape) * 2 - 1, rng.standard_normal(shape)
    weight, bias = _params(rng, shape[1], "weight" if running else True)
    mean, var = _running(rng, shape[1]) if running else (None, None)
    out, grads, (tmean, tvar) = _torch_channel_norm(
        torch.nn.functional.instance_norm, x, mean, var, weight, bias, g, use_input_stats=use_input_stats,
        momentum=0.2)
    grads_nnref = nnref.instance_norm_backward(g, x, mean, var, weight, bias, use_input_stats, 0.2)
    assert_close(nnref.instance_norm(x, mean, var, weight, bias, use_input_stats, 0.2), out)
    if running:
        assert_close(mean, tmean)
        assert_close(var, tvar)
    _assert_grads(grads_nnref, _expected_grads(grads, weight, bias))


@pytest.mark.parametrize("k", [1, 2, 3, 4])
@pytest.mark.parametrize("affine", [True, False])
def test_layer_norm_parity_with_torch(k, affine):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    x, g = rng.standard_normal((2, 3, 4, 5)) + 2, rng.standard_normal((2, 3, 4, 5))
    shape = x.shape[4 - k:]
    weight, bias = _params(rng, shape, affine)
    out, grads = torch_vjp(lambda x, w, b: torch.nn.functional.layer_norm(x, shape, w, b, 1e-4),
                           [x, weight, bias], g, (True, True, True))
    assert_close(nnref.layer_norm(x, shape, weight, bias, 1e-4), out)
    _assert_grads(nnref.layer_norm_backward(g, x, shape, weight, bias, 1e-4), _expected_grads(grads, weight, bias))


@pytest.mark.parametrize("groups", [1, 2, 3, 6])
@pytest.mark.parametrize("shape", [(3, 6), (2, 6, 5), (2, 6, 3, 4)])
def test_group_norm_parity_with_torch(shape, groups):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    x, g = rng.standard_normal(shape) - 1, rng.standard_normal(shape)
    weight, bias = _params(rng, 6, groups != 3)
    out, grads = torch_vjp(lambda x, w, b: torch.nn.functional.group_norm(x, groups, w, b),
                           [x, weight, bias], g, (True, True, True))
    assert_close(nnref.group_norm(x, groups, weight, bias), out)
    _assert_grads(nnref.group_norm_backward(g, x, groups, weight, bias), _expected_grads(grads, weight, bias))


def test_batch_norm_float32_running_statistics_parity_with_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    x = rng.standard_normal((8, 4, 6), dtype=np.float32)
    mean, var = np.zeros(4, np.float32), np.ones(4, np.float32)
    tmean, tvar = torch.zeros(4), torch.ones(4)
    out = torch.nn.functional.batch_norm(torch.from_numpy(x), tmean, tvar, training=True).numpy()
    np.testing.assert_allclose(nnref.batch_norm(x, mean, var, training=True), out, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(mean, tmean.numpy(), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(var, tvar.numpy(), rtol=1e-5)


def test_non_contiguous_input_gives_the_same_result():
    rng = np.random.default_rng(0)
    base, g = rng.standard_normal((5, 3, 4, 2)), rng.standard_normal((2, 3, 4, 5))
    x = base.transpose(3, 1, 2, 0)  # (2, 3, 4, 5), not C-contiguous
    dense = np.ascontiguousarray(x)
    for f in (lambda x: nnref.batch_norm(x, None, None, training=True), nnref.instance_norm,
              lambda x: nnref.group_norm(x, 3), lambda x: nnref.layer_norm(x, (4, 5))):
        assert_close(f(x), f(dense))
    for f in (lambda g, x: nnref.batch_norm_backward(g, x, None, None, training=True)[0],
              lambda g, x: nnref.group_norm_backward(g, x, 3)[0],
              lambda g, x: nnref.layer_norm_backward(g, x, (4, 5))[0]):
        assert_close(f(np.asfortranarray(g), x), f(g, dense))
