"""``show_config()``: what runs shrinkage on this machine (SIMD level, BLAS and its threads)."""

from __future__ import annotations

import platform
import sys

import numpy as np
import scipy

from . import _core
from ._threads import blas_libraries

_BLAS_KEYS = ("internal_api", "version", "num_threads", "threading_layer", "architecture",
              "filepath")
_SIMD_NAMES = {
    "x86-64-v4": "x86-64-v4 (AVX-512)",
    "x86-64-v3": "x86-64-v3 (AVX2, FMA)",
    "x86-64": "x86-64 baseline (SSE2)",
    "none": "none (built without runtime dispatch)",
}


def show_config(mode="stdout"):
    """Print (``mode="stdout"``) or return (``mode="dicts"``) the build and run-time facts that
    decide shrinkage's speed: the SIMD level whose kernel clones run on this CPU, the BLAS
    libraries loaded and their threads, and the versions of Python, NumPy and SciPy.

    Examples
    --------
    >>> import shrinkage
    >>> shrinkage.show_config()  # doctest: +SKIP
    shrinkage 0.1.0
      SIMD level: x86-64-v3 (AVX2, FMA)
    ...
    """
    from . import __version__

    level = _core.simd_level()
    config = {
        "shrinkage": __version__,
        "simd_level": level,
        "machine": platform.machine(),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "blas": [{key: info.get(key) for key in _BLAS_KEYS} for info in blas_libraries()],
    }
    if mode == "dicts":
        return config
    if mode != "stdout":
        raise ValueError(f"mode must be 'stdout' or 'dicts', got {mode!r}")
    print(f"shrinkage {config['shrinkage']}")
    print(f"  SIMD level: {_SIMD_NAMES.get(level, level)} on {config['machine']}")
    print(f"  python {config['python']}, numpy {config['numpy']}, scipy {config['scipy']}")
    for pool in config["blas"]:
        print(f"  BLAS: {pool['internal_api']} {pool['version']} ({pool['architecture']}), "
              f"{pool['num_threads']} threads, {pool['threading_layer']} threading\n"
              f"        {pool['filepath']}")
    return None
