"""
Lasso and ridge coefficient paths
=================================

The coefficients of the diabetes data's ten features as the penalty decreases: the lasso's
enter one at a time (the rest are exactly zero), ridge's all shrink together towards zero.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_diabetes

import shrinkage
import shrinkage.plot

data = load_diabetes()
X = data.data - data.data.mean(axis=0)
y = data.target - data.target.mean()

alphas, coefs, gaps = shrinkage.lasso_path(X, y, alphas=100)
ridge_alphas = np.logspace(-3, 3, 60)
ridge_coefs = shrinkage.ridge_path(X, y, ridge_alphas)

fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5), layout="constrained")
shrinkage.plot.plot_path(alphas, coefs, feature_names=data.feature_names, ax=left)
left.set_title("lasso")
right.plot(ridge_alphas, ridge_coefs.T)
right.set_xscale("log")
right.set_xlim(ridge_alphas.max(), ridge_alphas.min())
right.set_xlabel("alpha")
right.set_ylabel("coefficient")
right.set_title("ridge")
print(f"largest relative duality gap of the lasso path: {gaps.max() / (0.5 * y @ y / len(y)):.1e}")
