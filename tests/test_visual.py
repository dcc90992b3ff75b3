"""Tests for the visual-explanation code: nnref.checkerboard_overlap and the site's experiments.

The experiments (scripts/experiments/) draw figures for docs/visual/; here they run
with the same seeds and sizes, and their claims (the loss the page states, which
activation's gradient vanishes) are asserted.
"""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

import nnref

EXPERIMENTS = Path(__file__).resolve().parents[1] / "scripts" / "experiments"


def load(name):
    """Import scripts/experiments/<name>.py (a folder of scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(f"experiments_{name}", EXPERIMENTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
