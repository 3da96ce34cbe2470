"""Input checking shared by the path functions (and, later, the estimators).

Every check raises with a message that names the argument and the problem; nothing is
silently repaired except what scikit-learn also converts (dtype to float64 unless float32,
sparse formats to CSC).
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import scipy.sparse as sp

FLOAT_DTYPES = (np.float64, np.float32)


def check_X(X):
    """Dense float32/float64 contiguous (C or F, kept as given), or sparse CSC."""
    if sp.issparse(X):
        X = canonical_csc(X)
        if X.dtype not in FLOAT_DTYPES:
            X = X.astype(np.float64)
        if not np.isfinite(X.data).all():
            raise ValueError("Input X contains NaN or infinity.")
    else:
        X = np.asarray(X)
        if X.dtype not in FLOAT_DTYPES:
            if X.dtype.kind not in "biuf":
                raise ValueError(f"X must be numeric, got dtype {X.dtype}.")
            X = X.astype(np.float64)
        if X.ndim != 2:
            raise ValueError(f"X must be 2-D (n_samples, n_features), got shape {X.shape}.")
        X = contiguous(X)
    n, p = X.shape
    if n < 1 or p < 1:
        raise ValueError(f"X has shape {X.shape}: need at least one sample and one feature.")
    return X


def contiguous(X):
    """Dense X as the kernels read it (contiguous rows or columns; a copy only for a strided
    view, such as a column slice), sparse X as it is."""
    if sp.issparse(X) or X.flags.c_contiguous or X.flags.f_contiguous:
        return X
    return np.asfortranarray(X)


def canonical_csc(X):
    """X as CSC with sorted row indices and duplicates summed (scipy's meaning of a duplicate
    entry), without touching the caller's matrix: a copy only where X is not canonical."""
    csc = X.tocsc()
    _check_structure(csc)
    if csc.has_canonical_format:
        return csc
    if csc is X or _shares_memory(csc, X):
        csc = csc.copy()
    csc.sum_duplicates()
    return csc


def _check_structure(csc):
    """Index bounds, checked once and cheaply before any kernel (or scipy) reads them: a matrix
    whose arrays were altered after construction could otherwise be read past its buffers."""
    n, p = csc.shape
    indptr, indices = csc.indptr, csc.indices
    if len(indptr) != p + 1 or indptr[0] != 0 or indptr[-1] != len(indices) or (
            np.diff(indptr) < 0).any():
        raise ValueError("sparse X: indptr is corrupted (it must rise from 0 to nnz).")
    if len(indices) and (indices.min() < 0 or indices.max() >= n):
        raise ValueError(f"sparse X: a row index is out of range [0, {n}).")


def _shares_memory(a, b):
    arrays = [getattr(b, name, None) for name in ("data", "indices", "indptr")]
    return any(x is not None and np.shares_memory(a.data, x) for x in arrays)


def check_y(y: Any, n_samples: int, dtype: Any) -> np.ndarray:
    y = np.asarray(y)
    if y.dtype.kind not in "biuf":
        raise ValueError(f"y must be numeric, got dtype {y.dtype}.")
    y = y.astype(dtype, copy=False)
    if y.ndim not in (1, 2):
        raise ValueError(f"y must be 1-D or 2-D, got shape {y.shape}.")
    if y.shape[0] != n_samples:
        raise ValueError(
            f"X and y have inconsistent numbers of samples: {n_samples} and {y.shape[0]}."
        )
    if y.ndim == 2 and y.shape[1] < 1:
        raise ValueError("y has no target column.")
    if not np.isfinite(y).all():
        raise ValueError("Input y contains NaN or infinity.")
    return y


def real_array(a: Any, name: str) -> np.ndarray:
    """a as an array of a real numeric dtype (kept): complex or non-numeric input is refused
    rather than cast (numpy would drop the imaginary part with only a warning)."""
    a = np.asarray(a)
    if a.dtype.kind == "c":
        raise ValueError(f"{name} is complex ({a.dtype}); shrinkage solves real problems.")
    if a.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be numeric, got dtype {a.dtype}.")
    return a


def check_finite_statistics(diag, name="X"):
    """The Gram diagonal is sum_i x_ij^2: non-finite iff X has NaN/inf (or squares overflow)."""
    if not np.isfinite(diag).all():
        raise ValueError(
            f"Input {name} contains NaN or infinity (or values whose squares overflow)."
        )


def check_gram(gram: Any, n_features: int, dtype: Any) -> np.ndarray:
    gram = real_array(gram, "The Gram matrix")
    if gram.ndim != 2 or gram.shape[0] != gram.shape[1]:
        raise ValueError(f"The Gram matrix must be square, got shape {gram.shape}.")
    if gram.shape[0] != n_features:
        raise ValueError(
            f"The Gram matrix has shape {gram.shape} but X has {n_features} features."
        )
    gram = np.ascontiguousarray(gram, dtype=dtype)
    if not np.isfinite(gram).all():
        raise ValueError("The Gram matrix contains NaN or infinity.")
    scale = np.abs(gram).max(initial=0.0)
    if np.abs(gram - gram.T).max(initial=0.0) > 1e-6 * scale:
        raise ValueError("The Gram matrix is not symmetric.")
    diag = np.diag(gram)
    # Necessary conditions for positive semi-definiteness, at O(p^2): G_jj >= 0 and
    # |G_ij| <= sqrt(G_ii G_jj) (every 2 x 2 principal minor is PSD).
    root = np.sqrt(np.maximum(diag, 0))
    if (diag < 0).any() or (np.abs(gram) > np.outer(root, root) * (1 + 1e-6) + 1e-12 * scale).any():
        raise ValueError("The Gram matrix is not positive semi-definite.")
    return gram


def _real(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _finite_nonnegative(value):
    return _real(value) and np.isfinite(value) and value >= 0


def _count(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= 0


def _alphas(value):
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return value >= 1
    try:
        a = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return a.ndim == 1 and a.size > 0 and bool(np.isfinite(a).all() and (a >= 0).all())


# The solver parameters of the path functions and the estimators: name -> (valid, what it must
# be). One table, so each parameter is checked, and its error worded, the same everywhere (in
# scikit-learn's words; infinity is outside every range, as there).
PARAMETERS = {
    "alpha": (_finite_nonnegative, "a float in the range [0.0, inf)"),
    "alphas": (_alphas, "an int in the range [1, inf) or a non-empty 1-D array-like of floats "
                        "in the range [0.0, inf)"),
    "l1_ratio": (lambda v: _real(v) and 0 <= v <= 1, "a float in the range [0.0, 1.0]"),
    "eps": (lambda v: _real(v) and np.isfinite(v) and v > 0, "a float in the range (0.0, inf)"),
    "tol": (_finite_nonnegative, "a float in the range [0.0, inf)"),
    "max_iter": (lambda v: isinstance(v, numbers.Integral) and not isinstance(v, bool)
                 and int(v) >= 1, "an int in the range [1, inf)"),
    "selection": (lambda v: isinstance(v, str) and v in ("cyclic", "random"),
                  "a str among {'cyclic', 'random'}"),
    "dfmax": (lambda v: v is None or _count(v), "an int in the range [0, inf) or None"),
    "pmax": (lambda v: v is None or _count(v), "an int in the range [0, inf) or None"),
}


class InvalidParameterError(ValueError, TypeError):
    """A parameter outside its constraint: a ValueError and a TypeError, as scikit-learn's."""


def check_parameters(owner=None, **values):
    """Raises InvalidParameterError naming the first parameter outside its constraint
    (PARAMETERS), and ``owner`` (the function or estimator) when given."""
    of = f" of {owner}" if owner else ""
    for name, value in values.items():
        valid, what = PARAMETERS[name]
        if not valid(value):
            raise InvalidParameterError(
                f"The '{name}' parameter{of} must be {what}. Got {value!r} instead.")
