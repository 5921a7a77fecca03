"""`homeward worker`: all the background work in one long-running process, of which
several may run at once.

Each round it
1. matches one batch of queued records, claimed under its matching lease
   (`tracing.matching.run_matching`, as `homeward match` does);
2. runs one pending task (large exports, release tables, import dry runs and commits)
   through django-tasks' own database worker, which claims the task row (a task left
   running by a worker since dead is marked failed, for the state page to show, and the
   export, release table, dry run or commit it was doing goes back in the queue);
3. runs the periodic jobs whose period has come and nobody has run (`periodic`);
and sleeps a little when there was nothing to do. SIGTERM (or Ctrl+C) lets the work in
hand finish, then it leaves, giving back its claims. Killed (-9), its lease lapses and
the next worker takes up what it had claimed.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Callable
from types import FrameType

from django.db import DatabaseError, close_old_connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker as TaskWorker
from django_tasks_db.models import DBTaskResult

from homeward.operations.periodic import release_runs, run_due_jobs
from homeward.tracing.matching import Worker, live_workers, run_matching
from homeward.tracing.models import MatchingWorker

log = logging.getLogger("homeward.worker")


class BackgroundWorker:
    def __init__(self, *, batch: int = 1000, interval: float = 1.0) -> None:
        self.batch = batch
        self.interval = interval
        self.stopping = threading.Event()

    def stop(self, signum: int = signal.SIGTERM, frame: FrameType | None = None) -> None:
        log.warning("Stopping after the work in hand (%s).", signal.strsignal(signum))
        self.stopping.set()

    def run(self) -> None:
        """Work until stopped."""
        with Worker() as lease:
            try:
                while not self.stopping.is_set():
                    if not self._safe_round(lease):
                        self.stopping.wait(self.interval)
            finally:
                release_runs(lease.name)

    def _safe_round(self, lease: Worker) -> bool:
        """A round; a database that fails for a while (locked, full, restarting) is
        waited for, not a reason to stop."""
        try:
            return self.round(lease)
        except DatabaseError:
            log.exception("The database failed during a round; trying again.")
            close_old_connections()
            with contextlib.suppress(DatabaseError):
                release_runs(lease.name)  # a run it could not finish, for the next round
            return False

    def round(self, lease: Worker) -> bool:
        """One round of each kind of work; whether there was any."""
        matched, _ = run_matching(self.batch, parallel=True, worker=lease)
        fail_abandoned_tasks()
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


def _put_back_functions() -> dict[str, Callable[[int], bool]]:
    """Each task's way to put its claimed row back in the queue, by the task's path. Every
    task of ours claims a row (queued → running) and keeps its result in one transaction at
    the end, so one that died half-way is run again from the start; an import's commit,
    written in chunks, goes on after the chunks it wrote (imports.committing)."""
    from homeward.exports import running as exports
    from homeward.imports import services as imports
    from homeward.releases import services as releases

    return {
        "homeward.exports.tasks.write_export": exports.put_back,
        "homeward.imports.tasks.check_in_background": imports.put_back,
        "homeward.imports.tasks.commit_in_background": imports.put_back_commit,
        "homeward.releases.tasks.protect_release_table": releases.put_back,
    }


def fail_abandoned_tasks() -> int:
    """Mark failed the tasks a worker of ours was running when it died (not seen for a
    lease): django-tasks has no lease, and would show them running for ever. The row the
    task had claimed (an export, a release table, a dry run) goes back in the queue with a
    new task, so the user's request is done after all; the number of tasks marked."""
    dead = MatchingWorker.objects.exclude(pk__in=live_workers().values("pk"))
    names = set(dead.values_list("name", flat=True))
    if not names:
        return 0
    running = DBTaskResult.objects.running().only("id", "worker_ids", "task_path", "args_kwargs")
    lost = [task for task in running if task.worker_ids and task.worker_ids[-1] in names]
    put_back = _put_back_functions()
    marked = 0
    for task in lost:
        with transaction.atomic():
            failed = DBTaskResult.objects.filter(
                pk=task.pk, status=TaskResultStatus.RUNNING
            ).update(
                status=TaskResultStatus.FAILED, finished_at=timezone.now(),
                exception_class_path="homeward.operations.worker.WorkerLost",
                traceback="The worker running this task stopped (killed) before it finished.",
            )  # fmt: skip
            marked += failed
            # Only the worker that marked the task puts its row back: another that came
            # second could find the row claimed again by the new task, and reset it.
            args = task.args_kwargs.get("args") or []
            if failed and task.task_path in put_back and args and put_back[task.task_path](args[0]):
                import_string(task.task_path).enqueue(*args, **task.args_kwargs.get("kwargs", {}))
                log.warning(
                    "Put %s(%s) back in the queue: its worker died.", task.task_path, args[0]
                )
    return marked
