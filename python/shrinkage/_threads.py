"""Threads for independent paths (targets, folds, l1_ratios): the solver releases the GIL."""

from __future__ import annotations

import os
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


def thread_map(function, tasks, n_jobs, on_error=None):
    """[function(t) for t in tasks] on ``n_threads(n_jobs, len(tasks))`` threads; ``on_error``
    runs when a task (or Ctrl-C in the main thread) interrupts the wait, before re-raising."""
    tasks = list(tasks)
    workers = n_threads(n_jobs, len(tasks))
    if workers == 1:
        return [function(t) for t in tasks]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(function, t) for t in tasks]
        try:
            return [f.result() for f in futures]
        except BaseException:
            if on_error is not None:
                on_error()
            raise
