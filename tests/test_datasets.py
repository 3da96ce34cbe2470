"""The generators: the multi-task benchmark problem's shape, coefficients and noise as
documented, the text-like sparse problems' TF-IDF rows, and the binomial problems' labels."""

import numpy as np
import pytest

from shrinkage.datasets import (
    MULTITASK_PROBLEMS,
    binomial_benchmark_problem,
    friedman_coefficients,
    TEXT_PROBLEMS,
    make_text_regression,
    multitask_benchmark_problem,
    text_benchmark_problem,
)


def test_multitask_problem_is_friedman_rows_scaled_per_task_at_snr_3():
    X, Y = multitask_benchmark_problem("M1")
    n, p, n_tasks = MULTITASK_PROBLEMS["M1"]
    assert X.shape == (n, p)
    assert Y.shape == (n, n_tasks)
    assert X.flags.f_contiguous
    # B's rows are the Friedman coefficients times task factors drawn in [0.5, 1.5] (the first
    # draw of the generator seeded random_state + 1); the rest of Y is centred noise at a
    # third of each task's signal spread.
    factors = np.random.default_rng(1).uniform(0.5, 1.5, (p, n_tasks))
    signal = X @ (friedman_coefficients(p)[:, None] * factors)
    noise = Y - signal
    np.testing.assert_allclose(signal.std(axis=0) / noise.std(axis=0), 3.0, rtol=1e-12)
    np.testing.assert_allclose(noise.mean(axis=0), 0.0, atol=1e-12)
    # A shared support with task-wise magnitudes: the targets correlate, but are not one.
    correlation = np.corrcoef(Y.T)[np.triu_indices(n_tasks, 1)]
    assert np.all((correlation > 0.5) & (correlation < 0.99))


def test_multitask_problem_is_reproducible_and_names_unknown_problems():
    X1, Y1 = multitask_benchmark_problem("M1")
    X2, Y2 = multitask_benchmark_problem("M1")
    assert np.array_equal(X1, X2)
    assert np.array_equal(Y1, Y2)
    with pytest.raises(ValueError, match="unknown problem 'M9'"):
        multitask_benchmark_problem("M9")


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_text_regression_is_tf_idf_like(fmt):
    X, y = make_text_regression(500, 2000, n_informative=30, format=fmt, random_state=4)
    assert X.format == fmt and X.shape == (500, 2000) and y.shape == (500,)
    np.testing.assert_allclose(np.sqrt(X.multiply(X).sum(axis=1)).A.ravel(), 1.0, rtol=1e-12)
    assert X.min() >= 0.0
    words = np.diff(X.tocsr().indptr)  # distinct terms per document: at most its length
    assert words.min() >= 1 and words.max() <= 200
    # Zipf: the most frequent tenth of the terms holds most of the nonzeros.
    per_term = np.sort(np.diff(X.tocsc().indptr))[::-1]
    assert per_term[:200].sum() > 0.5 * X.nnz
    X2, y2 = make_text_regression(500, 2000, n_informative=30, format=fmt, random_state=4)
    assert (X2 != X).nnz == 0 and np.array_equal(y, y2)


def test_text_problems_have_their_documented_shape_and_format():
    X, y = text_benchmark_problem("D1")
    n, p, _, _, _, fmt = TEXT_PROBLEMS["D1"]
    assert X.shape == (n, p) and X.format == fmt and y.shape == (n,)
    with pytest.raises(ValueError, match="unknown problem 'D9'"):
        text_benchmark_problem("D9")


def test_binomial_benchmark_problem():
    X, y = binomial_benchmark_problem("B2")
    assert X.shape == (200, 10_000) and X.flags.f_contiguous
    assert set(np.unique(y)) == {0.0, 1.0} and 0.2 < y.mean() < 0.8
    X2, y2 = binomial_benchmark_problem("B2")
    np.testing.assert_array_equal(y, y2)  # reproducible
    with pytest.raises(ValueError, match="unknown problem"):
        binomial_benchmark_problem("B9")
