"""shrinkage.path(family="binomial") against R's glmnet on the same data (Debian's
r-cran-glmnet, run by Rscript): coefficients, intercepts and deviance ratios per alpha for the
lasso and the elastic net, observation weights, offsets, no intercept, penalty factors,
bounds and standardize=TRUE, and glmnet's own BinomialExample. shrinkage runs at a relative
gap of 1e-13, glmnet at thresh=1e-24 (its criterion, each coordinate's change of the objective,
at 1e-14 still leaves its optimality conditions violated by ~1e-6 of alpha on these data; at
1e-24, by ~1e-11), and points are compared where glmnet's hold to 1e-8. Skipped only where
Rscript or glmnet is absent (.ci/run installs both)."""

import subprocess

import numpy as np
import pytest
from scipy.special import expit

import shrinkage
from test_glmnet_reference import _glmnet_available

pytestmark = pytest.mark.skipif(not _glmnet_available(), reason="Rscript with glmnet absent")

TIGHT = {"tol": 1e-13, "max_iter": 100_000}

R_SCRIPT = r"""
suppressMessages(library(glmnet))
d <- commandArgs(trailingOnly = TRUE)[1]
path <- function(name) file.path(d, paste0(name, ".txt"))
if (file.exists(path("X"))) {
  X <- as.matrix(read.table(path("X")))
  y <- scan(path("y"), quiet = TRUE)
} else {  # glmnet's own example data, written out for the Python side
  data(BinomialExample)
  X <- BinomialExample$x
  y <- BinomialExample$y
  write(sprintf("%.17g", t(X)), path("X_out"), ncolumns = ncol(X))
  write(y, path("y_out"), ncolumns = 1)
}
o <- read.table(path("options"), header = TRUE)
args <- list(X, y, family = "binomial", alpha = o$l1_ratio,
             standardize = as.logical(o$standardize), intercept = as.logical(o$intercept),
             thresh = 1e-24, maxit = 1e8)
for (name in c("weights", "offset", "lambda"))
  if (file.exists(path(name))) args[[name]] <- scan(path(name), quiet = TRUE)
if (file.exists(path("pf"))) args$penalty.factor <- scan(path("pf"), quiet = TRUE)
if (file.exists(path("lower"))) args$lower.limits <- scan(path("lower"), quiet = TRUE)
if (file.exists(path("upper"))) args$upper.limits <- scan(path("upper"), quiet = TRUE)
fit <- suppressWarnings(do.call(glmnet, args))
beta <- as.matrix(fit$beta)  # row by row: one line per feature
write(sprintf("%.17g", t(beta)), path("beta"), ncolumns = ncol(beta))
write(sprintf("%.17g", fit$a0), path("a0"), ncolumns = 1)
write(sprintf("%.17g", fit$dev.ratio), path("dev"), ncolumns = 1)
write(sprintf("%.17g", fit$lambda), path("lambda_out"), ncolumns = 1)
"""


def run_glmnet(tmp_path, X, y, *, lambdas=None, l1_ratio=1.0, intercept=True,
               standardize=False, weights=None, offset=None, penalty_factor=None, lower=None,
               upper=None):
    """glmnet's binomial fit of (X, y), or of its BinomialExample when X is None (returned
    too, as the Python side reads it)."""
    if X is not None:
        np.savetxt(tmp_path / "X.txt", X, fmt="%.17g")
        np.savetxt(tmp_path / "y.txt", y, fmt="%d")
    for name, values in (("lambda", lambdas), ("weights", weights), ("offset", offset),
                         ("pf", penalty_factor), ("lower", lower), ("upper", upper)):
        if values is not None:
            np.savetxt(tmp_path / f"{name}.txt", np.atleast_1d(values), fmt="%.17g")
    (tmp_path / "options.txt").write_text(
        "l1_ratio intercept standardize\n"
        f"{l1_ratio} {str(intercept).upper()} {str(standardize).upper()}\n")
    (tmp_path / "fit.R").write_text(R_SCRIPT)
    subprocess.run(["Rscript", str(tmp_path / "fit.R"), str(tmp_path)], check=True,
                   capture_output=True, timeout=300)
    out = {name: np.loadtxt(tmp_path / f"{name}.txt", ndmin=1)
           for name in ("a0", "dev", "lambda_out")}
    out["beta"] = np.loadtxt(tmp_path / "beta.txt", ndmin=2)
    if X is None:
        out["X"] = np.loadtxt(tmp_path / "X_out.txt", ndmin=2)
        out["y"] = np.loadtxt(tmp_path / "y_out.txt")
    return out


def kkt_violation(X, y, beta, a0, alpha, l1_ratio, w=None, offset=None, factor=None,
                  lower=None, upper=None):
    """The largest violation of the optimality conditions of glmnet's binomial objective (the
    weighted mean log-loss plus the elastic net), relative to alpha."""
    w = np.ones(len(y)) if w is None else w
    factor = np.ones(len(beta)) if factor is None else factor
    eta = X @ beta + a0 + (0 if offset is None else offset)
    g = X.T @ (w * (y - expit(eta))) / w.sum() - alpha * (1 - l1_ratio) * factor * beta
    l1 = alpha * l1_ratio * factor
    v = np.where(beta != 0, np.abs(g - l1 * np.sign(beta)), np.maximum(np.abs(g) - l1, 0.0))
    for bound, side in ((lower, 1), (upper, -1)):
        if bound is not None:  # at a bound, only a push beyond it is allowed
            held = (beta == bound) & (beta != 0)
            v = np.where(held, np.maximum(side * (g - l1 * np.sign(beta)), 0.0), v)
    return v.max() / alpha


def compare(X, y, ours, ref, l1_ratio, **terms):
    """Per alpha: ours meets its optimality conditions within what its certified gap allows
    (a violation d of coordinate j would let the objective fall by d^2 / (2 h_j), h_j <=
    max_j mean(w x_j^2) / 4 its curvature, so d <= sqrt(2 h gap)); where glmnet's point meets
    them to 1e-8 of alpha, the two agree to 1e-6 relative."""
    assert ref["beta"].shape == ours.coefs.shape
    w = terms.get("w", np.ones(len(y)))
    curvature = max(np.max(w @ X**2) / w.sum(), 1.0) / 4  # 1: the intercept's column
    scale = max(np.abs(ref["beta"]).max(), np.abs(ref["a0"]).max())
    compared = 0
    for k, alpha in enumerate(ours.alphas):
        # The gap is known to its rounding, ~1e-15 of an objective below 1.
        allowed = np.sqrt(2 * curvature * (max(ours.gaps[k], 0.0) + 1e-15))
        assert kkt_violation(X, y, ours.coefs[:, k], ours.intercepts[k], alpha, l1_ratio,
                             **terms) * alpha <= allowed, k
        if kkt_violation(X, y, ref["beta"][:, k], ref["a0"][k], alpha, l1_ratio,
                         **terms) < 1e-8:
            compared += 1
            assert np.abs(ours.coefs[:, k] - ref["beta"][:, k]).max() <= 1e-6 * scale, k
            assert abs(ours.intercepts[k] - ref["a0"][k]) <= 1e-6 * scale, k
    assert compared >= len(ours.alphas) // 2  # a comparison, not a formality
    np.testing.assert_allclose(ours.dev_ratio, ref["dev"], atol=1e-6)


def data(rng, n=150, p=20):
    X = rng.standard_normal((n, p)) * rng.uniform(0.5, 2, p) + rng.uniform(-1, 1, p)
    beta = np.zeros(p)
    beta[:5] = [1.5, -1.0, 0.8, 0.5, -0.4]
    y = (rng.random(n) < expit(X @ beta + 0.3)).astype(float)
    return X, y


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
@pytest.mark.parametrize("case", ["plain", "weights", "offset", "no intercept", "factors",
                                  "bounds", "standardize"])
def test_binomial_path_matches_glmnet(tmp_path, rng, l1_ratio, case):
    X, y = data(rng)
    n, p = X.shape
    ours_args, glmnet_args, terms = {}, {}, {}
    if case == "weights":
        w = rng.uniform(0.2, 3.0, n)
        ours_args["sample_weight"] = glmnet_args["weights"] = terms["w"] = w
    elif case == "offset":
        o = rng.normal(0, 0.5, n)
        ours_args["offset"] = glmnet_args["offset"] = terms["offset"] = o
    elif case == "no intercept":
        ours_args["fit_intercept"] = glmnet_args["intercept"] = False
    elif case == "factors":
        # glmnet rescales its penalty factors to sum to p; these already do.
        f = rng.uniform(0.5, 2.0, p)
        f *= p / f.sum()
        ours_args["penalty_factor"] = glmnet_args["penalty_factor"] = terms["factor"] = f
    elif case == "bounds":
        lower, upper = np.full(p, -0.3), np.full(p, 0.6)
        ours_args.update(lower_bounds=lower, upper_bounds=upper)
        glmnet_args.update(lower=lower, upper=upper)
        terms.update(lower=lower, upper=upper)
    grid = shrinkage.path(X, y, family="binomial", l1_ratio=l1_ratio, alphas=20, eps=1e-2,
                          **ours_args).alphas
    if case == "standardize":
        ours = shrinkage.path(X, y, family="binomial", l1_ratio=l1_ratio, alphas=grid,
                              standardize=True, **TIGHT)
        ref = run_glmnet(tmp_path, X, y, lambdas=grid, l1_ratio=l1_ratio, standardize=True)
        # Standardising penalises the coefficients of unit-variance columns (the population
        # variance, as glmnet), so the conditions are those of other factors: compared whole.
        assert ref["beta"].shape == ours.coefs.shape
        scale = np.abs(ref["beta"]).max()
        np.testing.assert_allclose(ours.coefs, ref["beta"], rtol=0, atol=1e-6 * scale)
        np.testing.assert_allclose(ours.intercepts, ref["a0"], rtol=0, atol=1e-6 * scale)
        np.testing.assert_allclose(ours.dev_ratio, ref["dev"], atol=1e-6)
        return
    ours = shrinkage.path(X, y, family="binomial", l1_ratio=l1_ratio, alphas=grid,
                          **ours_args, **TIGHT)
    ref = run_glmnet(tmp_path, X, y, lambdas=grid, l1_ratio=l1_ratio, **glmnet_args)
    compare(X, y, ours, ref, l1_ratio, **terms)


def test_glmnets_binomial_example_and_its_sequence(tmp_path):
    """glmnet's BinomialExample (100 x 30) on glmnet's own lambda sequence, where glmnet also
    decides how many lambdas to keep (its deviance rules): shrinkage's sequence is the same
    grid and stops at the same alpha."""
    ref = run_glmnet(tmp_path, None, None)
    X, y = ref["X"], ref["y"]
    n, p = X.shape
    # glmnet's default grid: lambda_max down to 1e-2 lambda_max when n < p, else 1e-4.
    eps = 1e-2 if n < p else 1e-4
    ours = shrinkage.path(X, y, family="binomial", eps=eps, tol=1e-13, max_iter=100_000)
    np.testing.assert_allclose(ours.alphas, ref["lambda_out"], rtol=1e-9)
    compare(X, y, ours, ref, 1.0)
