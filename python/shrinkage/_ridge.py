"""Ridge: one Gram (or kernel) for the whole path, one blocked Cholesky per alpha.

scikit-learn's Ridge scaling: minimise ||y - X w||^2 + alpha ||w||^2 (no 1/n), i.e. solve
(X^T X + alpha I) w = X^T y, or for p > n the cheaper dual (X X^T + alpha I) a = y, w = X^T a.
``RidgeSystem`` is the weighted, intercept-fitted problem of the estimators and of
``ridge_regression``; with ``positive=True`` the path solver's l1_ratio=0 problem takes over.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from . import _core, _path, _problem
from . import _statistics as statistics
from ._exceptions import warn
from ._memory import check_square
from ._validation import (InvalidParameterError, check_gram, check_X, check_y, contiguous,
                          real_array)
from .statistics import GramStats
from .statistics._gramstats import check_fit_weight

# Every solver name scikit-learn's Ridge and ridge_regression accept: all define one minimiser.
SOLVERS = ("auto", "svd", "cholesky", "lsqr", "sparse_cg", "sag", "saga", "lbfgs")

# positive=True: the relative duality gap the bounded coordinate descent reaches (its support
# Newton step makes the solution exact to rounding well before this).
POSITIVE_TOL = 1e-12


def check_solver(solver):
    if solver not in SOLVERS:
        raise ValueError(f"solver must be one of {SOLVERS}, got {solver!r}.")


def ridge_path(X: Any, y: ArrayLike | None, alphas: ArrayLike, *,
               precompute: ArrayLike | None = None, Xy: ArrayLike | None = None,
               solver: str = "auto", check_input: bool = True) -> NDArray[np.floating]:
    """Ridge coefficients for every alpha, computing X^T X (or X X^T) once.

    Parameters
    ----------
    X : array-like or sparse matrix of shape (n_samples, n_features), GramStats, or None
        None when the statistics are given (``precompute`` and ``Xy``). A
        :class:`GramStats` (with ``y=None``) gives the ridge of its centred, weighted
        problem (the intercept-fitted model; weights enter as given, as in scikit-learn's
        ``Ridge``).
    y : array-like of shape (n_samples,) or (n_samples, n_targets), or None
    alphas : array-like of shape (n_alphas,)
        Non-negative regularisation strengths, in the order given.
    precompute : array of shape (n_features, n_features), default=None
        X^T X computed elsewhere (e.g. reduced over chunks of data); used instead of X.
    Xy : array of shape (n_features,) or (n_features, n_targets), default=None
        X^T y, required with ``precompute`` when X is None.
    solver : {"auto", "primal", "dual"}, default="auto"
        "primal" factorises X^T X + alpha I (p x p), "dual" X X^T + alpha I (n x n); "auto"
        takes the smaller (always primal from statistics).
    check_input : bool, default=True

    Returns
    -------
    coefs : ndarray of shape (n_features, n_alphas) or (n_targets, n_features, n_alphas)
        In X's dtype (float64 from statistics); statistics and factorisations are float64.

    Examples
    --------
    >>> import numpy as np, shrinkage
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]); y = np.array([1.0, 2.0, 3.0])
    >>> shrinkage.ridge_path(X, y, [0.0, 1.0]).round(3)
    array([[1.   , 0.875],
           [2.   , 1.375]])
    >>> shrinkage.ridge_path(None, None, [1.0], precompute=X.T @ X, Xy=X.T @ y).round(3)
    array([[0.875],
           [1.375]])
    """
    alphas = _check_alphas(alphas)
    if solver not in ("auto", "primal", "dual"):
        raise ValueError(f"solver must be 'auto', 'primal' or 'dual', got {solver!r}.")
    if isinstance(X, GramStats):
        if y is not None or precompute is not None or Xy is not None:
            raise ValueError("With GramStats as X, y, precompute and Xy must be None.")
        return _ridge_from_statistics(None, None, alphas, X.check().gram, X.xy, False)
    if precompute is not None:
        return _ridge_from_statistics(X, y, alphas, precompute, Xy, check_input)
    if X is None or y is None:
        raise ValueError("X and y are required unless precompute (X^T X) and Xy are given.")
    X = check_X(X) if check_input else X
    n, p = X.shape
    y = check_y(y, n, X.dtype)
    Y = y.reshape(n, -1).astype(np.float64)
    dual = solver == "dual" or (solver == "auto" and p > n)

    coefs = np.empty((Y.shape[1], p, alphas.size))
    if dual and p > n and (alphas == 0).any():
        raise np.linalg.LinAlgError(
            f"alpha=0 with more features ({p}) than samples ({n}): X^T X is singular and the "
            "least-squares solution is not unique; use a positive alpha.")
    if dual:
        kernel = statistics.gram(X.T, "The kernel X X^T",
                                 "use the primal form (solver='primal') or fewer samples.")
        solve = _ShiftedSolver(kernel, name="X X^T")
        for k, alpha in enumerate(alphas):
            coefs[:, :, k] = statistics.cross(X, solve(alpha, Y)).T
    else:
        solve = _ShiftedSolver(statistics.gram(X))
        xty = statistics.cross(X, Y)
        for k, alpha in enumerate(alphas):
            coefs[:, :, k] = solve(alpha, xty).T
    coefs = coefs.astype(X.dtype, copy=False)
    return coefs if y.ndim == 2 else coefs[0]


def _ridge_from_statistics(X, y, alphas, precompute, Xy, check_input):
    gram = np.asarray(precompute)
    p = gram.shape[0] if gram.ndim == 2 else -1
    gram = check_gram(gram, p, np.float64)
    if Xy is None:
        if X is None or y is None:
            raise ValueError("Xy (X^T y) is required with precompute when X is not given.")
        X = check_X(X) if check_input else X
        Xy = statistics.cross(X, check_y(y, X.shape[0], X.dtype).reshape(X.shape[0], -1))
    Xy = real_array(Xy, "Xy").astype(np.float64, copy=False)
    if Xy.shape[0] != p or Xy.ndim not in (1, 2) or not np.isfinite(Xy).all():
        raise ValueError(f"Xy must be finite with {p} rows, got shape {Xy.shape}.")
    xty = Xy.reshape(p, -1)
    solve = _ShiftedSolver(gram)
    coefs = np.stack([solve(alpha, xty).T for alpha in alphas], axis=-1)
    dtype = X.dtype if X is not None and hasattr(X, "dtype") else np.float64
    coefs = coefs.astype(dtype, copy=False)
    return coefs if Xy.ndim == 2 else coefs[0]


def ridge_regression(X: Any, y: Any, alpha: float | ArrayLike, *,
                     sample_weight: ArrayLike | None = None, solver: str = "auto",
                     max_iter: int | None = None, tol: float = 1e-4, verbose: int = 0,
                     positive: bool = False, random_state: Any = None,
                     return_n_iter: bool = False, return_intercept: bool = False,
                     check_input: bool = True) -> Any:
    """Drop-in for :func:`sklearn.linear_model.ridge_regression`, solved exactly.

    Minimises ``||y - Xw - b||^2_s + alpha ||w||^2`` (b = 0 unless ``return_intercept``) by
    the blocked Cholesky (or, with ``positive=True``, bounded coordinate descent certified by
    its duality gap). Every ``solver`` name scikit-learn accepts gets this exact minimiser:
    the name selects no iterative approximation, and ``max_iter``, ``tol`` and
    ``random_state`` are accepted for compatibility. ``alpha`` may be a scalar or one value
    per target; ``sample_weight`` weighs the squared residuals; ``return_intercept`` fits the
    intercept (with weighted centring) for dense and sparse X alike. For ``alpha=0`` on
    rank-deficient X the minimum-norm least-squares solution is returned, with a warning.

    Returns
    -------
    coef : ndarray of shape (n_features,) or (n_targets, n_features)
    n_iter : None, with ``return_n_iter=True`` (direct solver)
    intercept : float or ndarray of shape (n_targets,), with ``return_intercept=True``

    Examples
    --------
    >>> import numpy as np, shrinkage
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]); y = np.array([1.0, 2.0, 3.0])
    >>> shrinkage.ridge_regression(X, y, alpha=1.0).round(3)
    array([0.875, 1.375])
    """
    check_solver(solver)
    X = check_X(X) if check_input else X
    n = X.shape[0]
    y = check_y(y, n, X.dtype)
    w = check_fit_weight(sample_weight, n)
    system = RidgeSystem.from_data(X, y, w, return_intercept, positive)
    coef = fit_ridge(system, alpha)
    intercept = system.intercepts(coef).astype(X.dtype)
    coef = coef.astype(X.dtype, copy=False)
    if y.ndim == 1:
        coef, intercept = coef[0], intercept[0]
    out = (coef, None) if return_n_iter else (coef,)
    out = (*out, intercept) if return_intercept else out
    return out if len(out) > 1 else out[0]


def fit_ridge(system, alpha):
    """The coefficients (n_targets, p) at ``alpha`` (a scalar or one value per target); the
    targets sharing an alpha share one factorisation (or one coordinate-descent path)."""
    given = np.atleast_1d(np.asarray(alpha))
    if (given.dtype.kind not in "biuf" or given.ndim != 1
            or not np.isfinite(given.astype(np.float64)).all() or (given < 0).any()):
        raise InvalidParameterError(
            f"The 'alpha' parameter must be a float in the range [0.0, inf) or a 1-D array-like "
            f"of them, one per target. Got {alpha!r} instead.")
    alpha = given.astype(np.float64)
    n_targets = system.n_targets
    if alpha.size not in (1, n_targets):
        raise ValueError(f"Number of targets and number of penalties do not correspond: "
                         f"{alpha.size} != {n_targets}")
    alpha = np.broadcast_to(alpha, (n_targets,))
    coef = np.empty((n_targets, system.n_features))
    for value in np.unique(alpha):
        targets = np.flatnonzero(alpha == value)
        coef[targets] = system.solve(value, targets)
    return coef


class RidgeSystem:
    """The ridge problem of one data set on its weighted, centred statistics (weights enter
    as given): the primal (G + alpha I) w = Z^T y_c, the dual (K + alpha I) a = y_c with
    K = Z Z^T for wide X, or (positive=True) the path solver's problem. Its Cholesky falls
    back to the minimum-norm least-squares solution, with a warning, where G or K is singular
    at alpha = 0 (or an alpha below its rounding)."""

    @classmethod
    def from_data(cls, X, y, w, fit_intercept, positive=False):
        if positive:
            problem = _problem.from_data(X, y, sample_weight=w, fit_intercept=fit_intercept,
                                         check_input=False)
            return cls._positive(problem)
        n, p = X.shape
        X = contiguous(X)
        if p > n:  # the n x n kernel, never a p x p Gram (sparse text data: p in the 100 000s)
            return cls.dual(X, y, w, fit_intercept)
        return cls.from_stats(GramStats.from_arrays(X, y, w), fit_intercept, X.dtype)

    @classmethod
    def from_stats(cls, stats, fit_intercept, dtype, positive=False):
        if positive:
            return cls._positive(_problem.from_statistics(stats, fit_intercept))
        system = cls.__new__(cls)
        system.dtype = dtype
        system.targets_2d = stats.n_targets is not None
        gram, xy, _ = (stats.gram, stats.xy, stats.yy) if fit_intercept else stats.uncentred()
        system.x_mean = stats.x_mean if fit_intercept else np.zeros(stats.n_features)
        system.y_mean = np.atleast_1d(stats.y_mean) if fit_intercept else np.zeros(
            1 if stats.n_targets is None else stats.n_targets)
        system._rhs = np.asarray(xy).reshape(stats.n_features, -1)
        system.n_features, system.n_targets = stats.n_features, system._rhs.shape[1]
        system._solver = _ShiftedSolver(np.asfortranarray(gram), least_squares=True)
        system._dual_design = system._problem = None
        return system

    @classmethod
    def dual(cls, X, y, w, fit_intercept):
        """K = Z Z^T from X X^T (syrk) and rank-one corrections; X is not centred or copied;
        w = Z^T a."""
        n, p = X.shape
        system = cls.__new__(cls)
        Y = y.reshape(n, -1).astype(np.float64)
        weights = np.ones(n) if w is None else w
        root = np.sqrt(weights)
        m, y_mean = weighted_means(X, Y, weights, fit_intercept)
        system._solver = _ShiftedSolver(centred_kernel(X, root, m),
                                        name="the centred kernel Z Z^T", least_squares=True)
        system._rhs = (Y - y_mean) * root[:, None]
        system._dual_design = (X, root, m)
        system._problem = None
        system.dtype = X.dtype
        system.targets_2d = y.ndim == 2
        system.x_mean, system.y_mean = m, y_mean
        system.n_features, system.n_targets = p, Y.shape[1]
        return system

    @classmethod
    def _positive(cls, problem):
        system = cls.__new__(cls)
        system._problem = problem
        system.dtype, system.targets_2d = problem.dtype, problem.targets_2d
        system.x_mean, system.y_mean = problem.x_mean, problem.y_mean
        system.n_features, system.n_targets = problem.n_features, problem.n_targets
        return system

    def solve(self, alpha, targets):
        """The coefficients (len(targets), p) of the given targets at one alpha."""
        if self._problem is not None:  # scale 1 / sum(w): the solver's alpha is alpha / W
            options = _path.solver_options(0.0, True, POSITIVE_TOL, 100_000)
            scaled = np.array([alpha / self._problem.weight_sum])
            coefs, _, _ = _path.solve_targets(self._problem.select_targets(targets), scaled,
                                              options)
            return coefs[:, :, 0]
        solution = self._solver(alpha, self._rhs[:, targets])
        if self._dual_design is not None:
            solution = centred_transpose_product(*self._dual_design, solution)
        return solution.T

    def intercepts(self, coef):
        """ybar - xbar^T w for coefficients coef (n_targets, p): zero without an intercept."""
        return self.y_mean - coef @ self.x_mean


def weighted_means(X, Y, weights, fit_intercept):
    """(x_mean, y_mean) under the weights, or zeros without an intercept."""
    if not fit_intercept:
        return np.zeros(X.shape[1]), np.zeros(Y.shape[1])
    W = weights.sum()
    return statistics.cross(X, weights[:, None]).ravel() / W, weights @ Y / W


def centred_kernel(X, root, m):
    """K = Z Z^T for Z = diag(root) (X - 1 m^T): X X^T by syrk plus rank-one corrections, so X
    is neither centred nor copied (digits are lost when |m| dwarfs the spread of X)."""
    K = statistics.gram(X.T)
    if m.any():
        u = np.asarray(X @ m).ravel()
        K += (m @ m) - u[:, None] - u[None, :]
    K *= np.outer(root, root)
    return K


def centred_transpose_product(X, root, m, a):
    """Z^T a = X^T (root * a) - m (root^T a), a of shape (n, k)."""
    b = a * root[:, None]
    return statistics.cross(X, b) - np.outer(m, b.sum(axis=0))


def _check_alphas(alphas: ArrayLike) -> np.ndarray:
    if isinstance(alphas, numbers.Real):
        alphas = [alphas]
    alphas = np.asarray(alphas, dtype=np.float64)
    if alphas.ndim != 1 or alphas.size == 0:
        raise ValueError("alphas must be a non-empty 1-D array-like.")
    if not np.isfinite(alphas).all() or (alphas < 0).any():
        raise ValueError("alphas must be finite and non-negative.")
    return alphas


class _ShiftedSolver:
    """(matrix + alpha I)^{-1} rhs by the blocked Cholesky kernel, factorising a scratch copy of
    the matrix (one buffer for the whole path) so that the matrix itself is reused. Where the
    shifted matrix is singular: a LinAlgError, or with ``least_squares`` a warning and the
    minimum-norm least-squares solution (from its eigendecomposition)."""

    def __init__(self, matrix, name="X^T X", least_squares=False):
        self.matrix = matrix
        self.name = name  # for errors
        self.least_squares = least_squares
        check_square(matrix.shape[0], f"The factorisation of {name} + alpha I",
                     "use fewer features or the dual form (p > n).")
        self.scratch = np.empty_like(matrix, order="F")

    def __call__(self, alpha, rhs):
        a = self.scratch
        np.copyto(a, self.matrix)
        a.flat[:: a.shape[0] + 1] += alpha
        failed = _core.cholesky_inplace(a)
        if failed >= 0 and self.least_squares:
            warn(f"{self.name} + alpha I is singular at alpha={alpha:g} (rank-deficient X): "
                 "Using least-squares solution instead (the minimum-norm one).", UserWarning)
            return minimum_norm_solve(self.matrix, alpha, rhs)
        if failed >= 0:
            raise np.linalg.LinAlgError(
                f"{self.name} + alpha I is not positive definite at alpha={alpha:g}: the pivot "
                f"of column {failed} is not positive (X is rank-deficient); use a positive "
                "alpha."
            )
        out = np.array(rhs, dtype=np.float64, order="F")
        _core.cho_solve_inplace(a, out)
        return out


def minimum_norm_solve(matrix, alpha, rhs):
    """pinv(matrix + alpha I) rhs for a symmetric positive semi-definite matrix: eigenvalues
    below the rounding of the largest count as zero."""
    lam, V = np.linalg.eigh(matrix)
    lam = lam + alpha
    inverse = np.zeros_like(lam)
    kept = lam > lam.max(initial=0.0) * matrix.shape[0] * np.finfo(float).eps
    inverse[kept] = 1.0 / lam[kept]
    return V @ (inverse[:, None] * (V.T @ np.asarray(rhs, dtype=np.float64)))
