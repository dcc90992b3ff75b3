"""Test configuration shared by the doctests, tests/ and the docs pages."""

from _pytest.doctest import DoctestItem


def pytest_collection_modifyitems(items):
    """Run every docstring example in an empty namespace, as a reader who pastes it would.

    pytest's doctests see their module's globals by default, which would hide a
    missing ``import numpy as np`` in an example.
    """
    for item in items:
        if isinstance(item, DoctestItem):
            item.dtest.globs.clear()
