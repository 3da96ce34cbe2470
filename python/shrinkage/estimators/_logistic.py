"""``LogisticRegression``: scikit-learn's binary logistic regression on shrinkage's binomial
path solver (docs/design.md §7). Needs scikit-learn (optional)."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression as _SklearnLogisticRegression
from sklearn.linear_model._base import LinearClassifierMixin, SparseCoefMixin
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, validate_data

from .._binomial import BinomialProblem, MultinomialNotImplemented
from .._path import solver_options

SOLVERS = ("lbfgs", "liblinear", "newton-cg", "newton-cholesky", "sag", "saga")


class LogisticRegression(LinearClassifierMixin, SparseCoefMixin, BaseEstimator):
    """Binary logistic regression with an L1, L2 or elastic-net penalty, solved exactly.

    Same parameters, defaults and attributes as :class:`sklearn.linear_model.LogisticRegression`
    (scikit-learn 1.9), the same objective::

        C sum_i s_i log(1 + exp(-y~_i (x_i^T w + b))) + l1_ratio ||w||_1 + (1 - l1_ratio)/2 ||w||^2

    solved by shrinkage's binomial path solver at ``alpha = 1 / (C sum(s))`` whatever the
    ``solver`` name: every fit carries its duality gap (``dual_gap_``), at most ``tol`` times
    the null deviance per unit weight, or a ConvergenceWarning saying which gap it reached.
    ``max_iter`` bounds the coordinate-descent epochs of each Newton step. Two classes only:
    three or more raise NotImplementedError (the multinomial family), never one-vs-rest.
    ``C=np.inf`` (no penalty) is not implemented yet; ``dual``, ``intercept_scaling``,
    ``random_state`` and ``verbose`` are accepted and have no effect (the solution is exact).

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
    coef_ : ndarray of shape (1, n_features)
    intercept_ : ndarray of shape (1,)
    n_iter_ : ndarray of shape (1,)
        Coordinate-descent epochs over all Newton steps.
    dual_gap_ : float
        The duality gap of the fit, in the units of the mean log-loss.
    n_features_in_ : int
    feature_names_in_ : ndarray, when X has string feature names
    """

    _parameter_constraints: dict = dict(_SklearnLogisticRegression._parameter_constraints)
    classes_: np.ndarray
    coef_: np.ndarray
    intercept_: np.ndarray
    n_iter_: np.ndarray
    dual_gap_: float

    def __init__(self, penalty: Any = "deprecated", *, C: float = 1.0,
                 l1_ratio: float | None = 0.0, dual: bool = False, tol: float = 1e-4,
                 fit_intercept: bool = True, intercept_scaling: float = 1,
                 class_weight: Any = None, random_state: Any = None, solver: str = "lbfgs",
                 max_iter: int = 100, verbose: int = 0, warm_start: bool = False,
                 n_jobs: int | None = None) -> None:
        self.penalty = penalty
        self.C = C
        self.l1_ratio = l1_ratio
        self.dual = dual
        self.tol = tol
        self.fit_intercept = fit_intercept
        self.intercept_scaling = intercept_scaling
        self.class_weight = class_weight
        self.random_state = random_state
        self.solver = solver
        self.max_iter = max_iter
        self.verbose = verbose
        self.warm_start = warm_start
        self.n_jobs = n_jobs

    def fit(self, X: Any, y: ArrayLike, sample_weight: ArrayLike | None = None
            ) -> LogisticRegression:
        """Fit the model to (X, y), optionally with sample weights."""
        self._validate_params()
        l1_ratio, C = self._penalty()
        X, y = validate_data(self, X, y, accept_sparse=["csr", "csc"],
                             dtype=[np.float64, np.float32], order="C")
        check_classification_targets(y)
        classes = np.unique(y)
        if classes.size > 2:
            raise MultinomialNotImplemented(classes.size)
        if classes.size < 2:
            raise ValueError("This solver needs samples of at least 2 classes in the data, but "
                             f"the data contains only one class: {classes[0]!r}")
        if not np.isfinite(C):
            raise NotImplementedError("C=np.inf (no penalty) is not implemented yet: use a "
                                      "large finite C.")
        weight = _check_sample_weight(sample_weight, X, dtype=np.float64)
        if self.class_weight is not None:
            weight = weight * compute_sample_weight(self.class_weight, y)
        self.classes_ = classes
        problem = BinomialProblem(X, y, weight, None, self.fit_intercept, check_input=False)
        alpha = 1.0 / (C * weight.sum())
        options = solver_options(l1_ratio, False, self.tol, self.max_iter)
        w0, b0 = None, 0.0
        previous = getattr(self, "coef_", None)
        if self.warm_start and previous is not None and previous.shape == (1, X.shape[1]):
            w0 = np.ascontiguousarray(previous[0], dtype=np.float64)
            b0 = float(self.intercept_[0]) if self.fit_intercept else 0.0
        result = problem.solve(np.array([alpha]), options, w0, b0)
        # float64 whatever X's dtype: dual_gap_ certifies the coefficients as stored.
        self.coef_ = result["coefs"].T.copy()
        self.intercept_ = result["intercepts"][:1].copy()
        self.n_iter_ = np.array([result["n_iter"][0]], dtype=np.int32)
        self.dual_gap_ = float(result["gaps"][0])
        return self

    def _penalty(self):
        """(l1_ratio, C) from scikit-learn 1.9's parameters, with its deprecation warnings."""
        if self.n_jobs is not None:
            warnings.warn("'n_jobs' has no effect since 1.8 and will be removed in 1.10. "
                          f"You provided 'n_jobs={self.n_jobs}', please leave it unspecified.",
                          FutureWarning, stacklevel=3)
        l1_ratio, C = self.l1_ratio, self.C
        if self.penalty == "deprecated":
            if l1_ratio is None:
                warnings.warn("'l1_ratio=None' was deprecated in version 1.8 and will trigger "
                              "an error in 1.10. Use 0<=l1_ratio<=1 instead.", FutureWarning,
                              stacklevel=3)
                l1_ratio = 0.0
            return float(l1_ratio), C
        warnings.warn(
            "'penalty' was deprecated in version 1.8 and will be removed in 1.10. To avoid "
            "this warning, leave 'penalty' set to its default value and use 'l1_ratio' or 'C' "
            "instead. Use l1_ratio=0 instead of penalty='l2', l1_ratio=1 instead of "
            "penalty='l1', l1_ratio set to a float between 0 and 1 instead of "
            "penalty='elasticnet', and C=np.inf instead of penalty=None.", FutureWarning,
            stacklevel=3)
        if self.penalty is None:
            return 0.0, np.inf
        if self.penalty == "elasticnet":
            if l1_ratio is None:
                raise ValueError("l1_ratio must be specified when penalty is elasticnet.")
            return float(l1_ratio), C
        return (1.0 if self.penalty == "l1" else 0.0), C

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probabilities of the two classes, shape (n_samples, 2)."""
        p = 1.0 / (1.0 + np.exp(-self.decision_function(X)))
        return np.column_stack([1 - p, p])

    def predict_log_proba(self, X: Any) -> np.ndarray:
        """Logarithms of :meth:`predict_proba`, computed without underflow."""
        d = self.decision_function(X)
        return -np.column_stack([np.logaddexp(0, d), np.logaddexp(0, -d)])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.classifier_tags.multi_class = False
        return tags
