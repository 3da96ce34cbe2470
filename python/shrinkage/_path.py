"""``lasso_path`` and ``enet_path``: scikit-learn's contract, shrinkage's C++ solver."""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from . import _core, _feature_terms, _problem
from ._exceptions import convergence_warning, warn
from ._threads import run_path, thread_map
from ._validation import check_parameters, real_array
from .statistics import GramStats

# scikit-learn's accepted **params and glmnet's path limits; any other key raises, as there.
_PARAMS = frozenset(
    {"tol", "max_iter", "random_state", "selection", "sample_weight", "X_offset", "X_scale",
     "do_screening", "dfmax", "pmax", *_feature_terms.KEYWORDS}
)


def lasso_path(X: Any, y: ArrayLike | None, *, eps: float = 1e-3, n_alphas: Any = "deprecated",
               alphas: Any = "warn", precompute: bool | str | ArrayLike = "auto",
               Xy: ArrayLike | None = None, copy_X: bool = True,
               coef_init: ArrayLike | None = None, verbose: bool | int = False,
               return_n_iter: bool = False, positive: bool = False, **params: Any) -> tuple:
    """Compute a Lasso path with coordinate descent on the Gram matrix.

    Minimises, for each alpha, ``1/(2n) ||y - Xw||^2 + alpha ||w||_1`` (for 2-D ``y``, the
    multi-task problem with the l2,1 norm), warm-starting each alpha from the previous one.
    Same contract as :func:`sklearn.linear_model.lasso_path` (scikit-learn 1.9): it is
    :func:`enet_path` with ``l1_ratio=1``.

    Parameters
    ----------
    X : array-like or sparse matrix of shape (n_samples, n_features), or GramStats
        float64 or float32 (kept), read in place, never modified; or the statistics of an
        intercept-fitted, weighted problem (with ``y=None``).
    y : array-like of shape (n_samples,) or (n_samples, n_targets), or None with GramStats
    eps : float, default=1e-3
        ``alpha_min / alpha_max`` of the automatic grid.
    n_alphas : int, deprecated
        Use ``alphas=int``.
    alphas : int or array-like, default=100 automatic alphas
    precompute : "auto", bool or array of shape (n_features, n_features), default="auto"
        True: the full Gram (one syrk); False: only the Gram block of the working set
        (products of X's columns); "auto": the full Gram when n_samples >= n_features and it
        fits.
    Xy : array-like of shape (n_features,) or (n_features, n_targets), default=None
    copy_X : bool, default=True
        Accepted for compatibility; X is never written to.
    coef_init : array-like of shape (n_features,) or (n_targets, n_features), default=None
    verbose : bool or int, default=False
    return_n_iter : bool, default=False
    positive : bool, default=False
    **params
        ``tol`` (1e-4): each point's duality gap is at most ``tol * ||y||^2 / n``, or a
        ConvergenceWarning says which it reached; ``max_iter`` (1000) epochs per alpha;
        ``selection``, ``random_state``, ``do_screening``; glmnet's ``dfmax`` and ``pmax``
        (see :func:`enet_path`).

    Returns
    -------
    alphas : ndarray of shape (n_alphas,)
    coefs : ndarray of shape (n_features, n_alphas) or (n_targets, n_features, n_alphas)
    dual_gaps : ndarray of shape (n_alphas,)
        The certificate of each point, in scikit-learn's units.
    n_iters : list of int
        With ``return_n_iter=True``.

    Examples
    --------
    >>> import numpy as np, shrinkage
    >>> X = np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 4.0]]); y = np.array([1.0, 2.0, 3.0])
    >>> alphas, coefs, gaps = shrinkage.lasso_path(X, y, alphas=[0.5, 0.1])
    >>> coefs.shape
    (2, 2)
    """
    return enet_path(X, y, l1_ratio=1.0, eps=eps, n_alphas=n_alphas, alphas=alphas,
                     precompute=precompute, Xy=Xy, copy_X=copy_X, coef_init=coef_init,
                     verbose=verbose, return_n_iter=return_n_iter, positive=positive, **params)


def enet_path(X: Any, y: ArrayLike | None, *, l1_ratio: float = 0.5, eps: float = 1e-3,
              n_alphas: Any = "deprecated", alphas: Any = "warn",
              precompute: bool | str | ArrayLike = "auto", Xy: ArrayLike | None = None,
              copy_X: bool = True, coef_init: ArrayLike | None = None,
              verbose: bool | int = False, return_n_iter: bool = False, positive: bool = False,
              check_input: bool = True, **params: Any) -> tuple:
    """Compute an elastic-net path with coordinate descent on the Gram matrix.

    Minimises, for each alpha, ``1/(2n) ||y - Xw||^2 + alpha * l1_ratio * ||w||_1
    + alpha * (1 - l1_ratio) / 2 * ||w||^2`` (for 2-D ``y``, the multi-task problem with the
    l2,1 norm), warm-starting each alpha from the previous solution. Parameters, defaults,
    return values and the meaning of ``tol`` are those of
    :func:`sklearn.linear_model.enet_path` (scikit-learn 1.9).

    Parameters
    ----------
    X : array-like or sparse matrix of shape (n_samples, n_features), or GramStats
        Training data, float64 or float32 (kept). Dense X is read in place in C or Fortran
        order; it is never modified, so ``copy_X`` makes no copy. Sparse X is used as CSC.
        A :class:`GramStats` (with ``y=None``) gives the path of its centred, weighted
        problem (the intercept-fitted model, weights rescaled to sum n as in scikit-learn's
        estimators), computed from the statistics alone.
    y : array-like of shape (n_samples,) or (n_samples, n_targets), or None with GramStats
    l1_ratio : float in [0, 1], default=0.5
    eps : float, default=1e-3
        ``alpha_min / alpha_max`` of the automatic grid.
    n_alphas : int, deprecated
        Use ``alphas=int``.
    alphas : int or array-like, default=100 automatic alphas
        An int gives that many alphas on scikit-learn's geometric grid; an array is used as
        given, sorted in decreasing order.
    precompute : "auto", bool or array of shape (n_features, n_features), default="auto"
        True computes the full Gram X^T X (one BLAS syrk); False never forms it: the solver
        takes the Gram block of its working set from those columns of X, and gradients from
        the residual (sparse X too, over its nonzeros); "auto" picks the full Gram when
        n_samples >= n_features and it fits in memory. An array is used as the Gram.
    Xy : array-like of shape (n_features,) or (n_features, n_targets), default=None
        Precomputed ``X.T @ y`` (used for the grid and with a precomputed Gram).
    copy_X : bool, default=True
        Accepted for compatibility; X is never written to.
    coef_init : array-like of shape (n_features,) or (n_targets, n_features), default=None
        Warm start for the first alpha.
    verbose : bool or int, default=False
    return_n_iter : bool, default=False
    positive : bool, default=False
        Constrain the coefficients to be non-negative (single target only).
    check_input : bool, default=True
    **params
        ``tol`` (1e-4): stop when the duality gap is at most ``tol * ||y||^2 / n``;
        ``max_iter`` (1000): epochs per alpha; ``selection`` ("cyclic" or "random") and
        ``random_state``; ``do_screening`` (True): gap-safe screening. glmnet's limits
        (default None, none): ``dfmax`` stops the path after the first alpha with more than
        ``dfmax`` non-zero features, ``pmax`` before the first alpha at which more than
        ``pmax`` features have ever been non-zero; the alphas solved are returned, with a
        UserWarning that says where and why the path stopped.
        glmnet's per-feature controls (single target; see :func:`shrinkage.path`):
        ``penalty_factor``, ``exclude``, ``lower_bounds``, ``upper_bounds``, ``standardize``,
        ``rescale_penalty_factor``.

    Returns
    -------
    alphas : ndarray of shape (n_alphas,)
    coefs : ndarray of shape (n_features, n_alphas) or (n_targets, n_features, n_alphas)
    dual_gaps : ndarray of shape (n_alphas,)
        The duality gap reached at each alpha (scikit-learn's units: gap / n_samples).
    n_iters : list of int
        Epochs run at each alpha (with ``return_n_iter=True``).

    Examples
    --------
    >>> import numpy as np, shrinkage
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((50, 5)); y = X @ [1.0, -2.0, 0.0, 0.0, 0.5]
    >>> alphas, coefs, gaps = shrinkage.enet_path(X, y, l1_ratio=0.7, alphas=10)
    >>> bool((gaps <= 1e-4 * (y @ y) / len(y)).all())
    True
    """
    given = alphas
    problem, grid, options = _prepare(X, y, l1_ratio, eps, n_alphas, alphas, precompute, Xy,
                                      positive, check_input, params, multitask=True)
    coefs, gaps, n_iters = solve(problem, grid, options, _initial_coefs(problem, coef_init),
                                 verbose=verbose)
    grid = grid[:coefs.shape[-1]]  # dfmax / pmax may stop the path
    coefs = coefs if problem.targets_2d else coefs[0]
    if isinstance(given, list) and len(given) == 1:
        grid = given  # scikit-learn returns a one-element list unchanged
    if return_n_iter:
        return grid, coefs, gaps, n_iters
    return grid, coefs, gaps


def multi_target_path(X: Any, Y: ArrayLike, *, l1_ratio: float = 1.0, eps: float = 1e-3,
                      alphas: int | ArrayLike = 100, precompute: bool | str | ArrayLike = "auto",
                      Xy: ArrayLike | None = None, positive: bool = False,
                      return_n_iter: bool = False, n_jobs: int | None = None,
                      **params: Any) -> tuple:
    """One independent elastic-net path per column of Y, sharing one Gram, in parallel threads.

    This is what ``ElasticNet.fit`` solves with 2-D y (each target its own problem), as
    opposed to :func:`enet_path` with 2-D y, which solves the multi-task (l2,1) problem. All
    targets share one alpha grid: the automatic grid runs from the largest alpha_max of the
    targets down by ``eps``. The statistics (Gram, X^T Y) are computed once; the paths run with
    the GIL released on ``n_jobs`` threads (joblib's meaning: None is one, -1 all cores). The
    result does not depend on ``n_jobs``.
    Other parameters are those of :func:`enet_path`.

    Returns
    -------
    alphas : ndarray of shape (n_alphas,)
    coefs : ndarray of shape (n_targets, n_features, n_alphas)
    dual_gaps : ndarray of shape (n_targets, n_alphas)
    n_iters : list of lists of int (with ``return_n_iter=True``)

    Examples
    --------
    >>> import numpy as np, shrinkage
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((60, 8)); Y = X[:, :2] @ [[1.0, 0.0], [0.0, -1.0]]
    >>> alphas, coefs, gaps = shrinkage.multi_target_path(X, Y, alphas=5)
    >>> coefs.shape
    (2, 8, 5)
    """
    Y = np.asarray(Y)
    if Y.ndim != 2:
        raise ValueError(f"Y must be 2-D (n_samples, n_targets), got shape {Y.shape}.")
    if params.get("dfmax") is not None or params.get("pmax") is not None:
        raise ValueError("dfmax and pmax would stop each target's path at another alpha: fit "
                         "the targets one at a time with enet_path (or shrinkage.path).")
    problem, grid, options = _prepare(X, Y, l1_ratio, eps, "deprecated", alphas, precompute, Xy,
                                      positive, True, params, multitask=False)
    coefs, gaps, n_iters = solve_targets(problem, grid, options, n_jobs=n_jobs)
    if return_n_iter:
        return grid, coefs, gaps, n_iters
    return grid, coefs, gaps


def solver_options(l1_ratio, positive, tol, max_iter, *, selection="cyclic", random_state=None,
                   do_screening=True, dfmax=None, pmax=None):
    """The C++ path's options (``_core.PathOptions``; float32_output is set by the solve from
    the problem's dtype, the per-feature terms by ``with_feature_terms``); validated by the
    callers."""
    return _core.PathOptions(
        l1_ratio=float(l1_ratio), positive=bool(positive), tol=float(tol),
        max_iter=int(max_iter), screening=bool(do_screening),
        random_order=selection == "random",
        seed=_seed(random_state) if selection == "random" else 0,
        dfmax=_feature_limit(dfmax), pmax=_feature_limit(pmax))


def _feature_limit(limit):
    """glmnet's dfmax / pmax for the solver: -1 for none; a count of features never exceeds
    2^31 - 1 (the solver's int), so a larger limit is the same as that one."""
    return -1 if limit is None else min(int(limit), 2**31 - 1)


def solve_targets(problem, alphas, options, coef_init=None, n_jobs=None):
    """One independent path per target of ``problem``, sharing its Gram source, on ``n_jobs``
    threads (the GIL is released). coef_init: (n_targets, p) or None.
    Returns coefs (n_targets, p, n_alphas), gaps (n_targets, n_alphas), n_iters per target."""
    xy, yy = problem.xy / problem.weight_sum, problem.yy / problem.weight_sum
    options = options.replace(float32_output=problem.dtype == np.float32)

    def solve_one(t, stop):
        w0 = None if coef_init is None else np.asfortranarray(coef_init[t][:, None])
        return run_path(problem.source, np.asfortranarray(xy[:, [t]]), yy[t], alphas, w0,
                        options, progress=lambda _done: stop.is_set())

    results = thread_map(solve_one, range(problem.n_targets), n_jobs)
    coefs = np.stack([r[0][0] for r in results]).astype(problem.dtype, copy=False)
    gaps = np.stack([r[1] for r in results])
    converged = np.stack([r[3] for r in results])
    for t in range(problem.n_targets):
        _check_certificates(alphas, gaps[t], yy[t])
    for t in np.flatnonzero(~converged.all(axis=1)):
        _warn_not_converged(alphas, gaps[t], converged[t], options.tol * yy[t], problem.dtype)
    return coefs, gaps, [r[2] for r in results]


def solve(problem, alphas, options, coef_init=None, *, verbose=False, progress=None):
    """The path of ``problem`` (all targets as one multi-task problem) on ``alphas``;
    coef_init: (p, n_targets), Fortran-ordered, or None. Returns coefs (n_targets, p, n_alphas)
    in the data's dtype, gaps, n_iters; warns (ConvergenceWarning, with the gap reached) where
    the tolerance was not met."""
    if progress is None and verbose:
        progress = _progress(verbose, len(alphas))
    yy = float(problem.yy.sum() / problem.weight_sum)
    coefs, gaps, n_iters, converged = run_path(
        problem.source, problem.xy / problem.weight_sum, yy, alphas, coef_init,
        options.replace(float32_output=problem.dtype == np.float32), progress=progress)
    _check_certificates(alphas, gaps, yy)
    if not converged.all():
        _warn_not_converged(alphas, gaps, converged, options.tol * yy, problem.dtype)
    if coefs.shape[-1] < len(alphas):
        _warn_stopped(alphas, coefs, options)
    return coefs.astype(problem.dtype, copy=False), gaps, n_iters


def _warn_stopped(alphas, coefs, options):
    """Where and why dfmax or pmax stopped the path (coefs: the alphas solved)."""
    done = coefs.shape[-1]
    df = int(np.count_nonzero(np.any(coefs[:, :, -1] != 0, axis=0))) if done else 0
    if 0 <= options.dfmax < df:
        why = (f"{df} features are non-zero at alpha={alphas[done - 1]:.4g}, more than "
               f"dfmax={options.dfmax}")
    else:
        why = (f"more than pmax={options.pmax} features would have been non-zero along the "
               f"path at alpha={alphas[done]:.4g}")
    warn(f"The path stopped after {done} of {len(alphas)} alphas: {why}; the alphas solved "
         "are returned.", UserWarning)


def _check_certificates(alphas, gaps, yy):
    """A duality gap is never negative beyond rounding, nor NaN: such a gap certifies nothing,
    and says the statistics cannot be those of any data (a Gram that is not positive
    semi-definite, or that does not match Xy and yy) or that values overflowed."""
    bad = np.flatnonzero(~np.isfinite(gaps))
    if bad.size:
        raise ValueError(
            f"The duality gap is not finite at alpha={alphas[bad[0]]:.3e}: values overflowed "
            "(coef_init or the data too large to square in float64?); no certificate.")
    floor = 1e-9 * yy  # rounding of the gap is far below this
    bad = np.flatnonzero(gaps < -floor)
    if bad.size:
        raise ValueError(
            f"The duality gap is negative ({gaps[bad[0]]:.3e} at alpha={alphas[bad[0]]:.3e}): "
            "the statistics are inconsistent (the Gram matrix is not positive semi-definite, "
            "or does not match Xy and yy), so no certificate can be given.")


def _prepare(X, y, l1_ratio, eps, n_alphas, alphas, precompute, Xy, positive, check_input,
             params, multitask):
    """The path functions' validation: (problem, alpha grid, solver options)."""
    unknown = set(params) - _PARAMS
    if unknown:
        raise ValueError("Unexpected parameters in params", unknown)
    for name in ("sample_weight", "X_offset", "X_scale"):
        if params.get(name) is not None:
            raise NotImplementedError(
                f"enet_path(..., {name}=...) is not supported yet: pass weighted or centred "
                "data (or precomputed statistics) instead."
            )
    tol = params.get("tol", 1e-4)
    max_iter = params.get("max_iter", 1000)
    selection = params.get("selection", "cyclic")
    alphas = _resolve_alphas_argument(alphas, n_alphas)
    check_parameters(tol=tol, max_iter=max_iter, l1_ratio=l1_ratio, eps=eps, alphas=alphas,
                     selection=selection, dfmax=params.get("dfmax"), pmax=params.get("pmax"))
    if isinstance(X, GramStats):
        if y is not None:
            raise ValueError("With GramStats as X, y must be None (the statistics carry it).")
        if Xy is not None or not (isinstance(precompute, str) and precompute == "auto"):
            raise ValueError("precompute and Xy cannot be given with GramStats (it holds both).")
        problem = _problem.from_statistics(X)
    else:
        problem = _problem.from_data(X, y, precompute=precompute, Xy=Xy, check_input=check_input)
    if multitask and problem.targets_2d and positive:
        raise ValueError("positive=True is not allowed for multi-output (y.ndim == 2).")
    options = solver_options(l1_ratio, positive, tol, max_iter, selection=selection,
                             random_state=params.get("random_state"),
                             do_screening=params.get("do_screening", True),
                             dfmax=params.get("dfmax"), pmax=params.get("pmax"))
    terms = {k: params[k] for k in _feature_terms.KEYWORDS if k in params}
    if multitask and problem.targets_2d and terms:
        raise ValueError("penalty_factor, exclude, bounds and standardize are per feature of "
                         "one target: the multi-task path takes none (multi_target_path, one "
                         "problem per target, takes them all).")
    grid = with_feature_terms(problem, options, terms, alphas, eps, multitask)
    return problem, grid, options


def with_feature_terms(problem, options, terms, alphas, eps, multitask=False):
    """Adds glmnet's per-feature controls (``terms``: keyword arguments of
    _feature_terms.feature_terms) to the solver's ``options`` and returns the alpha grid: the
    given alphas, decreasing, or an int's geometric grid from alpha_max (that of the
    per-feature problem when there is one)."""
    l1_ratio, positive = options.l1_ratio, options.positive
    options.features = _feature_terms.feature_terms(problem, positive=positive, **terms)
    if not isinstance(alphas, (int, np.integer)):
        return np.sort(np.asarray(alphas, dtype=np.float64))[::-1].copy()
    top = (_feature_terms.alpha_max(problem, l1_ratio, options)
           if options.features is not None and l1_ratio > 0 else None)
    return problem.alpha_grid(l1_ratio, eps, int(alphas), positive, multitask, alpha_max=top)


def _initial_coefs(problem, coef_init):
    """coef_init as the solver takes it (p x n_targets, Fortran order), or None."""
    if coef_init is None:
        return None
    w0 = real_array(coef_init, "coef_init").astype(np.float64, copy=False)
    if not np.isfinite(w0).all():
        raise ValueError("coef_init contains NaN or infinity.")
    p = problem.n_features
    expected = (problem.n_targets, p) if problem.targets_2d else (p,)
    if w0.shape != expected:
        raise ValueError(f"coef_init has shape {w0.shape}, expected {expected}.")
    return np.asfortranarray(w0.reshape(-1, p).T)


def _resolve_alphas_argument(alphas, n_alphas):
    """scikit-learn 1.9's transition from ``n_alphas`` to ``alphas=int``."""
    if not (isinstance(n_alphas, str) and n_alphas == "deprecated"):
        warn("'n_alphas' was deprecated in 1.9 and will be removed in 1.11. 'alphas' now "
             "accepts an integer value which removes the need to pass 'n_alphas'.",
             FutureWarning)
        if alphas is None or (isinstance(alphas, str) and alphas == "warn"):
            return n_alphas
    if isinstance(alphas, str) and alphas == "warn":
        return 100
    if alphas is None:
        warn("'alphas=None' is deprecated and will be removed in 1.11, at which point the "
             "default value will be set to 100.", FutureWarning)
        return 100
    return alphas


def _seed(random_state):
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(np.iinfo(np.int32).max))
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(np.iinfo(np.int32).max))
    return int(np.random.RandomState(random_state).randint(np.iinfo(np.int32).max))


def _progress(verbose, n_alphas):
    def report(done):
        if done > 0:
            if verbose > 1:
                print(f"Path: {done - 1:03d} out of {n_alphas:03d}")
            else:
                sys.stderr.write(".")
                sys.stderr.flush()
        return False

    return report


def _warn_not_converged(alphas, gaps, converged, tol_abs, dtype,
                        unit="tol * ||y||^2 / n_samples"):
    """scikit-learn's ConvergenceWarning with the largest gap reached and the tolerance, in
    ``unit`` (how the tolerance is made from tol)."""
    bad = np.flatnonzero(~converged)
    worst = bad[np.argmax(gaps[bad])]
    hint = "Check the scale of the features, or use larger alphas or tol."
    if dtype == np.float32:
        hint = ("float32 coefficients may not represent a solution that precise (the gaps are "
                "those of the returned, rounded coefficients): use float64 data or a larger "
                "tol. " + hint)
    # scikit-learn's wording first (code written for it matches on it), then the detail.
    warn(
        f"Objective did not converge. You might want to increase the number of iterations. "
        f"At {bad.size} of {alphas.size} alphas the duality gap stayed above the tolerance: "
        f"the largest is {gaps[worst]:.3e} (at alpha={alphas[worst]:.3e}) for a tolerance of "
        f"{tol_abs:.3e} ({unit}). {hint}",
        convergence_warning(),
    )
