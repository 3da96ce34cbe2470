"""Every warning shrinkage raises points at the user's line, not inside the package."""

import warnings

import numpy as np
import pytest

import shrinkage
from shrinkage.datasets import make_correlated_regression


def caught(call):
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        call()
    assert record, "no warning"
    return record


@pytest.fixture
def data():
    return make_correlated_regression(60, 80, rho=0.9, random_state=1)


def test_convergence_warning_points_at_the_call(data):
    X, y = data
    for w in caught(lambda: shrinkage.lasso_path(X, y, alphas=5, eps=1e-4, tol=1e-14,
                                                 max_iter=2)):
        assert w.filename == __file__


def test_independent_targets_warning_points_at_the_call(data):
    X, y = data
    Y = np.column_stack([y, -y])
    for w in caught(lambda: shrinkage.multi_target_path(X, Y, alphas=3, tol=1e-14, max_iter=2)):
        assert w.filename == __file__


def test_deprecation_warning_points_at_the_call(data):
    X, y = data
    for w in caught(lambda: shrinkage.lasso_path(X, y, n_alphas=3)):
        assert w.filename == __file__


def test_estimator_warnings_point_at_fit(data):
    pytest.importorskip("sklearn")
    X, y = data
    for w in caught(lambda: shrinkage.Lasso(alpha=0.0, max_iter=2).fit(X, y)):
        assert w.filename == __file__
    X_off = X + 5.0  # a Gram of uncentred X with an intercept: recomputed, with a warning
    gram = X_off.T @ X_off
    for w in caught(lambda: shrinkage.Lasso(alpha=0.1, precompute=gram).fit(X_off, y)):
        assert w.filename == __file__


def test_import_does_not_load_scikit_learn_and_its_filters_still_apply():
    import subprocess
    import sys

    code = """
import sys, warnings
import shrinkage
assert "sklearn" not in sys.modules, "import shrinkage imported scikit-learn"
from sklearn.exceptions import ConvergenceWarning
from shrinkage.datasets import make_correlated_regression
X, y = make_correlated_regression(60, 80, rho=0.9, random_state=1)
with warnings.catch_warnings():
    warnings.simplefilter("error")
    warnings.simplefilter("ignore", ConvergenceWarning)  # written for scikit-learn
    shrinkage.lasso_path(X, y, alphas=3, tol=1e-14, max_iter=2)
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"
