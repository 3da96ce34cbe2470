"""Row blocks of data too large for memory, for :meth:`GramStats.from_chunks`.

Each reader returns an iterable of ``(X, y)`` or ``(X, y, sample_weight)`` row blocks with a
``len`` (the number of blocks, when the source tells it), so a progress bar knows its total.
The next block is read on a background thread while the current one's statistics are
computed, so reading and BLAS overlap where the machine has the cores for both; at most three
blocks are alive at once, and peak memory is that plus the p x p statistics. ``.npy`` files are
read by direct I/O into recycled buffers (see :func:`npy_blocks`; measured faster on a cold 8 GB
file than plain reads into fresh buffers and than a memory map with read-ahead advice, whose page
faults stall the computing thread); memmaps given to :func:`array_blocks` are sliced (the OS
page cache then holds what was read, reclaimable but counted as resident).

    >>> import numpy as np, shrinkage, tempfile, os
    >>> rng = np.random.default_rng(0)
    >>> data = rng.standard_normal((1000, 4)); data[:, 3] = data[:, :3] @ [1.0, -2.0, 0.5]
    >>> path = os.path.join(tempfile.mkdtemp(), "data.npy"); np.save(path, data)
    >>> blocks = shrinkage.streams.npy_blocks(path, target=3, block_rows=300)
    >>> len(blocks)
    4
    >>> stats = shrinkage.GramStats.from_chunks(blocks)
    >>> bool(np.allclose(stats.gram, shrinkage.GramStats.from_arrays(data[:, :3], data[:, 3]).gram))
    True
"""

from __future__ import annotations

import errno
import itertools
import math
import mmap
import os
import queue
import threading
import weakref
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["array_blocks", "csv_blocks", "npy_blocks", "parquet_blocks"]

BLOCK_BYTES = 64 << 20  # default block: 64 MB of float64, enough for BLAS to run at full speed


class RowBlocks:
    """An iterable of row blocks with a known count (None: unknown), read one block ahead."""

    def __init__(self, read, n_blocks):
        self._read = read  # a function returning a fresh generator of blocks
        self._n_blocks = n_blocks

    def __len__(self):
        if self._n_blocks is None:
            raise TypeError("the number of blocks of this stream is not known in advance")
        return self._n_blocks

    def __iter__(self):
        return _read_ahead(self._read())


def array_blocks(X: Any, y: ArrayLike | None = None, *, target: int | None = None,
                 sample_weight: ArrayLike | None = None, block_rows: int | None = None
                 ) -> RowBlocks:
    """Row blocks of an in-memory array or a ``numpy.memmap``.

    Parameters
    ----------
    X : array of shape (n_samples, n_columns)
    y : array of shape (n_samples,) or (n_samples, n_targets), optional
        The target; or give ``target``.
    target : int, optional
        The column of X that is the target (the other columns are the features).
    sample_weight : array of shape (n_samples,), optional
    block_rows : int, optional
        Rows per block (default: about 64 MB of float64).
    """
    n, n_columns = _check_matrix(X, "X")
    features, target = _split_columns(n_columns, y, target)
    y = _check_rows(y, n, "y")
    sample_weight = _check_rows(sample_weight, n, "sample_weight")
    block_rows = _block_rows(block_rows, n_columns)

    def read():
        for start in range(0, n, block_rows):
            rows = slice(start, min(n, start + block_rows))
            yield _block(np.asarray(X[rows]), features, target, y, sample_weight, rows)

    return RowBlocks(read, math.ceil(n / block_rows))


def npy_blocks(path: Any, y: Any = None, *, target: int | None = None,
               sample_weight: Any = None, block_rows: int | None = None) -> RowBlocks:
    """Row blocks of a C-ordered ``.npy`` file, read by direct I/O into recycled buffers.

    Blocks are read with ``O_DIRECT`` where the OS and file system allow it (plain reads
    otherwise) into a few page-aligned buffers that are reused once no block made from them is
    alive: the page cache is bypassed and no fresh memory is touched per block, which on the
    development VM cut an 8 GB stream from 22-29 s to 14 s (the file is larger than one wants
    cached anyway; a file already in the cache is read from disk again). ``y`` and
    ``sample_weight`` may be arrays or paths of ``.npy`` files (read whole: they are
    n-vectors). Other parameters as :func:`array_blocks`. A Fortran-ordered file has no
    contiguous rows: it is read through a memmap.
    """
    layout = NpyLayout(path)
    y, sample_weight = (np.load(a) if isinstance(a, (str, bytes)) or hasattr(a, "__fspath__")
                        else a for a in (y, sample_weight))
    if layout.fortran_order:
        return array_blocks(np.load(path, mmap_mode="r"), y, target=target,
                            sample_weight=sample_weight, block_rows=block_rows)
    n, n_columns = layout.shape
    features, target = _split_columns(n_columns, y, target)
    y = _check_rows(y, n, "y")
    sample_weight = _check_rows(sample_weight, n, "sample_weight")
    block_rows = _block_rows(block_rows, n_columns)

    def read():
        pool = _BufferPool()
        with _RawFile(path) as file:
            for start in range(0, n, block_rows):
                rows = slice(start, min(n, start + block_rows))
                block = layout.read_rows(file, pool, rows.start, rows.stop)
                yield _block(block, features, target, y, sample_weight, rows)

    return RowBlocks(read, math.ceil(n / block_rows))


class NpyLayout:
    """Where a 2-D numeric ``.npy`` file keeps its rows: shape, dtype, order, data offset."""

    def __init__(self, path):
        with open(path, "rb") as file:
            version = np.lib.format.read_magic(file)
            header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                      else np.lib.format.read_array_header_2_0)  # 3.0 differs only in encoding
            self.shape, self.fortran_order, self.dtype = header(file)
            self.offset = file.tell()
        self.path = path
        if len(self.shape) != 2:
            raise ValueError(f"{path}: expected a 2-D array, got shape {self.shape}")
        if self.dtype.hasobject or self.dtype.kind not in "fiu":
            raise ValueError(f"{path}: expected a numeric array, got dtype {self.dtype}")
        n, n_columns = self.shape
        self.row_bytes = n_columns * self.dtype.itemsize
        available = (os.path.getsize(path) - self.offset) // max(1, self.row_bytes)
        if available < n:
            raise ValueError(f"{path} holds {available} of its {n} rows: the file is truncated")

    def read_rows(self, file, pool, start, stop):
        """Rows [start, stop) of a C-ordered file as an array over a buffer lent by `pool`."""
        # Whole aligned pages around the rows' bytes (O_DIRECT needs them).
        first, end = self.offset + start * self.row_bytes, self.offset + stop * self.row_bytes
        aligned = first - first % _ALIGN
        length = -(-(end - aligned) // _ALIGN) * _ALIGN
        buffer = pool.take(length)
        try:
            got = file.read_at(buffer, length, aligned)
        except BaseException:
            pool.give_back(buffer)
            raise
        if got < end - aligned:
            pool.give_back(buffer)
            raise ValueError(f"{self.path} ended while read (before row {stop} of "
                             f"{self.shape[0]})")
        rows = np.frombuffer(buffer, dtype=self.dtype, count=(stop - start) * self.shape[1],
                             offset=first - aligned)
        # Every view of the block (its reshape, a target column, a dask slice) has `rows` as
        # its base, so the buffer is reused only once all of them are gone.
        pool.lend(buffer, rows)
        return rows.reshape(-1, self.shape[1])


def csv_blocks(path: Any, *, target: str | int, sample_weight: str | int | None = None,
               columns: Sequence[str | int] | None = None, delimiter: str = ",",
               header: bool = True, block_rows: int | None = None) -> RowBlocks:
    """Row blocks of a numeric CSV file.

    Parameters
    ----------
    path : str or path
    target : str or int
        The target column: a name from the header, or an index.
    sample_weight : str or int, optional
        A column of weights.
    columns : sequence of str or int, optional
        The feature columns (default: all others).
    delimiter : str
    header : bool
        Whether the first line names the columns.
    block_rows : int, optional
    """
    with open(path) as file:
        first = file.readline()
    if not first.strip():
        raise ValueError(f"{path} is empty")
    names = [name.strip().strip('"') for name in first.rstrip("\n").split(delimiter)]
    if not header:
        names = [str(j) for j in range(len(names))]
    index = _column_indexer(names, path)
    target_col = index(target)
    weight_col = None if sample_weight is None else index(sample_weight)
    taken = {target_col, weight_col}
    features = ([index(c) for c in columns] if columns is not None
                else [j for j in range(len(names)) if j not in taken])
    _check_roles(path, [names[j] for j in features], names[target_col],
                 None if weight_col is None else names[weight_col])
    block_rows = _block_rows(block_rows, len(names))

    def read():
        with open(path) as file:
            if header:
                file.readline()
            first_line = 2 if header else 1
            while True:
                lines = list(itertools.islice(file, block_rows))
                if not lines:
                    return
                try:
                    table = np.loadtxt(lines, delimiter=delimiter, dtype=np.float64, ndmin=2)
                except ValueError as error:
                    raise ValueError(f"{path}, lines {first_line}-{first_line + len(lines) - 1}: "
                                     f"{error}") from None
                if table.shape[1] != len(names):
                    raise ValueError(f"{path}, lines from {first_line}: {table.shape[1]} columns, "
                                     f"the header has {len(names)}")
                first_line += len(lines)
                X = table[:, features]
                if weight_col is None:
                    yield X, table[:, target_col]
                else:
                    yield X, table[:, target_col], table[:, weight_col]

    return RowBlocks(read, None)


def parquet_blocks(path: Any, *, target: str, sample_weight: str | None = None,
                   columns: Sequence[str] | None = None, block_rows: int | None = None
                   ) -> RowBlocks:
    """Row blocks of a Parquet file (needs pyarrow), read batch by batch.

    ``target`` and ``sample_weight`` are column names; ``columns`` the feature columns (default:
    all others). Missing values become NaN and are rejected by the statistics.
    """
    try:
        import pyarrow.parquet as pq
    except ImportError as error:
        raise ImportError("parquet_blocks needs pyarrow: pip install pyarrow") from error
    metadata = pq.ParquetFile(path).metadata
    names = list(metadata.schema.names)
    for name in [target, sample_weight, *(columns or [])]:
        if name is not None and name not in names:
            raise ValueError(f"{path} has no column {name!r} (columns: {names})")
    features = list(columns) if columns is not None else [
        c for c in names if c not in (target, sample_weight)]
    _check_roles(path, features, target, sample_weight)
    wanted = [*features, target] + ([] if sample_weight is None else [sample_weight])
    block_rows = _block_rows(block_rows, len(wanted))

    def read():
        with pq.ParquetFile(path) as file:
            for batch in file.iter_batches(batch_size=block_rows, columns=wanted):
                arrays = [np.asarray(batch.column(name).to_numpy(zero_copy_only=False),
                                     dtype=np.float64) for name in wanted]
                X = np.column_stack(arrays[: len(features)])
                yield (X, *arrays[len(features):])

    return RowBlocks(read, math.ceil(metadata.num_rows / block_rows))


# -- helpers -------------------------------------------------------------------------------------

_HAS_PREADV = hasattr(os, "preadv")  # not on Windows
_ALIGN = 4096  # O_DIRECT's alignment of offsets, lengths and buffers on common file systems


class _RawFile:
    """A file read at offsets, with O_DIRECT when the OS and file system accept it."""

    def __init__(self, path):
        self._path = path
        self._direct = hasattr(os, "O_DIRECT")
        self._fd = None

    def __enter__(self):
        try:
            self._fd = os.open(self._path, os.O_RDONLY | (os.O_DIRECT if self._direct else 0))
        except OSError:  # e.g. tmpfs refuses O_DIRECT
            self._direct = False
            self._fd = os.open(self._path, os.O_RDONLY)
        return self

    def __exit__(self, *exc):
        os.close(self._fd)

    def read_at(self, buffer, length, offset):
        view = memoryview(buffer)[:length]
        if not _HAS_PREADV:  # Windows: a positioned read through the file descriptor
            os.lseek(self._fd, offset, os.SEEK_SET)
            with open(self._fd, "rb", buffering=0, closefd=False) as file:
                return file.readinto(view)
        try:
            return os.preadv(self._fd, [view], offset)
        except OSError as error:
            if not self._direct or error.errno != errno.EINVAL:
                raise
            os.close(self._fd)  # opened, but direct reads refused: read through the cache
            self._direct = False
            self._fd = os.open(self._path, os.O_RDONLY)
            return os.preadv(self._fd, [view], offset)


class _BufferPool:
    """Page-aligned buffers, each reused once the array lent from it (the base of every view of
    it) is gone; the pool grows only while the consumer keeps blocks."""

    def __init__(self):
        # [buffer, state]: None free, False taken, or a weak reference to the array lent from it
        self._entries = []
        self._lock = threading.Lock()  # one pool may serve a process's threads (dask workers)

    def take(self, length):
        with self._lock:
            for entry in self._entries:
                buffer, lent = entry
                if len(buffer) >= length and lent is not False and (lent is None or lent() is None):
                    entry[1] = False  # taken, not yet lent
                    return buffer
            buffer = mmap.mmap(-1, length)  # anonymous: page-aligned, as O_DIRECT needs
            self._entries.append([buffer, False])
            return buffer

    def lend(self, buffer, array):
        self._mark(buffer, weakref.ref(array))

    def give_back(self, buffer):
        self._mark(buffer, None)

    def _mark(self, buffer, state):
        with self._lock:
            for entry in self._entries:
                if entry[0] is buffer:
                    entry[1] = state


def _read_ahead(blocks):
    """Yield from `blocks` while a thread reads the next one (file reads release the GIL).

    However the consumer leaves (the stream exhausted, ``break``, an exception, Ctrl-C, the
    generator collected), the reader stops within a poll interval: it never blocks on a full
    hand-off, and it closes `blocks` (so files and buffers are released) on its way out."""
    handoff = queue.Queue(maxsize=1)
    done = object()
    stop = threading.Event()

    def offer(item):
        """Hands item over unless the consumer has left; returns whether it was handed."""
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce():
        try:
            for block in blocks:
                if not offer((block, None)):
                    return
            offer((done, None))
        except BaseException as error:  # handed to the consumer, raised there
            offer((done, error))
        finally:
            blocks.close()

    reader = threading.Thread(target=produce, daemon=True)
    reader.start()
    try:
        while True:
            block, error = handoff.get()
            if error is not None:
                raise error
            if block is done:
                return
            yield block
    finally:
        stop.set()
        reader.join()


def _check_matrix(X, name):
    if getattr(X, "ndim", None) != 2:
        raise ValueError(f"{name} must be a 2-D array, got {type(X).__name__} with shape "
                         f"{getattr(X, 'shape', None)}")
    return X.shape


def _check_rows(a, n, name):
    if a is None:
        return None
    if len(a) != n:
        raise ValueError(f"{name} has {len(a)} rows, X has {n}")
    return a


def _split_columns(n_columns, y, target):
    if (y is None) == (target is None):
        raise ValueError("give exactly one of y (an array) and target (a column of X)")
    if target is None:
        return slice(None), None
    target = int(target)
    if not -n_columns <= target < n_columns:
        raise ValueError(f"target column {target} is out of range for {n_columns} columns")
    target %= n_columns
    return np.delete(np.arange(n_columns), target), target


def _block_rows(block_rows, n_columns):
    if block_rows is None:
        return max(1, BLOCK_BYTES // (8 * max(1, n_columns)))
    if int(block_rows) < 1:
        raise ValueError(f"block_rows must be positive, got {block_rows}")
    return int(block_rows)


def _block(block, features, target, y, sample_weight, rows):
    if target is None:
        X, y_block = block, np.asarray(y[rows])
    else:
        X, y_block = block[:, features], block[:, target]
    if sample_weight is None:
        return X, y_block
    return X, y_block, np.asarray(sample_weight[rows])


def _check_roles(path, features, target, weight):
    """A column is a feature, the target or the weight, never two of them: a target read as a
    feature too gives a perfect, meaningless fit."""
    for role, name in (("target", target), ("sample_weight", weight)):
        if name is not None and name in features:
            raise ValueError(f"{path}: the {role} column {name!r} is also a feature column")
    if target == weight:
        raise ValueError(f"{path}: column {target!r} is both the target and the sample_weight")


def _column_indexer(names, path):
    def index(column):
        if isinstance(column, str) and not column.lstrip("-").isdigit():
            if column not in names:
                raise ValueError(f"{path} has no column {column!r} (columns: {names})")
            if names.count(column) > 1:
                raise ValueError(f"{path}: the header names {column!r} {names.count(column)} "
                                 "times; give the column by its index")
            return names.index(column)
        j = int(column)
        if not -len(names) <= j < len(names):
            raise ValueError(f"{path}: column {j} is out of range for {len(names)} columns")
        return j % len(names)
    return index
