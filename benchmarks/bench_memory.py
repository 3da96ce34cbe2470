"""asv peak-memory benchmarks of the shapes where a Gram (or its fold statistics) dominates:
each peak should be the data, one Gram and the output, plus small scratch."""

import numpy as np
from sklearn.model_selection import KFold

import shrinkage
from shrinkage.datasets import make_correlated_regression


class Statistics:
    timeout = 600

    def setup(self):
        self.X, self.y = make_correlated_regression(4000, 4000, random_state=0)

    def peakmem_gram_stats_from_arrays(self):
        shrinkage.GramStats.from_arrays(self.X, self.y)

    def peakmem_lasso_cv(self):
        shrinkage.LassoCV(cv=KFold(5), alphas=20).fit(self.X, self.y)

    def peakmem_ridge_cv(self):
        shrinkage.RidgeCV(alphas=np.logspace(-2, 3, 10), cv=KFold(5)).fit(self.X, self.y)


class WideFloat32Path:
    timeout = 600

    def setup(self):
        X, y = make_correlated_regression(50, 200_000, random_state=0)
        self.X, self.y = X.astype(np.float32), y.astype(np.float32)

    def peakmem_lasso_path(self):
        shrinkage.lasso_path(self.X, self.y, alphas=20)
