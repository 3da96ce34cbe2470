"""``ElasticNet`` and ``Lasso``: scikit-learn's estimators on shrinkage's solver.

Intercept and sample weights live in the statistics (weighted means, a weighted centred Gram
or a lazily centred design), never in a centred copy of X. Needs scikit-learn (optional).
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, MultiOutputMixin, RegressorMixin
from sklearn.utils import check_scalar
from sklearn.utils.validation import check_is_fitted, validate_data

from .. import _path, _problem
from .._exceptions import warn
from .._validation import check_parameters, contiguous
from ..statistics import GramStats


class LinearPredictor(RegressorMixin, BaseEstimator):
    """predict / score and the fitted-coefficient plumbing shared by shrinkage's estimators."""

    def predict(self, X: Any) -> np.ndarray:
        """X @ coef_.T + intercept_ (dense or sparse X)."""
        check_is_fitted(self, "coef_")
        X = validate_data(self, X, accept_sparse=["csr", "csc", "coo"], reset=False,
                          dtype=[np.float64, np.float32])
        out = X @ np.asarray(self.coef_).T
        return np.asarray(out) + self.intercept_

    def _set_coef(self, coef, problem):
        """coef: (n_targets, p), in the problem's dtype; the intercepts from its centres.
        scikit-learn's shapes: y of shape (n, 1) gives coef_ (p,) beside intercept_ (1,)."""
        coef = coef.astype(problem.dtype, copy=False)
        intercept = problem.intercepts(coef)
        if problem.targets_2d:
            self.coef_ = coef[0] if coef.shape[0] == 1 else coef
            self.intercept_ = intercept.astype(problem.dtype)
        else:
            self.coef_, self.intercept_ = coef[0], intercept.astype(problem.dtype)[0]
        if not (np.isfinite(self.coef_).all() and np.isfinite(self.intercept_).all()):
            raise ValueError("The fit produced non-finite coefficients: the data may hold values "
                             "too large to square in float64; rescale them.")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


def fit_problem(estimator, X, y, sample_weight, precompute, check_input=True):
    """Validates (X, y) or takes a GramStats, and returns its Problem."""
    if isinstance(X, GramStats):
        if y is not None or sample_weight is not None:
            raise ValueError("With GramStats as X, y and sample_weight must be None.")
        estimator.n_features_in_ = X.n_features
        return _problem.from_statistics(X, estimator.fit_intercept)
    if check_input:
        X, y = validate_data(estimator, X, y, accept_sparse="csc", dtype=[np.float64, np.float32],
                             multi_output=True, y_numeric=True)
        X = contiguous(X)
    else:
        estimator.n_features_in_ = X.shape[1]
    multi_output = estimator.__sklearn_tags__().target_tags.multi_output
    if y.ndim == 2 and y.shape[1] == 1 and not multi_output:
        y = y.ravel()
    return _problem.from_data(X, y, sample_weight=sample_weight,
                              fit_intercept=estimator.fit_intercept, precompute=precompute,
                              check_input=False, check_gram=check_input)


def checked_alpha_entries(alphas, include_boundaries):
    """A CV estimator's given alphas as float64, each checked with scikit-learn's messages
    (real, finite, >= 0 or > 0 by ``include_boundaries``)."""
    values = np.atleast_1d(np.asarray(alphas, dtype=object))
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"alphas must be a number or a non-empty 1-D array-like, got "
                         f"{alphas!r}.")
    names = ["alphas"] if values.size == 1 else [f"alphas[{i}]" for i in range(values.size)]
    for name, value in zip(names, values, strict=True):
        check_scalar(value, name, numbers.Real, min_val=0.0,
                     include_boundaries=include_boundaries)
        if not np.isfinite(value):
            raise ValueError(f"{name} == {value}, must be finite.")
    return values.astype(np.float64)


def refuse_statistics(estimator, X):
    """Cross-validation splits rows, which a GramStats no longer has: say so plainly."""
    if isinstance(X, GramStats):
        raise TypeError(
            f"{type(estimator).__name__} splits the rows of X into folds, and a GramStats "
            "holds no rows: fit it on the data (or a memmap / dask array: shrinkage.dask's "
            "LassoCV computes fold statistics where the data live), or fit a "
            f"{type(estimator).__name__.removesuffix('CV')} on the GramStats.")


def estimator_precompute(precompute):
    """Estimators: False and 'auto' let shrinkage choose (a speed hint in scikit-learn too);
    True forces the full Gram; an array is a user Gram."""
    if isinstance(precompute, (bool, np.bool_)):
        return True if precompute else "auto"
    if isinstance(precompute, str) and precompute != "auto":
        raise ValueError(f"precompute must be 'auto', a bool or an array, got {precompute!r}.")
    return precompute


class ElasticNet(MultiOutputMixin, LinearPredictor):
    """Linear regression with combined L1 and L2 priors, fitted by shrinkage's solver.

    Same parameters, defaults, attributes and objective as
    :class:`sklearn.linear_model.ElasticNet` (scikit-learn 1.9): minimises
    ``1/(2 n) ||y - X w - b||^2_s + alpha l1_ratio ||w||_1 + alpha (1 - l1_ratio)/2 ||w||^2``
    with the sample weights s rescaled to sum n. 2-D ``y`` gives independent problems, one per
    target (solved in parallel threads). ``fit`` also takes a :class:`GramStats` (``y=None``).

    Parameters
    ----------
    alpha : float, default=1.0
        The strength of the penalty (>= 0; 0 is least squares, better done by
        ``LinearRegression``).
    l1_ratio : float in [0, 1], default=0.5
        The mix: 1 is the lasso, 0 ridge.
    fit_intercept : bool, default=True
        Fit an intercept, from the weighted means (X is never centred in memory).
    precompute : bool, "auto" or array of shape (n_features, n_features), default=False
        False and "auto" let shrinkage choose between a full Gram (n >= p) and a lazily
        computed one (wide or sparse X); True forces the Gram; an array is used as the Gram
        (of the weighted, centred X when an intercept is fitted).
    max_iter : int, default=1000
        Coordinate-descent epochs at most.
    copy_X : bool, default=True
        Accepted for compatibility: X is never written to.
    tol : float, default=1e-4
        Stop when the duality gap is at most ``tol * ||y||^2 / n`` (scikit-learn's criterion);
        a ConvergenceWarning says which gap was reached otherwise.
    warm_start : bool, default=False
        Start from the previous fit's ``coef_``.
    positive : bool, default=False
        Constrain the coefficients to be non-negative.
    random_state : int, RandomState or None, default=None
        Seeds the coordinate order when ``selection="random"``.
    selection : {"cyclic", "random"}, default="cyclic"
    penalty_factor : array-like of shape (n_features,), default=None
        glmnet's per-feature penalty factors (0: unpenalised, inf: excluded), used as given
        (see :func:`shrinkage.path`).
    lower_bounds, upper_bounds : float or array-like of shape (n_features,), default=None
        Box constraints ``lower_j <= coef_j <= upper_j``, each interval containing 0.
    standardize : bool, default=False
        Penalise the coefficients of the columns scaled to unit (weighted) variance, as
        glmnet's default; ``coef_`` stays on the original scale.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
    intercept_ : float or ndarray of shape (n_targets,)
    dual_gap_ : float or ndarray of shape (n_targets,)
        The duality gap reached, in scikit-learn's units: the certificate of the fit.
    n_iter_ : int or list of int
        Epochs run (0 when the warm start already met ``tol``).
    sparse_coef_ : scipy.sparse array
    n_features_in_ : int
    feature_names_in_ : ndarray of str, when X has column names

    Examples
    --------
    >>> import numpy as np, shrinkage
    >>> X = np.array([[0.0, 1.0], [1.0, 2.0], [2.0, 2.0], [3.0, 5.0]]); y = X @ [1.0, 0.5] + 2
    >>> model = shrinkage.ElasticNet(alpha=0.01, l1_ratio=0.5, tol=1e-10).fit(X, y)
    >>> model.coef_.round(2), model.intercept_.round(2)
    (array([0.98, 0.51]), np.float64(2.01))
    """

    def __init__(self, alpha=1.0, *, l1_ratio=0.5, fit_intercept=True, precompute=False,
                 max_iter=1000, copy_X=True, tol=1e-4, warm_start=False, positive=False,
                 random_state=None, selection="cyclic", penalty_factor=None,
                 lower_bounds=None, upper_bounds=None, standardize=False):
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.max_iter = max_iter
        self.copy_X = copy_X
        self.tol = tol
        self.warm_start = warm_start
        self.positive = positive
        self.random_state = random_state
        self.selection = selection
        self.penalty_factor = penalty_factor
        self.lower_bounds = lower_bounds
        self.upper_bounds = upper_bounds
        self.standardize = standardize

    def fit(self, X: Any, y: ArrayLike | None = None, sample_weight: ArrayLike | None = None,
            check_input: bool = True) -> ElasticNet:
        """Fit on (X, y), optionally weighted, or on a GramStats (``fit(stats)``)."""
        check_parameters(type(self).__name__, alpha=self.alpha, l1_ratio=self.l1_ratio,
                         tol=self.tol, max_iter=self.max_iter, selection=self.selection)
        if self.alpha == 0:
            warn("With alpha=0, this algorithm does not converge well. You are advised to use "
                 "the LinearRegression estimator", UserWarning)
        problem = fit_problem(self, X, y, sample_weight, estimator_precompute(self.precompute),
                              check_input)
        n_targets = problem.n_targets
        coef_init = None
        if self.warm_start and hasattr(self, "coef_"):
            coef_init = np.asarray(self.coef_, dtype=np.float64).reshape(n_targets, -1)
            if coef_init.shape[1] != problem.n_features:
                coef_init = None
        options = _path.solver_options(self.l1_ratio, self.positive, self.tol, self.max_iter,
                                       selection=self.selection, random_state=self.random_state)
        terms = {"penalty_factor": self.penalty_factor, "lower_bounds": self.lower_bounds,
                 "upper_bounds": self.upper_bounds, "standardize": bool(self.standardize)}
        alphas = _path.with_feature_terms(problem, options, terms,
                                          np.array([float(self.alpha)]), eps=None)
        coefs, gaps, n_iters = _path.solve_targets(problem, alphas, options,
                                                   coef_init=coef_init, n_jobs=-1)
        self._set_coef(coefs[:, :, 0], problem)
        if n_targets == 1:  # y of shape (n, 1) too, as scikit-learn: a scalar gap
            self.dual_gap_ = gaps[0, 0].astype(problem.dtype)
            self.n_iter_ = n_iters[0][0]
        else:
            self.dual_gap_ = gaps[:, 0].astype(problem.dtype)
            self.n_iter_ = [it[0] for it in n_iters]
        return self

    @property
    def sparse_coef_(self):
        """``coef_`` as a sparse (CSR) array."""
        return sp.csr_array(np.atleast_2d(self.coef_))


class Lasso(ElasticNet):
    """Linear model trained with an L1 prior (``ElasticNet`` with ``l1_ratio=1``).

    Same parameters, defaults and attributes as :class:`sklearn.linear_model.Lasso`, and as
    :class:`ElasticNet` without ``l1_ratio``: ``alpha``, ``fit_intercept``, ``precompute``,
    ``copy_X``, ``max_iter``, ``tol``, ``warm_start``, ``positive``, ``random_state``,
    ``selection``, and glmnet's ``penalty_factor``, ``lower_bounds``, ``upper_bounds``,
    ``standardize``; attributes ``coef_``, ``intercept_``, ``dual_gap_``, ``n_iter_``,
    ``sparse_coef_``, ``n_features_in_``.

    Examples
    --------
    >>> import numpy as np, shrinkage
    >>> X = np.array([[0.0, 1.0], [1.0, 2.0], [2.0, 2.0], [3.0, 5.0]]); y = X @ [1.0, 0.0] + 2
    >>> shrinkage.Lasso(alpha=0.1).fit(X, y).coef_.round(3)
    array([0.867, 0.044])
    """

    def __init__(self, alpha=1.0, *, fit_intercept=True, precompute=False, copy_X=True,
                 max_iter=1000, tol=1e-4, warm_start=False, positive=False, random_state=None,
                 selection="cyclic", penalty_factor=None, lower_bounds=None, upper_bounds=None,
                 standardize=False):
        super().__init__(alpha=alpha, l1_ratio=1.0, fit_intercept=fit_intercept,
                         precompute=precompute, max_iter=max_iter, copy_X=copy_X, tol=tol,
                         warm_start=warm_start, positive=positive, random_state=random_state,
                         selection=selection, penalty_factor=penalty_factor,
                         lower_bounds=lower_bounds, upper_bounds=upper_bounds,
                         standardize=standardize)
