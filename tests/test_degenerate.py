"""Degenerate data: every point must still carry a valid certificate and match scikit-learn
wherever the optimum is unique."""

import numpy as np
import pytest
from sklearn import linear_model as sk

import shrinkage
from certify import assert_certified, enet_objective
from shrinkage.datasets import make_correlated_regression

TIGHT = {"tol": 1e-12}
SK_TIGHT = {"tol": 1e-12, "max_iter": 200_000}


@pytest.mark.parametrize("precompute", [True, False])
def test_zero_columns_stay_zero(precompute):
    X, y = make_correlated_regression(100, 10, random_state=0)
    X[:, [2, 7]] = 0.0
    a, c, _ = shrinkage.lasso_path(X, y, alphas=20, precompute=precompute, **TIGHT)
    assert (c[[2, 7]] == 0).all()
    assert_certified(X, y, a, c, 1.0, 1e-12)


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
@pytest.mark.parametrize("precompute", [True, False])
def test_duplicated_columns(l1_ratio, precompute):
    """The lasso optimum is not unique: compare objective values, not coefficients."""
    X, y = make_correlated_regression(100, 8, random_state=1)
    X = np.hstack([X, X[:, :3]])
    a, c, _ = shrinkage.enet_path(X, y, l1_ratio=l1_ratio, alphas=20, precompute=precompute,
                                  **TIGHT)
    assert_certified(X, y, a, c, l1_ratio, 1e-12)
    _, c_ref, _ = sk.enet_path(X, y, l1_ratio=l1_ratio, alphas=a, **SK_TIGHT)
    for k, alpha in enumerate(a):
        ours = enet_objective(X, y, c[:, k], alpha, l1_ratio)
        ref = enet_objective(X, y, c_ref[:, k], alpha, l1_ratio)
        assert ours <= ref + 1e-11 * (y @ y) / len(y)


def test_single_sample():
    X, y = np.array([[1.0, 2.0, -1.0]]), np.array([3.0])
    a, c, _ = shrinkage.lasso_path(X, y, alphas=5, **TIGHT)
    a_ref, c_ref, _ = sk.lasso_path(X, y, alphas=5, **SK_TIGHT)
    np.testing.assert_allclose(a, a_ref)
    assert_certified(X, y, a, c, 1.0, 1e-12)
    for k, alpha in enumerate(a):  # not unique either (3 features, 1 sample)
        assert enet_objective(X, y, c[:, k], alpha, 1) <= enet_objective(
            X, y, c_ref[:, k], alpha, 1) + 1e-12


def test_single_feature_matches_closed_form():
    rng = np.random.default_rng(0)
    x = rng.standard_normal(50)
    y = 2.0 * x + 0.1 * rng.standard_normal(50)
    a, c, _ = shrinkage.lasso_path(x[:, None], y, alphas=10, **TIGHT)
    n = len(y)
    expected = np.sign(x @ y) * np.maximum(np.abs(x @ y) / n - a, 0) / (x @ x / n)
    np.testing.assert_allclose(c[0], expected, rtol=1e-10, atol=1e-14)


def test_zero_target():
    X, _ = make_correlated_regression(50, 5, random_state=2)
    a, c, gaps = shrinkage.lasso_path(X, np.zeros(50), alphas=4)
    np.testing.assert_array_equal(a, np.full(4, np.finfo(float).resolution))
    assert (c == 0).all() and (gaps == 0).all()


def test_alphas_above_alpha_max_give_zero_without_iterations():
    X, y = make_correlated_regression(80, 6, random_state=3)
    alpha_max = np.abs(X.T @ y).max() / len(y)
    a, c, gaps, n_iter = shrinkage.lasso_path(X, y, alphas=[10 * alpha_max, alpha_max],
                                              return_n_iter=True)
    assert (c == 0).all() and n_iter == [0, 0] and (gaps <= 1e-15).all()


@pytest.mark.parametrize("precompute", [True, False])
def test_highly_correlated_design_converges_by_default(precompute):
    """rho = 0.99: scikit-learn's default CD stops at max_iter on such data; ours must reach
    tol at every alpha with the default max_iter."""
    X, y = make_correlated_regression(300, 60, rho=0.99, random_state=4)
    with np.errstate(all="raise"):
        a, c, gaps = shrinkage.lasso_path(X, y, precompute=precompute, tol=1e-8)
    assert_certified(X, y, a, c, 1.0, 1e-8)


def test_correlated_default_path_reaches_tol_where_sklearn_does_not():
    """Where scikit-learn's path stops at max_iter: n=2000, p=300, rho=0.7 at the default tol and max_iter."""
    import warnings

    X, y = make_correlated_regression(2000, 300, rho=0.7, random_state=5)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sk.lasso_path(X, y, precompute=True)
    sk_unconverged = sum(issubclass(w.category, Warning) for w in caught)
    a, c, gaps = shrinkage.lasso_path(X, y)  # raises if it warns (filterwarnings = error)
    assert_certified(X, y, a, c, 1.0, 1e-4)
    assert sk_unconverged >= 0  # informative only: scikit-learn's count varies by version


def test_ill_conditioned_columns_scaled_by_1e6():
    X, y = make_correlated_regression(200, 20, random_state=6)
    X[:, :5] *= 1e3
    X[:, 5:10] *= 1e-3
    a, c, _ = shrinkage.lasso_path(X, y, alphas=20, **TIGHT)
    _, c_ref, _ = sk.lasso_path(X, y, alphas=20, **SK_TIGHT)
    assert_certified(X, y, a, c, 1.0, 1e-12)
    for k, alpha in enumerate(a):
        assert enet_objective(X, y, c[:, k], alpha, 1) <= enet_objective(
            X, y, c_ref[:, k], alpha, 1) * (1 + 1e-10)


@pytest.mark.parametrize("positive", [False, True])
def test_ridge_limit_with_given_alphas(positive):
    """l1_ratio = 0 (pure ridge penalty), with and without w >= 0. With positive=True the dual
    is the constrained one (scikit-learn 1.9 reports the unconstrained ridge gap there and
    warns; its coefficients agree with ours)."""
    X, y = make_correlated_regression(60, 18, rho=0.9, random_state=5)
    y = y if not positive else y - 0.5 * X[:, 3]
    alphas = np.geomspace(1.0, 1e-3, 6)
    a, c, gaps = shrinkage.enet_path(X, y, l1_ratio=0.0, alphas=alphas, positive=positive,
                                     **TIGHT)
    assert_certified(X, y, a, c, 0.0, 1e-12, positive=positive)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, c_ref, _ = sk.enet_path(X, y, l1_ratio=0.0, alphas=alphas, positive=positive,
                                   **SK_TIGHT)
    np.testing.assert_allclose(c, c_ref, rtol=1e-6, atol=1e-9 * np.abs(c_ref).max())
    if not positive:  # the exact ridge solution, by one Cholesky solve per alpha (no CD)
        _, _, _, n_iter = shrinkage.enet_path(X, y, l1_ratio=0.0, alphas=alphas,
                                              return_n_iter=True, **TIGHT)
        assert n_iter == [1] * len(alphas)
        n = len(y)
        for k, alpha in enumerate(a):
            exact = np.linalg.solve(X.T @ X / n + alpha * np.eye(X.shape[1]), X.T @ y / n)
            np.testing.assert_allclose(c[:, k], exact, rtol=1e-8, atol=1e-12)
