"""The binomial family: L1 / elastic-net logistic regression paths (docs/design.md §7).

For each alpha of a decreasing grid, warm-started from the previous one,

    P(w, b) = sum_i c_i (log(1 + exp(eta_i)) - y_i eta_i) + alpha * (l1_ratio ||w||_1
              + (1 - l1_ratio) / 2 ||w||^2),   eta = X w + b + offset,  c = s / sum(s),

is solved by proximal Newton steps on the design of the Gaussian family (the compiled
``binomial_path``): each step's quadratic model is a weighted least-squares problem that the
same path driver solves. Every returned point carries P's duality gap.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from . import _core, _feature_terms, _problem
from ._path import (
    _resolve_alphas_argument,
    _warn_not_converged,
    _warn_stopped,
    solver_options,
)
from ._threads import one_blas_thread
from ._validation import check_parameters, check_X, real_array
from .statistics._gramstats import check_fit_weight

_PARAMS = {"dfmax", "pmax", "max_newton", *_feature_terms.KEYWORDS}


def logistic_path(X: Any, y: ArrayLike, *, l1_ratio: float = 1.0, eps: float = 1e-3,
                  alphas: Any = 100, fit_intercept: bool = True,
                  sample_weight: ArrayLike | None = None, offset: ArrayLike | None = None,
                  tol: float = 1e-4, max_iter: int = 1000, coef_init: ArrayLike | None = None,
                  intercept_init: float | None = None, positive: bool = False,
                  check_input: bool = True, return_n_iter: bool = False,
                  **params: Any) -> tuple:
    """Compute an L1 / elastic-net logistic regression path, certified at every alpha.

    Minimises, for each alpha, the weighted mean log-loss ``sum_i s_i log(1 + exp(-y~_i
    eta_i)) / sum(s)`` (y~ = +-1, eta = X w + intercept + offset) plus ``alpha * l1_ratio
    * ||w||_1 + alpha * (1 - l1_ratio) / 2 * ||w||^2``, the intercept unpenalised. This is
    scikit-learn's ``LogisticRegression`` objective with ``C = 1 / (alpha * sum(s))``, and
    glmnet's ``family="binomial"`` with ``lambda = alpha``.

    Parameters
    ----------
    X : array-like or sparse matrix of shape (n_samples, n_features)
        float64 or float32 (kept); read in place, never modified. The coefficients are
        float64 either way: the gaps certify them as returned.
    y : array-like of shape (n_samples,)
        Two classes; the larger label (in sorted order) is the positive class, as in
        scikit-learn. One class is an error; three or more raise NotImplementedError (the
        multinomial family).
    l1_ratio : float in [0, 1], default=1
    eps : float, default=1e-3
        ``alpha_min / alpha_max`` of the automatic grid.
    alphas : int or array-like, default=100
        An int gives that many alphas, geometric from alpha_max (the smallest alpha at which
        every penalised coefficient is zero) down to ``eps * alpha_max``; an array is used as
        given, sorted in decreasing order.
    fit_intercept : bool, default=True
    sample_weight : array-like of shape (n_samples,), default=None
    offset : array-like of shape (n_samples,), default=None
        glmnet's offset: a known part of the linear predictor.
    tol : float, default=1e-4
        Converged when the duality gap is at most ``tol`` times the null deviance per unit
        weight (``2 * (loss(null model) - loss(saturated model))``): the Gaussian family's
        ``tol * ||y||^2 / n``.
    max_iter : int, default=1000
        Epochs of coordinate descent for each Newton step's quadratic model.
    coef_init : array-like of shape (n_features,), default=None
        Warm start for the first alpha, with ``intercept_init``.
    positive : bool, default=False
    return_n_iter : bool, default=False
    **params
        ``max_newton`` (100): Newton steps per alpha; glmnet's ``dfmax`` and ``pmax`` and its
        per-feature controls ``penalty_factor`` (> 0), ``exclude``, ``lower_bounds``,
        ``upper_bounds``, ``standardize``, ``rescale_penalty_factor``, as in
        :func:`shrinkage.enet_path`.

    Returns
    -------
    alphas : ndarray of shape (n_alphas,)
    coefs : ndarray of shape (n_features, n_alphas)
    intercepts : ndarray of shape (n_alphas,)
    dual_gaps : ndarray of shape (n_alphas,)
        The duality gap at each alpha, in the objective's units (the weighted mean log-loss).
    n_iters : ndarray of int
        Coordinate-descent epochs at each alpha (with ``return_n_iter=True``).

    Examples
    --------
    >>> import numpy as np, shrinkage
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((100, 5)); y = X[:, 0] + rng.standard_normal(100) > 0
    >>> alphas, coefs, intercepts, gaps = shrinkage.logistic_path(X, y, alphas=10)
    >>> coefs.shape, bool(coefs[0, -1] > 0)
    ((5, 10), True)
    """
    unknown = set(params) - _PARAMS
    if unknown:
        raise ValueError("Unexpected parameters in params", unknown)
    alphas = _resolve_alphas_argument(alphas, "deprecated")
    check_parameters(tol=tol, max_iter=max_iter, l1_ratio=l1_ratio, eps=eps, alphas=alphas,
                     dfmax=params.get("dfmax"), pmax=params.get("pmax"))
    problem = BinomialProblem(X, y, sample_weight, offset, fit_intercept, check_input)
    options = solver_options(l1_ratio, positive, tol, max_iter, dfmax=params.get("dfmax"),
                             pmax=params.get("pmax"))
    terms = {k: params[k] for k in _feature_terms.KEYWORDS if k in params}
    grid = problem.alpha_grid(options, terms, alphas, eps)
    w0, b0 = problem.initial_point(coef_init, intercept_init)
    result = problem.solve(grid, options, w0, b0,
                           controls={"max_newton": int(params.get("max_newton", 100))})
    grid = grid[:result["coefs"].shape[1]]
    out = (grid, result["coefs"], result["intercepts"], result["gaps"])
    return (*out, result["n_iter"]) if return_n_iter else out


class BinomialProblem:
    """A binomial problem as the compiled path sees it: the Gaussian family's design of X
    (weighted column variances for standardising), the responses as 0 / 1, and the model
    without features (its intercept, loss and gradient, from which alpha_max comes)."""

    def __init__(self, X, y, sample_weight, offset, fit_intercept, check_input=True):
        X = check_X(X) if check_input else X
        n = X.shape[0]
        self.classes, self.y = binary_response(y, n)
        self.weight = check_fit_weight(sample_weight, n)
        if self.weight is not None:
            positive = self.weight > 0
            if not (self.y[positive].any() and (self.y[positive] == 0).any()):
                raise ValueError("Both classes need samples of positive weight.")
        self.offset = _offset(offset, n)
        self.fit_intercept = bool(fit_intercept)
        # The design the Gaussian family would solve on (never a full Gram): its diagonal is
        # the columns' weighted variances, which standardising reads.
        self.gaussian = _problem.from_data(X, self.y, sample_weight=self.weight,
                                           fit_intercept=fit_intercept, precompute=False,
                                           check_input=False)
        self.design = self.gaussian.source
        with one_blas_thread():
            self.null_intercept, self.null_loss, self.saturated_loss, self.null_gradient = (
                _core.binomial_null(self.design, self.y, self.weight, self.offset,
                                    self.fit_intercept))

    @property
    def n_features(self):
        return self.design.n_features

    def alpha_grid(self, options, terms, alphas, eps):
        """Adds the per-feature terms to ``options`` and returns the grid: the given alphas,
        decreasing, or an int's geometric grid from alpha_max."""
        options.features = _feature_terms.feature_terms(self.gaussian, positive=options.positive,
                                                        **terms)
        features = options.features
        if features is not None and ((features.l1_weight == 0)
                                     & (features.upper > features.lower)).any():
            raise NotImplementedError("penalty_factor=0 (unpenalised features) is not supported "
                                      "by the binomial family yet.")
        if not isinstance(alphas, (int, np.integer)):
            return np.sort(np.asarray(alphas, dtype=np.float64))[::-1].copy()
        if options.l1_ratio == 0:
            raise ValueError("Automatic alpha grid generation is not supported for "
                             "l1_ratio=0: pass the alphas.")
        u = self.null_gradient
        if features is None:
            push = np.maximum(u, 0.0) if options.positive else np.abs(u)
            top = float(push.max())
        else:
            push = np.maximum(np.where(features.upper > 0, u, 0.0),
                              np.where(features.lower < 0, -u, 0.0))
            penalised = features.l1_weight > 0
            top = float(np.max(push[penalised] / features.l1_weight[penalised],
                               initial=0.0))
        alpha_max = top / options.l1_ratio
        if alpha_max <= _problem.TINY_ALPHA:
            return np.full(int(alphas), _problem.TINY_ALPHA)
        return np.geomspace(alpha_max, alpha_max * eps, num=int(alphas))

    def initial_point(self, coef_init, intercept_init):
        if coef_init is None:
            return None, 0.0
        w0 = np.ascontiguousarray(real_array(coef_init, "coef_init"), np.float64).ravel()
        if w0.shape != (self.n_features,) or not np.isfinite(w0).all():
            raise ValueError(f"coef_init must hold {self.n_features} finite values.")
        b0 = 0.0 if intercept_init is None else float(intercept_init)
        if not np.isfinite(b0):
            raise ValueError("intercept_init must be finite.")
        return w0, b0

    def solve(self, alphas, options, coef_init=None, intercept_init=0.0, controls=None,
              progress=None):
        """The compiled path (its result dict); warns where the gap stayed above tol or a
        limit stopped the path."""
        with one_blas_thread():
            result = _core.binomial_path(
                self.design, self.y, self.weight, self.offset, self.fit_intercept, alphas,
                coef_init, intercept_init, options, controls or {}, progress)
        gaps, converged = result["gaps"], np.asarray(result["converged"], dtype=bool)
        if not np.isfinite(gaps).all():
            bad = np.flatnonzero(~np.isfinite(gaps))[0]
            raise ValueError(f"The duality gap is not finite at alpha={alphas[bad]:.3e}: "
                             "values overflowed; no certificate.")
        if not converged.all():
            _warn_not_converged(alphas, gaps, converged, options.tol * result["tol_unit"],
                                np.float64, unit="tol * null deviance / sum of weights")
        coefs = result["coefs"]
        if coefs.shape[1] < len(alphas) and (options.dfmax >= 0 or options.pmax >= 0):
            _warn_stopped(alphas, coefs[None], options)
        return result


def binary_response(y, n_samples):
    """(classes, y as 0.0 / 1.0 with classes[1] as 1)."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y.ravel()
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D for the binomial family, got shape {y.shape}.")
    if y.shape[0] != n_samples:
        raise ValueError(f"X and y have inconsistent numbers of samples: {n_samples} and "
                         f"{y.shape[0]}.")
    if y.dtype.kind == "c":
        raise ValueError(f"y is complex ({y.dtype}); class labels must be real.")
    if y.dtype.kind == "f" and not np.isfinite(y).all():
        raise ValueError("Input y contains NaN or infinity.")
    classes, codes = np.unique(y, return_inverse=True)
    if classes.size < 2:
        raise ValueError(f"The binomial family needs samples of two classes; y holds only "
                         f"{classes[0]!r}." if classes.size else "y is empty.")
    if classes.size > 2:
        raise MultinomialNotImplemented(classes.size)
    return classes, codes.astype(np.float64)


class MultinomialNotImplemented(NotImplementedError, ValueError):
    """Three or more classes: the multinomial family, not implemented yet. A ValueError too,
    with scikit-learn's wording for binary-only classifiers, so code written for those
    catches it."""

    def __init__(self, n_classes):
        super().__init__(
            f"Only binary classification is supported. The type of the target is multiclass: "
            f"y holds {n_classes} classes, the multinomial family, which shrinkage does not "
            "implement yet (it never fits one-vs-rest silently).")


def _offset(offset, n):
    if offset is None:
        return None
    o = real_array(offset, "offset").astype(np.float64).ravel()
    if o.shape != (n,):
        raise ValueError(f"offset has {o.size} values, expected one per sample ({n}).")
    if not np.isfinite(o).all():
        raise ValueError("offset contains NaN or infinity.")
    return o


__all__ = ["logistic_path"]
