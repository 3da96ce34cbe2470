"""ridge_path / ridge_regression against scikit-learn's Ridge(solver="cholesky") and the exact
normal equations, in primal and dual form."""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.linear_model import Ridge
from sklearn.linear_model import ridge_regression as sk_ridge_regression

import shrinkage
from shrinkage.datasets import make_correlated_regression


def rel_diff(a, b):
    return np.abs(np.asarray(a, float) - b).max() / np.abs(b).max()


@pytest.mark.parametrize("shape", [(300, 40), (40, 300)])
@pytest.mark.parametrize("solver", ["auto", "primal", "dual"])
def test_matches_sklearn_ridge(shape, solver):
    X, y = make_correlated_regression(*shape, rho=0.5, random_state=0)
    alphas = [10.0, 1.0, 0.1]
    coefs = shrinkage.ridge_path(X, y, alphas, solver=solver)
    assert coefs.shape == (shape[1], 3)
    for k, alpha in enumerate(alphas):
        ref = Ridge(alpha=alpha, fit_intercept=False, solver="cholesky").fit(X, y).coef_
        # Well-conditioned systems (cond < 1e4 here): both solutions are exact to ~1e-12.
        assert rel_diff(coefs[:, k], ref) < 1e-10
        # The normal equations hold for the primal and the dual form alike.
        residual = X.T @ (X @ coefs[:, k] - y) + alpha * coefs[:, k]
        assert np.linalg.norm(residual) <= 1e-9 * np.linalg.norm(X.T @ y)


def test_multi_target_and_per_target_alphas(rng):
    X, _ = make_correlated_regression(200, 30, random_state=1)
    Y = X @ rng.standard_normal((30, 3)) + rng.standard_normal((200, 3))
    coefs = shrinkage.ridge_path(X, Y, [1.0, 5.0])
    assert coefs.shape == (3, 30, 2)
    alpha = np.array([0.5, 2.0, 0.5])
    ours = shrinkage.ridge_regression(X, Y, alpha)
    ref = sk_ridge_regression(X, Y, alpha, solver="cholesky")
    assert ours.shape == ref.shape == (3, 30)
    assert rel_diff(ours, ref) < 1e-10


def test_sample_weight_and_sparse(rng):
    X, y = make_correlated_regression(150, 20, random_state=2)
    sw = rng.uniform(0.5, 2.0, 150)
    ours = shrinkage.ridge_regression(X, y, 1.0, sample_weight=sw)
    ref = sk_ridge_regression(X, y, 1.0, sample_weight=sw, solver="cholesky")
    assert rel_diff(ours, ref) < 1e-10
    Xs = sp.random(150, 20, density=0.2, format="csr", random_state=3)
    ours = shrinkage.ridge_path(Xs, y, [1.0])[:, 0]
    ref = Ridge(alpha=1.0, fit_intercept=False, solver="cholesky").fit(Xs.toarray(), y).coef_
    assert rel_diff(ours, ref) < 1e-10


def test_float32_stays_float32():
    X, y = make_correlated_regression(200, 20, random_state=4, dtype=np.float32)
    coefs = shrinkage.ridge_path(X, y, [1.0])
    assert coefs.dtype == np.float32
    exact = np.linalg.solve(X.astype(float).T @ X + np.eye(20), X.astype(float).T @ y)
    assert rel_diff(coefs[:, 0], exact) < 1e-6  # float64 statistics, rounded to float32


def test_alpha_zero_on_rank_deficient_X_names_the_column():
    X, y = make_correlated_regression(50, 6, random_state=5)
    X[:, 4] = X[:, 1]
    with pytest.raises(np.linalg.LinAlgError, match="column 4.*positive alpha"):
        shrinkage.ridge_path(X, y, [0.0], solver="primal")
    assert np.isfinite(shrinkage.ridge_path(X, y, [1e-3])).all()


def test_bad_input():
    X, y = make_correlated_regression(30, 4, random_state=6)
    with pytest.raises(ValueError, match="non-negative"):
        shrinkage.ridge_path(X, y, [-1.0])
    with pytest.raises(ValueError, match="NaN"):
        shrinkage.ridge_path(np.where(X > 1, np.nan, X), y, [1.0])
    with pytest.raises(ValueError, match="inconsistent"):
        shrinkage.ridge_path(X, y[:-1], [1.0])
    with pytest.raises(ValueError, match="targets"):
        shrinkage.ridge_regression(X, np.c_[y, y], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="solver must be one of"):
        shrinkage.ridge_regression(X, y, 1.0, solver="qr")


def test_from_statistics_instead_of_X(rng):
    X, _ = make_correlated_regression(200, 25, random_state=7)
    Y = X @ rng.standard_normal((25, 2)) + rng.standard_normal((200, 2))
    alphas = [3.0, 0.3]
    from_X = shrinkage.ridge_path(X, Y, alphas)
    from_stats = shrinkage.ridge_path(None, None, alphas, precompute=X.T @ X, Xy=X.T @ Y)
    assert from_stats.shape == from_X.shape == (2, 25, 2)
    assert rel_diff(from_stats, from_X) < 1e-12
    with pytest.raises(ValueError, match="Xy"):
        shrinkage.ridge_path(None, None, alphas, precompute=X.T @ X)
    with pytest.raises(ValueError, match="required"):
        shrinkage.ridge_path(None, None, alphas)
