"""asv benchmarks of the binomial family (docs/performance.md): 100-alpha L1 logistic paths
and a LogisticRegression fit. Ratios against glmnet, skglm, celer and scikit-learn are
measured side by side by compare_binomial.py; asv tracks shrinkage's own time and memory."""

import numpy as np
from scipy.special import expit, xlogy

import shrinkage
from shrinkage.datasets import binomial_benchmark_problem


class LogisticPath:
    """100-alpha L1 logistic path with an intercept, eps=1e-2, default tol."""

    params = [["B1", "B2", "B3"]]
    param_names = ["problem"]
    timeout = 900

    def setup(self, problem):
        self.X, self.y = binomial_benchmark_problem(problem)

    def time_logistic_path(self, problem):
        shrinkage.logistic_path(self.X, self.y, eps=1e-2)

    def peakmem_logistic_path(self, problem):
        shrinkage.logistic_path(self.X, self.y, eps=1e-2)

    def track_largest_relative_gap(self, problem):
        _, _, _, gaps = shrinkage.logistic_path(self.X, self.y, eps=1e-2)
        m = self.y.mean()
        return float(gaps.max() / (-2 * (xlogy(m, m) + xlogy(1 - m, 1 - m))))

    track_largest_relative_gap.unit = "gap / null deviance"


class LogisticRegressionFit:
    """scikit-learn's default model (l2, C=1) and an L1 one on the dense problems."""

    params = [["B1", "B2"], [0.0, 1.0]]
    param_names = ["problem", "l1_ratio"]
    timeout = 600

    def setup(self, problem, l1_ratio):
        self.X, self.y = binomial_benchmark_problem(problem)

    def time_fit(self, problem, l1_ratio):
        shrinkage.LogisticRegression(l1_ratio=l1_ratio, C=0.1).fit(self.X, self.y)

    def track_training_log_loss(self, problem, l1_ratio):
        model = shrinkage.LogisticRegression(l1_ratio=l1_ratio, C=0.1).fit(self.X, self.y)
        p = np.clip(expit(model.decision_function(self.X)), 1e-300, 1)
        return float(-np.mean(xlogy(self.y, p) + xlogy(1 - self.y, 1 - p)))

    track_training_log_loss.unit = "mean log-loss"
