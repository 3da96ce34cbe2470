"""Threads: for independent paths (targets, folds, l1_ratios; the solver releases the GIL),
and one BLAS thread inside each path."""

from __future__ import annotations

import contextlib
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from threadpoolctl import ThreadpoolController

from . import _core


def n_threads(n_jobs, n_tasks):
    """Workers for ``n_tasks`` tasks, with joblib's meaning of ``n_jobs``: None is 1, -1 all
    cores, -k all but k - 1; never more than the tasks."""
    if n_jobs is None:
        return 1
    if n_jobs == 0:
        raise ValueError("n_jobs == 0 has no meaning (use None, a positive or a negative int).")
    if n_jobs < 0:
        return max(1, min(n_tasks, (os.cpu_count() or 1) + 1 + n_jobs))
    return max(1, min(n_tasks, int(n_jobs)))


def thread_map(function, tasks, n_jobs):
    """[function(t, stop) for t in tasks] on ``n_threads(n_jobs, len(tasks))`` threads. `stop`
    is a threading.Event set when a task fails or Ctrl-C reaches the waiting main thread: the
    tasks' paths poll it (their progress hook), so the others end within milliseconds and the
    error is raised at once instead of after every path has finished."""
    tasks = list(tasks)
    stop = threading.Event()
    workers = n_threads(n_jobs, len(tasks))
    if workers == 1:
        return [function(t, stop) for t in tasks]
    pool = ThreadPoolExecutor(max_workers=workers)
    futures = [pool.submit(function, t, stop) for t in tasks]
    try:
        return [f.result() for f in futures]
    except BaseException:
        stop.set()
        for f in futures:
            f.cancel()
        raise
    finally:
        pool.shutdown(wait=True)


_blas_lock = threading.Lock()
_blas_paths = 0  # paths running inside one_blas_thread(), in any thread
_blas_saved: list = []  # (library, its threads) to restore when the last path leaves
_blas_libraries = None


def _libraries():
    """threadpoolctl's controllers of the loaded BLAS libraries, found once (a scan of the
    process's libraries: ~3 ms)."""
    global _blas_libraries
    if _blas_libraries is None:
        _blas_libraries = ThreadpoolController().select(user_api="blas").lib_controllers
    return _blas_libraries


def blas_libraries():
    """What threadpoolctl reports of each loaded BLAS library (show_config prints it)."""
    return [library.info() for library in _libraries()]


def blas_threads():
    """The threads the BLAS would use now (the user's setting, threadpoolctl's view)."""
    return max((library.num_threads for library in _libraries()), default=1)


def _per_thread(library):
    """OpenBLAS on OpenMP keeps a limit per calling thread; the others, one per process."""
    return library.internal_api == "openblas" and library.threading_layer == "openmp"


def _set_shared(library, threads):
    """Sets a process-wide limit from any thread: threadpoolctl lets only the thread that
    first set an OpenBLAS limit change it, so that claim is cleared around the change (the
    lock serialises shrinkage's changes)."""
    release = getattr(library, "clear_controlling_thread", None)
    if release is not None:
        release(force=True)
    library.set_num_threads(threads)
    if release is not None:
        release(force=True)


@contextlib.contextmanager
def one_blas_thread():
    """BLAS on one thread while paths solve. A path's BLAS calls are many and small to medium
    (support factor updates and solves, working-set blocks, gradient passes): waking BLAS
    threads for each costs more than they give, and far more when other work holds a core
    (docs/design.md §4). A process-wide limit is shared by concurrent paths: the first to
    enter sets it, the last to leave restores it; a per-thread limit is set and restored by
    each path's own thread."""
    global _blas_paths, _blas_saved
    local = [(library, library.num_threads) for library in _libraries() if _per_thread(library)]
    for library, _ in local:
        library.set_num_threads(1)
    with _blas_lock:
        if _blas_paths == 0:
            _blas_saved = [(library, library.num_threads) for library in _libraries()
                           if not _per_thread(library)]
            for library, _ in _blas_saved:
                _set_shared(library, 1)
        _blas_paths += 1
    try:
        yield
    finally:
        with _blas_lock:
            _blas_paths -= 1
            if _blas_paths == 0:
                for library, threads in _blas_saved:
                    _set_shared(library, threads)
        for library, threads in local:
            library.set_num_threads(threads)


def run_path(*args, **kwargs):
    """The compiled path solver (``_core.enet_path``'s arguments and results), its BLAS on
    one thread."""
    with one_blas_thread():
        return _core.enet_path(*args, **kwargs)
