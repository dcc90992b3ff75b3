"""Build nnref's wheel and sdist and check them as PyPI and a new user would see them.

Run by ``make dist-check`` (and so by ``.ci/run``), from the repository's root, with the
pinned ``build``, ``twine`` and ``setuptools`` installed in the running Python::

    python scripts/check_dist.py [--python PYTHON] [--outdir DIR]

1. ``python -m build --no-isolation``: the sdist, then the wheel built from the sdist, with the
   pinned setuptools of this environment (an isolated build would fetch the newest one).
2. ``twine check --strict`` on both (the README renders as the PyPI description).
3. The wheel holds ``nnref/`` and ``nnref-<version>.dist-info/`` and nothing else (no
   ``tests/``, ``docs/``, ``scripts/``), every module of ``nnref/``, and metadata that says
   what pyproject.toml says: name, version, ``Requires-Python`` and, outside the extras,
   ``numpy>=2`` alone.
4. The sdist holds pyproject.toml, README.md, CHANGELOG.md and every module of ``nnref/``, and
   nothing of ``tests/``, ``docs/`` or ``scripts/`` (MANIFEST.in).
5. A clean virtual environment of ``--python`` installs the wheel (with ``-c constraints.txt``),
   which brings NumPy and nothing else; from an empty folder, ``import nnref`` loads the installed
   package and ``nnref.__version__`` is pyproject's version.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from email.parser import Parser
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10: build depends on tomli there
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def run(*command, cwd=None):
    print("+", " ".join(map(str, command)), flush=True)
    subprocess.run(list(map(str, command)), check=True, cwd=cwd)


def fail(message):
    sys.exit(f"check_dist: {message}")


def check_wheel(wheel: Path, project: dict, modules: set[str]) -> None:
    name, version = project["name"], project["version"]
    dist_info = f"{name}-{version}.dist-info/"
    with zipfile.ZipFile(wheel) as archive:
        files = archive.namelist()
        metadata = Parser().parsestr(archive.read(dist_info + "METADATA").decode())
    stray = [f for f in files if not f.startswith((f"{name}/", dist_info))]
    if stray:
        fail(f"{wheel.name} holds files outside {name}/ and {dist_info}: {stray}")
    missing = {f"{name}/{m}" for m in modules} - set(files)
    if missing:
        fail(f"{wheel.name} lacks {sorted(missing)}")
    if (metadata["Name"], metadata["Version"]) != (name, version):
        fail(f"{wheel.name} says {metadata['Name']} {metadata['Version']}, pyproject {name} {version}")
    if metadata["Requires-Python"] != project["requires-python"]:
        fail(f"Requires-Python {metadata['Requires-Python']!r}, pyproject {project['requires-python']!r}")
    runtime = [r for r in metadata.get_all("Requires-Dist", []) if "extra ==" not in r]
    if runtime != project["dependencies"]:
        fail(f"{wheel.name} requires {runtime}, pyproject {project['dependencies']}")
    print(f"check_dist: {wheel.name}: {len(files)} files, all under {name}/ and {dist_info}; "
          f"requires {', '.join(runtime)}; Python {metadata['Requires-Python']}")


def check_sdist(sdist: Path, project: dict, modules: set[str]) -> None:
    top = f"{project['name']}-{project['version']}/"
    with tarfile.open(sdist) as archive:
        files = {m.name.removeprefix(top) for m in archive.getmembers() if m.isfile()}
    needed = {"pyproject.toml", "README.md", "CHANGELOG.md", "PKG-INFO", *(f"nnref/{m}" for m in modules)}
    if needed - files:
        fail(f"{sdist.name} lacks {sorted(needed - files)}")
    stray = sorted(f for f in files if f.startswith(("tests/", "docs/", "scripts/")))
    if stray:
        fail(f"{sdist.name} holds {stray} (MANIFEST.in leaves tests/, docs/ and scripts/ out)")
    print(f"check_dist: {sdist.name}: {len(files)} files: {', '.join(sorted(files))}")


def check_install(python: str, wheel: Path, version: str, tmp: Path) -> None:
    venv = tmp / "clean-venv"
    run(python, "-m", "venv", venv)
    py = venv / "bin" / "python"
    run(py, "-m", "pip", "install", "-q", "-c", ROOT / "constraints.txt", wheel)
    listed = subprocess.run([py, "-m", "pip", "list", "--format=freeze"],
                            check=True, capture_output=True, text=True).stdout.split()
    names = {re.split("==", line)[0].lower() for line in listed} - {"pip", "setuptools"}
    if names != {"nnref", "numpy"}:
        fail(f"installing the wheel brought {sorted(names)}, not nnref and numpy alone")
    empty = tmp / "empty"
    empty.mkdir()
    code = ("import numpy as np, nnref; "
            "print(nnref.__version__, nnref.__file__, nnref.relu(np.array([-1.0, 2.0])))")
    out = subprocess.run([py, "-I", "-c", code], check=True, capture_output=True, text=True, cwd=empty)
    got_version, where, _ = out.stdout.split(" ", 2)
    if got_version != version:
        fail(f"nnref.__version__ is {got_version!r} in the clean venv, pyproject says {version!r}")
    if not Path(where).is_relative_to(venv):
        fail(f"import nnref loaded {where}, not the installed wheel")
    print(f"check_dist: the wheel installs with {', '.join(sorted(listed))} "
          f"in a clean venv ({python}); import nnref: {out.stdout.strip()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--python", default=sys.executable,
                        help="the Python of the clean venv the wheel is installed in")
    parser.add_argument("--outdir", type=Path, help="keep the wheel and the sdist here")
    args = parser.parse_args()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    modules = {p.name for p in (ROOT / "nnref").glob("*.py")}
    with tempfile.TemporaryDirectory(prefix="check-dist-") as tmp:
        tmp = Path(tmp)
        outdir = args.outdir or tmp / "dist"
        run(sys.executable, "-m", "build", "--no-isolation", "--outdir", outdir, ROOT)
        version = project["version"]
        wheel = outdir / f"{project['name']}-{version}-py3-none-any.whl"
        sdist = outdir / f"{project['name']}-{version}.tar.gz"
        for path in (wheel, sdist):
            if not path.is_file():
                fail(f"python -m build made no {path.name}")
        run(sys.executable, "-m", "twine", "check", "--strict", wheel, sdist)
        check_wheel(wheel, project, modules)
        check_sdist(sdist, project, modules)
        check_install(args.python, wheel, version, tmp)
    print("check_dist: the wheel and the sdist pass")


if __name__ == "__main__":
    main()
