"""Sufficient statistics of Dask collections, reduced where the data live (dask optional).

Each row block's :class:`~shrinkage.GramStats` is computed by the task that holds the block,
and the p x p summaries are merged by a tree reduction (``split_every`` at a time) on whatever
scheduler is active — threads, processes or a ``dask.distributed`` cluster. Only summaries
cross the network; the path is then solved locally from them. Every task is a pure function
of its block, so a lost worker's tasks are recomputed elsewhere by the scheduler; if that is
impossible the computation raises (e.g. ``KilledWorker``) rather than return a partial sum.

    >>> import dask, dask.array as da, numpy as np, shrinkage
    >>> import shrinkage.dask as sd
    >>> rng = np.random.default_rng(0)
    >>> X = da.from_array(rng.standard_normal((1000, 5)), chunks=(250, 5))
    >>> y = X @ np.arange(5.0) + 1.0
    >>> stats = sd.gram_stats(X, y, scheduler="threads")
    >>> stats.n_samples, bool(np.isclose(stats.y_mean, y.mean().compute()))
    (1000, True)
    >>> model = sd.LassoCV(cv=4, alphas=20).fit(X, y)
    >>> model.mse_path_.shape
    (20, 4)
"""

from .statistics._dask import fold_statistics, from_npy, gram_stats

# ElasticNetCV and LassoCV come from __getattr__ (they need scikit-learn).
__all__ = ["ElasticNetCV", "LassoCV", "fold_statistics", "from_npy", "gram_stats"]  # noqa: F822


def __getattr__(name):
    # The estimators need scikit-learn (the statistics do not): imported on first use.
    if name in ("ElasticNetCV", "LassoCV"):
        from .estimators import _dask

        return getattr(_dask, name)
    raise AttributeError(f"module 'shrinkage.dask' has no attribute {name!r}")
