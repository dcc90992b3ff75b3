"""Test configuration shared by the doctests, tests/ and the docs pages."""

from doctest import ELLIPSIS

from _pytest.doctest import DoctestItem
from sybil import Sybil
from sybil.parsers.abstract.codeblock import PythonDocTestOrCodeBlockParser
from sybil.parsers.markdown import CodeBlockParser


def pytest_collection_modifyitems(items):
    """Run every docstring example in an empty namespace, as a reader who pastes it would.

    pytest's doctests see their module's globals by default, which would hide a
    missing ``import numpy as np`` in an example.
    """
    for item in items:
        if isinstance(item, DoctestItem):
            item.dtest.globs.clear()


class PyconBlockParser(PythonDocTestOrCodeBlockParser):
    """The ```pycon blocks of a Markdown page, run as doctests (``>>>`` prompts, exact output)."""

    @staticmethod
    def codeblock_parser_class(language, evaluator):
        return CodeBlockParser("pycon", evaluator)


# Every ```pycon block of docs/**/*.md runs, top to bottom, in one namespace per page
# (a page starts empty: its first example imports numpy and nnref), nested blocks included
# (the answers of the exercises sit in collapsible blocks, indented). The output must be
# exactly what Python prints: no NUMBER, no NORMALIZE_WHITESPACE; ELLIPSIS only for the
# "..." of a traceback's message. tests/test_pages.py parses pages with this same object.
PAGES = Sybil(
    parsers=[PyconBlockParser(doctest_optionflags=ELLIPSIS)],
    path="docs",
    patterns=["*.md"],  # Path.match: any depth,
)
pytest_collect_file = PAGES.pytest()
