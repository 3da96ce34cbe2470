"""The Examples sections of the public docstrings run and print what they claim."""

import doctest
import importlib

import pytest

MODULES = ["_path", "_fitted_path", "_ridge", "linalg", "statistics._gramstats", "estimators._linear",
           "estimators._cv", "estimators._ridge", "plot", "streams", "dask"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    if name.startswith("estimators."):
        pytest.importorskip("sklearn")
    if name == "plot":
        pytest.importorskip("matplotlib")
    if name == "dask":
        pytest.importorskip("dask.dataframe")
        pytest.importorskip("sklearn")
    module = importlib.import_module(f"shrinkage.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
