"""Cross-validation statistics from one pass over the data.

The statistics of each test fold are accumulated once (the moments kernel over that fold's
rows); their merge is the whole data set's, and each training set's statistics are the total
minus its test fold (the pairwise un-merge). K folds thus cost about one Gram, not K. Splits
whose training sets are not the complements of their test sets (e.g. ``TimeSeriesSplit``,
``ShuffleSplit``) get their training statistics computed directly.

Validation errors come from the statistics too: for coefficients w and intercept b, the
weighted squared error over a set of rows is
``yy - 2 w^T xy + w^T G w + W (ybar - xbar^T w - b)^2`` of that set's centred moments.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ._gramstats import GramStats, centred_moments


def statistics_of_rows(X, y, w, rows):
    """GramStats of the given rows (indices) of dense or sparse X (X read in place)."""
    rows = np.asarray(rows, dtype=np.int64)
    if sp.issparse(X):
        return GramStats.from_arrays(X[rows], y[rows], None if w is None else w[rows])
    Y = np.asfortranarray(y.reshape(len(y), -1), dtype=np.float64)
    moments = centred_moments(X, Y, w, rows=rows)
    return GramStats._from_2d(len(rows), *moments, targets_2d=y.ndim == 2)


class Fold:
    """One split's statistics: its test fold's, kept, and its training set's, made when asked
    (the total minus the test fold, or from the training rows when the split is not a
    partition), so that only the folds being solved hold training statistics at a time."""

    __slots__ = ("_data", "_total", "test")

    def __init__(self, test, total=None, data=None):
        self.test = test
        self._total = total  # the total the test fold is part of, or None
        self._data = data  # (X, y, w, training rows) otherwise

    def train(self):
        if self._total is not None:
            return self._total - self.test
        return statistics_of_rows(*self._data)


def split_statistics(X, y, w, splits):
    """(total, [Fold per split]) as GramStats, with one pass over X for a partition."""
    n = X.shape[0]
    tests = [statistics_of_rows(X, y, w, test) for _, test in splits]
    partition = _is_partition([test for _, test in splits], n)
    total = merge_all(tests) if partition else statistics_of_rows(X, y, w, np.arange(n))
    folds = []
    for (train, test), test_stats in zip(splits, tests, strict=True):
        if partition and len(train) + len(test) == n:
            folds.append(Fold(test_stats, total=total))
        else:
            folds.append(Fold(test_stats, data=(X, y, w, train)))
    return total, folds


def merge_all(parts):
    """Pairwise (tree) merge of a list of GramStats."""
    parts = list(parts)
    while len(parts) > 1:
        parts = [parts[i] + parts[i + 1] if i + 1 < len(parts) else parts[i]
                 for i in range(0, len(parts), 2)]
    return parts[0]


def squared_error(stats, coefs, intercepts):
    """Weighted mean squared error over the rows of ``stats`` (1-D y) of the models
    (coefs[:, k], intercepts[k]); coefs is (p, n_models)."""
    terms = _error_terms(stats, coefs, intercepts)
    if stats.weight_sum == 0:  # rows of zero weight: no error is defined
        return np.full(np.shape(terms[0]), np.nan)
    return np.maximum(sum(terms), 0.0) / stats.weight_sum


def squared_error_floor(stats, coefs, intercepts):
    """How far rounding may move ``squared_error``: its terms cancel (a well-fitted fold's error
    is far below yy), so errors closer than this are indistinguishable. 64 units of rounding
    of the largest term cover the products and the statistics' own accumulation."""
    terms = _error_terms(stats, coefs, intercepts)
    largest = np.max(np.abs(np.stack(terms)), axis=0)
    if stats.weight_sum == 0:
        return np.full(largest.shape, np.nan)
    return 64 * np.finfo(np.float64).eps * largest / stats.weight_sum


def _error_terms(stats, coefs, intercepts):
    """The terms whose sum is the weighted sum of squared errors of each model."""
    B = np.asarray(coefs, dtype=np.float64)
    quad = np.einsum("jk,jk->k", B, stats.gram @ B)
    shift = stats.y_mean - stats.x_mean @ B - intercepts
    yy = np.broadcast_to(stats.yy, quad.shape)
    return yy, -2 * (stats.xy @ B), quad, stats.weight_sum * shift**2


def _is_partition(tests, n):
    seen = np.zeros(n, dtype=np.int64)
    for test in tests:
        np.add.at(seen, np.asarray(test), 1)
    return bool((seen == 1).all())
