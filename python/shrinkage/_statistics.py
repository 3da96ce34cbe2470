"""Sufficient statistics from data, in float64: X^T X and X^T Y.

Dense products go through the kernels' BLAS (scipy's), so numpy's OpenBLAS threads never
compete with scipy's for the cores; float32 data are accumulated in double. Sparse products
stay sparse (scipy), X is never densified.
"""

from __future__ import annotations

import contextlib

import numpy as np
import scipy.sparse as sp

from . import _core
from ._memory import check_square
from ._threads import blas_threads, one_blas_thread
from ._validation import check_finite_statistics

# The largest Gram (bytes) computed by workers with an accumulator each.
_SHARED_GRAM_BYTES = 512 << 20


def gram(X, what="X^T X", alternative="use precompute=False (the lazy path) or the dual form."):
    """X^T X as a dense float64 array; raises if X holds NaN/inf (seen on the diagonal), and
    MemoryError (naming `what` and `alternative`) before allocating what cannot fit."""
    check_square(X.shape[1], what, alternative)
    if sp.issparse(X):
        X = X.astype(np.float64, copy=False)  # products in double: the data are nnz long
        g = (X.T @ X).toarray()
    else:
        # Workers of single-threaded BLAS calls, as many as the BLAS has threads: each takes
        # the next row block when it is free (docs/design.md §4). Each holds a p x p
        # accumulator, so a Gram over _SHARED_GRAM_BYTES uses the BLAS's own threads instead.
        workers = blas_threads() if 8 * X.shape[1] ** 2 <= _SHARED_GRAM_BYTES else 1
        with one_blas_thread() if workers > 1 else contextlib.nullcontext():
            g = _core.dense_gram(X, workers=workers)
    check_finite_statistics(np.diag(g))
    return g


def cross(X, Y):
    """X^T Y as a float64 array (Y is n x k)."""
    if sp.issparse(X):
        return np.asarray(X.T @ np.asarray(Y, dtype=np.float64))
    return _core.cross_product(X, np.asfortranarray(Y, dtype=np.float64))
