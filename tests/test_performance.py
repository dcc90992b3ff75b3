"""The Performance page: its numbers come from the committed benchmark JSON, and its prose names every gap."""

import math
import re
from pathlib import Path

import pytest

from helpers import load_script

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "performance.md"
hook = load_script(ROOT / "hooks" / "performance.py")
DATA = hook.load()
RATIOS = {r["name"]: r["ratio_torch"] for r in DATA["results"] if "ratio_torch" in r}


def test_results_cover_every_op_family_forward_and_backward():
    families = {r["family"] for r in DATA["results"]}
    assert families == {"activations", "linear", "conv", "pooling", "upsampling", "normalization"}
    for family in families:
        names = [r["name"] for r in DATA["results"] if r["family"] == family and "ratio_torch" in r]
        assert any("backward" in n for n in names) and any("backward" not in n for n in names), family


def test_summary_states_the_geometric_mean_and_worst_case_of_the_json():
    text = hook.summary(DATA)
    geo = math.prod(RATIOS.values()) ** (1 / len(RATIOS))
    assert f"**{geo:.2f}**" in text
    worst = max(RATIOS, key=RATIOS.get)
    assert f"`{worst}` at **{RATIOS[worst]:.2f}x**" in text


def test_summary_states_the_slowest_pooling_upsampling_and_batch_norm_case():
    assert set(hook.LAYER_CASES) <= set(RATIOS)
    worst = max(hook.LAYER_CASES, key=RATIOS.get)
    assert f"slowest `{worst}` at **{RATIOS[worst]:.2f}x**" in hook.summary(DATA)


def test_summary_conv_flop_rate_and_memory_follow_from_the_timings():
    conv = next(r for r in DATA["results"] if r["name"] == "conv2d")
    assert conv["nnref_gflops"] == pytest.approx(conv["flops"] / conv["nnref_s"] / 1e9)
    text = hook.summary(DATA)
    assert f"{conv['nnref_gflops'] / conv['torch_gflops']:.0%}" in text
    assert f"{conv['im2col_bytes'] / 2**20:.1f} MiB" in text


def test_table_has_one_row_per_case():
    rows = [line for line in hook.table(DATA).splitlines() if line.startswith("| ") and "`" in line]
    assert len(rows) == len(DATA["results"])


def test_page_explains_every_case_above_three_times_pytorch():
    text = PAGE.read_text()
    gaps = text[text.index("## Where nnref is slower"):text.index("## Why the fast cases")]
    named = set(re.findall(r"`([^`]+)`", gaps))
    above = {name for name, ratio in RATIOS.items() if ratio > 3}
    assert above <= named, f"cases above 3x not explained on the page: {sorted(above - named)}"
    stale = (named & set(RATIOS)) - above
    assert not stale, f"the page explains cases that are no longer above 3x: {sorted(stale)}"


def test_gaps_table_lists_every_case_above_three_times_with_its_measurements():
    rows = [line for line in hook.gaps(DATA).splitlines() if line.startswith("| `")]
    assert {re.match(r"\| `([^`]+)`", row).group(1) for row in rows} == {n for n, r in RATIOS.items() if r > 3}


def test_backward_passes_from_x_are_compared_with_pytorch_forward_and_backward():
    # The page's "backward passes from x alone": each such case has PyTorch's backward kernel
    # timed alone and a variant given the saved value, and both appear in the generated table.
    rows = {r["name"]: r for r in DATA["results"]}
    from_x = {n for n, r in rows.items() if "torch_saved_s" in r}
    assert {"max_pool2d 2x2_backward", "softmax_backward", "log_softmax_backward"} <= from_x
    table = hook.recompute(DATA)
    for name in from_x:
        r = rows[name]
        assert r["ratio_torch_saved"] == pytest.approx(r["nnref_s"] / r["torch_saved_s"])
        assert r["torch_s"] > r["torch_saved_s"]  # forward and backward take longer than the backward alone
        saved = [n for n in RATIOS if n.startswith(name + " (")]
        assert saved, name
        assert f"| `{name}` | {r['ratio_torch']:.2f} | {r['ratio_torch_saved']:.2f} | " in table
        assert all(f"{RATIOS[n]:.2f}" in table for n in saved)


def test_page_claims_about_the_gaps_hold_in_the_json():
    rows = {r["name"]: r for r in DATA["results"]}
    # "the part timed alone ... takes more than three times as long as PyTorch's whole gelu"
    assert 3 < rows["gelu"]["floor_ratio"] < RATIOS["gelu"]
    # "PyTorch's backward kernel takes about twice as long as its forward ... the part timed alone ...
    # both are above 3x"
    assert 1.5 < rows["gelu_backward"]["torch_s"] / rows["gelu"]["torch_s"] < 2.5
    assert 3 < rows["gelu_backward"]["floor_ratio"] < RATIOS["gelu_backward"] < RATIOS["gelu"]
    # "The tanh approximation ... stays within 2.5x of PyTorch, forward and backward"
    assert RATIOS["gelu(approximate=tanh)"] <= 2.5 and RATIOS["gelu(approximate=tanh)_backward"] <= 2.5


def test_only_exact_gelu_is_above_three_times_pytorch():
    """The targets, in the committed run: no case above 3x but exact GELU, a geometric mean of at most 1.25."""
    assert {n for n, r in RATIOS.items() if r > 3} <= {"gelu", "gelu_backward"}
    assert math.prod(RATIOS.values()) ** (1 / len(RATIOS)) <= 1.25


def test_close_to_the_limit_as_the_page_states():
    """'between 2.6x and 3.1x'; the SiLU backward's sigmoid alone 'about 1.5 times PyTorch's whole backward'."""
    for name in ("silu_backward", "elu_backward", "selu_backward", "leaky_relu_backward", "log_softmax_backward (output)"):
        assert 2.3 < RATIOS[name] <= 3.1, name
    row = next(r for r in DATA["results"] if r["name"] == "silu_backward")
    assert 1.2 < row["floor_ratio"] < 1.8
