"""The blocked Cholesky kernel, judged like LAPACK's own tests: scaled residuals
||A - L L^T||_F / (n ||A||_F eps) and ||A x - b|| / (||A|| ||x|| eps) stay O(1) (we allow 30,
as LAPACK's test thresholds do), across block-size edges, precisions and conditioning."""

import numpy as np
import pytest
import scipy.linalg

from shrinkage import linalg

BLOCK = 128  # the kernel's block size (cholesky.cpp): sizes around its multiples are edges


def spd(n, cond, dtype, rng):
    q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    eig = np.geomspace(1.0, 1.0 / cond, n)
    return ((q * eig) @ q.T).astype(dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("n", [1, 2, 7, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK, 2 * BLOCK + 1, 700,
                               2000])
@pytest.mark.parametrize("cond", [1e3, 1e10])
def test_scaled_residuals(n, dtype, cond, rng):
    """Backward errors, O(1) whatever the conditioning (float32 up to cond 1e6: beyond
    1 / eps_float32 the matrix is not numerically positive definite in float32)."""
    if dtype == np.float32 and cond > 1e6:
        cond = 1e6
    A = spd(n, cond, dtype, rng)
    L = linalg.cholesky(A)
    assert L.dtype == dtype and L.flags.f_contiguous
    assert (np.triu(L, 1) == 0).all()
    eps = np.finfo(dtype).eps
    A64, L64 = A.astype(np.float64), L.astype(np.float64)
    assert np.linalg.norm(A64 - L64 @ L64.T) / (n * np.linalg.norm(A64) * eps) < 30
    B = rng.standard_normal((n, 3)).astype(dtype)
    X = linalg.cho_solve(L, B).astype(np.float64)
    resid = np.linalg.norm(A64 @ X - B, axis=0)
    scale = np.linalg.norm(A64, 2) * np.linalg.norm(X, axis=0) * eps
    assert (resid / scale < 30 * n).all()


@pytest.mark.parametrize("cond", [1e2, 1e6, 1e10])
def test_agrees_with_lapack(cond, rng):
    A = spd(300, cond, np.float64, rng)
    L = linalg.cholesky(A)
    ref = scipy.linalg.cholesky(A, lower=True)
    # Both are backward stable; the factors agree to ~ cond * eps in relative terms.
    assert np.abs(L - ref).max() / np.abs(ref).max() < 100 * cond * np.finfo(float).eps
    b = rng.standard_normal(300)
    x = linalg.cho_solve(L, b)
    x_ref = scipy.linalg.cho_solve((ref, True), b)
    assert np.linalg.norm(x - x_ref) / np.linalg.norm(x_ref) < 100 * cond * np.finfo(float).eps


def test_overwrite_a_factorises_in_place(rng):
    A = np.asfortranarray(spd(50, 10, np.float64, rng))
    L = linalg.cholesky(A, overwrite_a=True)
    assert L is A


@pytest.mark.parametrize("n", [5, BLOCK + 3])
def test_not_positive_definite_names_the_column(n, rng):
    A = spd(n, 10, np.float64, rng)
    col = n - 2
    A[col, :] = A[:, col] = 0.0  # rank-deficient: zero pivot at `col`
    with pytest.raises(np.linalg.LinAlgError, match=f"column {col}"):
        linalg.cholesky(A)


def test_bad_input():
    with pytest.raises(ValueError, match="square"):
        linalg.cholesky(np.ones((3, 2)))
    with pytest.raises(ValueError, match="NaN"):
        linalg.cholesky(np.array([[np.nan]]))
    with pytest.raises(ValueError, match="shape"):
        linalg.cho_solve(np.eye(3), np.ones(4))


def test_ctrl_c_interrupts_a_long_factorisation(rng):
    import _thread
    import threading
    import time

    n = 6000  # ~1 s of factorisation; diagonal dominance makes it SPD at O(n^2) set-up cost
    B = rng.standard_normal((n, n))
    A = np.asfortranarray((B + B.T) / 2 + n * np.eye(n))
    timer = threading.Timer(0.1, _thread.interrupt_main)
    start = time.perf_counter()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        linalg.cholesky(A, overwrite_a=True)
    timer.cancel()
    # Interrupted inside the kernel: a completed factorisation would have zeroed the strict
    # upper triangle of A (factorised in place), an interrupted one leaves it as it was.
    assert A[0, n - 1] != 0.0
    assert time.perf_counter() - start < 10.0  # responsiveness, not speed


def test_cho_solve_refuses_a_nan_or_singular_factor():
    with pytest.raises(ValueError, match="NaN or infinity"):
        linalg.cho_solve(np.array([[1.0, 0.0], [np.nan, 1.0]]), np.ones(2))
    with pytest.raises(np.linalg.LinAlgError, match="diagonal entry 1"):
        linalg.cho_solve(np.array([[1.0, 0.0], [1.0, 0.0]]), np.ones(2))
    with pytest.raises(ValueError, match="complex"):
        linalg.cho_solve(np.eye(2), np.ones(2, dtype=complex))


def test_cho_solve_reads_a_read_only_factor():
    A = np.array([[4.0, 2.0], [2.0, 3.0]])
    L = np.asfortranarray(linalg.cholesky(A))
    L.flags.writeable = False
    np.testing.assert_allclose(A @ linalg.cho_solve(L, np.ones(2)), np.ones(2))
