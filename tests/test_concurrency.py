"""Many threads at once (the solver releases the GIL) give the single-threaded answers bit for
bit, and shared inputs are safe: nothing is written to them."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import scipy.sparse as sp

import shrinkage
from shrinkage.datasets import make_correlated_regression


def _problems():
    tall = make_correlated_regression(300, 40, rho=0.5, random_state=1)
    wide = make_correlated_regression(60, 400, rho=0.5, random_state=2)
    X, y = make_correlated_regression(200, 300, rho=0.3, random_state=3)
    sparse = (sp.csc_matrix(np.where(np.abs(X) > 1.0, X, 0.0)), y)
    return {"tall": tall, "wide": wide, "sparse": sparse}


def _calls():
    problems = _problems()
    calls = []
    for name, (X, y) in problems.items():
        calls.append((f"lasso_path {name}",
                      lambda X=X, y=y: shrinkage.lasso_path(X, y, alphas=20)[1]))
        calls.append((f"enet_path {name}",
                      lambda X=X, y=y: shrinkage.enet_path(X, y, l1_ratio=0.5, alphas=20)[1]))
        Y = np.column_stack([y, -2 * y])
        calls.append((f"multi_target_path {name}",
                      lambda X=X, Y=Y: shrinkage.multi_target_path(X, Y, alphas=10, n_jobs=2)[1]))
    return calls


def test_concurrent_paths_equal_sequential_ones():
    calls = _calls()
    sequential = [call() for _, call in calls]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(2):
            concurrent = list(pool.map(lambda c: c[1](), calls * 2))
            for (name, _), expected, got in zip(calls * 2, sequential * 2, concurrent, strict=True):
                np.testing.assert_array_equal(got, expected, err_msg=name)


def test_concurrent_estimators_equal_sequential_ones():
    pytest.importorskip("sklearn")
    problems = _problems()
    makers = [lambda: shrinkage.Lasso(alpha=0.05), lambda: shrinkage.ElasticNet(alpha=0.05),
              lambda: shrinkage.LassoCV(cv=3, alphas=15, n_jobs=2),
              lambda: shrinkage.Ridge(alpha=1.0)]
    jobs = [(make, X, y) for make in makers for X, y in problems.values()]
    sequential = [make().fit(X, y).coef_ for make, X, y in jobs]
    with ThreadPoolExecutor(max_workers=8) as pool:
        concurrent = list(pool.map(lambda job: job[0]().fit(job[1], job[2]).coef_, jobs))
    for expected, got in zip(sequential, concurrent, strict=True):
        np.testing.assert_array_equal(got, expected)


def test_threads_sharing_one_unsorted_csc_matrix():
    # Legal input (e.g. from sp.hstack) that every entry point used to sort in place, at once.
    X, y = make_correlated_regression(150, 60, rho=0.3, random_state=4)
    X = sp.csc_matrix(np.where(np.abs(X) > 0.8, X, 0.0))
    order = [np.argsort(-X.indices[X.indptr[j]:X.indptr[j + 1]]) + X.indptr[j]
             for j in range(X.shape[1])]
    permutation = np.concatenate(order)
    shared = sp.csc_matrix((X.data[permutation], X.indices[permutation], X.indptr),
                           shape=X.shape)
    assert not shared.has_canonical_format
    indices = shared.indices.copy()
    expected = shrinkage.lasso_path(X, y, alphas=10, precompute=False)[1]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(
            lambda _: shrinkage.lasso_path(shared, y, alphas=10, precompute=False)[1], range(16)))
    for got in results:
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(shared.indices, indices)



def blas_threads():
    from threadpoolctl import threadpool_info

    return {pool["filepath"]: pool["num_threads"] for pool in threadpool_info()
            if pool["user_api"] == "blas"}


def test_paths_run_their_blas_on_one_thread_and_restore_it(monkeypatch):
    """The solver runs with the BLAS on one thread; afterwards the user's setting is back, also
    when paths on several threads enter and leave in any order, and under a user's limit."""
    from threadpoolctl import threadpool_limits

    from shrinkage import _threads

    solver = _threads._core.enet_path
    inside = []

    def recording_solver(*args, **kwargs):
        inside.append(blas_threads())
        return solver(*args, **kwargs)

    monkeypatch.setattr(_threads._core, "enet_path", recording_solver)
    before = blas_threads()
    X, y = make_correlated_regression(300, 40, random_state=3)
    shrinkage.lasso_path(X, y, alphas=5)
    shrinkage.multi_target_path(X, np.c_[y, -y, 2 * y, y + 1], alphas=20, n_jobs=4)
    assert len(inside) == 5 and all(set(threads.values()) == {1} for threads in inside)
    assert blas_threads() == before
    with _threads.one_blas_thread():
        with _threads.one_blas_thread():  # nested: the inner exit keeps the limit
            pass
        assert set(blas_threads().values()) == {1}
    assert blas_threads() == before
    with threadpool_limits(limits=1, user_api="blas"):
        shrinkage.lasso_path(X, y, alphas=5)
        assert set(blas_threads().values()) == {1}
    assert blas_threads() == before
