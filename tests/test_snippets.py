"""The code the concept pages show is the code that runs: every snippet they include names a
section that the source file marks (pymdownx.snippets), so a renamed or deleted section fails here."""

import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
INCLUDES = sorted({(page.relative_to(ROOT).as_posix(), path, section)
                   for page in (ROOT / "docs").rglob("*.md")
                   for path, section in re.findall(r'^--8<-- "([^":]+):([\w-]+)"$', page.read_text(), flags=re.M)})


def test_the_engine_pages_include_code():
    pages = {page for page, _, _ in INCLUDES}
    assert {"docs/concepts/convolution.md", "docs/concepts/pooling.md", "docs/concepts/batch-normalization.md",
            "docs/concepts/upsampling.md", "docs/concepts/transposed-convolution.md"} <= pages


@pytest.mark.parametrize("page, path, section", INCLUDES)
def test_included_section_exists(page, path, section):
    text = (ROOT / path).read_text()
    start, end = f"# --8<-- [start:{section}]", f"# --8<-- [end:{section}]"
    assert start in text and end in text, f"{page} includes {path}:{section}, which {path} does not mark"
    body = text[text.index(start) + len(start):text.index(end)]
    assert "def " in body, f"{path}:{section} holds no function"
