"""``shrinkage.dask.LassoCV`` / ``ElasticNetCV``: fold statistics on the cluster, paths local."""

from __future__ import annotations

import numpy as np

from ..statistics._dask import fold_statistics
from ..statistics._folds import Fold
from . import _cv


class _OnDask:
    """``fit`` on dask collections: one pass computes every fold's statistics where the data
    live; the paths are then solved locally from the p x p summaries."""

    def fit(self, X, y=None, sample_weight=None, *, target=None):
        """Cross-validate on a dask array (with ``y``) or dataframe (with ``target``)."""
        l1_ratios = self._checked_l1_ratios()
        total, tests = fold_statistics(X, y, sample_weight,
                                       cv=self.cv if self.cv is not None else 5, target=target)
        self.n_features_in_ = total.n_features
        if total.n_targets is not None:
            raise ValueError(f"For multi-task outputs, use MultiTask{type(self).__name__}")
        return self._fit_statistics(total, [Fold(t, total=total) for t in tests], l1_ratios,
                                    np.dtype(np.float64))


# fit takes dask collections (and target=) where the in-memory estimators take arrays.
class ElasticNetCV(_OnDask, _cv.ElasticNetCV):  # type: ignore[misc]
    """:class:`shrinkage.ElasticNetCV` on dask collections: same parameters, attributes and
    selection; ``cv`` is a number of contiguous folds (KFold without shuffling) or a dask array
    of fold labels (see :func:`shrinkage.dask.fold_statistics`)."""


class LassoCV(_OnDask, _cv.LassoCV):  # type: ignore[misc]
    """:class:`shrinkage.LassoCV` on dask collections: same parameters, attributes and
    selection; ``cv`` is a number of contiguous folds (KFold without shuffling) or a dask array
    of fold labels (see :func:`shrinkage.dask.fold_statistics`)."""
