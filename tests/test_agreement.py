"""Same answers as scikit-learn's lasso_path / enet_path, both run at tol 1e-12.

At that tolerance both solutions are within sqrt(2 * gap / lambda_min(G)) of the unique
optimum; on these well-posed problems that is < 1e-7 relative, so 1e-6 is a real test.
"""

import functools
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn import datasets as skdatasets
from sklearn import linear_model as sk
from sklearn.exceptions import ConvergenceWarning

import shrinkage
from certify import assert_certified, enet_objective
from shrinkage.datasets import make_correlated_regression, make_text_regression

TIGHT = {"tol": 1e-12}
SK_TIGHT = {"tol": 1e-12, "max_iter": 200_000}


def rel_diff(a, b):
    return np.abs(np.asarray(a, float) - b).max() / max(np.abs(b).max(), 1e-300)


@functools.cache
def problem(name):
    if name == "diabetes":
        X, y = skdatasets.load_diabetes(return_X_y=True)
        return X, y - y.mean()
    shape = {"tall": (400, 40), "square": (120, 120), "wide": (60, 150)}[name]
    return make_correlated_regression(*shape, rho=0.5, random_state=len(name))


@functools.cache
def sklearn_path(name, l1_ratio):
    X, y = problem(name)
    return sk.enet_path(X, y, l1_ratio=l1_ratio, alphas=30, **SK_TIGHT)


@pytest.mark.parametrize("name", ["tall", "square", "wide", "diabetes"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5, 0.1])
@pytest.mark.parametrize("precompute", ["auto", True, False])
def test_matches_sklearn(name, l1_ratio, precompute):
    X, y = problem(name)
    a_ref, c_ref, _ = sklearn_path(name, l1_ratio)
    a, c, gaps = shrinkage.enet_path(X, y, l1_ratio=l1_ratio, alphas=30, precompute=precompute,
                                     **TIGHT)
    np.testing.assert_allclose(a, a_ref, rtol=1e-14)
    assert rel_diff(c, c_ref) < 1e-6
    assert_certified(X, y, a, c, l1_ratio, 1e-12)


def test_lasso_path_is_enet_path_with_l1_ratio_one():
    X, y = make_correlated_regression(200, 30, random_state=0)
    a1, c1, g1 = shrinkage.lasso_path(X, y, **TIGHT)
    a2, c2, g2 = shrinkage.enet_path(X, y, l1_ratio=1.0, **TIGHT)
    np.testing.assert_array_equal(c1, c2)
    a_ref, c_ref, _ = sk.lasso_path(X, y, **SK_TIGHT)
    assert rel_diff(c1, c_ref) < 1e-6


@pytest.mark.parametrize("order", ["C", "F"])
def test_memory_order_and_given_gram(order):
    X, y = make_correlated_regression(300, 25, random_state=4, order=order)
    a, c, _ = shrinkage.lasso_path(X, y, alphas=20, **TIGHT)
    gram, xy = X.T @ X, X.T @ y
    a2, c2, _ = shrinkage.lasso_path(X, y, alphas=20, precompute=gram, Xy=xy, **TIGHT)
    assert rel_diff(c2, c) < 1e-9


def test_given_alphas_are_sorted_decreasing():
    X, y = make_correlated_regression(200, 20, random_state=5)
    alphas = [0.01, 0.5, 0.1]
    a, c, _ = shrinkage.lasso_path(X, y, alphas=alphas, **TIGHT)
    a_ref, c_ref, _ = sk.lasso_path(X, y, alphas=alphas, **SK_TIGHT)
    np.testing.assert_array_equal(a, [0.5, 0.1, 0.01])
    assert rel_diff(c, c_ref) < 1e-6


def test_single_alpha_list_comes_back_unchanged():
    X, y = make_correlated_regression(50, 5, random_state=6)
    alphas = [0.1]
    a, c, _ = shrinkage.lasso_path(X, y, alphas=alphas)
    assert a is alphas and c.shape == (5, 1)


def test_positive():
    X, y = make_correlated_regression(300, 30, random_state=7)
    a_ref, c_ref, _ = sk.lasso_path(X, y, positive=True, **SK_TIGHT)
    a, c, _ = shrinkage.lasso_path(X, y, positive=True, **TIGHT)
    np.testing.assert_allclose(a, a_ref, rtol=1e-14)
    assert (c >= 0).all()
    assert rel_diff(c, c_ref) < 1e-6
    assert_certified(X, y, a, c, 1.0, 1e-12, positive=True)


@pytest.mark.parametrize("shape", [(200, 30), (50, 120)])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.6])
def test_multi_task(shape, l1_ratio, rng):
    X, _ = make_correlated_regression(*shape, random_state=8)
    W = np.zeros((shape[1], 3))
    W[:5] = rng.standard_normal((5, 3))
    Y = X @ W + 0.1 * rng.standard_normal((shape[0], 3))
    a_ref, c_ref, _ = sk.enet_path(X, Y, l1_ratio=l1_ratio, alphas=20, **SK_TIGHT)
    a, c, _ = shrinkage.enet_path(X, Y, l1_ratio=l1_ratio, alphas=20, **TIGHT)
    assert c.shape == c_ref.shape == (3, shape[1], 20)
    np.testing.assert_allclose(a, a_ref, rtol=1e-14)
    assert rel_diff(c, c_ref) < 1e-6
    assert_certified(X, Y, a, c, l1_ratio, 1e-12)


def test_coef_init_warm_start():
    X, y = make_correlated_regression(200, 20, random_state=9)
    init = np.linspace(-1, 1, 20)
    a_ref, c_ref, _ = sk.lasso_path(X, y, alphas=[0.05, 0.01], coef_init=init, **SK_TIGHT)
    a, c, _, n_iter = shrinkage.lasso_path(X, y, alphas=[0.05, 0.01], coef_init=init,
                                           return_n_iter=True, **TIGHT)
    assert rel_diff(c, c_ref) < 1e-6
    # Starting at the first alpha's solution, that alpha needs no epoch at all.
    _, _, _, n_iter2 = shrinkage.lasso_path(X, y, alphas=[0.05], coef_init=c[:, 0],
                                            return_n_iter=True, **TIGHT)
    assert n_iter2 == [0]


@pytest.mark.parametrize("fmt", ["csc", "csr"])
@pytest.mark.parametrize("precompute", ["auto", False])
def test_sparse(fmt, precompute, rng):
    X = sp.random(150, 80, density=0.1, format=fmt, random_state=10)
    y = X @ rng.standard_normal(80) + 0.01 * rng.standard_normal(150)
    a_ref, c_ref, _ = sk.lasso_path(X, y, alphas=20, **SK_TIGHT)
    a, c, _ = shrinkage.lasso_path(X, y, alphas=20, precompute=precompute, **TIGHT)
    np.testing.assert_allclose(a, a_ref, rtol=1e-13)
    assert rel_diff(c, c_ref) < 1e-6
    assert_certified(X.toarray(), y, a, c, 1.0, 1e-12)


@pytest.mark.parametrize("fmt", ["csr", "csc"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_sparse_paths_whose_support_grows_large(fmt, l1_ratio):
    """Text-like X with short documents (Zipf terms, TF-IDF rows, 5-20 words) and 200
    informative terms: late working sets hold many times more features than the nonzeros of
    their columns, where the residual-form solver replaces the Gram block. Certified from X and
    the same path as scikit-learn's."""
    X, y = make_text_regression(300, 900, n_informative=200, length_range=(5, 20), format=fmt,
                                random_state=3)
    a, c, _ = shrinkage.enet_path(X, y, l1_ratio=l1_ratio, alphas=30, **TIGHT)
    support = np.flatnonzero(c[:, -1])
    assert support.size**2 > 8 * np.diff(X.tocsc().indptr)[support].sum()  # the regime
    assert_certified(X.toarray(), y, a, c, l1_ratio, 1e-12)
    # Terms seen in one document only are duplicate columns: the minimiser is not unique, so
    # the objectives are compared (ours certified within 1e-12 c of the optimum).
    _, c_ref, _ = sk.enet_path(X, y, l1_ratio=l1_ratio, alphas=a, **SK_TIGHT)
    ours = [enet_objective(X.toarray(), y, c[:, k], alpha, l1_ratio) for k, alpha in enumerate(a)]
    theirs = [enet_objective(X.toarray(), y, c_ref[:, k], alpha, l1_ratio)
              for k, alpha in enumerate(a)]
    assert np.all(np.array(ours) <= np.array(theirs) + 1e-12 * (y @ y) / len(y))


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("rho", [0.0, 0.5])
def test_dense_paths_whose_support_outgrows_n(order, rho):
    """Wide dense X and a small l1_ratio: the support grows to many times n, where the
    residual-form solver takes the working set from the Gram block (on independent and on
    correlated columns, where its trial stalls and the block solver takes over). Certified
    from X; the same path as scikit-learn's on independent columns, and an objective no worse
    than scikit-learn's on correlated ones (where 200 000 epochs leave it short of 1e-12)."""
    X, y = make_correlated_regression(40, 400, rho=rho, random_state=7)
    X = np.asarray(X, order=order)
    a, c, _ = shrinkage.enet_path(X, y, l1_ratio=0.05, alphas=30, **TIGHT)
    assert np.count_nonzero(c[:, -1]) > 4 * X.shape[0]  # the regime
    assert_certified(X, y, a, c, 0.05, 1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        _, c_ref, _ = sk.enet_path(X, y, l1_ratio=0.05, alphas=a, **SK_TIGHT)
    if rho == 0:
        assert rel_diff(c, c_ref) < 1e-6
    ours = [enet_objective(X, y, c[:, k], alpha, 0.05) for k, alpha in enumerate(a)]
    theirs = [enet_objective(X, y, c_ref[:, k], alpha, 0.05) for k, alpha in enumerate(a)]
    assert np.all(np.array(ours) <= np.array(theirs) + 1e-12 * (y @ y) / len(y))


@pytest.mark.parametrize("seed", range(4))
def test_sparse_paths_where_coordinate_descent_stalls(seed):
    """Sparse X with p > n, one to three nonzeros per column and a quarter of its columns
    duplicated: the support saturates and plain CD crawls near the end of the path. The
    residual-form solver hands such an alpha to the block solver's Newton steps instead of
    running out of epochs (a ConvergenceWarning fails this test)."""
    rng = np.random.default_rng(seed)
    n, p = 60 + 30 * seed, 300 + 100 * seed
    X = sp.random(n, p, density=2.0 / n, format="csc", random_state=seed,
                  data_rvs=rng.standard_normal)
    X = sp.hstack([X, X[:, : p // 4]]).tocsc()
    beta = rng.standard_normal(X.shape[1]) * (rng.random(X.shape[1]) < 0.2)
    y = X @ beta + rng.standard_normal(n)
    a, c, _ = shrinkage.lasso_path(X, y, alphas=30, tol=1e-9)
    assert_certified(X.toarray(), y, a, c, 1.0, 1e-9)


@pytest.mark.parametrize("precompute", [True, False])
def test_float32_stays_float32(precompute):
    X, y = make_correlated_regression(300, 30, random_state=11, dtype=np.float32)
    a, c, gaps = shrinkage.lasso_path(X, y, precompute=precompute, alphas=20, tol=1e-6)
    assert c.dtype == np.float32 and a.dtype == np.float64 and gaps.dtype == np.float64
    a64, c64, _ = shrinkage.lasso_path(X.astype(np.float64), y.astype(np.float64), alphas=20,
                                       tol=1e-10)
    # float32 statistics carry relative errors ~ 1e-7 * sqrt(n); the data are well conditioned.
    assert rel_diff(c, c64) < 1e-4
    _, c_ref, _ = sk.lasso_path(X, y, alphas=20, tol=1e-6, max_iter=100_000)
    assert c_ref.dtype == np.float32 and rel_diff(c, c_ref) < 1e-3


def test_random_selection_converges_to_the_same_path():
    X, y = make_correlated_regression(200, 30, random_state=12)
    _, c1, _ = shrinkage.lasso_path(X, y, alphas=15, **TIGHT)
    _, c2, _ = shrinkage.lasso_path(X, y, alphas=15, selection="random", random_state=0, **TIGHT)
    assert rel_diff(c2, c1) < 1e-6


def test_no_screening_gives_the_same_path():
    X, y = make_correlated_regression(80, 200, random_state=13)
    _, c1, _ = shrinkage.lasso_path(X, y, alphas=15, **TIGHT)
    _, c2, _ = shrinkage.lasso_path(X, y, alphas=15, do_screening=False, **TIGHT)
    assert rel_diff(c2, c1) < 1e-6


@pytest.mark.parametrize("precompute", [True, False])
@pytest.mark.parametrize("positive", [False, True])
def test_multi_target_independent_paths(precompute, positive, rng):
    """Each column of Y solved on its own (ElasticNet.fit's meaning of 2-D y), in threads."""
    X, _ = make_correlated_regression(120, 40, random_state=14)
    Y = X[:, :6] @ rng.standard_normal((6, 3)) + 0.1 * rng.standard_normal((120, 3))
    a, c, gaps, n_iter = shrinkage.multi_target_path(
        X, Y, l1_ratio=0.7, alphas=15, precompute=precompute, positive=positive, n_jobs=2,
        return_n_iter=True, **TIGHT)
    assert c.shape == (3, 40, 15) and gaps.shape == (3, 15) and len(n_iter) == 3
    n = len(Y)
    top = np.maximum(X.T @ Y, 0).max() if positive else np.abs(X.T @ Y).max()
    np.testing.assert_allclose(a[0], top / (n * 0.7), rtol=1e-12)
    for t in range(3):
        _, c_ref, _ = sk.enet_path(X, Y[:, t], l1_ratio=0.7, alphas=a, positive=positive,
                                   **SK_TIGHT)
        assert rel_diff(c[t], c_ref) < 1e-6
        assert_certified(X, Y[:, t], a, c[t], 0.7, 1e-12, positive=positive)


@pytest.mark.parametrize("shape", [(25, 65), (76, 78)])
@pytest.mark.parametrize("l1_ratio", [0.7, 0.2, 0.0])
def test_multi_task_converges_on_correlated_wide_data(shape, l1_ratio, rng):
    """rho = 0.9: block CD alone crawls here; the multi-task Newton step finishes it."""
    X, y = make_correlated_regression(*shape, rho=0.9, random_state=15)
    Y = np.c_[y, rng.standard_normal(shape[0])]
    alphas = 10 if l1_ratio > 0 else np.geomspace(1.0, 1e-3, 6)
    a, c, _ = shrinkage.enet_path(X, Y, l1_ratio=l1_ratio, alphas=alphas, tol=1e-10)
    assert_certified(X, Y, a, c, l1_ratio, 1e-10)


@pytest.mark.parametrize("kind", ["full", "design", "sparse"])
@pytest.mark.parametrize("rho", [0.5, 0.9])
def test_float32_certificates_hold_for_X_itself(kind, rho):
    """float32 data give float64 statistics and the gaps of the rounded float32 coefficients,
    so the certificate recomputed in float64 from X holds (scikit-learn's float32 path
    computes in float32 and does not guarantee this)."""
    shape = (400, 60) if kind != "design" else (60, 200)
    X, y = make_correlated_regression(*shape, rho=rho, random_state=16, dtype=np.float32)
    if kind == "sparse":
        X = sp.csc_matrix(np.where(np.abs(X) > 0.5, X, 0).astype(np.float32))
    # tol 1e-5: rounding the coefficients to float32 alone costs up to ~1e-6 relative gap at
    # rho = 0.9 (measured), the floor below which float32 output cannot go.
    a, c, gaps = shrinkage.lasso_path(X, y, alphas=20, tol=1e-5,
                                      precompute=kind == "full")
    assert c.dtype == np.float32
    Xd = X.toarray() if sp.issparse(X) else X
    assert_certified(Xd, y, a, c, 1.0, 1e-5)


def test_float32_below_its_precision_warns_and_says_why():
    X, y = make_correlated_regression(300, 40, rho=0.9, random_state=17, dtype=np.float32)
    with pytest.warns(shrinkage.ConvergenceWarning, match="float32 coefficients"):
        shrinkage.lasso_path(X, y, alphas=10, tol=1e-12)


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("data", ["offset", "scales", "beyond float32"])
def test_wide_paths_certified_where_float32_cannot_hold_the_data(data, order):
    """Wide dense X: outside the working set the gradient comes from a float32 pass with an
    error bound, exact only where the bound could matter (the bounds themselves are tested in
    test_kernels). End to end, data that float32 represents badly (entries 1e4 + noise lose
    ~1e-3 each; columns down to 1e-45 underflow; entries beyond 1e30 leave no float32 pass)
    still give certified points."""
    rng = np.random.default_rng(5)
    X, y = make_correlated_regression(300, 900, rho=0.5, random_state=18)
    if data == "offset":
        X = X + 1e4
    elif data == "scales":
        X = X * 10.0 ** rng.uniform(-45, 10, X.shape[1])
    else:
        X = X * 1e31
    X = np.asarray(X, order=order)
    a, c, _ = shrinkage.lasso_path(X, y, alphas=30, eps=1e-2, tol=1e-4)
    assert_certified(X, y, a, c, 1.0, 1e-4)
    assert (c != 0).sum(axis=0).max() > 10  # not a trivial path
