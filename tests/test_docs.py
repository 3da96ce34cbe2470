"""The Examples sections of the public docstrings run and print what they claim."""

import doctest
import importlib
from pathlib import Path

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


def test_readme_quick_start_runs_as_written(tmp_path, monkeypatch):
    """The README's quick start, exactly as printed there, runs and writes its figure."""
    readme = Path(__file__).resolve().parents[1] / "README.md"
    if not readme.exists():
        pytest.skip("the README is in the source tree only (this run is of an installed wheel)")
    pytest.importorskip("sklearn")
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    section = readme.read_text().split("## Quick start", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md (quick start)", "exec"), {})
    assert (tmp_path / "lasso_cv.png").stat().st_size > 10_000
