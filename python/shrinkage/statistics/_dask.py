"""Statistics of Dask collections (see :mod:`shrinkage.dask`): row blocks' GramStats where
the blocks live, merged by a tree reduction; no scikit-learn."""


from __future__ import annotations

import os
from typing import Any

import numpy as np

try:
    import dask
    import dask.array as da
except ImportError as error:  # pragma: no cover - exercised only without dask
    raise ImportError(f"shrinkage.dask needs dask's arrays: pip install 'shrinkage[dask]' "
                      f"({error})") from error
try:  # dataframes are optional: dask.dataframe needs pandas and pyarrow
    import dask.dataframe as dd
except ImportError:  # pragma: no cover - exercised only without pandas / pyarrow
    dd = None  # type: ignore[assignment]

from .. import streams
from .._validation import check_X
from ._folds import statistics_of_rows
from ._gramstats import GramStats, check_sample_weight


def _is_dataframe(X):
    return dd is not None and isinstance(X, dd.DataFrame)


def gram_stats(X: Any, y: Any = None, sample_weight: Any = None, *, target: Any = None,
               split_every: int = 8, **compute_kwargs: Any) -> GramStats:
    """:class:`~shrinkage.GramStats` of a dask array or dataframe, reduced as a tree.

    Parameters
    ----------
    X : dask.array of shape (n_samples, n_features), or dask.dataframe.DataFrame
        Row-chunked (column chunks are merged). A dataframe holds the target (and weights).
    y : dask.array of shape (n_samples,) or (n_samples, n_targets)
        For an array X: the target, chunked like X's rows or rechunked to them.
    sample_weight : dask.array (array X) or column name (dataframe), optional
    target : str
        For a dataframe: the target column (all other columns but the weights are features).
    split_every : int
        Summaries merged per task of the reduction tree.
    **compute_kwargs
        Passed to ``dask.compute`` (e.g. ``scheduler="threads"``); by default the active
        scheduler or distributed client.
    """
    blocks = _blocks(X, y, sample_weight, target)
    parts = [dask.delayed(_block_statistics)(*block) for block in blocks]
    (stats,) = dask.compute(_tree(parts, _merge, split_every), **compute_kwargs)
    return _checked_total(stats)


def fold_statistics(X: Any, y: Any = None, sample_weight: Any = None, *, cv: Any = 5,
                    target: Any = None, split_every: int = 8, **compute_kwargs: Any
                    ) -> tuple[GramStats, list[GramStats]]:
    """Per-fold :class:`~shrinkage.GramStats` of a dask collection, in one pass over it.

    ``cv``: the number of contiguous folds (those of ``sklearn.model_selection.KFold(cv)``,
    no shuffling), or a dask array of integer fold labels per row, chunked like X's rows (as
    ``PredefinedSplit``; rows labelled < 0 are in every training set and no test fold).
    Returns ``(total, folds)``: the statistics of all rows and the list of test folds', ordered
    by label; fold k's training statistics are ``total - folds[k]``.
    """
    blocks = _blocks(X, y, sample_weight, target)
    labels, n_folds = _fold_labels(X, cv)
    parts = [dask.delayed(_block_fold_statistics)(*block, rows, n_folds)
             for block, rows in zip(blocks, labels, strict=True)]
    (groups,) = dask.compute(_tree(parts, _merge_lists, split_every), **compute_kwargs)
    folds = groups[:n_folds]  # the last group: rows in no test fold
    if any(f is None for f in folds):
        empty = [k for k, f in enumerate(folds) if f is None]
        raise ValueError(f"folds {empty} have no rows with positive weight")
    return _checked_total(_merge(*groups)), folds


def from_npy(path: Any, *, block_rows: int | None = None) -> Any:
    """A row-chunked dask array of a C-ordered 2-D ``.npy`` file, each chunk read by the worker
    that computes it: direct I/O into buffers recycled within the worker's process, as
    :func:`shrinkage.streams.npy_blocks` (every worker must see the file at ``path``).
    ``block_rows``: rows per chunk (default: about 64 MB)."""
    layout = streams.NpyLayout(path)
    if layout.fortran_order:
        raise ValueError(f"{path} is Fortran-ordered: its rows are not contiguous; use "
                         "da.from_array(np.load(path, mmap_mode='r'))")
    n, p = layout.shape
    rows = streams._block_rows(block_rows, p)
    path = os.fspath(path)
    chunks = [da.from_delayed(dask.delayed(_read_npy_rows, pure=True)(path, start, stop),
                              shape=(stop - start, p), dtype=layout.dtype)
              for start, stop in ((s, min(n, s + rows)) for s in range(0, n, rows))]
    return da.concatenate(chunks) if chunks else da.zeros((0, p), dtype=layout.dtype)


_PROCESS_POOL = streams._BufferPool()  # the read buffers of this (worker) process


def _read_npy_rows(path, start, stop):
    with streams._RawFile(path) as file:
        return streams.NpyLayout(path).read_rows(file, _PROCESS_POOL, start, stop)


# -- blocks ---------------------------------------------------------------------------------------

def _blocks(X, y, sample_weight, target):
    """One (X, y, w) tuple of delayed blocks per row chunk."""
    if _is_dataframe(X):
        if target is None or y is not None:
            raise ValueError("for a dask DataFrame give target= (a column name), not y")
        missing = [c for c in (target, sample_weight) if c is not None and c not in X.columns]
        if missing:
            raise ValueError(f"the DataFrame has no column(s) {missing}")
        features = [c for c in X.columns if c not in (target, sample_weight)]
        parts = X.to_delayed()
        return [(dask.delayed(_frame_columns)(part, features),
                 dask.delayed(_frame_columns)(part, target),
                 None if sample_weight is None
                 else dask.delayed(_frame_columns)(part, sample_weight))
                for part in parts]
    if not isinstance(X, da.Array) or X.ndim != 2:
        raise ValueError(f"X must be a 2-D dask array or a dask DataFrame, got {type(X).__name__}")
    if target is not None or y is None:
        raise ValueError("for a dask array X give y (a dask array), not target")
    if any(np.isnan(c) for c in X.chunks[0]):
        raise ValueError("X has unknown chunk sizes: call X.compute_chunk_sizes() first")
    X = X.rechunk({1: -1})
    ys = _aligned(y, X, "y")
    ws = None if sample_weight is None else _aligned(sample_weight, X, "sample_weight")
    xs = X.to_delayed().ravel()
    return [(xs[i], ys[i], None if ws is None else ws[i]) for i in range(len(xs))]


def _aligned(a, X, name):
    a = da.asarray(a)
    if a.shape[0] != X.shape[0] or a.ndim not in (1, 2):
        raise ValueError(f"{name} has shape {a.shape}, X has {X.shape[0]} rows")
    a = a.rechunk((X.chunks[0],) + ((-1,) if a.ndim == 2 else ()))
    return a.to_delayed().ravel()


def _fold_labels(X, cv):
    """Per row chunk its fold labels (delayed) or (first row, fold ends); the number of folds."""
    if isinstance(cv, da.Array):
        if _is_dataframe(X):
            raise ValueError("fold labels as an array need a dask array X; for a DataFrame "
                             "use cv=k (contiguous folds)")
        labels = _aligned(cv, X, "cv labels")
        n_folds = int(cv.max().compute()) + 1
        return labels, n_folds
    n_folds = int(cv)
    if n_folds < 2:
        raise ValueError(f"cv must be at least 2 folds, got {cv}")
    # A DataFrame's partition lengths take one light pass; an array's are in its chunks.
    sizes = X.map_partitions(len).compute() if _is_dataframe(X) else X.chunks[0]
    n = int(sum(sizes))
    if n < n_folds:
        raise ValueError(f"cv={n_folds} folds for {n} rows")
    # KFold(n_folds): the first n % n_folds folds have one row more.
    fold_sizes = np.full(n_folds, n // n_folds)
    fold_sizes[: n % n_folds] += 1
    stops = np.cumsum(fold_sizes)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(int)
    # Each task derives its rows' labels from its first row: no per-row data in the graph.
    return [(start, stops) for start in starts], n_folds


# -- tasks ----------------------------------------------------------------------------------------

def _frame_columns(frame, columns):
    return frame[columns].to_numpy(dtype=np.float64)


def _block_statistics(X, y, w):
    X, y = np.asarray(X), np.asarray(y)
    w = None if w is None else np.asarray(w, dtype=np.float64)
    return None if _weightless(X.shape[0], w) else GramStats.from_arrays(X, y, w)


def _weightless(n_rows, w):
    """No rows, or none of positive weight: nothing to contribute (a block may be empty)."""
    return n_rows == 0 or (w is not None and not w.sum() > 0)


def _block_fold_statistics(X, y, w, labels, n_folds):
    """Statistics of each fold's rows in the block, then of the rows in no fold. ``labels``:
    the block's labels, or (first row, fold ends) of contiguous folds."""
    if np.shape(X)[0] == 0:  # an empty chunk holds nothing of any fold
        return [None] * (n_folds + 1)
    X, y = check_X(X), np.asarray(y)
    w = None if w is None else check_sample_weight(w, X.shape[0])
    if isinstance(labels, tuple):
        start, stops = labels
        labels = np.searchsorted(stops, np.arange(start, start + X.shape[0]), side="right")
    labels = np.asarray(labels)
    out = []
    for k in range(n_folds + 1):  # the folds, then the rows in none of them
        rows = np.flatnonzero(labels == k if k < n_folds else (labels < 0) | (labels >= n_folds))
        empty = _weightless(rows.size, None if w is None else w[rows])
        out.append(None if empty else statistics_of_rows(X, y, w, rows))  # X is not copied
    return out


def _merge(*parts):
    total = None
    for part in parts:
        if part is not None:
            total = part if total is None else total + part
    return total


def _merge_lists(*lists):
    return [_merge(*column) for column in zip(*lists, strict=True)]


def _tree(parts, combine, split_every):
    if int(split_every) < 2:
        raise ValueError(f"split_every must be at least 2, got {split_every}")
    if not parts:
        raise ValueError("the collection has no row blocks")
    while len(parts) > 1:
        parts = [dask.delayed(combine)(*parts[i:i + split_every])
                 for i in range(0, len(parts), split_every)]
    return parts[0]


def _checked_total(stats):
    if stats is None:
        raise ValueError("the collection has no rows with positive weight")
    return stats
