"""Griffe extension: turn the docstrings' cross-references into links on the API pages.

The docstrings are numpydoc, read by griffe's numpy parser, which knows neither
Sphinx roles nor the See Also section. Before rendering, this extension rewrites,
in every docstring of the nnref package:

* ``:func:`conv2d``` (and ``:meth:``, ``:class:``, ``:data:``, ``:obj:``) into an
  autorefs link ``[`conv2d`][nnref.conv.conv2d]``; ``:mod:`nnref.pooling``` into
  a link to the module's API page;
* each ``name : description`` line of a ``See Also`` section into a list item
  ``- [`name`][nnref.module.name]: description``;
* a doctest (``>>>`` lines and their output, up to a blank line) outside an
  ``Examples`` section into a ``pycon`` code block, as the Examples section is
  rendered: the short docstrings of the 1-D / 3-D variants show their one example
  right after their summary, without a section of their own.

A bare name is looked up among the public functions of nnref's modules (the
function's own module first). A bare name that is nowhere in nnref is left as
code and reported as a warning, which fails the strict build: a See Also or
:func: entry naming a function that does not exist is a documentation bug.
"""

import logging
import re

import griffe

log = logging.getLogger("mkdocs.plugins.griffe_nnref")

ROLE = re.compile(r":(func|meth|class|data|obj|mod):`~?([\w.]+)`")
SECTION_RULE = re.compile(r"^-{3,}\s*$")
SEE_ALSO_ENTRY = re.compile(r"^(?P<names>[\w.]+(?:\s*,\s*[\w.]+)*)\s*(?::\s*(?P<desc>.*))?$")


class NnrefCrossReferences(griffe.Extension):
    def on_package(self, *, pkg, **kwargs):
        if pkg.name != "nnref":
            return
        modules = {name: mod for name, mod in pkg.modules.items() if not name.startswith("_")}
        index = {}
        for name, mod in modules.items():
            for member in mod.functions.values():
                if not member.name.startswith("_"):
                    index.setdefault(member.name, []).append(member.path)
        objects = [pkg, *modules.values()]
        objects += [f for mod in modules.values() for f in mod.functions.values()
                    if not f.name.startswith("_")]  # private helpers are not rendered
        for obj in objects:
            if obj.docstring:
                home = obj.path if obj.is_module else obj.parent.path
                obj.docstring.value = _rewrite(obj.docstring.value, index, home, obj.path)


def _resolve(name, index, home, where):
    """The autorefs identifier of ``name``, or None (with a warning for unknown bare names)."""
    if name.startswith("nnref."):
        return name
    if "." in name:  # numpy.pad, torch.nn.functional.conv2d: outside the site
        return None
    paths = index.get(name, [])
    for path in paths:
        if path.rsplit(".", 1)[0] == home:
            return path
    if paths:
        return paths[0]
    log.warning(f"griffe_nnref: {where}: '{name}' is not a public function of nnref")
    return None


def _link(name, index, home, where, role="func"):
    if role == "mod":
        module = name.removeprefix("nnref.")
        return f"[`{name}`]({module}.md)" if "." not in module else f"`{name}`"
    target = _resolve(name, index, home, where)
    return f"[`{name}`][{target}]" if target else f"`{name}`"


def _rewrite(text, index, home, where):
    text = ROLE.sub(lambda m: _link(m.group(2), index, home, where, m.group(1)), text)
    lines = text.split("\n")
    out, i, section = [], 0, None
    while i < len(lines):
        if i + 1 < len(lines) and lines[i].strip() and SECTION_RULE.match(lines[i + 1]):
            section = lines[i].strip().lower()
        if section == "see also" and SECTION_RULE.match(lines[i]):
            out.append(lines[i])
            entries, i = _see_also_entries(lines, i + 1)
            out += [_see_also_item(names, desc, index, home, where) for names, desc in entries]
            out.append("")
            section = None
        elif section != "examples" and lines[i].startswith(">>>"):
            block, i = _doctest_block(lines, i)
            out += ["```pycon", *block, "```"]
        else:
            out.append(lines[i])
            i += 1
    return "\n".join(out)


def _doctest_block(lines, i):
    """The doctest starting at line ``i``: its lines up to the next blank one, and the index after them."""
    block = []
    while i < len(lines) and lines[i].strip():
        block.append(lines[i])
        i += 1
    return block, i


def _see_also_entries(lines, i):
    """Read ``name : description`` entries (with indented continuation lines) up to the next section."""
    entries = []
    while i < len(lines):
        line = lines[i]
        if i + 1 < len(lines) and line.strip() and SECTION_RULE.match(lines[i + 1]):
            break  # next section header
        if line.strip() and (line[0].isspace() or not SEE_ALSO_ENTRY.match(line)) and entries:
            entries[-1][1] = f"{entries[-1][1]} {line.strip()}".strip()
        elif line.strip():
            m = SEE_ALSO_ENTRY.match(line)
            entries.append([m["names"], m["desc"] or ""])
        i += 1
    return entries, i


def _see_also_item(names, desc, index, home, where):
    links = ", ".join(_link(n.strip(), index, home, where) for n in names.split(","))
    return f"- {links}: {desc}" if desc else f"- {links}"
