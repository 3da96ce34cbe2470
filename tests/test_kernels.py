"""The compiled building blocks against numpy/LAPACK, called directly."""

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
    G = _core.dense_gram(X)
    assert G.dtype == np.float64
    np.testing.assert_allclose(G, ref, rtol=1e-12, atol=1e-12 * np.abs(ref).max())
    np.testing.assert_array_equal(G, G.T)
    XtY = _core.cross_product(X, np.asfortranarray(Y, dtype=np.float64))
    ref = X.astype(np.float64).T @ Y.astype(np.float64)
    np.testing.assert_allclose(XtY, ref, rtol=1e-12, atol=1e-12 * np.abs(ref).max())


def test_bindings_refuse_wrong_dtype_instead_of_copying(rng):
    X = rng.standard_normal((5, 3)).astype(np.int64)
    with pytest.raises(ValueError, match="float64 or float32"):
        _core.dense_gram(X)
    X = np.asfortranarray(rng.standard_normal((6, 4)))[::2]
    with pytest.raises(ValueError, match="contiguous"):
        _core.dense_gram(X)
