"""The version and the supported Pythons, said the same way everywhere they are said.

The version: pyproject.toml's ``version`` is ``nnref.__version__``, has a CHANGELOG section and
is what the site's footer shows. The Pythons: pyproject.toml's classifiers (3.10 to 3.13) start
at ``requires-python``'s floor, and the README, the tests workflow's matrix and the Makefile's
``PYTHONS`` (the Pythons ``make constraints`` pins) list the same ones; ``.ci/run`` reads them
from the classifiers.
"""

import re
from pathlib import Path

import pytest

import nnref
from helpers import load_script

try:
    import tomllib
except ImportError:  # Python 3.10: pytest depends on tomli there
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
SUPPORTED = sorted(
    (c.rsplit(":: ", 1)[1] for c in PROJECT["classifiers"] if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)),
    key=lambda v: int(v.split(".")[1]),
)


def test_version_is_pyprojects():
    assert nnref.__version__ == PROJECT["version"]


def test_changelog_has_a_section_for_the_version():
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert f"## [{PROJECT['version']}] - " in changelog
    assert "## [Unreleased]" in changelog


def test_footer_shows_the_version():
    hook = load_script(ROOT / "hooks" / "version.py")
    mkdocs_yml = (ROOT / "mkdocs.yml").read_text()
    copyright_line = re.search(r"^copyright: (.*)$", mkdocs_yml, re.MULTILINE).group(1)
    assert "{version}" in copyright_line
    assert "hooks/version.py" in mkdocs_yml
    config = hook.on_config({"copyright": "nnref {version}, MIT licence"})
    assert config["copyright"] == f"nnref {PROJECT['version']}, MIT licence"


def test_supported_pythons_start_at_requires_python():
    assert PROJECT["requires-python"] == f">={SUPPORTED[0]}"
    minors = [int(v.split(".")[1]) for v in SUPPORTED]
    assert minors == list(range(minors[0], minors[-1] + 1)), SUPPORTED


def test_readme_says_the_supported_pythons():
    readme = (ROOT / "README.md").read_text()
    assert f"Python {SUPPORTED[0]} or newer (tested on {SUPPORTED[0]} to {SUPPORTED[-1]}" in readme


@pytest.mark.parametrize(
    "path, pattern",
    [
        (".github/workflows/tests.yml", r"python-version: \[(.*)\]"),
        ("Makefile", r"^PYTHONS := (.*)$"),
    ],
)
def test_ci_tests_the_supported_pythons(path, pattern):
    text = (ROOT / path).read_text()
    listed = re.search(pattern, text, re.MULTILINE).group(1)
    assert re.findall(r"3\.\d+", listed) == SUPPORTED
