"""``show_config()``: what runs shrinkage on this machine (SIMD level, BLAS and its threads)."""

from __future__ import annotations

import platform
import sys

import numpy as np
import scipy

from . import _core

_SIMD_NAMES = {
    "x86-64-v4": "x86-64-v4 (AVX-512)",
    "x86-64-v3": "x86-64-v3 (AVX2, FMA)",
    "x86-64": "x86-64 baseline (SSE2)",
    "none": "none (built without runtime dispatch)",
}


def _blas_pools():
    """scipy's BLAS as threadpoolctl sees it (the library shrinkage's kernels call), or None."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return None
    import scipy.linalg  # loads scipy's BLAS, so that threadpoolctl lists it

    scipy.linalg.get_blas_funcs("gemm")
    return [{key: pool.get(key) for key in ("internal_api", "version", "num_threads",
                                            "threading_layer", "architecture", "filepath")}
            for pool in threadpool_info() if pool.get("user_api") == "blas"]


def show_config(mode="stdout"):
    """Print (``mode="stdout"``) or return (``mode="dicts"``) the build and run-time facts that
    decide shrinkage's speed: the SIMD level whose kernel clones run on this CPU, the BLAS
    libraries loaded and their threads, and the versions of Python, NumPy and SciPy.

    The BLAS details need threadpoolctl (``pip install threadpoolctl``); without it they read
    ``None``.

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
        "blas": _blas_pools(),
    }
    if mode == "dicts":
        return config
    if mode != "stdout":
        raise ValueError(f"mode must be 'stdout' or 'dicts', got {mode!r}")
    print(f"shrinkage {config['shrinkage']}")
    print(f"  SIMD level: {_SIMD_NAMES.get(level, level)} on {config['machine']}")
    print(f"  python {config['python']}, numpy {config['numpy']}, scipy {config['scipy']}")
    if config["blas"] is None:
        print("  BLAS: scipy's (pip install threadpoolctl to see which, and its threads)")
    for pool in config["blas"] or ():
        print(f"  BLAS: {pool['internal_api']} {pool['version']} ({pool['architecture']}), "
              f"{pool['num_threads']} threads, {pool['threading_layer']} threading\n"
              f"        {pool['filepath']}")
    return None
