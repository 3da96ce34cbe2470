"""logistic_path: every returned point checked by its optimality conditions (computed here in
numpy from X, not from the solver's statistics), by a duality gap recomputed here, and against
scikit-learn's LogisticRegression run to a tight tolerance; dense and sparse X, weights,
offsets, the elastic net, per-feature terms, separable data and bad input."""

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.special import expit, xlogy

import shrinkage
from shrinkage._binomial import binary_response

sklearn = pytest.importorskip("sklearn")
from sklearn.datasets import load_breast_cancer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.utils.class_weight import compute_sample_weight  # noqa: E402


def make(n=120, p=30, seed=0, density=None, informative=4):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    if density is not None:
        X[rng.random((n, p)) > density] = 0.0
    w = np.zeros(p)
    w[:informative] = rng.uniform(1, 2, informative) * rng.choice([-1, 1], informative)
    y = (rng.random(n) < expit(X @ w + 0.4)).astype(float)
    return X, y


def objective(X, y, coef, intercept, alpha, l1_ratio, s=None, offset=None, a=None):
    s = np.ones(len(y)) if s is None else s
    a = np.ones(len(coef)) if a is None else a
    eta = X @ coef + intercept + (0 if offset is None else offset)
    loss = np.sum(s * (np.logaddexp(0, eta) - y * eta)) / s.sum()
    return loss + alpha * (l1_ratio * a @ np.abs(coef) + (1 - l1_ratio) / 2 * a @ coef**2)


def kkt_violation(X, y, coef, intercept, alpha, l1_ratio, s=None, offset=None,
                  fit_intercept=True, a=None, lower=None, upper=None):
    """The largest violation of the optimality conditions of P at (coef, intercept), in the
    gradient's units: the subgradient's distance from zero, toward the sides w may move to."""
    s = np.ones(len(y)) if s is None else s
    a = np.ones(len(coef)) if a is None else a
    c = s / s.sum()
    eta = X @ coef + intercept + (0 if offset is None else offset)
    r = c * (y - expit(eta))
    g = -np.asarray(X.T @ r).ravel() + alpha * (1 - l1_ratio) * a * coef
    l1 = alpha * l1_ratio * a
    lower = np.full(len(coef), -np.inf) if lower is None else lower
    upper = np.full(len(coef), np.inf) if upper is None else upper
    v = np.where(coef > 0, np.abs(g + l1), np.where(coef < 0, np.abs(g - l1),
                                                     np.maximum(np.abs(g) - l1, 0)))
    at_lower = (coef == lower) & (coef != 0)
    at_upper = (coef == upper) & (coef != 0)
    v = np.where(at_lower, np.maximum(-(g + np.sign(coef) * l1), 0), v)
    v = np.where(at_upper, np.maximum(g + np.sign(coef) * l1, 0), v)
    zero_box = (coef == 0) & (lower == 0)
    v = np.where(zero_box, np.maximum(-g - l1, 0), v)  # w = 0 may only grow
    if fit_intercept:
        v = np.append(v, abs(r.sum()))
    return float(v.max())


def lasso_gap(X, y, coef, intercept, alpha, s=None, fit_intercept=True):
    """The duality gap of the L1 problem from its definition: the dual point is the residual
    scaled into the dual norm ball, its value a sum of binary entropies."""
    s = np.ones(len(y)) if s is None else s
    c = s / s.sum()
    eta = X @ coef + intercept
    p = expit(eta)
    primal = np.sum(c * (np.logaddexp(0, eta) - y * eta)) + alpha * np.abs(coef).sum()
    r = c * (y - p)
    if fit_intercept:
        r = r - c * r.sum()
    t = min(1.0, alpha / np.abs(X.T @ r).max())
    mu = y - t * r / c
    dual = -np.sum(c * (xlogy(mu, mu) + xlogy(1 - mu, 1 - mu)))
    return primal - dual


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return (X - X.mean(0)) / X.std(0), y


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5, 0.0])
def test_optimality_and_certificate(sparse, l1_ratio):
    X, y = make(density=0.3 if sparse else None)
    Xf = sp.csc_matrix(X) if sparse else X
    alphas = 0.2 * np.geomspace(1, 1e-3, 15) if l1_ratio == 0 else 15
    a, coefs, intercepts, gaps = shrinkage.logistic_path(Xf, y, l1_ratio=l1_ratio, alphas=alphas,
                                                         tol=1e-10)
    unit = 2 * _null_loss(y)  # the null deviance per sample: tol's unit
    assert (gaps <= 1e-10 * unit).all()
    for k in range(len(a)):
        # Near the optimum, the gradient error is about sqrt(2 gap / curvature): 1e-5 bounds it
        # at these gaps with the curvature of these data (>= 1e-3).
        assert kkt_violation(X, y, coefs[:, k], intercepts[k], a[k], l1_ratio) < 1e-5
        if l1_ratio == 1:
            assert lasso_gap(X, y, coefs[:, k], intercepts[k], a[k]) <= 1e-10 * unit + 1e-15


def _null_loss(y, s=None):
    """The (weighted) mean log-loss of the intercept-only model."""
    m = np.average(y, weights=s)
    return -(m * np.log(m) + (1 - m) * np.log(1 - m))


@pytest.mark.parametrize("l1_ratio", [1.0, 0.3])
def test_matches_scikit_learn_on_breast_cancer(cancer, l1_ratio):
    X, y = cancer
    a, coefs, intercepts, gaps = shrinkage.logistic_path(X, y, l1_ratio=l1_ratio, alphas=20,
                                                         tol=1e-12)
    n = len(y)
    for k in (5, 12):
        ref = LogisticRegression(C=1 / (a[k] * n), l1_ratio=l1_ratio, solver="saga",
                                 tol=1e-12, max_iter=100000).fit(X, y)
        ours = objective(X, y, coefs[:, k], intercepts[k], a[k], l1_ratio)
        theirs = objective(X, y, ref.coef_.ravel(), ref.intercept_[0], a[k], l1_ratio)
        # Ours is certified within its gap of the optimum, which theirs cannot undercut.
        assert ours <= theirs + gaps[k] + 1e-15
        np.testing.assert_allclose(coefs[:, k], ref.coef_.ravel(), atol=1e-5)


def test_sparse_and_dense_agree():
    X, y = make(200, 60, seed=3, density=0.2)
    dense = shrinkage.logistic_path(X, y, l1_ratio=0.7, alphas=25, tol=1e-12)
    for form in (sp.csc_matrix, sp.csr_matrix):
        sparse = shrinkage.logistic_path(form(X), y, l1_ratio=0.7, alphas=25, tol=1e-12)
        np.testing.assert_allclose(sparse[0], dense[0])
        np.testing.assert_allclose(sparse[1], dense[1], atol=1e-6)
        np.testing.assert_allclose(sparse[2], dense[2], atol=1e-6)


def test_integer_weights_repeat_rows():
    X, y = make(80, 20, seed=5)
    s = np.random.default_rng(0).integers(0, 4, len(y)).astype(float)
    s[:2] = [1, 2]
    a, coefs, intercepts, _ = shrinkage.logistic_path(X, y, sample_weight=s, alphas=12,
                                                      tol=1e-12)
    rows = np.repeat(np.arange(len(y)), s.astype(int))
    a2, coefs2, intercepts2, _ = shrinkage.logistic_path(X[rows], y[rows], alphas=a, tol=1e-12)
    np.testing.assert_allclose(coefs, coefs2, atol=1e-6)
    np.testing.assert_allclose(intercepts, intercepts2, atol=1e-6)


def test_offsets_and_no_intercept():
    X, y = make(150, 25, seed=7)
    offset = np.random.default_rng(1).normal(0, 0.5, len(y))
    for fit_intercept in (True, False):
        a, coefs, intercepts, gaps = shrinkage.logistic_path(
            X, y, offset=offset, fit_intercept=fit_intercept, alphas=10, tol=1e-11)
        if not fit_intercept:
            assert (intercepts == 0).all()
        for k in range(len(a)):
            assert kkt_violation(X, y, coefs[:, k], intercepts[k], a[k], 1.0, offset=offset,
                                 fit_intercept=fit_intercept) < 1e-5
    # A constant offset with an intercept moves only the intercept.
    a, coefs, intercepts, _ = shrinkage.logistic_path(X, y, alphas=10, tol=1e-12)
    _, coefs2, intercepts2, _ = shrinkage.logistic_path(X, y, offset=np.full(len(y), 0.7),
                                                        alphas=a, tol=1e-12)
    np.testing.assert_allclose(coefs2, coefs, atol=1e-7)
    np.testing.assert_allclose(intercepts2, intercepts - 0.7, atol=1e-7)


def test_feature_terms():
    X, y = make(150, 25, seed=11)
    factor = np.random.default_rng(2).uniform(0.5, 2, X.shape[1])
    a, coefs, intercepts, _ = shrinkage.logistic_path(X, y, penalty_factor=factor, alphas=10,
                                                      tol=1e-11, l1_ratio=0.8)
    for k in range(len(a)):
        assert kkt_violation(X, y, coefs[:, k], intercepts[k], a[k], 0.8, a=factor) < 1e-5
    # The grid starts where every coefficient is zero, and not later.
    assert (coefs[:, 0] == 0).all() and (coefs[:, 1] != 0).any()
    a, coefs, intercepts, _ = shrinkage.logistic_path(X, y, positive=True, alphas=10, tol=1e-11)
    assert (coefs >= 0).all()
    zero = np.zeros(X.shape[1])
    for k in range(len(a)):
        assert kkt_violation(X, y, coefs[:, k], intercepts[k], a[k], 1.0, lower=zero) < 1e-5
    # Standardising is the path of the standardised columns, its coefficients scaled back.
    scale = X.std(0) * np.linspace(0.2, 5, X.shape[1])
    Xs = (X - X.mean(0)) / X.std(0) * scale
    a, coefs, intercepts, _ = shrinkage.logistic_path(Xs, y, standardize=True, alphas=10,
                                                      tol=1e-12)
    unit = (Xs - Xs.mean(0)) / Xs.std(0)
    _, coefs_unit, _, _ = shrinkage.logistic_path(unit, y, alphas=a, tol=1e-12)
    np.testing.assert_allclose(coefs * Xs.std(0)[:, None], coefs_unit, atol=1e-6)


def test_separable_data_stays_finite():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((60, 5))
    y = (X[:, 0] > 0).astype(float)
    a, coefs, intercepts, gaps = shrinkage.logistic_path(X, y, alphas=30, eps=1e-4, tol=1e-8)
    assert np.isfinite(coefs).all() and np.isfinite(intercepts).all()
    assert np.isfinite(gaps).all()
    # The coefficient of the separating feature grows as alpha falls.
    assert coefs[0, -1] > coefs[0, 10] > 0


def test_dfmax_stops_the_path_with_a_warning():
    X, y = make(100, 30, seed=8, informative=10)
    with pytest.warns(UserWarning, match="dfmax=3"):
        a, coefs, _, _ = shrinkage.logistic_path(X, y, alphas=50, dfmax=3)
    assert len(a) < 50 and (coefs[:, -1] != 0).sum() > 3


def test_labels():
    classes, codes = binary_response(np.array(["b", "a", "b"]), 3)
    assert list(classes) == ["a", "b"] and list(codes) == [1, 0, 1]
    X, y = make(50, 4)
    with pytest.raises(ValueError, match="two classes"):
        shrinkage.logistic_path(X, np.ones(50))
    with pytest.raises(NotImplementedError, match="multinomial"):
        shrinkage.logistic_path(X, np.arange(50) % 3)
    with pytest.raises(ValueError, match="positive weight"):
        shrinkage.logistic_path(X, y, sample_weight=np.where(y == 1, 0.0, 1.0))
    with pytest.raises(ValueError, match="offset"):
        shrinkage.logistic_path(X, y, offset=np.zeros(3))
    with pytest.raises(ValueError, match="NaN"):
        shrinkage.logistic_path(X, np.where(y == 1, np.nan, 0.0))
    with pytest.raises(ValueError, match="l1_ratio"):
        shrinkage.logistic_path(X, y, l1_ratio=1.5)
    with pytest.raises(NotImplementedError, match="penalty_factor=0"):
        shrinkage.logistic_path(X, y, penalty_factor=[0, 1, 1, 1])
    # Labels of any dtype: the larger one is the positive class.
    a, c1, b1, _ = shrinkage.logistic_path(X, y, alphas=5)
    _, c2, b2, _ = shrinkage.logistic_path(X, np.where(y == 1, 7, -3), alphas=a)
    np.testing.assert_array_equal(c1, c2)


def test_binomial_path_object():
    X, y = make(150, 12, seed=9)
    labels = np.where(y == 1, "yes", "no")
    fit = shrinkage.path(X, labels, family="binomial", alphas=30, tol=1e-10)
    assert isinstance(fit, shrinkage.BinomialPath) and list(fit.classes) == ["no", "yes"]
    a, coefs, intercepts, _ = shrinkage.logistic_path(X, y, alphas=fit.alphas, tol=1e-10)
    np.testing.assert_allclose(fit.coefs, coefs, atol=1e-8)
    np.testing.assert_allclose(fit.intercepts, intercepts, atol=1e-8)
    # glmnet's deviance ratio, from the null model's mean log-loss.
    k = 20
    eta = X @ coefs[:, k] + intercepts[k]
    loss = np.mean(np.logaddexp(0, eta) - y * eta)
    np.testing.assert_allclose(fit.dev_ratio[k], 1 - loss / _null_loss(y), rtol=1e-10)
    np.testing.assert_allclose(fit.null_deviance, 2 * len(y) * _null_loss(y))
    link = fit.predict(X[:5], alpha=fit.alphas[k])
    np.testing.assert_allclose(link, eta[:5])
    np.testing.assert_allclose(fit.predict(X[:5], alpha=fit.alphas[k], type="response"),
                               expit(eta[:5]))
    assert list(fit.predict(X[:5], alpha=fit.alphas[k], type="class")) == \
        list(np.where(eta[:5] > 0, "yes", "no"))
    # exact=True solves between grid points; the interpolation is close, not equal.
    between = np.sqrt(fit.alphas[k] * fit.alphas[k + 1])
    b_exact, c_exact = fit.coef(between, exact=True)
    assert kkt_violation(X, y, c_exact, b_exact, between, 1.0) < 1e-5
    assert "BinomialPath(l1_ratio=1" in repr(fit) and "%Dev" in repr(fit)
    with pytest.raises(ValueError, match="type"):
        fit.predict(X, type="probability")
    with pytest.raises(ValueError, match="offset"):
        fit.predict(X, offset=np.zeros(len(y)))
    with pytest.raises(ValueError, match="family"):
        shrinkage.path(X, y, family="poisson")
    with pytest.raises(ValueError, match="binomial"):
        shrinkage.path(X, y, offset=np.zeros(len(y)))


def test_glmnet_rules_end_a_separable_path():
    """On separable data the deviance explained approaches 1: glmnet's devmax rule ends the
    path (its own sequence only), where logistic_path, asked for every alpha, runs on."""
    rng = np.random.default_rng(4)
    X = rng.standard_normal((80, 6))
    y = (X[:, 0] + X[:, 1] > 0).astype(float)
    fit = shrinkage.path(X, y, family="binomial", alphas=100, eps=1e-6)
    assert len(fit.alphas) < 100 and fit.dev_ratio[-1] > 0.999
    assert np.isfinite(fit.coefs).all()
    full = shrinkage.path(X, y, family="binomial", alphas=np.geomspace(fit.alphas[0],
                                                                       fit.alphas[0] * 1e-6, 100))
    assert len(full.alphas) == 100


def test_logistic_regression_matches_scikit_learn(cancer):
    """The default (l2) against scikit-learn's lbfgs run to a tight tolerance, and the lasso
    against saga: the same objective, ours certified within its gap."""
    X, y = cancer
    for params, solver in (({}, "lbfgs"), ({"l1_ratio": 1.0, "C": 0.3}, "saga"),
                           ({"l1_ratio": 0.5, "C": 2.0, "class_weight": "balanced"}, "saga")):
        ours = shrinkage.LogisticRegression(tol=1e-12, **params).fit(X, y)
        ref = LogisticRegression(solver=solver, tol=1e-12, max_iter=100_000, **params).fit(X, y)
        np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-4, rtol=1e-4)
        np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-6)
        assert ours.coef_.shape == (1, X.shape[1]) and ours.intercept_.shape == (1,)
        s = compute_sample_weight(params.get("class_weight"), y)
        assert ours.dual_gap_ <= 1e-12 * 2 * _null_loss(y, s)


def test_logistic_regression_weights_warm_start_and_spellings():
    X, y = make(120, 8, seed=13)
    labels = np.where(y == 1, "spam", "ham")
    balanced = shrinkage.LogisticRegression(class_weight="balanced", tol=1e-12).fit(X, labels)
    share = np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean()))
    weighted = shrinkage.LogisticRegression(tol=1e-12).fit(X, labels, sample_weight=share)
    np.testing.assert_allclose(balanced.coef_, weighted.coef_, rtol=1e-8)
    assert list(balanced.classes_) == ["ham", "spam"]
    assert set(balanced.predict(X)) <= {"ham", "spam"}
    np.testing.assert_allclose(balanced.predict_log_proba(X), np.log(balanced.predict_proba(X)))
    cold = shrinkage.LogisticRegression(C=0.5, l1_ratio=1.0, tol=1e-12).fit(X, y)
    warm = shrinkage.LogisticRegression(C=0.5, l1_ratio=1.0, tol=1e-12, warm_start=True)
    warm.fit(X, y)
    warm.fit(X, y)  # from its own solution: nothing left to do
    assert warm.n_iter_[0] == 0
    np.testing.assert_allclose(warm.coef_, cold.coef_, atol=1e-8)
    with pytest.warns(FutureWarning, match="'penalty' was deprecated"):
        old = shrinkage.LogisticRegression(penalty="l1", C=0.5, l1_ratio=1.0, tol=1e-12).fit(X, y)
    np.testing.assert_allclose(old.coef_, cold.coef_, atol=1e-8)
    with pytest.raises(NotImplementedError, match="multinomial"):
        shrinkage.LogisticRegression().fit(X, np.arange(len(y)) % 3)
    with pytest.raises(NotImplementedError, match="C=np.inf"):
        shrinkage.LogisticRegression(C=np.inf).fit(X, y)


def test_float32_data_get_certified_float64_coefficients():
    """float32 X is read as it is; the coefficients come back in float64, the precision their
    gaps certify (rounded to float32 they would not be)."""
    X, y = make(150, 20, seed=21)
    X32 = X.astype(np.float32)
    a, coefs, intercepts, gaps = shrinkage.logistic_path(X32, y, alphas=10, tol=1e-12)
    assert coefs.dtype == np.float64
    X64 = X32.astype(np.float64)
    for k in range(len(a)):
        assert kkt_violation(X64, y, coefs[:, k], intercepts[k], a[k], 1.0) < 1e-5
    model = shrinkage.LogisticRegression(tol=1e-12).fit(X32, y)
    assert model.coef_.dtype == np.float64 and model.intercept_.dtype == np.float64
