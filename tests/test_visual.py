"""Tests for the visual-explanation code: nnref.checkerboard_overlap and the site's experiments.

The experiments (scripts/experiments/) draw figures for docs/visual/; here they run
with the same seeds and sizes, and their claims (the loss the page states, which
activation's gradient vanishes) are asserted.
"""

import io
from pathlib import Path

import numpy as np
import pytest

import nnref
from helpers import load_script

EXPERIMENTS = Path(__file__).resolve().parents[1] / "scripts" / "experiments"


def load(name):
    """Import scripts/experiments/<name>.py (a folder of scripts, not a package)."""
    return load_script(EXPERIMENTS / f"{name}.py")


# ----------------------------------------------------------------------------- checkerboard_overlap

def brute_force_counts_1d(k, s, n):
    """Count taps per output pixel by enumerating every (input pixel, tap) pair."""
    counts = np.zeros((n - 1) * s + k, dtype=np.int64)
    for i in range(n):
        for t in range(k):
            counts[s * i + t] += 1
    return counts


def test_kernel3_stride2_alternates_1_2_in_1d():
    np.testing.assert_array_equal(nnref.checkerboard_overlap(3, 2, input_size=5), [1, 1, 2, 1, 2, 1, 2, 1, 2, 1, 1])


def test_kernel3_stride2_gives_1_2_4_in_2d():
    counts = nnref.checkerboard_overlap((3, 3), (2, 2), input_size=(4, 4))
    interior = counts[2:-2, 2:-2]  # away from the borders
    np.testing.assert_array_equal(interior, [[4, 2, 4, 2, 4], [2, 1, 2, 1, 2], [4, 2, 4, 2, 4],
                                             [2, 1, 2, 1, 2], [4, 2, 4, 2, 4]])
    assert set(np.unique(counts)) == {1, 2, 4}


@pytest.mark.parametrize("k, s", [(1, 1), (2, 1), (3, 1), (2, 2), (4, 2), (6, 2), (3, 3), (6, 3), (8, 4)])
def test_interior_is_uniform_when_stride_divides_kernel(k, s):
    counts = nnref.checkerboard_overlap(k, s, input_size=6)
    interior = counts[k - 1:len(counts) - k + 1]
    np.testing.assert_array_equal(interior, np.full(interior.shape, k // s))


@pytest.mark.parametrize("k, s", [(3, 2), (5, 2), (5, 3), (4, 3), (1, 2), (7, 4)])
def test_interior_alternates_ceil_floor_when_stride_does_not_divide_kernel(k, s):
    counts = nnref.checkerboard_overlap(k, s, input_size=6)
    interior = counts[k - 1:len(counts) - k + 1]
    assert set(np.unique(interior)) == {k // s, -(-k // s)}


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("s", [1, 2, 3])
@pytest.mark.parametrize("n", [1, 3])
def test_counts_match_enumeration(k, s, n):
    np.testing.assert_array_equal(nnref.checkerboard_overlap(k, s, input_size=n), brute_force_counts_1d(k, s, n))


def test_nd_counts_are_products_of_axis_counts():
    counts = nnref.checkerboard_overlap((3, 4, 5), (2, 3, 2), input_size=(2, 3, 3))
    axes = [brute_force_counts_1d(k, s, n) for k, s, n in [(3, 2, 2), (4, 3, 3), (5, 2, 3)]]
    np.testing.assert_array_equal(counts, np.einsum("a,b,c->abc", *axes))
    assert counts.dtype == np.int64


def test_counts_match_torch_conv_transpose_of_ones():
    torch = pytest.importorskip("torch")
    x, w = torch.ones(1, 1, 3, 4, dtype=torch.float64), torch.ones(1, 1, 3, 5, dtype=torch.float64)
    expected = torch.nn.functional.conv_transpose2d(x, w, stride=(2, 3))[0, 0].numpy()
    np.testing.assert_array_equal(nnref.checkerboard_overlap((3, 5), (2, 3), input_size=(3, 4)), expected)


@pytest.mark.parametrize("args, error, message", [
    ((0, 2), ValueError, "checkerboard_overlap: kernel_size must be an integer >= 1, got 0"),
    ((3, 0), ValueError, "checkerboard_overlap: stride must be an integer >= 1, got 0"),
    ((3, 2, 0), ValueError, "checkerboard_overlap: input_size must be an integer >= 1, got 0"),
    ((3, 2.5), TypeError, "checkerboard_overlap: stride must be an int or a tuple of 1 ints, got 2.5"),
    (((3, 3), (2, 2, 2)), ValueError, "one common length 1, 2 or 3"),
    (((3, 3, 3, 3), 2), ValueError, "one common length 1, 2 or 3"),
])
def test_checkerboard_overlap_rejects_bad_arguments(args, error, message):
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        nnref.checkerboard_overlap(*args)


# ----------------------------------------------------------------------------- experiments

def test_one_conv_network_trains_below_the_stated_loss():
    exp = load("train_one_conv")
    params, losses = exp.train()
    assert losses[0] > 0.6  # starts near log 2: chance level for two classes
    assert losses[-1] < exp.LOSS_TARGET == 0.05  # the value docs/visual/experiments.md states
    x_test, labels_test = exp.bars(1000, seed=1)  # images never trained on
    assert exp.accuracy(params, x_test, labels_test) >= 0.95


def test_experiments_page_states_the_tested_loss_bound():
    exp = load("train_one_conv")
    page = (Path(__file__).resolve().parents[1] / "docs" / "visual" / "experiments.md").read_text()
    assert f"below **{exp.LOSS_TARGET}**" in page
    assert f"{exp.STEPS} steps" in page and f"learning rate {exp.LEARNING_RATE}" in page


def test_one_conv_network_gradients_match_finite_differences():
    exp = load("train_one_conv")
    x, labels = exp.bars(6, seed=3)
    params = exp.init(seed=3)
    _, grads = exp.loss_and_grads(params, x, labels)
    rng = np.random.default_rng(0)
    for name, p in params.items():
        for flat_index in rng.choice(p.size, size=min(p.size, 4), replace=False):
            i = np.unravel_index(flat_index, p.shape)
            plus, minus = ({**params, name: p.copy()} for _ in range(2))
            plus[name][i] += 1e-6
            minus[name][i] -= 1e-6
            numeric = (exp.loss_and_grads(plus, x, labels)[0] - exp.loss_and_grads(minus, x, labels)[0]) / 2e-6
            assert numeric == pytest.approx(grads[name][i], rel=1e-5, abs=1e-9)


def test_bars_are_labelled_by_orientation():
    exp = load("train_one_conv")
    images, labels = exp.bars(20, seed=0, noise=0.0)
    for image, label in zip(images[:, 0], labels):
        line_sums = image.sum(axis=1) if label == 0 else image.sum(axis=0)  # a full row / column
        assert sorted(line_sums) == [0.0] * 7 + [8.0]


def test_sigmoid_gradient_vanishes_with_depth_and_relu_does_not():
    exp = load("vanishing_gradient")
    norms = {a: exp.first_layer_gradient_norms(a, max_depth=12) for a in ("sigmoid", "relu")}
    assert norms["sigmoid"][-1] < 1e-5 * norms["sigmoid"][0]
    assert 0.1 < norms["relu"][-1] / norms["relu"][0] < 10


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_first_layer_gradient_norms_match_torch_autograd(activation):
    torch = pytest.importorskip("torch")
    exp = load("vanishing_gradient")
    x, weights, grad_top = exp.network(activation, 5)
    expected = []
    for depth in range(1, 6):
        ws = [torch.tensor(w, requires_grad=True) for w in weights[:depth]]
        h = torch.tensor(x)
        for w in ws:
            h = getattr(torch, activation)(h @ w.T)
        (h * torch.tensor(grad_top)).sum().backward()
        expected.append(float(ws[0].grad.norm()))
    np.testing.assert_allclose(exp.first_layer_gradient_norms(activation, max_depth=5), expected, rtol=1e-10)


def test_dead_units_are_those_never_positive():
    exp = load("dying_relu")
    x, w, b = exp.layer()
    for shift in (0.0, 2.0, 3.0, 5.0):
        never_positive = np.all(x @ w.T + b - shift <= 0, axis=0)  # (U,): relu'(z) = 0 for every input
        assert exp.dead_fraction("relu", shift) == pytest.approx(never_positive.mean())
        assert exp.dead_fraction("leaky_relu", shift) == 0.0


def test_dead_fraction_grows_with_the_shift():
    exp = load("dying_relu")
    shifts, fractions = exp.run(np.linspace(0.0, 5.0, 11))
    assert fractions["relu"][0] == 0.0 and fractions["relu"][-1] > 0.9
    assert np.all(np.diff(fractions["relu"]) >= 0)
    np.testing.assert_array_equal(fractions["leaky_relu"], 0.0)


def test_batch_norm_keeps_deep_tanh_layers_out_of_saturation():
    exp = load("batchnorm_depth")
    plain, normalized = exp.activations(False), exp.activations(True)
    assert all(exp.saturated_fraction(h) > 0.5 for h in plain)
    assert all(exp.saturated_fraction(h) < 0.05 for h in normalized)
    for h in normalized:  # standardized pre-activations: tanh outputs centred, spread like tanh(N(0, 1))
        assert abs(h.mean()) < 0.05 and 0.5 < h.std() < 0.75


# ----------------------------------------------------------------------------- figure runner and animations

FIGURES = Path(__file__).resolve().parents[1] / "scripts" / "figures"

FAMILY = '''
import matplotlib.pyplot as plt

def figures():
    fig, ax = plt.subplots()
    ax.plot([0, 1])
    yield "line", fig
    if MAKE_GIF:
        yield "clip.gif", b"GIF89a-not-really"
'''


def test_runner_writes_gif_bytes_and_drops_files_no_longer_made(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    monkeypatch.syspath_prepend(str(FIGURES))
    import runner

    src = tmp_path / "scripts" / "figures"
    src.mkdir(parents=True)
    (src / "runner.py").write_text("# stands in for the runner in the cache key\n")
    for name, value in [("ROOT", tmp_path), ("FIGURES_SRC", src), ("OUT", tmp_path / "docs" / "figures"),
                        ("CACHE", tmp_path / ".cache"), ("RUNNER", src / "runner.py")]:
        monkeypatch.setattr(runner, name, value)
    (src / "demo.py").write_text("MAKE_GIF = True\n" + FAMILY)
    runner._draw("demo")
    out = tmp_path / "docs" / "figures" / "demo"
    assert sorted(p.name for p in out.iterdir()) == ["clip.gif", "line.svg"]
    assert (out / "clip.gif").read_bytes() == b"GIF89a-not-really"
    assert runner._is_fresh("demo", runner.cache_key("demo"))
    (src / "demo.py").write_text("MAKE_GIF = False\n" + FAMILY)
    runner._draw("demo")
    assert sorted(p.name for p in out.iterdir()) == ["line.svg"]


def load_figure_family(name, monkeypatch):
    pytest.importorskip("matplotlib")
    pytest.importorskip("PIL")
    monkeypatch.syspath_prepend(str(FIGURES))  # for the shared _grids module
    return load_script(FIGURES / f"{name}.py")


def test_conv_animation_has_one_frame_per_output_pixel_and_fixed_bytes(monkeypatch):
    from PIL import Image

    family = load_figure_family("conv_animation", monkeypatch)
    edge = family.conv_gif(family.IMAGE, family.EDGE)
    assert Image.open(io.BytesIO(edge)).n_frames == 9  # ((5 - 3) // 1 + 1) ** 2 output pixels
    assert edge == family.conv_gif(family.IMAGE, family.EDGE)  # deterministic
    stride2 = family.conv_gif(family.IMAGE, family.EDGE, stride=2)
    assert Image.open(io.BytesIO(stride2)).n_frames == 4  # ((5 - 3) // 2 + 1) ** 2


def test_animations_refuse_a_frame_that_disagrees_with_nnref(monkeypatch):
    family = load_figure_family("conv_animation", monkeypatch)
    conv2d = nnref.conv2d
    monkeypatch.setattr(family.nnref, "conv2d", lambda *args, **kwargs: conv2d(*args, **kwargs) + 1)
    with pytest.raises(RuntimeError, match="frame sum 150.0 != nnref.conv2d 151.0"):
        family.conv_gif(family.IMAGE, family.EDGE)


def test_pooling_and_transposed_animations_draw_every_step(monkeypatch):
    from PIL import Image

    pool = load_figure_family("pooling_animation", monkeypatch).pool_gif()
    assert Image.open(io.BytesIO(pool)).n_frames == 4  # one per 2x2 window of the 4x4 input
    transposed = load_figure_family("transposed_animation", monkeypatch).transposed_gif(2)
    assert Image.open(io.BytesIO(transposed)).n_frames == 5  # an empty output, then one stamp per input pixel
