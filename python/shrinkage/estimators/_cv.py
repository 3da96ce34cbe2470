"""``LassoCV`` and ``ElasticNetCV``: cross-validated paths that cost about one Gram.

When the full Gram is the right source (n >= p), the folds' training statistics come from one
pass over the data (see ``_folds``) and the validation errors from the test folds' statistics,
so no fold ever touches X again. Wide or sparse X uses lazy sources per fold: the training rows
are selected by zero weights on the test rows, so X is never copied. The folds' paths run on
``n_jobs`` threads, on one alpha grid computed from the full (centred, weighted) data.
"""

from __future__ import annotations

import numbers
import time
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike
from sklearn.model_selection import check_cv
from sklearn.utils.validation import column_or_1d, validate_data

from .. import _feature_terms, _path, _problem
from .._relaxed import relaxed_fits
from .._threads import thread_map
from .._validation import check_parameters, contiguous
from ..statistics._folds import split_statistics, squared_error, squared_error_floor
from ..statistics._gramstats import check_fit_weight
from ._linear import (
    LinearPredictor,
    checked_alpha_entries,
    estimator_precompute,
    refuse_statistics,
)
from ._routing import cv_router, split_params


class ElasticNetCV(LinearPredictor):
    """Elastic net with alpha (and l1_ratio) chosen by cross-validation.

    Same parameters, defaults, attributes and selection rule as
    :class:`sklearn.linear_model.ElasticNetCV` (scikit-learn 1.9): one alpha grid per l1_ratio
    from the full data, the mean validation MSE over folds, the smallest mean chosen (ties go
    to the larger alpha, then to the earlier l1_ratio, as ``np.argmin`` and a strict ``<``
    do there; means within the rounding error of their computation from the folds'
    statistics tie), then a refit on all the data. ``n_jobs`` threads run the folds' paths
    (None: one; -1: all cores).

    Parameters
    ----------
    l1_ratio : float or list of float in [0, 1], default=0.5
        One mix, or several to cross-validate too.
    eps : float, default=1e-3
        ``alpha_min / alpha_max`` of each automatic grid.
    alphas : int or array-like, default=100
        An int gives that many alphas on scikit-learn's grid per l1_ratio (from the full data);
        an array is used as given.
    fit_intercept : bool, default=True
    precompute : bool, "auto" or array, default="auto"
        Whether the folds use Gram statistics (one pass over X for all folds) or lazily
        computed columns (wide or sparse X); an array means "use Grams".
    max_iter : int, default=1000
    tol : float, default=1e-4
        Each path point meets ``tol * ||y||^2 / n`` in duality gap, as in :func:`enet_path`.
    cv : int, cross-validation generator or iterable, default=None (5-fold)
    copy_X : bool, default=True
        Accepted for compatibility: X is never written to.
    verbose : bool or int, default=0
        Print a line per fold path.
    n_jobs : int, default=None
        Threads for the folds' paths (joblib's meaning: None is 1, -1 all cores).
    positive : bool, default=False
    random_state : int, RandomState or None, default=None
    selection : {"cyclic", "random"}, default="cyclic"
    alpha_rule : {"min", "1se"}, default="min"
        Which alpha the refit uses: the smallest mean validation error (scikit-learn's rule,
        glmnet's ``lambda.min``) or the largest alpha within one standard error of it
        (glmnet's ``lambda.1se``: a sparser model as good within the noise of the folds).
    penalty_factor, lower_bounds, upper_bounds, standardize : default None, None, None, False
        glmnet's per-feature controls, as in :class:`ElasticNet` (``standardize`` uses each
        fold's own column scales, as ``cv.glmnet``; the grid's alpha_max is that of the
        whole data under the controls).
    relax : bool, default=False
        Cross-validate the relaxed lasso over (alpha, gamma), as ``cv.glmnet(relax=TRUE)``:
        each fold's model at (alpha, gamma) is ``gamma * penalised + (1 - gamma) * relaxed``,
        the relaxed fit being the unpenalised least-squares one on the penalised fit's
        support (within the bounds; the minimum-norm one where the support outgrows the
        fold, which glmnet leaves unrelaxed). The smallest mean error is chosen, ties going
        to the larger alpha, then the larger gamma (glmnet's rule, also for ``1se``), and the
        refit is blended the same way.
    gammas : array-like of float in [0, 1], default=None
        The gammas of ``relax=True``: glmnet's ``(0, 0.25, 0.5, 0.75, 1)`` by default; 1 (the
        penalised fit) is always among them.

    Attributes
    ----------
    alpha_ : float
        The alpha of the refit: ``alpha_min_`` or ``alpha_1se_`` (``alpha_rule``).
    alpha_min_, alpha_1se_ : float
        glmnet's ``lambda.min`` and ``lambda.1se`` (on the chosen l1_ratio's curve; the
        standard error is the folds' standard deviation over sqrt(n_folds)).
    l1_ratio_ : float
        (``ElasticNetCV`` only.)
    gamma_, gamma_min_, gamma_1se_ : float
        (``relax=True`` only.) The refit's gamma, and those chosen with ``alpha_min_`` and
        ``alpha_1se_`` (glmnet's ``gamma.min`` and ``gamma.1se``); ``alpha_min_`` and
        ``alpha_1se_`` are then the relaxed choices (glmnet's ``relaxed$lambda.min``).
    gammas_ : ndarray of shape (n_gammas,)
        (``relax=True`` only.) Increasing, ending at 1.
    relaxed_mse_path_ : ndarray of shape (n_gammas, n_alphas, n_folds), or (n_l1_ratio, ...)
        (``relax=True`` only.) Validation MSE of each fold at each (gamma, alpha); its last
        gamma (1) is ``mse_path_``.
    coef_, intercept_, dual_gap_, n_iter_
        Of the refit on all the data at the chosen alpha (and l1_ratio, and gamma: the gap and
        iterations are those of its penalised fit).
    alphas_ : ndarray of shape (n_alphas,) or (n_l1_ratio, n_alphas)
    mse_path_ : ndarray of shape (n_alphas, n_folds) or (n_l1_ratio, n_alphas, n_folds)
        Validation mean squared error of each fold (sample-weighted); NaN for a fold whose
        test rows all have zero weight, which the means and the one-standard-error rule leave
        out.
    train_mse_path_ : ndarray, as ``mse_path_``
    n_nonzero_path_ : ndarray of shape (n_alphas,) or (n_l1_ratio, n_alphas)
    n_features_in_ : int

    Beyond scikit-learn: ``train_mse_path_`` (same shape as ``mse_path_``) holds each fold's
    training error, to see under- and over-fitting next to the validation error, and
    ``n_nonzero_path_`` (one per alpha, per l1_ratio) the mean number of non-zero coefficients
    of the folds' models, the model size along a CV curve.

    Examples
    --------
    >>> import numpy as np, shrinkage
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((100, 10))
    >>> y = X[:, 0] - 2 * X[:, 1] + 0.1 * rng.standard_normal(100)
    >>> model = shrinkage.ElasticNetCV(l1_ratio=[0.5, 1.0], alphas=20, cv=4).fit(X, y)
    >>> model.mse_path_.shape, model.l1_ratio_
    ((2, 20, 4), np.float64(1.0))
    """

    def __init__(self, *, l1_ratio=0.5, eps=1e-3, alphas=100, fit_intercept=True,
                 precompute="auto", max_iter=1000, tol=1e-4, cv=None, copy_X=True, verbose=0,
                 n_jobs=None, positive=False, random_state=None, selection="cyclic",
                 alpha_rule="min", penalty_factor=None, lower_bounds=None, upper_bounds=None,
                 standardize=False, relax=False, gammas=None):
        self.l1_ratio = l1_ratio
        self.eps = eps
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.max_iter = max_iter
        self.tol = tol
        self.cv = cv
        self.copy_X = copy_X
        self.verbose = verbose
        self.n_jobs = n_jobs
        self.positive = positive
        self.random_state = random_state
        self.selection = selection
        self.alpha_rule = alpha_rule
        self.penalty_factor = penalty_factor
        self.lower_bounds = lower_bounds
        self.upper_bounds = upper_bounds
        self.standardize = standardize
        self.relax = relax
        self.gammas = gammas

    def fit(self, X: Any, y: Any, sample_weight: ArrayLike | None = None,
            **params: Any) -> ElasticNetCV:
        """Cross-validate the path on (X, y) and refit at the chosen alpha and l1_ratio."""
        split = split_params(self, sample_weight, params)
        refuse_statistics(self, X)
        X, y = validate_data(self, X, y, accept_sparse="csc", dtype=[np.float64, np.float32],
                             y_numeric=True, multi_output=True)
        X = contiguous(X)
        if y.ndim == 2 and y.shape[1] > 1:
            raise ValueError(f"For multi-task outputs, use MultiTask{type(self).__name__}")
        y = column_or_1d(y, warn=True)
        n = X.shape[0]
        w = check_fit_weight(sample_weight, n)
        l1_ratios = self._checked_l1_ratios()
        splits = [(np.asarray(tr), np.asarray(te))
                  for tr, te in check_cv(self.cv).split(X, y, **split)]
        # A user's Gram cannot be a fold's: an array means "use Grams" (computed per fold).
        full = _problem._wants_full_gram(estimator_precompute(self.precompute), X)
        full = full if isinstance(full, bool) else True

        if full:
            total, folds = split_statistics(X, y, w, splits)
            return self._fit_statistics(total, folds, l1_ratios, X.dtype)
        whole = _problem.from_data(X, y, sample_weight=w, fit_intercept=self.fit_intercept,
                                   precompute=False, check_input=False)
        folds = [(self._lazy_fold(X, y, w, train, whole), train, test) for train, test in splits]

        def errors(train, test, coefs, intercepts):  # from the rows: no cancellation floor
            return (_rows_mse(X, y, w, test, coefs, intercepts),
                    _rows_mse(X, y, w, train, coefs, intercepts), np.zeros(coefs.shape[1]))

        return self._select(whole, len(folds), folds.__getitem__, l1_ratios, errors)

    def get_metadata_routing(self):
        """The routing of ``fit``'s extra parameters (to the cv splitter), as scikit-learn's."""
        return cv_router(self)

    def _checked_l1_ratios(self):
        if self.alpha_rule not in ("min", "1se"):
            raise ValueError(f"alpha_rule must be 'min' or '1se', got {self.alpha_rule!r}.")
        if not isinstance(self.alphas, numbers.Integral):  # scikit-learn's messages
            checked_alpha_entries(self.alphas, "left")
        check_parameters(type(self).__name__, tol=self.tol, max_iter=self.max_iter, eps=self.eps,
                         alphas=self.alphas, selection=self.selection)
        l1_ratios = np.atleast_1d(np.asarray(self.l1_ratio, dtype=np.float64))
        if l1_ratios.ndim != 1 or l1_ratios.size == 0:
            raise ValueError(f"l1_ratio must be a number in [0, 1] or a non-empty 1-D list of "
                             f"them, got {self.l1_ratio!r}.")
        for l1_ratio in l1_ratios:
            check_parameters(type(self).__name__, l1_ratio=float(l1_ratio))
        return l1_ratios

    def _fit_statistics(self, total, folds, l1_ratios, dtype):
        """Cross-validate from statistics: the total and each split's Fold."""
        whole = self._from_statistics(total, dtype)

        def fold_problem(j):  # a fold's training statistics live while its paths run
            train = folds[j].train()
            return self._from_statistics(train, dtype), train, folds[j].test

        def errors(train, test, coefs, intercepts):
            return (squared_error(test, coefs, intercepts),
                    squared_error(train, coefs, intercepts),
                    squared_error_floor(test, coefs, intercepts))

        return self._select(whole, len(folds), fold_problem, l1_ratios, errors)

    def _select(self, whole, n_folds, fold_problem, l1_ratios, errors):
        """Run every (l1_ratio, fold) path on one grid per l1_ratio, choose, refit on whole.
        ``fold_problem(j)``: (problem, train, test) of fold j, with train/test whatever
        ``errors`` reads."""
        grids = [self._grid(whole, l1) for l1 in l1_ratios]
        gammas = self._checked_gammas()
        tasks = [(i, j) for i in range(len(l1_ratios)) for j in range(n_folds)]

        def run(task, stop):
            i, j = task
            fold, train, test = fold_problem(j)
            start = time.perf_counter()
            options = self._options(l1_ratios[i], fold)
            coefs, gaps, _ = _path.solve(fold, grids[i], options,
                                         progress=lambda _done: stop.is_set())
            if self.verbose:  # one line per path, as scikit-learn's verbose CV prints
                print(f"[{type(self).__name__}] fold {j + 1}/{n_folds}, l1_ratio "
                      f"{l1_ratios[i]:g}: {len(grids[i])} alphas in "
                      f"{time.perf_counter() - start:.2f} s, largest gap {gaps.max():.2e}",
                      flush=True)
            coefs = coefs[0].astype(np.float64)
            models = _blends(fold, coefs, gammas, options)  # (p, n_gammas * n_alphas)
            measured = errors(train, test, models, fold.intercepts(models.T))
            return (*(np.reshape(e, (gammas.size, -1)) for e in measured),
                    np.count_nonzero(coefs, axis=0))

        results = thread_map(run, tasks, self.n_jobs)
        shape = (len(l1_ratios), n_folds, gammas.size, -1)
        mse = np.reshape([r[0] for r in results], shape)
        train_mse = np.reshape([r[1] for r in results], shape)
        # A fold whose test rows all have zero weight has no error (NaN): the means and the
        # spread are over the other folds, as cv.glmnet weights folds by their test weight.
        floor = np.nanmean(np.reshape([r[2] for r in results], shape), axis=1)
        nonzeros = np.reshape([r[3] for r in results], (len(l1_ratios), n_folds, -1)).mean(axis=1)
        # The smallest mean error; errors within rounding of it tie, and ties go to the larger
        # alpha, then to the larger gamma, then to the earlier l1_ratio.
        mean_mse = np.nanmean(mse, axis=1)  # (n_l1_ratio, n_gammas, n_alphas)
        tied = mean_mse <= mean_mse.min() + floor
        i_best = int(np.flatnonzero(tied.any(axis=(1, 2)))[0])
        g_best, k_best = _first_alpha_last_gamma(tied[i_best])

        # glmnet's one-standard-error rule on the chosen l1_ratio's errors: the largest alpha
        # (then gamma) whose mean error is within one standard error (over folds) of the
        # smallest.
        counted = int(np.isfinite(mse[i_best, :, 0, 0]).sum())
        spread = (np.nanstd(mse[i_best], axis=0, ddof=1) / np.sqrt(counted) if counted > 1
                  else np.zeros(mse.shape[2:]))
        g_1se, k_1se = _first_alpha_last_gamma(
            mean_mse[i_best] <= mean_mse[i_best, g_best, k_best] + spread[g_best, k_best])
        self.alpha_min_ = np.float64(grids[i_best][k_best])
        self.alpha_1se_ = np.float64(grids[i_best][k_1se])
        self.alpha_ = self.alpha_1se_ if self.alpha_rule == "1se" else self.alpha_min_
        gamma = gammas[g_1se] if self.alpha_rule == "1se" else gammas[g_best]

        l1_ratio = l1_ratios[i_best]
        if not isinstance(self, LassoCV):
            self.l1_ratio_ = l1_ratio
        self.mse_path_ = np.squeeze(np.moveaxis(mse[:, :, -1], 2, 1))
        self.train_mse_path_ = np.squeeze(np.moveaxis(train_mse[:, :, -1], 2, 1))
        self.n_nonzero_path_ = np.squeeze(nonzeros)
        if self.relax:
            self.gammas_ = gammas
            self.gamma_min_, self.gamma_1se_ = gammas[g_best], gammas[g_1se]
            self.gamma_ = gamma
            relaxed_mse = np.moveaxis(mse, 1, 3)  # (n_l1_ratio, n_gammas, n_alphas, n_folds)
            self.relaxed_mse_path_ = relaxed_mse[0] if len(l1_ratios) == 1 else relaxed_mse
        # scikit-learn's shapes: one row per l1_ratio for generated grids, given alphas once
        explicit = not isinstance(self.alphas, numbers.Integral)
        self.alphas_ = np.asarray(grids)[0] if len(l1_ratios) == 1 or explicit else np.asarray(
            grids)
        options = self._options(l1_ratio, whole)
        coefs, gaps, n_iters = _path.solve(whole, np.array([self.alpha_]), options)
        coef = coefs[:, :, 0]
        if gamma < 1.0:
            coef = _blends(whole, coef.T.astype(np.float64), np.array([gamma]), options).T
        self._set_coef(coef, whole)
        self.dual_gap_ = gaps[0].astype(whole.dtype)
        self.n_iter_ = n_iters[0]
        return self

    def _checked_gammas(self):
        """The gammas to cross-validate, increasing and ending at 1 (only 1 without relax)."""
        if not self.relax:
            if self.gammas is not None:
                raise ValueError("gammas are the relaxed lasso's: set relax=True too.")
            return np.ones(1)
        gammas = np.asarray(_GLMNET_GAMMAS if self.gammas is None else self.gammas,
                            dtype=np.float64)
        if gammas.ndim != 1 or gammas.size == 0 or not ((gammas >= 0) & (gammas <= 1)).all():
            raise ValueError(f"gammas must be a non-empty 1-D list of numbers in [0, 1], got "
                             f"{self.gammas!r}.")
        return np.union1d(gammas, [1.0])

    def _from_statistics(self, stats, dtype):
        problem = _problem.from_statistics(stats, self.fit_intercept)
        problem.dtype = np.dtype(dtype)  # coefficients in X's dtype, as scikit-learn returns
        return problem

    def _lazy_fold(self, X, y, w, train, whole):
        mask = np.zeros(X.shape[0])
        mask[train] = 1.0
        return _problem.from_data(X, y, sample_weight=mask if w is None else w * mask,
                                  fit_intercept=self.fit_intercept, precompute=False,
                                  check_input=False, like=whole)

    def _grid(self, problem, l1_ratio):
        return _path.with_feature_terms(problem, self._plain_options(l1_ratio),
                                        self._feature_terms(), self.alphas, self.eps)

    def _options(self, l1_ratio, problem):
        """The solver's options on one problem (standardising reads its own columns' scales,
        as cv.glmnet standardises each fold)."""
        options = self._plain_options(l1_ratio)
        options.features = _feature_terms.feature_terms(problem, positive=self.positive,
                                                        **self._feature_terms())
        return options

    def _plain_options(self, l1_ratio):
        return _path.solver_options(l1_ratio, self.positive, self.tol, self.max_iter,
                                    selection=self.selection, random_state=self.random_state)

    def _feature_terms(self):
        return {"penalty_factor": self.penalty_factor, "lower_bounds": self.lower_bounds,
                "upper_bounds": self.upper_bounds, "standardize": bool(self.standardize)}

    @property
    def sparse_coef_(self):
        return sp.csr_array(np.atleast_2d(self.coef_))


class LassoCV(ElasticNetCV):
    """Lasso with alpha chosen by cross-validation (``ElasticNetCV`` with ``l1_ratio=1``).

    Same parameters, defaults, attributes and selection as :class:`sklearn.linear_model.LassoCV`,
    and as :class:`ElasticNetCV` without ``l1_ratio`` (nor ``l1_ratio_``): ``eps``,
    ``alphas``, ``fit_intercept``, ``precompute``, ``max_iter``, ``tol``, ``copy_X``, ``cv``,
    ``verbose``, ``n_jobs``, ``positive``, ``random_state``, ``selection``, ``alpha_rule``,
    ``penalty_factor``, ``lower_bounds``, ``upper_bounds``, ``standardize``, ``relax``,
    ``gammas``.

    Examples
    --------
    >>> import numpy as np, shrinkage
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((100, 10)); y = X[:, 0] + 0.1 * rng.standard_normal(100)
    >>> model = shrinkage.LassoCV(cv=5).fit(X, y)
    >>> model.mse_path_.shape, bool(model.alpha_ < 0.1)
    ((100, 5), True)
    """

    def __init__(self, *, eps=1e-3, alphas=100, fit_intercept=True, precompute="auto",
                 max_iter=1000, tol=1e-4, copy_X=True, cv=None, verbose=False, n_jobs=None,
                 positive=False, random_state=None, selection="cyclic", alpha_rule="min",
                 penalty_factor=None, lower_bounds=None, upper_bounds=None, standardize=False,
                 relax=False, gammas=None):
        super().__init__(l1_ratio=1.0, eps=eps, alphas=alphas, fit_intercept=fit_intercept,
                         precompute=precompute, max_iter=max_iter, tol=tol, cv=cv,
                         copy_X=copy_X, verbose=verbose, n_jobs=n_jobs, positive=positive,
                         random_state=random_state, selection=selection, alpha_rule=alpha_rule,
                         penalty_factor=penalty_factor, lower_bounds=lower_bounds,
                         upper_bounds=upper_bounds, standardize=standardize, relax=relax,
                         gammas=gammas)


# cv.glmnet's gammas for relax=TRUE.
_GLMNET_GAMMAS = (0.0, 0.25, 0.5, 0.75, 1.0)


def _blends(problem, coefs, gammas, options):
    """gamma * coefs + (1 - gamma) * their relaxed fits for each gamma, side by side:
    (p, n_gammas * n_alphas), gamma-major. Only the penalised fits where gammas is (1,)."""
    if (gammas == 1.0).all():
        return coefs
    relaxed, _ = relaxed_fits(problem, coefs, options)
    return np.hstack([g * coefs + (1 - g) * relaxed for g in gammas])


def _first_alpha_last_gamma(chosen):
    """glmnet's choice among the (gamma, alpha) cells where ``chosen`` holds: the largest
    alpha (the first on the decreasing grid), then the largest gamma."""
    k = int(np.flatnonzero(chosen.any(axis=0))[0])
    return int(np.flatnonzero(chosen[:, k])[-1]), k


def _rows_mse(X, y, w, rows, coefs, intercepts):
    """Weighted MSE over some rows, from the rows and the models' support only."""
    support = np.flatnonzero(np.any(coefs != 0, axis=1))
    block = X[rows][:, support]
    fit = np.asarray(block @ coefs[support]) + intercepts
    residual = y[rows][:, None] - fit
    weights = np.ones(len(rows)) if w is None else w[rows]
    if not weights.any():  # rows of zero weight: no error is defined
        return np.full(residual.shape[1], np.nan)
    return weights @ residual**2 / weights.sum()
