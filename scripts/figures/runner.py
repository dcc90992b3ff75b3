"""Build the site's figures, one family per script in this folder, cached by content.

A family is a script ``scripts/figures/<family>.py`` with a function
``figures()`` yielding ``(name, matplotlib_figure)`` pairs; each is written to
``docs/figures/<family>/<name>.svg`` (git-ignored, never committed). A family may
also yield ``(name, data)`` with ``data`` the bytes of a finished file (an
animated GIF) and ``name`` ending in its extension (``"conv-stride2.gif"``).
Scripts whose names start with ``_`` are shared helpers, not families.

A family is rebuilt only when its cache key changes. The key hashes the
family's script, this runner, the shared helpers (``scripts/figures/_*.py``,
``scripts/experiments/*.py``), every ``nnref/`` source file and the matplotlib
version; it is stored with the list of outputs in ``.cache/figures/<family>.json``.
A family whose key is unchanged and whose outputs all exist is skipped. An SVG
whose bytes did not change is not rewritten, so ``mkdocs serve`` (which watches
docs/) does not rebuild in a loop.

Usage::

    python scripts/figures/runner.py            # build what is stale
    python scripts/figures/runner.py --force    # rebuild every family
    python scripts/figures/runner.py --draw activations batchnorm   # draw now, no cache check

hooks/figures.py calls :func:`build` before every MkDocs build. Drawing runs
in a fresh Python process, so a long-running ``mkdocs serve`` draws with the
current ``nnref/`` code, not with the version it imported first.
"""

import argparse
import hashlib
import importlib.util
import io
import json
import os
import re
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIGURES_SRC = ROOT / "scripts" / "figures"
OUT = ROOT / "docs" / "figures"
CACHE = ROOT / ".cache" / "figures"
RUNNER = Path(__file__).resolve()


def families():
    """Names of the figure families: every script here except this runner."""
    return sorted(p.stem for p in FIGURES_SRC.glob("*.py")
                  if p.resolve() != RUNNER and not p.name.startswith("_"))


def declared_inputs(family):
    """Data files a family reads, named in its script by lines ``# figure-input: <path from the repo root>``."""
    text = (FIGURES_SRC / f"{family}.py").read_text()
    return [ROOT / path for path in re.findall(r"^# figure-input: (\S+)$", text, flags=re.M)]


def cache_key(family):
    """Hash of everything a family's figures depend on."""
    h = hashlib.sha256()
    shared = [*sorted(FIGURES_SRC.glob("_*.py")), *sorted((ROOT / "scripts" / "experiments").glob("*.py"))]
    sources = [FIGURES_SRC / f"{family}.py", RUNNER, *shared, *sorted((ROOT / "nnref").rglob("*.py")),
               *declared_inputs(family)]
    for path in sources:
        h.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    h.update(f"matplotlib {version('matplotlib')}".encode())
    return h.hexdigest()


def _is_fresh(family, key):
    stamp = CACHE / f"{family}.json"
    if not stamp.is_file():
        return False
    record = json.loads(stamp.read_text())
    return record.get("key") == key and all((OUT / p).is_file() for p in record.get("outputs", []))


def build(force=False, log=print):
    """Draw every stale family (in a subprocess); return the names of the families drawn."""
    keys = {f: cache_key(f) for f in families()}
    stale = [f for f, k in keys.items() if force or not _is_fresh(f, k)]
    if not stale:
        return []
    start = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
           "PYTHONDONTWRITEBYTECODE": "1"}  # no .pyc writes into nnref/, which mkdocs serve watches
    subprocess.run([sys.executable, str(RUNNER), "--draw", *stale], check=True, cwd=ROOT, env=env)
    log(f"figures: drew {', '.join(stale)} in {time.perf_counter() - start:.1f} s")
    return stale


def _write_if_changed(path, data):
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def _svg_bytes(fig):
    buf = io.BytesIO()
    # No date in the metadata and a fixed hash salt (set in _draw): same input, same bytes.
    fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def _draw(family):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.hashsalt": "nnref", "svg.fonttype": "path"})
    spec = importlib.util.spec_from_file_location(f"figures_{family}", FIGURES_SRC / f"{family}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    outputs = []
    for name, fig in module.figures():
        is_file = isinstance(fig, bytes)  # a finished file (GIF) named with its extension
        rel = f"{family}/{name}" if is_file else f"{family}/{name}.svg"
        if _write_if_changed(OUT / rel, fig if is_file else _svg_bytes(fig)):
            print(f"figures: wrote docs/figures/{rel}")
        if not is_file:
            plt.close(fig)
        outputs.append(rel)
    for old in (OUT / family).glob("*.*"):  # drop figures the script no longer makes
        if f"{family}/{old.name}" not in outputs:
            old.unlink()
    CACHE.mkdir(parents=True, exist_ok=True)
    record = {"key": cache_key(family), "outputs": outputs}
    (CACHE / f"{family}.json").write_text(json.dumps(record, indent=1) + "\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rebuild every family")
    parser.add_argument("--draw", nargs="+", metavar="FAMILY", help="draw these families now")
    args = parser.parse_args(argv)
    if args.draw:
        for family in args.draw:
            _draw(family)
    else:
        drawn = build(force=args.force)
        if not drawn:
            print("figures: up to date")


if __name__ == "__main__":
    main()
