"""MkDocs hook: draw the figures before the build (scripts/figures/runner.py does the work).

Figures land in docs/figures/ (git-ignored) before MkDocs collects the docs
files, so image links on the pages are validated like any other link. Only
families whose inputs changed are redrawn; see scripts/figures/runner.py.
"""

import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts" / "figures"))
import runner  # noqa: E402

log = logging.getLogger("mkdocs.hooks.figures")


def on_pre_build(config):
    runner.build(log=log.info)
