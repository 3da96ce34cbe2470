"""``shrinkage.path``: a path object for people who think in glmnet.

One call fits the elastic-net path of the weighted, intercept-fitted Gaussian problem and keeps
what glmnet's fit keeps: alphas (glmnet's lambda, on scikit-learn's 1/n scale), coefficients,
intercepts, duality gaps, iterations, degrees of freedom and the deviance ratio, with
``coef`` / ``predict`` at any alpha (interpolated as glmnet's ``predict(s=)``, or re-solved with
``exact=True``), a printed summary like glmnet's, the relaxed lasso (``relax=True``) and a plot.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray
from scipy.special import expit

from . import _path, _problem
from ._relaxed import relaxed_fits
from ._validation import check_parameters
from .statistics import GramStats


def path(X: Any, y: ArrayLike | None = None, *, family: str = "gaussian", l1_ratio: float = 1.0,
         alphas: Any = 100, eps: float = 1e-3, fit_intercept: bool = True,
         sample_weight: ArrayLike | None = None, offset: ArrayLike | None = None,
         positive: bool = False, precompute: bool | str | ArrayLike = "auto", tol: float = 1e-4,
         max_iter: int = 1000, dfmax: int | None = None, pmax: int | None = None,
         relax: bool = False, penalty_factor: ArrayLike | None = None,
         exclude: ArrayLike | None = None, lower_bounds: ArrayLike | float | None = None,
         upper_bounds: ArrayLike | float | None = None, standardize: bool = False,
         rescale_penalty_factor: bool = False) -> Path:
    """Fit an elastic-net path and return it as a :class:`Path` (glmnet's ``glmnet()``).

    Minimises, for each alpha, ``1/(2 sum(w)) sum_i w_i (y_i - b - x_i^T beta)^2
    + alpha (l1_ratio ||beta||_1 + (1 - l1_ratio)/2 ||beta||^2)``: glmnet's Gaussian objective
    with ``lambda = alpha`` and ``alpha = l1_ratio`` (standardize=FALSE), and scikit-learn's
    ``ElasticNet`` with weights. One intercept per alpha (unpenalised, from the weighted means),
    weights and centring in the statistics, X never copied or centred.

    ``family="binomial"`` fits glmnet's logistic regression path instead (the weighted mean
    log-loss in place of the squared error; see :func:`logistic_path`), with glmnet's rules
    that end a path early: once 99.9% of the null deviance is explained, or an alpha explains
    less than 1e-5 of it more than the previous one (after at least 5 alphas). It returns a
    :class:`BinomialPath`.

    Parameters
    ----------
    X : array-like or sparse matrix of shape (n_samples, n_features), or GramStats
        A :class:`GramStats` (with ``y=None``) carries its own weights and means.
    y : array-like of shape (n_samples,)
        Two classes with ``family="binomial"`` (the larger label is the positive class).
    family : {"gaussian", "binomial"}, default="gaussian"
    l1_ratio : float in [0, 1], default=1.0 (the lasso)
    alphas : int or array-like, default=100
        An int: that many on the geometric grid from alpha_max down by ``eps``.
    eps : float, default=1e-3
    fit_intercept : bool, default=True
    sample_weight : array-like of shape (n_samples,), default=None
        Observation weights (glmnet's ``weights``; the objective divides by their sum).
    offset : array-like of shape (n_samples,), default=None
        glmnet's ``offset`` (binomial family only): a known part of the linear predictor.
    positive : bool, default=False
    precompute : "auto", bool or array, default="auto"
        As in :func:`enet_path`.
    tol : float, default=1e-4
        Every point's duality gap is at most ``tol * ||y - ybar||^2_w / sum(w)``.
    max_iter : int, default=1000
    dfmax, pmax : int, default=None
        glmnet's limits: stop after the first alpha with more than ``dfmax`` non-zero
        coefficients, or before the first at which more than ``pmax`` have ever been non-zero
        (with a warning; the alphas solved are kept).
    relax : bool, default=False
        Also fit the relaxed lasso: at each alpha, the unpenalised least-squares fit on that
        alpha's support (the minimum-norm one where the support's Gram is singular; within
        the bounds when there are any, as glmnet's refit with its limits), blended by
        ``gamma`` in :meth:`Path.coef` and :meth:`Path.predict`.
    penalty_factor : array-like of shape (n_features,), default=None (all 1)
        glmnet's ``penalty.factor``: feature j's penalty is multiplied by ``v_j >= 0``; 0 leaves
        it unpenalised (in the model from alpha_max on, which is computed over the penalised
        features after the unpenalised ones are fitted), ``inf`` excludes it. Used as given;
        ``rescale_penalty_factor=True`` rescales them to sum to n_features as glmnet does (an
        excluded feature counting 1), for results that match glmnet's number for number.
    exclude : array-like of int or bool mask, default=None
        Features held at zero (glmnet's ``exclude``).
    lower_bounds, upper_bounds : float or array-like of shape (n_features,), default=None
        glmnet's ``lower.limits`` / ``upper.limits``: ``lower_j <= beta_j <= upper_j``; each
        interval contains 0 (``positive=True`` is ``lower_bounds=0``); unpenalised features
        may be bounded too, on either side or both.
    standardize : bool, default=False
        glmnet's ``standardize=TRUE``: the penalty applies to the coefficients of the columns
        scaled to unit weighted variance (about the means with an intercept, as glmnet),
        computed in the statistics (X is never scaled); the coefficients are returned on the
        original scale, and a constant column stays at 0.
    rescale_penalty_factor : bool, default=False

    Examples
    --------
    >>> import numpy as np, shrinkage
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((100, 6)); y = X @ [3.0, -2.0, 0, 0, 1.0, 0] + 5
    >>> fit = shrinkage.path(X, y, alphas=5)
    >>> fit.df.tolist()
    [0, 3, 3, 3, 3]
    >>> round(float(fit.predict(X[:1], alpha=0.01)[0]), 2)
    5.1
    >>> print(fit)  # glmnet's print: non-zeros, % of the deviance explained, alpha
    Path(l1_ratio=1, 5 alphas)
           Df    %Dev      Alpha
       1     0    0.00      3.112
       2     3   93.99     0.5534
       3     3   99.81     0.0984
       4     3   99.99     0.0175
       5     3  100.00   0.003112
    """
    check_parameters("path", l1_ratio=l1_ratio, eps=eps, alphas=alphas, tol=tol,
                     max_iter=max_iter, dfmax=dfmax, pmax=pmax)
    terms = {"penalty_factor": penalty_factor, "exclude": exclude, "lower_bounds": lower_bounds,
             "upper_bounds": upper_bounds, "standardize": standardize,
             "rescale_penalty_factor": rescale_penalty_factor}
    if family == "binomial":
        if isinstance(X, GramStats) or y is None:
            raise ValueError("The binomial family needs X and y (GramStats summarise a "
                             "least-squares problem only).")
        if relax:
            raise NotImplementedError("relax=True is not implemented for the binomial family "
                                      "yet.")
        return BinomialPath.fit(X, y, l1_ratio=l1_ratio, alphas=alphas, eps=eps,
                                fit_intercept=fit_intercept, sample_weight=sample_weight,
                                offset=offset, positive=positive, tol=tol, max_iter=max_iter,
                                dfmax=dfmax, pmax=pmax, terms=terms)
    if family != "gaussian":
        raise ValueError(f"family must be 'gaussian' or 'binomial', got {family!r} (the "
                         "multinomial and Poisson families are not implemented yet).")
    if offset is not None:
        raise ValueError("offset is for the binomial family: subtract it from y instead.")
    if isinstance(X, GramStats):
        if y is not None or sample_weight is not None:
            raise ValueError("With GramStats as X, y and sample_weight must be None.")
        problem = _problem.from_statistics(X, fit_intercept)
    else:
        if y is None:
            raise ValueError("y is required unless X is a GramStats.")
        if np.ndim(y) != 1:
            raise ValueError(f"y must be 1-D, got shape {np.shape(y)}: for several targets use "
                             "enet_path (multi-task) or multi_target_path.")
        problem = _problem.from_data(X, y, sample_weight=sample_weight,
                                     fit_intercept=fit_intercept, precompute=precompute)
    options = _path.solver_options(l1_ratio, positive, tol, max_iter, dfmax=dfmax, pmax=pmax)
    grid = _path.with_feature_terms(problem, options, terms, alphas, eps)
    coefs, gaps, n_iters = _path.solve(problem, grid, options)
    return Path(problem, grid[:coefs.shape[-1]], coefs[0], gaps, n_iters, options, relax)


class Path:
    """A fitted elastic-net path (made by :func:`path`).

    Attributes
    ----------
    alphas : ndarray of shape (n_alphas,)
        Decreasing; glmnet's ``lambda``.
    coefs : ndarray of shape (n_features, n_alphas)
        glmnet's ``beta``.
    intercepts : ndarray of shape (n_alphas,)
        glmnet's ``a0``.
    gaps : ndarray of shape (n_alphas,)
        The duality gap of each point (scikit-learn's units: divided by sum(w)).
    n_iter : list of int
    df : ndarray of shape (n_alphas,)
        Non-zero coefficients at each alpha.
    dev_ratio : ndarray of shape (n_alphas,)
        Fraction of the null deviance explained, ``1 - RSS_w / RSS_w(null)`` (glmnet's
        ``dev.ratio``; the null model is the weighted mean, or 0 without an intercept).
    null_deviance : float
        ``sum_i w_i (y_i - ybar)^2`` (glmnet's ``nulldev``).
    relaxed_coefs, relaxed_intercepts : ndarray, with ``relax=True``
        The unpenalised least-squares fit on each alpha's support (within the bounds).
    """

    def __init__(self, problem, alphas, coefs, gaps, n_iter, options, relax):
        self._problem, self._options = problem, options
        self.alphas = alphas
        self.coefs = coefs
        self.intercepts = self._intercepts(coefs)
        self.gaps = gaps
        self.n_iter = n_iter
        self.df = np.count_nonzero(coefs, axis=0)
        self.null_deviance = float(problem.yy[0])
        self.dev_ratio = np.array([self._explained(coefs[:, k]) for k in range(len(alphas))])
        self.relaxed_coefs = self.relaxed_intercepts = None
        if relax:
            self.relaxed_coefs, self.relaxed_intercepts = self._relaxed(coefs)

    # -- glmnet's coef() and predict() ------------------------------------------------------
    def coef(self, alpha: ArrayLike | None = None, *, exact: bool = False, gamma: float = 1.0
             ) -> tuple[NDArray[np.floating], NDArray[np.floating]]:
        """(intercepts, coefficients) at ``alpha`` (default: the grid), shapes (k,) and (p, k),
        or () and (p,) for a scalar alpha. Between grid points the coefficients are linear in
        alpha (glmnet's ``predict(s=)``); outside the grid they are those of its nearest end.
        ``exact=True`` solves at each alpha instead (warm-started from the grid, certified to
        the path's ``tol``). ``gamma`` blends the penalised fit (1) with the relaxed one (0),
        as glmnet's ``relax=TRUE``."""
        if not 0.0 <= gamma <= 1.0:
            raise ValueError(f"gamma must be in [0, 1], got {gamma!r}.")
        if gamma < 1.0 and self.relaxed_coefs is None:
            raise ValueError("gamma < 1 needs the relaxed fit: path(..., relax=True).")
        scalar = alpha is not None and np.ndim(alpha) == 0
        wanted = self.alphas if alpha is None else np.atleast_1d(np.asarray(alpha, float))
        if wanted.size and (not np.isfinite(wanted).all() or (wanted < 0).any()):
            raise ValueError(f"alpha must be finite and >= 0, got {alpha!r}.")
        if exact:
            coefs, intercepts = self._solve_at(wanted)
            if gamma < 1.0:
                relaxed, relaxed_b = self._relaxed(coefs)
        else:
            left, right, frac = self._brackets(wanted)
            coefs = self.coefs[:, left] * frac + self.coefs[:, right] * (1 - frac)
            intercepts = self.intercepts[left] * frac + self.intercepts[right] * (1 - frac)
            if gamma < 1.0:
                relaxed = (self.relaxed_coefs[:, left] * frac
                           + self.relaxed_coefs[:, right] * (1 - frac))
                relaxed_b = (self.relaxed_intercepts[left] * frac
                             + self.relaxed_intercepts[right] * (1 - frac))
        if gamma < 1.0:
            coefs = gamma * coefs + (1 - gamma) * relaxed
            intercepts = gamma * intercepts + (1 - gamma) * relaxed_b
        if scalar:
            return intercepts[0], coefs[:, 0]
        return intercepts, coefs

    def predict(self, X: Any, alpha: ArrayLike | None = None, *, exact: bool = False,
                gamma: float = 1.0) -> NDArray[np.floating]:
        """``X @ coef + intercept`` at ``alpha`` (as :meth:`coef`): shape (n,) for a scalar
        alpha, else (n, k)."""
        intercepts, coefs = self.coef(alpha, exact=exact, gamma=gamma)
        X = X if sp.issparse(X) else np.asarray(X)
        if X.ndim != 2 or X.shape[1] != self.coefs.shape[0]:
            raise ValueError(f"X must have {self.coefs.shape[0]} columns, got shape {X.shape}.")
        return np.asarray(X @ coefs) + intercepts

    # -- glmnet's print() and plot() --------------------------------------------------------
    def __repr__(self) -> str:
        lines = [f"{type(self).__name__}(l1_ratio={self._options.l1_ratio:g}, "
                 f"{len(self.alphas)} alphas)",
                 f"{'':>4} {'Df':>5} {'%Dev':>7} {'Alpha':>10}"]
        for k, (df, dev, alpha) in enumerate(zip(self.df, self.dev_ratio, self.alphas,
                                                  strict=True)):
            lines.append(f"{k + 1:>4} {df:>5} {100 * dev:>7.2f} {alpha:>10.4g}")
        return "\n".join(lines)

    def plot(self, **kwargs: Any) -> Any:
        """The coefficient paths through :func:`shrinkage.plot.plot_path`."""
        from .plot import plot_path

        return plot_path(self.alphas, self.coefs, **kwargs)

    # -- internals ----------------------------------------------------------------------------
    def _intercepts(self, coefs):
        """ybar - xbar^T beta for each column of coefs (zero without an intercept)."""
        return self._problem.y_mean[0] - np.asarray(coefs, dtype=np.float64).T @ \
            self._problem.x_mean

    def _explained(self, w):
        """1 - RSS_w / null deviance, RSS from the statistics: W (c - w^T b - w^T q)."""
        problem = self._problem
        if self.null_deviance <= 0:
            return 0.0
        W = problem.weight_sum
        b = np.ascontiguousarray(problem.xy[:, 0]) / W
        w = np.ascontiguousarray(w, dtype=np.float64)
        q, _ = problem.source.gradient(b, w)
        rss = problem.yy[0] - W * (w @ b + w @ q)
        return 1.0 - max(rss, 0.0) / self.null_deviance

    def _brackets(self, wanted):
        """glmnet's lambda.interp: neighbours (left >= alpha >= right) and left's weight."""
        a = self.alphas
        if a.size == 0:
            raise ValueError("The path holds no alphas (pmax stopped it at the first).")
        clipped = np.clip(wanted, a[-1], a[0])
        # a is decreasing: right = the first grid alpha <= the wanted one
        right = np.minimum(np.searchsorted(-a, -clipped, side="left"), a.size - 1)
        left = np.maximum(right - 1, 0)
        exact_hit = a[right] == clipped
        left = np.where(exact_hit, right, left)
        span = a[left] - a[right]
        frac = np.where(span > 0, (clipped - a[right]) / np.where(span > 0, span, 1.0), 1.0)
        return left, right, frac

    def _solve_at(self, wanted):
        coefs = np.empty((self.coefs.shape[0], wanted.size))
        for k, alpha in enumerate(wanted):
            start = int(np.searchsorted(-self.alphas, -alpha, side="right")) - 1
            init = None if start < 0 else np.asfortranarray(self.coefs[:, [start]],
                                                            dtype=np.float64)
            options = self._options.replace(dfmax=-1, pmax=-1)
            solved, _, _ = _path.solve(self._problem, np.array([alpha]), options, init)
            coefs[:, k] = solved[0, :, 0]
        return coefs.astype(self.coefs.dtype, copy=False), self._intercepts(coefs)

    def _relaxed(self, coefs):
        relaxed, intercepts = relaxed_fits(self._problem, np.asarray(coefs, np.float64),
                                           self._options)
        return relaxed.astype(self.coefs.dtype, copy=False), intercepts


class BinomialPath(Path):
    """A fitted logistic regression path (made by :func:`path` with ``family="binomial"``):
    glmnet's binomial fit. The attributes of :class:`Path`, with ``gaps`` in the objective's
    units (the weighted mean log-loss), ``dev_ratio`` the fraction of the null deviance
    explained and ``null_deviance`` glmnet's ``nulldev`` (``2 sum_i w_i`` times the null
    model's mean log-loss); ``classes`` holds the two labels, the second the positive one.
    """

    # glmnet.control()'s defaults for ending a path early.
    CONTROLS = {"devmax": 0.999, "fdev": 1e-5, "min_alphas": 5, "max_newton": 100}

    @classmethod
    def fit(cls, X, y, *, l1_ratio, alphas, eps, fit_intercept, sample_weight, offset, positive,
            tol, max_iter, dfmax, pmax, terms):
        from ._binomial import BinomialProblem

        problem = BinomialProblem(X, y, sample_weight, offset, fit_intercept)
        options = _path.solver_options(l1_ratio, positive, tol, max_iter, dfmax=dfmax,
                                       pmax=pmax)
        grid = problem.alpha_grid(options, terms, alphas, eps)
        # glmnet ends only its own sequence early, never the lambdas a user gives.
        controls = cls.CONTROLS if isinstance(alphas, (int, np.integer)) else {}
        result = problem.solve(grid, options, controls=controls)
        return cls(problem, grid[:result["coefs"].shape[1]], result, options)

    def __init__(self, problem, alphas, result, options):
        self._problem, self._options = problem, options
        self.classes = problem.classes
        self.alphas = alphas
        self.coefs = result["coefs"]  # float64 whatever X's dtype: certified as returned
        self.intercepts = result["intercepts"]
        self.gaps = result["gaps"]
        self.n_iter = list(result["n_iter"])
        self.df = np.count_nonzero(self.coefs, axis=0)
        self.dev_ratio = result["deviance_ratios"]
        weight = len(problem.y) if problem.weight is None else float(problem.weight.sum())
        self.null_deviance = 2 * weight * (problem.null_loss - problem.saturated_loss)
        self.relaxed_coefs = self.relaxed_intercepts = None

    def predict(self, X: Any, alpha: ArrayLike | None = None, *, exact: bool = False,
                gamma: float = 1.0, type: str = "link",
                offset: ArrayLike | None = None) -> NDArray[Any]:
        """glmnet's ``predict``: the linear predictor (``type="link"``), the probability of
        the positive class (``"response"``) or the label (``"class"``) at ``alpha`` (as
        :meth:`Path.coef`); ``offset``: the new samples' offsets, needed when the path was
        fitted with one."""
        if type not in ("link", "response", "class"):
            raise ValueError(f"type must be 'link', 'response' or 'class', got {type!r}.")
        if (offset is None) != (self._problem.offset is None):
            raise ValueError("offset must be given for prediction exactly when the path was "
                             "fitted with one.")
        eta = super().predict(X, alpha, exact=exact, gamma=gamma)
        if offset is not None:
            o = np.asarray(offset, dtype=np.float64).ravel()
            if o.shape[0] != eta.shape[0]:
                raise ValueError(f"offset has {o.shape[0]} values for {eta.shape[0]} samples.")
            eta = eta + (o if eta.ndim == 1 else o[:, None])
        if type == "link":
            return eta
        if type == "response":
            return expit(eta)
        return self.classes[(eta > 0).astype(int)]

    def _solve_at(self, wanted):
        problem = self._problem
        coefs = np.empty((self.coefs.shape[0], wanted.size))
        intercepts = np.empty(wanted.size)
        options = self._options.replace(dfmax=-1, pmax=-1)
        for k, alpha in enumerate(wanted):
            start = int(np.searchsorted(-self.alphas, -alpha, side="right")) - 1
            init = (None if start < 0
                    else np.ascontiguousarray(self.coefs[:, start], np.float64))
            b0 = 0.0 if start < 0 else float(self.intercepts[start])
            result = problem.solve(np.array([alpha]), options, init, b0)
            coefs[:, k], intercepts[k] = result["coefs"][:, 0], result["intercepts"][0]
        return coefs, intercepts
