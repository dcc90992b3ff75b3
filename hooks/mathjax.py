"""MkDocs hook: serve MathJax from the installed PyPI package, never from a CDN.

MathJax 3.2.2 (es5 build) ships in ``django-static-mathjax==3.2.2.1`` (pinned in
constraints.txt). This hook adds the files the site needs to the build's file
list, so MkDocs copies them to ``site/javascripts/mathjax/`` like any static
file (and ``mkdocs serve`` serves them). Nothing of MathJax is in the repository.

What is copied: ``tex-chtml.js`` (TeX input, CommonHTML output, menu), its
woff-v2 fonts, and the TeX extensions it may autoload (``\\cancel``,
``\\boldsymbol``, ...). The speech rule engine (``sre/``, 4 MB) is left out: it
only serves the opt-in accessibility explorer of the right-click menu, which
mathjax-config.js disables.
"""

from importlib import resources
from pathlib import Path

from mkdocs.structure.files import File

DEST = "javascripts/mathjax"
NEEDED = [
    "tex-chtml.js",
    "input/tex/extensions",
    "output/chtml/fonts/woff-v2",
    "ui",
    "a11y",
]


def _es5_dir():
    try:
        root = resources.files("mathjax") / "static" / "mathjax" / "es5"
    except ModuleNotFoundError:
        root = None
    if root is None or not Path(str(root), "tex-chtml.js").is_file():
        raise SystemExit("hooks/mathjax.py: MathJax not found; install the docs extra: "
                         "pip install -c constraints.txt -e '.[docs]' (django-static-mathjax)")
    return Path(str(root))


def on_files(files, config):
    es5 = _es5_dir()
    for entry in NEEDED:
        paths = [es5 / entry] if (es5 / entry).is_file() else sorted((es5 / entry).rglob("*"))
        for path in paths:
            if path.is_file():
                rel = path.relative_to(es5).as_posix()
                files.append(File(rel, src_dir=str(es5), dest_dir=config["site_dir"],
                                  use_directory_urls=False, dest_uri=f"{DEST}/{rel}"))
    return files
