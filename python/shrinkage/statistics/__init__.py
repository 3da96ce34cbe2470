"""Sufficient statistics and where they come from: :class:`GramStats` (merged and un-merged
exactly), the statistics of cross-validation folds from one pass over the data, and their
reduction on Dask (:mod:`shrinkage.dask`). Needs no scikit-learn."""

from ._gramstats import GramStats

__all__ = ["GramStats"]
