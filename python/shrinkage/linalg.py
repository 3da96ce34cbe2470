"""The Cholesky kernel on its own, scipy-style.

``cholesky`` is the right-looking blocked factorisation of docs/design.md §3 (unblocked
diagonal blocks, BLAS trsm for the panel, BLAS syrk for the trailing update); ``cho_solve``
solves with its factor for any number of right-hand sides at once.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _core
from ._validation import real_array

__all__ = ["cho_solve", "cholesky"]


def _float_array(a: ArrayLike, name: str) -> tuple[np.ndarray, np.dtype]:
    a = real_array(a, name)
    dtype = a.dtype if a.dtype in (np.float32, np.float64) else np.float64
    return a, np.dtype(dtype)


def cholesky(A: ArrayLike, *, overwrite_a: bool = False) -> NDArray[np.floating]:
    """Lower Cholesky factor L of a symmetric positive definite matrix, A = L L^T.

    Only the lower triangle of A is read. float32 stays float32.

    Parameters
    ----------
    A : array-like of shape (n, n)
    overwrite_a : bool, default=False
        Factorise A's own memory when it is a writeable Fortran-ordered float array.

    Returns
    -------
    L : ndarray of shape (n, n), Fortran-ordered, zero above the diagonal.

    Raises
    ------
    numpy.linalg.LinAlgError
        If A is not (numerically) positive definite; the message names the column.

    Examples
    --------
    >>> import numpy as np
    >>> from shrinkage.linalg import cholesky
    >>> A = np.array([[4.0, 2.0], [2.0, 3.0]])
    >>> L = cholesky(A)
    >>> bool(np.allclose(L @ L.T, A))
    True
    """
    A, dtype = _float_array(A, "A")
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError(f"A must be square, got shape {A.shape}.")
    if not np.isfinite(A).all():
        raise ValueError("A contains NaN or infinity.")
    reuse = overwrite_a and A.dtype == dtype and A.flags.f_contiguous and A.flags.writeable
    L = A if reuse else np.array(A, dtype=dtype, order="F")
    failed = _core.cholesky_inplace(L)
    if failed >= 0:
        raise np.linalg.LinAlgError(
            f"The matrix is not positive definite: the pivot of column {failed} is not positive "
            "(for a ridge system, use a positive alpha)."
        )
    return L


def cho_solve(L: ArrayLike, B: ArrayLike) -> NDArray[np.floating]:
    """Solve (L L^T) X = B with the factor from :func:`cholesky`, for all columns of B.

    Parameters
    ----------
    L : ndarray of shape (n, n), lower factor from :func:`cholesky`
    B : array-like of shape (n,) or (n, k)

    Returns
    -------
    X : ndarray of B's shape, in L's dtype.

    Examples
    --------
    >>> import numpy as np
    >>> from shrinkage.linalg import cho_solve, cholesky
    >>> A = np.array([[4.0, 2.0], [2.0, 3.0]]); b = np.array([1.0, 2.0])
    >>> bool(np.allclose(A @ cho_solve(cholesky(A), b), b))
    True
    """
    L, dtype = _float_array(L, "L")
    if L.ndim != 2 or L.shape[0] != L.shape[1]:
        raise ValueError(f"L must be square, got shape {L.shape}.")
    L = np.asfortranarray(L, dtype=dtype)
    if not np.isfinite(L).all():
        raise ValueError("L contains NaN or infinity.")
    zero = np.flatnonzero(np.diag(L) == 0)
    if zero.size:
        raise np.linalg.LinAlgError(f"L is singular: its diagonal entry {zero[0]} is zero.")
    B = real_array(B, "B")
    if B.ndim not in (1, 2) or B.shape[0] != L.shape[0]:
        raise ValueError(f"B has shape {B.shape}; expected ({L.shape[0]},) or ({L.shape[0]}, k).")
    if not np.isfinite(B).all():
        raise ValueError("B contains NaN or infinity.")
    X = np.array(B, dtype=dtype, order="F")
    _core.cho_solve_inplace(L, X)
    return X
