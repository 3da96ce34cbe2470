"""``GramStats``: mergeable sufficient statistics of a weighted, intercept-fitted linear model."""

from __future__ import annotations

import contextlib
import itertools
import numbers
import sys
import zipfile
from collections.abc import Iterable
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike

from .. import _core
from .._memory import add_outer, check_square
from .._validation import check_finite_statistics, check_X, check_y

_FIELDS = ("n_samples", "weight_sum", "x_mean", "y_mean", "gram", "xy", "yy")


class GramStats:
    """Sufficient statistics of (X, y) for the intercept-fitted, weighted least-squares family.

    With row weights ``w`` (all ones by default) and weighted means ``x_mean``, ``y_mean``:

    - ``n_samples``: number of rows; ``weight_sum``: sum of the weights W,
    - ``gram`` = (X - x_mean)^T diag(w) (X - x_mean), a p x p co-moment (not divided by W),
    - ``xy`` = (X - x_mean)^T diag(w) (y - y_mean), shape (p,) or (p, n_targets),
    - ``yy`` = sum w (y - y_mean)^2, a float or one per target.

    A Lasso / ElasticNet / Ridge path with an intercept needs nothing else: pass a ``GramStats``
    as X (with y=None) to :func:`lasso_path`, :func:`enet_path`, :func:`ridge_path` or an
    estimator's ``fit``. Statistics of disjoint row sets merge with ``+`` and un-merge with
    ``-`` by the pairwise update of means and co-moments (Chan, Golub & LeVeque), which stays
    accurate when the means dwarf the spread. Everything is float64, whatever the data's dtype.

    Examples
    --------
    >>> import numpy as np, shrinkage
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((100, 3)) + 1e6; y = X @ [1.0, 0.0, -1.0]
    >>> whole = shrinkage.GramStats.from_arrays(X, y)
    >>> head = shrinkage.GramStats.from_arrays(X[:40], y[:40])
    >>> parts = head + shrinkage.GramStats.from_arrays(X[40:], y[40:])
    >>> bool(np.allclose(parts.gram, whole.gram, rtol=1e-9))
    True
    >>> (whole - shrinkage.GramStats.from_arrays(X[:40], y[:40])).n_samples
    60
    """

    __slots__ = _FIELDS

    def __init__(self, n_samples, weight_sum, x_mean, y_mean, gram, xy, yy):
        self.n_samples = int(n_samples)
        self.weight_sum = float(weight_sum)
        self.x_mean = np.asarray(x_mean, dtype=np.float64)
        self.y_mean = np.asarray(y_mean, dtype=np.float64)
        self.gram = np.asarray(gram, dtype=np.float64)
        self.xy = np.asarray(xy, dtype=np.float64)
        self.yy = np.asarray(yy, dtype=np.float64)
        p = self.x_mean.shape[0] if self.x_mean.ndim == 1 else -1
        k = () if self.y_mean.ndim == 0 else self.y_mean.shape
        if (p < 1 or self.gram.shape != (p, p) or self.xy.shape != (p, *k)
                or self.yy.shape != k or len(k) > 1):
            raise ValueError(
                "GramStats: inconsistent shapes: x_mean (p,), gram (p, p), y_mean () or (k,), "
                f"xy (p,) or (p, k), yy () or (k,); got x_mean {self.x_mean.shape}, gram "
                f"{self.gram.shape}, y_mean {self.y_mean.shape}, xy {self.xy.shape}, yy "
                f"{self.yy.shape}."
            )
        if self.n_samples < 0 or not 0 <= self.weight_sum < np.inf:
            raise ValueError("GramStats: n_samples and weight_sum must be finite and "
                             "non-negative.")

    def check(self) -> GramStats:
        """Raises ValueError naming what makes these statistics impossible for any data: a
        non-finite entry, no weight, an asymmetric gram, a negative variance (diagonal or yy),
        or ``|xy_j| > sqrt(gram_jj yy)`` (a correlation beyond 1). O(p^2); what it cannot see
        cheaply (a gram that is not positive semi-definite beyond its 2 x 2 minors) shows as a
        negative duality gap, which the solvers refuse to report as a certificate."""
        for name in ("x_mean", "y_mean", "gram", "xy", "yy"):
            if not np.isfinite(getattr(self, name)).all():
                raise ValueError(f"GramStats: {name} contains NaN or infinity.")
        if self.weight_sum <= 0:
            raise ValueError(f"{self!r} holds no data (weight_sum is 0).")
        diag = np.diag(self.gram)
        yy = np.atleast_1d(self.yy)
        # Rounding of co-moments merged and un-merged: far below these slacks.
        slack_x = 1e-9 * max(float(np.abs(diag).max()), np.finfo(float).tiny)
        slack_y = 1e-9 * max(float(np.abs(yy).max()), np.finfo(float).tiny)
        rows = max(1, (1 << 20) // diag.size)  # in row blocks: no p x p temporary
        for start in range(0, diag.size, rows):
            block = slice(start, start + rows)
            if np.abs(self.gram[block] - self.gram[:, block].T).max() > slack_x:
                raise ValueError("GramStats: gram is not symmetric.")
        if (diag < -slack_x).any():
            raise ValueError(f"GramStats: gram has a negative diagonal entry (a variance) at "
                             f"feature {int(np.argmin(diag))}: not the statistics of any data "
                             "(subtracting statistics that were not part of these?).")
        if (yy < -slack_y).any():
            raise ValueError("GramStats: yy is negative: not the statistics of any data.")
        xy = self.xy.reshape(diag.size, -1)
        bound = np.sqrt(np.outer(np.maximum(diag, 0), np.maximum(yy, 0)))
        if (np.abs(xy) > bound * (1 + 1e-6) + np.sqrt(slack_x * slack_y)).any():
            raise ValueError("GramStats: |xy_j| exceeds sqrt(gram_jj * yy) (a correlation "
                             "beyond 1): gram, xy and yy are not the statistics of one data "
                             "set.")
        return self

    # -- construction ------------------------------------------------------------------------
    @classmethod
    def from_arrays(cls, X: Any, y: ArrayLike, sample_weight: ArrayLike | None = None
                    ) -> GramStats:
        """Statistics of one block of rows (dense or sparse X, 1-D or 2-D y).

        Dense X goes through the C++ kernel in row blocks (BLAS syrk about the weighted mean,
        no copy of X); sparse X through sparse products, X^T W X - W m m^T, with the columns
        whose means are large against their spread (where that subtraction would lose
        digits) centred explicitly.
        """
        X = check_X(X)
        n = X.shape[0]
        y = check_y(y, n, np.float64)
        Y = np.asfortranarray(y.reshape(n, -1), dtype=np.float64)
        w = check_sample_weight(sample_weight, n)
        if sp.issparse(X):
            weight_sum, x_mean, y_mean, gram, xy, yy = _sparse_moments(X, Y, w)
        else:
            weight_sum, x_mean, y_mean, gram, xy, yy = centred_moments(X, Y, w)
        return cls._from_2d(n, weight_sum, x_mean, y_mean, gram, xy, yy, y.ndim == 2)

    @classmethod
    def from_chunks(cls, chunks: Iterable[tuple], *, progress: bool = False,
                    total: int | None = None) -> GramStats:
        """Merge the statistics of an iterable of ``(X, y)`` or ``(X, y, sample_weight)`` blocks.

        Blocks are merged pairwise as a binary tree (a stack of O(log n_blocks) partial sums),
        so rounding grows like log(n_blocks), not n_blocks. Peak memory: one block plus a few
        p x p matrices. ``progress=True`` shows a tqdm progress bar (if tqdm is installed) of
        ``total`` blocks (by default ``len(chunks)`` when it has one). Readers of files and
        memmaps: :mod:`shrinkage.streams`.
        """
        if total is None:
            try:  # streams know their block count, or raise TypeError when they cannot
                total = len(chunks)  # type: ignore[arg-type]
            except TypeError:
                total = None
        stack: list[tuple[int, GramStats]] = []  # (level, stats): a binary counter of sums
        blocks = iter(_with_progress(chunks, progress, total))
        for number in itertools.count():
            try:
                chunk = next(blocks)
            except StopIteration:
                break
            except Exception as error:  # the source's own error, with where it happened
                _add_note(error, f"GramStats.from_chunks: raised by the source of blocks after "
                                 f"{number} blocks")
                raise
            if not isinstance(chunk, (tuple, list)) or len(chunk) not in (2, 3):
                raise ValueError("from_chunks expects (X, y) or (X, y, sample_weight) blocks.")
            try:
                item = (0, cls.from_arrays(*chunk))
            except ValueError as error:
                _add_note(error, f"GramStats.from_chunks: in block {number}")
                raise
            while stack and stack[-1][0] == item[0]:
                level, left = stack.pop()
                item = (level + 1, left + item[1])
            stack.append(item)
        if not stack:
            raise ValueError("from_chunks got no blocks.")
        result = stack.pop()[1]
        while stack:
            result = stack.pop()[1] + result
        return result

    @classmethod
    def _from_2d(cls, n, weight_sum, x_mean, y_mean, gram, xy, yy, targets_2d):
        if targets_2d:
            return cls(n, weight_sum, x_mean, y_mean, gram, xy, yy)
        return cls(n, weight_sum, x_mean, y_mean[0], gram, xy[:, 0], yy[0])

    # -- shape ----------------------------------------------------------------------------------
    @property
    def n_features(self):
        return self.x_mean.shape[0]

    @property
    def n_targets(self):
        """None for statistics of a 1-D y, else the number of columns of y."""
        return None if self.y_mean.ndim == 0 else self.y_mean.shape[0]

    def __repr__(self):
        targets = "" if self.n_targets is None else f", n_targets={self.n_targets}"
        return (f"GramStats(n_samples={self.n_samples}, n_features={self.n_features}"
                f"{targets}, weight_sum={self.weight_sum:g})")

    # -- merging -----------------------------------------------------------------------------
    def _check_compatible(self, other):
        if not isinstance(other, GramStats):
            return False
        if other.n_features != self.n_features or other.n_targets != self.n_targets:
            raise ValueError(f"Cannot combine {self!r} with {other!r}: shapes differ.")
        return True

    def __add__(self, other):
        if not self._check_compatible(other):
            return NotImplemented
        if other.weight_sum == 0:
            return self._with(n_samples=self.n_samples + other.n_samples)
        if self.weight_sum == 0:
            return other._with(n_samples=self.n_samples + other.n_samples)
        W = self.weight_sum + other.weight_sum
        dx = other.x_mean - self.x_mean
        dy = other.y_mean - self.y_mean
        f = self.weight_sum * other.weight_sum / W
        share = other.weight_sum / W
        return GramStats(
            self.n_samples + other.n_samples, W,
            self.x_mean + dx * share, self.y_mean + dy * share,
            add_outer(self.gram + other.gram, f, dx, dx),
            self.xy + other.xy + f * np.multiply.outer(dx, dy),
            self.yy + other.yy + f * dy * dy,
        )

    def __sub__(self, other):
        """The statistics of the rows of ``self`` that are not in ``other`` (a subset of them)."""
        if not self._check_compatible(other):
            return NotImplemented
        n = self.n_samples - other.n_samples
        rest = self.weight_sum - other.weight_sum
        slack = 1e-12 * self.weight_sum  # rounding of the weight sums
        if n < 0 or rest < -slack:
            raise ValueError(f"Cannot subtract {other!r} from {self!r}: it holds more data.")
        if other.weight_sum == 0:
            return self._with(n_samples=n)
        if rest <= slack:  # nothing (of positive weight) left
            return GramStats(n, 0.0, np.zeros_like(self.x_mean), np.zeros_like(self.y_mean),
                             np.zeros_like(self.gram), np.zeros_like(self.xy),
                             np.zeros_like(self.yy))
        # Mean of the rest: m_r = m + (m - m_o) W_o / W_r with W_r = rest; the pairwise term
        # uses d = m_r - m_o.
        gx = self.x_mean - other.x_mean
        gy = self.y_mean - other.y_mean
        x_mean = self.x_mean + gx * (other.weight_sum / rest)
        y_mean = self.y_mean + gy * (other.weight_sum / rest)
        dx = gx * (self.weight_sum / rest)
        dy = gy * (self.weight_sum / rest)
        f = other.weight_sum * rest / self.weight_sum
        return GramStats(
            n, rest, x_mean, y_mean,
            add_outer(self.gram - other.gram, -f, dx, dx),
            self.xy - other.xy - f * np.multiply.outer(dx, dy),
            self.yy - other.yy - f * dy * dy,
        )

    def _with(self, **changes):
        values = {name: changes.get(name, getattr(self, name)) for name in _FIELDS}
        return GramStats(**values)

    # -- serialisation -----------------------------------------------------------------------
    def __getstate__(self):
        return {name: getattr(self, name) for name in _FIELDS}

    def __setstate__(self, state):
        GramStats.__init__(self, **state)

    def save(self, file: Any) -> None:
        """Write to an ``.npz`` file (``np.savez``); read back with :meth:`load`."""
        np.savez(file, **self.__getstate__())

    @classmethod
    def load(cls, file: Any) -> GramStats:
        """Read statistics written by :meth:`save` (a path or a binary file object)."""
        with contextlib.ExitStack() as stack:
            if isinstance(file, (str, bytes)) or hasattr(file, "__fspath__"):
                file = stack.enter_context(open(file, "rb"))  # closed however loading ends
            try:
                data = stack.enter_context(np.load(file, allow_pickle=False))
                values = {name: data[name] for name in _FIELDS if name in data.files}
            except (zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
                raise ValueError(f"{file!r} is not a readable saved GramStats (truncated, or "
                                 f"not an .npz file): {error}") from error
            missing = set(_FIELDS) - set(values)
            if missing:
                raise ValueError(f"{file!r} is not a saved GramStats: missing {sorted(missing)}.")
            return cls(**values)

    # -- what the solvers read ----------------------------------------------------------------
    def uncentred(self):
        """(X^T W X, X^T W y, y^T W y): the moments about zero (the no-intercept problem)."""
        W = self.weight_sum
        return (self.gram + W * np.outer(self.x_mean, self.x_mean),
                self.xy + W * np.multiply.outer(self.x_mean, self.y_mean),
                self.yy + W * self.y_mean**2)


def _add_note(error, note):
    if hasattr(error, "add_note"):  # Python >= 3.11
        error.add_note(note)


def check_sample_weight(sample_weight: Any, n_samples: int) -> np.ndarray | None:
    """None, a scalar or one finite non-negative weight per sample; returns float64 or None."""
    if sample_weight is None:
        return None
    if isinstance(sample_weight, numbers.Number):
        sample_weight = np.full(n_samples, sample_weight, dtype=np.float64)
    w = np.asarray(sample_weight, dtype=np.float64)
    if w.ndim > 1:
        raise ValueError(f"Sample weights must be 1D array or scalar, got {w.ndim}D array "
                         f"(expected one weight per sample, {n_samples}).")
    if w.shape != (n_samples,):
        raise ValueError(
            f"sample_weight has shape {w.shape}, expected ({n_samples},) (one per sample)."
        )
    if not np.isfinite(w).all():
        raise ValueError("sample_weight contains NaN or infinity.")
    if (w < 0).any():
        raise ValueError("sample_weight must be non-negative.")
    return np.ascontiguousarray(w)


def check_fit_weight(sample_weight: Any, n_samples: int) -> np.ndarray | None:
    """check_sample_weight for a fit, which needs some weight: all-zero weights are refused
    (statistics of such rows are legal, and merge as nothing)."""
    w = check_sample_weight(sample_weight, n_samples)
    if w is not None and not w.any():
        raise ValueError("The sample weights sum to zero.")
    return w


def centred_moments(X, Y, w, rows=None, diagonal_only=False):
    """(W, x_mean, y_mean, gram, xy, yy) of dense X's rows (all, or ``rows``) about their
    weighted mean. Two passes: a mean estimate, then the kernel's shifted moments with the
    first-order correction, so the co-moments carry no cancellation."""
    # The shift only needs to be within about a spread of the mean (the kernel's first-order
    # sums make the result exact about any shift): 256 rows spread over the block suffice and
    # cost nothing next to the block itself.
    m = X.shape[0] if rows is None else len(rows)
    sample = np.linspace(0, m - 1, min(m, 256)).astype(np.int64)
    sample = sample if rows is None else np.asarray(rows)[sample]
    shift_x = _mean_estimate(X[sample], None if w is None else w[sample])
    shift_y = _mean_estimate(Y[sample], None if w is None else w[sample])
    if not diagonal_only:
        check_square(X.shape[1], "The Gram matrix of X", "use precompute=False (the lazy "
                     "path: Gram entries only for the working set) or the dual form.")
    W, s1x, s1y, s2xx, s2xy, s2yy = _core.shifted_moments(
        X, Y, None if rows is None else np.ascontiguousarray(rows, dtype=np.int64), w,
        shift_x, shift_y, diagonal_only)
    if W == 0:  # rows that count as samples and change nothing (the kernel skipped them)
        if not (np.isfinite(X if rows is None else X[rows]).all()
                and np.isfinite(Y if rows is None else Y[rows]).all()):
            raise ValueError("Input X or y contains NaN or infinity.")
        return _no_weight(X.shape[1], Y.shape[1], diagonal_only)
    dx, dy = s1x / W, s1y / W
    gram = s2xx.ravel() - W * dx * dx if diagonal_only else add_outer(s2xx, -W, dx, dx)
    check_finite_statistics(np.diag(gram) if not diagonal_only else gram)
    return (W, shift_x + dx, shift_y + dy, gram, s2xy - W * np.outer(dx, dy), s2yy - W * dy * dy)


def _no_weight(p, k, diagonal_only):
    """The moments of rows whose weights are all zero: the identity of merging."""
    gram = np.zeros(p) if diagonal_only else np.zeros((p, p))
    return 0.0, np.zeros(p), np.zeros(k), gram, np.zeros((p, k)), np.zeros(k)


def _mean_estimate(A, w):
    """A close shift for the moments kernel (its exact mean comes from the kernel's first-order
    sums); non-finite data are left for the kernel's output check."""
    with np.errstate(all="ignore"):
        if w is None or w.sum() <= 0:
            return np.ascontiguousarray(np.mean(A, axis=0, dtype=np.float64))
        return np.ascontiguousarray(np.average(A, axis=0, weights=w).astype(np.float64))


def _sparse_moments(X, Y, w):
    """Sparse X's moments by sparse products, X^T W X - W m m^T. Where that subtraction would
    cancel most digits of a column's variance (a large offset against the spread, such as a
    timestamp), the column is centred explicitly instead (_recentre)."""
    X = X.astype(np.float64, copy=False)  # products in double: the data array is nnz long
    W = float(X.shape[0]) if w is None else float(w.sum())
    if W == 0:  # rows that count as samples and change nothing (check_X saw them finite)
        return _no_weight(X.shape[1], Y.shape[1], diagonal_only=False)
    XW = X if w is None else sp.diags(w) @ X
    x_mean = np.asarray(XW.sum(axis=0), dtype=np.float64).ravel() / W
    WY = Y if w is None else Y * w[:, None]
    y_mean = WY.sum(axis=0) / W
    check_square(X.shape[1], "The Gram matrix of X", "use precompute=False (the lazy path: "
                 "Gram entries only for the working set).")
    gram = (X.T @ XW).toarray().astype(np.float64, copy=False)
    raw_diag = np.diag(gram).copy()
    add_outer(gram, -W, x_mean, x_mean)
    Yc = Y - y_mean
    xy = np.asarray(XW.T @ Yc, dtype=np.float64)  # sum of w (y - ybar) is zero: no x_mean term
    cancelling = np.flatnonzero(~(raw_diag <= _MAX_CANCELLATION * np.diag(gram)))
    if cancelling.size:
        _recentre(X, XW, w, W, Yc, cancelling, x_mean, gram, xy)
    check_finite_statistics(np.diag(gram))
    yy = np.einsum("ij,ij->j", Yc, Yc if w is None else Yc * w[:, None])
    return W, x_mean, y_mean, gram, xy, yy


# A column whose raw second moment exceeds its centred one this many times loses about
# log10 of it in digits to the subtraction (rounding of 1e-16 relative to the raw moment).
_MAX_CANCELLATION = 1e4


def _recentre(X, XW, w, W, Yc, columns, x_mean, gram, xy):
    """Recomputes, in place, the moments of ``columns`` about a value each column holds:
    with z = x_h - c_h (c_h its entry nearest its mean, so a constant column gives exactly 0) and
    d_h = the weighted mean of z, m_h = c_h + d_h, and for any column k
    (x_k - m_k)^T W (x_h - m_h) = x_k^T W z - W m_k d_h (no large terms left for k outside
    ``columns``), (z_k - d_k)^T W (z_h - d_h) within them, and xy_h = z^T W (y - ybar).
    Such columns are nearly dense (z zeros in a column give it a variance of at least about
    z (1 - z) m^2), so the dense n x len(columns) block is about their own size."""
    dense = X[:, columns].toarray()
    nearest = np.argmin(np.abs(dense - x_mean[columns]), axis=0)  # the entry nearest the mean
    shift = dense[nearest, np.arange(columns.size)]
    Z = dense - shift
    ZW = Z if w is None else Z * w[:, None]
    d = ZW.sum(axis=0) / W
    x_mean[columns] = shift + d
    cross = np.asarray(XW.T @ Z) - W * np.outer(x_mean, d)  # (x_k - m_k)^T W (x_h - m_h)
    cross[columns] = Z.T @ ZW - W * np.outer(d, d)
    gram[:, columns] = cross
    gram[columns, :] = cross.T
    xy[columns] = ZW.T @ Yc - np.outer(d, (Yc if w is None else Yc * w[:, None]).sum(axis=0))


def _with_progress(iterable, progress, total):
    if not progress:
        return iterable
    try:
        from tqdm.auto import tqdm
    except ImportError:  # tqdm is optional: a plain counter on stderr instead of a bar
        return _counted(iterable, total)
    return tqdm(iterable, total=total, unit="block")


def _counted(iterable, total):
    of = "" if total is None else f"/{total}"
    for number, item in enumerate(iterable, 1):
        sys.stderr.write(f"\rGramStats.from_chunks: block {number}{of}")
        sys.stderr.flush()
        yield item
    sys.stderr.write("\n")
