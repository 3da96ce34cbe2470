"""shrinkage.path and its Path object: intercepts and weights against the estimators and the
optimality conditions, glmnet's interpolation against exact re-solves, predict, the summary,
the relaxed fit against least squares, dfmax / pmax and bad input. (R's glmnet itself is the
reference in test_glmnet_reference.py.)"""

import numpy as np
import pytest
import scipy.sparse as sp

import shrinkage
from shrinkage.datasets import make_correlated_regression

TIGHT = {"tol": 1e-12, "max_iter": 100_000}


@pytest.fixture
def problem(rng):
    X, _ = make_correlated_regression(150, 12, rho=0.4, random_state=5)
    y = X[:, :4] @ [2.0, -1.0, 0.5, 1.5] + 7.0 + 0.3 * rng.standard_normal(150)
    w = rng.uniform(0.3, 2.0, 150)
    return X, y, w


@pytest.mark.parametrize("kind", ["dense", "sparse", "stats"])
def test_each_alpha_is_the_weighted_elastic_net_with_an_intercept(problem, kind):
    X, y, w = problem
    if kind == "stats":
        fit = shrinkage.path(shrinkage.GramStats.from_arrays(X, y, w), l1_ratio=0.7, alphas=8,
                             **TIGHT)
    else:
        Xin = sp.csc_matrix(X) if kind == "sparse" else X
        fit = shrinkage.path(Xin, y, l1_ratio=0.7, sample_weight=w, alphas=8, **TIGHT)
    assert fit.coefs.shape == (12, 8)
    assert fit.intercepts.shape == (8,)
    for k in (2, 5, 7):
        # scikit-learn's ElasticNet with the same weights is the same problem (its weights
        # are rescaled to sum n, its loss divided by n: the same objective).
        ref = shrinkage.ElasticNet(alpha=fit.alphas[k], l1_ratio=0.7, **TIGHT).fit(
            X, y, sample_weight=w)
        np.testing.assert_allclose(fit.coefs[:, k], ref.coef_, rtol=1e-8, atol=1e-10)
        assert fit.intercepts[k] == pytest.approx(ref.intercept_, rel=1e-10)
    # Null deviance and the deviance ratio from their definitions.
    ybar = np.average(y, weights=w)
    assert fit.null_deviance == pytest.approx(w @ (y - ybar) ** 2, rel=1e-12)
    rss = w @ (y - X @ fit.coefs[:, 6] - fit.intercepts[6]) ** 2
    assert fit.dev_ratio[6] == pytest.approx(1 - rss / fit.null_deviance, rel=1e-9)
    assert fit.dev_ratio[0] == pytest.approx(0.0, abs=1e-12)
    assert fit.df[0] == 0
    assert (np.diff(fit.dev_ratio) >= -1e-12).all()


def test_without_intercept_the_null_model_is_zero(problem):
    X, y, _w = problem
    fit = shrinkage.path(X, y, fit_intercept=False, alphas=5, **TIGHT)
    assert (fit.intercepts == 0).all()
    assert fit.null_deviance == pytest.approx(y @ y, rel=1e-12)
    _, ref, _ = shrinkage.lasso_path(X, y, alphas=fit.alphas, **TIGHT)
    np.testing.assert_allclose(fit.coefs, ref, rtol=1e-9, atol=1e-12)


def test_coef_interpolates_linearly_in_alpha_and_exact_resolves(problem):
    X, y, w = problem
    fit = shrinkage.path(X, y, sample_weight=w, alphas=30, **TIGHT)
    a = fit.alphas
    between = 0.3 * a[10] + 0.7 * a[11]
    intercept, coef = fit.coef(between)
    np.testing.assert_allclose(coef, 0.3 * fit.coefs[:, 10] + 0.7 * fit.coefs[:, 11],
                               rtol=1e-12, atol=1e-15)
    assert intercept == pytest.approx(0.3 * fit.intercepts[10] + 0.7 * fit.intercepts[11])
    # On the grid: the stored fit; outside: the nearest end (glmnet's predict(s=)).
    np.testing.assert_array_equal(fit.coef(a[4])[1], fit.coefs[:, 4])
    np.testing.assert_array_equal(fit.coef(10 * a[0])[1], fit.coefs[:, 0])
    np.testing.assert_array_equal(fit.coef(a[-1] / 10)[1], fit.coefs[:, -1])
    # exact=True solves there; the piecewise-linear path is close, not equal.
    exact_b, exact = fit.coef(between, exact=True)
    ref = shrinkage.Lasso(alpha=between, **TIGHT).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(exact, ref.coef_, rtol=1e-8, atol=1e-10)
    assert exact_b == pytest.approx(ref.intercept_, rel=1e-10)
    assert np.abs(exact - coef).max() < 0.05 * np.abs(coef).max()
    many_b, many = fit.coef([a[3], between], exact=True)
    assert many.shape == (12, 2)
    assert many_b.shape == (2,)


def test_predict_shapes_and_values(problem):
    X, y, w = problem
    fit = shrinkage.path(X, y, sample_weight=w, alphas=6)
    assert fit.predict(X).shape == (150, 6)
    one = fit.predict(X[:5], alpha=fit.alphas[3])
    np.testing.assert_allclose(one, X[:5] @ fit.coefs[:, 3] + fit.intercepts[3])
    assert fit.predict(sp.csr_matrix(X[:5]), alpha=[fit.alphas[1]]).shape == (5, 1)
    with pytest.raises(ValueError, match="columns"):
        fit.predict(X[:, :3])


def test_summary_lists_df_deviance_and_alpha(problem):
    X, y, _ = problem
    fit = shrinkage.path(X, y, alphas=4)
    lines = repr(fit).splitlines()
    assert lines[1].split() == ["Df", "%Dev", "Alpha"]
    assert len(lines) == 2 + 4
    k, df, dev, alpha = lines[-1].split()
    assert int(k) == 4
    assert int(df) == fit.df[-1]
    assert float(dev) == pytest.approx(100 * fit.dev_ratio[-1], abs=0.01)
    assert float(alpha) == pytest.approx(fit.alphas[-1], rel=1e-3)


def test_relaxed_fit_is_least_squares_on_each_support(problem):
    X, y, w = problem
    fit = shrinkage.path(X, y, sample_weight=w, alphas=10, relax=True, **TIGHT)
    root = np.sqrt(w)
    for k in range(1, 10):
        support = np.flatnonzero(fit.coefs[:, k])
        A = np.column_stack([np.ones(150), X[:, support]]) * root[:, None]
        solution = np.linalg.lstsq(A, y * root, rcond=None)[0]
        np.testing.assert_allclose(fit.relaxed_coefs[support, k], solution[1:], rtol=1e-9)
        assert fit.relaxed_intercepts[k] == pytest.approx(solution[0], rel=1e-10)
        assert (fit.relaxed_coefs[fit.coefs[:, k] == 0, k] == 0).all()
    # gamma=0 is the relaxed fit, gamma=1 the lasso.
    np.testing.assert_array_equal(fit.coef(fit.alphas[4], gamma=0.0)[1], fit.relaxed_coefs[:, 4])
    np.testing.assert_array_equal(fit.coef(fit.alphas[4], gamma=1.0)[1], fit.coefs[:, 4])
    with pytest.raises(ValueError, match="relax=True"):
        shrinkage.path(X, y, alphas=3).coef(0.1, gamma=0.5)
    with pytest.raises(ValueError, match="gamma"):
        fit.coef(0.1, gamma=1.5)


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_relaxed_fit_with_bounds_is_least_squares_within_them(problem, sparse, fit_intercept):
    """With bounds (and positive), each relaxed fit is the weighted least-squares fit on its
    support within them (the intercept free): scipy's BVLS on the rows themselves."""
    from scipy.optimize import lsq_linear

    X, y, w = problem
    p = X.shape[1]
    root = np.sqrt(w)
    data = sp.csc_array(X) if sparse else X
    binding = 0
    for bounds in ({"lower_bounds": -0.5, "upper_bounds": 0.8}, {"positive": True}):
        fit = shrinkage.path(data, y, sample_weight=w, alphas=12, relax=True,
                             fit_intercept=fit_intercept, **bounds, **TIGHT)
        lower = np.full(p, bounds.get("lower_bounds", 0.0))
        upper = np.full(p, bounds.get("upper_bounds", np.inf))
        for k in range(1, 12):
            support = np.flatnonzero(fit.coefs[:, k])
            ones = np.ones((150, int(fit_intercept)))
            A = np.column_stack([ones, X[:, support]]) * root[:, None]
            free = np.full(int(fit_intercept), np.inf)
            reference = lsq_linear(A, y * root, bounds=(np.r_[-free, lower[support]],
                                                        np.r_[free, upper[support]]),
                                   method="bvls", tol=1e-14).x
            relaxed = fit.relaxed_coefs[support, k]
            np.testing.assert_allclose(relaxed, reference[int(fit_intercept):], rtol=1e-8,
                                       atol=1e-10)
            intercept = reference[0] if fit_intercept else 0.0
            assert fit.relaxed_intercepts[k] == pytest.approx(intercept, rel=1e-8, abs=1e-10)
            binding += int(np.isin(relaxed, [lower[support], upper[support]]).any())
    assert binding  # some support's fit rests on a bound


def test_relaxed_fit_on_a_support_wider_than_the_data_is_minimum_norm():
    X, y = make_correlated_regression(20, 60, random_state=6)
    fit = shrinkage.path(X, y, alphas=40, eps=1e-4, relax=True)
    k = int(np.argmax(fit.df))
    support = np.flatnonzero(fit.coefs[:, k])
    assert support.size >= 19  # the centred support Gram is singular
    Xc = X[:, support] - X[:, support].mean(axis=0)
    reference = np.linalg.pinv(Xc) @ (y - y.mean())
    np.testing.assert_allclose(fit.relaxed_coefs[support, k], reference, rtol=1e-7,
                               atol=1e-9 * np.abs(reference).max())


def test_dfmax_and_pmax_stop_the_path_with_a_warning(problem):
    X, y, _ = problem
    full = shrinkage.path(X, y, alphas=50)
    with pytest.warns(UserWarning, match="more than dfmax=2"):
        part = shrinkage.path(X, y, alphas=50, dfmax=2)
    stop = int(np.flatnonzero(full.df > 2)[0])
    assert len(part.alphas) == stop + 1
    assert part.df[-1] > 2
    assert (part.df[:-1] <= 2).all()
    np.testing.assert_array_equal(part.alphas, full.alphas[:stop + 1])
    with pytest.warns(UserWarning, match="more than pmax=3"):
        part = shrinkage.path(X, y, alphas=50, pmax=3)
    ever = np.array([np.count_nonzero((full.coefs[:, :k + 1] != 0).any(axis=1))
                     for k in range(50)])
    assert len(part.alphas) == int(np.flatnonzero(ever > 3)[0])
    # lasso_path takes them too, keeping scikit-learn's return tuple.
    with pytest.warns(UserWarning, match="The path stopped after"):
        alphas, coefs, gaps = shrinkage.lasso_path(X, y, alphas=50, dfmax=2)
    assert coefs.shape == (12, len(alphas)) == (12, gaps.size)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"dfmax": -1}, "dfmax"), ({"pmax": 2.5}, "pmax"), ({"l1_ratio": 2.0}, "l1_ratio"),
    ({"sample_weight": -np.ones(150)}, "non-negative"), ({"alphas": 0}, "alphas"),
])
def test_bad_input_is_named(problem, kwargs, message):
    X, y, _ = problem
    with pytest.raises(ValueError, match=message):
        shrinkage.path(X, y, **kwargs)


def test_two_dimensional_y_is_refused_with_a_pointer(problem):
    X, y, _ = problem
    with pytest.raises(ValueError, match="multi_target_path"):
        shrinkage.path(X, np.c_[y, y])
    with pytest.raises(ValueError, match="dfmax"):
        shrinkage.multi_target_path(X, np.c_[y, y], dfmax=3)
