"""Tests for nnref.conv: shape arithmetic, pad, convolutions and their transposes, forward and backward."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnref
from nnref.conv import _source_index
from helpers import assert_close, check_backward, torch_vjp

CONV = {1: nnref.conv1d, 2: nnref.conv2d, 3: nnref.conv3d}
CONV_BACKWARD = {1: nnref.conv1d_backward, 2: nnref.conv2d_backward, 3: nnref.conv3d_backward}
TRANSPOSE = {1: nnref.conv_transpose1d, 2: nnref.conv_transpose2d, 3: nnref.conv_transpose3d}
TRANSPOSE_BACKWARD = {1: nnref.conv_transpose1d_backward, 2: nnref.conv_transpose2d_backward,
                      3: nnref.conv_transpose3d_backward}
PAD_MODES = ["constant", "reflect", "replicate", "circular"]


# ----------------------------------------------------------------------------- the notes' worked examples

NOTES_IMAGE = np.array([[50.0, 50.0, 0.0, 0.0, 0.0]] * 5).reshape(1, 1, 5, 5)
EDGE_FILTER = np.array([[1.0, 0.0, -1.0]] * 3).reshape(1, 1, 3, 3)


def test_notes_edge_example_at_stride_1():
    # by hand: 3 rows * (50*1 + 50*0 + 0*-1) = 150, then 3 * (50 - 0) = 150, then 0
    np.testing.assert_array_equal(nnref.conv2d(NOTES_IMAGE, EDGE_FILTER)[0, 0], [[150, 150, 0]] * 3)


def test_notes_edge_example_at_stride_2():
    np.testing.assert_array_equal(nnref.conv2d(NOTES_IMAGE, EDGE_FILTER, stride=2)[0, 0], [[150, 0], [150, 0]])


def _visit_counts(size, k, padding):
    """How many k x k windows cover each pixel, by explicit loops over windows."""
    counts = np.zeros((size + 2 * padding,) * 2)
    for i, j in itertools.product(range(size + 2 * padding - k + 1), repeat=2):
        counts[i:i + k, j:j + k] += 1
    return counts[padding:padding + size, padding:padding + size]


@pytest.mark.parametrize("size, padding", [(4, 0), (4, 1), (5, 0), (5, 1)])
def test_visit_counts_are_the_input_gradient_of_a_ones_filter(size, padding):
    out = size + 2 * padding - 2
    x, ones = np.zeros((1, 1, size, size)), np.ones((1, 1, 3, 3))
    grad_input, _, _ = nnref.conv2d_backward(np.ones((1, 1, out, out)), x, ones, padding=padding)
    np.testing.assert_array_equal(grad_input[0, 0], _visit_counts(size, 3, padding))
    counts = nnref.conv_transpose2d(np.ones((1, 1, out, out)), ones, padding=padding)
    np.testing.assert_array_equal(counts[0, 0], _visit_counts(size, 3, padding))


def test_notes_visit_counts_centre_four_corner_one():
    counts = _visit_counts(4, 3, 0)
    assert counts[1, 1] == 4 and counts[0, 0] == 1


def test_one_conv_layer_network_shapes_and_flatten():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 6, 6))
    w_h, b_h = rng.standard_normal((4, 3, 3, 3)), rng.standard_normal(4)
    w_out, b_out = rng.standard_normal((4 * 4 * 4, 5)), rng.standard_normal(5)
    hidden = np.tanh(nnref.conv2d(x, w_h, b_h))
    assert hidden.shape == (2, 4, 4, 4)  # one output channel per filter
    f = hidden.reshape(2, -1) @ w_out + b_out
    assert f.shape == (2, 5)
    # the flattened entry (o, i, j) sits at o*16 + i*4 + j
    assert hidden.reshape(2, -1)[1, 1 * 16 + 2 * 4 + 3] == hidden[1, 1, 2, 3]


# ----------------------------------------------------------------------------- shape arithmetic

def test_output_size_formulas_by_hand():
    assert nnref.conv_output_size(5, 3) == 3
    assert nnref.conv_output_size(5, 3, stride=2) == 2
    assert nnref.conv_output_size(7, 3, stride=2, padding=1, dilation=2) == 3  # floor((7+2-4-1)/2)+1
    assert nnref.conv_transpose_output_size(3, 3, stride=2, padding=1, output_padding=1) == 6  # 4-2+2+1+1
    assert nnref.pool_output_size(5, 2, 2, ceil_mode=True) == 3
    assert nnref.pool_output_size(5, 2, 2) == 2


@settings(max_examples=30, deadline=None)
@given(i=st.integers(1, 12), k=st.integers(1, 4), s=st.integers(1, 3), p=st.integers(0, 2), d=st.integers(1, 3))
def test_conv_output_size_inverts_with_conv_transpose_output_size(i, k, s, p, d):
    span = d * (k - 1) + 1
    if span > i + 2 * p:
        with pytest.raises(ValueError, match="larger than the padded input"):
            nnref.conv_output_size(i, k, s, p, d)
        return
    o = nnref.conv_output_size(i, k, s, p, d)
    assert (o - 1) * s + span <= i + 2 * p < o * s + span  # the last window fits, the next does not
    remainder = (i + 2 * p - span) % s  # what the floor dropped
    assert nnref.conv_transpose_output_size(o, k, s, p, remainder, d) == i


def _size_or_none(fn):
    """The size ``fn()`` returns (an int or a tensor's last dimension), or None if it raises."""
    try:
        out = fn()
    except (ValueError, RuntimeError):
        return None
    return out if isinstance(out, int) else out.shape[-1]


def test_shape_functions_match_torch_including_where_both_refuse():
    torch = pytest.importorskip("torch")
    F, z = torch.nn.functional, torch.zeros
    for i, k, s, p, d in itertools.product(range(1, 9), range(1, 4), range(1, 4), range(0, 2), range(1, 3)):
        assert _size_or_none(lambda: nnref.conv_output_size(i, k, s, p, d)) == _size_or_none(
            lambda: F.conv1d(z(1, 1, i), z(1, 1, k), stride=s, padding=p, dilation=d))
        for op in range(max(s, d) + 1):
            assert _size_or_none(lambda: nnref.conv_transpose_output_size(i, k, s, p, op, d)) == _size_or_none(
                lambda: F.conv_transpose1d(z(1, 1, i), z(1, 1, k), stride=s, padding=p, output_padding=op,
                                           dilation=d))
        for ceil in (False, True):
            if 2 * p <= k:  # PyTorch's own limit for pooling
                assert _size_or_none(lambda: nnref.pool_output_size(i, k, s, p, d, ceil)) == _size_or_none(
                    lambda: F.max_pool1d(z(1, 1, i), k, s, p, d, ceil_mode=ceil))


def test_shape_function_errors_show_the_arithmetic():
    with pytest.raises(ValueError, match=r"kernel 9 \(dilation 1\) is larger than the padded input size 6 \+ 2\*0 = 6"):
        nnref.conv_output_size(6, 9)
    with pytest.raises(ValueError, match=r"\(3-1\)\*1 - 2\*3 \+ 1\*\(3-1\) \+ 0 \+ 1 = -1 is not positive"):
        nnref.conv_transpose_output_size(3, 3, padding=3)
    with pytest.raises(ValueError, match="output_padding 2 must be smaller than the stride 2 or the dilation 1"):
        nnref.conv_transpose_output_size(3, 3, stride=2, output_padding=2)
    with pytest.raises(ValueError, match="stride must be an integer >= 1, got 0"):
        nnref.conv_output_size(5, 3, stride=0)


# ----------------------------------------------------------------------------- sparse-matrix view and adjoints

def _conv_matrix(kernel, size):
    """The matrix C with conv2d(x, kernel).ravel() == C @ x.ravel(), built by placing the kernel per window."""
    k = kernel.shape[0]
    out = size - k + 1
    rows = []
    for i, j in itertools.product(range(out), repeat=2):
        placed = np.zeros((size, size))
        placed[i:i + k, j:j + k] = kernel
        rows.append(placed.ravel())
    return np.array(rows)


def test_convolution_is_multiplication_by_a_sparse_matrix():
    rng = np.random.default_rng(0)
    kernel, x, y = rng.standard_normal((3, 3)), rng.standard_normal((4, 4)), rng.standard_normal((2, 2))
    C = _conv_matrix(kernel, 4)
    assert C.shape == (4, 16) and np.count_nonzero(C) == 4 * 9
    w = kernel.reshape(1, 1, 3, 3)
    assert_close(nnref.conv2d(x.reshape(1, 1, 4, 4), w).ravel(), C @ x.ravel())
    assert_close(nnref.conv_transpose2d(y.reshape(1, 1, 2, 2), w).ravel(), C.T @ y.ravel())


def _remainder(sizes, kernel, stride, padding, dilation):
    """The output_padding that makes conv_transpose return the convolution's input size."""
    return tuple((i + 2 * p - d * (k - 1) - 1) % s for i, k, s, p, d in zip(sizes, kernel, stride, padding, dilation))


@settings(max_examples=30, deadline=None)
@given(d=st.sampled_from([1, 2]), size=st.integers(4, 7), k=st.integers(1, 3), s=st.integers(1, 3),
       p=st.integers(0, 2), dil=st.integers(1, 2), groups=st.sampled_from([1, 2]), seed=st.integers(0, 2**16))
def test_conv_backward_input_is_conv_transpose_of_grad_output(d, size, k, s, p, dil, groups, seed):
    if dil * (k - 1) + 1 > size + 2 * p:
        return
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((2, 2 * groups, *(size,) * d))
    w = rng.standard_normal((3 * groups, 2, *(k,) * d))
    y = CONV[d](x, w, stride=s, padding=p, dilation=dil, groups=groups)
    g = rng.standard_normal(y.shape)
    grad_input, _, _ = CONV_BACKWARD[d](g, x, w, stride=s, padding=p, dilation=dil, groups=groups)
    op = _remainder(x.shape[2:], w.shape[2:], (s,) * d, (p,) * d, (dil,) * d)  # always < s
    assert_close(grad_input, TRANSPOSE[d](g, w, stride=s, padding=p, output_padding=op, groups=groups,
                                          dilation=dil))
    # the defining identity of the adjoint: <conv(x), g> = <x, conv^T(g)>
    assert_close(np.sum(y * g), np.sum(x * grad_input))


def test_conv_transpose_backward_input_is_conv_of_grad_output():
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((2, 4, 3, 3)), rng.standard_normal((4, 3, 3, 3))
    y = nnref.conv_transpose2d(x, w, stride=2, padding=1, output_padding=1, groups=2)
    g = rng.standard_normal(y.shape)
    grad_input, _, _ = nnref.conv_transpose2d_backward(g, x, w, stride=2, padding=1, output_padding=1, groups=2)
    assert_close(grad_input, nnref.conv2d(g, w, stride=2, padding=1, groups=2))


def test_cross_correlation_equals_convolution_with_flipped_kernel():
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal(9), rng.standard_normal(4)
    true_convolution = np.convolve(x, w, mode="valid")
    assert_close(nnref.conv1d(x.reshape(1, 1, 9), w[::-1].reshape(1, 1, 4)).ravel(), true_convolution)


# ----------------------------------------------------------------------------- PyTorch parity

def _random_conv_configs(d, count, seed):
    """Random (but always valid) convolution settings in d dimensions."""
    rng = np.random.default_rng(seed)
    configs = []
    while len(configs) < count:
        k = tuple(int(a) for a in rng.integers(1, 4, d))
        s = tuple(int(a) for a in rng.integers(1, 3, d))
        dil = tuple(int(a) for a in rng.integers(1, 3, d))
        groups = int(rng.choice([1, 2]))
        padding = "same" if rng.random() < 0.2 else tuple(int(a) for a in rng.integers(0, 3, d))
        if padding == "same":
            s = (1,) * d
        size = tuple(int(a) for a in rng.integers(3 if d == 3 else 4, 5 if d == 3 else 8, d))
        pads = (0,) * d if padding == "same" else padding
        if any(dl * (kk - 1) + 1 > i + 2 * p for dl, kk, i, p in zip(dil, k, size, pads)):
            continue
        configs.append(dict(k=k, stride=s, padding=padding, dilation=dil, groups=groups, size=size,
                            bias=bool(rng.random() < 0.7)))
    return configs


CONV_CONFIGS = [(d, c) for d, n in ((1, 8), (2, 8), (3, 4)) for c in _random_conv_configs(d, n, seed=d)]


TORCH_SAME_WARNING = "ignore:Using padding='same' with even kernel:UserWarning"


@pytest.mark.filterwarnings(TORCH_SAME_WARNING)
@pytest.mark.parametrize("d, config", CONV_CONFIGS)
def test_conv_parity_with_torch(d, config):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    G = config["groups"]
    x = rng.standard_normal((2, 2 * G, *config["size"]))
    w = rng.standard_normal((3 * G, 2, *config["k"]))
    b = rng.standard_normal(3 * G) if config["bias"] else None
    kw = dict(stride=config["stride"], padding=config["padding"], dilation=config["dilation"], groups=G)
    torch_conv = getattr(torch.nn.functional, f"conv{d}d")
    y = CONV[d](x, w, b, **kw)
    g = rng.standard_normal(y.shape)
    out, grads = torch_vjp(lambda *a: torch_conv(*a, **kw), [x, w, b], g, (True, True, b is not None))
    assert_close(y, out)
    ours = CONV_BACKWARD[d](g, x, w, b, **kw)
    for mine, theirs in zip(ours, grads):
        assert_close(mine, theirs)
    assert (ours[2] is None) == (b is None)


def _random_transpose_configs(d, count, seed):
    rng = np.random.default_rng(seed)
    configs = []
    while len(configs) < count:
        k = tuple(int(a) for a in rng.integers(1, 5, d))
        s = tuple(int(a) for a in rng.integers(1, 4, d))
        dil = tuple(int(a) for a in rng.integers(1, 3, d))
        p = tuple(int(a) for a in rng.integers(0, 3, d))
        op = tuple(int(rng.integers(0, max(a, b))) for a, b in zip(s, dil))
        size = tuple(int(a) for a in rng.integers(2, 4 if d == 3 else 6, d))
        if any((i - 1) * st_ - 2 * pp + dl * (kk - 1) + o + 1 < 1
               for i, st_, pp, dl, kk, o in zip(size, s, p, dil, k, op)):
            continue
        configs.append(dict(k=k, stride=s, padding=p, output_padding=op, dilation=dil,
                            groups=int(rng.choice([1, 2])), size=size, bias=bool(rng.random() < 0.7)))
    return configs


TRANSPOSE_CONFIGS = [(d, c) for d, n in ((1, 8), (2, 8), (3, 4)) for c in _random_transpose_configs(d, n, seed=10 + d)]


@pytest.mark.parametrize("d, config", TRANSPOSE_CONFIGS)
def test_conv_transpose_parity_with_torch(d, config):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    G = config["groups"]
    x = rng.standard_normal((2, 2 * G, *config["size"]))
    w = rng.standard_normal((2 * G, 3, *config["k"]))
    b = rng.standard_normal(3 * G) if config["bias"] else None
    kw = dict(stride=config["stride"], padding=config["padding"], output_padding=config["output_padding"],
              groups=G, dilation=config["dilation"])
    torch_fn = getattr(torch.nn.functional, f"conv_transpose{d}d")
    y = TRANSPOSE[d](x, w, b, **kw)
    g = rng.standard_normal(y.shape)
    out, grads = torch_vjp(lambda *a: torch_fn(*a, **kw), [x, w, b], g, (True, True, b is not None))
    assert_close(y, out)
    for mine, theirs in zip(TRANSPOSE_BACKWARD[d](g, x, w, b, **kw), grads):
        assert_close(mine, theirs)


@pytest.mark.filterwarnings(TORCH_SAME_WARNING)
def test_unbatched_input_parity_with_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    x, w, wt = rng.standard_normal((2, 5, 5)), rng.standard_normal((3, 2, 2, 2)), rng.standard_normal((2, 3, 2, 2))
    assert_close(nnref.conv2d(x, w, padding="same"), torch.nn.functional.conv2d(
        torch.tensor(x), torch.tensor(w), padding="same").numpy())
    assert_close(nnref.conv_transpose2d(x, wt, stride=2), torch.nn.functional.conv_transpose2d(
        torch.tensor(x), torch.tensor(wt), stride=2).numpy())
    g = rng.standard_normal((3, 5, 5))
    _, (gx, gw) = torch_vjp(lambda a, b: torch.nn.functional.conv2d(a, b, padding="same"), [x, w], g, (True, True))
    grad_input, grad_weight, _ = nnref.conv2d_backward(g, x, w, padding="same")
    assert_close(grad_input, gx)
    assert_close(grad_weight, gw)


# ----------------------------------------------------------------------------- gradient checks

@pytest.mark.parametrize("d, kw", [
    (1, dict(stride=2, padding=1, dilation=2)),
    (2, dict(stride=(2, 1), padding=(1, 0), groups=2)),
    (2, dict(padding="same")),
    (3, dict(stride=2, padding=1)),
])
def test_conv_backward_matches_finite_differences(d, kw):
    rng = np.random.default_rng(0)
    size = (5,) if d == 1 else (4, 3) if d == 2 else (3, 3, 3)
    x = rng.standard_normal((1, 2, *size))
    w = rng.standard_normal((2, 2 // kw.get("groups", 1), *(2,) * d))
    b = rng.standard_normal(2)
    check_backward(lambda x, w, b: CONV[d](x, w, b, **kw), lambda g, x, w, b: CONV_BACKWARD[d](g, x, w, b, **kw),
                   [x, w, b], argnums=(0, 1, 2))


@pytest.mark.parametrize("d, kw", [
    (1, dict(stride=3, padding=1, output_padding=2)),
    (2, dict(stride=2, padding=(0, 1), output_padding=(1, 0), groups=2)),
    (2, dict(stride=1, dilation=2, output_padding=1)),
])
def test_conv_transpose_backward_matches_finite_differences(d, kw):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, 2, *(3,) * d))
    w = rng.standard_normal((2, 2 // kw.get("groups", 1), *(3,) * d))
    b = rng.standard_normal(2)
    check_backward(lambda x, w, b: TRANSPOSE[d](x, w, b, **kw),
                   lambda g, x, w, b: TRANSPOSE_BACKWARD[d](g, x, w, b, **kw), [x, w, b], argnums=(0, 1, 2))


# ----------------------------------------------------------------------------- pad

PAD_CASES = [
    ((1, 2, 5), (2, 1)),
    ((1, 2, 5), (-1, 3)),
    ((1, 2, 5), (3, -2)),
    ((2, 4, 5), (1, 2, 3, 0)),
    ((1, 2, 3, 4, 5), (1, 1, 0, 2, 2, 1)),
    ((2, 3, 4, 5), (1, -1, -2, 2)),
]


@pytest.mark.parametrize("mode", PAD_MODES)
@pytest.mark.parametrize("shape, pad", PAD_CASES)
def test_pad_parity_with_torch(shape, pad, mode):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape)
    value = 1.5 if mode == "constant" else 0.0
    y = nnref.pad(x, pad, mode=mode, value=value)
    g = rng.standard_normal(y.shape)
    torch_value = value if mode == "constant" else None
    out, (grad,) = torch_vjp(lambda t: torch.nn.functional.pad(t, pad, mode=mode, value=torch_value), [x], g, (True,))
    assert_close(y, out)
    assert_close(nnref.pad_backward(g, x, pad, mode=mode, value=value), grad)


def test_constant_pad_any_number_of_dimensions_with_negative_crop():
    x = np.arange(24.0).reshape(2, 3, 4)
    y = nnref.pad(x, (-1, 0, 1, 1, 0, 1), value=-1.0)
    assert y.shape == (3, 5, 3)
    np.testing.assert_array_equal(y[0, 1], x[0, 0, 1:])
    np.testing.assert_array_equal(y[2], np.full((5, 3), -1.0))


@pytest.mark.parametrize("mode", PAD_MODES)
def test_pad_backward_matches_finite_differences(mode):
    x = np.random.default_rng(0).standard_normal((1, 2, 3, 4))
    pad = (2, 1, -1, 2)
    check_backward(lambda x: nnref.pad(x, pad, mode=mode), lambda g, x: nnref.pad_backward(g, x, pad, mode=mode), [x])


def test_pad_by_hand():
    x = np.array([[1.0, 2.0, 3.0]])
    np.testing.assert_array_equal(nnref.pad(x, (2, 2), mode="reflect"), [[3, 2, 1, 2, 3, 2, 1]])
    np.testing.assert_array_equal(nnref.pad(x, (2, 2), mode="replicate"), [[1, 1, 1, 2, 3, 3, 3]])
    np.testing.assert_array_equal(nnref.pad(x, (2, 2), mode="circular"), [[2, 3, 1, 2, 3, 1, 2]])
    np.testing.assert_array_equal(nnref.pad_backward(np.ones((1, 7)), x, (2, 2), mode="circular"), [[2, 3, 2]])


@pytest.mark.parametrize("x_shape, pad, mode, message", [
    ((1, 3), (1,), "constant", r"pad must be a non-empty tuple of \(before, after\) pairs"),
    ((3,), (1, 1, 1, 1), "constant", r"pad has 2 pairs but x has only 1 dimensions"),
    ((1, 1, 3), (3, 0), "reflect", r"reflect padding must be smaller than the dimension it pads, got pad \(3, 0\)"),
    ((1, 1, 3), (4, 0), "circular", "circular padding cannot wrap around more than once"),
    ((1, 1, 3), (-2, -1), "replicate", r"the padded size 3 \+ -2 \+ -1 = 0 is too small"),
    ((3,), (1, 1), "reflect", r"mode='reflect' pads the last 1, 2 or 3 dimensions"),
    ((1, 3), (1, 1), "wrap", "mode must be one of 'constant', 'reflect', 'replicate', 'circular', got 'wrap'"),
])
def test_pad_rejects_bad_arguments(x_shape, pad, mode, message):
    with pytest.raises(ValueError, match=message):
        nnref.pad(np.zeros(x_shape), pad, mode=mode)


def test_pad_rejects_value_outside_constant_mode():
    with pytest.raises(ValueError, match="pad: value is only used with mode='constant'"):
        nnref.pad(np.zeros((1, 3)), (1, 1), mode="reflect", value=2.0)


# ----------------------------------------------------------------------------- dtypes, non-mutation

@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_conv_keeps_floating_dtype(dtype):
    x, w, wt = np.ones((1, 2, 4, 4), dtype), np.ones((3, 2, 2, 2), dtype), np.ones((2, 3, 2, 2), dtype)
    y = nnref.conv2d(x, w, np.zeros(3, dtype))
    assert y.dtype == dtype
    assert all(a.dtype == dtype for a in nnref.conv2d_backward(np.ones_like(y), x, w, np.zeros(3, dtype)))
    yt = nnref.conv_transpose2d(x, wt, stride=2)
    assert yt.dtype == dtype
    assert all(a.dtype == dtype for a in nnref.conv_transpose2d_backward(np.ones_like(yt), x, wt, stride=2)[:2])
    assert nnref.pad(x, (1, 1, 0, 0), mode="reflect").dtype == dtype
    assert nnref.pad_backward(np.ones((1, 2, 4, 6), dtype), x, (1, 1, 0, 0), mode="reflect").dtype == dtype


def test_integers_are_computed_in_float64_and_float32_meets_float64_as_float64():
    assert nnref.conv1d(np.ones((1, 1, 4), int), np.ones((1, 1, 2), int)).dtype == np.float64
    assert nnref.conv1d(np.ones((1, 1, 4), np.float32), np.ones((1, 1, 2))).dtype == np.float64
    assert nnref.pad(np.arange(3), (1, 1)).dtype == np.float64
    grads = nnref.conv1d_backward(np.ones((1, 1, 3)), np.ones((1, 1, 4), np.float32), np.ones((1, 1, 2), np.float32))
    assert grads[0].dtype == np.float64 and grads[1].dtype == np.float64


def test_inputs_are_not_modified():
    rng = np.random.default_rng(0)
    x, w, b = rng.standard_normal((1, 2, 4, 4)), rng.standard_normal((2, 2, 3, 3)), rng.standard_normal(2)
    copies = [a.copy() for a in (x, w, b)]
    g = np.ones((1, 2, 4, 4))
    nnref.conv2d(x, w, b, padding=1)
    nnref.conv2d_backward(g, x, w, b, padding=1)
    nnref.conv_transpose2d(x, w, b, padding=1)
    nnref.conv_transpose2d_backward(g, x, w, b, padding=1)
    nnref.pad(x, (1, 1, 0, 0), mode="circular")
    nnref.pad_backward(np.ones((1, 2, 4, 6)), x, (1, 1, 0, 0), mode="circular")
    for a, c in zip((x, w, b), copies):
        np.testing.assert_array_equal(a, c)
    np.testing.assert_array_equal(g, np.ones((1, 2, 4, 4)))


# ----------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("x_shape, w_shape, kw, message", [
    ((1, 1, 6, 6), (1, 1, 9, 3), {},
     r"conv2d: kernel 9 \(dilation 1\) is larger than the padded input height 6 \+ 2\*0 = 6; "
     "add padding or use a smaller kernel"),
    ((1, 1, 6, 6), (1, 1, 3, 3), dict(dilation=(1, 4)),
     r"conv2d: kernel 3 \(dilation 4\) spans 4\*\(3-1\)\+1 = 9 and is larger than the padded input width 6 \+ 2\*0"),
    ((1, 3, 6, 6), (4, 2, 3, 3), {},
     r"conv2d: weight has 2 input channels per group but x has 3 channels \(groups=1\)"),
    ((1, 4, 6, 6), (3, 2, 3, 3), dict(groups=2), "conv2d: weight has 3 output channels, not divisible by groups=2"),
    ((1, 1, 6, 6), (1, 1, 3, 3), dict(stride=2, padding="same"), "conv2d: padding='same' needs stride 1"),
    ((1, 1, 6, 6), (1, 1, 3, 3), dict(padding="full"), "conv2d: padding must be one of 'valid', 'same', got 'full'"),
    ((1, 1, 6, 6), (1, 1, 3, 3), dict(padding=(1, 2, 3)), r"conv2d: padding must be an int or a tuple of 2 ints"),
    ((1, 1, 6, 6), (1, 1, 3, 3), dict(stride=0), "conv2d: stride must be an integer >= 1, got 0"),
    ((1, 1, 6, 6), (1, 1, 3, 3), dict(groups=0), "conv2d: groups must be an integer >= 1, got 0"),
    ((1, 1, 6, 6), (1, 1, 3, 3), dict(bias=np.zeros(2)), r"conv2d: bias must have one entry per output channel, "
                                                        r"shape \(1,\), got \(2,\)"),
    ((6, 6), (1, 1, 3, 3), {}, r"conv2d: x must be 3 or 4-D \(C, H, W\) or \(N, C, H, W\), got shape \(6, 6\)"),
    ((1, 1, 6, 6), (1, 3, 3), {}, r"conv2d: weight must be 4-D"),
    ((1, 1, 6, 6), (1, 1, 0, 3), {}, "conv2d: weight must not have a zero-size dimension"),
])
def test_conv2d_rejects_bad_arguments(x_shape, w_shape, kw, message):
    with pytest.raises(ValueError, match=message):
        nnref.conv2d(np.zeros(x_shape), np.zeros(w_shape), **kw)


@pytest.mark.parametrize("x_shape, w_shape, kw, message", [
    ((1, 3, 4), (2, 1, 3), {}, r"conv_transpose1d: weight has 2 input channels \(its first axis\) but x has 3"),
    ((1, 3, 4), (3, 1, 3), dict(groups=2), "conv_transpose1d: x has 3 channels, not divisible by groups=2"),
    ((1, 2, 4), (2, 1, 3), dict(stride=2, output_padding=2),
     "conv_transpose1d: output_padding 2 must be smaller than the stride 2 or the dilation 1 along the length"),
    ((1, 2, 2), (2, 1, 3), dict(padding=3),
     r"conv_transpose1d: output length \(i-1\)\*s - 2\*p \+ d\*\(k-1\) \+ output_padding \+ 1 = "
     r"\(2-1\)\*1 - 2\*3 \+ 1\*\(3-1\) \+ 0 \+ 1 = -2 is not positive; use less padding"),
    ((1, 2, 4), (2, 1, 3), dict(bias=np.zeros(2)), r"bias must have one entry per output channel, shape \(1,\)"),
])
def test_conv_transpose1d_rejects_bad_arguments(x_shape, w_shape, kw, message):
    with pytest.raises(ValueError, match=message):
        nnref.conv_transpose1d(np.zeros(x_shape), np.zeros(w_shape), **kw)


def test_conv_transpose_rejects_string_padding():
    with pytest.raises(TypeError, match="conv_transpose2d: padding must be an int or a tuple of 2 ints, got 'same'"):
        nnref.conv_transpose2d(np.zeros((1, 1, 3, 3)), np.zeros((1, 1, 2, 2)), padding="same")


def test_backward_rejects_mismatched_grad_output():
    x, w = np.zeros((1, 1, 5, 5)), np.zeros((1, 1, 3, 3))
    with pytest.raises(ValueError, match=r"conv2d_backward: grad_output must have the output's shape "
                                         r"\(1, 1, 3, 3\), got \(1, 1, 5, 5\)"):
        nnref.conv2d_backward(np.zeros((1, 1, 5, 5)), x, w)
    with pytest.raises(ValueError, match=r"conv_transpose2d_backward: grad_output must have the output's shape "
                                         r"\(1, 1, 7, 7\)"):
        nnref.conv_transpose2d_backward(np.zeros((1, 1, 5, 5)), x, w)
    with pytest.raises(ValueError, match=r"pad_backward: grad_output must have the output's shape \(1, 1, 5, 7\)"):
        nnref.pad_backward(np.zeros((1, 1, 5, 5)), x, (1, 1))


@pytest.mark.parametrize("bad", [np.array([["a"]]), np.ones((1, 1, 3), complex)])
def test_conv_rejects_non_real_arrays(bad):
    with pytest.raises(TypeError, match="conv1d: x must be a real numeric array"):
        nnref.conv1d(bad, np.ones((1, 1, 1)))


def test_pad_returns_a_new_array_even_for_zero_pads():
    x = np.ones((1, 3))
    y = nnref.pad(x, (0, 0))
    y[0, 0] = 5.0
    assert x[0, 0] == 1.0


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
@pytest.mark.parametrize("lo, hi", [(2, 3), (0, 4), (-2, 3), (3, -1), (-1, -2), (4, 0)])
def test_pad_forward_agrees_with_the_index_map_its_backward_uses(mode, lo, hi):
    # pad uses np.pad; pad_backward spells out the index map; both must describe the same copy.
    x = np.arange(5.0).reshape(1, 5)
    if mode == "reflect" and max(lo, hi) >= 5 or mode == "circular" and max(lo, hi) > 5 - max(-lo, 0) - max(-hi, 0):
        return
    np.testing.assert_array_equal(nnref.pad(x, (lo, hi), mode=mode)[0], _source_index(5, lo, hi, mode))


# ----------------------------------------------------------------------------- unfold and fold

UNFOLD_CASES = [dict(kernel_size=2), dict(kernel_size=3, padding=1, stride=2), dict(kernel_size=(2, 3), dilation=(2, 1)),
                dict(kernel_size=(3, 1), padding=(1, 0), stride=(1, 3)), dict(kernel_size=2, dilation=2, padding=2, stride=3)]


@pytest.mark.parametrize("kw", UNFOLD_CASES)
@pytest.mark.parametrize("batched", [True, False])
def test_unfold_and_fold_match_torch_forward_and_backward(kw, batched):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 7, 8) if batched else (3, 7, 8))
    cols = nnref.unfold(x, **kw)
    g = rng.standard_normal(cols.shape)
    out, (grad,) = torch_vjp(lambda t: F.unfold(t, **kw), [x], g, (True,))
    np.testing.assert_array_equal(cols, out)  # a copy of the entries: exact
    assert_close(nnref.unfold_backward(g, x, **kw), grad)
    c = rng.standard_normal(cols.shape)
    y = nnref.fold(c, (7, 8), **kw)
    gy = rng.standard_normal(y.shape)
    out, (grad,) = torch_vjp(lambda t: F.fold(t, (7, 8), **kw), [c], gy, (True,))
    assert_close(y, out)
    np.testing.assert_array_equal(nnref.fold_backward(gy, c, (7, 8), **kw), grad)


@settings(max_examples=40, deadline=None)
@given(size=st.tuples(st.integers(3, 8), st.integers(3, 8)), k=st.integers(1, 3), s=st.integers(1, 3),
       p=st.integers(0, 2), d=st.integers(1, 2), seed=st.integers(0, 2**16))
def test_fold_is_the_adjoint_of_unfold(size, k, s, p, d, seed):
    """<unfold(x), c> = <x, fold(c)> for every image x and columns c."""
    if d * (k - 1) + 1 > min(size) + 2 * p:
        return
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((1, 2, *size))
    cols = nnref.unfold(x, k, d, p, s)
    c = rng.standard_normal(cols.shape)
    np.testing.assert_allclose(np.sum(cols * c), np.sum(x * nnref.fold(c, size, k, d, p, s)), rtol=1e-10)


def test_conv2d_is_unfold_then_a_matrix_product():
    rng = np.random.default_rng(1)
    x, w = rng.standard_normal((2, 3, 6, 7)), rng.standard_normal((4, 3, 3, 2))
    y = nnref.conv2d(x, w, stride=(2, 1), padding=1)
    cols = nnref.unfold(x, (3, 2), padding=1, stride=(2, 1))  # (N, C k_H k_W, H_out W_out)
    np.testing.assert_allclose((w.reshape(4, -1) @ cols).reshape(y.shape), y, rtol=1e-12)
    g = rng.standard_normal(y.shape)
    grad_x = nnref.conv2d_backward(g, x, w, stride=(2, 1), padding=1)[0]
    folded = nnref.fold(w.reshape(4, -1).T @ g.reshape(2, 4, -1), (6, 7), (3, 2), padding=1, stride=(2, 1))
    np.testing.assert_allclose(folded, grad_x, rtol=1e-12)


def test_unfold_by_hand():
    x = np.arange(9.0).reshape(1, 1, 3, 3)
    np.testing.assert_array_equal(nnref.unfold(x, 2)[0], [[0, 1, 3, 4], [1, 2, 4, 5], [3, 4, 6, 7], [4, 5, 7, 8]])
    np.testing.assert_array_equal(nnref.fold(np.ones((1, 4, 4)), 3, 2)[0, 0], [[1, 2, 1], [2, 4, 2], [1, 2, 1]])


def test_unfold_and_fold_backward_match_finite_differences():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((1, 2, 4, 5))
    kw = dict(kernel_size=2, padding=1, stride=2)
    check_backward(lambda a: nnref.unfold(a, **kw), lambda g, a: nnref.unfold_backward(g, a, **kw), [x])
    c = rng.standard_normal(nnref.unfold(x, **kw).shape)
    check_backward(lambda a: nnref.fold(a, (4, 5), **kw), lambda g, a: nnref.fold_backward(g, a, (4, 5), **kw), [c])


@pytest.mark.parametrize("call, error, message", [
    (lambda: nnref.unfold(np.ones((1, 1, 2, 2)), 3), ValueError,
     r"unfold: kernel 3 \(dilation 1\) is larger than the padded input height 2 \+ 2\*0 = 2"),
    (lambda: nnref.unfold(np.ones((2, 2)), 1), ValueError, r"unfold: x must be 3 or 4-D \(C, H, W\) or \(N, C, H, W\)"),
    (lambda: nnref.fold(np.ones((1, 5, 4)), 3, 2), ValueError,
     r"fold: x must have C \* k_H \* k_W rows, a multiple of 4 for kernel_size \(2, 2\), got shape \(5, 4\)"),
    (lambda: nnref.fold(np.ones((1, 4, 5)), 3, 2), ValueError,
     r"fold: x must have one column per window, 2 \* 2 = 4 for output_size \(3, 3\), got 5"),
    (lambda: nnref.fold(np.ones((4, 4, 4, 4)), 3, 2), ValueError, r"fold: x must be 3 or 2-D"),
    (lambda: nnref.unfold_backward(np.ones((1, 4, 3)), np.ones((1, 1, 3, 3)), 2), ValueError,
     r"unfold_backward: grad_output must have the output's shape \(1, 4, 4\), got \(1, 4, 3\)"),
])
def test_unfold_and_fold_reject_bad_arguments(call, error, message):
    with pytest.raises(error, match=message):
        call()
