"""asv benchmarks of the path functions on the problems of docs/design.md §6.

    asv run --python=same --quick --config benchmarks/asv.conf.json

Ratios against scikit-learn, celer and glmnet are measured side by side by compare.py; asv
tracks shrinkage's own time and peak memory across commits.
"""

import numpy as np

import shrinkage
from shrinkage.datasets import (
    SPARSE_PROBLEMS,
    benchmark_problem,
    multitask_benchmark_problem,
    sparse_benchmark_problem,
    text_benchmark_problem,
)

PROBLEMS = ["T1", "T2", "T3", "W1", "W2"]


class LassoPath:
    """100-alpha Lasso path, eps=1e-3, default tol."""

    params = [PROBLEMS]
    param_names = ["problem"]
    timeout = 900

    def setup(self, problem):
        self.X, self.y = benchmark_problem(problem, order="F")

    def time_lasso_path(self, problem):
        shrinkage.lasso_path(self.X, self.y)

    def peakmem_lasso_path(self, problem):
        shrinkage.lasso_path(self.X, self.y)

    def track_largest_relative_gap(self, problem):
        _, _, gaps = shrinkage.lasso_path(self.X, self.y)
        return float(gaps.max() / (0.5 * (self.y @ self.y) / len(self.y)))

    track_largest_relative_gap.unit = "gap / P(0)"


class TightLassoPath:
    """The same paths at tight tolerances: what a near-exact certificate costs."""

    params = [["T1", "T3", "W1"], [1e-8, 1e-10]]
    param_names = ["problem", "tol"]
    timeout = 900

    def setup(self, problem, tol):
        self.X, self.y = benchmark_problem(problem, order="F")

    def time_lasso_path(self, problem, tol):
        shrinkage.lasso_path(self.X, self.y, tol=tol)


class EnetPath:
    """100-alpha elastic-net path (l1_ratio = 0.5), float64 and float32."""

    params = [["T1", "W2"], ["float64", "float32"]]
    param_names = ["problem", "dtype"]
    timeout = 600

    def setup(self, problem, dtype):
        self.X, self.y = benchmark_problem(problem, order="F", dtype=np.dtype(dtype))

    def time_enet_path(self, problem, dtype):
        shrinkage.enet_path(self.X, self.y, l1_ratio=0.5)


class SparsePath:
    """100-alpha Lasso path on sparse data (no intercept): S1/S2 random sparse (CSC) at
    eps=1e-2, as text models are fitted; the TF-IDF-like D1-D3 at scikit-learn's default
    eps=1e-3 (D1's support grows towards n, D3's into the hundreds from CSR, D2's stays small)."""

    params = [["S1", "S2", "D1", "D2", "D3"]]
    param_names = ["problem"]
    timeout = 1200
    number = 1
    repeat = 1

    def setup(self, problem):
        if problem in SPARSE_PROBLEMS:
            self.X, self.y = sparse_benchmark_problem(problem)
            self.eps = 1e-2
        else:
            self.X, self.y = text_benchmark_problem(problem)
            self.eps = 1e-3

    def time_lasso_path(self, problem):
        shrinkage.lasso_path(self.X, self.y, eps=self.eps)

    def peakmem_lasso_path(self, problem):
        shrinkage.lasso_path(self.X, self.y, eps=self.eps)


class MultiTaskPath:
    """100-alpha l2,1 path (l1_ratio = 0.8) of M1's 3 targets, and the path of its first
    target alone on the same X (the multi-task goal is at most 3 x that)."""

    params = [["multi-task", "first target"]]
    param_names = ["targets"]
    timeout = 600

    def setup(self, targets):
        X, Y = multitask_benchmark_problem("M1")
        self.X, self.Y = X, (Y if targets == "multi-task" else Y[:, 0])

    def time_enet_path(self, targets):
        shrinkage.enet_path(self.X, self.Y, l1_ratio=0.8)


class GramFloor:
    """numpy's X.T @ X on the tall problems: the floor a tall path is measured against."""

    params = [["T1", "T2", "T3"]]
    param_names = ["problem"]
    timeout = 600

    def setup(self, problem):
        self.X, _ = benchmark_problem(problem, order="F")

    def time_gram(self, problem):
        self.X.T @ self.X
