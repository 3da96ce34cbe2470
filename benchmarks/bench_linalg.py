"""asv benchmarks of the blocked Cholesky kernel and ridge_path, with LAPACK's dpotrf (through
scipy) and scikit-learn's Ridge beside them.

GFLOP/s = n^3 / 3 / time.
"""

import numpy as np
import scipy.linalg

from shrinkage import linalg


class Cholesky:
    params = [[1000, 2000, 4000]]
    param_names = ["n"]
    timeout = 300

    def setup(self, n):
        rng = np.random.default_rng(0)
        m = rng.standard_normal((n, n))
        self.A = np.asfortranarray(m @ m.T + n * np.eye(n))

    def time_shrinkage_cholesky(self, n):
        linalg.cholesky(self.A)

    def time_scipy_dpotrf(self, n):
        scipy.linalg.cholesky(self.A, lower=True, check_finite=False)


class RidgePath:
    """The ridge problem of docs/design.md §6: n = 100 000, p = 2 000, 1 and 20 alphas."""

    params = [[1, 20]]
    param_names = ["n_alphas"]
    timeout = 900

    def setup(self, n_alphas):
        from shrinkage.datasets import make_correlated_regression

        self.X, self.y = make_correlated_regression(100_000, 2_000, order="F")
        self.alphas = np.geomspace(1e4, 1e-2, n_alphas)

    def time_ridge_path(self, n_alphas):
        from shrinkage import ridge_path

        ridge_path(self.X, self.y, self.alphas)

    def time_sklearn_ridge_one_alpha(self, n_alphas):
        from sklearn.linear_model import Ridge

        Ridge(alpha=1.0, fit_intercept=False, solver="cholesky").fit(self.X, self.y)
