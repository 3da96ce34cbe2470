"""The compiled building blocks against numpy/LAPACK, called directly."""

import pickle

import numpy as np
import pytest

from shrinkage import _core


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("order", ["C", "F"])
# (20000, 60): float32 data are converted in two row blocks.
@pytest.mark.parametrize("shape", [(1, 1), (7, 3), (300, 130), (50, 200), (20000, 60)])
@pytest.mark.parametrize("n_targets", [1, 2])  # one column goes through gemv, more through gemm
def test_dense_gram_and_cross_product(dtype, order, shape, n_targets, rng):
    X = np.asarray(rng.standard_normal(shape), dtype=dtype, order=order)
    Y = np.asfortranarray(rng.standard_normal((shape[0], n_targets)).astype(dtype))
    # float32 data are accumulated in double: as exact as float64 data.
    ref = X.astype(np.float64).T @ X.astype(np.float64)
    for workers in (1, 3):  # more workers than row blocks: the idle ones add nothing
        G = _core.dense_gram(X, workers=workers)
        assert G.dtype == np.float64
        np.testing.assert_allclose(G, ref, rtol=1e-12, atol=1e-12 * np.abs(ref).max())
        np.testing.assert_array_equal(G, G.T)
    XtY = _core.cross_product(X, np.asfortranarray(Y, dtype=np.float64))
    ref = X.astype(np.float64).T @ Y.astype(np.float64)
    np.testing.assert_allclose(XtY, ref, rtol=1e-12, atol=1e-12 * np.abs(ref).max())


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("order", ["C", "F"])
def test_dense_gram_by_workers_sums_every_row_block_once(dtype, order, rng):
    X = np.asarray(rng.standard_normal((1300, 1500)), dtype=dtype, order=order)  # 3 blocks
    ref = X.astype(np.float64).T @ X.astype(np.float64)
    for workers in (2, 3):
        G = _core.dense_gram(X, workers=workers)
        np.testing.assert_allclose(G, ref, rtol=1e-12, atol=1e-12 * np.abs(ref).max())
        np.testing.assert_array_equal(G, G.T)


def test_dense_gram_workers_must_be_positive(rng):
    with pytest.raises(ValueError, match="workers"):
        _core.dense_gram(rng.standard_normal((5, 3)), workers=0)


def test_bindings_refuse_wrong_dtype_instead_of_copying(rng):
    X = rng.standard_normal((5, 3)).astype(np.int64)
    with pytest.raises(ValueError, match="float64 or float32"):
        _core.dense_gram(X)
    X = np.asfortranarray(rng.standard_normal((6, 4)))[::2]
    with pytest.raises(ValueError, match="contiguous"):
        _core.dense_gram(X)


def test_path_options_are_one_object_that_copies_and_pickles():
    terms = _core.FeatureTerms(np.array([1.0, 0.0]), np.ones(2), np.array([-np.inf, 0.0]),
                               np.array([2.0, np.inf]))
    options = _core.PathOptions(l1_ratio=0.5, tol=1e-8, dfmax=3, features=terms)
    changed = options.replace(tol=1e-6, float32_output=True)
    assert (changed.tol, changed.float32_output, changed.l1_ratio) == (1e-6, True, 0.5)
    assert (options.tol, options.float32_output) == (1e-8, False)  # the original is unchanged
    restored = pickle.loads(pickle.dumps(changed))
    assert (restored.l1_ratio, restored.tol, restored.dfmax, restored.pmax) == (0.5, 1e-6, 3, -1)
    np.testing.assert_array_equal(restored.features.upper, [2.0, np.inf])
    np.testing.assert_array_equal(restored.features.l1_weight, [1.0, 0.0])
    with pytest.raises(AttributeError):
        options.replace(tolerance=1.0)


def test_feature_terms_are_checked_when_made_and_when_used(rng):
    ones = np.ones(3)
    with pytest.raises(ValueError, match="weights >= 0 and lower <= 0 <= upper"):
        _core.FeatureTerms(ones, -ones, -ones, ones)
    with pytest.raises(ValueError, match="weights >= 0 and lower <= 0 <= upper"):
        _core.FeatureTerms(ones, ones, ones, 2 * ones)
    with pytest.raises(ValueError, match="n_features entries"):
        _core.FeatureTerms(ones, np.ones(2), -ones, ones)
    X = rng.standard_normal((10, 4))
    source = _core.full_gram(X.T @ X, 0.1)
    options = _core.PathOptions(features=_core.FeatureTerms(ones, ones, -ones, ones))
    with pytest.raises(ValueError, match="feature terms must have n_features entries"):
        _core.enet_path(source, np.asfortranarray(X.T @ X[:, :1]) / 10, 1.0, np.array([0.1]),
                        None, options)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("data", ["normal", "offset", "scales", "weighted and centred",
                                  "beyond float32", "short columns"])
def test_bounded_gradient_bounds_its_error(dtype, order, data, rng):
    """Wide dense X: q = b - Z^T Z w / n from a float32 pass, each entry within its bound and
    exact for the features asked for and wherever |q| + bound reaches the threshold. Entries
    1e4 + noise lose ~1e-3 each in float32, columns down to 1e-45 underflow; a column beyond
    1e30, or columns too short to repay the bounds (n < 256), leave no float32 pass at all."""
    n, p = (100 if data == "short columns" else 300), 600
    X = rng.standard_normal((n, p))
    if data == "offset":
        X += 1e4
    elif data == "scales":
        X *= 10.0 ** rng.uniform(-45, 25, p)
    elif data == "beyond float32":
        X[:, 3] *= 1e31 if dtype == np.float64 else 1e37
    X = np.asarray(X, dtype=dtype, order=order)
    Z = X.astype(np.float64)
    weights = offsets = None
    if data == "weighted and centred":
        weights, offsets = rng.uniform(0.1, 2.0, n), Z.mean(axis=0)
        Z = (Z - offsets) * np.sqrt(weights)[:, None]
    source = _core.dense_design_gram(X, (Z**2).sum(axis=0), 1.0 / n, weights, offsets)
    w = np.zeros(p)
    w[rng.choice(p, 30, replace=False)] = rng.standard_normal(30) / np.sqrt((Z**2).mean())
    b = rng.standard_normal(p) * np.abs(Z.T @ (Z @ w) / n).max()
    reference = b - Z.T @ (Z @ w) / n
    rounding = 1e-12 * (np.abs(Z).T @ np.abs(Z @ w) / n + np.abs(b))
    exact = sorted(rng.choice(p, 40, replace=False).tolist())
    threshold = np.quantile(np.abs(reference), 0.9)

    q, bound = source.gradient(b, w, threshold, exact)
    assert (bound >= 0).all() and (bound[exact] == 0).all()
    assert (np.abs(q - reference) <= bound + rounding).all()
    assert (bound[np.abs(q) + bound >= threshold] == 0).all()
    if data in ("beyond float32", "short columns"):
        assert (bound == 0).all()
    else:  # the cheaper pass is in use, with bounds of the size of float32's rounding
        assert (bound > 0).sum() > p // 2
        # (not for columns that underflow in float32: there the error is the whole product)
        normal = np.abs(Z).max(axis=0) > 1e-30
        size = np.abs(Z).T @ np.abs(Z @ w) / n
        assert (bound[normal] <= 1e-3 * size[normal]).all()
    q_exact, none = source.gradient(b, w)
    assert (none == 0).all() and (np.abs(q_exact - reference) <= rounding).all()
