"""The README's examples are doctests: a reader who pastes them gets what the README shows."""

import doctest
import pathlib

README = pathlib.Path(__file__).parent.parent / "README.md"


def test_readme_examples_run_as_shown():
    flags = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
    result = doctest.testfile(str(README), module_relative=False, optionflags=flags, verbose=False)
    assert result.attempted > 0
    assert result.failed == 0
