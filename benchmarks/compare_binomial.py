"""The binomial family side by side, measured in one run: L1 logistic regression paths of 100
alphas (eps 1e-2, as glmnet's default for n < p, and for all three here) with an intercept.

For each problem: shrinkage.logistic_path, R's glmnet (family="binomial", timed inside R, at
its default thresh 1e-7 and at 1e-10), skglm's SparseLogisticRegression and scikit-learn's
LogisticRegression(solver="saga") looping over the grid with warm starts, and celer's logreg
path (it fits no intercept: its row solves the problem without one, its gap likewise). Next
to each time: the largest relative duality gap over the path, gap / (2 L_null) (L_null the
null model's mean log-loss, the unit of shrinkage's tol), recomputed here from X and y for
every solver, so a fast time at a loose gap shows as such. One call each.

    python benchmarks/compare_binomial.py             # B1 B2 B3
    python benchmarks/compare_binomial.py B2 --tol 1e-6

B1: 20 000 x 200 dense (rows equicorrelated at 0.5), B2: 200 x 10 000 dense, B3: 20 000 x
50 000 sparse (S1's X: density 1e-3); labels Bernoulli(sigmoid(X beta)) with 20 non-zero
coefficients scaled so that X beta has standard deviation 2
(``shrinkage.datasets.binomial_benchmark_problem``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
import scipy.sparse as sp
from scipy.special import expit, xlogy

import shrinkage
from shrinkage.datasets import binomial_benchmark_problem

PROBLEMS = {"B1": "20 000 x 200 dense", "B2": "200 x 10 000 dense",
            "B3": "20 000 x 50 000 sparse (density 1e-3)"}


def relative_gap(X, y, alphas, coefs, intercepts):
    """The largest duality gap over the path relative to 2 L_null: the dual point is the
    residual (its sum made zero when there is an intercept) scaled into the dual ball."""
    n = len(y)
    fit_intercept = intercepts is not None
    m = y.mean()
    null = -(xlogy(m, m) + xlogy(1 - m, 1 - m)) if fit_intercept else np.log(2)
    worst = 0.0
    for k, alpha in enumerate(alphas):
        w = coefs[:, k]
        eta = np.asarray(X @ w).ravel() + (intercepts[k] if fit_intercept else 0.0)
        primal = np.mean(np.logaddexp(0, eta) - y * eta) + alpha * np.abs(w).sum()
        r = (y - expit(eta)) / n
        if fit_intercept:
            r -= r.mean()
        t = min(1.0, alpha / np.abs(np.asarray(X.T @ r)).max())
        mu = np.clip(y - t * r * n, 0, 1)
        dual = -np.mean(xlogy(mu, mu) + xlogy(1 - mu, 1 - mu))
        worst = max(worst, (primal - dual) / (2 * null))
    return worst


def timed(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        out = fn()
    return time.perf_counter() - start, out


def run_glmnet(X, y, alphas, thresh):
    """R's glmnet on the same grid (standardize=FALSE), timed inside R."""
    with tempfile.TemporaryDirectory() as tmp:
        Xs = sp.csc_matrix(X)
        Xs.indptr.astype(np.int32).tofile(f"{tmp}/p.bin")
        Xs.indices.astype(np.int32).tofile(f"{tmp}/i.bin")
        Xs.data.astype(np.float64).tofile(f"{tmp}/x.bin")
        y.tofile(f"{tmp}/y.bin")
        alphas.tofile(f"{tmp}/l.bin")
        n, p = X.shape
        dense = "" if sp.issparse(X) else "X <- as.matrix(X)"
        script = f"""
suppressMessages({{library(glmnet); library(Matrix)}})
n <- {n}; p <- {p}; nnz <- {Xs.nnz}; K <- {len(alphas)}
X <- sparseMatrix(i = readBin("{tmp}/i.bin", "integer", nnz), index1 = FALSE,
                  p = readBin("{tmp}/p.bin", "integer", p + 1),
                  x = readBin("{tmp}/x.bin", "double", nnz), dims = c(n, p))
{dense}
y <- readBin("{tmp}/y.bin", "double", n)
lam <- readBin("{tmp}/l.bin", "double", K)
t <- system.time(fit <- glmnet(X, y, family = "binomial", lambda = lam, standardize = FALSE,
                               thresh = {thresh}))[["elapsed"]]
writeBin(as.double(as.matrix(fit$beta)), "{tmp}/b.bin")
writeBin(as.double(fit$a0), "{tmp}/a.bin")
cat(t, length(fit$a0), "\\n")
"""
        out = subprocess.run(["Rscript", "-e", script], capture_output=True, text=True,
                             check=True).stdout.split()
        seconds, k = float(out[0]), int(out[1])
        coefs = np.fromfile(f"{tmp}/b.bin").reshape(p, k, order="F")
        intercepts = np.fromfile(f"{tmp}/a.bin")
    return seconds, coefs, intercepts


def warm_loop(make_model, X, y, alphas):
    """An estimator refitted along the grid with warm starts: (coefs, intercepts)."""
    model = make_model(alphas[0])
    coefs, intercepts = np.zeros((X.shape[1], len(alphas))), np.zeros(len(alphas))
    for k, alpha in enumerate(alphas):
        model.set_params(**make_model(alpha).get_params())
        model.fit(X, y)
        coefs[:, k], intercepts[k] = np.ravel(model.coef_), np.ravel(model.intercept_)[0]
    return coefs, intercepts


def compare(name, tol, slow):
    X, y = binomial_benchmark_problem(name)
    n = X.shape[0]
    alphas = shrinkage.logistic_path(X, y, alphas=100, eps=1e-2, tol=1.0)[0]
    rows = []

    def row(label, seconds, coefs, intercepts):
        rows.append((label, seconds, relative_gap(X, y, alphas, coefs, intercepts)))

    t, (_, coefs, intercepts, _) = timed(lambda: shrinkage.logistic_path(X, y, alphas=alphas,
                                                                         tol=tol))
    row("shrinkage", t, coefs, intercepts)
    support = int(np.count_nonzero(coefs[:, -1]))
    if shutil.which("Rscript"):
        for thresh in (1e-7, 1e-10):
            seconds, coefs, intercepts = run_glmnet(X, y, alphas, thresh)
            row(f"glmnet (thresh {thresh:g})", seconds, coefs, intercepts)
    try:
        from skglm import SparseLogisticRegression

        t, (coefs, intercepts) = timed(lambda: warm_loop(
            lambda a: SparseLogisticRegression(alpha=a, fit_intercept=True, tol=tol,
                                               warm_start=True, max_iter=100), X, y, alphas))
        row("skglm (warm-started)", t, coefs, intercepts)
    except ImportError:
        pass
    try:
        from celer import celer_path

        t, out = timed(lambda: celer_path(sp.csc_matrix(X) if sp.issparse(X) else X,
                                          2 * y - 1, "logreg", alphas=alphas * n, tol=tol))
        row("celer (no intercept)", t, out[1], None)
    except ImportError:
        pass
    if slow or name != "B3":
        from sklearn.linear_model import LogisticRegression

        t, (coefs, intercepts) = timed(lambda: warm_loop(
            lambda a: LogisticRegression(C=1 / (a * n), l1_ratio=1.0, solver="saga", tol=tol,
                                         warm_start=True, max_iter=1000), X, y, alphas))
        row("scikit-learn saga (warm-started)", t, coefs, intercepts)
    print(f"\n{name}: {PROBLEMS[name]}, 100 alphas, eps 1e-2, tol {tol:g} "
          f"(support about {support} at the last alpha)")
    print(f"  {'solver':34s} {'seconds':>9s} {'max gap':>9s} {'vs first row':>13s}")
    for label, seconds, gap in rows:
        print(f"  {label:34s} {seconds:9.3f} {gap:9.1e} {seconds / rows[0][1]:12.2f}x")
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("problems", nargs="*", default=list(PROBLEMS))
    parser.add_argument("--tol", type=float, default=1e-4)
    parser.add_argument("--slow", action="store_true",
                        help="scikit-learn's saga on B3 too (minutes)")
    args = parser.parse_args()
    for name in args.problems:
        if name not in PROBLEMS:
            parser.error(f"unknown problem {name!r}; choose from {sorted(PROBLEMS)}")
        compare(name, args.tol, args.slow)


if __name__ == "__main__":
    main()
