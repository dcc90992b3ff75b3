"""MkDocs hook: the footer shows the version of nnref that the site documents.

``copyright`` in mkdocs.yml may hold ``{version}``; this hook replaces it with the version of
the installed nnref (its package metadata, which pyproject.toml's ``version`` sets: ``make site``
installs nnref from this tree, and reinstalls it when pyproject.toml changes). Material prints
``config.copyright`` in its footer (``partials/copyright.html``), on every page.
"""

from importlib.metadata import version


def on_config(config, **kwargs):
    config["copyright"] = config["copyright"].replace("{version}", version("nnref"))
    return config
