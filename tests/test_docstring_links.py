"""Every relative link in a docstring points at a docs page and a heading that exist.

The API pages render the docstrings, but MkDocs does not check the anchors of links that come
from them (mkdocstrings inserts finished HTML), so a renamed heading would break a link silently.
"""

import inspect
import pathlib
import re

import pytest

import nnref

DOCS = pathlib.Path(__file__).resolve().parent.parent / "docs"
LINK = re.compile(r"\]\(\.\./([\w/-]+\.md)(?:#([\w-]+))?\)")
MODULES = [nnref.activations, nnref._linear_module, nnref.conv, nnref.pooling, nnref.upsampling,
           nnref.normalization, nnref.testing]


def _anchors(page):
    """The ids Python-Markdown's toc extension gives the page's headings (lowercase, punctuation dropped)."""
    text = re.sub(r"```.*?```", "", page.read_text(), flags=re.S)  # no headings inside code blocks
    ids = set()
    for title in re.findall(r"^#{1,6}\s+(.+?)\s*$", text, flags=re.M):
        title = re.sub(r"`|\$|\*", "", title)
        slug = re.sub(r"[^\w\s-]", "", title).strip().lower()
        ids.add(re.sub(r"[-\s]+", "-", slug))
    ids |= set(re.findall(r'\{#([\w-]+)\}', text))  # explicit {#id} anchors
    return ids


def _docstring_links():
    for module in MODULES:
        for name, obj in [(module.__name__, module)] + [(f"{module.__name__}.{n}", getattr(module, n))
                                                         for n in module.__all__]:
            for page, anchor in LINK.findall(inspect.getdoc(obj) or ""):
                yield name, page, anchor


@pytest.mark.parametrize("where, page, anchor", sorted(set(_docstring_links())))
def test_docstring_link_target_exists(where, page, anchor):
    target = DOCS / page
    assert target.is_file(), f"{where} links ../{page}, which is not a page under docs/"
    if anchor:
        assert anchor in _anchors(target), f"{where} links ../{page}#{anchor}, a heading that page does not have"


def test_the_contract_is_linked_from_every_module():
    """The shared contract (letters, dtypes, errors, backward convention) lives on the Conventions page."""
    for module in MODULES:
        assert "../conventions.md#" in inspect.getdoc(module), module.__name__


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_every_public_function_links_its_concept_page(module):
    """Each docstring names the concept page (and section) that teaches the op."""
    missing = [n for n in module.__all__ if "](../concepts/" not in (inspect.getdoc(getattr(module, n)) or "")]
    assert not missing, f"{module.__name__}: no concept-page link in {missing}"
