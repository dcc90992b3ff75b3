"""MkDocs hook: draw the figures before the build (scripts/figures/runner.py does the work).

Figures land in docs/figures/ (git-ignored) before MkDocs collects the docs
files, so image links on the pages are validated like any other link. Only
families whose inputs changed are redrawn; see scripts/figures/runner.py.
"""

import logging
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts" / "figures"))
import runner  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402

log = logging.getLogger("mkdocs.hooks.figures")


def on_pre_build(config):
    try:
        runner.build(log=log.info)
    except subprocess.CalledProcessError as err:
        raise PluginError(f"figures: drawing failed (traceback above): {' '.join(err.cmd[1:])}") from None
