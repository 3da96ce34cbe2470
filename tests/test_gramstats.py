"""GramStats: exact weighted, centred moments; stable merge / un-merge; serialisation; the path
functions run from statistics alone."""

import io
import os
import pickle

import numpy as np
import pytest
import scipy.sparse as sp

import shrinkage
from shrinkage import GramStats


def reference_moments(X, Y, w):
    """Weighted, centred co-moments in extended precision (numpy longdouble)."""
    Xl, Yl, wl = (np.asarray(a, dtype=np.longdouble) for a in (X, Y, w))
    W = wl.sum()
    Xc = Xl - (wl[:, None] * Xl).sum(0) / W
    Yc = Yl - (wl[:, None] * Yl).sum(0) / W
    return (np.einsum("ij,ik->jk", Xc * wl[:, None], Xc).astype(float),
            np.einsum("ij,ik->jk", Xc * wl[:, None], Yc).astype(float),
            np.einsum("ij,ij->j", Yc * wl[:, None], Yc).astype(float))


def assert_moments_close(stats, gram, xy, yy, rtol):
    """Errors measured on the scale of each co-moment's Cauchy-Schwarz bound
    sqrt(C_aa C_bb): a rounding error of the data is that large, whatever the correlation."""
    dx, dy = np.sqrt(np.diag(gram)), np.sqrt(np.atleast_1d(yy))
    xy2 = np.asarray(xy).reshape(len(dx), -1)
    np.testing.assert_array_less(np.abs(stats.gram - gram), rtol * np.outer(dx, dx) + 1e-300)
    np.testing.assert_array_less(np.abs(stats.xy.reshape(xy2.shape) - xy2),
                                 rtol * np.outer(dx, dy) + 1e-300)
    np.testing.assert_array_less(np.abs(np.atleast_1d(stats.yy) - np.atleast_1d(yy)),
                                 rtol * dy**2 + 1e-300)


def shifted_problem(rng, n, p, k=None, offset=1e6):
    """Data whose column means are `offset` times the spread (the hard case for moments)."""
    X = rng.standard_normal((n, p)) + offset * rng.uniform(-3, 3, p)
    beta = rng.standard_normal((p,) if k is None else (p, k))
    y = X @ beta + rng.standard_normal(n if k is None else (n, k)) + offset
    return X, y


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("weighted", [False, True])
def test_from_arrays_matches_extended_precision(rng, order, dtype, weighted):
    X, y = shifted_problem(rng, 500, 7, offset=1e3 if dtype == np.float32 else 1e6)
    X = np.asarray(X, dtype=dtype, order=order)
    w = rng.uniform(0, 3, 500) if weighted else None
    stats = GramStats.from_arrays(X, y, sample_weight=w)
    ref_w = np.ones(500) if w is None else w
    # The statistics of the float32 data as given (they are accumulated in double).
    gram, xy, yy = reference_moments(X.astype(np.float64), y[:, None], ref_w)
    assert stats.n_samples == 500
    assert stats.weight_sum == pytest.approx(ref_w.sum(), rel=1e-14)
    np.testing.assert_allclose(stats.x_mean, np.average(X.astype(float), axis=0, weights=ref_w),
                               rtol=1e-14)
    # Double accumulation of about n terms: errors of order n * eps relative to the bound.
    assert_moments_close(stats, gram, xy[:, 0], yy[0], rtol=1e-12)
    assert stats.xy.shape == (7,) and stats.yy.shape == ()


def test_ten_thousand_chunks_agree_with_one_shot(rng):
    """The issue's figure: 10 000 merged chunks vs one pass, means 1e6 x the spread."""
    X, y = shifted_problem(rng, 100_000, 4, k=2)
    w = rng.uniform(0.5, 1.5, 100_000)
    whole = GramStats.from_arrays(X, y, sample_weight=w)
    chunks = ((X[i:i + 10], y[i:i + 10], w[i:i + 10]) for i in range(0, 100_000, 10))
    merged = GramStats.from_chunks(chunks)
    assert merged.n_samples == whole.n_samples
    np.testing.assert_allclose(merged.weight_sum, whole.weight_sum, rtol=1e-12)
    np.testing.assert_allclose(merged.x_mean, whole.x_mean, rtol=1e-14)
    # Relative 1e-10 on the scale of each entry's bound sqrt(C_ii C_jj) (entries of nearly
    # uncorrelated columns are far smaller than the rounding of the data they come from).
    np.testing.assert_allclose(np.diag(merged.gram), np.diag(whole.gram), rtol=1e-10)
    np.testing.assert_allclose(merged.yy, whole.yy, rtol=1e-10)
    assert_moments_close(merged, whole.gram, whole.xy, whole.yy, rtol=1e-10)
    # ... and both against extended precision.
    gram, xy, yy = reference_moments(X, y, w)
    assert_moments_close(whole, gram, xy, yy, rtol=1e-12)


def test_merge_is_associative_and_unmerge_inverts_it(rng):
    X, y = shifted_problem(rng, 300, 5)
    w = rng.uniform(0, 2, 300)
    parts = [GramStats.from_arrays(X[a:b], y[a:b], w[a:b]) for a, b in [(0, 70), (70, 200), (200, 300)]]
    left, right = (parts[0] + parts[1]) + parts[2], parts[0] + (parts[1] + parts[2])
    whole = GramStats.from_arrays(X, y, w)
    # Means near 3e6 are known to 3e6 * eps ~ 1e-9 spreads; the pairwise terms inherit that.
    for s in (left, right):
        assert_moments_close(s, whole.gram, whole.xy, whole.yy, rtol=1e-10)
    rest = whole - parts[1]
    expected = parts[0] + parts[2]
    assert rest.n_samples == 170
    np.testing.assert_allclose(rest.x_mean, expected.x_mean, rtol=1e-13)
    assert_moments_close(rest, expected.gram, expected.xy, expected.yy, rtol=1e-10)
    empty = whole - whole
    assert empty.n_samples == 0 and empty.weight_sum == 0
    assert (empty + parts[0]).n_samples == 70


def test_zero_weight_rows_count_as_samples_but_change_nothing(rng):
    X, y = shifted_problem(rng, 50, 3, offset=10)
    w = np.ones(50)
    w[::2] = 0
    with_zeros = GramStats.from_arrays(X, y, w)
    dropped = GramStats.from_arrays(X[1::2], y[1::2])
    assert with_zeros.n_samples == 50
    np.testing.assert_allclose(with_zeros.gram, dropped.gram, rtol=1e-12)
    np.testing.assert_allclose(with_zeros.xy, dropped.xy, rtol=1e-12)


@pytest.mark.parametrize("sparse", [False, True])
def test_blocks_of_zero_weight_are_legal_and_change_nothing(rng, sparse):
    """A block whose weights are all zero counts its rows and adds nothing: streams and fold
    statistics may hold such blocks; only fitting from no weight at all is refused."""
    X, y = rng.standard_normal((90, 4)), rng.standard_normal(90)
    w = np.ones(90)
    w[:30] = 0.0
    Xs = sp.csr_matrix(X) if sparse else X
    empty = GramStats.from_arrays(Xs[:30], y[:30], w[:30])
    assert (empty.n_samples, empty.weight_sum) == (30, 0.0) and not empty.gram.any()
    chunks = GramStats.from_chunks((Xs[s:s + 30], y[s:s + 30], w[s:s + 30])
                                   for s in range(0, 90, 30))
    whole = GramStats.from_arrays(Xs, y, w)
    assert chunks.n_samples == 90
    for name in ("x_mean", "y_mean", "gram", "xy", "yy"):
        np.testing.assert_allclose(getattr(chunks, name), getattr(whole, name), rtol=1e-12,
                                   atol=1e-12)
    with pytest.raises(ValueError, match="holds no data"):
        shrinkage.lasso_path(empty, None)


def test_sparse_matches_dense(rng):
    X = sp.random(200, 12, density=0.3, random_state=1, format="csr")
    y = rng.standard_normal(200)
    w = rng.uniform(0, 2, 200)
    s_sparse = GramStats.from_arrays(X, y, w)
    s_dense = GramStats.from_arrays(X.toarray(), y, w)
    for name in ("x_mean", "y_mean", "gram", "xy", "yy"):
        np.testing.assert_allclose(getattr(s_sparse, name), getattr(s_dense, name), rtol=1e-11,
                                   atol=1e-12)


@pytest.mark.parametrize("offset", [1e6, 1e9, 1e12, 1e15])
@pytest.mark.parametrize("weighted", [False, True])
def test_sparse_columns_with_large_offsets_keep_their_variance(rng, offset, weighted):
    """A sparse column stored with a large offset against its spread (a timestamp), beside a
    constant one and ordinary sparse columns: X^T W X - W m m^T would cancel the offset
    column's variance to nothing (and certify a fit without it); its moments must be those of
    the column about any of its values, exactly computable here since x - offset is exact."""
    n = 300
    ordinary = sp.random(n, 3, density=0.3, random_state=2, data_rvs=rng.standard_normal)
    stamp = offset + rng.uniform(0, 4, n)
    constant = np.full(n, offset)
    X = sp.hstack([ordinary, sp.csc_matrix(stamp[:, None]), sp.csc_matrix(constant[:, None])],
                  format="csc")
    y = ordinary @ np.array([1.0, -2.0, 0.5]) + 0.3 * (stamp - offset) + rng.standard_normal(n)
    w = rng.uniform(0.5, 2, n) if weighted else np.ones(n)
    stats = GramStats.from_arrays(X, y, w if weighted else None)
    shifted = X.toarray()
    shifted[:, 3:] -= offset  # exact: the entries are within a factor 2 of the offset
    gram, xy, _ = reference_moments(shifted, y[:, None], w)
    scale = np.sqrt(np.outer(np.diag(gram), np.diag(gram))) + 1e-300
    assert np.all(np.abs(stats.gram - gram) <= 1e-10 * scale)
    assert np.all(stats.gram[4] == 0) and np.all(stats.gram[:, 4] == 0)  # constant: exactly 0
    np.testing.assert_allclose(stats.xy, xy[:, 0], rtol=1e-9, atol=1e-9 * np.abs(xy).max())
    # The fits agree with the dense data's: the offset column is in the model.
    sample_weight = w if weighted else None
    sparse_fit = shrinkage.Lasso(alpha=0.01, tol=1e-10).fit(X, y, sample_weight=sample_weight)
    dense_fit = shrinkage.Lasso(alpha=0.01, tol=1e-10).fit(X.toarray(), y,
                                                           sample_weight=sample_weight)
    assert abs(sparse_fit.coef_[3]) > 0.1
    np.testing.assert_allclose(sparse_fit.coef_, dense_fit.coef_, rtol=1e-6, atol=1e-9)


def test_multi_target_shapes(rng):
    X, Y = shifted_problem(rng, 40, 3, k=4, offset=1.0)
    s = GramStats.from_arrays(X, Y)
    assert s.n_targets == 4 and s.xy.shape == (3, 4) and s.yy.shape == (4,)
    assert s.y_mean.shape == (4,)
    single = GramStats.from_arrays(X, Y[:, 1])
    np.testing.assert_allclose(s.xy[:, 1], single.xy, rtol=1e-13)
    with pytest.raises(ValueError, match="shapes differ"):
        s + single


def test_pickle_and_npz_round_trip(rng, tmp_path):
    X, y = shifted_problem(rng, 30, 3, offset=1.0)
    s = GramStats.from_arrays(X, y)
    back = pickle.loads(pickle.dumps(s))
    buffer = io.BytesIO()
    s.save(buffer)
    buffer.seek(0)
    loaded = GramStats.load(buffer)
    for other in (back, loaded):
        assert other.n_samples == s.n_samples and other.weight_sum == s.weight_sum
        for name in ("x_mean", "y_mean", "gram", "xy", "yy"):
            np.testing.assert_array_equal(getattr(other, name), getattr(s, name))
    np.savez(tmp_path / "other.npz", gram=s.gram)
    with pytest.raises(ValueError, match="not a saved GramStats"):
        GramStats.load(tmp_path / "other.npz")


def test_bad_input_is_named(rng):
    X, y = rng.standard_normal((10, 2)), rng.standard_normal(10)
    with pytest.raises(ValueError, match="sample_weight has shape"):
        GramStats.from_arrays(X, y, np.ones(9))
    with pytest.raises(ValueError, match="non-negative"):
        GramStats.from_arrays(X, y, -np.ones(10))
    bad = X.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN or infinity"):
        GramStats.from_arrays(bad, y)
    with pytest.raises(ValueError, match="NaN or infinity"):  # with zero weights too
        GramStats.from_arrays(bad, y, np.zeros(10))
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        GramStats.from_arrays(X, y[:5])
    small = GramStats.from_arrays(X[:3], y[:3])
    with pytest.raises(ValueError, match="holds more data"):
        small - GramStats.from_arrays(X, y)
    with pytest.raises(ValueError, match="inconsistent shapes"):
        GramStats(3, 3.0, np.zeros(2), 0.0, np.zeros((3, 3)), np.zeros(2), 0.0)
    with pytest.raises(ValueError, match="no blocks"):
        GramStats.from_chunks([])


def test_paths_from_statistics_are_the_intercept_fitted_paths(rng):
    """lasso_path(stats, None) on weighted, shifted data equals the path of the explicitly
    centred, weight-rescaled data (scikit-learn's recipe), and ridge_path likewise."""
    X, y = shifted_problem(rng, 120, 6, offset=100.0)
    w = rng.uniform(0.2, 2.0, 120)
    stats = GramStats.from_arrays(X, y, w)
    s = w * 120 / w.sum()
    Xc = (X - np.average(X, axis=0, weights=w)) * np.sqrt(s)[:, None]
    yc = (y - np.average(y, weights=w)) * np.sqrt(s)
    a1, c1, _ = shrinkage.lasso_path(stats, None, alphas=8, tol=1e-12)
    a2, c2, _ = shrinkage.lasso_path(Xc, yc, alphas=8, tol=1e-12)
    np.testing.assert_allclose(a1, a2, rtol=1e-10)
    np.testing.assert_allclose(c1, c2, rtol=1e-7, atol=1e-9 * np.abs(c2).max())
    r1 = shrinkage.ridge_path(stats, None, [0.5, 5.0])
    Xr = (X - np.average(X, axis=0, weights=w)) * np.sqrt(w)[:, None]
    yr = (y - np.average(y, weights=w)) * np.sqrt(w)
    np.testing.assert_allclose(r1, shrinkage.ridge_path(Xr, yr, [0.5, 5.0]), rtol=1e-9)
    with pytest.raises(ValueError, match="y must be None"):
        shrinkage.lasso_path(stats, y)
    with pytest.raises(ValueError, match="cannot be given with GramStats"):
        shrinkage.enet_path(stats, None, precompute=True)


def test_load_of_a_truncated_file_says_so_and_closes_it(tmp_path):
    rng = np.random.default_rng(9)
    stats = GramStats.from_arrays(rng.standard_normal((30, 4)), rng.standard_normal(30))
    stats.save(tmp_path / "s.npz")
    (tmp_path / "t.npz").write_bytes((tmp_path / "s.npz").read_bytes()[:300])
    open_before = set(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else set()
    with pytest.raises(ValueError, match="truncated"):
        GramStats.load(tmp_path / "t.npz")
    if open_before:
        assert set(os.listdir("/proc/self/fd")) <= open_before


def test_from_chunks_keeps_the_sources_error_and_says_where():
    rng = np.random.default_rng(10)

    def blocks():
        yield rng.standard_normal((5, 2)), rng.standard_normal(5)
        yield rng.standard_normal((5, 2)), rng.standard_normal(5)
        raise OSError("disk gone")

    with pytest.raises(OSError, match="disk gone") as raised:
        GramStats.from_chunks(blocks())
    if hasattr(raised.value, "__notes__"):
        assert "after 2 blocks" in raised.value.__notes__[0]
    bad = [(np.ones((3, 2)), np.ones(3)), (np.array([[1.0, np.nan]] * 3), np.ones(3))]
    with pytest.raises(ValueError, match="NaN") as raised:
        GramStats.from_chunks(bad)
    if hasattr(raised.value, "__notes__"):
        assert "in block 1" in raised.value.__notes__[0]
