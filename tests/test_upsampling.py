"""Tests for nnref.upsampling: the notes' example, PyTorch parity, gradients, dtypes, errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnref
from helpers import ROOT, assert_close, check_backward, load_script, torch_vjp

NOTES_X = np.array([[20.0, 45.0], [10.0, 43.0]])
NOTES_Y = np.array([[20.0, 20.0, 45.0, 45.0],
                    [20.0, 20.0, 45.0, 45.0],
                    [10.0, 10.0, 43.0, 43.0],
                    [10.0, 10.0, 43.0, 43.0]])

SPATIAL = {"linear": (5,), "bilinear": (4, 5), "bicubic": (4, 5), "trilinear": (3, 4, 2)}
# Resizing specs: integer and non-integer factors, up and down, per-axis tuples, explicit sizes.
SPECS = [dict(scale_factor=2), dict(scale_factor=1.7), dict(scale_factor=0.6), dict(scale_factor=3.3),
         dict(scale_factor=1 / 3), dict(size=7), dict(size=2), dict(size=1)]


def _torch_adjoint(torch, kw, x, g):
    """$J^T g$ with $J$ read off PyTorch's *forward* on basis vectors.

    PyTorch's own backward for the nearest modes (and for bicubic at an unchanged size) uses
    other index formulas than its forward for some scale factors, so it is not the gradient
    of its forward there (torch.autograd.gradcheck fails); this is the oracle that is.
    """
    spatial = x.shape[2:]
    n = int(np.prod(spatial))
    basis = np.eye(n).reshape((n, 1) + spatial)  # one unit impulse per batch entry
    jac = torch.nn.functional.interpolate(torch.from_numpy(basis), **kw).numpy().reshape(n, -1)  # (n_in, n_out)
    return (g.reshape(g.shape[:2] + (-1,)) @ jac.T).reshape(x.shape)


def _spec(spec, nd):
    """A per-axis variant of ``spec`` for ``nd`` spatial axes, to mix factors across axes."""
    if nd == 1:
        return spec
    if "size" in spec:
        return dict(size=tuple(spec["size"] + a for a in range(nd)))
    return dict(scale_factor=tuple(spec["scale_factor"] * (1 + 0.45 * a) for a in range(nd)))


# --- the notes' example and hand-checked values ------------------------------------------------


def test_notes_nearest_example():
    y = nnref.interpolate(NOTES_X[None, None], scale_factor=2)
    np.testing.assert_array_equal(y[0, 0], NOTES_Y)
    np.testing.assert_array_equal(nnref.interpolate(NOTES_X[None, None], size=(4, 4)), y)


def test_linear_values_by_hand():
    x = np.array([[[0.0, 4.0]]])
    # align_corners=False: source coordinates (i + 0.5) / 2 - 0.5 = -0.25 (clamped to 0), 0.25, 0.75, 1.25
    np.testing.assert_allclose(nnref.interpolate(x, scale_factor=2, mode="linear"), [[[0.0, 1.0, 3.0, 4.0]]])
    # align_corners=True: source coordinates i / 3 = 0, 1/3, 2/3, 1
    np.testing.assert_allclose(nnref.interpolate(x, size=4, mode="linear", align_corners=True),
                               [[[0.0, 4 / 3, 8 / 3, 4.0]]])


def test_bicubic_weights_by_hand():
    """A unit impulse at index 3, upsampled x2: output i reads source (i + 0.5) / 2 - 0.5 and
    weighs the impulse by Keys' kernel W (A = -0.75) at the distance between them:
    W(0.25) = 0.87890625, W(0.75) = 0.26171875, W(1.25) = -0.10546875, W(1.75) = -0.03515625."""
    x = np.zeros((1, 1, 1, 8))
    x[0, 0, 0, 3] = 1.0
    expected = np.zeros(16)
    expected[3:11] = [-0.03515625, -0.10546875, 0.26171875, 0.87890625,
                      0.87890625, 0.26171875, -0.10546875, -0.03515625]
    np.testing.assert_allclose(nnref.interpolate(x, size=(1, 16), mode="bicubic")[0, 0, 0], expected, atol=1e-15)


def test_upsample_then_average_pool_recovers_the_input():
    """Nearest x2 upsampling followed by 2x2 average pooling is the identity: pooling is its partner."""
    x = np.random.default_rng(0).standard_normal((2, 3, 4, 5))
    np.testing.assert_allclose(nnref.avg_pool2d(nnref.interpolate(x, scale_factor=2), 2), x, rtol=1e-15)


# --- PyTorch parity ----------------------------------------------------------------------------


@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("spec", SPECS)
@pytest.mark.parametrize("mode", ["linear", "bilinear", "bicubic", "trilinear"])
def test_interpolating_modes_match_torch(mode, spec, align_corners):
    torch = pytest.importorskip("torch")
    nd = len(SPATIAL[mode])
    kw = dict(_spec(spec, nd), mode=mode, align_corners=align_corners)
    x = np.random.default_rng(0).standard_normal((2, 3, *SPATIAL[mode]))
    y = nnref.interpolate(x, **kw)
    g = np.random.default_rng(1).standard_normal(y.shape)
    out, (grad,) = torch_vjp(lambda t: torch.nn.functional.interpolate(t, **kw), [x], g, (True,))
    assert_close(y, out)
    assert_close(nnref.interpolate_backward(g, x, **kw), grad)


@pytest.mark.parametrize("spec", SPECS + [dict(scale_factor=1.1), dict(scale_factor=2.2)])
@pytest.mark.parametrize("spatial", [(5,), (4, 5), (3, 4, 2)])
@pytest.mark.parametrize("mode", ["nearest", "nearest-exact"])
def test_nearest_modes_match_torch(mode, spatial, spec):
    torch = pytest.importorskip("torch")
    kw = dict(_spec(spec, len(spatial)), mode=mode)
    x = np.random.default_rng(0).standard_normal((2, 3, *spatial))
    y = nnref.interpolate(x, **kw)
    g = np.random.default_rng(1).standard_normal(y.shape)
    out = torch.nn.functional.interpolate(torch.from_numpy(x), **kw).numpy()
    np.testing.assert_array_equal(y, out)  # nearest copies values: equal, not just close
    assert_close(nnref.interpolate_backward(g, x, **kw), _torch_adjoint(torch, kw, x, g))


def test_nearest_backward_where_torch_backward_disagrees_with_its_forward():
    """Length 5 with scale_factor 1.1: PyTorch's forward reads inputs [0, 0, 1, 2, 3], but its
    backward assumes a plain copy (equal sizes). nnref's gradient is that of the forward."""
    torch = pytest.importorskip("torch")
    x = np.arange(5.0)[None, None]
    kw = dict(scale_factor=1.1)
    np.testing.assert_array_equal(nnref.interpolate(x, **kw), [[[0.0, 0.0, 1.0, 2.0, 3.0]]])
    np.testing.assert_array_equal(torch.nn.functional.interpolate(torch.from_numpy(x), **kw).numpy(),
                                  [[[0.0, 0.0, 1.0, 2.0, 3.0]]])
    np.testing.assert_array_equal(nnref.interpolate_backward(np.ones((1, 1, 5)), x, **kw), [[[2.0, 1.0, 1.0, 1.0, 0.0]]])
    _, (torch_grad,) = torch_vjp(lambda t: torch.nn.functional.interpolate(t, **kw), [x], np.ones((1, 1, 5)), (True,))
    np.testing.assert_array_equal(torch_grad, np.ones((1, 1, 5)))  # PyTorch's inconsistent gradient


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("mode", ["nearest", "nearest-exact"])
@pytest.mark.parametrize("shape, kw", [
    ((1, 1, 3), dict(size=123)),  # 41 * (3/123) is 1 in float64 but just below 1 in float32
    ((1, 1, 3), dict(scale_factor=41.0)),
    ((1, 1, 3), dict(scale_factor=1.000000001)),
    ((1, 1, 1, 3), dict(size=(1, 123))),  # 2-D, H_out + W_out <= 128: PyTorch's float32 kernel
    ((1, 1, 1, 3), dict(size=(5, 123))),  # 2-D, H_out + W_out > 128: the general kernel
    ((1, 1, 3, 1), dict(scale_factor=(1.1, 2.0))),  # n_out = n_in: copied in the 2-D kernel only
    ((1, 1, 3, 1, 1), dict(scale_factor=(1.1, 2.2, 1.0))),
    ((1, 1, 7, 1), dict(scale_factor=(13.3, 1.0))),
])
def test_nearest_source_index_matches_torch_bit_for_bit(shape, kw, mode, dtype):
    """Where r * i is within rounding of an integer, PyTorch's arithmetic decides the index."""
    torch = pytest.importorskip("torch")
    x = np.arange(np.prod(shape), dtype=dtype).reshape(shape)
    expected = torch.nn.functional.interpolate(torch.from_numpy(x), mode=mode, **kw).numpy()
    np.testing.assert_array_equal(nnref.interpolate(x, mode=mode, **kw), expected)


def test_non_finite_values_follow_torch():
    """inf in x spreads to the outputs that read it (0 * inf = NaN where its weight is 0, as in
    PyTorch); inf in grad_output reaches only the inputs it was mixed from."""
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(0).standard_normal((1, 2, 4, 5))
    x[0, 0, 1, 2] = np.inf
    kw = dict(scale_factor=1.5, mode="bilinear")
    y = nnref.interpolate(x, **kw)
    g = np.random.default_rng(1).standard_normal(y.shape)
    g[0, 1, 2, 3] = -np.inf
    out, (grad,) = torch_vjp(lambda t: torch.nn.functional.interpolate(t, **kw), [x], g, (True,))
    np.testing.assert_array_equal(np.isnan(y), np.isnan(out))
    assert_close(y[np.isfinite(out)], out[np.isfinite(out)])
    np.testing.assert_array_equal(np.isfinite(nnref.interpolate_backward(g, x, **kw)), np.isfinite(grad))
    assert_close(nnref.interpolate_backward(g, x, **kw)[np.isfinite(grad)], grad[np.isfinite(grad)])


def test_bicubic_same_size_with_a_scale_factor_gets_the_true_gradient():
    """PyTorch's bicubic backward copies grad_output when the output keeps the input's size, even
    when a scale factor != 1 made its forward interpolate (its own gradcheck fails there); nnref
    returns the gradient of the forward it computes, which matches PyTorch's forward."""
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(0).standard_normal((1, 1, 4, 3))
    kw = dict(scale_factor=(1.0, 1.34), mode="bicubic")  # sizes stay (4, 3); the width is resampled
    assert_close(nnref.interpolate(x, **kw), torch.nn.functional.interpolate(torch.from_numpy(x), **kw).numpy())
    check_backward(lambda a: nnref.interpolate(a, **kw), lambda g, a: nnref.interpolate_backward(g, a, **kw), [x])


def test_float32_nearest_matches_torch_exactly():
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(0).standard_normal((2, 3, 6, 7)).astype(np.float32)
    for kw in [dict(scale_factor=2), dict(scale_factor=0.37), dict(size=(11, 3))]:
        expected = torch.nn.functional.interpolate(torch.from_numpy(x), **kw).numpy()
        np.testing.assert_array_equal(nnref.interpolate(x, **kw), expected)


# --- gradients ---------------------------------------------------------------------------------


@pytest.mark.parametrize("mode, shape, kw", [
    ("nearest", (1, 2, 3), dict(scale_factor=1.7)),
    ("nearest", (1, 1, 2, 3), dict(scale_factor=2)),
    ("nearest-exact", (1, 1, 3, 2, 2), dict(size=(2, 3, 4))),
    ("linear", (1, 2, 4), dict(scale_factor=2.5)),
    ("linear", (1, 2, 5), dict(size=3, align_corners=True)),
    ("bilinear", (1, 1, 3, 4), dict(scale_factor=(1.5, 0.7))),
    ("bicubic", (1, 1, 3, 4), dict(size=(5, 6))),
    ("bicubic", (1, 1, 4, 3), dict(scale_factor=1.6, align_corners=True)),
    ("trilinear", (1, 1, 2, 3, 2), dict(scale_factor=1.5)),
])
def test_backward_matches_finite_differences(mode, shape, kw):
    x = np.random.default_rng(0).standard_normal(shape)
    check_backward(lambda a: nnref.interpolate(a, mode=mode, **kw),
                   lambda g, a: nnref.interpolate_backward(g, a, mode=mode, **kw), [x])


@settings(max_examples=30, deadline=None)
@given(mode=st.sampled_from(["nearest", "nearest-exact", "bilinear", "bicubic"]),
       h=st.integers(1, 6), w=st.integers(1, 6), out_h=st.integers(1, 9), out_w=st.integers(1, 9),
       align=st.booleans())
def test_backward_is_the_adjoint_of_forward(mode, h, w, out_h, out_w, align):
    """<interpolate(x), g> = <x, interpolate_backward(g)>: the backward is the transpose."""
    align_corners = None if mode.startswith("nearest") else align
    kw = dict(size=(out_h, out_w), mode=mode, align_corners=align_corners)
    rng = np.random.default_rng(h * 100 + w)
    x, g = rng.standard_normal((1, 2, h, w)), rng.standard_normal((1, 2, out_h, out_w))
    np.testing.assert_allclose(np.sum(nnref.interpolate(x, **kw) * g),
                               np.sum(x * nnref.interpolate_backward(g, x, **kw)), rtol=1e-10, atol=1e-12)


# --- dtypes and non-mutation -------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("mode", ["nearest", "bilinear", "bicubic"])
def test_floating_dtype_is_kept(mode, dtype):
    x = np.arange(12, dtype=dtype).reshape(1, 1, 3, 4)
    y = nnref.interpolate(x, scale_factor=1.5, mode=mode)
    assert y.dtype == dtype
    assert nnref.interpolate_backward(np.ones(y.shape, dtype), x, scale_factor=1.5, mode=mode).dtype == dtype


def test_integers_are_computed_in_float64():
    x = np.arange(12).reshape(1, 1, 3, 4)
    y = nnref.interpolate(x, scale_factor=2, mode="bilinear")
    assert y.dtype == np.float64
    np.testing.assert_array_equal(y, nnref.interpolate(x.astype(np.float64), scale_factor=2, mode="bilinear"))
    assert nnref.interpolate_backward(np.ones(y.shape, dtype=int), x, scale_factor=2).dtype == np.float64


@pytest.mark.parametrize("mode", ["nearest", "bilinear"])
def test_inputs_are_not_modified(mode):
    x = np.random.default_rng(0).standard_normal((1, 2, 3, 3))
    x_copy = x.copy()
    y = nnref.interpolate(x, scale_factor=1, mode=mode)
    g = np.ones(y.shape)
    grad = nnref.interpolate_backward(g, x, scale_factor=1, mode=mode)
    grad += 1  # the result is a new array, not a view of g
    np.testing.assert_array_equal(x, x_copy)
    np.testing.assert_array_equal(g, 1.0)
    assert not np.shares_memory(y, x)


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize("call, error, message", [
    (lambda: nnref.interpolate(np.zeros((1, 1, 4))), ValueError,
     "interpolate: exactly one of size and scale_factor must be given, got size=None and scale_factor=None"),
    (lambda: nnref.interpolate(np.zeros((1, 1, 4)), size=8, scale_factor=2), ValueError,
     "interpolate: exactly one of size and scale_factor must be given"),
    (lambda: nnref.interpolate(np.zeros((1, 1, 4, 4)), scale_factor=2, mode="linear"), ValueError,
     r"interpolate: mode 'linear' needs a 3-D \(N, C, L\) input, got shape \(1, 1, 4, 4\)"),
    (lambda: nnref.interpolate(np.zeros((1, 1, 4)), scale_factor=2, mode="bilinear"), ValueError,
     r"interpolate: mode 'bilinear' needs a 4-D \(N, C, H, W\) input"),
    (lambda: nnref.interpolate(np.zeros((1, 1, 4, 4)), scale_factor=2, mode="trilinear"), ValueError,
     r"interpolate: mode 'trilinear' needs a 5-D \(N, C, D, H, W\) input"),
    (lambda: nnref.interpolate(np.zeros((4, 4)), scale_factor=2), ValueError,
     r"interpolate: x must be 3 or 4 or 5-D \(N, C, \*spatial\), got shape \(4, 4\)"),
    (lambda: nnref.interpolate(np.zeros((1, 1, 4)), scale_factor=2, mode="area"), ValueError,
     "interpolate: mode must be one of 'nearest', 'nearest-exact', 'linear', 'bilinear', 'bicubic', "
     "'trilinear', got 'area'"),
    (lambda: nnref.interpolate(np.zeros((1, 1, 4)), scale_factor=2, align_corners=True), ValueError,
     "interpolate: align_corners can only be set with the interpolating modes"),
    (lambda: nnref.interpolate(np.zeros((1, 1, 4)), scale_factor=2, mode="linear", align_corners=1), TypeError,
     "interpolate: align_corners must be True or False, got 1"),
    (lambda: nnref.interpolate(np.zeros((1, 1, 4)), scale_factor=0.1), ValueError,
     r"interpolate: scale_factor 0.1 gives an empty output \(0,\) for the input size \(4,\)"),
    (lambda: nnref.interpolate(np.zeros((1, 1, 4)), scale_factor=-2), ValueError,
     "interpolate: scale_factor must be positive, got -2.0"),
    (lambda: nnref.interpolate(np.zeros((1, 1, 4, 4)), scale_factor=(2, 2, 2)), ValueError,
     r"interpolate: scale_factor must be a number or a tuple of 2 numbers, got \(2, 2, 2\)"),
    (lambda: nnref.interpolate(np.zeros((1, 1, 4, 4)), size=(8, 0)), ValueError,
     "interpolate: size must be an integer >= 1, got 0"),
    (lambda: nnref.interpolate(np.zeros((1, 1, 4)), size=2.5), TypeError, "interpolate: size must be an int"),
    (lambda: nnref.interpolate(np.zeros((1, 1, 0)), size=3), ValueError,
     r"interpolate: spatial sizes must be positive, got shape \(1, 1, 0\)"),
    (lambda: nnref.interpolate(np.array([[["a"]]]), size=3), TypeError, "interpolate: x must be a real numeric array"),
    (lambda: nnref.interpolate_backward(np.ones((1, 1, 7)), np.zeros((1, 1, 4)), scale_factor=2), ValueError,
     r"interpolate_backward: grad_output must have the output's shape \(1, 1, 8\), got \(1, 1, 7\)"),
])
def test_bad_arguments_are_rejected(call, error, message):
    with pytest.raises(error, match=message):
        call()


# --- antialias and recompute_scale_factor (PyTorch's semantics) ------------------------------


@pytest.mark.parametrize("mode", ["bilinear", "bicubic"])
@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("spec", [dict(size=(3, 4)), dict(size=(5, 2)), dict(size=(9, 14)), dict(size=(7, 11))]
                         + [dict(scale_factor=f, recompute_scale_factor=r) for f in (0.37, (0.5, 0.3), 0.61, 1.7)
                            for r in (None, False, True)])
def test_antialias_matches_torch_forward_and_backward(mode, align_corners, spec):
    """Antialiased bilinear and bicubic, shrinking (the filter stretched) and growing, against PyTorch's values
    and gradients, with each recompute_scale_factor (only meaningful with a scale factor)."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 9, 14))
    kw = dict(mode=mode, align_corners=align_corners, antialias=True, **spec)
    y = nnref.interpolate(x, **kw)
    g = rng.standard_normal(y.shape)
    out, (grad,) = torch_vjp(lambda t: torch.nn.functional.interpolate(t, **kw), [x], g, (True,))
    assert_close(y, out)
    assert_close(nnref.interpolate_backward(g, x, **kw), grad)


@pytest.mark.parametrize("mode, shape", [("nearest", (1, 2, 7)), ("linear", (1, 2, 7)), ("bilinear", (1, 2, 7, 5)),
                                         ("bicubic", (1, 2, 7, 5)), ("trilinear", (1, 1, 3, 7, 5)),
                                         ("nearest-exact", (1, 2, 7, 5))])
@pytest.mark.parametrize("factor", [1.7, 0.45, 2.3])
def test_recompute_scale_factor_matches_torch(mode, shape, factor):
    """True: interpolate as if the floored size had been given (ratio n_in / n_out, not 1 / factor)."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    x = rng.standard_normal(shape)
    for recompute in (True, False):
        kw = dict(scale_factor=factor, mode=mode, recompute_scale_factor=recompute)
        y = nnref.interpolate(x, **kw)
        out = torch.nn.functional.interpolate(torch.from_numpy(x), **kw).numpy()
        assert_close(y, out)
        g = rng.standard_normal(y.shape)
        assert_close(nnref.interpolate_backward(g, x, **kw), _torch_adjoint(torch, kw, x, g))
    size = nnref.interpolate(x, scale_factor=factor, mode=mode).shape[2:]
    np.testing.assert_array_equal(nnref.interpolate(x, scale_factor=factor, mode=mode, recompute_scale_factor=True),
                                  nnref.interpolate(x, size=size, mode=mode))


def test_antialias_gradient_matches_finite_differences():
    x = np.random.default_rng(2).standard_normal((1, 1, 7, 9))
    for mode in ("bilinear", "bicubic"):
        kw = dict(size=(3, 4), mode=mode, antialias=True)
        check_backward(lambda a: nnref.interpolate(a, **kw), lambda g, a: nnref.interpolate_backward(g, a, **kw), [x])


def test_antialias_removes_aliasing_of_a_fine_pattern():
    """Stripes one pixel wide, shrunk 3x: plain bilinear reads every third pixel (1, 0, 1, ...); with
    antialias every output averages about half ones, half zeros."""
    stripes = np.tile([0.0, 1.0], 8)[:15].reshape(1, 1, 1, 15)
    np.testing.assert_array_equal(nnref.interpolate(stripes, size=(1, 5), mode="bilinear")[0, 0, 0], [1, 0, 1, 0, 1])
    smooth = nnref.interpolate(stripes, size=(1, 5), mode="bilinear", antialias=True)[0, 0, 0]
    np.testing.assert_allclose(smooth, [1 / 2, 4 / 9, 5 / 9, 4 / 9, 1 / 2])  # weights by hand: 1/3, 2/3, 1, 2/3, 1/3


@pytest.mark.parametrize("call, error, message", [
    (lambda: nnref.interpolate(np.ones((1, 1, 4)), size=2, mode="linear", antialias=True), ValueError,
     "interpolate: antialias=True needs mode 'bilinear' or 'bicubic'"),
    (lambda: nnref.interpolate(np.ones((1, 1, 4, 4)), size=2, mode="nearest", antialias=True), ValueError,
     "interpolate: antialias=True needs mode 'bilinear' or 'bicubic'"),
    (lambda: nnref.interpolate(np.ones((1, 1, 4, 4)), size=2, mode="bilinear", antialias=1), TypeError,
     "interpolate: antialias must be True or False, got 1"),
    (lambda: nnref.interpolate(np.ones((1, 1, 4)), size=2, recompute_scale_factor=True), ValueError,
     "interpolate: recompute_scale_factor is only meaningful with scale_factor"),
    (lambda: nnref.interpolate(np.ones((1, 1, 4)), scale_factor=2, recompute_scale_factor="yes"), TypeError,
     "interpolate: recompute_scale_factor must be True or False"),
])
def test_antialias_and_recompute_arguments_are_checked(call, error, message):
    with pytest.raises(error, match=message):
        call()


# --- pixel shuffle -------------------------------------------------------------------------


@pytest.mark.parametrize("shape, r", [((2, 8, 3, 4), 2), ((1, 9, 2, 2), 3), ((3, 2, 4, 3, 5), 2), ((4, 1, 1), 1),
                                      ((2, 18, 1, 2), 3)])
def test_pixel_shuffle_and_unshuffle_match_torch(shape, r):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape)
    y = nnref.pixel_shuffle(x, r)
    g = rng.standard_normal(y.shape)
    out, (grad,) = torch_vjp(lambda t: F.pixel_shuffle(t, r), [x], g, (True,))
    np.testing.assert_array_equal(y, out)
    np.testing.assert_array_equal(nnref.pixel_shuffle_backward(g, x, r), grad)
    out, (grad,) = torch_vjp(lambda t: F.pixel_unshuffle(t, r), [y], x, (True,))
    np.testing.assert_array_equal(nnref.pixel_unshuffle(y, r), out)
    np.testing.assert_array_equal(nnref.pixel_unshuffle_backward(x, y, r), grad)


def test_pixel_shuffle_by_hand_and_inverse():
    # channel c r^2 + i r + j goes to pixel (r h + i, r w + j): channels 0..3 of one pixel form a 2x2 block
    x = np.arange(4.0).reshape(1, 4, 1, 1)
    np.testing.assert_array_equal(nnref.pixel_shuffle(x, 2)[0, 0], [[0, 1], [2, 3]])
    z = np.random.default_rng(1).standard_normal((2, 3, 6, 4))
    np.testing.assert_array_equal(nnref.pixel_shuffle(nnref.pixel_unshuffle(z, 2), 2), z)


def test_pixel_shuffle_backward_matches_finite_differences():
    x = np.random.default_rng(2).standard_normal((1, 8, 2, 3))
    check_backward(lambda a: nnref.pixel_shuffle(a, 2), lambda g, a: nnref.pixel_shuffle_backward(g, a, 2), [x])
    check_backward(lambda a: nnref.pixel_unshuffle(a, 2), lambda g, a: nnref.pixel_unshuffle_backward(g, a, 2),
                   [x.reshape(1, 2, 4, 6)])


@pytest.mark.parametrize("call, message", [
    (lambda: nnref.pixel_shuffle(np.ones((1, 7, 2, 2)), 2),
     r"pixel_shuffle: x must have a multiple of upscale_factor\*\*2 = 4 channels \(dimension -3\), got 7"),
    (lambda: nnref.pixel_unshuffle(np.ones((1, 1, 3, 2)), 2),
     r"pixel_unshuffle: x's height and width must be multiples of downscale_factor = 2, got shape \(1, 1, 3, 2\)"),
    (lambda: nnref.pixel_shuffle(np.ones((4, 2)), 2), r"pixel_shuffle: x must have at least 3 dimensions"),
    (lambda: nnref.pixel_shuffle(np.ones((1, 4, 2, 2)), 0), r"pixel_shuffle: upscale_factor must be an integer >= 1"),
    (lambda: nnref.pixel_shuffle_backward(np.ones((1, 1, 2, 2)), np.ones((1, 4, 2, 2)), 2),
     r"pixel_shuffle_backward: grad_output must have the output's shape \(1, 1, 4, 4\)"),
])
def test_pixel_shuffle_rejects_bad_arguments(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --- the figures of sub-pixel convolution and antialiasing (scripts/figures/subpixel.py, antialias.py) ------


def _figure_module(name):
    return load_script(ROOT / "scripts" / "figures" / f"{name}.py")


def test_subpixel_figure_random_init_tiles_a_pattern_icnr_is_flat():
    """On a constant input (away from the zero-padded border): the transposed convolution's stamps
    land 1, 2 or 4 times; the sub-pixel layer's taps land 9 times everywhere; random sub-kernels
    give a pattern of period 2, ICNR's equal sub-kernels a constant."""
    fig = _figure_module("subpixel")
    inner = (slice(2, -2), slice(2, -2))
    np.testing.assert_array_equal(np.unique(fig.transposed()[inner]), [1, 2, 4])
    np.testing.assert_array_equal(np.unique(fig.subpixel_taps()[inner]), [9])
    random, icnr = fig.subpixel(icnr=False)[inner], fig.subpixel(icnr=True)[inner]
    assert np.ptp(random) > 0.5  # four different sums of kernel weights
    np.testing.assert_allclose(random, np.tile(random[:2, :2], (random.shape[0] // 2, random.shape[1] // 2)))
    np.testing.assert_allclose(icnr, icnr[0, 0])  # flat


def test_antialias_figure_removes_the_false_rings():
    """Far from the centre of the zone plate (rings finer than the 32x32 grid can show), plain bilinear
    invents rings of large contrast; antialiased bilinear stays close to the mean grey 0.5."""
    fig = _figure_module("antialias")
    u = np.arange(32) - 15.5
    far = np.hypot(u[:, None], u[None, :]) > 6  # the input's rings there are finer than 1 cycle per 4 pixels
    assert np.abs(fig.shrunk(False)[far] - 0.5).max() > 0.4  # false rings nearly black and white
    assert np.abs(fig.shrunk(True)[far] - 0.5).max() < 0.05  # grey


def test_antialias_leaves_bilinear_upsampling_unchanged_but_not_bicubic():
    """The upsampling page: growing, the filter keeps its width; bicubic's antialias kernel has A = -0.5."""
    x = np.random.default_rng(3).standard_normal((1, 2, 8, 7))
    kw = dict(size=(16, 15))
    np.testing.assert_allclose(nnref.interpolate(x, mode="bilinear", antialias=True, **kw),
                               nnref.interpolate(x, mode="bilinear", **kw), rtol=1e-12, atol=1e-12)
    assert np.abs(nnref.interpolate(x, mode="bicubic", antialias=True, **kw)
                  - nnref.interpolate(x, mode="bicubic", **kw)).max() > 0.01
