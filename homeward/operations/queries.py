"""What the background workers' state page shows (nothing personal): the workers seen, the
matching queue, the tasks waiting or failed, and each periodic job's last run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from homeward.operations.models import PeriodicRun
from homeward.operations.periodic import DAY, JOBS, Job, next_due, period_key, period_start
from homeward.tracing.matching import live_workers
from homeward.tracing.models import MatchingWork

FAILED_TASKS_SHOWN = 10


@dataclass(frozen=True)
class JobState:
    label: Any
    every: Any  # a lazy translation
    last: PeriodicRun | None
    summary: str  # the last finished run's outcome, in the reader's language
    next_due: datetime


@dataclass(frozen=True)
class WorkerState:
    workers: list[Any]  # MatchingWorker rows seen within a lease
    queued: int  # records waiting for matching
    oldest_queued: datetime | None
    oldest_claim: datetime | None
    tasks_waiting: int
    tasks_running: int
    tasks_failed: int
    failed_tasks: list[DBTaskResult]
    jobs: list[JobState]


def worker_state(now: datetime | None = None) -> WorkerState:
    now = now or timezone.now()
    queue = MatchingWork.objects.aggregate(queued=Min("queued_at"))
    claims = MatchingWork.objects.exclude(claimed_by="").aggregate(at=Min("claimed_at"))
    tasks = DBTaskResult.objects
    return WorkerState(
        workers=list(live_workers().order_by("-seen_at")),
        queued=MatchingWork.objects.count(),
        oldest_queued=queue["queued"],
        oldest_claim=claims["at"],
        tasks_waiting=tasks.ready().count(),
        tasks_running=tasks.running().count(),
        tasks_failed=tasks.failed().count(),
        failed_tasks=list(tasks.failed().order_by("-finished_at")[:FAILED_TASKS_SHOWN]),
        jobs=[_job_state(job, now) for job in JOBS],
    )


def _job_state(job: Job, now: datetime) -> JobState:
    """The job's last run, and when it is due: now if this period's run is not done."""
    last = PeriodicRun.objects.filter(job=job.name).order_by("-started_at").first()
    start = period_start(job, now)
    done = last is not None and last.period == period_key(job, start) and last.finished_at
    every = _("daily") if job.every == DAY else _("hourly")
    summary = job.summary(last) if last is not None and last.finished_at else ""
    due = next_due(job, now) if done else start
    if done and last is not None and last.retry_at is not None:  # a failed run, tried again
        due = last.retry_at
    return JobState(job.label, every, last, summary, due)
