"""
Statistics on a Dask cluster
============================

Each chunk's statistics are computed by the worker holding it and merged as a tree; only p x p
summaries travel, and the path is solved locally from them. A ``LassoCV`` computes its folds'
statistics on the cluster the same way.
"""

import dask.array as da
import matplotlib.pyplot as plt
from dask.distributed import Client, LocalCluster

import shrinkage.dask as sd
import shrinkage.plot
from shrinkage.datasets import make_correlated_regression

X, y = make_correlated_regression(40_000, 20, rho=0.5, random_state=1)
with LocalCluster(n_workers=2, processes=False, dashboard_address=None) as cluster, \
        Client(cluster):
    X_dask = da.from_array(X, chunks=(5_000, 20))
    y_dask = da.from_array(y, chunks=5_000)
    model = sd.LassoCV(cv=5).fit(X_dask, y_dask)
fig, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
shrinkage.plot.plot_cv(model, ax=ax)
