"""
Choosing alpha by cross-validation
==================================

Training and validation error against alpha for a 5-fold ``LassoCV``, with the chosen alpha
and the largest alpha within one standard error of the best (glmnet's ``lambda.1se``).
"""

import matplotlib.pyplot as plt
from sklearn.datasets import load_diabetes

import shrinkage
import shrinkage.plot

X, y = load_diabetes(return_X_y=True)
model = shrinkage.LassoCV(cv=5).fit(X, y)
fig, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
shrinkage.plot.plot_cv(model, ax=ax)
print(f"chosen alpha {model.alpha_:.4g}, {int((model.coef_ != 0).sum())} non-zero coefficients")
