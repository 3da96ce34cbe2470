"""The estimators agree with scikit-learn's (coef_, intercept_, predictions, chosen alpha), each
fitted point carries its own certificate, and they work in pipelines, searches and pickles.

Tolerances: scikit-learn runs at tol=1e-12 (its gap stop), so both solutions are within ~1e-6
relative of the exact one on these well-posed problems; Ridge is a direct solve on both sides
(1e-9 leaves room for the different factorisations on conditioned-1e4 Grams)."""

import pickle
import warnings

import numpy as np
import pytest
import scipy.sparse as sp

sklearn = pytest.importorskip("sklearn")
from sklearn import linear_model as sk
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, KFold, ShuffleSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import shrinkage
from certify import enet_gap
from shrinkage.datasets import make_correlated_regression

TIGHT = {"tol": 1e-12, "max_iter": 100_000}


def reference(estimator, X, y, **fit_params):
    """scikit-learn's fit; on wide correlated data it may stop at max_iter short of tol=1e-12
    (a gap near 1e-8 relative), still well inside the 1e-6 comparison."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sklearn.exceptions.ConvergenceWarning)
        return estimator.fit(X, y, **fit_params)


def data(rng, n=150, p=20, shift=5.0, kind="dense", targets=None):
    X, y = make_correlated_regression(n, p, rho=0.5, random_state=int(rng.integers(1 << 30)))
    X = X + shift
    if targets:
        y = np.column_stack([y, -0.5 * y + rng.standard_normal(n)])
    y = y + 3.0
    if kind == "sparse":
        X = sp.csc_matrix(np.where(np.abs(X - shift) > 0.7, X, 0.0))
    return X, y


def assert_close(a, b, rtol=1e-6):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol * max(np.abs(b).max(initial=0), 1.0))


@pytest.mark.parametrize("kind", ["dense", "wide", "sparse"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("name", ["Lasso", "ElasticNet"])
def test_coordinate_descent_estimators_agree(rng, kind, weighted, fit_intercept, name):
    X, y = data(rng, n=40 if kind == "wide" else 150, p=60 if kind == "wide" else 20,
                kind="sparse" if kind == "sparse" else "dense")
    w = rng.uniform(0, 2, X.shape[0]) if weighted else None
    params = {"alpha": 0.05, "fit_intercept": fit_intercept}
    ours = getattr(shrinkage, name)(**params, tol=1e-12).fit(X, y, sample_weight=w)
    ref = reference(getattr(sk, name)(**params, **TIGHT), X, y, sample_weight=w)
    assert_close(ours.coef_, ref.coef_)
    assert_close(ours.intercept_, ref.intercept_)
    assert_close(ours.predict(X), ref.predict(X))
    assert isinstance(ours.intercept_, float) and isinstance(ours.n_iter_, int)
    # The certificate of the fitted point, recomputed on explicitly centred, weighted data.
    dense = X.toarray() if sp.issparse(X) else X
    s = np.ones(len(y)) if w is None else w * len(y) / w.sum()
    xm = np.average(dense, axis=0, weights=s) if fit_intercept else 0
    ym = np.average(y, weights=s) if fit_intercept else 0
    root = np.sqrt(s)
    l1_ratio = 1.0 if name == "Lasso" else 0.5
    gap = enet_gap((dense - xm) * root[:, None], (y - ym) * root, ours.coef_, 0.05, l1_ratio)
    assert gap <= 1e-12 * np.sum(s * (y - ym) ** 2) / len(y) * 1.01 + 1e-15
    assert gap == pytest.approx(ours.dual_gap_, abs=1e-12 * np.var(y) * 10)


def test_multi_target_float32_and_warm_start(rng):
    X, Y = data(rng, targets=2)
    ours = shrinkage.ElasticNet(alpha=0.02, tol=1e-12).fit(X, Y)
    ref = sk.ElasticNet(alpha=0.02, **TIGHT).fit(X, Y)
    assert ours.coef_.shape == (2, X.shape[1]) and ours.dual_gap_.shape == (2,)
    assert len(ours.n_iter_) == 2
    assert_close(ours.coef_, ref.coef_)
    assert_close(ours.intercept_, ref.intercept_)
    X32, y32 = X.astype(np.float32), Y[:, 0].astype(np.float32)
    m32 = shrinkage.Lasso(alpha=0.02, tol=1e-6).fit(X32, y32)
    assert m32.coef_.dtype == np.float32 and m32.predict(X32).dtype == np.float32
    assert_close(m32.coef_, sk.Lasso(alpha=0.02, **TIGHT).fit(X, Y[:, 0]).coef_, rtol=1e-3)
    warm = shrinkage.Lasso(alpha=0.02, warm_start=True, tol=1e-10).fit(X, Y[:, 0])
    first = warm.n_iter_
    warm.fit(X, Y[:, 0])
    assert warm.n_iter_ <= first
    assert sp.issparse(warm.sparse_coef_) and warm.sparse_coef_.shape == (1, X.shape[1])


def test_fit_from_gram_stats_sets_the_intercept(rng):
    X, y = data(rng)
    w = rng.uniform(0.5, 1.5, len(y))
    stats = shrinkage.GramStats.from_arrays(X, y, w)
    for name in ("Lasso", "Ridge"):
        from_stats = getattr(shrinkage, name)(alpha=0.1).fit(stats, None)
        from_data = getattr(shrinkage, name)(alpha=0.1).fit(X, y, sample_weight=w)
        assert_close(from_stats.coef_, from_data.coef_, rtol=1e-9)
        assert_close(from_stats.intercept_, from_data.intercept_, rtol=1e-9)
    with pytest.raises(ValueError, match="y and sample_weight must be None"):
        shrinkage.Lasso().fit(stats, y)


@pytest.mark.parametrize("kind", ["dense", "wide", "sparse"])
@pytest.mark.parametrize("weighted", [False, True])
def test_lasso_cv_picks_scikit_learns_alpha(rng, kind, weighted):
    X, y = data(rng, n=60 if kind == "wide" else 200, p=90 if kind == "wide" else 25,
                kind="sparse" if kind == "sparse" else "dense")
    w = rng.uniform(0.2, 2, X.shape[0]) if weighted else None
    ours = shrinkage.LassoCV(cv=5, tol=1e-10, n_jobs=2).fit(X, y, sample_weight=w)
    ref = reference(sk.LassoCV(cv=5, tol=1e-10, max_iter=100_000), X, y, sample_weight=w)
    assert ours.alpha_ == pytest.approx(ref.alpha_, rel=1e-12)
    assert_close(ours.alphas_, ref.alphas_, rtol=1e-12)
    assert ours.mse_path_.shape == ref.mse_path_.shape == (100, 5)
    # At the smallest alphas of a wide problem the lasso is barely determined (p > n) and
    # scikit-learn stops at max_iter: validation errors agree to 1e-3 there, 1e-5 otherwise.
    assert_close(ours.mse_path_, ref.mse_path_, rtol=1e-3 if kind == "wide" else 1e-5)
    assert_close(ours.coef_, ref.coef_, rtol=1e-5)
    assert_close(ours.intercept_, ref.intercept_, rtol=1e-5)
    # Training error falls as alpha falls; validation error is above it at small alphas.
    assert ours.train_mse_path_.shape == ours.mse_path_.shape
    assert (np.diff(ours.train_mse_path_.mean(axis=1)) <= 1e-9 * np.var(y)).all()


def test_elastic_net_cv_l1_ratio_grid_and_general_splits(rng):
    X, y = data(rng)
    splits = list(ShuffleSplit(n_splits=3, test_size=0.3, random_state=0).split(X))
    params = {"l1_ratio": [0.2, 0.7, 1.0], "alphas": 30, "cv": splits}
    ours = shrinkage.ElasticNetCV(**params, tol=1e-10).fit(X, y)
    ref = sk.ElasticNetCV(**params, tol=1e-10, max_iter=100_000).fit(X, y)
    assert (ours.alpha_, ours.l1_ratio_) == pytest.approx((ref.alpha_, ref.l1_ratio_), rel=1e-12)
    assert ours.mse_path_.shape == (3, 30, 3) and ours.alphas_.shape == (3, 30)
    assert_close(ours.mse_path_, ref.mse_path_, rtol=1e-5)
    with pytest.raises(ValueError, match="MultiTask"):
        shrinkage.LassoCV().fit(X, np.column_stack([y, y]))


@pytest.mark.parametrize("kind", ["dense", "wide", "sparse"])
@pytest.mark.parametrize("weighted", [False, True])
def test_relaxed_cv_errors_are_those_of_each_folds_relaxed_path(rng, kind, weighted):
    """LassoCV(relax=True): each fold's error at (gamma, alpha) is that of shrinkage.path's
    relaxed blend fitted on the fold's training rows (Path's relaxed fits are least squares,
    tests/test_fitted_path.py); from the folds' statistics (dense), lazily (wide, sparse)."""
    X, y = data(rng, n=60 if kind == "wide" else 150, p=90 if kind == "wide" else 20,
                kind="sparse" if kind == "sparse" else "dense")
    w = rng.uniform(0.2, 2, X.shape[0]) if weighted else np.ones(X.shape[0])
    gammas = [0.0, 0.5, 1.0]
    ours = shrinkage.LassoCV(alphas=15, cv=KFold(3), relax=True, gammas=gammas, n_jobs=2,
                             **TIGHT).fit(X, y, sample_weight=None if not weighted else w)
    assert ours.relaxed_mse_path_.shape == (3, 15, 3)
    np.testing.assert_array_equal(ours.gammas_, gammas)
    for f, (train, test) in enumerate(KFold(3).split(X)):
        fold = shrinkage.path(X[train], y[train], sample_weight=w[train], alphas=ours.alphas_,
                              relax=True, **TIGHT)
        for g, gamma in enumerate(gammas):
            intercepts, coefs = fold.coef(gamma=gamma)
            residual = y[test, None] - (X[test] @ coefs + intercepts)
            mse = w[test] @ residual**2 / w[test].sum()
            assert_close(ours.relaxed_mse_path_[g, :, f], mse, rtol=1e-7)
    # the choice: the smallest mean error, the larger alpha then the larger gamma on ties
    mean = ours.relaxed_mse_path_.mean(axis=2)
    g, k = np.unravel_index(np.argmin(mean), mean.shape)
    assert (ours.alpha_, ours.gamma_) == (ours.alphas_[k], gammas[g])
    whole = shrinkage.path(X, y, sample_weight=w, alphas=[ours.alpha_], relax=True, **TIGHT)
    intercept, coef = whole.coef(ours.alpha_, gamma=ours.gamma_)
    assert_close(ours.coef_, coef, rtol=1e-9)
    assert ours.intercept_ == pytest.approx(intercept, rel=1e-9)


def test_relaxed_elastic_net_cv_and_its_parameters(rng):
    X, y = data(rng)
    model = shrinkage.ElasticNetCV(l1_ratio=[0.5, 1.0], alphas=10, cv=3, relax=True,
                                   gammas=[0.3]).fit(X, y)
    assert model.relaxed_mse_path_.shape == (2, 2, 10, 3)  # gammas 0.3 and 1 (always there)
    np.testing.assert_array_equal(model.relaxed_mse_path_[:, -1], model.mse_path_)
    assert model.gamma_ in (0.3, 1.0) and model.gamma_1se_ >= 0.3
    assert not hasattr(shrinkage.LassoCV(cv=3).fit(X, y), "gamma_")
    with pytest.raises(ValueError, match="set relax=True"):
        shrinkage.LassoCV(gammas=[0.5]).fit(X, y)
    for gammas in ([1.5], [], [[0.5]]):
        with pytest.raises(ValueError, match="gammas must be"):
            shrinkage.LassoCV(relax=True, gammas=gammas).fit(X, y)


@pytest.mark.parametrize("shape", [(80, 10), (12, 30)])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("kind", ["dense", "sparse"])
def test_ridge_and_ridge_cv_agree(rng, shape, weighted, fit_intercept, kind):
    X, Y = data(rng, n=shape[0], p=shape[1], targets=2, kind=kind)
    # scikit-learn solves sparse X iteratively (sparse_cg, tol 1e-4): the exact reference is
    # its Cholesky on the same data, densified.
    X_ref = X.toarray() if sp.issparse(X) else X
    w = rng.uniform(0.1, 2, shape[0]) if weighted else None
    alphas = [1e-2, 0.3, 3.0, 30.0]
    kw = {"fit_intercept": fit_intercept}
    for y in (Y[:, 0], Y):
        ours = shrinkage.Ridge(alpha=0.3, **kw).fit(X, y, sample_weight=w)
        ref = sk.Ridge(alpha=0.3, **kw).fit(X_ref, y, sample_weight=w)
        assert_close(ours.coef_, ref.coef_, rtol=1e-9)
        assert_close(ours.intercept_, ref.intercept_, rtol=1e-9)
        loo = shrinkage.RidgeCV(alphas, store_cv_results=True, **kw).fit(X, y, sample_weight=w)
        ref_loo = sk.RidgeCV(alphas, store_cv_results=True, **kw).fit(X_ref, y, sample_weight=w)
        assert loo.alpha_ == ref_loo.alpha_
        assert loo.best_score_ == pytest.approx(ref_loo.best_score_, rel=1e-8)
        # Wide X: both sides centre X X^T by rank-one corrections (means 5x the spread cost
        # ~25x in rounding) before an eigendecomposition: 1e-7. Sparse X's kernel is summed in
        # another order (sparse product, not BLAS) and the LOO errors divide its rounding by
        # 1 - h_ii, near 0 for 12 rows at alpha 1e-2: over six seeds our sparse and dense
        # results differ by up to 4e-8 and scikit-learn's dense ones from ours by up to
        # 1.1e-7, so 1e-6 there.
        assert_close(loo.cv_results_, ref_loo.cv_results_, rtol=1e-6 if kind == "sparse" else 1e-7)
        assert_close(loo.coef_, ref_loo.coef_, rtol=1e-9)
        folds = shrinkage.RidgeCV(alphas, cv=KFold(4), **kw).fit(X, y, sample_weight=w)
        ref_folds = sk.RidgeCV(alphas, cv=KFold(4), **kw).fit(X_ref, y, sample_weight=w)
        assert folds.alpha_ == ref_folds.alpha_
        assert folds.best_score_ == pytest.approx(ref_folds.best_score_, rel=1e-8, abs=1e-10)
        assert_close(folds.coef_, ref_folds.coef_, rtol=1e-9)


def test_sparse_wide_ridge_never_forms_the_feature_gram(rng):
    # p x p would be 298 GiB here (a MemoryError before); the n x n kernel is 0.3 MiB.
    X = sp.random(200, 200_000, density=1e-3, format="csr", random_state=0)
    y = rng.standard_normal(200)
    ours = shrinkage.Ridge(alpha=1.0).fit(X, y)
    folds = shrinkage.RidgeCV([0.1, 1.0, 10.0], cv=KFold(3)).fit(X, y)
    ref = sk.Ridge(alpha=1.0, solver="sparse_cg", tol=1e-12).fit(X, y)
    assert_close(ours.coef_, ref.coef_, rtol=1e-8)
    assert_close(ours.intercept_, ref.intercept_, rtol=1e-8)
    assert folds.coef_.shape == (200_000,)


@pytest.mark.parametrize("kind", ["dense", "sparse"])
def test_ridge_cv_leave_one_out_in_row_blocks(rng, monkeypatch, kind):
    # Tall X: the LOO basis is formed block by block of rows; blocks of 16 rows (and a ragged
    # last one) must give exactly what scikit-learn computes from the whole basis.
    from shrinkage.estimators._ridge import _LeaveOneOut
    monkeypatch.setattr(_LeaveOneOut, "block_rows", 16)
    X, Y = data(rng, n=90, p=12, kind=kind, targets=2)
    w = rng.uniform(0.1, 2, 90)
    alphas = [1e-3, 0.1, 1.0, 10.0, 100.0]
    for scoring in (None, "r2"):
        ours = shrinkage.RidgeCV(alphas, scoring=scoring, store_cv_results=True,
                                 alpha_per_target=True).fit(X, Y, sample_weight=w)
        ref = sk.RidgeCV(alphas, scoring=scoring, store_cv_results=True,
                         alpha_per_target=True).fit(X, Y, sample_weight=w)
        assert_close(ours.alpha_, ref.alpha_, rtol=0)
        assert_close(ours.cv_results_, ref.cv_results_, rtol=1e-8)
        assert_close(ours.coef_, ref.coef_, rtol=1e-9)


def test_ridge_cv_per_target_alphas_and_scorers(rng):
    X, Y = data(rng, targets=2)
    Y[:, 1] += 5 * rng.standard_normal(len(Y))  # a noisier target wants a larger alpha
    alphas = np.logspace(-3, 3, 13)
    ours = shrinkage.RidgeCV(alphas, alpha_per_target=True).fit(X, Y)
    ref = sk.RidgeCV(alphas, alpha_per_target=True).fit(X, Y)
    np.testing.assert_array_equal(ours.alpha_, ref.alpha_)
    assert_close(ours.best_score_, ref.best_score_, rtol=1e-8)
    for scoring, cv in (("neg_mean_absolute_error", None), ("r2", 3)):
        ours = shrinkage.RidgeCV(alphas, scoring=scoring, cv=cv).fit(X, Y[:, 0])
        ref = sk.RidgeCV(alphas, scoring=scoring, cv=cv).fit(X, Y[:, 0])
        assert ours.alpha_ == ref.alpha_
        assert ours.best_score_ == pytest.approx(ref.best_score_, rel=1e-8)


def test_pipelines_searches_clones_and_pickles(rng):
    X, y = data(rng)
    pipe = make_pipeline(StandardScaler(), shrinkage.Lasso(alpha=0.01))
    search = GridSearchCV(pipe, {"lasso__alpha": [0.01, 0.1]}, cv=3).fit(X, y)
    assert search.best_params_["lasso__alpha"] in (0.01, 0.1)
    for est in (shrinkage.ElasticNet(alpha=0.1), shrinkage.Ridge(), shrinkage.LassoCV(cv=3),
                shrinkage.RidgeCV()):
        fitted = clone(est).fit(X, y)
        back = pickle.loads(pickle.dumps(fitted))
        np.testing.assert_array_equal(back.predict(X), fitted.predict(X))
        assert fitted.score(X, y) > 0.5


@pytest.mark.parametrize(("est", "message"), [
    (lambda: shrinkage.Lasso(alpha=-1), r"The 'alpha' parameter of Lasso must be a float in"),
    (lambda: shrinkage.ElasticNet(l1_ratio=1.5),
     r"The 'l1_ratio' parameter of ElasticNet must be a float in the range \[0.0, 1.0\]"),
    (lambda: shrinkage.Ridge(alpha="1"), r"The 'alpha' parameter must be a float"),
    (lambda: shrinkage.Lasso(max_iter=0), "max_iter"),
    (lambda: shrinkage.Lasso(selection="best"), "selection"),
    (lambda: shrinkage.Lasso(precompute="sometimes"), "precompute"),
    (lambda: shrinkage.Ridge(alpha=[1.0, 2.0, 3.0]), "number of penalties"),
    (lambda: shrinkage.RidgeCV(alphas=[-1.0]), r"alphas == -1.0, must be > 0.0"),
    (lambda: shrinkage.RidgeCV(alphas=[1.0, -1.0], cv=3), r"alphas\[1\] == -1.0, must be >= 0.0"),
    (lambda: shrinkage.Ridge(solver="newton"), "solver must be one of"),
    (lambda: shrinkage.RidgeCV(cv=3, alpha_per_target=True), "incompatible"),
])
def test_bad_parameters_raise_clear_errors(rng, est, message):
    X, y = data(rng, n=30, p=4)
    with pytest.raises(ValueError, match=message):
        est().fit(X, np.column_stack([y, y]))


@pytest.mark.parametrize("Est", ["Lasso", "ElasticNet"])
def test_one_column_y_gives_scikit_learns_shapes(Est):
    X, y = make_correlated_regression(50, 6, random_state=2)
    ours = getattr(shrinkage, Est)(alpha=0.01).fit(X, y[:, None])
    theirs = getattr(sk, Est)(alpha=0.01).fit(X, y[:, None])
    for name in ("coef_", "intercept_", "dual_gap_", "n_iter_"):
        assert np.shape(getattr(ours, name)) == np.shape(getattr(theirs, name)), name
    assert np.ndim(ours.dual_gap_) == 0
    assert isinstance(ours.n_iter_, int | np.integer)
    assert ours.predict(X).shape == theirs.predict(X).shape == (50,)


def test_estimators_fit_a_gramstats_without_y():
    X, y = make_correlated_regression(80, 5, random_state=3)
    stats = shrinkage.GramStats.from_arrays(X, y)
    for Est in (shrinkage.Lasso, shrinkage.ElasticNet, shrinkage.Ridge):
        np.testing.assert_allclose(Est().fit(stats).coef_, Est().fit(X, y).coef_, rtol=1e-6)
    for CV in (shrinkage.LassoCV, shrinkage.ElasticNetCV, shrinkage.RidgeCV):
        with pytest.raises(TypeError, match="holds no rows"):
            CV().fit(stats, None)


def test_submodules_are_reachable_after_import_shrinkage():
    import subprocess
    import sys

    code = ("import shrinkage; shrinkage.linalg.cholesky([[4.0]]); shrinkage.datasets; "
            "shrinkage.statistics.GramStats; print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"


def test_verbose_cv_prints_a_line_per_path(capsys):
    X, y = make_correlated_regression(60, 5, random_state=4)
    shrinkage.ElasticNetCV(l1_ratio=[0.5, 1.0], cv=3, alphas=5, verbose=1).fit(X, y)
    lines = [line for line in capsys.readouterr().out.splitlines() if "[ElasticNetCV]" in line]
    assert len(lines) == 6 and "fold 3/3, l1_ratio 1" in lines[-1]


@pytest.mark.parametrize("make", [lambda: shrinkage.Lasso(alpha=0.05),
                                  lambda: shrinkage.ElasticNet(alpha=0.05, l1_ratio=0.5),
                                  lambda: shrinkage.LassoCV(cv=3),
                                  lambda: shrinkage.ElasticNetCV(cv=3),
                                  lambda: shrinkage.Ridge(alpha=1.0),
                                  lambda: shrinkage.RidgeCV()])
@pytest.mark.parametrize("view", ["columns", "rows", "both"])
def test_strided_views_are_taken_as_scikit_learn_takes_them(make, view, rng):
    """Column and row slices (non-contiguous views) fit as their contiguous copies do, and stay
    unmodified, as in scikit-learn."""
    X, y = make_correlated_regression(120, 40, random_state=5)
    index = {"columns": np.s_[:, :25], "rows": np.s_[::2], "both": np.s_[::2, ::2]}[view]
    Xv = X[index]
    yv = y[::2] if view in ("rows", "both") else y
    assert not (Xv.flags.c_contiguous or Xv.flags.f_contiguous)
    before = Xv.copy()
    model = make().fit(Xv, yv)
    np.testing.assert_allclose(model.coef_, make().fit(np.array(Xv), yv).coef_, rtol=1e-12,
                               atol=1e-14)
    np.testing.assert_allclose(model.predict(Xv), model.predict(np.array(Xv)), rtol=1e-12)
    np.testing.assert_array_equal(Xv, before)


@pytest.mark.parametrize("shape", [(90, 6), (60, 150)])
def test_a_fold_of_zero_weight_is_left_out_of_the_cv_means(shape, rng):
    """Test rows that all have zero weight define no error: that fold's mse_path_ column is
    NaN and the choice is the one the other folds make alone (cv.glmnet weights folds by their
    test weight), on tall data (fold statistics) and wide data (fold designs)."""
    X, y = make_correlated_regression(*shape, random_state=3)
    w = rng.uniform(0.5, 2.0, shape[0])
    w[: shape[0] // 3] = 0.0
    splits = list(KFold(3).split(X))
    model = shrinkage.LassoCV(cv=splits, alpha_rule="1se").fit(X, y, sample_weight=w)
    others = shrinkage.LassoCV(cv=splits[1:], alphas=model.alphas_, alpha_rule="1se").fit(
        X, y, sample_weight=w)
    assert np.isnan(model.mse_path_[:, 0]).all()
    np.testing.assert_allclose(model.mse_path_[:, 1:], others.mse_path_, rtol=1e-10)
    assert model.alpha_ == others.alpha_ and model.alpha_min_ == others.alpha_min_
