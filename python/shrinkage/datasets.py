"""Generated regression problems: the design of Friedman, Hastie & Tibshirani (2010), Table 1.

Rows are Gaussian with equal pairwise correlation ``rho`` (one common factor per row),
``beta_j = (-1)^j exp(-2 (j - 1) / 20)`` and ``y = X beta + k * noise`` with ``k`` giving the
requested signal-to-noise ratio (ratio of standard deviations); X and y are centred. The named
problems are the benchmark shapes of docs/design.md §6.
"""

from __future__ import annotations

import numpy as np

PROBLEMS = {
    "T1": (5_000, 100),
    "T2": (100_000, 1_000),
    "T3": (10_000, 2_000),
    "W1": (1_000, 10_000),
    "W2": (100, 5_000),
}

# Sparse, text-like problems (n, p, density): no centring, no intercept (docs/design.md §6).
SPARSE_PROBLEMS = {
    "S1": (20_000, 50_000, 1e-3),
    "S2": (5_000, 200_000, 5e-4),
}

# TF-IDF-like problems (make_text_regression): n, p, informative terms, noise (a multiple of
# the signal's sd), words per document, format. D1's noisy target grows the support towards n.
TEXT_PROBLEMS = {
    "D1": (2_000, 3_008, 3_008, 1.0, (10, 80), "csr"),
    "D2": (20_000, 50_000, 50, 0.1, (20, 200), "csc"),
    "D3": (20_000, 50_000, 5_000, 0.5, (20, 200), "csr"),
    "D4": (100_000, 200_000, 200, 0.1, (20, 200), "csc"),
}

# Multi-task problems (n, p, n_tasks), rho = 0.5, for the l2,1 (MultiTaskElasticNet) path.
MULTITASK_PROBLEMS = {
    "M1": (500, 3_000, 3),
}

# Binomial problems: dense (n, p) at rho = 0.5, or S1's sparse X; labels from 20 coefficients.
BINOMIAL_PROBLEMS = {
    "B1": (20_000, 200),
    "B2": (200, 10_000),
    "B3": "S1",
}


def friedman_coefficients(n_features):
    j = np.arange(1, n_features + 1)
    return (-1.0) ** j * np.exp(-2.0 * (j - 1) / 20.0)


def make_correlated_regression(n_samples, n_features, *, rho=0.5, snr=3.0, random_state=0,
                               dtype=np.float64, order="C", block_rows=65_536):
    """Return (X, y) with equicorrelated Gaussian rows, generated in row blocks.

    Parameters
    ----------
    n_samples, n_features : int
    rho : float in [0, 1)
        Pairwise correlation of the columns.
    snr : float
        Standard deviation of the signal over that of the noise.
    random_state : int
    dtype : float64 or float32
    order : "C" or "F"
        Memory layout of X.
    """
    if not 0 <= rho < 1:
        raise ValueError(f"rho must be in [0, 1), got {rho}.")
    rng = np.random.default_rng(random_state)
    beta = friedman_coefficients(n_features)
    X = np.empty((n_samples, n_features), dtype=dtype, order=order)
    signal = np.empty(n_samples)
    for start in range(0, n_samples, block_rows):
        stop = min(start + block_rows, n_samples)
        z = rng.standard_normal((stop - start, n_features))
        z *= np.sqrt(1.0 - rho)
        z += np.sqrt(rho) * rng.standard_normal((stop - start, 1))
        X[start:stop] = z
        signal[start:stop] = z @ beta
    X -= X.mean(axis=0, dtype=np.float64).astype(dtype)
    signal -= signal.mean()
    noise = rng.standard_normal(n_samples)
    noise -= noise.mean()
    y = signal + (signal.std() / snr / noise.std()) * noise
    return X, y.astype(dtype)


def benchmark_problem(name, *, random_state=0, dtype=np.float64, order="C"):
    """A benchmark problem of docs/design.md §6 ("T1", "T2", "T3", "W1", "W2"), rho = 0.5."""
    try:
        n, p = PROBLEMS[name]
    except KeyError:
        raise ValueError(f"unknown problem {name!r}; choose from {sorted(PROBLEMS)}") from None
    return make_correlated_regression(n, p, rho=0.5, random_state=random_state, dtype=dtype,
                                      order=order)


def sparse_benchmark_problem(name, *, random_state=0):
    """A sparse benchmark problem ("S1", "S2"): CSC X with standard normal entries at the
    problem's density, y = X beta + noise with 50 non-zero coefficients (noise sd 0.1)."""
    import scipy.sparse as sp

    try:
        n, p, density = SPARSE_PROBLEMS[name]
    except KeyError:
        raise ValueError(f"unknown problem {name!r}; choose from {sorted(SPARSE_PROBLEMS)}"
                         ) from None
    rng = np.random.default_rng(random_state)
    X = sp.random(n, p, density=density, format="csc", random_state=random_state,
                  data_rvs=rng.standard_normal)
    beta = np.zeros(p)
    beta[rng.choice(p, 50, replace=False)] = rng.standard_normal(50)
    y = X @ beta + 0.1 * rng.standard_normal(n)
    return X, y


def text_benchmark_problem(name, *, random_state=0):
    """A TF-IDF-like benchmark problem ("D1" ... "D4", TEXT_PROBLEMS): (X, y) from
    make_text_regression with the problem's shape, support, noise and document lengths."""
    try:
        n, p, informative, noise, lengths, fmt = TEXT_PROBLEMS[name]
    except KeyError:
        raise ValueError(f"unknown problem {name!r}; choose from {sorted(TEXT_PROBLEMS)}"
                         ) from None
    return make_text_regression(n, p, n_informative=informative, noise=noise,
                                length_range=lengths, format=fmt, random_state=random_state)


def multitask_benchmark_problem(name, *, random_state=0):
    """A multi-task benchmark problem ("M1"): X as benchmark_problem's (rho = 0.5, Fortran
    order) and Y (n x n_tasks) = X B + noise at snr 3 per task, B's columns the Friedman
    coefficients each scaled by factors drawn in [0.5, 1.5] (a shared row support, task-wise
    magnitudes)."""
    try:
        n, p, n_tasks = MULTITASK_PROBLEMS[name]
    except KeyError:
        raise ValueError(f"unknown problem {name!r}; choose from {sorted(MULTITASK_PROBLEMS)}"
                         ) from None
    X, _ = make_correlated_regression(n, p, rho=0.5, random_state=random_state, order="F")
    rng = np.random.default_rng(random_state + 1)
    B = friedman_coefficients(p)[:, None] * rng.uniform(0.5, 1.5, (p, n_tasks))
    signal = X @ B
    noise = rng.standard_normal((n, n_tasks))
    noise -= noise.mean(axis=0)
    Y = signal + noise * (signal.std(axis=0) / 3.0 / noise.std(axis=0))
    return X, Y


def binomial_benchmark_problem(name, *, random_state=0):
    """A binomial benchmark problem ("B1", "B2", "B3"; docs/performance.md): X as the dense
    problems' (Fortran order) or S1's sparse X, and 0/1 labels drawn as Bernoulli(sigmoid(X
    beta)) with 20 non-zero coefficients scaled so that X beta has standard deviation 2."""
    try:
        shape = BINOMIAL_PROBLEMS[name]
    except KeyError:
        raise ValueError(f"unknown problem {name!r}; choose from {sorted(BINOMIAL_PROBLEMS)}"
                         ) from None
    if isinstance(shape, str):
        X, _ = sparse_benchmark_problem(shape, random_state=random_state)
    else:
        X, _ = make_correlated_regression(*shape, rho=0.5, random_state=random_state,
                                          order="F")
    rng = np.random.default_rng(random_state)
    beta = np.zeros(X.shape[1])
    beta[rng.choice(X.shape[1], 20, replace=False)] = rng.standard_normal(20)
    eta = np.asarray(X @ beta).ravel()
    eta *= 2 / eta.std()
    return X, (rng.random(X.shape[0]) < 1 / (1 + np.exp(-eta))).astype(float)


def make_text_regression(n_samples, n_features, *, n_informative=50, zipf_exponent=1.1,
                         length_range=(20, 200), noise=0.1, format="csr", random_state=0):
    """A TF-IDF-like sparse regression problem: each of ``n_samples`` documents draws a length
    uniformly in ``length_range`` and that many words from ``n_features`` terms with Zipf
    frequencies (term k has weight 1 / k**zipf_exponent, in a random order of the columns);
    rows are term counts times inverse document frequency, scaled to unit norm. The target is
    ``X beta + noise * sd(X beta) * N(0, 1)`` with ``n_informative`` non-zero coefficients on
    terms drawn by their frequency (frequent terms explain more documents). Returns (X, y) with
    X in ``format`` ("csr" or "csc"), float64."""
    import scipy.sparse as sp

    rng = np.random.default_rng(random_state)
    weights = 1.0 / np.arange(1, n_features + 1) ** zipf_exponent
    weights = weights[rng.permutation(n_features)]
    weights /= weights.sum()
    lengths = rng.integers(length_range[0], length_range[1] + 1, n_samples)
    rows = np.repeat(np.arange(n_samples), lengths)
    terms = rng.choice(n_features, size=int(lengths.sum()), p=weights)
    counts = sp.coo_matrix((np.ones(rows.size), (rows, terms)),
                           shape=(n_samples, n_features)).tocsr()
    counts.sum_duplicates()
    document_frequency = np.bincount(counts.indices, minlength=n_features)
    idf = np.log((1.0 + n_samples) / (1.0 + document_frequency)) + 1.0
    X = counts @ sp.diags(idf)
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    X = sp.diags(1.0 / np.maximum(norms, 1e-300)) @ X
    beta = np.zeros(n_features)
    informative = rng.choice(n_features, size=min(n_informative, n_features), replace=False,
                             p=weights)
    beta[informative] = rng.standard_normal(informative.size) * 5.0
    signal = X @ beta
    y = signal + noise * (signal.std() or 1.0) * rng.standard_normal(n_samples)
    return X.asformat(format), y
