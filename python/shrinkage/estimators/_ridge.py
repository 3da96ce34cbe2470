"""``Ridge`` and ``RidgeCV``: scikit-learn's estimators on the blocked Cholesky kernel.

Both work on the weighted, centred statistics (Ridge's weights enter as given, not rescaled):
the primal system (G + alpha I) w = X^T y for n >= p, the dual (K + alpha I) a = y with
K = Z Z^T for wide X. ``RidgeCV`` selects alpha by efficient leave-one-out (cv=None, one
eigendecomposition for all alphas, as scikit-learn's GCV) or on given folds from one pass of
fold statistics, one Cholesky per fold and alpha.
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
from .._ridge import _ShiftedSolver
from ..statistics import GramStats
from ..statistics._folds import split_statistics, squared_error
from ..statistics._gramstats import check_sample_weight
from ._linear import LinearPredictor, refuse_statistics


class Ridge(MultiOutputMixin, LinearPredictor):
    """Linear least squares with l2 regularisation: ``||y - Xw - b||^2_s + alpha ||w||^2``.

    Same parameters, defaults and attributes as :class:`sklearn.linear_model.Ridge`
    (scikit-learn 1.9), solved by shrinkage's blocked Cholesky on the weighted, centred
    statistics (``solver_`` is "cholesky"); ``alpha`` may hold one value per target. Solvers
    other than "auto"/"cholesky" and ``positive=True`` raise NotImplementedError. ``fit``
    also takes a :class:`GramStats` (``fit(stats)``).

    Parameters
    ----------
    alpha : float or array-like of shape (n_targets,), default=1.0
        The penalty (>= 0), one for all targets or one per target.
    fit_intercept : bool, default=True
    copy_X : bool, default=True
        Accepted for compatibility: X is never written to.
    max_iter, tol, random_state
        Accepted for compatibility: the solve is direct.
    solver : {"auto", "cholesky"}, default="auto"
    positive : bool, default=False
        Not provided (raises NotImplementedError).

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
    intercept_ : float or ndarray of shape (n_targets,)
    n_iter_ : None
    solver_ : str
        "cholesky".
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np, shrinkage
    >>> X = np.array([[0.0, 1.0], [1.0, 2.0], [2.0, 2.0], [3.0, 5.0]]); y = X @ [1.0, 0.5] + 2
    >>> model = shrinkage.Ridge(alpha=0.1).fit(X, y)
    >>> model.coef_.round(3), round(model.intercept_, 3)
    (array([0.941, 0.533]), 2.005)
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
        if self.solver not in ("auto", "cholesky"):
            raise NotImplementedError(
                f"solver={self.solver!r}: shrinkage's Ridge uses its Cholesky kernel.")
        if self.positive:
            raise NotImplementedError("positive=True is not provided by shrinkage's Ridge.")
        fitted = _RidgeFit(self, X, y, sample_weight)
        alpha = np.atleast_1d(np.asarray(self.alpha, dtype=np.float64))
        if alpha.ndim != 1 or not np.isfinite(alpha).all() or (alpha < 0).any():
            raise ValueError(f"alpha must be finite and >= 0, got {self.alpha!r}.")
        n_targets = fitted.n_targets
        if alpha.size not in (1, n_targets):
            raise ValueError(f"Number of targets and number of penalties do not correspond: "
                             f"{n_targets} != {alpha.size}")
        alpha = np.broadcast_to(alpha, (n_targets,))
        coef = np.empty((n_targets, fitted.n_features))
        for value in np.unique(alpha):  # targets sharing an alpha share one factorisation
            targets = np.flatnonzero(alpha == value)
            coef[targets] = fitted.solve(value, targets)
        self._set_coef(coef, fitted)
        self.n_iter_ = None
        self.solver_ = "cholesky"
        return self


class _RidgeFit:
    """The ridge problem of one data set: weighted, centred statistics, primal or dual."""

    def __init__(self, estimator, X, y, sample_weight):
        if isinstance(X, GramStats):
            if y is not None or sample_weight is not None:
                raise ValueError("With GramStats as X, y and sample_weight must be None.")
            estimator.n_features_in_ = X.n_features
            self._from_stats(X.check(), estimator.fit_intercept, np.dtype(np.float64))
            return
        X, y = validate_data(estimator, X, y, accept_sparse=["csr", "csc"],
                             dtype=[np.float64, np.float32], multi_output=True, y_numeric=True)
        self.dtype = X.dtype
        n, p = X.shape
        w = check_sample_weight(sample_weight, n)
        if p > n:  # the n x n kernel, never a p x p Gram (sparse text data: p in the 100 000s)
            self._dual(X, y, w, estimator.fit_intercept)
        else:
            stats = GramStats.from_arrays(X, y, w)
            self._from_stats(stats, estimator.fit_intercept, X.dtype)

    @classmethod
    def from_stats(cls, stats, fit_intercept, dtype):
        fit = cls.__new__(cls)
        fit._from_stats(stats, fit_intercept, dtype)
        return fit

    @classmethod
    def dual(cls, X, y, w, fit_intercept):
        fit = cls.__new__(cls)
        fit._dual(X, y, w, fit_intercept)
        return fit

    def _from_stats(self, stats, fit_intercept, dtype):
        self.dtype = dtype
        self.targets_2d = stats.n_targets is not None
        gram, xy, _ = (stats.gram, stats.xy, stats.yy) if fit_intercept else stats.uncentred()
        self.x_mean = stats.x_mean if fit_intercept else np.zeros(stats.n_features)
        self.y_mean = np.atleast_1d(stats.y_mean) if fit_intercept else np.zeros(
            1 if stats.n_targets is None else stats.n_targets)
        self._rhs = np.asarray(xy).reshape(stats.n_features, -1)
        self.n_features, self.n_targets = stats.n_features, self._rhs.shape[1]
        self._solver = _ShiftedSolver(np.asfortranarray(gram))
        self._dual_design = None

    def _dual(self, X, y, w, fit_intercept):
        """(K + alpha I) a = y_c with K = Z Z^T, Z = sqrt(w) (X - 1 m^T); w = Z^T a.
        K comes from X X^T (syrk) and rank-one corrections; X is not centred or copied."""
        n, p = X.shape
        Y = y.reshape(n, -1).astype(np.float64)
        weights = np.ones(n) if w is None else w
        root = np.sqrt(weights)
        m, y_mean = _weighted_means(X, Y, weights, fit_intercept)
        self._solver = _ShiftedSolver(centred_kernel(X, root, m), name="the centred kernel Z Z^T")
        self._rhs = (Y - y_mean) * root[:, None]
        self._dual_design = (X, root, m)
        self.dtype = X.dtype
        self.targets_2d = y.ndim == 2
        self.x_mean, self.y_mean = m, y_mean
        self.n_features, self.n_targets = p, Y.shape[1]

    def solve(self, alpha, targets):
        """The coefficients (len(targets), p) of the given targets at one alpha."""
        solution = self._solver(alpha, self._rhs[:, targets])
        if self._dual_design is not None:  # w = Z^T a
            solution = centred_transpose_product(*self._dual_design, solution)
        return solution.T

    def intercepts(self, coef):
        """ybar - xbar^T w for coefficients coef (n_targets, p): zero without an intercept."""
        return self.y_mean - coef @ self.x_mean


def _weighted_means(X, Y, weights, fit_intercept):
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


class RidgeCV(MultiOutputMixin, LinearPredictor):
    """Ridge with alpha chosen by leave-one-out or K-fold cross-validation.

    Same parameters, defaults and attributes as :class:`sklearn.linear_model.RidgeCV`
    (scikit-learn 1.9). ``cv=None``: efficient leave-one-out from one eigendecomposition (of
    the p x p Gram for n > p, of the n x n kernel otherwise), scored like scikit-learn (minus
    the mean squared leave-one-out error, on the sqrt(weight)-scaled problem, or ``scoring``
    on the predictions); ``alpha_per_target`` and ``store_cv_results`` supported. Given folds
    with ``scoring=None`` use one pass of fold statistics and one Cholesky per fold and alpha
    (n > p), or one kernel X X^T and one eigendecomposition per fold (wide X, dense or sparse),
    scored by the (weighted) R^2 of each test fold as scikit-learn's ``GridSearchCV`` does;
    other scorers with folds go through ``GridSearchCV`` over shrinkage's ``Ridge``.

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
    1.0
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
        alphas = np.atleast_1d(np.asarray(self.alphas, dtype=np.float64))
        if alphas.ndim != 1 or alphas.size == 0 or not np.isfinite(alphas).all() or (
                alphas < 0).any():
            raise ValueError(f"alphas must be a non-empty 1-D array of finite values >= 0, got "
                             f"{self.alphas!r}.")
        if self.gcv_mode not in (None, "auto", "svd", "eigen"):
            raise ValueError(f"gcv_mode must be None, 'auto', 'svd' or 'eigen', got "
                             f"{self.gcv_mode!r}.")
        if params:
            raise ValueError(f"Unexpected fit parameters {sorted(params)}.")
        if self.cv is not None:
            if self.store_cv_results:
                raise ValueError("cv!=None and store_cv_results=True are incompatible")
            if self.alpha_per_target:
                raise ValueError("cv!=None and alpha_per_target=True are incompatible")
            return self._fit_folds(X, y, sample_weight, alphas)
        return self._fit_loo(X, y, sample_weight, alphas)

    def _fit_folds(self, X, y, sample_weight, alphas):
        if self.scoring is not None:
            search = GridSearchCV(Ridge(fit_intercept=self.fit_intercept), {"alpha": alphas},
                                  cv=self.cv, scoring=self.scoring)
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
        w = check_sample_weight(sample_weight, X.shape[0])
        splits = [(np.asarray(tr), np.asarray(te)) for tr, te in check_cv(self.cv).split(X, y)]
        scores = np.empty((len(splits), alphas.size))
        if X.shape[1] > X.shape[0]:
            # Wide: every fold's dual from one kernel X X^T, scored on its test rows.
            G = statistics.gram(X.T)
            for f, (train, test) in enumerate(splits):
                scores[f] = _dual_fold_scores(G, y, w, train, test, alphas, self.fit_intercept)
            whole = _RidgeFit.dual(X, y, w, self.fit_intercept)
        else:  # Tall: every fold's statistics (and the total) from one pass over X.
            total, folds = split_statistics(X, y, w, splits)
            whole = _RidgeFit.from_stats(total, self.fit_intercept, X.dtype)
            for f, fold in enumerate(folds):
                fit = _RidgeFit.from_stats(fold.train(), self.fit_intercept, X.dtype)
                for k, alpha in enumerate(alphas):
                    coef = fit.solve(alpha, slice(None))
                    scores[f, k] = _r2(fold.test, coef, fit.intercepts(coef))
        mean = scores.mean(axis=0)
        best = int(np.argmax(mean))  # the first of equal scores, as GridSearchCV's rank
        self.alpha_, self.best_score_ = float(alphas[best]), float(mean[best])
        self._set_coef(whole.solve(self.alpha_, slice(None)), whole)
        return self

    def _fit_loo(self, X, y, sample_weight, alphas):
        X, y = validate_data(self, X, y, accept_sparse=["csr", "csc"],
                             dtype=[np.float64, np.float32], multi_output=True, y_numeric=True)
        n = X.shape[0]
        w = check_sample_weight(sample_weight, n)
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
        self.alpha_ = best_alpha if per_target else float(best_alpha)
        self.best_score_ = best_score if per_target else float(best_score)
        if self.store_cv_results:
            shape = (n, alphas.size) if y.ndim == 1 else (n, n_targets, alphas.size)
            self.cv_results_ = self.cv_results_.reshape(shape).astype(X.dtype, copy=False)
        intercept = loo.y_mean - best_coef @ loo.x_mean
        coef = best_coef.astype(X.dtype, copy=False)
        if y.ndim == 2:
            self.coef_, self.intercept_ = coef, intercept.astype(X.dtype)
        else:
            self.coef_, self.intercept_ = coef[0], float(intercept[0])
        return self


class _LeaveOneOut:
    """Leave-one-out errors of the weighted, intercept-fitted ridge for all alphas at once.

    With Z = sqrt(w) (X - 1 m^T) orthogonal to sqrt(w), the hat matrix is
    Z (Z^T Z + alpha I)^{-1} Z^T + sqrt(w) sqrt(w)^T / W. One eigendecomposition, of Z^T Z = the
    centred Gram (p x p, for n > p) or of Z Z^T (n x n, otherwise), gives every alpha's
    predictions and hat diagonal; LOO errors are (y_c - y_hat) / (1 - h_ii). For n > p the
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
        if self.kernel:  # Z Z^T = Q diag(lam) Q^T: only the means are needed, not X^T X
            self.x_mean, self.y_mean = _weighted_means(X, Y, weights, fit_intercept)
            self.Yc = (Y - self.y_mean) * self.root[:, None]
            lam, self.basis = np.linalg.eigh(centred_kernel(X, self.root, self.x_mean))
            self.proj = self.basis.T @ self.Yc
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

    def _inverse(self, alpha):
        return 1.0 / (self.lam + alpha) if alpha > 0 else _pinv(self.lam)

    def errors(self, alphas):
        """LOO errors, shape (n_alphas, n, n_targets), on the sqrt(w) scale."""
        # H = B diag(shrink) B^T and y_hat = B diag(shrink) B^T y_c, with B = Q and
        # shrink = lam / (lam + alpha) (kernel), or B = U and shrink = 1 / (lam + alpha).
        inverse = np.column_stack([self._inverse(a) for a in alphas])  # (r, A)
        shrink = self.lam[:, None] * inverse if self.kernel else inverse
        weighted_proj = (shrink[:, :, None] * self.proj[:, None, :]).reshape(len(self.lam), -1)
        n, n_targets = self.Yc.shape
        out = np.empty((len(alphas), n, n_targets))
        step = n if self.kernel else self.block_rows  # Q is whole; U is formed block by block
        shift = None if self.kernel else self.x_mean @ self.V
        for start in range(0, n, step):
            rows = slice(start, min(n, start + step))
            basis = self.basis if self.kernel else (
                (np.asarray(self.X[rows] @ self.V) - shift) * self.root[rows, None])
            y_hat = (basis @ weighted_proj).reshape(basis.shape[0], len(alphas), n_targets)
            leverage = (basis**2) @ shrink + self.intercept_leverage[rows, None]  # (rows, A)
            residual = self.Yc[rows, None, :] - y_hat
            out[:, rows] = np.moveaxis(residual / (1.0 - leverage)[:, :, None], 1, 0)
        return out

    def coef(self, alpha):
        """The coefficients (n_targets, p) at one alpha."""
        inverse = self._inverse(alpha)
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


def _r2(stats, coef, intercepts):
    """R^2 of Ridge.score on a fold (uniform average over targets)."""
    coefs = coef.T  # (p, n_targets)
    sst = np.atleast_1d(stats.yy)
    if stats.n_targets is None:
        sse = squared_error(stats, coefs, intercepts) * stats.weight_sum
    else:
        sse = np.array([squared_error(_target(stats, t), coefs[:, [t]], intercepts[[t]])[0]
                        for t in range(coefs.shape[1])]) * stats.weight_sum
    r2 = np.where(sst > 0, 1 - sse / np.where(sst > 0, sst, 1), np.where(sse > 0, 0.0, 1.0))
    return float(np.mean(r2))


def _target(stats, t):
    return GramStats(stats.n_samples, stats.weight_sum, stats.x_mean, stats.y_mean[t],
                     stats.gram, stats.xy[:, t], stats.yy[t])
