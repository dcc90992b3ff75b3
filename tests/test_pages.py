"""Tests for the concept pages: their exercises, their reading order, their notation, and the
numbers they state that no pycon example prints.

The pycon examples themselves (exercise answers included) run through Sybil from the root
conftest.py; here we check that Sybil really collects the answers nested in collapsible
blocks, and that a wrong answer fails.
"""

import re
import sys
from pathlib import Path

import numpy as np
import pytest

import nnref
from helpers import load_script

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
CONCEPTS = DOCS / "concepts"
ORDER = ["linear", "activations", "vanishing-gradients", "convolution", "padding-stride", "pooling",
         "batch-normalization", "upsampling", "transposed-convolution"]


def pages_sybil():
    """The Sybil object of the root conftest.py: the same parser and flags as `make test`."""
    return load_script(ROOT / "conftest.py").PAGES


def exercises(text):
    """``(number, title, body)`` of each ``??? question "Exercise N: ..."`` block, body dedented once."""
    found = []
    for m in re.finditer(r'^\?\?\? question "Exercise (\d+): ([^"]+)"\n((?:(?: {4}.*)?\n)+)', text, flags=re.M):
        body = "\n".join(line[4:] for line in m.group(3).splitlines())
        found.append((int(m.group(1)), m.group(2), body))
    return found


# ----------------------------------------------------------------------------- exercises

@pytest.mark.parametrize("page", ORDER)
def test_every_concept_page_has_3_to_6_numbered_exercises_with_answers(page):
    text = (CONCEPTS / f"{page}.md").read_text()
    found = exercises(text)
    assert 3 <= len(found) <= 6, f"{page}: {len(found)} exercises"
    assert [n for n, _, _ in found] == list(range(1, len(found) + 1))
    assert text.count('??? question "Exercise') == len(found)  # none the pattern missed
    for n, title, body in found:
        assert re.search(r'^\?\?\? success "Answer"\n', body, flags=re.M), f"{page} exercise {n}: no nested answer"
        answer = body.split('??? success "Answer"', 1)[1]
        assert "```pycon" in answer, f"{page} exercise {n} ({title}): the answer runs no code"
    assert any("yourself" in title for _, title, _ in found), f"{page}: no write-it-yourself exercise"


@pytest.mark.parametrize("page", ORDER)
def test_sybil_collects_every_pycon_block_of_the_answers(page):
    path = CONCEPTS / f"{page}.md"
    text = path.read_text()
    lines = text.splitlines()
    examples = list(pages_sybil().parse(path))
    example_lines = {e.line for e in examples}
    fences = [i + 1 for i, line in enumerate(lines) if line.strip() == "```pycon"]
    nested = [i for i in fences if lines[i - 1].startswith("        ```")]
    assert nested, f"{page}: no pycon block inside an answer"
    for fence in fences:  # each block holds at least one collected example, on the line after the fence
        assert fence + 1 in example_lines, f"{page}:{fence}: the pycon block is not collected"


def test_a_wrong_answer_fails(tmp_path):
    """A deliberately wrong output in a nested answer block makes the page fail."""
    text = (CONCEPTS / "linear.md").read_text()
    right = "        >>> w_ex.size + b_ex.size\n        16\n"
    assert right in text
    (tmp_path / "linear.md").write_text(text.replace(right, right.replace("16\n", "17\n")))
    document = pages_sybil().parse(tmp_path / "linear.md")
    failures = []
    for example in document:
        try:
            example.evaluate()
        except Exception as err:  # SybilFailure
            failures.append((example.line, str(err)))
    assert len(failures) == 1
    line, message = failures[0]
    assert "Expected:\n    17\nGot:\n    16" in message
    near = (tmp_path / "linear.md").read_text().splitlines()[line - 1:line + 2]
    assert "        >>> w_ex.size + b_ex.size" in near


# ----------------------------------------------------------------------------- reading order

def test_the_nav_lists_the_concepts_in_reading_order():
    # Read without a YAML parser: `make test` does not install one.
    nav = (ROOT / "mkdocs.yml").read_text().split("\n  - Concepts:\n", 1)[1].split("\n  - ", 1)[0]
    assert re.findall(r"concepts/([a-z-]+)\.md", nav) == ORDER


@pytest.mark.parametrize("i", range(len(ORDER)))
def test_each_page_ends_with_a_link_to_the_next(i):
    text = (CONCEPTS / f"{ORDER[i]}.md").read_text()
    last = text.rstrip().rsplit("\n---\n", 1)[1]
    assert "**Next:**" in last
    target = f"({ORDER[i + 1]}.md)" if i + 1 < len(ORDER) else "(../visual/animations.md)"
    assert target in last


# ----------------------------------------------------------------------------- one notation

BANNED = {
    r"\partial L": "the loss is \\mathcal{L} (L is a length)",
    r"\varphi": "the normal density is \\phi",
    r"\sigma^2": "the biased variance is v (sigma is the sigmoid)",
    r"\hat\sigma": "the running variance is v_run",
    r"\hat\mu": "the running mean is mu_run",
    "(B, D)": "a batch is (N, C)",
    "n_{in}": "lengths are L and L_out",
}


@pytest.mark.parametrize("page", ORDER)
def test_pages_use_the_letters_of_the_conventions_page(page):
    text = (CONCEPTS / f"{page}.md").read_text()
    for banned, why in BANNED.items():
        assert banned not in text, f"{page}: {banned!r}: {why}"
    # The math of the page, less the lines that quote the course notes' own (wrong) formulas.
    own = "\n".join(line for line in text.splitlines() if "notes write" not in line)
    math = " ".join(re.findall(r"\$\$?[^$]+\$\$?", own))
    # W and C are the width and the channels, never a weight matrix or a convolution's matrix.
    weight_w = re.search(r"(?<![_{])\bW(\^|_\{?[a-z](?!ut))|(?<![_{])\bC\^\{?\\top|W a\b", math)
    assert not weight_w, f"{page}: {weight_w.group(0)!r}: the weights are w"
    assert not re.search(r"\bz\^\{?\[|z_i\b|\bz\b", math), f"{page}: the activation's input is x"


def test_the_conventions_page_holds_the_letter_table():
    text = (DOCS / "conventions.md").read_text()
    section = text.split("## Shapes and letters", 1)[1].split("\n## ", 1)[0]
    for row in [r"| $g$ | the upstream gradient", r"| $f$, $f'$ |", r"| $\mathcal{L}$ | the loss |",
                r"| $k$; $k_D$, $k_H$, $k_W$ |", r"| $\mu$, $v$, $\epsilon$, $\hat x$ |"]:
        assert row in section
    assert r"L_{out} = \left\lfloor \frac{L + 2p - d\,(k - 1) - 1}{s} \right\rfloor + 1" in section


# ----------------------------------------------------------------------------- stated numbers

def test_activation_means_in_the_table_are_nnrefs():
    text = (CONCEPTS / "activations.md").read_text()
    grid = np.linspace(-10.0, 10.0, 200001)
    density = np.exp(-grid**2 / 2) / np.sqrt(2 * np.pi)
    rows = dict(re.findall(r"^\| ([a-z_]+) \| [^|]+ \| [^|]+ \| ([0-9.]+)(?: over a layer[^|]*)? \|", text, flags=re.M))
    assert len(rows) == 21
    special = {"prelu": lambda x: nnref.prelu(x, np.array([0.25])), "bipolar_relu": lambda x: nnref.bipolar_relu(x[None])[0]}
    for name, stated in rows.items():
        f = special.get(name, getattr(nnref, name))
        mean = np.sum(f(grid) * density) * (grid[1] - grid[0])
        assert abs(mean - float(stated)) <= 0.5 * 10 ** -max(1, len(stated.partition(".")[2])), name
    assert "0.99/\\sqrt{2\\pi} \\approx 0.395" in text and "0.99 / np.sqrt(2 * np.pi)" not in text


def test_bipolar_relu_units_have_the_stated_mean():
    grid = np.linspace(-10.0, 10.0, 200001)
    density = np.exp(-grid**2 / 2) / np.sqrt(2 * np.pi)
    units = nnref.bipolar_relu(np.stack([grid, grid], axis=1))  # (points, 2): an even and an odd unit
    means = (units * density[:, None]).sum(axis=0) * (grid[1] - grid[0])
    np.testing.assert_allclose(means, [0.399, -0.399], atol=5e-4)
    assert "$+0.399$ or $-0.399$" in (CONCEPTS / "activations.md").read_text()


def test_batch_norm_page_states_the_descent_numbers():
    sys.path.insert(0, str(ROOT / "scripts" / "figures"))
    try:
        bn = load_script(ROOT / "scripts" / "figures" / "batchnorm.py")
    finally:
        sys.path.pop(0)
    x, y = bn.data()
    xs, ys = bn.standardize(x), y - y.mean()
    text = " ".join((CONCEPTS / "batch-normalization.md").read_text().split())
    assert bn.LEARNING_RATE == 0.095 and bn.STEPS == 30
    assert "30 steps with the same learning rate, 0.095" in text
    assert (bn.steps_to_converge(x, y), bn.steps_to_converge(xs, ys)) == (23, 22)
    assert "(23 on the left, 22 on the right)" in text
    assert round(bn.largest_stable_rate(x), 3) == 0.104 and round(bn.largest_stable_rate(xs), 2) == 0.98
    assert "any rate above 0.104" in text and "rates up to 0.98" in text
    assert (bn.fewest_steps(x, y), bn.fewest_steps(xs, ys)) == (11, 1)
    assert "needs 11 steps" in text and "in a single step" in text
    path, _ = bn.descent(x, y)
    across = np.sign(np.diff(path[:8, 1] - np.linalg.lstsq(x, y, rcond=None)[0][1]))
    assert np.all(across[1:] != across[:-1])  # the unscaled path zig-zags across the valley (w_2)
    path, w_star = bn.descent(xs, ys)
    direction = (path - w_star) / np.linalg.norm(path - w_star, axis=1, keepdims=True)
    assert np.all(direction @ direction[0] > 0.99)  # the standardized one runs straight


def test_receptive_field_figure_grows_by_two_per_layer():
    rf = load_script(ROOT / "scripts" / "figures" / "receptive_field.py")
    for m, centre in zip((1, 2, 3), (1, 9, 49)):
        field = rf.receptive_field(m)
        rows, cols = np.nonzero(field)
        assert np.ptp(rows) + 1 == np.ptp(cols) + 1 == 2 * m + 1
        assert field[rf.SIZE // 2, rf.SIZE // 2] == centre == field.max()
    assert "(1, 9,\n49 paths)" in (CONCEPTS / "convolution.md").read_text()


def test_stated_ratios_and_slopes():
    text = " ".join((CONCEPTS / "convolution.md").read_text().split())
    fully, locally, conv = 44251200, 403200, 448  # printed by the page's pycon example
    assert round(fully / locally) == 110 and round(locally / conv) == 900
    assert "divides the count by about 110, sharing by about 900 more" in text
    mean_slope = -float(nnref.rrelu(np.array([-1.0]))[0])  # evaluation mode: the mean slope
    assert round(mean_slope, 2) == 0.23 and mean_slope == (1 / 8 + 1 / 3) / 2
    assert r"$(1/8 + 1/3)/2 \approx 0.23$" in (CONCEPTS / "activations.md").read_text()
