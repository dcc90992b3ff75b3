"""Tests for the explorer's oracle (scripts/figures/explorer.py): the data the browser test holds
the widget of docs/visual/explorer.md to.

The oracle must be nnref's own answers: output shapes and messages of real calls, windows
found by running the ops. Here it is checked against nnref's size functions, against the
textbook definitions of the windows and overlaps (so a mistake in the generator cannot pass
as nnref's answer), and for coverage: the four operations, 1-D and 2-D, valid and invalid
settings, every kind of message.
"""

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

import nnref
from helpers import load_script

FIGURES = Path(__file__).resolve().parents[1] / "scripts" / "figures"


explorer = load_script(FIGURES / "explorer.py")


@pytest.fixture(scope="module")
def rows():
    return explorer.data()["settings"]


def size_function(st):
    """nnref's output-size function for the setting's op (it raises where the op would)."""
    L, k, s, p, d = (st[key] for key in ("input", "kernel", "stride", "padding", "dilation"))
    if st["op"] == "conv":
        return nnref.conv_output_size(L, k, s, p, d)
    if st["op"] == "transposed":
        return nnref.conv_transpose_output_size(L, k, s, p, st["output_padding"], d)
    if p > k // 2:  # the pooling ops refuse this before their size arithmetic
        raise ValueError("padding more than half the kernel")
    return nnref.pool_output_size(L, k, s, p, d, st["ceil"])


def test_the_runner_finds_the_family_and_the_file_is_json():
    sys.path.insert(0, str(FIGURES))
    try:
        runner = importlib.import_module("runner")
    finally:
        sys.path.remove(str(FIGURES))
    assert "explorer" in runner.families()
    [(name, data)] = list(explorer.figures())
    assert name == "explorer.json" and isinstance(data, bytes)
    parsed = json.loads(data)
    assert parsed["keys"] == list(explorer.KEYS)
    assert len(parsed["settings"]) > 1000


def test_the_grid_covers_every_operation_both_dimensions_valid_and_invalid(rows):
    groups = {(r["op"], r["dims"], "error" in r) for r in rows}
    assert groups == {(op, dims, bad) for op in explorer.FUNCTIONS for dims in (1, 2) for bad in (False, True)}
    assert {r["ceil"] for r in rows if r["op"] in ("max", "avg") and "out" in r} == {False, True}
    assert {r["dilation"] for r in rows if r["op"] != "avg" and "out" in r} >= {1, 2}
    assert {r["output_padding"] for r in rows if r["op"] == "transposed" and "out" in r} >= {0, 1}


@pytest.mark.parametrize("fragment", [
    "conv1d: kernel 4 (dilation 1) is larger than the padded input length",
    "conv2d: kernel 3 (dilation 2) spans 2*(3-1)+1 = 5 and is larger than the padded input height",
    "conv_transpose1d: output_padding 2 must be smaller than the stride",
    "conv_transpose2d: output height (i-1)*s - 2*p + d*(k-1) + output_padding + 1 =",
    "max_pool1d: padding must be at most half the kernel size",
    "avg_pool2d: spatial size (1, 1) is too small for kernel_size",
    "conv2d: stride must be an integer >= 1, got 0",
    "conv_transpose1d: output_padding must be an integer >= 0, got -1",
    "max_pool2d: dilation must be an integer >= 1, got 0",
    "avg_pool1d: padding must be an integer >= 0, got -1",
])
def test_every_kind_of_message_is_in_the_grid(rows, fragment):
    assert any(r.get("error", "").startswith(fragment) for r in rows)


def test_sizes_and_messages_are_those_of_real_nnref_calls(rows):
    for r in rows[::7]:  # a seventh of the grid: the call is repeated here, independently of the generator
        x = np.zeros((1, 1) + (r["input"],) * r["dims"])
        try:
            shape = list(explorer.call(r, x).shape[2:])
        except ValueError as err:
            assert r["error"] == str(err)
        else:
            assert r["out"] == shape


def test_output_sizes_agree_with_nnrefs_size_functions(rows):
    for r in rows:
        if min(r["stride"], r["padding"], r["dilation"] - 1, r["output_padding"]) < 0:
            continue  # arguments out of range: the size functions name themselves in the message
        try:
            size = size_function(r)
        except ValueError:
            assert "error" in r, r
        else:
            assert r.get("out") == [size] * r["dims"], r


def taps(r, i):
    """Textbook window of output i: s*i + d*a - p, within the padded input (ceil mode may run past it)."""
    d = 1 if r["op"] == "avg" else r["dilation"]
    return [r["stride"] * i + d * a - r["padding"] for a in range(r["kernel"])
            if r["stride"] * i + d * a - r["padding"] < r["input"] + r["padding"]]


def test_windows_are_the_textbook_windows(rows):
    checked = 0
    for r in rows:
        if "reads" not in r:
            continue
        if r["dims"] == 1:
            assert r["reads"] == [[[u] for u in taps(r, i)] for i in range(r["out"][0])], r
        else:
            for (i, j), reads in zip(r["cells"], r["reads"], strict=True):
                assert reads == [[a, b] for a in taps(r, i) for b in taps(r, j)], r
        checked += 1
    assert checked > 1000


def stamp_counts(r):
    """Taps per cell of the uncropped output: input n, tap a land on s*n + d*a."""
    L, k, s, d = r["input"], r["kernel"], r["stride"], r["dilation"]
    counts = np.zeros((L - 1) * s + d * (k - 1) + 1, dtype=int)
    for n in range(L):
        for a in range(k):
            counts[s * n + d * a] += 1
    return counts


def stamp(r, n):
    """The output cells input n writes: s*n + d*a - p, within the output."""
    s, d, k, p, out = r["stride"], r["dilation"], r["kernel"], r["padding"], r["out"][0]
    return [s * n + d * a - p for a in range(k) if 0 <= s * n + d * a - p < out]


def test_overlaps_and_stamps_are_the_textbook_ones(rows):
    checked = 0
    for r in rows:
        if "overlap" not in r:
            continue
        full = stamp_counts(r)
        if r["dims"] == 2:
            full = np.outer(full, full)
        np.testing.assert_array_equal(r["overlap_full"], full)
        p, out = r["padding"], r["out"][0]
        line = np.zeros(out, dtype=int)
        keep = min(out, stamp_counts(r).size - p)
        line[:keep] = stamp_counts(r)[p:p + keep]
        np.testing.assert_array_equal(r["overlap"], line if r["dims"] == 1 else np.outer(line, line))
        cells = r["cells"] if r["dims"] == 2 else [[n] for n in range(r["input"])]
        for cell, writes in zip(cells, r["writes"], strict=True):
            if r["dims"] == 1:
                assert writes == [[o] for o in stamp(r, cell[0])], r
            else:
                assert writes == [[a, b] for a in stamp(r, cell[0]) for b in stamp(r, cell[1])], r
        checked += 1
    assert checked > 1000


def test_overlaps_with_dilation_1_and_no_padding_are_checkerboard_overlap(rows):
    for r in rows:
        if "overlap" in r and r["dilation"] == 1 and r["padding"] == 0 and r["output_padding"] == 0:
            dims = r["dims"]
            expected = nnref.checkerboard_overlap((r["kernel"],) * dims, (r["stride"],) * dims,
                                                  input_size=(r["input"],) * dims)
            np.testing.assert_array_equal(r["overlap"], expected)
