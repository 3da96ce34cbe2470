"""
L1, L2 and the elastic net on the same data
===========================================

Which coefficients become zero and which only shrink, and the training and test error of each
penalty at its cross-validated alpha.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split

import shrinkage

data = load_diabetes()
X_train, X_test, y_train, y_test = train_test_split(data.data, data.target, random_state=0)
models = {
    "lasso (L1)": shrinkage.LassoCV(cv=5),
    "elastic net": shrinkage.ElasticNetCV(l1_ratio=0.5, cv=5),
    "ridge (L2)": shrinkage.RidgeCV(alphas=np.logspace(-4, 2, 40)),
}
fig, ax = plt.subplots(figsize=(9, 4.5), layout="constrained")
width = 0.27
for k, (name, model) in enumerate(models.items()):
    model.fit(X_train, y_train)
    train_mse = mean_squared_error(y_train, model.predict(X_train))
    test_mse = mean_squared_error(y_test, model.predict(X_test))
    zeros = int((model.coef_ == 0).sum())
    ax.bar(np.arange(X_train.shape[1]) + (k - 1) * width, model.coef_, width,
           label=f"{name}: {zeros} zeros, MSE train {train_mse:.0f} / test {test_mse:.0f}")
ax.set_xticks(range(X_train.shape[1]), data.feature_names)
ax.axhline(0, color="0.5", linewidth=0.8)
ax.set_ylabel("coefficient")
ax.legend(fontsize="small")
