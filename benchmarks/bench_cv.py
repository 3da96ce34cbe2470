"""asv benchmarks of the cross-validated estimators on T2 and W1 of docs/design.md §6.

LassoCV with 5 KFold folds and 100 alphas; RidgeCV on 20 alphas by leave-one-out and by the
same 5 folds. scikit-learn's estimators with the same alphas, folds and tol are measured side by
side by ``python benchmarks/compare.py --cv T2 W1``.
"""

import numpy as np
from sklearn.model_selection import KFold

import shrinkage
from shrinkage.datasets import benchmark_problem

PROBLEMS = ["T2", "W1"]
RIDGE_ALPHAS = np.logspace(-2, 5, 20)


class LassoCV:
    params = [PROBLEMS]
    param_names = ["problem"]
    timeout = 600

    def setup(self, problem):
        self.X, self.y = benchmark_problem(problem, order="F")

    def time_lasso_cv(self, problem):
        shrinkage.LassoCV(cv=KFold(5)).fit(self.X, self.y)

    def peakmem_lasso_cv(self, problem):
        shrinkage.LassoCV(cv=KFold(5)).fit(self.X, self.y)


class RidgeCV:
    params = [PROBLEMS, ["leave-one-out", "5-fold"]]
    param_names = ["problem", "cv"]
    timeout = 600

    def setup(self, problem, cv):
        self.X, self.y = benchmark_problem(problem, order="F")
        self.cv = None if cv == "leave-one-out" else KFold(5)

    def time_ridge_cv(self, problem, cv):
        shrinkage.RidgeCV(RIDGE_ALPHAS, cv=self.cv).fit(self.X, self.y)

    def peakmem_ridge_cv(self, problem, cv):
        shrinkage.RidgeCV(RIDGE_ALPHAS, cv=self.cv).fit(self.X, self.y)
