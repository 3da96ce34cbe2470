"""
A path from a .npy file, out of core
====================================

The statistics of a file are accumulated block by block (direct I/O, the next block read while
the current one is summed); the path then needs nothing else. Here the file is small, but the
memory used stays a few blocks plus the p x p statistics whatever its size.
"""

import os
import tempfile

import matplotlib.pyplot as plt
import numpy as np

import shrinkage
import shrinkage.plot
from shrinkage import streams
from shrinkage.datasets import make_correlated_regression

X, y = make_correlated_regression(20_000, 30, rho=0.5, random_state=0)
with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "data.npy")
    np.save(path, np.column_stack([X, y]))
    stats = shrinkage.GramStats.from_chunks(streams.npy_blocks(path, target=-1,
                                                               block_rows=2_000))
alphas, coefs, gaps = shrinkage.lasso_path(stats, None, alphas=50)
fig, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
shrinkage.plot.plot_path(alphas, coefs, ax=ax)
ax.set_title(f"{stats.n_samples} rows streamed from disk in blocks of 2 000")
