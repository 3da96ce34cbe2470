"""Bad input raises a clear exception naming the problem; never a crash or a wrong answer."""

import numpy as np
import pytest

import shrinkage
from shrinkage.datasets import make_correlated_regression


@pytest.fixture
def data():
    return make_correlated_regression(40, 6, random_state=0)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("precompute", [True, False])
def test_non_finite_X(data, bad, precompute):
    X, y = data
    X = X.copy()
    X[3, 2] = bad
    with pytest.raises(ValueError, match="X contains NaN or infinity"):
        shrinkage.lasso_path(X, y, precompute=precompute)


def test_overflowing_X(data):
    X, y = data
    X = X.copy()
    X[0, 0] = 1e200
    with pytest.raises(ValueError, match="overflow"):
        shrinkage.lasso_path(X, y)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_y(data, bad):
    X, y = data
    y = y.copy()
    y[5] = bad
    with pytest.raises(ValueError, match="y contains NaN or infinity"):
        shrinkage.lasso_path(X, y)


def test_shape_mismatch(data):
    X, y = data
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        shrinkage.lasso_path(X, y[:-1])
    with pytest.raises(ValueError, match="2-D"):
        shrinkage.lasso_path(X[:, 0], y)
    with pytest.raises(ValueError, match="1-D or 2-D"):
        shrinkage.lasso_path(X, y[:, None, None])


def test_empty(data):
    X, y = data
    with pytest.raises(ValueError, match="at least one"):
        shrinkage.lasso_path(X[:, :0], y)


@pytest.mark.parametrize("alphas", [[-1.0, 0.5], [np.nan], 0, -3, [[0.1]]])
def test_bad_alphas(data, alphas):
    X, y = data
    with pytest.raises(ValueError, match="alphas"):
        shrinkage.lasso_path(X, y, alphas=alphas)


@pytest.mark.parametrize("eps", [0, -1e-3])
def test_bad_eps(data, eps):
    X, y = data
    with pytest.raises(ValueError, match="eps"):
        shrinkage.lasso_path(X, y, eps=eps)


@pytest.mark.parametrize("l1_ratio", [-0.1, 1.5, np.nan])
def test_bad_l1_ratio(data, l1_ratio):
    X, y = data
    with pytest.raises(ValueError, match="l1_ratio"):
        shrinkage.enet_path(X, y, l1_ratio=l1_ratio)


def test_l1_ratio_zero_needs_explicit_alphas(data):
    X, y = data
    with pytest.raises(ValueError, match="l1_ratio=0"):
        shrinkage.enet_path(X, y, l1_ratio=0.0)


def test_unknown_params(data):
    X, y = data
    with pytest.raises(ValueError, match="Unexpected parameters"):
        shrinkage.lasso_path(X, y, fit_intercept=True)


@pytest.mark.parametrize(("name", "value", "match"), [
    ("tol", -1.0, "tol"), ("tol", np.nan, "tol"), ("max_iter", 0, "max_iter"),
    ("selection", "greedy", "selection"),
])
def test_bad_solver_params(data, name, value, match):
    X, y = data
    with pytest.raises(ValueError, match=match):
        shrinkage.lasso_path(X, y, **{name: value})


def test_positive_with_multi_output(data):
    X, y = data
    with pytest.raises(ValueError, match="positive"):
        shrinkage.lasso_path(X, np.c_[y, y], positive=True)


def test_bad_precompute(data):
    X, y = data
    G = X.T @ X
    with pytest.raises(ValueError, match="square"):
        shrinkage.lasso_path(X, y, precompute=G[:, :-1])
    with pytest.raises(ValueError, match="features"):
        shrinkage.lasso_path(X[:, :5], y, precompute=G)
    asym = G.copy()
    asym[0, 1] += 1.0
    with pytest.raises(ValueError, match="not symmetric"):
        shrinkage.lasso_path(X, y, precompute=asym)
    not_psd = G.copy()
    not_psd[0, 1] = not_psd[1, 0] = 2 * np.sqrt(G[0, 0] * G[1, 1])
    with pytest.raises(ValueError, match="positive semi-definite"):
        shrinkage.lasso_path(X, y, precompute=not_psd)
    with pytest.raises(ValueError, match="did not pass validation"):
        shrinkage.lasso_path(X, y, precompute=2 * G)
    nan_gram = G.copy()
    nan_gram[2, 2] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        shrinkage.lasso_path(X, y, precompute=nan_gram)
    with pytest.raises(ValueError, match="precompute"):
        shrinkage.lasso_path(X, y, precompute="always")


def test_bad_coef_init(data):
    X, y = data
    with pytest.raises(ValueError, match="coef_init"):
        shrinkage.lasso_path(X, y, coef_init=np.zeros(5))


def test_non_numeric(data):
    X, y = data
    with pytest.raises(ValueError, match="numeric"):
        shrinkage.lasso_path(X.astype(str), y)


def test_unsupported_weights_are_refused_not_ignored(data):
    X, y = data
    with pytest.raises(NotImplementedError, match="sample_weight"):
        shrinkage.lasso_path(X, y, sample_weight=np.ones(len(y)))


def test_non_convergence_warns_with_the_gap(data):
    X, y = make_correlated_regression(60, 200, rho=0.9, random_state=1)
    alpha = 1e-3 * np.abs(X.T @ y).max() / len(y)  # far from the zero start: one epoch is not enough
    with pytest.warns(shrinkage.ConvergenceWarning, match="duality gap stayed above"):
        shrinkage.lasso_path(X, y, alphas=[alpha], tol=1e-10, max_iter=1)


def test_sklearn_alpha_argument_deprecations(data):
    X, y = data
    with pytest.warns(FutureWarning, match="n_alphas"):
        a, _, _ = shrinkage.lasso_path(X, y, n_alphas=7)
    assert len(a) == 7
    with pytest.warns(FutureWarning, match="alphas=None"):
        a, _, _ = shrinkage.lasso_path(X, y, alphas=None)
    assert len(a) == 100


@pytest.mark.parametrize("Est", ["LassoCV", "ElasticNetCV"])
@pytest.mark.parametrize(("name", "value"), [("tol", -1.0), ("tol", np.nan), ("max_iter", 0),
                                             ("max_iter", 2.5)])
def test_cv_estimators_validate_tol_and_max_iter(data, Est, name, value):
    pytest.importorskip("sklearn")
    X, y = data
    with pytest.raises(ValueError, match=name):
        getattr(shrinkage, Est)(**{name: value}, cv=3).fit(X, y)


def test_n_jobs_zero_is_refused(data):
    X, y = data
    with pytest.raises(ValueError, match="n_jobs"):
        shrinkage.multi_target_path(X, np.column_stack([y, y]), alphas=3, n_jobs=0)


def _stats(data):
    X, y = data
    return shrinkage.GramStats.from_arrays(X, y)


def _with(stats, **changes):
    fields = {name: getattr(stats, name) for name in
              ("n_samples", "weight_sum", "x_mean", "y_mean", "gram", "xy", "yy")}
    fields.update(changes)
    return shrinkage.GramStats(**fields)


def _asymmetric(g):
    g = g.copy()
    g[0, 1] += 0.5 * abs(g[0, 0])
    return g


def _nan_entry(g):
    g = g.copy()
    g[2, 3] = g[3, 2] = np.nan
    return g


@pytest.mark.parametrize(("change", "message"), [
    (lambda s: {"gram": _asymmetric(s.gram)}, "not symmetric"),
    (lambda s: {"gram": _nan_entry(s.gram)}, "NaN"),
    (lambda s: {"yy": -1.0}, "yy is negative"),
    (lambda s: {"xy": s.xy * 1e3}, "correlation beyond 1"),
    (lambda s: {"x_mean": np.full_like(s.x_mean, np.inf)}, "NaN or infinity"),
])
@pytest.mark.parametrize("solver", ["lasso_path", "ridge_path", "Lasso", "Ridge"])
def test_inconsistent_statistics_are_refused(data, change, message, solver):
    if solver in ("Lasso", "Ridge"):
        pytest.importorskip("sklearn")
    bad = _with(_stats(data), **change(_stats(data)))
    run = {
        "lasso_path": lambda: shrinkage.lasso_path(bad, None, alphas=3),
        "ridge_path": lambda: shrinkage.ridge_path(bad, None, [1.0]),
        "Lasso": lambda: shrinkage.Lasso(alpha=0.1).fit(bad, None),
        "Ridge": lambda: shrinkage.Ridge(alpha=1.0).fit(bad, None),
    }[solver]
    with pytest.raises(ValueError, match=message):
        run()


def test_infinite_weight_sum_is_refused(data):
    with pytest.raises(ValueError, match="weight_sum"):
        _with(_stats(data), weight_sum=np.inf)


def test_subtracting_statistics_of_other_rows_is_refused(data):
    X, y = data
    whole = shrinkage.GramStats.from_arrays(X[:30], y[:30])
    other = shrinkage.GramStats.from_arrays(X[30:] * 10, y[30:] * 10)  # not part of `whole`
    with pytest.raises(ValueError, match="negative|correlation|holds more"):
        shrinkage.lasso_path(whole - other, None, alphas=3)


def test_a_gram_that_is_not_psd_gives_no_certificate(data):
    # Every 2 x 2 minor is fine (unit diagonal, |G_ij| <= 1), yet v^T G v < 0 for (1, -1, 1).
    G = np.array([[1.0, 0.9, -0.9], [0.9, 1.0, 0.9], [-0.9, 0.9, 1.0]])
    stats = shrinkage.GramStats(100, 100.0, np.zeros(3), 0.0, 100 * G,
                                np.array([5.0, -3.0, 4.0]), 100.0)
    with pytest.raises(ValueError, match="duality gap is negative|not finite"):
        shrinkage.lasso_path(stats, None, alphas=5, eps=1e-2)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_coef_init(data, bad):
    X, y = data
    w0 = np.zeros(X.shape[1])
    w0[1] = bad
    with pytest.raises(ValueError, match="coef_init contains NaN or infinity"):
        shrinkage.lasso_path(X, y, alphas=3, coef_init=w0)


def test_overflowing_coef_init_gives_no_nan_certificate(data):
    X, y = data
    with pytest.raises(ValueError, match="not finite"):
        shrinkage.lasso_path(X, y, alphas=3, coef_init=np.full(X.shape[1], 1e200))


@pytest.mark.parametrize("where", ["precompute", "Xy", "coef_init"])
def test_complex_inputs_are_refused(data, where):
    X, y = data
    gram, xy = X.T @ X, X.T @ y
    kwargs = {"precompute": gram, "Xy": xy}
    if where == "coef_init":
        kwargs["coef_init"] = np.zeros(X.shape[1], dtype=complex)
    else:
        kwargs[where] = kwargs[where].astype(complex)
    with pytest.raises(ValueError, match="complex"):
        shrinkage.lasso_path(X, y, alphas=3, **kwargs)


def test_ridge_path_at_alpha_zero_with_more_features_than_samples():
    X, y = make_correlated_regression(10, 30, random_state=1)
    with pytest.raises(np.linalg.LinAlgError, match="more features"):
        shrinkage.ridge_path(X, y, [0.0, 1.0])


def test_check_input_false_with_a_list(data):
    X, y = data
    _, coefs, _ = shrinkage.lasso_path(X.tolist(), y, alphas=3, check_input=False)
    np.testing.assert_allclose(coefs, shrinkage.lasso_path(X, y, alphas=3)[1])


def test_empty_l1_ratio_list(data):
    pytest.importorskip("sklearn")
    X, y = data
    with pytest.raises(ValueError, match="non-empty"):
        shrinkage.ElasticNetCV(l1_ratio=[]).fit(X, y)


def test_a_gram_beyond_memory_is_refused_before_allocating(monkeypatch):
    from shrinkage import _memory

    monkeypatch.setattr(_memory, "available_bytes", lambda: 1 << 20)  # 1 MiB "available"
    monkeypatch.setattr(_memory, "CERTAIN_FIT_BYTES", 0)  # checked at any size
    X, y = make_correlated_regression(600, 400, random_state=0)  # a 1.2 MiB Gram
    with pytest.raises(MemoryError, match="GiB.*precompute=False"):
        shrinkage.lasso_path(X, y, precompute=True, alphas=3)
    with pytest.raises(MemoryError, match="GiB"):
        shrinkage.ridge_path(X, y, [1.0])
    with pytest.raises(MemoryError, match="GiB"):
        shrinkage.GramStats.from_arrays(X, y)
    shrinkage.lasso_path(X, y, precompute=False, alphas=3)  # the lazy path needs no p x p


def test_small_grams_skip_the_memory_check(monkeypatch):
    """Reading the available memory costs more than a small path: below CERTAIN_FIT_BYTES the
    check does not ask."""
    from shrinkage import _memory

    def unavailable():
        raise AssertionError("the memory check ran for a small Gram")

    monkeypatch.setattr(_memory, "available_bytes", unavailable)
    X, y = make_correlated_regression(200, 100, random_state=0)
    shrinkage.lasso_path(X, y, precompute=True, alphas=3)
    shrinkage.ridge_path(X, y, [1.0])
    with pytest.raises(AssertionError, match="small Gram"):
        _memory.check_square(3000, "A Gram", "")  # 72 MB: checked


def test_glmnet_limits_beyond_int_are_no_limit(data):
    """dfmax / pmax of 2^31 or more (any count of features is below them) run as no limit,
    instead of a binding TypeError."""
    X, y = data
    plain = shrinkage.path(X, y)
    for limits in ({"dfmax": 2**31}, {"pmax": 2**40}):
        np.testing.assert_array_equal(shrinkage.path(X, y, **limits).coefs, plain.coefs)


def test_penalty_factor_too_small_for_alpha_max_is_named(data):
    """A subnormal penalty factor makes alpha_max overflow: say so, and that 0 is the way to
    leave a feature unpenalised, instead of a non-finite gap at alpha=inf."""
    X, y = data
    with pytest.raises(ValueError, match="alpha_max overflows: a penalty factor .* of 1e-320"):
        shrinkage.path(X, y, penalty_factor=[1e-320, 1, 1, 1, 1, 1])
