"""shrinkage.path against R's glmnet (Debian's r-cran-glmnet, run by Rscript on the same data):
coefficients and intercepts per alpha for the lasso and the elastic net with and without an
intercept, observation weights, dfmax, pmax, relax=TRUE, penalty.factor (with zeros), exclude,
lower/upper.limits and standardize=TRUE, on tall, wide, correlated and sparse data. shrinkage runs at a relative gap of 1e-13 and glmnet at thresh=1e-24: its
threshold bounds each coordinate's change of the objective, so 1e-14 still leaves ~1e-7 in its
KKT residual (and 1e-6 in its coefficients) on ill-conditioned wide data, where 1e-24 leaves
~1e-12 in a few seconds. Skipped only where Rscript or the glmnet package is absent (.ci/run
installs both)."""

import shutil
import subprocess

import numpy as np
import pytest
import scipy.sparse as sp

import shrinkage
from shrinkage.datasets import make_correlated_regression


def _glmnet_available():
    if shutil.which("Rscript") is None:
        return False
    return subprocess.run(["Rscript", "-e", "library(glmnet)"], capture_output=True).returncode == 0


pytestmark = pytest.mark.skipif(not _glmnet_available(), reason="Rscript with glmnet absent")

TIGHT = {"tol": 1e-13, "max_iter": 100_000}

# The scripts' common start: the data, from the directory given as their argument.
R_READ = r"""
suppressMessages(library(glmnet))
d <- commandArgs(trailingOnly = TRUE)[1]
X <- as.matrix(read.table(file.path(d, "X.txt")))
y <- scan(file.path(d, "y.txt"), quiet = TRUE)
"""

R_SCRIPT = R_READ + r"""
w <- scan(file.path(d, "w.txt"), quiet = TRUE)
o <- read.table(file.path(d, "options.txt"), header = TRUE)
args <- list(X, y, weights = w, alpha = o$l1_ratio, standardize = as.logical(o$standardize),
             intercept = as.logical(o$intercept), thresh = 1e-24, maxit = 1e8)
optional <- function(name) file.path(d, paste0(name, ".txt"))
if (file.exists(optional("pf"))) args$penalty.factor <- scan(optional("pf"), quiet = TRUE)
if (file.exists(optional("exclude"))) args$exclude <- scan(optional("exclude"), quiet = TRUE)
if (file.exists(optional("lower"))) args$lower.limits <- scan(optional("lower"), quiet = TRUE)
if (file.exists(optional("upper"))) args$upper.limits <- scan(optional("upper"), quiet = TRUE)
if (file.exists(file.path(d, "lambda.txt")))
  args$lambda <- scan(file.path(d, "lambda.txt"), quiet = TRUE)
if (o$dfmax >= 0) args$dfmax <- o$dfmax
if (o$pmax >= 0) args$pmax <- o$pmax
if (as.logical(o$relax)) args$relax <- TRUE
fit <- suppressWarnings(do.call(glmnet, args))
save <- function(m, name) {  # row by row, every digit
  m <- as.matrix(m)
  write(sprintf("%.17g", t(m)), file.path(d, name), ncolumns = max(ncol(m), 1))
}
save(fit$beta, "beta.txt")
write(sprintf("%.17g", fit$a0), file.path(d, "a0.txt"), ncolumns = 1)
write(sprintf("%.17g", fit$dev.ratio), file.path(d, "dev.txt"), ncolumns = 1)
write(sprintf("%.17g", fit$lambda), file.path(d, "lambda_out.txt"), ncolumns = 1)
if (as.logical(o$relax)) {
  save(fit$relaxed$beta, "rbeta.txt")
  write(sprintf("%.17g", fit$relaxed$a0), file.path(d, "ra0.txt"), ncolumns = 1)
}
"""


def run_glmnet(tmp_path, X, y, w, lambdas, *, l1_ratio=1.0, intercept=True, dfmax=-1, pmax=-1,
               relax=False, standardize=False, penalty_factor=None, exclude=None, lower=None,
               upper=None):
    X = X.toarray() if sp.issparse(X) else X
    np.savetxt(tmp_path / "X.txt", X, fmt="%.17g")
    # exclude: R's indices start at 1; absent files: glmnet's defaults (lambda: its sequence)
    files = (("y", y), ("w", w), ("lambda", lambdas), ("pf", penalty_factor),
             ("exclude", None if exclude is None else np.asarray(exclude) + 1),
             ("lower", lower), ("upper", upper))
    for name, values in files:
        path = tmp_path / f"{name}.txt"
        path.unlink(missing_ok=True)
        if values is not None:
            np.savetxt(path, np.atleast_1d(values), fmt="%.17g")
    (tmp_path / "options.txt").write_text(
        "l1_ratio intercept dfmax pmax relax standardize\n"
        f"{l1_ratio} {str(intercept).upper()} {dfmax} {pmax} {str(relax).upper()} "
        f"{str(standardize).upper()}\n")
    script = tmp_path / "fit.R"
    script.write_text(R_SCRIPT)
    subprocess.run(["Rscript", str(script), str(tmp_path)], check=True, capture_output=True,
                   timeout=300)
    out = {"beta": np.loadtxt(tmp_path / "beta.txt", ndmin=2),
           "a0": np.loadtxt(tmp_path / "a0.txt", ndmin=1),
           "dev": np.loadtxt(tmp_path / "dev.txt", ndmin=1),
           "lambda": np.loadtxt(tmp_path / "lambda_out.txt", ndmin=1)}
    if relax:
        out["rbeta"] = np.loadtxt(tmp_path / "rbeta.txt", ndmin=2)
        out["ra0"] = np.loadtxt(tmp_path / "ra0.txt", ndmin=1)
    return out


def rel_diff(a, b):
    return np.abs(np.asarray(a) - b).max() / max(np.abs(b).max(), 1e-300)


def unit_scale(y, w, intercept):
    """y scaled to unit weighted standard deviation (about its mean with an intercept, about 0
    without): glmnet standardises y internally for the Gaussian family, which changes its
    elastic-net solution at a given lambda; on such y (its documented advice for comparisons)
    lambda means what it means here."""
    centre = np.average(y, weights=w) if intercept else 0.0
    return y / np.sqrt(np.average((y - centre) ** 2, weights=w))


def kkt_violation(X, y, w, beta, a0, alpha, l1_ratio):
    """The largest violation of the optimality conditions of the weighted elastic net, relative
    to alpha: |g_j - l1 sign(beta_j)| on the support, (|g_j| - l1)_+ off it, with
    g = X^T W r / sum(w) - l2 beta."""
    Xd = X.toarray() if sp.issparse(X) else X
    r = y - Xd @ beta - a0
    g = Xd.T @ (w * r) / w.sum() - alpha * (1 - l1_ratio) * beta
    l1 = alpha * l1_ratio
    v = np.where(beta != 0, np.abs(g - l1 * np.sign(beta)), np.maximum(np.abs(g) - l1, 0.0))
    return v.max() / alpha


def assert_agrees_where_glmnet_converged(X, y, w, ours_beta, ours_a0, ref_beta, ref_a0, alphas,
                                         l1_ratio):
    """Per alpha: shrinkage's point satisfies the optimality conditions to rounding; where
    glmnet's does too (to 1e-9 of alpha) the two agree to 1e-6 relative. glmnet's coordinate
    descent stops on the change of its objective, so an unconverged point is no reference."""
    compared = 0
    scale = max(np.abs(ref_beta).max(), np.abs(ref_a0).max())
    for k, alpha in enumerate(alphas):
        assert kkt_violation(X, y, w, ours_beta[:, k], ours_a0[k], alpha, l1_ratio) < 1e-9
        if kkt_violation(X, y, w, ref_beta[:, k], ref_a0[k], alpha, l1_ratio) < 1e-9:
            compared += 1
            assert np.abs(ours_beta[:, k] - ref_beta[:, k]).max() <= 1e-6 * scale, k
            assert abs(ours_a0[k] - ref_a0[k]) <= 1e-6 * scale, k
    assert compared >= len(alphas) // 2  # a comparison, not a formality


def dataset(kind, rng):
    if kind == "tall":
        X, _ = make_correlated_regression(120, 15, rho=0.3, random_state=1)
    elif kind == "wide":
        X, _ = make_correlated_regression(40, 90, rho=0.3, random_state=2)
    elif kind == "correlated":
        X, _ = make_correlated_regression(100, 25, rho=0.9, random_state=3)
    else:  # sparse, with an offset so that centring matters
        X = sp.random(150, 30, density=0.2, random_state=4, format="csc") * 3
    Xd = X.toarray() if sp.issparse(X) else X
    beta = np.zeros(Xd.shape[1])
    beta[:6] = [2.0, -1.5, 1.0, 0.8, -0.5, 0.3]
    y = Xd @ beta + 4.0 + 0.5 * rng.standard_normal(Xd.shape[0])
    return X, y


@pytest.mark.parametrize("kind", ["tall", "wide", "correlated", "sparse"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("intercept", [True, False])
def test_path_matches_glmnet(tmp_path, rng, kind, l1_ratio, weighted, intercept):
    X, y = dataset(kind, rng)
    n = X.shape[0]
    w = rng.uniform(0.2, 3.0, n) if weighted else np.ones(n)
    y = unit_scale(y, w, intercept)
    grid = shrinkage.path(X, y, l1_ratio=l1_ratio, sample_weight=w, fit_intercept=intercept,
                          alphas=30, eps=1e-2).alphas
    ours = shrinkage.path(X, y, l1_ratio=l1_ratio, sample_weight=w, fit_intercept=intercept,
                          alphas=grid, **TIGHT)
    ref = run_glmnet(tmp_path, X, y, w, grid, l1_ratio=l1_ratio, intercept=intercept)
    assert ref["beta"].shape == ours.coefs.shape
    assert_agrees_where_glmnet_converged(X, y, w, ours.coefs, ours.intercepts, ref["beta"],
                                         ref["a0"], grid, l1_ratio)
    assert np.abs(ours.dev_ratio - ref["dev"]).max() < 1e-6


@pytest.mark.parametrize("kind", ["tall", "wide"])
def test_dfmax_and_pmax_stop_where_glmnet_stops(tmp_path, rng, kind):
    X, y = dataset(kind, rng)
    w = np.ones(X.shape[0])
    y = unit_scale(y, w, True)
    p = X.shape[1]
    # glmnet checks dfmax only on its own lambda sequence, and its dfmax also sets
    # pmax = min(2 dfmax + 20, p); pmax it checks on any sequence.
    # glmnet's own sequence (which dfmax does not change), run in full by shrinkage:
    own = run_glmnet(tmp_path, X, y, w, None)["lambda"]
    cases = [(None, {"dfmax": 3}, {"dfmax": 3, "pmax": min(2 * 3 + 20, p)}),
             (shrinkage.path(X, y, alphas=40, eps=1e-3).alphas[1:], {"pmax": 4}, {"pmax": 4})]
    for grid, glmnet_limits, our_limits in cases:
        ref = run_glmnet(tmp_path, X, y, w, grid, dfmax=glmnet_limits.get("dfmax", -1),
                         pmax=glmnet_limits.get("pmax", -1))
        with pytest.warns(UserWarning, match="The path stopped after"):
            ours = shrinkage.path(X, y, alphas=own if grid is None else grid, **our_limits,
                                  **TIGHT)
        assert ours.coefs.shape == ref["beta"].shape, our_limits
        assert_agrees_where_glmnet_converged(X, y, w, ours.coefs, ours.intercepts, ref["beta"],
                                             ref["a0"], ours.alphas, 1.0)


@pytest.mark.parametrize("kind", ["tall", "correlated", "wide"])
def test_relaxed_lasso_matches_glmnet(tmp_path, rng, kind):
    X, y = dataset(kind, rng)
    w = rng.uniform(0.5, 2.0, X.shape[0])
    # Below alpha_max: at alpha_max itself glmnet keeps a coefficient of rounding size, whose
    # relaxed refit is a whole least-squares fit.
    grid = shrinkage.path(X, y, sample_weight=w, alphas=21, eps=1e-2).alphas[1:]
    ours = shrinkage.path(X, y, sample_weight=w, alphas=grid, relax=True, **TIGHT)
    ref = run_glmnet(tmp_path, X, y, w, grid, relax=True)
    # glmnet refits each support with its own coordinate descent at thresh 1e-14; the
    # relaxed fit is unique where the support is smaller than n (here, every support).
    assert (ours.df < X.shape[0] - 1).all()
    assert rel_diff(ours.relaxed_coefs, ref["rbeta"]) < 1e-6
    assert rel_diff(ours.relaxed_intercepts, ref["ra0"]) < 1e-6
    # gamma blends the two fits linearly, as glmnet's predict(..., gamma=).
    intercept, coef = ours.coef(grid[5], gamma=0.25)
    expected = 0.25 * ours.coefs[:, 5] + 0.75 * ours.relaxed_coefs[:, 5]
    np.testing.assert_allclose(coef, expected, rtol=1e-12, atol=1e-14)
    expected = 0.25 * ours.intercepts[5] + 0.75 * ours.relaxed_intercepts[5]
    assert intercept == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("kind", ["tall", "correlated", "wide"])
def test_relaxed_lasso_with_feature_terms_matches_glmnet(tmp_path, rng, kind):
    """relax=TRUE with penalty.factor (zeros among them), standardize=TRUE and limits: glmnet
    refits each support at lambda 0 with its limits, so the relaxed fit is the least-squares
    one within the bounds (the bounds bind on some supports here)."""
    X, y = dataset(kind, rng)
    n, p = X.shape
    w = rng.uniform(0.5, 2.0, n)
    y = unit_scale(y, w, True)
    factor = rng.uniform(0.5, 2.0, p)
    factor[[2, p - 3]] = 0.0
    controls = {"penalty_factor": factor, "lower_bounds": -0.4, "upper_bounds": 0.6,
                "standardize": True, "rescale_penalty_factor": True}
    # down to supports well below n (glmnet leaves supports above n - 3 unrelaxed)
    grid = shrinkage.path(X, y, sample_weight=w, alphas=21, eps=5e-2, **controls).alphas[1:]
    ours = shrinkage.path(X, y, sample_weight=w, alphas=grid, relax=True, **controls, **TIGHT)
    ref = run_glmnet(tmp_path, X, y, w, grid, relax=True, penalty_factor=factor,
                     lower=np.full(p, -0.4), upper=np.full(p, 0.6), standardize=True)
    assert (ours.df < n - 1).all()
    relaxed = ours.relaxed_coefs
    assert (relaxed >= -0.4).all() and (relaxed <= 0.6).all()
    assert ((relaxed == -0.4) | (relaxed == 0.6)).any()  # a bound binds: not a plain refit
    assert rel_diff(ours.coefs, ref["beta"]) < 1e-6
    assert rel_diff(relaxed, ref["rbeta"]) < 1e-6
    assert rel_diff(ours.relaxed_intercepts, ref["ra0"]) < 1e-6


CV_SCRIPT = R_READ + r"""
lam <- scan(file.path(d, "lambda.txt"), quiet = TRUE)
foldid <- scan(file.path(d, "foldid.txt"), quiet = TRUE)
args <- list(X, y, lambda = lam, foldid = foldid, standardize = FALSE, thresh = 1e-24,
             maxit = 1e8)
optional <- function(name) file.path(d, paste0(name, ".txt"))
if (file.exists(optional("pf"))) args$penalty.factor <- scan(optional("pf"), quiet = TRUE)
if (file.exists(optional("upper"))) args$upper.limits <- scan(optional("upper"), quiet = TRUE)
if (file.exists(optional("lower"))) args$lower.limits <- scan(optional("lower"), quiet = TRUE)
if (file.exists(optional("standardize"))) args$standardize <- TRUE
if (file.exists(optional("gamma"))) {
  args$relax <- TRUE
  args$gamma <- scan(optional("gamma"), quiet = TRUE)
}
fit <- do.call(cv.glmnet, args)
write(sprintf("%.17g", c(fit$lambda.min, fit$lambda.1se)), file.path(d, "chosen.txt"))
write(sprintf("%.17g", fit$cvm), file.path(d, "cvm.txt"), ncolumns = 1)
if (!is.null(fit$relaxed)) {
  r <- fit$relaxed
  write(sprintf("%.17g", c(r$lambda.min, r$gamma.min, r$lambda.1se, r$gamma.1se)),
        file.path(d, "relaxed_chosen.txt"))
  write(sprintf("%.17g", sapply(r$statlist, function(g) g$cvm)), file.path(d, "relaxed_cvm.txt"),
        ncolumns = 1)
}
"""


def run_cv_glmnet(tmp_path, X, y, files):
    """cv.glmnet on X, y and the optional inputs ``files`` (name: values); its outputs."""
    np.savetxt(tmp_path / "X.txt", X, fmt="%.17g")
    for name, values in {"y": y, **files}.items():
        np.savetxt(tmp_path / f"{name}.txt", np.atleast_1d(values), fmt="%.17g")
    (tmp_path / "cv.R").write_text(CV_SCRIPT)
    subprocess.run(["Rscript", str(tmp_path / "cv.R"), str(tmp_path)], check=True,
                   capture_output=True, timeout=300)
    out = {"chosen": np.loadtxt(tmp_path / "chosen.txt"), "cvm": np.loadtxt(tmp_path / "cvm.txt")}
    if "gamma" in files:
        out["relaxed_chosen"] = np.loadtxt(tmp_path / "relaxed_chosen.txt")
        out["relaxed_cvm"] = np.loadtxt(tmp_path / "relaxed_cvm.txt")
    return out


def fold_ids(n, folds):
    from sklearn.model_selection import KFold

    foldid = np.empty(n, dtype=int)
    for f, (_, test) in enumerate(KFold(folds).split(np.empty((n, 1)))):
        foldid[test] = f + 1
    return foldid


@pytest.mark.parametrize("kind", ["tall", "correlated"])
def test_one_standard_error_rule_matches_cv_glmnet(tmp_path, rng, kind):
    from sklearn.model_selection import KFold

    X, y = dataset(kind, rng)
    n = X.shape[0]
    folds = 4
    grid = shrinkage.path(X, y, alphas=40, eps=1e-3).alphas[1:]
    ref = run_cv_glmnet(tmp_path, X, y, {"lambda": grid, "foldid": fold_ids(n, folds)})
    (alpha_min, alpha_1se), cvm = ref["chosen"], ref["cvm"]
    ours = shrinkage.LassoCV(alphas=grid, cv=KFold(folds), **TIGHT).fit(X, y)
    np.testing.assert_allclose(ours.mse_path_.mean(axis=1), cvm, rtol=1e-6)
    assert ours.alpha_min_ == pytest.approx(alpha_min, rel=1e-12)
    assert ours.alpha_1se_ == pytest.approx(alpha_1se, rel=1e-12)
    assert ours.alpha_1se_ > ours.alpha_min_
    assert ours.alpha_ == ours.alpha_min_
    sparse = shrinkage.LassoCV(alphas=grid, cv=KFold(folds), alpha_rule="1se", **TIGHT).fit(X, y)
    assert sparse.alpha_ == sparse.alpha_1se_
    assert np.count_nonzero(sparse.coef_) <= np.count_nonzero(ours.coef_)


def feature_term_cases(p, rng):
    """glmnet's per-feature controls, alone and combined: (glmnet's arguments, ours)."""
    factor = rng.uniform(0.5, 2.0, p)
    factor[[2, p - 3]] = 0.0  # unpenalised features: in the model from alpha_max on
    glmnet_cases = [{"penalty_factor": factor}, {"exclude": [0, 3]},
                    {"lower": -0.5, "upper": 0.5}, {"standardize": True},
                    {"penalty_factor": factor, "lower": np.full(p, -0.5),
                     "upper": np.full(p, 0.5)},
                    {"standardize": True, "penalty_factor": factor, "lower": -0.5,
                     "upper": 0.5},
                    # unpenalised features bounded on one side: >= 0 everywhere, then with
                    # one capped above only and the rest bounded below
                    {"penalty_factor": factor, "lower": np.zeros(p)},
                    {"penalty_factor": factor, "lower": np.full(p, -0.4),
                     "upper": np.where(np.arange(p) == p - 3, 0.3, np.inf)}]
    for case in glmnet_cases:
        ours = {"penalty_factor": case.get("penalty_factor"), "exclude": case.get("exclude"),
                "lower_bounds": case.get("lower"), "upper_bounds": case.get("upper"),
                "standardize": case.get("standardize", False), "rescale_penalty_factor": True}
        yield case, ours


@pytest.mark.parametrize("kind", ["tall", "wide", "correlated", "sparse"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_feature_terms_match_glmnet(tmp_path, rng, kind, l1_ratio):
    """penalty.factor (with zeros, also bounded on one side), exclude, lower/upper.limits and
    standardize=TRUE, with an intercept and weights: glmnet converges on all of these (its coefficients then agree with
    ours to ~1e-9), so every alpha is compared, to 1e-6 relative."""
    X, y = dataset(kind, rng)
    n, p = X.shape
    w = rng.uniform(0.5, 2.0, n)
    y = unit_scale(y, w, True)
    for theirs, ours_terms in feature_term_cases(p, rng):
        grid = shrinkage.path(X, y, l1_ratio=l1_ratio, sample_weight=w, alphas=20, eps=1e-2,
                              **ours_terms).alphas
        ours = shrinkage.path(X, y, l1_ratio=l1_ratio, sample_weight=w, alphas=grid,
                              **ours_terms, **TIGHT)
        ref = run_glmnet(tmp_path, X, y, w, grid, l1_ratio=l1_ratio, **theirs)
        scale = np.abs(ref["beta"]).max()
        assert np.abs(ours.coefs - ref["beta"]).max() <= 1e-6 * scale, list(theirs)
        assert np.abs(ours.intercepts - ref["a0"]).max() <= 1e-6 * scale, list(theirs)
        assert (ours.gaps <= TIGHT["tol"] * ours.null_deviance / w.sum()).all()
        lower, upper = ours_terms["lower_bounds"], ours_terms["upper_bounds"]
        if lower is not None:
            assert (ours.coefs >= np.broadcast_to(lower, (p,))[:, None]).all()
        if upper is not None:
            assert (ours.coefs <= np.broadcast_to(upper, (p,))[:, None]).all()
        if ours_terms["exclude"] is not None:
            assert (ours.coefs[ours_terms["exclude"]] == 0).all()
        if ours_terms["penalty_factor"] is not None and lower is None:
            # the unpenalised features are non-zero from the first alpha, which zeroes the rest
            # (to rounding: alpha_max comes from the unpenalised fit, one feature at its edge)
            free = ours_terms["penalty_factor"] == 0
            assert (ours.coefs[free, 0] != 0).all()
            assert np.abs(ours.coefs[~free, 0]).max() <= 1e-12 * scale


@pytest.mark.parametrize("kind", ["tall", "correlated"])
def test_cv_with_feature_terms_matches_cv_glmnet(tmp_path, rng, kind):
    """cv.glmnet with penalty.factor (a zero among them), limits and standardize=TRUE on the
    same folds: the mean fold errors and both chosen lambdas (standardising each fold by its
    own columns' scales, as cv.glmnet does)."""
    from sklearn.model_selection import KFold

    X, y = dataset(kind, rng)
    n, p = X.shape
    y = unit_scale(y, np.ones(n), True)
    factor = rng.uniform(0.5, 2.0, p)
    factor[1] = 0.0
    factor *= p / factor.sum()  # glmnet's scale, so the same lambdas mean the same problem
    controls = {"penalty_factor": factor, "lower_bounds": -0.6, "upper_bounds": 0.6,
                "standardize": True}
    grid = shrinkage.path(X, y, alphas=30, eps=1e-2, **controls).alphas[1:]
    ref = run_cv_glmnet(tmp_path, X, y, {"lambda": grid, "foldid": fold_ids(n, 4), "pf": factor,
                                         "lower": np.full(p, -0.6), "upper": np.full(p, 0.6),
                                         "standardize": 1})
    (alpha_min, alpha_1se), cvm = ref["chosen"], ref["cvm"]
    ours = shrinkage.LassoCV(alphas=grid, cv=KFold(4), **controls, **TIGHT).fit(X, y)
    np.testing.assert_allclose(ours.mse_path_.mean(axis=1), cvm, rtol=1e-6)
    assert ours.alpha_min_ == pytest.approx(alpha_min, rel=1e-12)
    assert ours.alpha_1se_ == pytest.approx(alpha_1se, rel=1e-12)
    assert (np.abs(ours.coef_) <= 0.6).all()
    assert ours.coef_[1] != 0  # unpenalised


@pytest.mark.parametrize("kind", ["tall", "correlated"])
@pytest.mark.parametrize("bounded", [False, True])
def test_relaxed_cv_matches_cv_glmnet(tmp_path, rng, kind, bounded):
    """cv.glmnet(relax=TRUE) on the same folds and lambdas: the mean fold error at every
    (gamma, lambda), and glmnet's relaxed lambda.min / gamma.min / lambda.1se / gamma.1se;
    with penalty factors (a zero) and limits too."""
    from sklearn.model_selection import KFold

    X, y = dataset(kind, rng)
    n, p = X.shape
    y = unit_scale(y, np.ones(n), True)
    gammas = np.array([0.0, 0.25, 0.5, 0.75, 1.0])
    controls, files = {}, {}
    if bounded:
        factor = rng.uniform(0.5, 2.0, p)
        factor[1] = 0.0
        factor *= p / factor.sum()
        controls = {"penalty_factor": factor, "lower_bounds": -0.6, "upper_bounds": 1.2}
        files = {"pf": factor, "lower": np.full(p, -0.6), "upper": np.full(p, 1.2)}
    grid = shrinkage.path(X, y, alphas=30, eps=1e-2, **controls).alphas[1:]
    ref = run_cv_glmnet(tmp_path, X, y, {"lambda": grid, "foldid": fold_ids(n, 4),
                                         "gamma": gammas, **files})
    # glmnet blends at max(gamma, 1e-5) (blend.relaxed's epsilon), so its gamma 0 is ours 1e-5
    ours = shrinkage.LassoCV(alphas=grid, cv=KFold(4), relax=True, gammas=np.r_[1e-5, gammas[1:]],
                             **controls, **TIGHT).fit(X, y)
    assert ours.relaxed_mse_path_.shape == (5, grid.size, 4)
    np.testing.assert_allclose(ours.relaxed_mse_path_.mean(axis=2).ravel(), ref["relaxed_cvm"],
                               rtol=1e-6)
    np.testing.assert_array_equal(ours.relaxed_mse_path_[-1], ours.mse_path_)
    alpha_min, gamma_min, alpha_1se, gamma_1se = ref["relaxed_chosen"]
    assert ours.alpha_min_ == pytest.approx(alpha_min, rel=1e-12)
    assert max(ours.gamma_min_, 1e-5) == max(gamma_min, 1e-5)
    assert ours.alpha_1se_ == pytest.approx(alpha_1se, rel=1e-12)
    assert max(ours.gamma_1se_, 1e-5) == max(gamma_1se, 1e-5)
    assert ours.gamma_min_ < 1  # the relaxed fit wins somewhere: a comparison, not a formality
    # the refit: the same blend of the penalised and the relaxed fit on all the data
    whole = shrinkage.path(X, y, alphas=[ours.alpha_], relax=True, **controls, **TIGHT)
    intercept, coef = whole.coef(ours.alpha_, gamma=ours.gamma_)
    np.testing.assert_allclose(ours.coef_, coef, rtol=1e-9, atol=1e-12)
    assert ours.intercept_ == pytest.approx(intercept, rel=1e-9)
