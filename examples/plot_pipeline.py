"""
A pipeline with StandardScaler and LassoCV
==========================================

shrinkage's estimators are scikit-learn estimators: they go in pipelines, searches and pickles.
"""

import matplotlib.pyplot as plt
from sklearn.datasets import load_diabetes
from sklearn.model_selection import cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import shrinkage

X, y = load_diabetes(return_X_y=True)
pipeline = make_pipeline(StandardScaler(), shrinkage.LassoCV(cv=5))
predicted = cross_val_predict(pipeline, X, y, cv=5)
fig, ax = plt.subplots(figsize=(5, 5), layout="constrained")
ax.scatter(y, predicted, s=10, alpha=0.6)
ax.plot([y.min(), y.max()], [y.min(), y.max()], color="k", linewidth=1)
ax.set_xlabel("measured")
ax.set_ylabel("predicted (5-fold, outside the training folds)")
