"""What the solver is given: a Gram source and the statistics of one (weighted, possibly
intercept-fitted) least-squares problem, built from data, a user's Gram, or ``GramStats``.

The weighted, centred problem of the estimators (docs/design.md §1) is the plain problem on
Z = sqrt(w) (X - 1 m^T), y_c = sqrt(w) (y - ybar); Z is never formed. A full Gram comes from the
moments kernel (row blocks about the mean); the design sources apply the weights and centres
column by column (dense) or as X^T W X - W m m^T (sparse). The solver's scale is 1 / sum(w),
which is scikit-learn's "weights rescaled to sum n" with its 1 / n.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from . import _core
from . import _statistics as statistics
from ._exceptions import warn
from ._validation import (
    canonical_csc,
    check_finite_statistics,
    check_gram,
    check_X,
    check_y,
    real_array,
)
from .statistics._gramstats import GramStats, centred_moments, check_fit_weight

TINY_ALPHA = np.finfo(float).resolution  # scikit-learn's floor for a degenerate grid

# 'auto' computes the full p x p Gram when n_samples >= n_features and it takes at most this.
FULL_GRAM_MAX_BYTES = 2 << 30


class Problem:
    """One least-squares problem as the path solver sees it (unscaled statistics; the solver
    scales by 1 / W).

    source: the Gram source; xy: Z^T y_c (p x k); yy: ||y_c||^2 per target (k,);
    x_mean, y_mean: the centres (zeros without an intercept); weight_sum: W;
    dtype: X's dtype; targets_2d: y was 2-D (results keep a targets axis).
    """

    __slots__ = ("dtype", "source", "targets_2d", "weight_sum", "x_mean", "xy", "y_mean", "yy")

    @property
    def n_features(self):
        return self.xy.shape[0]

    @property
    def n_targets(self):
        return self.xy.shape[1]

    def intercepts(self, coef):
        """ybar - xbar^T w for coefficients coef (n_targets, p): zero without an intercept."""
        return self.y_mean - coef @ self.x_mean

    def select_targets(self, targets):
        """The same problem on a subset of its targets (the Gram source is shared)."""
        d = Problem()
        for name in Problem.__slots__:
            setattr(d, name, getattr(self, name))
        d.xy, d.yy, d.y_mean = self.xy[:, targets], self.yy[targets], self.y_mean[targets]
        return d

    def alpha_grid(self, l1_ratio, eps, n_alphas, positive, multitask, alpha_max=None):
        """scikit-learn's grid: geomspace(alpha_max, eps * alpha_max, n_alphas). alpha_max
        zeroes every coefficient: of the multi-task problem (row norms of X^T Y), or of every
        target's own problem (the largest |X^T y| entry) for independent targets; or as
        given (per-feature terms compute their own)."""
        if l1_ratio == 0:
            raise ValueError(
                "Automatic alpha grid generation is not supported for l1_ratio=0. "
                "Please supply a grid by providing your estimator with the appropriate "
                "`alphas=` argument."
            )
        if alpha_max is None:
            if positive:
                top = max(0.0, float(np.max(self.xy)))
            elif multitask:
                top = float(np.max(np.sqrt(np.einsum("ij,ij->i", self.xy, self.xy))))
            else:
                top = float(np.max(np.abs(self.xy)))
            alpha_max = top / (self.weight_sum * l1_ratio)
        if alpha_max <= TINY_ALPHA:
            return np.full(n_alphas, TINY_ALPHA)
        return np.geomspace(alpha_max, alpha_max * eps, num=n_alphas)


def from_statistics(stats, fit_intercept=True):
    """The problem of a GramStats: centred (intercept) or about zero (no intercept)."""
    stats.check()
    gram, xy, yy = (stats.gram, stats.xy, stats.yy) if fit_intercept else stats.uncentred()
    d = Problem()
    d.dtype = np.dtype(np.float64)
    d.targets_2d = stats.n_targets is not None
    d.weight_sum = stats.weight_sum
    d.x_mean = stats.x_mean if fit_intercept else np.zeros(stats.n_features)
    d.y_mean = np.atleast_1d(stats.y_mean if fit_intercept else np.zeros_like(stats.y_mean))
    d.xy = np.asarray(xy, dtype=np.float64).reshape(stats.n_features, -1)
    d.yy = np.atleast_1d(np.asarray(yy, dtype=np.float64))
    d.source = _core.full_gram(np.ascontiguousarray(gram), 1.0 / stats.weight_sum)
    return d


def from_data(X, y, *, sample_weight=None, fit_intercept=False, precompute="auto", Xy=None,
              check_input=True, check_gram=None, like=None):
    """The problem of (X, y): plain (the path functions) or weighted and centred (estimators).
    A user Gram is spot-checked against X (scikit-learn's check) when ``check_gram`` (default:
    ``check_input``). ``like``: a problem over the same X under other weights (a
    cross-validation's whole data), whose float32 view of wide dense X this one shares."""
    rows = _csr_arrays(X)
    # check_input=False trusts X's dtype and layout, but not that it is an array at all.
    X = check_X(X) if check_input or not (isinstance(X, np.ndarray) or sp.issparse(X)) else X
    n, p = X.shape
    y = check_y(y, n, X.dtype)
    Y = np.asfortranarray(y.reshape(n, -1), dtype=np.float64)
    w = check_fit_weight(sample_weight, n)
    dtype = X.dtype
    if sp.issparse(X):
        X = canonical_csc(X)
    if sp.issparse(X) and X.dtype == np.float32:
        X = X.astype(np.float64)  # statistics in double; the data array is nnz long
    plain = w is None and not fit_intercept
    if Xy is not None and not plain:
        raise ValueError("Xy can only be given for the plain problem (no weights, no intercept).")

    d = Problem()
    d.dtype = dtype
    d.targets_2d = y.ndim == 2
    full = _wants_full_gram(precompute, X)
    if not isinstance(full, bool):  # a user's Gram
        _from_user_gram(d, X, Y, w, fit_intercept, full, Xy,
                        check_input if check_gram is None else check_gram)
    elif full:
        _from_moments(d, X, Y, w, fit_intercept, diagonal_only=False)
        d.source = _core.full_gram(d.source, 1.0 / d.weight_sum)
    elif sp.issparse(X):
        _sparse_design(d, X, Y, w, fit_intercept, rows)
    else:
        _from_moments(d, X, Y, w, fit_intercept, diagonal_only=True)
        d.source = _core.dense_design_gram(X, d.source, 1.0 / d.weight_sum, w,
                                           d.x_mean if fit_intercept else None,
                                           None if like is None else like.source)
    if Xy is not None:
        d.xy = _check_xy(Xy, p, Y.shape[1])
    return d


def _wants_full_gram(precompute, X):
    """True / False, or the user's Gram array."""
    n, p = X.shape
    if isinstance(precompute, str):
        if precompute != "auto":
            raise ValueError(f"precompute must be 'auto', a bool or an array, got {precompute!r}.")
        return n >= p and p * p * np.dtype(X.dtype).itemsize <= FULL_GRAM_MAX_BYTES
    if isinstance(precompute, (bool, np.bool_)):
        return bool(precompute)
    return check_gram(precompute, p, np.float64)


def _from_moments(d, X, Y, w, fit_intercept, diagonal_only):
    """Moments through the kernel (dense) or sparse products; d.source holds the Gram (or its
    diagonal) until the caller wraps it."""
    n, p = X.shape
    k = Y.shape[1]
    if sp.issparse(X):
        stats = GramStats.from_arrays(X, Y, w)
        W, x_mean, y_mean = stats.weight_sum, stats.x_mean, stats.y_mean
        gram, xy, yy = (stats.gram, stats.xy, stats.yy) if fit_intercept else stats.uncentred()
        gram = np.diag(gram).copy() if diagonal_only else gram
    elif fit_intercept:
        W, x_mean, y_mean, gram, xy, yy = centred_moments(X, Y, w, diagonal_only=diagonal_only)
    elif w is None:  # the plain problem: X read in place by syrk / gemm
        W, x_mean, y_mean = float(n), np.zeros(p), np.zeros(k)
        gram = (np.einsum("ij,ij->j", X, X, dtype=np.float64) if diagonal_only
                else statistics.gram(X))
        xy, yy = statistics.cross(X, Y), np.einsum("ij,ij->j", Y, Y)
    else:  # weighted moments about zero
        W, _, _, gram, xy, yy = _core.shifted_moments(X, Y, None, w, np.zeros(p), np.zeros(k),
                                                      diagonal_only)
        x_mean, y_mean = np.zeros(p), np.zeros(k)
        gram = gram.ravel() if diagonal_only else gram
    check_finite_statistics(gram if diagonal_only else np.diag(gram))
    d.weight_sum = float(W)
    d.x_mean = np.asarray(x_mean, dtype=np.float64) if fit_intercept else np.zeros(p)
    d.y_mean = np.asarray(y_mean, dtype=np.float64) if fit_intercept else np.zeros(k)
    d.xy = np.asfortranarray(xy, dtype=np.float64).reshape(p, k)
    d.yy = np.asarray(yy, dtype=np.float64).reshape(k)
    d.source = gram


def _csr_arrays(X):
    """The CSR arrays of a user's canonical float64 CSR matrix, read in place by the sparse
    design for its working-set blocks (X^T X's columns by rows), or None: then the design
    makes its row-major copy when it first needs one."""
    if not (sp.issparse(X) and X.format == "csr" and X.dtype == np.float64
            and X.indices.dtype == np.int32 and X.has_canonical_format):
        return None
    return X.indptr.astype(np.int64), X.indices, X.data


def _sparse_design(d, X, Y, w, fit_intercept, rows):
    n, p = X.shape
    W = float(n) if w is None else float(w.sum())
    XW = X if w is None else sp.diags(w) @ X
    x_mean = (np.asarray(XW.sum(axis=0), dtype=np.float64).ravel() / W if fit_intercept
              else np.zeros(p))
    y_mean = ((Y if w is None else Y * w[:, None]).sum(axis=0) / W if fit_intercept
              else np.zeros(Y.shape[1]))
    Yc = Y - y_mean
    d.weight_sum, d.x_mean, d.y_mean = W, x_mean, y_mean
    d.xy = np.asfortranarray(XW.T @ Yc, dtype=np.float64)  # sum w (y - ybar) = 0: no m term
    d.yy = np.einsum("ij,ij->j", Yc, Yc if w is None else Yc * w[:, None])
    d.source = _core.sparse_design_gram(
        X.indptr.astype(np.int64), X.indices.astype(np.int32, copy=False), X.data, n, p,
        1.0 / W, w, x_mean if fit_intercept else None, rows)
    check_finite_statistics(d.source.diagonal)


def _from_user_gram(d, X, Y, w, fit_intercept, gram, Xy, check_gram):
    """scikit-learn's convention: the Gram of the weighted, centred X with the weights rescaled
    to sum n, X_c^T diag(w n / sum(w)) X_c, so the solver's scale is 1 / n with any weights."""
    n, p = X.shape
    if fit_intercept:
        weights = np.ones(n) if w is None else w
        x_mean = statistics.cross(X, weights[:, None]).ravel() / weights.sum()
        scale = np.sqrt(np.abs(np.diag(gram)).max(initial=0.0) / n)
        if np.abs(x_mean).max() > 1e-10 * max(scale, 1e-300):
            warn("Gram matrix was provided but X was centered to fit intercept: recomputing "
                 "Gram matrix.", UserWarning)
            _from_moments(d, X, Y, w, fit_intercept, diagonal_only=False)
            d.source = _core.full_gram(d.source, 1.0 / d.weight_sum)
            return
    if check_gram:
        _spot_check_gram(X, w, gram)
    check_finite_statistics(np.diag(gram), "Gram")
    if Xy is None:
        _from_moments(d, X, Y, w, fit_intercept, diagonal_only=True)  # xy, yy, W, means
    else:
        d.weight_sum, d.x_mean, d.y_mean = float(n), np.zeros(p), np.zeros(Y.shape[1])
        d.yy = np.einsum("ij,ij->j", Y, Y)
    d.source = _core.full_gram(gram, 1.0 / n)


def _spot_check_gram(X, w, gram):
    """scikit-learn's check that a user Gram belongs to X: one entry, recomputed (with the
    weights rescaled to sum n)."""
    p = gram.shape[0]
    i, j = p // 2, min(p // 2 + 1, p - 1)
    xi = X[:, [i]].toarray().ravel() if sp.issparse(X) else X[:, i]
    xj = X[:, [j]].toarray().ravel() if sp.issparse(X) else X[:, j]
    xi = xi.astype(np.float64) * (1.0 if w is None else w * (len(w) / w.sum()))
    expected = float(np.dot(xi, xj.astype(np.float64)))
    rtol = 1e-4 if X.dtype == np.float32 else 1e-7
    if not np.isclose(expected, gram[i, j], rtol=rtol, atol=1e-5):
        raise ValueError(
            "Gram matrix passed in via 'precompute' parameter did not pass validation when a "
            f"single element was checked - please check that it was computed properly. For "
            f"element ({i},{j}) we computed {expected} but the user-supplied value was "
            f"{gram[i, j]}."
        )


def _check_xy(Xy, p, k):
    Xy = real_array(Xy, "Xy").astype(np.float64, copy=False).reshape(p, -1)
    if Xy.shape[1] != k:
        raise ValueError(f"Xy has shape {Xy.shape}, expected ({p}, {k}).")
    if not np.isfinite(Xy).all():
        raise ValueError("Xy contains NaN or infinity.")
    return np.asfortranarray(Xy)
