"""Docstring examples are tested: every module's >>> examples run."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import sahelwatch

MODULES = sorted(m.name for m in pkgutil.walk_packages(sahelwatch.__path__, "sahelwatch.")
                 if not m.name.endswith(("__main__", "_build_data")))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    mod = importlib.import_module(name)
    res = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert res.failed == 0, f"{res.failed} docstring example(s) failed in {name}"
