"""scikit-learn's conventions that code written for it relies on: every Ridge solver name, a
positive Ridge, ridge_regression's intercept, least squares at alpha=0, the user-Gram
convention with weights, scalar types, routing and the wording of warnings. References are
independent: LAPACK through scipy/numpy, scipy's NNLS, scikit-learn at tight tolerances."""

import numpy as np
import pytest
import scipy.sparse as sp
import sklearn
from scipy.optimize import nnls
from sklearn import linear_model as sk
from sklearn.datasets import make_regression
from sklearn.model_selection import GroupKFold

import shrinkage
from shrinkage.datasets import make_correlated_regression

SOLVERS = ("auto", "svd", "cholesky", "lsqr", "sparse_cg", "sag", "saga", "lbfgs")


def rel_diff(a, b):
    return np.abs(np.asarray(a, float) - b).max() / np.abs(b).max()


def weighted_centred(X, y, w):
    W = w.sum()
    m, ybar = w @ X / W, w @ y / W
    root = np.sqrt(w)[:, None]
    return (X - m) * root, (y - ybar) * root[:, 0], m, ybar


def ridge_by_lstsq(X, y, w, alpha):
    """min ||y - Xw - b||^2_w + alpha ||w||^2 as an augmented least-squares problem (LAPACK)."""
    Z, z, m, ybar = weighted_centred(X, y, w)
    p = X.shape[1]
    A = np.vstack([Z, np.sqrt(alpha) * np.eye(p)])
    coef = np.linalg.lstsq(A, np.r_[z, np.zeros(p)], rcond=None)[0]
    return coef, ybar - m @ coef


@pytest.mark.parametrize("shape", [(60, 8), (12, 30)])
@pytest.mark.parametrize("kind", ["dense", "sparse"])
def test_every_solver_name_gives_the_exact_minimiser(rng, shape, kind):
    X, y = make_correlated_regression(*shape, rho=0.6, random_state=1)
    w = rng.uniform(0.2, 2.0, shape[0])
    coef_ref, intercept_ref = ridge_by_lstsq(X, y, w, 0.7)
    Xin = sp.csr_matrix(X) if kind == "sparse" else X
    for solver in SOLVERS:
        model = shrinkage.Ridge(alpha=0.7, solver=solver, tol=1e-1, max_iter=1).fit(
            Xin, y, sample_weight=w)
        # max_iter and tol do not truncate the solve: the normal equations hold to rounding
        # (cond(X^T W X + alpha I) < 1e3 here).
        assert rel_diff(model.coef_, coef_ref) < 1e-10, solver
        assert model.intercept_ == pytest.approx(intercept_ref, rel=1e-10)
        assert model.solver_ == ("cholesky" if solver == "auto" else solver)
        coef, intercept = shrinkage.ridge_regression(Xin, y, 0.7, sample_weight=w, solver=solver,
                                                     return_intercept=True)
        assert rel_diff(coef, coef_ref) < 1e-10
        assert intercept == pytest.approx(intercept_ref, rel=1e-10)


@pytest.mark.parametrize("shape", [(200, 30), (40, 90)])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_positive_ridge_is_the_nonnegative_least_squares_solution(rng, shape, fit_intercept):
    X, _ = make_correlated_regression(*shape, rho=0.5, random_state=2)
    y = X @ rng.uniform(-0.5, 1.0, shape[1]) + 3.0 + rng.standard_normal(shape[0])
    w = rng.uniform(0.5, 1.5, shape[0])
    alpha = 0.3
    model = shrinkage.Ridge(alpha=alpha, positive=True, fit_intercept=fit_intercept).fit(
        X, y, sample_weight=w)
    if fit_intercept:
        Z, z, m, ybar = weighted_centred(X, y, w)
    else:
        Z, z = X * np.sqrt(w)[:, None], y * np.sqrt(w)
        m, ybar = np.zeros(shape[1]), 0.0
    p = shape[1]
    reference, _ = nnls(np.vstack([Z, np.sqrt(alpha) * np.eye(p)]), np.r_[z, np.zeros(p)],
                        maxiter=50 * p)
    # Both are exact on the same active set; the gap tolerance (1e-12) bounds the difference.
    assert rel_diff(model.coef_, reference) < 1e-7
    assert (model.coef_ >= 0).all()
    assert model.intercept_ == pytest.approx(ybar - m @ model.coef_, rel=1e-12, abs=1e-12)
    # KKT of the bounded problem: zero gradient on the support, non-negative off it.
    gradient = Z.T @ (Z @ model.coef_ - z) + alpha * model.coef_
    scale = np.abs(Z.T @ z).max()
    support = model.coef_ > 0
    assert 0 < support.sum() < p  # the bounds are active and inactive
    assert np.abs(gradient[support]).max() <= 1e-7 * scale
    assert (gradient[~support] >= -1e-7 * scale).all()
    assert model.solver_ == "lbfgs"  # what scikit-learn reports for positive=True


def test_positive_ridge_equals_ridge_when_the_truth_is_positive(rng):
    X = rng.standard_normal((300, 40))
    y = X @ rng.uniform(0.5, 1.0, 40) + 0.01 * rng.standard_normal(300)
    plain = shrinkage.Ridge(alpha=0.1).fit(X, y)
    positive = shrinkage.Ridge(alpha=0.1, positive=True).fit(X, y)
    assert (plain.coef_ > 0).all()
    assert rel_diff(positive.coef_, plain.coef_) < 1e-10


@pytest.mark.parametrize("shape", [(40, 10), (10, 40)])
def test_alpha_zero_on_rank_deficient_X_is_the_minimum_norm_least_squares(shape):
    X, y = make_correlated_regression(*shape, random_state=3)
    X = np.column_stack([X, X[:, 0]])  # a repeated column: rank-deficient in both shapes
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    reference = np.linalg.pinv(Xc) @ yc
    for fit in (lambda: shrinkage.Ridge(alpha=0.0).fit(X, y).coef_,
                lambda: shrinkage.ridge_regression(Xc, yc, 0.0)):
        with pytest.warns(UserWarning, match="least-squares solution"):
            coef = fit()
        # pinv of the Gram (or kernel) squares the condition number: cond(X_c) < 1e2 here.
        assert rel_diff(coef, reference) < 1e-8
    with pytest.raises(np.linalg.LinAlgError):  # the path function keeps its clear error
        shrinkage.ridge_path(Xc, yc, [0.0])


def test_non_contiguous_X_is_accepted_and_left_alone():
    X, y = make_correlated_regression(30, 80, random_state=4)
    for view in (X[:, ::2], X.T.copy().T[:, 1:50], np.asfortranarray(X)[::1, 3:]):
        before = view.copy()
        ours = shrinkage.Ridge(alpha=1.0).fit(view, y)
        ref = sk.Ridge(alpha=1.0, solver="svd").fit(np.ascontiguousarray(view), y)
        assert rel_diff(ours.coef_, ref.coef_) < 1e-10
        np.testing.assert_array_equal(view, before)
        loo = shrinkage.RidgeCV(alphas=[0.1, 1.0]).fit(view, y)
        assert loo.alpha_ == sk.RidgeCV(alphas=[0.1, 1.0]).fit(np.ascontiguousarray(view),
                                                                  y).alpha_


def brute_force_loo(X, y, alpha):
    """Leave-one-out predictions of the intercept-fitted ridge, each by an augmented lstsq."""
    n = X.shape[0]
    out = np.empty(n)
    for i in range(n):
        train = np.arange(n) != i
        coef, intercept = ridge_by_lstsq(X[train], y[train], np.ones(n - 1), alpha)
        out[i] = X[i] @ coef + intercept
    return out


@pytest.mark.parametrize("alpha", [1e-5, 1e-2, 10.0])
def test_wide_leave_one_out_keeps_its_digits_at_small_alpha(alpha):
    """On wide data at small alpha h_ii nears 1; 1 - h_ii must come from alpha / (lam + alpha)
    with the intercept's direction taken out exactly, not from 1 - sum."""
    X, y = make_regression(n_samples=10, n_features=50, random_state=0)
    model = shrinkage.RidgeCV(alphas=[alpha], scoring="neg_mean_squared_error",
                              store_cv_results=True).fit(X, y)
    reference = brute_force_loo(X, y, alpha)
    assert rel_diff(model.cv_results_[:, 0], reference) < 1e-10  # scikit-learn: 6e-10


def test_float32_sparse_leave_one_out_is_computed_in_double(rng):
    X = sp.random(100, 50, density=0.3, random_state=5, format="csr") * 10
    X.data += 5.0  # offset entries: centring in float32 would lose digits
    y = np.asarray(X @ rng.standard_normal(50)).ravel() + rng.standard_normal(100)
    alphas = [1e-3, 1.0]
    ours32 = shrinkage.RidgeCV(alphas=alphas, store_cv_results=True).fit(X.astype(np.float32), y)
    ours64 = shrinkage.RidgeCV(alphas=alphas, store_cv_results=True).fit(
        X.astype(np.float32).astype(np.float64), y)
    # The same float32 data in double: only the output rounding (float32) differs.
    assert rel_diff(ours32.cv_results_, ours64.cv_results_) < 1e-5


def test_user_gram_with_weights_reads_scikit_learns_convention(rng):
    X, y = make_correlated_regression(120, 8, random_state=6)
    w = rng.lognormal(size=120)
    w_norm = w * (len(w) / w.sum())
    Xc = X - np.average(X, axis=0, weights=w_norm)
    Xr = Xc * np.sqrt(w_norm)[:, None]
    gram = Xr.T @ Xr
    with_gram = shrinkage.ElasticNet(alpha=0.01, precompute=gram, tol=1e-10).fit(
        Xc, y, sample_weight=w)
    without = shrinkage.ElasticNet(alpha=0.01, precompute=False, tol=1e-10).fit(
        X, y, sample_weight=w)
    reference = sk.ElasticNet(alpha=0.01, precompute=gram, tol=1e-12).fit(
        Xc, y, sample_weight=w)
    assert rel_diff(with_gram.coef_, without.coef_) < 1e-8
    assert rel_diff(with_gram.coef_, reference.coef_) < 1e-8
    garbage = rng.standard_normal(X.shape)
    centred = np.asfortranarray(X - X.mean(axis=0))
    with pytest.raises(ValueError, match=r"Gram matrix.*did not pass validation"):
        shrinkage.ElasticNet(alpha=0.01, precompute=garbage.T @ garbage).fit(centred, y)


def test_fitted_scalars_are_numpy_scalars_of_X_dtype():
    X, y = make_correlated_regression(60, 5, random_state=7)
    for dtype in (np.float64, np.float32):
        Xd = X.astype(dtype)
        for model in (shrinkage.Lasso(alpha=0.01), shrinkage.ElasticNet(alpha=0.01),
                      shrinkage.Ridge(), shrinkage.RidgeCV(),
                      shrinkage.LassoCV(alphas=5, cv=3)):
            model.fit(Xd, y)
            assert isinstance(model.intercept_, np.generic), type(model).__name__
            assert model.intercept_.dtype == dtype, type(model).__name__
    cv = shrinkage.LassoCV(alphas=5, cv=3).fit(X, y)
    assert isinstance(cv.alpha_, np.float64)
    assert isinstance(cv.dual_gap_, np.floating)
    ridge_cv = shrinkage.RidgeCV(cv=3).fit(X, y)
    assert isinstance(ridge_cv.alpha_, np.float64)
    assert isinstance(ridge_cv.best_score_, np.float64)


def test_elastic_net_cv_alphas_shape_follows_scikit_learn():
    X, y = make_correlated_regression(60, 5, random_state=8)
    for alphas in (5, [0.1, 0.01, 0.001]):
        for l1_ratio in (0.5, [0.2, 0.8]):
            ours = shrinkage.ElasticNetCV(alphas=alphas, l1_ratio=l1_ratio, cv=3).fit(X, y)
            theirs = sk.ElasticNetCV(alphas=alphas, l1_ratio=l1_ratio, cv=3).fit(X, y)
            assert ours.alphas_.shape == theirs.alphas_.shape, (alphas, l1_ratio)


def test_cv_groups_need_routing_and_are_routed_with_it():
    X, y = make_correlated_regression(60, 5, random_state=9)
    groups = np.repeat(np.arange(6), 10)
    for Est in (shrinkage.LassoCV, shrinkage.ElasticNetCV, shrinkage.RidgeCV):
        with pytest.raises(ValueError, match="only supported if enable_metadata_routing=True"):
            Est(cv=GroupKFold(3)).fit(X, y, groups=groups)
    with sklearn.config_context(enable_metadata_routing=True):
        ours = shrinkage.LassoCV(alphas=5, cv=GroupKFold(3)).fit(X, y, groups=groups)
        theirs = sk.LassoCV(alphas=5, cv=GroupKFold(3), tol=1e-10).fit(X, y, groups=groups)
        assert ours.alpha_ == pytest.approx(theirs.alpha_, rel=1e-12)
        ridge = shrinkage.RidgeCV(cv=GroupKFold(3)).fit(X, y, groups=groups)
        ridge_ref = sk.RidgeCV(cv=GroupKFold(3)).fit(X, y, groups=groups)
        assert ridge.alpha_ == ridge_ref.alpha_


def test_convergence_warning_contains_scikit_learns_wording():
    X = np.array([[-1.0, -1, 1, 1], [1, 1, -1, -1]])
    y = np.array([-1.0, 1])
    model = shrinkage.Lasso(alpha=1e-10, fit_intercept=False, warm_start=True, max_iter=1,
                            tol=1e-10)
    model.coef_ = np.array([1.0, 1, 1, 1000])
    with pytest.warns(shrinkage.ConvergenceWarning,
                      match="Objective did not converge. You might want to increase the "
                            "number of iterations.*duality gap"):
        model.fit(X, y)


def test_small_residual_path_moves_at_every_alpha():
    """A warm start within tol of a near-perfect fit is not the next alpha's solution: each
    alpha is solved, so the path (and LassoCV's choice) does not freeze at the small alphas."""
    X, _ = make_correlated_regression(50, 10, rho=0.0, random_state=0)
    y = X @ np.linspace(-2.0, 2.0, 10) + 0.01 * np.random.default_rng(0).standard_normal(50)
    alphas = np.geomspace(1.0, 1e-3, 5)
    _, ours, _ = shrinkage.lasso_path(X, y, alphas=alphas)
    _, exact, _ = sk.lasso_path(X, y, alphas=alphas, tol=1e-14, max_iter=100_000)
    assert not np.allclose(ours[:, -1], ours[:, -2])
    assert rel_diff(ours, exact) < 1e-3
