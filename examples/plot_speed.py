"""
Speed against scikit-learn, at equal quality
============================================

A lasso path on correlated data (2 000 samples, 300 features, rho = 0.7), by shrinkage and by
scikit-learn with its Gram, each with its largest relative duality gap over the path recomputed
from X and y: a fast time at a loose gap would be no win.
"""

import time
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import lasso_path as sklearn_lasso_path

import shrinkage
from shrinkage.datasets import make_correlated_regression

X, y = make_correlated_regression(2_000, 300, rho=0.7, random_state=0)
n = len(y)


def largest_relative_gap(alphas, coefs):
    residuals = y[:, None] - X @ coefs
    worst = 0.0
    for k, alpha in enumerate(alphas):
        r, w = residuals[:, k], coefs[:, k]
        s = min(1.0, alpha / np.abs(X.T @ r / n).max())
        primal = 0.5 * r @ r / n + alpha * np.abs(w).sum()
        dual = -0.5 * s * s * r @ r / n + s * r @ y / n
        worst = max(worst, primal - dual)
    return worst / (0.5 * y @ y / n)


results = {}
for name, path in (("shrinkage", shrinkage.lasso_path), ("scikit-learn", sklearn_lasso_path)):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn stops at max_iter here
        start = time.perf_counter()
        alphas, coefs, _ = path(X, y, alphas=100, precompute=True)
        results[name] = (time.perf_counter() - start, largest_relative_gap(alphas, coefs))
fig, ax = plt.subplots(figsize=(7, 3.5), layout="constrained")
names = list(results)
ax.barh(names, [results[k][0] for k in names])
for k, name in enumerate(names):
    seconds, gap = results[name]
    ax.text(seconds, k, f"  {seconds:.3f} s, gap {gap:.1e}", va="center")
ax.set_xlabel("seconds for a 100-alpha path (smaller is better)")
ax.set_xlim(0, 1.5 * max(v[0] for v in results.values()))
