"""Property-based fuzzing of the certificates: on random small problems (degenerate columns,
correlation up to 0.999, scales 1e-8..1e8, float32/float64, C/F order, sparse, positive, several
l1_ratios, multi-task), every returned point's duality gap, recomputed here from X and y in
float64, meets tol, or a ConvergenceWarning said it does not; and no other point scikit-learn
finds has a lower objective by more than that gap (weak duality: P(ours) - P* <= gap).

A fixed budget (600 examples, the same ones every run) runs in CI in a few seconds;
SHRINKAGE_FUZZ_EXAMPLES=20000 python -m pytest tests/test_fuzz.py runs longer on new random
examples."""

import os
import warnings

import numpy as np
import pytest
import scipy.sparse as sp

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import shrinkage  # noqa: E402
from certify import enet_gap, enet_objective  # noqa: E402

EXAMPLES = int(os.environ.get("SHRINKAGE_FUZZ_EXAMPLES", "600"))
TOL = 1e-6
# The recomputed gap is a difference of terms of size c: its own rounding is far below this.
SLACK = 1e-10


@st.composite
def problems(draw):
    n = draw(st.integers(2, 40))
    p = draw(st.integers(1, 30))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    rho = draw(st.sampled_from([0.0, 0.5, 0.9, 0.99, 0.999]))
    X = np.sqrt(1 - rho) * rng.standard_normal((n, p)) + np.sqrt(rho) * rng.standard_normal((n, 1))
    degenerate = draw(st.sampled_from([None, "zero column", "duplicate column", "zero y"]))
    if degenerate == "zero column":
        X[:, rng.integers(p)] = 0.0
    elif degenerate == "duplicate column" and p > 1:
        X[:, 1] = X[:, 0]
    n_tasks = draw(st.sampled_from([1, 1, 1, 2, 3]))
    beta = rng.standard_normal((p, n_tasks)) * (rng.random((p, 1)) < 0.3)
    Y = X @ beta + draw(st.sampled_from([0.01, 0.5, 2.0])) * rng.standard_normal((n, n_tasks))
    if degenerate == "zero y":
        Y[:] = 0.0
    scale = 10.0 ** draw(st.integers(-8, 8))
    X, Y = X * scale, Y * scale
    dtype = draw(st.sampled_from([np.float64, np.float32]))
    X, Y = X.astype(dtype), Y.astype(dtype)
    if draw(st.booleans()):
        X = np.asfortranarray(X)
    if draw(st.booleans()):
        X = sp.csc_matrix(np.where(rng.random(X.shape) < 0.5, X, 0).astype(dtype))
    y = Y[:, 0] if n_tasks == 1 else Y
    positive = n_tasks == 1 and draw(st.booleans())
    l1_ratio = draw(st.sampled_from([1.0, 0.7, 0.3, 0.05]))
    return X, y, positive, l1_ratio


@settings(max_examples=EXAMPLES, deadline=None,
          derandomize="SHRINKAGE_FUZZ_EXAMPLES" not in os.environ,  # CI: the same examples
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(problems())
def test_every_returned_point_is_certified(problem):
    sklearn_linear_model = pytest.importorskip("sklearn.linear_model")
    X, y, positive, l1_ratio = problem
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        alphas, coefs, _ = shrinkage.enet_path(X, y, l1_ratio=l1_ratio, alphas=8, eps=1e-2,
                                                  positive=positive, tol=TOL)
    unconverged = any(issubclass(w.category, shrinkage.ConvergenceWarning) for w in caught)
    Xd = X.toarray() if sp.issparse(X) else X
    Xd, Y = np.asarray(Xd, np.float64), np.asarray(y, np.float64).reshape(len(y), -1)
    c = (Y**2).sum() / len(Y)
    coefs = np.asarray(coefs, np.float64).reshape(Y.shape[1], X.shape[1], len(alphas))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, theirs, _ = sklearn_linear_model.enet_path(
            Xd, Y[:, 0] if Y.shape[1] == 1 else Y, l1_ratio=l1_ratio, alphas=alphas,
            positive=positive, tol=1e-8, max_iter=5000)
    theirs = np.asarray(theirs).reshape(coefs.shape)
    for k, alpha in enumerate(alphas):
        w = coefs[..., k]
        gap = enet_gap(Xd, Y, w, alpha, l1_ratio, positive)
        assert np.isfinite(gap)
        assert gap >= -SLACK * c - 1e-300
        if not unconverged:
            assert gap <= TOL * c + SLACK * c, (k, gap, TOL * c)
        # Weak duality: no point has an objective below ours minus our gap.
        ours = enet_objective(Xd, Y, w, alpha, l1_ratio)
        other = enet_objective(Xd, Y, theirs[..., k], alpha, l1_ratio)
        if not positive or (theirs[..., k] >= 0).all():
            assert ours <= other + max(gap, 0.0) + SLACK * c, (k, ours, other, gap)
