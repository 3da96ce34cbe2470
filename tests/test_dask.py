"""shrinkage.dask: statistics reduced on dask (threads, and a real 2-process LocalCluster) equal
the in-memory statistics, paths and cross-validation; a dying worker never yields a wrong sum."""

import os

import numpy as np
import pytest

pytest.importorskip("sklearn")
dask = pytest.importorskip("dask")
da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")
pd = pytest.importorskip("pandas")
from sklearn.model_selection import KFold, PredefinedSplit

import shrinkage
import shrinkage.dask as sd
from shrinkage import GramStats


def relative_error(stats, ref):
    scale = np.sqrt(np.outer(np.diag(ref.gram), np.diag(ref.gram))).max()
    return max(np.abs(stats.gram - ref.gram).max() / scale,
               np.abs(stats.xy - ref.xy).max() / np.sqrt(ref.yy * scale),
               abs(stats.yy - ref.yy) / ref.yy,
               np.abs(stats.x_mean - ref.x_mean).max() / np.sqrt(scale / ref.weight_sum))


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(11)
    n, p = 3001, 8
    X = rng.standard_normal((n, p)) @ np.triu(np.ones((p, p))) * 0.1 + 1e4
    y = (X - 1e4) @ np.linspace(-1, 1, p) + 0.5 * rng.standard_normal(n) + 3.0
    return X, y, rng.uniform(0.1, 2.0, n)


def test_array_statistics_equal_in_memory(data):
    X, y, w = data
    dX = da.from_array(X, chunks=(400, 3))  # column chunks are merged
    dy = da.from_array(y, chunks=250)  # rechunked to X's rows
    dw = da.from_array(w, chunks=700)
    stats = sd.gram_stats(dX, dy, dw, split_every=3, scheduler="threads")
    assert stats.n_samples == len(y)
    assert relative_error(stats, GramStats.from_arrays(X, y, w)) < 1e-10
    two = sd.gram_stats(dX, da.stack([dy, -dy], axis=1), scheduler="sync")
    assert two.xy.shape == (8, 2)


def test_dataframe_statistics_equal_in_memory(data):
    X, y, w = data
    frame = pd.DataFrame(X, columns=[f"x{j}" for j in range(X.shape[1])]).assign(y=y, w=w)
    ddf = dd.from_pandas(frame, npartitions=5)
    stats = sd.gram_stats(ddf, target="y", sample_weight="w", scheduler="threads")
    assert relative_error(stats, GramStats.from_arrays(X, y, w)) < 1e-10
    with pytest.raises(ValueError, match="no column"):
        sd.gram_stats(ddf, target="nope")
    with pytest.raises(ValueError, match="target="):
        sd.gram_stats(ddf, da.from_array(y))


def test_bad_collections_are_named(data):
    X, y, _ = data
    dX = da.from_array(X, chunks=(500, 8))
    with pytest.raises(ValueError, match="y has shape"):
        sd.gram_stats(dX, da.from_array(y[:-1]))
    with pytest.raises(ValueError, match="2-D dask array"):
        sd.gram_stats(X, y)
    unknown = dX[dX[:, 0] > 0]
    with pytest.raises(ValueError, match="compute_chunk_sizes"):
        sd.gram_stats(unknown, da.ones(1))
    bad = X.copy()
    bad[1234, 2] = np.nan
    with pytest.raises(ValueError, match="NaN or infinity"):
        sd.gram_stats(da.from_array(bad, chunks=(500, 8)), da.from_array(y), scheduler="sync")


@pytest.mark.parametrize("weighted", [False, True])
def test_lasso_cv_equals_in_memory_kfold(data, weighted):
    X, y, w = data
    dw = da.from_array(w, chunks=600) if weighted else None
    ours = sd.LassoCV(cv=5, alphas=30).fit(da.from_array(X, chunks=(600, 8)),
                                           da.from_array(y, chunks=600), dw)
    ref = shrinkage.LassoCV(cv=KFold(5), alphas=30).fit(X, y, w if weighted else None)
    # The same grid point: the grids agree to rounding (alpha_max from merged statistics).
    assert ours.alpha_ == pytest.approx(ref.alpha_, rel=1e-12)
    np.testing.assert_allclose(ours.mse_path_, ref.mse_path_, rtol=1e-9)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-8, atol=1e-12)
    assert ours.intercept_ == pytest.approx(ref.intercept_, rel=1e-9)
    assert ours.n_features_in_ == X.shape[1]


def test_elastic_net_cv_with_fold_labels(data):
    X, y, _ = data
    labels = np.random.default_rng(0).integers(0, 4, len(y))
    labels[:50] = -1  # never in a test fold, as PredefinedSplit
    ours = sd.ElasticNetCV(l1_ratio=[0.3, 1.0], cv=da.from_array(labels, chunks=800),
                           alphas=20).fit(da.from_array(X, chunks=(800, 8)),
                                          da.from_array(y, chunks=800))
    ref = shrinkage.ElasticNetCV(l1_ratio=[0.3, 1.0], cv=PredefinedSplit(labels),
                                 alphas=20).fit(X, y)
    assert ours.l1_ratio_ == ref.l1_ratio_
    assert ours.alpha_ == pytest.approx(ref.alpha_, rel=1e-12)
    np.testing.assert_allclose(ours.mse_path_, ref.mse_path_, rtol=1e-9)


def test_dataframe_cv_uses_contiguous_folds(data):
    X, y, _ = data
    frame = pd.DataFrame(X, columns=[f"x{j}" for j in range(X.shape[1])]).assign(y=y)
    ours = sd.LassoCV(cv=3, alphas=15).fit(dd.from_pandas(frame, npartitions=4), target="y")
    ref = shrinkage.LassoCV(cv=KFold(3), alphas=15).fit(X, y)
    assert ours.alpha_ == pytest.approx(ref.alpha_, rel=1e-12)
    with pytest.raises(ValueError, match="at least 2"):
        sd.fold_statistics(da.from_array(X), da.from_array(y), cv=1)


# -- a real cluster ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with dask.config.set({"distributed.scheduler.allowed-failures": 1,
                          "distributed.admin.system-monitor.gil.enabled": False}), \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                     dashboard_address=None, silence_logs=50) as local, \
            distributed.Client(local) as client:
        yield client


def test_cluster_path_equals_in_memory_path(data, cluster):
    X, y, w = data
    stats = sd.gram_stats(da.from_array(X, chunks=(300, 8)), da.from_array(y, chunks=300),
                          da.from_array(w, chunks=300))
    ref = GramStats.from_arrays(X, y, w)
    assert relative_error(stats, ref) < 1e-10
    grid = shrinkage.lasso_path(ref, None, alphas=40)[0]
    _, on_cluster, _ = shrinkage.lasso_path(stats, None, alphas=grid, tol=1e-12)
    _, in_memory, _ = shrinkage.lasso_path(ref, None, alphas=grid, tol=1e-12)
    np.testing.assert_allclose(on_cluster, in_memory, rtol=1e-10,
                               atol=1e-10 * np.abs(in_memory).max())
    assert len(cluster.scheduler_info()["workers"]) == 2


def _die_once(block, marker, block_info=None):
    """Kills its worker process the first time block 3 is computed."""
    if block_info[0]["chunk-location"][0] == 3 and not os.path.exists(marker):
        open(marker, "w").close()
        os._exit(1)
    return block


def _always_die(block, block_info=None):
    if block_info[0]["chunk-location"][0] == 3:
        os._exit(1)
    return block


def test_worker_dying_mid_reduction_is_recomputed(data, cluster, tmp_path):
    X, y, _ = data
    dX = da.from_array(X, chunks=(300, 8)).map_blocks(_die_once, str(tmp_path / "died"),
                                                      dtype=X.dtype)
    stats = sd.gram_stats(dX, da.from_array(y, chunks=300))
    assert os.path.exists(tmp_path / "died")  # a worker did die
    assert relative_error(stats, GramStats.from_arrays(X, y)) < 1e-10
    cluster.wait_for_workers(2, timeout=60)


def test_workers_dying_every_time_raise(data, cluster):
    distributed = pytest.importorskip("distributed")
    X, y, _ = data
    dX = da.from_array(X, chunks=(300, 8)).map_blocks(_always_die, dtype=X.dtype)
    with pytest.raises(distributed.scheduler.KilledWorker):
        sd.gram_stats(dX, da.from_array(y, chunks=300))
    cluster.wait_for_workers(2, timeout=60)


def test_from_npy_chunks_are_read_by_the_workers(data, cluster, tmp_path):
    X, y, _ = data
    np.save(tmp_path / "X.npy", X)
    dX = sd.from_npy(tmp_path / "X.npy", block_rows=700)
    assert dX.chunks[0] == (700, 700, 700, 700, 201)
    np.testing.assert_array_equal(dX.compute(scheduler="threads"), X)
    stats = sd.gram_stats(dX, da.from_array(y, chunks=700))  # on the cluster
    assert relative_error(stats, GramStats.from_arrays(X, y)) < 1e-10
    np.save(tmp_path / "F.npy", np.asfortranarray(X))
    with pytest.raises(ValueError, match="Fortran-ordered"):
        sd.from_npy(tmp_path / "F.npy")


def test_empty_chunks_contribute_nothing(data):
    X, y, w = data
    chunks = (0, 1000, 0, 2001)
    dX = da.from_array(X, chunks=(chunks, 8))
    dy, dw = da.from_array(y, chunks=(chunks,)), da.from_array(w, chunks=(chunks,))
    stats = sd.gram_stats(dX, dy, dw, scheduler="sync")
    assert relative_error(stats, GramStats.from_arrays(X, y, w)) < 1e-10
    total, folds = sd.fold_statistics(dX, dy, dw, cv=3, scheduler="sync")
    assert [f.n_samples for f in folds] == [1001, 1000, 1000]
    assert relative_error(total, stats) < 1e-10


def test_from_npy_column_slices_outlive_their_chunk(tmp_path):
    # The target column of a from_npy chunk is a view of the worker's read buffer, kept in the
    # graph after the chunk itself: the buffer must not be reused while it lives.
    rng = np.random.default_rng(6)
    data = rng.standard_normal((40_000, 11)) * 100 + 2e4
    np.save(tmp_path / "data.npy", data)
    chunks = sd.from_npy(tmp_path / "data.npy", block_rows=2000)
    for _ in range(3):
        stats = sd.gram_stats(chunks[:, :-1], chunks[:, -1], scheduler="threads")
        expected = GramStats.from_arrays(data[:, :-1], data[:, -1])
        np.testing.assert_allclose(stats.xy, expected.xy, rtol=1e-9)
        np.testing.assert_allclose(stats.yy, expected.yy, rtol=1e-9)


def test_dask_arrays_work_without_the_dataframe_stack():
    import subprocess
    import sys

    code = """
import sys
sys.modules["dask.dataframe"] = None  # as if pandas or pyarrow were missing
import dask.array as da, numpy as np
import shrinkage.dask as sd
X = da.from_array(np.random.default_rng(0).standard_normal((100, 3)), chunks=(50, 3))
print(sd.gram_stats(X, X[:, 0], scheduler="threads").n_samples)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "100"
