"""`homeward worker`: all the background work in one long-running process, of which
several may run at once.

Each round it
1. matches one batch of queued records, claimed under its matching lease
   (`tracing.matching.run_matching`, as `homeward match` does);
2. runs one pending task (large exports, release tables, import dry runs) through
   django-tasks' own database worker, which claims the task row;
3. runs the periodic jobs whose period has come and nobody has run (`periodic`);
and sleeps a little when there was nothing to do. SIGTERM (or Ctrl+C) lets the work in
hand finish, then it leaves, giving back its claims. Killed (-9), its lease lapses and
the next worker takes up what it had claimed.
"""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType

from django_tasks_db.management.commands.db_worker import Worker as TaskWorker

from homeward.operations.periodic import release_runs, run_due_jobs
from homeward.tracing.matching import Worker, run_matching

log = logging.getLogger("homeward.worker")


class BackgroundWorker:
    def __init__(self, *, batch: int = 1000, interval: float = 1.0) -> None:
        self.batch = batch
        self.interval = interval
        self.stopping = threading.Event()

    def stop(self, signum: int = signal.SIGTERM, frame: FrameType | None = None) -> None:
        log.warning("Stopping after the work in hand (%s).", signal.strsignal(signum))
        self.stopping.set()

    def run(self, *, rounds: int | None = None) -> None:
        """Work until stopped (or for `rounds` rounds, for tests and `--once`)."""
        with Worker() as lease:
            try:
                done = 0
                while not self.stopping.is_set() and (rounds is None or done < rounds):
                    if not self.round(lease):
                        self.stopping.wait(self.interval)
                    done += 1
            finally:
                release_runs(lease.name)

    def round(self, lease: Worker) -> bool:
        """One round of each kind of work; whether there was any."""
        matched, _ = run_matching(self.batch, parallel=True, worker=lease)
        ran_task = not self.stopping.is_set() and self._one_task(lease.name)
        jobs = run_due_jobs(lease.name, keep_going=lambda: not self.stopping.is_set())
        return bool(matched or ran_task or jobs)

    @staticmethod
    def _one_task(name: str) -> bool:
        """One ready task of any queue, claimed and run by django-tasks' worker."""
        tasks = TaskWorker(
            queue_names=["*"], interval=0, batch=True, backend_name="default",
            startup_delay=False, max_tasks=1, worker_id=name, excluded_queue_names=[],
        )  # fmt: skip
        tasks.run()
        return tasks._run_tasks > 0
