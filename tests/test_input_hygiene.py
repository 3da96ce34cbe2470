"""Inputs are never written to, and mean what scipy and numpy say they mean; answers do not depend
on the number of threads."""

import numpy as np
import pytest
import scipy.sparse as sp

import shrinkage
from shrinkage import _core, linalg
from shrinkage.datasets import make_correlated_regression


def unsorted_csc_with_duplicates(rng, n=60, p=30):
    """A legal CSC matrix whose row indices are unsorted and hold duplicates (as sums of
    matrices or hand-made indices give), and the dense matrix it means."""
    dense = rng.standard_normal((n, p)) * (rng.random((n, p)) < 0.3)
    csc = sp.csc_matrix(dense)
    indptr, indices, data = csc.indptr.copy(), csc.indices.copy(), csc.data.copy()
    new_indices, new_data, new_indptr = [], [], [0]
    for j in range(p):
        rows, vals = indices[indptr[j]:indptr[j + 1]], data[indptr[j]:indptr[j + 1]]
        if len(rows):  # split the first entry into two halves (a duplicate), reverse the order
            rows = np.concatenate([rows, rows[:1]])
            vals = np.concatenate([vals, vals[:1]])
            vals[0] *= 0.5
            vals[-1] *= 0.5
        new_indices.extend(rows[::-1])
        new_data.extend(vals[::-1])
        new_indptr.append(len(new_indices))
    out = sp.csc_matrix((np.array(new_data), np.array(new_indices, dtype=np.int32),
                         np.array(new_indptr)), shape=(n, p))
    assert not out.has_canonical_format
    return out, dense


def test_unsorted_sparse_X_is_not_modified_and_means_its_sum(rng):
    X, dense = unsorted_csc_with_duplicates(rng)
    y = dense[:, :3] @ [1.0, -2.0, 0.5] + 0.1 * rng.standard_normal(60)
    before = (X.indices.copy(), X.data.copy(), X.indptr.copy())
    for precompute in (True, False):
        _, coefs, _ = shrinkage.lasso_path(X, y, alphas=5, precompute=precompute, tol=1e-10)
        _, expected, _ = shrinkage.lasso_path(dense, y, alphas=5, tol=1e-10)
        np.testing.assert_allclose(coefs, expected, rtol=1e-6, atol=1e-9)
    for array, original in zip((X.indices, X.data, X.indptr), before, strict=True):
        np.testing.assert_array_equal(array, original)
    assert not X.has_canonical_format


def test_unsorted_sparse_X_in_the_estimators(rng):
    pytest.importorskip("sklearn")
    X, dense = unsorted_csc_with_duplicates(rng)
    y = dense[:, :3] @ [1.0, -2.0, 0.5] + 0.1 * rng.standard_normal(60)
    indices = X.indices.copy()
    coef = shrinkage.Lasso(alpha=0.01, tol=1e-10).fit(X, y).coef_
    expected = shrinkage.Lasso(alpha=0.01, tol=1e-10).fit(dense, y).coef_
    np.testing.assert_allclose(coef, expected, rtol=1e-6, atol=1e-9)
    np.testing.assert_array_equal(X.indices, indices)


def test_independent_targets_do_not_depend_on_threads(rng):
    # Wide sparse X: the targets share one source (its row-major copy made once, by whichever
    # thread comes first), and no thread's work may change another target's path.
    X = sp.random(120, 900, density=0.05, random_state=3, format="csc")
    Y = np.column_stack([X[:, k * 7:k * 7 + 5] @ rng.standard_normal(5) for k in range(6)])
    Y = np.asarray(Y) + 0.01 * rng.standard_normal((120, 6))
    results = [shrinkage.multi_target_path(X, Y, alphas=30, n_jobs=n_jobs)
               for n_jobs in (1, 4, -1, 1)]
    for alphas, coefs, gaps in results[1:]:
        np.testing.assert_array_equal(alphas, results[0][0])
        np.testing.assert_array_equal(coefs, results[0][1])
        np.testing.assert_array_equal(gaps, results[0][2])


def test_cho_solve_with_another_dtype_than_the_factor(rng):
    A = rng.standard_normal((6, 6))
    A = A @ A.T + 6 * np.eye(6)
    L = linalg.cholesky(A)
    b32 = rng.standard_normal(6).astype(np.float32)
    x = linalg.cho_solve(L, b32)  # B is converted to L's dtype
    assert x.dtype == np.float64
    np.testing.assert_allclose(A @ x, b32, rtol=1e-6)
    L32 = linalg.cholesky(A.astype(np.float32))
    x32 = linalg.cho_solve(L32, rng.standard_normal((6, 2)))
    assert x32.dtype == np.float32
    # The kernel itself refuses a right-hand side of another element size than the factor's.
    with pytest.raises(ValueError, match="dtype"):
        _core.cho_solve_inplace(L, np.asfortranarray(b32))
    with pytest.raises(ValueError, match="dtype"):
        _core.cho_solve_inplace(L32, np.zeros(6, order="F"))


def test_corrupted_sparse_indices_are_refused():
    X, y = make_correlated_regression(30, 8, random_state=0)
    csc = sp.csc_matrix(X)
    csc.indices[3] = 30  # out of range, after construction
    with pytest.raises(ValueError, match="index"):
        shrinkage.lasso_path(csc, y, precompute=False, check_input=False)


@pytest.mark.parametrize("bad_index", [-1, 30])
@pytest.mark.parametrize("precompute", [True, False])
def test_corrupted_sparse_indices_are_refused_everywhere(bad_index, precompute):
    X, y = make_correlated_regression(30, 8, random_state=0)
    csc = sp.csc_matrix(X)
    csc.indices[5] = bad_index
    with pytest.raises(ValueError, match="row index is out of range"):
        shrinkage.lasso_path(csc, y, precompute=precompute)
    with pytest.raises(ValueError, match="row index is out of range"):
        shrinkage.GramStats.from_arrays(csc, y)
