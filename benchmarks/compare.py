"""Side-by-side comparison on the problems of docs/design.md §6, measured in one run.

For each problem: the Gram floor (numpy ``X.T @ X``), shrinkage, scikit-learn (precompute True
and/or False where it finishes in reasonable time), celer (if installed) and R's glmnet (if
``Rscript`` with the glmnet package is installed; timed inside R, covariance and naive modes)
on the same data and the same 100-alpha grid. Next to each time: the largest relative duality
gap over the path, gap / P(0) with P(0) = ||y||^2 / (2n), recomputed here from X and y for every
solver, so a fast time at a loose gap is visible as such. Times: after a pause, the best of
consecutive calls (at least --repeat of them and 0.5 s; one call on problems of 1e7 entries and
more) and, beside it, the first call, a cold start; glmnet is one call timed inside R.

    python benchmarks/compare.py                 # all five problems
    python benchmarks/compare.py T1 W2 --repeat 5
    python benchmarks/compare.py --cv T2 W1      # LassoCV(cv=5) and RidgeCV instead of paths
    python benchmarks/compare.py S1 S2           # sparse random data (100 alphas, eps 1e-2)
    python benchmarks/compare.py D1 D2 D3 D4     # TF-IDF-like data (eps 1e-3); --enet, --cv too
    python benchmarks/compare.py --shape 2000 5000 --rho 0.8 --seed 1   # any dense draw
    python benchmarks/compare.py --loaded T1 W1  # with one core kept busy
    python benchmarks/compare.py --controls T1 T3 W1   # glmnet's per-feature controls
    python benchmarks/compare.py --tight T1 T3 W1      # tol 1e-8 and 1e-10
    python benchmarks/compare.py --threads T2 W1       # BLAS thread scaling
    python benchmarks/compare.py --enet T1 T3 W1       # enet_path(l1_ratio=0.5) vs lasso_path
    python benchmarks/compare.py M1                    # multi-task (3 targets) vs single target

With ``--controls``: penalty factors drawn in [0.5, 2] (three of them 0: unpenalised) and
bounds [-0.5, 0.5], shrinkage beside its own plain path and beside glmnet with the same
penalty.factor and limits; accuracy as the largest suboptimality over the path,
(P(w) - P(w*)) / P(0), against a shrinkage path at tol=1e-12 (certified by its gap); shrinkage
also at a hundredth of ``--tol``.

With ``--tight``: shrinkage at tol 1e-4, 1e-8 and 1e-10 beside glmnet at thresh 1e-12 (and,
with ``--slow``, scikit-learn at tol 1e-8), the cost of a tight certificate.

With ``--enet``: enet_path at l1_ratio 0.5 beside lasso_path on the same data (each on the
grid from its own alpha_max) and glmnet at alpha = 0.5.

On M1: the 3-target l2,1 path (l1_ratio 0.8) beside one single-target path on the same X and
the three single-target paths one after the other (and scikit-learn's multi-task path with
``--slow``).

With ``--threads``: the Gram floor (n >= p) and shrinkage's path at 1, 2, 4, ... BLAS threads up
to the machine's cores (threadpoolctl), each against one thread.

With ``--cv``: LassoCV with 5 KFold folds and 100 alphas (sparse problems: ElasticNetCV at
l1_ratio 0.5 too), and RidgeCV on 20 alphas by
leave-one-out and by the same 5 folds, each beside scikit-learn's estimator with the same alphas,
folds and tol, and the chosen alpha of each. scikit-learn's LassoCV on wide problems (W1: about
15 minutes) runs only with ``--slow``.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np

import shrinkage
from shrinkage.datasets import (
    MULTITASK_PROBLEMS,
    PROBLEMS,
    SPARSE_PROBLEMS,
    TEXT_PROBLEMS,
    benchmark_problem,
    make_correlated_regression,
    multitask_benchmark_problem,
    sparse_benchmark_problem,
    text_benchmark_problem,
)

# scikit-learn without a Gram is hopeless on T2/T3 (520-690 s on T2).
SKLEARN_NO_GRAM = {"T1", "W1", "W2"}
SKLEARN_GRAM = {"T1", "T2", "T3"}

# Dense draws of any shape (--shape N P --rho R --seed S), by the name they are reported under.
DRAWS = {}


def dense_problem(name):
    """(X, y) of a named dense problem or a --shape draw, X in Fortran order."""
    if name in DRAWS:
        return DRAWS[name]
    return benchmark_problem(name, order="F")


def sparse_problem(name):
    """(X, y) of a sparse problem: S1/S2 (random sparse) or D1-D4 (TF-IDF-like)."""
    if name in SPARSE_PROBLEMS:
        return sparse_benchmark_problem(name)
    return text_benchmark_problem(name)


def relative_gaps(X, Y, alphas, coefs, l1_ratio=1.0):
    """Largest gap / P(0) over the path, P(0) = ||Y||^2 / (2n): scikit-learn's elastic-net
    duality gap at its dual point (the residual scaled into the dual ball), with the l2,1 norm
    of W's rows when Y has several columns. coefs: p x K, or n_tasks x p x K."""
    n, p = X.shape
    K = len(alphas)
    Y = Y.reshape(n, -1)
    W = coefs.reshape(-1, p, K)
    l1 = np.asarray(alphas) * l1_ratio * n
    l2 = np.asarray(alphas) * (1.0 - l1_ratio) * n
    R = np.stack([Y[:, [t]] - X @ W[t] for t in range(W.shape[0])])  # n_tasks x n x K
    XtA = np.stack([X.T @ R[t] for t in range(W.shape[0])]) - l2 * W
    dual_norm = np.sqrt((XtA * XtA).sum(axis=0)).max(axis=0)
    scale = np.minimum(1.0, np.divide(l1, dual_norm, out=np.ones(K), where=dual_norm > 0))
    r2 = (R * R).sum(axis=(0, 1))
    gaps = (0.5 * (1 + scale**2) * (r2 + l2 * (W * W).sum(axis=(0, 1)))
            + l1 * np.sqrt((W * W).sum(axis=0)).sum(axis=0)
            - scale * np.einsum("tnk,nt->k", R, Y))
    return gaps.max() / (0.5 * (Y * Y).sum())


def best_time(fn, repeat, min_seconds=0.5):
    """(best, first, result) of consecutive calls after one pause: at least `repeat` calls and,
    when `repeat` > 1, at least `min_seconds` of them. The pause lets the previous solver's BLAS
    threads go idle (numpy and scipy carry separate OpenBLAS pools, and one still spinning slows
    whoever runs next), so the first call is a cold start. The best is the steady state that
    repeated calls (cross-validation, a parameter sweep, timeit) see; on this VM a core takes
    some 20-50 ms of work to come up to speed after the pause, which a 13 ms call absorbs in
    its first run and a 1.5 ms call only after a dozen."""
    time.sleep(0.3)
    times, out = [], None
    while len(times) < repeat or (repeat > 1 and sum(times) < min_seconds):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), times[0], out


def run_glmnet(X, y, alphas, mode, thresh=1e-7, factor=None, lower=None, upper=None,
               l1_ratio=1.0):
    """glmnet on the same grid (standardize=FALSE, intercept=FALSE), with penalty.factor and
    lower/upper.limits when given (arrays of length p). glmnet scales y to unit root mean
    square s_y inside, which divides its ridge term by s_y; lambda = alpha (l1_ratio + (1 -
    l1_ratio) s_y) and its alpha = l1_ratio alpha / lambda give back scikit-learn's objective."""
    p = X.shape[1]
    s_y = np.sqrt(np.mean(y * y))
    lambdas = alphas * (l1_ratio + (1.0 - l1_ratio) * s_y)
    mix = float(l1_ratio * alphas[0] / lambdas[0])
    controls = {"penalty.factor": factor, "lower.limits": lower, "upper.limits": upper}
    with tempfile.TemporaryDirectory() as tmp:
        np.asfortranarray(X, dtype=np.float64).ravel(order="F").tofile(f"{tmp}/X.bin")
        y.astype(np.float64).tofile(f"{tmp}/y.bin")
        lambdas.tofile(f"{tmp}/alphas.bin")
        given = ""
        for i, (arg, values) in enumerate(controls.items()):
            if values is not None:
                np.asarray(values, dtype=np.float64).tofile(f"{tmp}/c{i}.bin")
                given += f', {arg} = readBin("{tmp}/c{i}.bin", "double", {p})'
        script = f"""
suppressMessages(library(glmnet))
n <- {X.shape[0]}; p <- {p}; K <- {len(alphas)}
X <- matrix(readBin("{tmp}/X.bin", "double", n * p), n, p)
y <- readBin("{tmp}/y.bin", "double", n)
lam <- readBin("{tmp}/alphas.bin", "double", K)
t <- system.time(fit <- glmnet(X, y, lambda = lam, standardize = FALSE, intercept = FALSE,
                               alpha = {mix!r}, type.gaussian = "{mode}",
                               thresh = {thresh}{given}))[["elapsed"]]
B <- as.matrix(fit$beta)
writeBin(as.double(B), "{tmp}/coef.bin")
cat(t, ncol(B), "\\n")
"""
        out = subprocess.run(["Rscript", "-e", script], capture_output=True, text=True,
                             check=True).stdout.split()
        seconds, k = float(out[0]), int(out[1])
        coefs = np.fromfile(f"{tmp}/coef.bin").reshape(X.shape[1], k, order="F")
    return seconds, alphas[:k], coefs


def glmnet_available():
    if shutil.which("Rscript") is None:
        return False
    return subprocess.run(["Rscript", "-e", "library(glmnet)"], capture_output=True).returncode == 0


def compare(name, repeat, tol):
    X, y = dense_problem(name)
    n, p = X.shape
    alphas, _, _ = shrinkage.lasso_path(X, y, alphas=2, tol=1.0)  # alpha_max only
    alphas = np.geomspace(alphas[0], alphas[0] * 1e-3, 100)
    rows = []
    big = n * p >= 10**7
    reps = 1 if big else repeat

    if n >= p:
        t, first, _ = best_time(lambda: X.T @ X, reps)
        rows.append(("Gram floor (X.T @ X)", t, first, None))

    def ours():
        return shrinkage.lasso_path(X, y, alphas=alphas, tol=tol)

    t, first, (_, coefs, _) = best_time(ours, reps)
    rows.append(("shrinkage", t, first, relative_gaps(X, y, alphas, coefs)))

    from sklearn.linear_model import lasso_path as sk_lasso_path
    for precompute, allowed in ((True, SKLEARN_GRAM), (False, SKLEARN_NO_GRAM)):
        if name in DRAWS:
            allowed = {name} if (n >= p) == precompute or n * p < 10**6 else set()
        if name not in allowed:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t, first, (_, coefs, _) = best_time(
                lambda pc=precompute: sk_lasso_path(X, y, alphas=alphas, tol=tol, precompute=pc),
                reps)
        rows.append((f"scikit-learn precompute={precompute}", t, first,
                     relative_gaps(X, y, alphas, coefs)))

    try:
        from celer import celer_path
    except ImportError:
        celer_path = None
    # celer is skipped on tall problems (900+ s on T3).
    if celer_path is not None and name not in ("T2", "T3") and (name not in DRAWS or n < p):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t, first, (_, coefs, _) = best_time(
                lambda: celer_path(X, y, "lasso", alphas=alphas, tol=tol, prune=True), reps)
        rows.append(("celer (prune)", t, first, relative_gaps(X, y, alphas, coefs)))

    if glmnet_available():
        for mode in ("covariance", "naive"):
            t, a, coefs = run_glmnet(X, y, alphas, mode)
            label = f"glmnet {mode}" + ("" if len(a) == len(alphas) else f" ({len(a)} alphas)")
            rows.append((label, t, t, relative_gaps(X, y, a, coefs)))

    print(f"\n{name}: n={n}, p={p}, 100 alphas, eps=1e-3, tol={tol:g}; seconds: best of "
          f"{'one call' if reps == 1 else f'{reps}+ consecutive calls (0.5 s or more)'} "
          "and the first of them (glmnet: one, timed in R)")
    print(f"  {'solver':34s} {'seconds':>9s} {'first':>9s} {'max gap/P(0)':>13s} "
          f"{'vs shrinkage':>13s} {'first':>6s}")
    _, ours_time, ours_first, _ = rows[1 if n >= p else 0]
    for label, t, first, gap in rows:
        gap_s = "" if gap is None else f"{gap:.1e}"
        print(f"  {label:34s} {t:9.4f} {first:9.4f} {gap_s:>13s} {t / ours_time:12.1f}x "
              f"{first / ours_first:5.1f}x")
    sys.stdout.flush()


def compare_controls(name, repeat, tol):
    X, y = dense_problem(name)
    n, p = X.shape
    rng = np.random.default_rng(0)
    factor = rng.uniform(0.5, 2.0, p)
    factor[rng.choice(p, 3, replace=False)] = 0.0
    factor *= p / factor.sum()  # glmnet's scale, so that its rescaling changes nothing
    controls = {"penalty_factor": factor, "lower_bounds": -0.5, "upper_bounds": 0.5}
    top = shrinkage.lasso_path(X, y, alphas=1, **controls)[0][0]  # alpha_max
    alphas = np.geomspace(top, top * 1e-3, 100)
    reps = 1 if n * p >= 10**7 else repeat
    exact = shrinkage.lasso_path(X, y, alphas=alphas, tol=1e-12, max_iter=100_000,
                                 **controls)[1]

    def objective(coefs):  # (K,) for coefficients (p, K) on the grid
        r = y[:, None] - X @ coefs
        return 0.5 * (r * r).sum(axis=0) / n + alphas * (factor @ np.abs(coefs))

    best = objective(exact)
    null = 0.5 * (y @ y) / n

    def suboptimality(coefs):
        return float(np.max(objective(coefs) - best)) / null

    rows = []
    t, first, (_, coefs, _) = best_time(
        lambda: shrinkage.lasso_path(X, y, alphas=np.geomspace(alphas[0], alphas[-1], 100),
                                     tol=tol), reps)
    rows.append(("shrinkage, no controls", t, first, None))
    t, first, (_, coefs, _) = best_time(
        lambda: shrinkage.lasso_path(X, y, alphas=alphas, tol=tol, **controls), reps)
    rows.append(("shrinkage, factors + bounds", t, first, suboptimality(coefs)))
    # the same at a hundredth of the tolerance: the gap-for-time trade beside glmnet's
    t, first, (_, coefs, _) = best_time(
        lambda: shrinkage.lasso_path(X, y, alphas=alphas, tol=tol / 100, **controls), reps)
    rows.append((f"  same, tol={tol / 100:g}", t, first, suboptimality(coefs)))
    if glmnet_available():
        for mode in ("covariance", "naive"):
            t, a, coefs = run_glmnet(X, y, alphas, mode, factor=factor, lower=np.full(p, -0.5),
                                     upper=np.full(p, 0.5))
            if len(a) == len(alphas):
                rows.append((f"glmnet {mode}, factors + bounds", t, t, suboptimality(coefs)))
    print(f"\n{name} with controls: n={n}, p={p}, 100 alphas from the controlled alpha_max, "
          f"tol={tol:g}; seconds: best of {reps}+ calls and the first (glmnet: one, in R)")
    print(f"  {'solver':34s} {'seconds':>9s} {'first':>9s} {'max subopt/P(0)':>16s} "
          f"{'vs shrinkage':>13s}")
    ours_time = rows[1][1]
    for label, t, first, gap in rows:
        gap_s = "" if gap is None else f"{gap:.1e}"
        print(f"  {label:34s} {t:9.4f} {first:9.4f} {gap_s:>16s} {t / ours_time:12.1f}x")
    sys.stdout.flush()


def grid(X, y, eps=1e-3, l1_ratio=1.0):
    top = shrinkage.enet_path(X, y, l1_ratio=l1_ratio, alphas=2, tol=1.0)[0][0]  # alpha_max
    return np.geomspace(top, top * eps, 100)


def print_rows(title, rows):
    """rows: (label, seconds, largest relative gap or None); ratios against the first row."""
    print(f"\n{title}")
    print(f"  {'solver':34s} {'seconds':>9s} {'max gap/P(0)':>13s} {'vs first row':>13s}")
    for label, t, gap in rows:
        gap_s = "" if gap is None else f"{gap:.1e}"
        print(f"  {label:34s} {t:9.4f} {gap_s:>13s} {t / rows[0][1]:12.2f}x")
    sys.stdout.flush()


def compare_tight(name, repeat, slow):
    X, y = dense_problem(name)
    alphas = grid(X, y)
    reps = 1 if X.size >= 10**7 else repeat
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for tol in (1e-4, 1e-8, 1e-10):
            t, _, (_, coefs, _) = best_time(
                lambda tol=tol: shrinkage.lasso_path(X, y, alphas=alphas, tol=tol), reps)
            rows.append((f"shrinkage tol={tol:g}", t, relative_gaps(X, y, alphas, coefs)))
        if glmnet_available():
            for mode in ("covariance", "naive"):
                t, a, coefs = run_glmnet(X, y, alphas, mode, thresh=1e-12)
                rows.append((f"glmnet {mode} thresh=1e-12", t, relative_gaps(X, y, a, coefs)))
        if slow:
            from sklearn.linear_model import lasso_path as sk_lasso_path
            t, _, (_, coefs, _) = best_time(
                lambda: sk_lasso_path(X, y, alphas=alphas, tol=1e-8, precompute=X.shape[0] >=
                                      X.shape[1]), 1)
            rows.append(("scikit-learn tol=1e-8", t, relative_gaps(X, y, alphas, coefs)))
    print_rows(f"{name}: n={X.shape[0]}, p={X.shape[1]}, 100 alphas, eps=1e-3, tight "
               f"tolerances; seconds: best of {reps}+ calls (glmnet: one, in R)", rows)


def compare_threads(name, repeat, tol):
    from threadpoolctl import threadpool_limits
    X, y = dense_problem(name)
    alphas = grid(X, y)
    reps = 1 if X.size >= 10**7 else repeat
    cores = os.cpu_count() or 1
    counts = [c for c in (1, 2, 4, 8, 16, 32, 64) if c <= cores]
    gram_rows, path_rows = [], []
    for threads in counts:
        with threadpool_limits(limits=threads, user_api="blas"):
            if X.shape[0] >= X.shape[1]:
                t, _, _ = best_time(lambda: X.T @ X, reps)
                gram_rows.append((f"Gram floor, {threads} thread(s)", t, None))
            t, _, (_, coefs, _) = best_time(
                lambda: shrinkage.lasso_path(X, y, alphas=alphas, tol=tol), reps)
            path_rows.append((f"shrinkage, {threads} thread(s)", t,
                              relative_gaps(X, y, alphas, coefs)))
    title = (f"{name}: n={X.shape[0]}, p={X.shape[1]}, 100 alphas, tol={tol:g}, BLAS threads "
             f"1..{counts[-1]} of {cores} cores; seconds: best of {reps}+ calls")
    if gram_rows:
        print_rows(title, gram_rows)
        title = f"{name}: the path"
    print_rows(title, path_rows)


def compare_enet(name, repeat, tol):
    """enet_path(l1_ratio=0.5) against lasso_path on the same data (each on its own grid from
    its alpha_max), beside glmnet at alpha = 0.5."""
    X, y = dense_problem(name)
    reps = 1 if X.size >= 10**7 else repeat
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for l1_ratio in (1.0, 0.5):
            alphas = grid(X, y, l1_ratio=l1_ratio)
            t, _, (_, coefs, _) = best_time(
                lambda a=alphas, r=l1_ratio: shrinkage.enet_path(X, y, l1_ratio=r, alphas=a,
                                                                 tol=tol), reps)
            rows.append((f"shrinkage l1_ratio={l1_ratio:g}", t,
                         relative_gaps(X, y, alphas, coefs, l1_ratio)))
        if glmnet_available():
            for mode in ("covariance", "naive"):
                t, a, coefs = run_glmnet(X, y, alphas, mode, l1_ratio=0.5)
                rows.append((f"glmnet {mode} alpha=0.5", t, relative_gaps(X, y, a, coefs, 0.5)))
    print_rows(f"{name}: n={X.shape[0]}, p={X.shape[1]}, 100 alphas, eps=1e-3, tol={tol:g}, "
               f"elastic net against the lasso; seconds: best of {reps}+ calls (glmnet: one, "
               "in R)", rows)


def compare_multitask(name, repeat, tol, slow):
    """The l2,1 path of Y's n_tasks columns (l1_ratio 0.8) against single-target paths on the
    same X (the first column, and all of them one after the other), each on its own grid from
    its alpha_max; scikit-learn's multi-task path only with --slow."""
    X, Y = multitask_benchmark_problem(name)
    n_tasks = Y.shape[1]
    l1_ratio = 0.8

    def timed(targets, path, reps=repeat):
        alphas = grid(X, targets, l1_ratio=l1_ratio)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t, _, coefs = best_time(lambda: path(targets, alphas), reps)
        return t, relative_gaps(X, targets, alphas, coefs, l1_ratio)

    def ours(targets, alphas):
        return shrinkage.enet_path(X, targets, l1_ratio=l1_ratio, alphas=alphas, tol=tol)[1]

    singles = [timed(Y[:, t], ours) for t in range(n_tasks)]
    rows = [("shrinkage, first target alone", *singles[0]),
            (f"shrinkage, {n_tasks} targets one by one", sum(t for t, _ in singles),
             max(gap for _, gap in singles)),
            (f"shrinkage multi-task ({n_tasks} targets)", *timed(Y, ours))]
    if slow:
        from sklearn.linear_model import enet_path as sk_enet_path
        rows.append(("scikit-learn multi-task", *timed(
            Y, lambda targets, alphas: sk_enet_path(X, targets, l1_ratio=l1_ratio, alphas=alphas,
                                                    tol=tol)[1], reps=1)))
    print_rows(f"{name}: n={X.shape[0]}, p={X.shape[1]}, {n_tasks} targets, l1_ratio "
               f"{l1_ratio:g}, 100 alphas, eps=1e-3, tol={tol:g}; seconds: best of {repeat}+ "
               "calls (scikit-learn: one)", rows)


def compare_sparse(name, tol, slow, l1_ratio=1.0):
    """Sparse data: one call each (no centring, no intercept); S1/S2 at eps=1e-2 as text
    models are fitted, the TF-IDF-like D1-D4 at scikit-learn's default eps=1e-3. scikit-learn
    runs on problems of up to 2e6 nonzeros, on larger ones with --slow; celer has no elastic
    net (l1_ratio < 1)."""
    X, y = sparse_problem(name)
    n, p = X.shape
    eps = 1e-2 if name in SPARSE_PROBLEMS else 1e-3
    alphas = grid(X, y, eps, l1_ratio)
    rows = []

    def run(label, fn):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t, _, coefs = best_time(fn, 1)
        rows.append((label, t, relative_gaps(X, y, alphas, coefs, l1_ratio)))

    run("shrinkage", lambda: shrinkage.enet_path(X, y, l1_ratio=l1_ratio, alphas=alphas,
                                                 tol=tol)[1])
    try:
        from celer import celer_path
        if l1_ratio == 1.0:
            run("celer (prune)", lambda: celer_path(X.tocsc(), y, "lasso", alphas=alphas,
                                                    tol=tol, prune=True)[1])
    except ImportError:
        pass
    try:
        from skglm import ElasticNet as SkglmElasticNet

        def skglm_path():
            model = SkglmElasticNet(alpha=alphas[0], l1_ratio=l1_ratio, fit_intercept=False,
                                    warm_start=True, tol=tol)
            coefs = np.empty((p, alphas.size))
            for k, alpha in enumerate(alphas):
                model.alpha = alpha
                coefs[:, k] = model.fit(X, y).coef_
            return coefs
        run("skglm (warm-started)", skglm_path)
    except ImportError:
        pass
    if slow or X.nnz <= 2_000_000:
        from sklearn.linear_model import enet_path as sk_enet_path
        run("scikit-learn", lambda: sk_enet_path(X, y, l1_ratio=l1_ratio, alphas=alphas,
                                                 tol=tol)[1])
    support = int(np.count_nonzero(shrinkage.enet_path(X, y, l1_ratio=l1_ratio,
                                                       alphas=alphas[-1:], tol=tol)[1]))
    print_rows(f"{name}: n={n}, p={p}, nnz={X.nnz} ({X.format}), l1_ratio={l1_ratio:g}, 100 "
               f"alphas, eps={eps:g} (support {support} at the last), tol={tol:g}; seconds of "
               "one call", rows)


def compare_cv_sparse(name, tol, slow):
    """LassoCV(cv=5) and ElasticNetCV(l1_ratio=0.5, cv=5) on sparse data beside
    scikit-learn's with the same folds and alphas (the intercept fitted: sparse X is centred
    implicitly on both sides)."""
    from sklearn import linear_model as sk
    from sklearn.model_selection import KFold

    X, y = sparse_problem(name)
    eps = 1e-2 if name in SPARSE_PROBLEMS else 1e-3
    rows = []
    for kind, l1_ratio in (("LassoCV", 1.0), ("ElasticNetCV", 0.5)):
        params = {"cv": KFold(5), "alphas": grid(X, y - y.mean(), eps, l1_ratio), "tol": tol}
        if l1_ratio < 1:
            params["l1_ratio"] = l1_ratio
        for label, estimator in ((f"shrinkage {kind}", getattr(shrinkage, kind)),
                                 (f"scikit-learn {kind}", getattr(sk, kind))):
            if label.startswith("scikit") and not (slow or X.nnz <= 2_000_000):
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t, _, model = best_time(lambda e=estimator: e(**params).fit(X, y), 1)
            rows.append((label, t, model.alpha_))
    print(f"\n{name}: n={X.shape[0]}, p={X.shape[1]}, nnz={X.nnz}, 100 alphas x 5 folds, "
          f"eps={eps:g}, tol={tol:g}; seconds of one fit")
    print(f"  {'estimator':40s} {'seconds':>9s} {'alpha_':>12s}")
    for label, t, alpha in rows:
        print(f"  {label:40s} {t:9.3f} {alpha:12.6g}")
    sys.stdout.flush()


def compare_cv(name, repeat, tol, slow):
    from sklearn import linear_model as sk
    from sklearn.model_selection import KFold

    X, y = dense_problem(name)
    n, p = X.shape
    folds = KFold(5)
    reps = 1 if n * p >= 10**7 else repeat
    rows = []
    if n >= p:
        t, _, _ = best_time(lambda: X.T @ X, reps)
        rows.append(("Gram floor (X.T @ X)", t, None))

    def fit(estimator):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return estimator.fit(X, y)

    lasso = {"cv": folds, "alphas": 100, "tol": tol}
    t, _, model = best_time(lambda: fit(shrinkage.LassoCV(**lasso)), reps)
    rows.append(("shrinkage LassoCV", t, model.alpha_))
    if n >= p or slow:
        t, _, model = best_time(lambda: fit(sk.LassoCV(precompute=n >= p, **lasso)), reps)
        rows.append((f"scikit-learn LassoCV precompute={n >= p}", t, model.alpha_))

    ridge_alphas = np.logspace(-2, 5, 20)
    for cv, label in ((None, "leave-one-out"), (folds, "5-fold")):
        for module, who in ((shrinkage, "shrinkage"), (sk, "scikit-learn")):
            t, _, model = best_time(lambda m=module, c=cv: fit(m.RidgeCV(ridge_alphas, cv=c)),
                                    reps)
            rows.append((f"{who} RidgeCV {label}", t, model.alpha_))

    print(f"\n{name}: n={n}, p={p}, LassoCV 100 alphas x 5 folds (tol={tol:g}), "
          "RidgeCV 20 alphas")
    print(f"  {'estimator':40s} {'seconds':>9s} {'alpha_':>12s}")
    for label, t, alpha in rows:
        alpha_s = "" if alpha is None else f"{alpha:.6g}"
        print(f"  {label:40s} {t:9.3f} {alpha_s:>12s}")
    sys.stdout.flush()


def keep_one_core_busy():
    """Starts a process that spins on one core until this one exits (--loaded): the machine
    a library shares with other work."""
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    atexit.register(spinner.kill)
    time.sleep(0.5)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("problems", nargs="*")
    parser.add_argument("--repeat", type=int, default=10,
                        help="best of N consecutive calls (problems under 1e7 entries)")
    parser.add_argument("--tol", type=float, default=1e-4)
    parser.add_argument("--cv", action="store_true", help="cross-validated estimators")
    parser.add_argument("--controls", action="store_true",
                        help="penalty factors and bounds, beside glmnet with the same")
    parser.add_argument("--tight", action="store_true",
                        help="tol 1e-4, 1e-8, 1e-10 beside glmnet at thresh 1e-12")
    parser.add_argument("--enet", action="store_true",
                        help="enet_path(l1_ratio=0.5) beside lasso_path and glmnet alpha=0.5")
    parser.add_argument("--threads", action="store_true",
                        help="the Gram and the path at 1, 2, ... BLAS threads")
    parser.add_argument("--slow", action="store_true", help="with --cv: scikit-learn's "
                        "LassoCV on wide problems too; with --tight: scikit-learn at 1e-8; on "
                        "M1 and sparse problems over 2e6 nonzeros: scikit-learn's path")
    parser.add_argument("--shape", type=int, nargs=2, metavar=("N", "P"),
                        help="also a dense draw of N samples and P features (rows "
                        "equicorrelated at --rho, Friedman's coefficients, snr 3)")
    parser.add_argument("--rho", type=float, default=0.5, help="the --shape draw's correlation")
    parser.add_argument("--seed", type=int, default=0, help="the --shape draw's random state")
    parser.add_argument("--loaded", action="store_true",
                        help="keep one core busy with a spinning process throughout")
    args = parser.parse_args()
    problems = list(args.problems)
    if args.shape:
        n, p = args.shape
        name = f"{n}x{p} rho={args.rho:g} seed={args.seed}"
        DRAWS[name] = make_correlated_regression(n, p, rho=args.rho, random_state=args.seed,
                                                 order="F")
        problems.append(name)
    if not problems:
        problems = list(PROBLEMS)
    modes = [flag for flag in ("cv", "controls", "tight", "enet", "threads")
             if getattr(args, flag)]
    if len(modes) > 1:
        parser.error(f"one comparison at a time: --{' and --'.join(modes)} were given")
    mode = modes[0] if modes else None
    known = set(PROBLEMS) | set(SPARSE_PROBLEMS) | set(TEXT_PROBLEMS) | set(MULTITASK_PROBLEMS)
    for name in problems:
        sparse = name in SPARSE_PROBLEMS or name in TEXT_PROBLEMS
        if name not in known and name not in DRAWS:
            parser.error(f"unknown problem {name!r}; choose from {sorted(known)} or --shape")
        if sparse and mode not in (None, "enet", "cv"):
            parser.error(f"--{mode} is for dense problems; {name} is sparse")
        if name in MULTITASK_PROBLEMS and mode is not None:
            parser.error(f"--{mode} is not for the multi-task problem {name}")
    try:
        from threadpoolctl import threadpool_info
        blas = [(i["internal_api"], i.get("architecture"), i["num_threads"])
                for i in threadpool_info() if i["user_api"] == "blas"]
        print("BLAS:", blas)
    except ImportError:
        pass
    print("OPENBLAS_CORETYPE:", os.environ.get("OPENBLAS_CORETYPE"))
    print("SIMD level:", shrinkage.show_config(mode="dicts")["simd_level"])
    if args.loaded:
        keep_one_core_busy()
        print("One core kept busy by a spinning process.")
    for name in problems:
        if name in SPARSE_PROBLEMS or name in TEXT_PROBLEMS:
            if mode == "cv":
                compare_cv_sparse(name, args.tol, args.slow)
            else:
                compare_sparse(name, args.tol, args.slow, 0.5 if mode == "enet" else 1.0)
        elif name in MULTITASK_PROBLEMS:
            compare_multitask(name, args.repeat, args.tol, args.slow)
        elif mode == "cv":
            compare_cv(name, args.repeat, args.tol, args.slow)
        elif mode == "controls":
            compare_controls(name, args.repeat, args.tol)
        elif mode == "tight":
            compare_tight(name, args.repeat, args.slow)
        elif mode == "enet":
            compare_enet(name, args.repeat, args.tol)
        elif mode == "threads":
            compare_threads(name, args.repeat, args.tol)
        else:
            compare(name, args.repeat, args.tol)


if __name__ == "__main__":
    main()
