"""``Ridge`` and ``RidgeCV``: scikit-learn's estimators on the blocked Cholesky kernel.

Both work on the weighted, centred statistics (Ridge's weights enter as given, not rescaled):
the primal system (G + alpha I) w = X^T y for n >= p, the dual (K + alpha I) a = y with
K = Z Z^T for wide X. ``positive=True`` is the elastic-net path solver at l1_ratio=0 (bounded
coordinate descent on the same statistics, certified by its duality gap). ``RidgeCV`` selects
alpha by efficient leave-one-out (cv=None, one eigendecomposition for all alphas, as
scikit-learn's GCV) or on given folds from one pass of fold statistics, one Cholesky per fold
and alpha.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, MultiOutputMixin, RegressorMixin
from sklearn.metrics import get_scorer, r2_score
from sklearn.model_selection import GridSearchCV, check_cv
from sklearn.utils.validation import validate_data

from .. import _statistics as statistics
from .._exceptions import warn
from .._ridge import (
    RidgeSystem,
    centred_kernel,
    centred_transpose_product,
    check_solver,
    fit_ridge,
    weighted_means,
)
from ..statistics import GramStats
from ..statistics._folds import split_statistics
from .._validation import contiguous
from ..statistics._gramstats import check_fit_weight
from ._linear import LinearPredictor, checked_alpha_entries, refuse_statistics
from ._routing import cv_router, split_params


class Ridge(MultiOutputMixin, LinearPredictor):
    """Linear least squares with l2 regularisation: ``||y - Xw - b||^2_s + alpha ||w||^2``.

    Same parameters, defaults and attributes as :class:`sklearn.linear_model.Ridge`
    (scikit-learn 1.9), solved exactly on the weighted, centred statistics: by shrinkage's
    blocked Cholesky (of X^T X + alpha I, or of the n x n kernel for wide X), or with
    ``positive=True`` by bounded coordinate descent certified by its duality gap. Every
    ``solver`` name scikit-learn accepts defines the same minimiser and gets it: the name
    selects no iterative approximation (``max_iter`` and ``tol`` do not truncate the solve).
    For ``alpha=0`` on rank-deficient X the minimum-norm least-squares solution is returned,
    with a warning. ``alpha`` may hold one value per target. ``fit`` also takes a
    :class:`GramStats` (``fit(stats)``).

    Parameters
    ----------
    alpha : float or array-like of shape (n_targets,), default=1.0
        The penalty (>= 0), one for all targets or one per target.
    fit_intercept : bool, default=True
    copy_X : bool, default=True
        Accepted for compatibility: X is never written to.
    max_iter, tol, random_state
        Accepted for compatibility: the solve is direct (positive=True: to a relative duality
        gap of 1e-12).
    solver : {"auto", "svd", "cholesky", "lsqr", "sparse_cg", "sag", "saga", "lbfgs"}, \
default="auto"
        Accepted for compatibility: every name gets the exact minimiser.
    positive : bool, default=False
        Constrain the coefficients to be >= 0.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
    intercept_ : float or ndarray of shape (n_targets,)
    n_iter_ : None
    solver_ : str
        The solver name given ("auto" reads as "cholesky", or "lbfgs" with positive=True, as
        scikit-learn reports it).
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np, shrinkage
    >>> X = np.array([[0.0, 1.0], [1.0, 2.0], [2.0, 2.0], [3.0, 5.0]]); y = X @ [1.0, 0.5] + 2
    >>> model = shrinkage.Ridge(alpha=0.1).fit(X, y)
    >>> model.coef_.round(3), model.intercept_.round(3)
    (array([0.941, 0.533]), np.float64(2.005))
    """

    def __init__(self, alpha=1.0, *, fit_intercept=True, copy_X=True, max_iter=None, tol=1e-4,
                 solver="auto", positive=False, random_state=None):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.max_iter = max_iter
        self.tol = tol
        self.solver = solver
        self.positive = positive
        self.random_state = random_state

    def fit(self, X: Any, y: ArrayLike | None = None, sample_weight: ArrayLike | None = None
            ) -> Ridge:
        """Fit on (X, y), optionally weighted, or on a GramStats (``fit(stats)``)."""
        check_solver(self.solver)
        if isinstance(X, GramStats):
            if y is not None or sample_weight is not None:
                raise ValueError("With GramStats as X, y and sample_weight must be None.")
            self.n_features_in_ = X.n_features
            system = RidgeSystem.from_stats(X.check(), self.fit_intercept,
                                            np.dtype(np.float64), self.positive)
        else:
            X, y = validate_data(self, X, y, accept_sparse=["csr", "csc"],
                                 dtype=[np.float64, np.float32], multi_output=True,
                                 y_numeric=True)
            w = check_fit_weight(sample_weight, X.shape[0])
            system = RidgeSystem.from_data(X, y, w, self.fit_intercept, self.positive)
        self._set_coef(fit_ridge(system, self.alpha), system)
        self.n_iter_ = None
        if self.solver == "auto":
            self.solver_ = "lbfgs" if self.positive else "cholesky"
        else:
            self.solver_ = self.solver
        return self


class RidgeCV(MultiOutputMixin, LinearPredictor):
    """Ridge with alpha chosen by leave-one-out or K-fold cross-validation.

    Same parameters, defaults and attributes as :class:`sklearn.linear_model.RidgeCV`
    (scikit-learn 1.9). ``cv=None``: efficient leave-one-out from one eigendecomposition (of
    the p x p Gram for n > p, of the n x n kernel otherwise), scored like scikit-learn (minus
    the mean squared leave-one-out error, on the sqrt(weight)-scaled problem, or ``scoring``
    on the predictions); ``alpha_per_target`` and ``store_cv_results`` supported. Given folds
    with ``scoring=None`` use one pass of fold statistics and one Cholesky per fold and alpha
    (n > p), or one kernel X X^T and one eigendecomposition per fold (wide X, dense or sparse),
    scored by the (weighted) R^2 of each test fold's predictions as scikit-learn's
    ``GridSearchCV`` does (NaN for a one-sample fold, as there); other scorers with folds go
    through ``GridSearchCV`` over shrinkage's ``Ridge``.

    Parameters
    ----------
    alphas : array-like of shape (n_alphas,), default=(0.1, 1.0, 10.0)
    fit_intercept : bool, default=True
    scoring : str or callable, default=None
    cv : int, cross-validation generator or iterable, default=None (leave-one-out)
    gcv_mode : {None, "auto", "svd", "eigen"}, default=None
        Accepted for compatibility: leave-one-out always uses the smaller eigendecomposition.
    store_cv_results : bool, default=False
    alpha_per_target : bool, default=False

    Attributes
    ----------
    alpha_ : float or ndarray of shape (n_targets,)
    best_score_ : float or ndarray of shape (n_targets,)
    coef_, intercept_
        Of the refit at ``alpha_``.
    cv_results_ : ndarray, with ``store_cv_results=True``
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np, shrinkage
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((50, 4)); y = X @ [1.0, 0.0, -1.0, 2.0] + rng.standard_normal(50)
    >>> shrinkage.RidgeCV(alphas=[0.1, 1.0, 10.0]).fit(X, y).alpha_
    np.float64(1.0)
    """

    def __init__(self, alphas=(0.1, 1.0, 10.0), *, fit_intercept=True, scoring=None, cv=None,
                 gcv_mode=None, store_cv_results=False, alpha_per_target=False):
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.scoring = scoring
        self.cv = cv
        self.gcv_mode = gcv_mode
        self.store_cv_results = store_cv_results
        self.alpha_per_target = alpha_per_target

    def fit(self, X: Any, y: ArrayLike, sample_weight: ArrayLike | None = None,
            **params: Any) -> RidgeCV:
        refuse_statistics(self, X)
        alphas = self._checked_alphas()
        if self.gcv_mode not in (None, "auto", "svd", "eigen"):
            raise ValueError(f"gcv_mode must be None, 'auto', 'svd' or 'eigen', got "
                             f"{self.gcv_mode!r}.")
        if self.cv is not None:
            if self.store_cv_results:
                raise ValueError("cv!=None and store_cv_results=True are incompatible")
            if self.alpha_per_target:
                raise ValueError("cv!=None and alpha_per_target=True are incompatible")
            return self._fit_folds(X, y, sample_weight, alphas,
                                   split_params(self, sample_weight, params))
        if params:
            raise ValueError(f"Leave-one-out (cv=None) takes no extra fit parameters, got "
                             f"{sorted(params)}.")
        return self._fit_loo(X, y, sample_weight, alphas)

    def get_metadata_routing(self):
        """The routing of ``fit``'s extra parameters (to the cv splitter), as scikit-learn's."""
        return cv_router(self)

    def _checked_alphas(self):
        """scikit-learn's checks and messages: real, finite, > 0 for leave-one-out (which
        scikit-learn does not define at alpha = 0), >= 0 on folds."""
        return checked_alpha_entries(self.alphas, "neither" if self.cv is None else "left")

    def _fit_folds(self, X, y, sample_weight, alphas, split):
        if self.scoring is not None:
            splits = list(check_cv(self.cv).split(X, y, **split))
            search = GridSearchCV(Ridge(fit_intercept=self.fit_intercept), {"alpha": alphas},
                                  cv=splits, scoring=self.scoring)
            search.fit(X, y, sample_weight=sample_weight)
            best = search.best_estimator_
            self.alpha_, self.best_score_ = best.alpha, search.best_score_
            self.coef_, self.intercept_ = best.coef_, best.intercept_
            self.n_features_in_ = best.n_features_in_
            if hasattr(best, "feature_names_in_"):
                self.feature_names_in_ = best.feature_names_in_
            return self
        X, y = validate_data(self, X, y, accept_sparse=["csr", "csc"],
                             dtype=[np.float64, np.float32], multi_output=True, y_numeric=True)
        X = contiguous(X)
        w = check_fit_weight(sample_weight, X.shape[0])
        splits = [(np.asarray(tr), np.asarray(te))
                  for tr, te in check_cv(self.cv).split(X, y, **split)]
        scores = np.empty((len(splits), alphas.size))
        if X.shape[1] > X.shape[0]:
            # Wide: every fold's dual from one kernel X X^T, scored on its test rows.
            G = statistics.gram(X.T)
            for f, (train, test) in enumerate(splits):
                scores[f] = _dual_fold_scores(G, y, w, train, test, alphas, self.fit_intercept)
            whole = RidgeSystem.dual(X, y, w, self.fit_intercept)
        else:  # Tall: every fold's statistics (and the total) from one pass over X.
            total, folds = split_statistics(X, y, w, splits)
            whole = RidgeSystem.from_stats(total, self.fit_intercept, X.dtype)
            for f, (fold, (_, test)) in enumerate(zip(folds, splits, strict=True)):
                fit = RidgeSystem.from_stats(fold.train(), self.fit_intercept, X.dtype)
                X_test = X[test]
                for k, alpha in enumerate(alphas):
                    coef = fit.solve(alpha, slice(None))
                    prediction = np.asarray(X_test @ coef.T) + fit.intercepts(coef)
                    scores[f, k] = r2_score(y[test], prediction.reshape(y[test].shape),
                                            sample_weight=None if w is None else w[test])
        mean = scores.mean(axis=0)
        # GridSearchCV's rank: the first of equal scores; NaN (one-sample folds) ranks last.
        best = 0 if np.isnan(mean).all() else int(np.nanargmax(mean))
        self.alpha_, self.best_score_ = np.float64(alphas[best]), np.float64(mean[best])
        self._set_coef(whole.solve(self.alpha_, slice(None)), whole)
        return self

    def _fit_loo(self, X, y, sample_weight, alphas):
        X, y = validate_data(self, X, y, accept_sparse=["csr", "csc"],
                             dtype=[np.float64, np.float32], multi_output=True, y_numeric=True)
        X = contiguous(X)
        if X.shape[0] < 2:
            raise ValueError(f"Leave-one-out needs at least 2 samples, got n_samples = "
                             f"{X.shape[0]}.")
        if self.gcv_mode == "svd" and sp.issparse(X):
            warn("The 'svd' mode is not supported for sparse X, we fallback to "
                 "`gcv_mode='eigen'`. Passing `gcv_mode='svd'` on sparse X will raise an error "
                 "in scikit-learn 1.11; use the default or pass `gcv_mode='eigen'` to suppress "
                 "this warning (shrinkage's leave-one-out is the same in every mode).",
                 FutureWarning)
        n = X.shape[0]
        w = check_fit_weight(sample_weight, n)
        loo = _LeaveOneOut(X, y, w, self.fit_intercept)
        scorer = None if self.scoring is None else get_scorer(self.scoring)
        n_targets = loo.Yc.shape[1]
        per_target = self.alpha_per_target and n_targets > 1
        if self.store_cv_results:
            self.cv_results_ = np.empty((n * n_targets, alphas.size))
        best_score = best_alpha = None
        for k, (alpha, looe) in enumerate(zip(alphas, loo.errors(alphas), strict=True)):
            if scorer is None:
                squared = looe**2
                score = -squared.mean(axis=0) if per_target else -squared.mean()
                if self.store_cv_results:
                    self.cv_results_[:, k] = squared.ravel()
            else:
                predictions = loo.predictions(looe)
                if self.store_cv_results:
                    self.cv_results_[:, k] = predictions.ravel()
                score = _score(scorer, predictions, y, w, per_target)
            if best_score is None:
                best_score = np.array(score, dtype=np.float64, ndmin=1 if per_target else 0)
                best_alpha = np.full(n_targets, alpha) if per_target else alpha
            elif per_target:
                better = score > best_score
                best_score[better], best_alpha[better] = score[better], alpha
            elif score > best_score:
                best_score, best_alpha = score, alpha
        if per_target:
            best_coef = np.array([loo.coef(a)[t] for t, a in enumerate(best_alpha)])
        else:
            best_coef = loo.coef(best_alpha)
        self.alpha_ = best_alpha if per_target else np.float64(best_alpha)
        self.best_score_ = best_score if per_target else np.float64(best_score)
        if self.store_cv_results:
            shape = (n, alphas.size) if y.ndim == 1 else (n, n_targets, alphas.size)
            self.cv_results_ = self.cv_results_.reshape(shape).astype(X.dtype, copy=False)
        self._set_coef(best_coef, loo)
        return self


class _LeaveOneOut:
    """Leave-one-out errors of the weighted, intercept-fitted ridge for all alphas at once.

    With Z = sqrt(w) (X - 1 m^T) orthogonal to sqrt(w), the hat matrix is
    Z (Z^T Z + alpha I)^{-1} Z^T + sqrt(w) sqrt(w)^T / W. One eigendecomposition, of Z^T Z = the
    centred Gram (p x p, for n > p) or of Z Z^T (n x n, otherwise), gives every alpha's
    predictions and hat diagonal; LOO errors are (y_c - y_hat) / (1 - h_ii). For the kernel,
    1 - h_ii is summed from the eigenvalues' own factors alpha / (lam + alpha), with the
    intercept's direction sqrt(w) (the centred kernel's null vector) taken out exactly, so
    that it keeps its digits as h_ii nears 1 (small alpha on wide data). For n > p the
    basis U = Z V (n x p) is formed block by block of rows, each block serving every alpha by
    one product, so memory stays O(block x p) and U is never stored.
    """

    block_rows = 8192

    def __init__(self, X, y, w, fit_intercept):
        n, p = X.shape
        weights = np.ones(n) if w is None else w
        self.X = X.tocsr() if sp.issparse(X) else X
        self.root = np.sqrt(weights)
        Y = y.reshape(n, -1).astype(np.float64)
        self.kernel = n <= p
        self.dtype, self.targets_2d = X.dtype, y.ndim == 2  # what _set_coef reads
        if self.kernel:  # Z Z^T = Q diag(lam) Q^T: only the means are needed, not X^T X
            self.x_mean, self.y_mean = weighted_means(X, Y, weights, fit_intercept)
            self.Yc = (Y - self.y_mean) * self.root[:, None]
            lam, self.basis = np.linalg.eigh(centred_kernel(X, self.root, self.x_mean))
            self.proj = self.basis.T @ self.Yc
            self.counted = np.ones(n, dtype=bool)  # the directions 1 - h_ii sums over
            if fit_intercept:  # its eigenvalue is rounding; its leverage is w_i / W exactly
                intercept = int(np.argmax(np.abs(self.basis.T @ self.root)))
                lam[intercept] = 0.0
                self.proj[intercept] = 0.0
                self.counted[intercept] = False
        else:  # Z^T Z = V diag(lam) V^T
            stats = GramStats.from_arrays(X, y, w)
            if fit_intercept:
                self.x_mean, self.y_mean = stats.x_mean, np.atleast_1d(stats.y_mean)
                gram, xy = stats.gram, stats.xy
            else:
                self.x_mean, self.y_mean = np.zeros(p), np.zeros(Y.shape[1])
                gram, xy, _ = stats.uncentred()
            self.Yc = (Y - self.y_mean) * self.root[:, None]
            lam, self.V = np.linalg.eigh(gram)
            self.xy = np.asarray(xy).reshape(p, -1)
            self.proj = self.V.T @ self.xy  # U^T y_c
        self.lam = np.maximum(lam, 0.0)
        self.intercept_leverage = weights / weights.sum() if fit_intercept else np.zeros(n)

    def intercepts(self, coef):
        """ybar - xbar^T w for coefficients coef (n_targets, p): zero without an intercept."""
        return self.y_mean - coef @ self.x_mean

    def errors(self, alphas):
        """LOO errors, shape (n_alphas, n, n_targets), on the sqrt(w) scale."""
        alphas = np.asarray(alphas)  # all > 0 (checked by RidgeCV)
        inverse = 1.0 / (self.lam[:, None] + alphas)  # (r, A)
        if self.kernel:
            return self._kernel_errors(alphas * inverse)
        # H = U diag(1 / (lam + alpha)) U^T + the intercept's w_i / W, U formed block by block.
        weighted_proj = (inverse[:, :, None] * self.proj[:, None, :]).reshape(len(self.lam), -1)
        n, n_targets = self.Yc.shape
        out = np.empty((len(alphas), n, n_targets))
        shift = self.x_mean @ self.V
        for start in range(0, n, self.block_rows):
            rows = slice(start, min(n, start + self.block_rows))
            basis = (np.asarray(self.X[rows] @ self.V) - shift) * self.root[rows, None]
            y_hat = (basis @ weighted_proj).reshape(basis.shape[0], len(alphas), n_targets)
            complement = 1.0 - (basis**2) @ inverse - self.intercept_leverage[rows, None]
            residual = self.Yc[rows, None, :] - y_hat
            out[:, rows] = np.moveaxis(residual / complement[:, :, None], 1, 0)
        return out

    def _kernel_errors(self, kept):
        """With I - H = Q diag(alpha / (lam + alpha)) Q^T over the counted directions, both the
        residual (I - H) y_c and 1 - h_ii come from the factors ``kept`` (r, A) themselves, so
        neither is a difference of nearly equal numbers."""
        Q, kept, proj = self.basis[:, self.counted], kept[self.counted], self.proj[self.counted]
        n, n_targets = self.Yc.shape
        n_alphas = kept.shape[1]
        residual = (Q @ (kept[:, :, None] * proj[:, None, :]).reshape(len(kept), -1)).reshape(
            n, n_alphas, n_targets)
        complement = (Q**2) @ kept
        return np.moveaxis(residual / complement[:, :, None], 1, 0)

    def coef(self, alpha):
        """The coefficients (n_targets, p) at one alpha."""
        inverse = 1.0 / (self.lam + alpha)
        if self.kernel:  # w = Z^T a, a = Q diag(1 / (lam + alpha)) Q^T y_c
            a = self.basis @ (inverse[:, None] * self.proj)
            return centred_transpose_product(self.X, self.root, self.x_mean, a).T
        return (self.V @ (inverse[:, None] * self.proj)).T

    def predictions(self, looe):
        """Leave-one-out predictions on the original scale (zero-weight rows: the fit)."""
        root = np.where(self.root > 0, self.root, 1.0)
        return (self.Yc - looe) / root[:, None] + self.y_mean


def _dual_fold_scores(G, y, w, train, test, alphas, fit_intercept):
    """Weighted R^2 on `test` of the ridge fitted on `train`, for every alpha, from the
    uncentred kernel G = X X^T alone: centring about the training mean m is the rank-one
    correction G_ij - u_i - u_j + c with u = X m, c = m^T m (as centred_kernel); the training
    kernel's eigendecomposition serves every alpha, and the test predictions are
    y_mean + Kc[test, train] diag(root) a, so no p-vector is ever formed."""
    Y = y.reshape(len(y), -1).astype(np.float64)
    weights = np.ones(len(y)) if w is None else w
    w_train = weights[train]
    root = np.sqrt(w_train)
    if fit_intercept:
        W = w_train.sum()
        u = G[:, train] @ w_train / W  # x_i . m for every row i
        c = w_train @ u[train] / W
        y_mean = w_train @ Y[train] / W
    else:
        u, c, y_mean = np.zeros(len(y)), 0.0, np.zeros(Y.shape[1])

    def centred(rows):
        return G[np.ix_(rows, train)] - u[rows, None] - u[None, train] + c

    lam, Q = np.linalg.eigh(centred(train) * np.outer(root, root))
    lam = np.maximum(lam, 0.0)
    proj = Q.T @ ((Y[train] - y_mean) * root[:, None])
    cross = centred(test) * root[None, :]
    scores = np.empty(len(alphas))
    for k, alpha in enumerate(alphas):
        inverse = 1.0 / (lam + alpha) if alpha > 0 else _pinv(lam)
        prediction = y_mean + cross @ (Q @ (inverse[:, None] * proj))
        scores[k] = r2_score(y[test], prediction.reshape(y[test].shape),
                             sample_weight=None if w is None else w[test])
    return scores


def _pinv(lam):
    out = np.zeros_like(lam)
    positive = lam > lam.max(initial=0.0) * 1e-12
    out[positive] = 1.0 / lam[positive]
    return out


class _Identity(RegressorMixin, BaseEstimator):
    """Hands precomputed predictions to a scorer (scikit-learn's GCV does the same)."""

    def predict(self, predictions):
        return predictions


def _score(scorer, predictions, y, w, per_target):
    kwargs = {} if w is None else {"sample_weight": w}
    if per_target:
        return np.array([scorer(_Identity(), predictions[:, t], y[:, t], **kwargs)
                         for t in range(predictions.shape[1])])
    pred = predictions if y.ndim == 2 else predictions[:, 0]
    return scorer(_Identity(), pred, y, **kwargs)
