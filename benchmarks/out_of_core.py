"""Out-of-core lasso path: an on-disk float64 array larger than one wants in memory.

Writes X (n x p float64, 8 GB at the default n = 1 000 000, p = 1 000) and y to .npy files in
row blocks by the recipe of docs/design.md §6 (equicorrelated Gaussian rows, rho = 0.5, Friedman
coefficients, SNR 3), then, each in a fresh process so that peak memory is its own:

1. the floor: the larger of reading the file once (direct I/O into one reused buffer) and
   one in-memory ``syrk`` of an n x p array (the Gram the stream must compute anyway);
   the page cache is dropped before every timed read, and each timed process first runs a
   small problem so that loading the libraries' code from a cold disk is not counted;
2. the stream: ``GramStats.from_chunks(streams.npy_blocks(...))`` and a 100-alpha lasso path
   from the statistics; time, peak resident memory, and time / floor;
3. the same statistics on a ``dask.distributed.LocalCluster`` of 2 worker processes (chunks read
   by the workers from the file, ``shrinkage.dask.from_npy``), and its time over the
   single-process stream's.

    python benchmarks/out_of_core.py --dir /data/tmp          # n = 1e6, p = 1000: 8 GB
    python benchmarks/out_of_core.py --rows 200000 --keep     # smaller, keep the files

Not part of CI (minutes and 8 GB of disk). The page cache is dropped before timed reads when
the machine allows it (root); otherwise the report says the file may be cached.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time

import numpy as np

BLOCK_ROWS = 8192


def generate(directory, n, p, seed=0, rho=0.5, snr=3.0):
    """X.npy and y.npy, written block by block (memory: one block)."""
    from shrinkage.datasets import friedman_coefficients

    rng = np.random.default_rng(seed)
    beta = friedman_coefficients(p)
    # The signal's standard deviation for equicorrelated unit-variance columns.
    signal_sd = np.sqrt((1 - rho) * beta @ beta + rho * beta.sum() ** 2)
    x_path, y_path = os.path.join(directory, "X.npy"), os.path.join(directory, "y.npy")
    y = np.empty(n)
    with open(x_path, "wb") as file:
        np.lib.format.write_array_header_2_0(
            file, {"descr": "<f8", "fortran_order": False, "shape": (n, p)})
        for start in range(0, n, BLOCK_ROWS):
            rows = min(BLOCK_ROWS, n - start)
            block = rng.standard_normal((rows, p)) * np.sqrt(1 - rho)
            block += np.sqrt(rho) * rng.standard_normal((rows, 1))
            y[start:start + rows] = block @ beta + signal_sd / snr * rng.standard_normal(rows)
            block.tofile(file)
    np.save(y_path, y)
    return x_path, y_path


def drop_page_cache():
    try:
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w") as file:
            file.write("3\n")
        return True
    except OSError:
        return False


def in_fresh_process(code, **values):
    """Run `code` in a new interpreter; it prints one JSON line, returned as a dict."""
    source = "import json, resource, time, numpy as np\n" + "".join(
        f"{k} = {v!r}\n" for k, v in values.items()) + textwrap.dedent(code)
    out = subprocess.run([sys.executable, "-c", source], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


READ_ONCE = """
    import mmap, os
    # The fastest way this machine reads the file: direct I/O into one reused buffer.
    buffer = mmap.mmap(-1, 64 << 20)
    try:
        fd = os.open(x_path, os.O_RDONLY | os.O_DIRECT)
    except (AttributeError, OSError):
        fd = os.open(x_path, os.O_RDONLY)
    start, offset = time.perf_counter(), 0
    while True:
        got = os.preadv(fd, [buffer], offset)
        offset += got
        if got < len(buffer):
            break
    os.close(fd)
    print(json.dumps({"seconds": time.perf_counter() - start}))
"""

SYRK_IN_MEMORY = """
    from scipy.linalg.blas import dsyrk
    X = np.empty((n, p))
    rng = np.random.default_rng(0)
    for start in range(0, n, 65536):
        X[start:start + 65536] = rng.standard_normal((min(65536, n - start), p))
    dsyrk(1.0, X.T[:, :1000], trans=0)  # warm the BLAS threads
    start = time.perf_counter()
    dsyrk(1.0, X.T, trans=0)  # X^T X of C-ordered X: no copy
    print(json.dumps({"seconds": time.perf_counter() - start}))
"""

STREAM = """
    import shrinkage
    from shrinkage import GramStats, streams
    warm = np.random.default_rng(0).standard_normal((2048, p))  # page in the libraries' code
    shrinkage.lasso_path(GramStats.from_arrays(warm, warm[:, 0]), None, alphas=5)
    del warm
    start = time.perf_counter()
    stats = GramStats.from_chunks(streams.npy_blocks(x_path, y_path))
    middle = time.perf_counter()
    alphas, coefs, gaps = shrinkage.lasso_path(stats, None)
    end = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"seconds": end - start, "statistics": middle - start,
                      "path": end - middle, "peak_bytes": peak, "n_alphas": len(alphas),
                      "max_gap": float(gaps.max()), "nonzeros": int((coefs[:, -1] != 0).sum())}))
"""

CLUSTER = """
    import dask.array as da
    from distributed import Client, LocalCluster
    import shrinkage.dask as sd

    X = sd.from_npy(x_path, block_rows=rows)  # each chunk read by the worker computing it
    y = da.from_array(np.load(y_path), chunks=rows)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster):
        start = time.perf_counter()
        stats = sd.gram_stats(X, y)
        seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "n_samples": stats.n_samples}))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--features", type=int, default=1_000)
    parser.add_argument("--dir", default=None, help="where to write the files (default: a "
                        "temporary directory)")
    parser.add_argument("--keep", action="store_true", help="keep the files (and reuse files "
                        "of the same shape left in --dir by an earlier --keep)")
    parser.add_argument("--repeat", type=int, default=3, help="paired runs of floor and stream")
    args = parser.parse_args()
    n, p = args.rows, args.features
    directory = args.dir or tempfile.mkdtemp(prefix="shrinkage-ooc-")
    os.makedirs(directory, exist_ok=True)

    start = time.perf_counter()
    x_path, y_path = os.path.join(directory, "X.npy"), os.path.join(directory, "y.npy")
    reuse = args.keep and os.path.exists(y_path) and np.load(x_path, mmap_mode="r").shape == (n, p)
    if not reuse:
        x_path, y_path = generate(directory, n, p)
    size = os.path.getsize(x_path)
    print(f"wrote {x_path}: {n} x {p} float64, {size / 1e9:.2f} GB "
          f"({time.perf_counter() - start:.0f} s)")
    try:
        runs = []
        for _ in range(args.repeat):  # paired: this machine's speed drifts between runs
            cold = drop_page_cache()
            read = in_fresh_process(READ_ONCE, x_path=x_path)["seconds"]
            syrk = in_fresh_process(SYRK_IN_MEMORY, n=n, p=p)["seconds"]
            drop_page_cache()
            stream = in_fresh_process(STREAM, x_path=x_path, y_path=y_path, p=p)
            runs.append((read, syrk, stream))
            print(f"  run {len(runs)}: read {read:.2f} s, syrk {syrk:.2f} s, stream + path "
                  f"{stream['seconds']:.2f} s, ratio {stream['seconds'] / max(read, syrk):.2f}")
        drop_page_cache()
        cluster = in_fresh_process(CLUSTER, x_path=x_path, y_path=y_path, n=n, p=p,
                                   rows=BLOCK_ROWS)
    finally:
        if not args.keep:
            for path in (x_path, y_path):
                os.remove(path)

    read, syrk, stream = sorted(runs, key=lambda r: r[2]["seconds"] / max(r[0], r[1]))[
        len(runs) // 2]  # the run of median ratio
    floor = max(read, syrk)
    cache = "cold (page cache dropped)" if cold else "possibly cached (could not drop the cache)"
    print(f"median of {len(runs)} paired runs:")
    print(f"read the file once      {read:8.2f} s   [{cache}, {size / read / 1e9:.2f} GB/s]")
    print(f"in-memory syrk          {syrk:8.2f} s")
    print(f"floor                   {floor:8.2f} s")
    print(f"stream + 100-alpha path {stream['seconds']:8.2f} s   (statistics "
          f"{stream['statistics']:.2f} s, path {stream['path']:.2f} s; "
          f"{stream['n_alphas']} alphas, largest gap {stream['max_gap']:.1e}, "
          f"{stream['nonzeros']} non-zeros at the end)")
    print(f"  peak resident memory  {stream['peak_bytes'] / 2**30:8.2f} GiB (limit 1.5)")
    print(f"  time / floor          {stream['seconds'] / floor:8.2f}   (limit 1.3)")
    print(f"LocalCluster, 2 workers {cluster['seconds']:8.2f} s   (statistics only; "
          f"{cluster['seconds'] / stream['statistics']:.2f} x the single-process stream's)")


if __name__ == "__main__":
    main()
