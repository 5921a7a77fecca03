"""Pools of forked worker processes for bulk work (a linkage's comparisons, an import's
rows): forked, so that workers inherit what the parent has read instead of copies."""

from __future__ import annotations

import multiprocessing
import signal
from multiprocessing.pool import Pool


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def forked_pool(processes: int) -> Pool:
    """A pool of `processes` forked workers that stop on SIGTERM, as `Pool.terminate`
    (and leaving a `with` block) expects. A worker inherits the parent's signal
    handlers: under django-tasks' `db_worker`, which catches SIGTERM to finish its task
    first, workers outlived `terminate()` or exited while holding the pool's task queue
    lock, and the pool's exit waited for ever."""
    return multiprocessing.get_context("fork").Pool(processes, initializer=_default_signals)


def _default_signals() -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
