"""Threads for independent paths (targets, folds, l1_ratios): the solver releases the GIL."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor


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
