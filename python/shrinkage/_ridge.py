"""Ridge: one Gram (or kernel) for the whole path, one blocked Cholesky per alpha.

scikit-learn's Ridge scaling: minimise ||y - X w||^2 + alpha ||w||^2 (no 1/n), i.e. solve
(X^T X + alpha I) w = X^T y, or for p > n the cheaper dual (X X^T + alpha I) a = y, w = X^T a.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from . import _core
from . import _statistics as statistics
from ._memory import check_square
from ._validation import check_gram, check_X, check_y, real_array
from .statistics import GramStats


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
    """Drop-in for :func:`sklearn.linear_model.ridge_regression` with its Cholesky solver.

    ``alpha`` may be a scalar or one value per target. ``sample_weight`` rescales the rows by
    its square root, as scikit-learn does. Solvers other than "auto"/"cholesky", ``positive``
    and ``return_intercept`` are not provided and raise.

    Returns
    -------
    coef : ndarray of shape (n_features,) or (n_targets, n_features)
    n_iter : None, with ``return_n_iter=True`` (direct solver)

    Examples
    --------
    >>> import numpy as np, shrinkage
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]); y = np.array([1.0, 2.0, 3.0])
    >>> shrinkage.ridge_regression(X, y, alpha=1.0).round(3)
    array([0.875, 1.375])
    """
    if solver not in ("auto", "cholesky"):
        raise NotImplementedError(f"solver={solver!r}: shrinkage provides the Cholesky solver.")
    if positive or return_intercept:
        raise NotImplementedError("positive and return_intercept are not provided.")
    X = check_X(X) if check_input else X
    n = X.shape[0]
    y = check_y(y, n, X.dtype)
    if sample_weight is not None:
        sw = np.asarray(sample_weight, dtype=np.float64)
        if sw.ndim == 0:
            sw = np.full(n, float(sw))
        if sw.shape != (n,) or not np.isfinite(sw).all() or (sw < 0).any():
            raise ValueError("sample_weight must be finite, non-negative, one per sample.")
        root = np.sqrt(sw)
        X = (X.multiply(root[:, None]).tocsc() if sp.issparse(X)
             else X * root[:, None].astype(X.dtype))
        y = y * (root if y.ndim == 1 else root[:, None]).astype(y.dtype)
    Y = y.reshape(n, -1)
    alpha = np.atleast_1d(np.asarray(alpha, dtype=np.float64))
    if alpha.size not in (1, Y.shape[1]):
        raise ValueError(f"alpha has {alpha.size} values for {Y.shape[1]} targets.")
    alpha = np.broadcast_to(alpha, (Y.shape[1],))
    coef = np.empty((Y.shape[1], X.shape[1]), dtype=X.dtype)
    for value in np.unique(alpha):  # targets sharing an alpha share one factorisation
        targets = np.flatnonzero(alpha == value)
        coef[targets] = ridge_path(X, Y[:, targets], [value], check_input=False)[:, :, 0]
    coef = coef if y.ndim == 2 else coef[0]
    return (coef, None) if return_n_iter else coef


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
    the matrix (one buffer for the whole path) so that the matrix itself is reused."""

    def __init__(self, matrix, name="X^T X"):
        self.matrix = matrix
        self.name = name  # for errors
        check_square(matrix.shape[0], f"The factorisation of {name} + alpha I",
                     "use fewer features or the dual form (p > n).")
        self.scratch = np.empty_like(matrix, order="F")

    def __call__(self, alpha, rhs):
        a = self.scratch
        np.copyto(a, self.matrix)
        a.flat[:: a.shape[0] + 1] += alpha
        failed = _core.cholesky_inplace(a)
        if failed >= 0:
            raise np.linalg.LinAlgError(
                f"{self.name} + alpha I is not positive definite at alpha={alpha:g}: the pivot "
                f"of column {failed} is not positive (X is rank-deficient); use a positive "
                "alpha."
            )
        out = np.array(rhs, dtype=np.float64, order="F")
        _core.cho_solve_inplace(a, out)
        return out
