"""asv benchmarks of the blocked Cholesky kernel, with LAPACK's dpotrf (through scipy) beside it.

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
