"""Refusing, before allocating, what cannot fit: a p x p Gram or an n x n kernel larger than the
memory the machine has available would otherwise fail deep inside (or get the process killed
by the OS under overcommit)."""

from __future__ import annotations

import os

import numpy as np


def available_bytes():
    """The memory the OS can give without swapping (Linux's MemAvailable), or None if unknown."""
    try:
        with open("/proc/meminfo") as info:
            for line in info:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


# Below this many bytes a matrix fits wherever Python runs: the check (reading /proc/meminfo,
# about 85 us, more than a small path's whole solve) is skipped.
CERTAIN_FIT_BYTES = 64 << 20


def check_square(size, what, alternative, copies=1):
    """Raises MemoryError if `copies` float64 size x size matrices cannot fit."""
    needed = copies * 8 * float(size) ** 2
    if needed < CERTAIN_FIT_BYTES:
        return
    available = available_bytes()
    if available is not None and needed > available:
        raise MemoryError(
            f"{what} ({size} x {size}{f', {copies} copies' if copies > 1 else ''}) needs "
            f"{needed / 2**30:.1f} GiB, more than the {available / 2**30:.1f} GiB available: "
            f"{alternative}")


def add_outer(a, scale, u, v):
    """a += scale * outer(u, v) in place, in row blocks (no p x p temporary)."""
    rows = max(1, (1 << 20) // max(1, a.shape[1]))
    for start in range(0, a.shape[0], rows):
        block = slice(start, start + rows)
        a[block] += scale * np.multiply.outer(u[block], v)
    return a
