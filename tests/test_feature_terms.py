"""glmnet's per-feature controls (penalty factors, exclusion, bounds, standardisation) against
references that need no R: the equivalent plain problem on rescaled columns, and scipy's
bound-constrained L-BFGS-B where the objective is smooth on the box; and their input checks.
R's glmnet itself is compared in test_glmnet_reference.py."""

import numpy as np
import pytest
import scipy.optimize

import shrinkage
from shrinkage.datasets import make_correlated_regression

TIGHT = {"tol": 1e-13, "max_iter": 100_000}


@pytest.fixture
def data():
    X, y = make_correlated_regression(80, 12, rho=0.6, random_state=7)
    return X, y


def test_lasso_penalty_factors_are_a_rescaling_of_the_columns(data):
    """With l1 only, alpha v_j |w_j| is the plain lasso on the columns X_j / v_j, whose
    coefficients are v_j w_j: an independent reference for the weighted solver."""
    X, y = data
    v = np.random.default_rng(0).uniform(0.5, 2.0, X.shape[1])
    alphas = shrinkage.lasso_path(X, y, alphas=15)[0]
    _, weighted, gaps = shrinkage.lasso_path(X, y, alphas=alphas, penalty_factor=v, **TIGHT)
    _, plain, _ = shrinkage.lasso_path(X / v, y, alphas=alphas, **TIGHT)
    scale = np.abs(plain).max()
    assert np.abs(weighted * v[:, None] - plain).max() <= 1e-9 * scale
    assert (gaps <= 1e-13 * (y @ y) / len(y)).all()


def test_standardize_is_the_plain_problem_on_standardised_columns(data):
    X, y = data
    X = X * np.linspace(0.2, 5.0, X.shape[1])  # columns of very different scales
    fit = shrinkage.path(X, y, l1_ratio=0.5, alphas=12, standardize=True, **TIGHT)
    sd = X.std(axis=0)
    plain = shrinkage.path(X / sd, y, l1_ratio=0.5, alphas=fit.alphas, **TIGHT)
    scale = np.abs(plain.coefs).max()
    assert np.abs(fit.coefs * sd[:, None] - plain.coefs).max() <= 1e-9 * scale
    assert np.abs(fit.intercepts - plain.intercepts).max() <= 1e-9 * scale


@pytest.mark.parametrize("l1_ratio", [1.0, 0.3])
def test_box_constrained_fit_matches_l_bfgs_b(data, l1_ratio):
    """With 0 <= w <= 0.2 the objective is smooth on the box (|w| = w there): scipy's
    L-BFGS-B at a tight tolerance is the reference. Feature 0 is unpenalised with only its
    lower bound (w_0 >= 0), so it is projected out of the dual point while it is free and not
    once it rests on 0."""
    X, y = data
    n, p = X.shape
    alpha = 0.05
    factor = np.ones(p)
    factor[0] = 0.0
    upper = np.full(p, 0.2)
    upper[0] = np.inf
    ours = shrinkage.ElasticNet(alpha=alpha, l1_ratio=l1_ratio, fit_intercept=False,
                                penalty_factor=factor, lower_bounds=0.0, upper_bounds=upper,
                                tol=1e-14).fit(X, y)

    def objective(w):
        r = y - X @ w
        value = r @ r / (2 * n) + alpha * (l1_ratio * factor @ w
                                           + (1 - l1_ratio) / 2 * factor @ (w * w))
        grad = -X.T @ r / n + alpha * factor * (l1_ratio + (1 - l1_ratio) * w)
        return value, grad

    ref = scipy.optimize.minimize(objective, np.zeros(p), jac=True, method="L-BFGS-B",
                                  bounds=[(0.0, None)] + [(0.0, 0.2)] * (p - 1),
                                  options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10_000})
    assert np.abs(ours.coef_ - ref.x).max() < 1e-6
    assert objective(ours.coef_)[0] <= ref.fun + 1e-12
    assert ((ours.coef_ >= 0) & (ours.coef_ <= upper)).all()
    assert (ours.coef_ == 0.2).any()  # the box binds
    assert ours.dual_gap_ <= 1e-14 * (y @ y) / n


def test_unpenalised_features_are_fitted_from_alpha_max(data):
    X, y = data
    v = np.ones(X.shape[1])
    v[[0, 5]] = 0
    fit = shrinkage.path(X, y, alphas=10, penalty_factor=v, **TIGHT)
    first = fit.coefs[:, 0]
    assert (first[[0, 5]] != 0).all()
    assert np.abs(np.delete(first, [0, 5])).max() < 1e-12
    # at alpha_max the unpenalised part is the least-squares fit on those two columns
    Xc, yc = X[:, [0, 5]] - X[:, [0, 5]].mean(0), y - y.mean()
    assert np.allclose(first[[0, 5]], np.linalg.lstsq(Xc, yc, rcond=None)[0], rtol=1e-9)
    assert (fit.coefs[:, 1] != 0).sum() > 2  # below alpha_max penalised features enter
    assert (fit.gaps <= 1e-13 * fit.null_deviance / X.shape[0]).all()


def test_excluded_features_stay_zero(data):
    X, y = data
    factor = np.ones(X.shape[1])
    factor[3] = np.inf
    fit = shrinkage.path(X, y, alphas=10, eps=1e-4, exclude=[1], penalty_factor=factor)
    assert (fit.coefs[[1, 3]] == 0).all()
    assert (fit.coefs[:, -1] != 0).sum() >= X.shape[1] - 2


def test_multi_target_estimator_takes_the_controls(data):
    X, y = data
    Y = np.c_[y, -0.5 * y]
    model = shrinkage.ElasticNet(alpha=0.05, lower_bounds=-0.3, upper_bounds=0.3).fit(X, Y)
    assert model.coef_.shape == (2, X.shape[1])
    assert (np.abs(model.coef_) <= 0.3).all()
    single = shrinkage.ElasticNet(alpha=0.05, lower_bounds=-0.3, upper_bounds=0.3).fit(X, Y[:, 1])
    assert np.allclose(model.coef_[1], single.coef_, atol=1e-8)


@pytest.mark.parametrize("kwargs, message", [
    ({"penalty_factor": -np.ones(12)}, "penalty_factor must be >= 0"),
    ({"penalty_factor": np.full(12, np.nan)}, "penalty_factor must be >= 0"),
    ({"penalty_factor": np.ones(5)}, "one factor per feature"),
    ({"penalty_factor": np.zeros(12)}, "All penalty factors are 0"),
    ({"lower_bounds": 0.5}, "must contain 0"),
    ({"upper_bounds": -1.0}, "must contain 0"),
    ({"upper_bounds": np.ones(3)}, "expected a scalar or"),
    ({"lower_bounds": np.nan}, "contains NaN"),
    ({"exclude": [40]}, "outside"),
])
def test_bad_controls_raise_clearly(data, kwargs, message):
    X, y = data
    with pytest.raises(ValueError, match=message):
        shrinkage.enet_path(X, y, alphas=5, **kwargs)


def test_controls_refused_where_undefined(data):
    X, y = data
    with pytest.raises(ValueError, match="multi-task path takes none"):
        shrinkage.enet_path(X, np.c_[y, y], alphas=5, standardize=True)
