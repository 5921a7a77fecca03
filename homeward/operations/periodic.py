"""The periodic jobs `homeward worker` runs (what cron used to), each once per period
however many workers run.

1. A job's period is a local day ("2026-12-07", from HOMEWARD_DAILY_HOUR that day to the
   same hour the next) or a UTC hour ("2026-12-07T10:00Z").
2. A worker claims a job's run for the current period by inserting its (job, period) row:
   the unique constraint lets one insert in, the others fail and move on.
3. A row whose worker died before finishing (not seen for a lease: `tracing.matching`'s
   lease, the same workers) is claimed again by a conditional UPDATE: one row updated
   means "mine".
4. The run's outcome (a summary, or the error) is kept on the row, for the state page.
5. A failed run (the SMTP server down for the digest, say) is claimed again the same way
   once its `retry_at` has come: RETRY_AFTER later, doubling, at most MAX_TRIES runs, and
   only within its period (the next period runs anyway).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from homeward.operations.models import PeriodicRun
from homeward.tracing.matching import live_workers

log = logging.getLogger("homeward.worker")

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
MAX_TRIES = 4
# The wait before the second run of a failed daily job; doubled before each next one
# (30 min, 1 h, 2 h). An hourly job waits a twelfth of that (2.5, 5, 10 min).
RETRY_AFTER = timedelta(minutes=30)


# Each job returns its figures, kept as JSON; they are put into words when a page shows
# them, in the reader's language (words made at run time are in the worker's language).


def _run_rules(start: datetime) -> dict[str, Any]:
    from homeward.rules.services import run_rules

    summary = run_rules(timezone.localdate(start))
    return asdict(summary) | {"day": summary.day.isoformat()}


def _rules_in_words(figures: dict[str, Any]) -> str:
    from homeward.rules.services import RunSummary

    return str(RunSummary(**figures | {"day": date.fromisoformat(figures["day"])}))


def _send_digest(start: datetime) -> dict[str, Any]:
    from homeward.care.digest import send_digests

    day = timezone.localdate(start)
    return {"count": len(send_digests(day)), "day": day.isoformat()}


def _digest_in_words(figures: dict[str, Any]) -> str:
    return gettext("%(count)s digests for %(day)s.") % (figures | {"day": _day(figures["day"])})


def _anchor_audit(start: datetime) -> dict[str, Any]:
    from homeward.audit.verification import verify_trail

    result = verify_trail()
    if result.broken or result.anchor_problem:
        raise RuntimeError(result.anchor_problem or f"the trail is broken at {result.broken}")
    return {"count": result.checked}


def _anchor_in_words(figures: dict[str, Any]) -> str:
    return gettext("Anchored %(count)s entries.") % figures


def _day(iso: str) -> str:
    return formats.date_format(date.fromisoformat(iso), "SHORT_DATE_FORMAT")


@dataclass(frozen=True)
class Job:
    name: str
    label: Any  # a lazy translation
    every: timedelta  # DAY (a local day) or HOUR
    run: Callable[[datetime], dict[str, Any]]  # given the period's start; its figures
    in_words: Callable[[dict[str, Any]], str]  # the figures, in the active language

    def summary(self, run: PeriodicRun) -> str:
        """A finished run's outcome in the reader's language (an error as it was raised)."""
        if not run.succeeded:
            return run.result
        try:
            return self.in_words(json.loads(run.result))
        except (ValueError, KeyError, TypeError):  # kept before its figures were
            return run.result


JOBS = (
    Job("custody-rules", _("Custody rules evaluated"), DAY, _run_rules, _rules_in_words),
    Job("digest", _("Daily e-mail digest"), DAY, _send_digest, _digest_in_words),
    Job(
        "audit-anchor",
        _("Audit trail verified and anchored"),
        HOUR,
        _anchor_audit,
        _anchor_in_words,
    ),
)


def period_start(job: Job, now: datetime) -> datetime:
    if job.every == DAY:
        local = timezone.localtime(now)
        start = local.replace(hour=settings.HOMEWARD_DAILY_HOUR, minute=0, second=0, microsecond=0)
        if start > local:  # before the hour: still yesterday's period
            start = timezone.localtime(start - DAY).replace(hour=start.hour)
        return start
    return now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def period_key(job: Job, start: datetime) -> str:
    if job.every == DAY:
        return start.date().isoformat()
    return start.strftime("%Y-%m-%dT%H:00Z")


def next_due(job: Job, now: datetime) -> datetime:
    start = period_start(job, now)
    # A day in local time is not always 24 hours (summer time): step to the next date.
    return period_start(job, start + job.every + timedelta(hours=2 if job.every == DAY else 0))


def claim_run(job: Job, worker: str, now: datetime | None = None) -> PeriodicRun | None:
    """This period's run of `job` for `worker`, or None when another has it or it is done."""
    now = now or timezone.now()
    period = period_key(job, period_start(job, now))
    try:
        with transaction.atomic():
            return PeriodicRun.objects.create(
                job=job.name, period=period, claimed_by=worker, started_at=now
            )
    except IntegrityError:
        pass
    abandoned = PeriodicRun.objects.filter(
        ~Q(claimed_by__in=live_workers().values("name")), job=job.name, period=period,
        finished_at=None,
    )  # fmt: skip
    if abandoned.update(claimed_by=worker, started_at=now) == 1:
        log.warning("Took up the %s run of %s that a stopped worker left.", job.name, period)
        return PeriodicRun.objects.get(job=job.name, period=period)
    return _claim_retry(job, worker, period, now)


def _claim_retry(job: Job, worker: str, period: str, now: datetime) -> PeriodicRun | None:
    """This period's failed run of `job`, if its time to be tried again has come."""
    failed = PeriodicRun.objects.filter(
        job=job.name, period=period, succeeded=False, retry_at__lte=now
    )
    again = failed.update(
        claimed_by=worker, started_at=now, finished_at=None, succeeded=None, retry_at=None,
        tries=F("tries") + 1,
    )  # fmt: skip
    if again != 1:
        return None
    run = PeriodicRun.objects.get(job=job.name, period=period)
    log.warning("Trying the %s run of %s again (try %s).", job.name, period, run.tries)
    return run


def retry_time(job: Job, run: PeriodicRun, now: datetime) -> datetime | None:
    """When a failed run may be tried again: later in its period, within MAX_TRIES."""
    if run.tries >= MAX_TRIES:
        return None
    wait = RETRY_AFTER * 2 ** (run.tries - 1) / (1 if job.every == DAY else 12)
    at = now + wait
    return at if at < period_start(job, run.started_at) + job.every else None


def run_job(job: Job, run: PeriodicRun, now: datetime | None = None) -> None:
    """Run `job` for `run`'s period and keep the outcome; a failure is kept, not raised,
    and tried again later in the period (`retry_time`)."""
    start = period_start(job, run.started_at)
    retry_at = None
    try:
        figures = job.run(start)
        summary, said, succeeded = json.dumps(figures), job.in_words(figures), True
    except Exception as error:
        log.exception("The %s run of %s failed.", job.name, run.period)
        summary = said = f"{type(error).__name__}: {error}"
        succeeded = False
        retry_at = retry_time(job, run, now or timezone.now())
    PeriodicRun.objects.filter(pk=run.pk, claimed_by=run.claimed_by).update(
        finished_at=now or timezone.now(), succeeded=succeeded, result=summary[:10_000],
        retry_at=retry_at,
    )  # fmt: skip
    log.info("%s %s: %s", job.name, run.period, said)


def run_due_jobs(worker: str, *, keep_going: Callable[[], bool] = lambda: True) -> list[str]:
    """Every job whose current period's run nobody has done yet, run by `worker`; the
    names of the jobs run."""
    done = []
    for job in JOBS:
        if not keep_going():
            break
        run = claim_run(job, worker)
        if run is not None:
            run_job(job, run)
            done.append(job.name)
    return done


def release_runs(worker: str) -> None:
    """Give back the runs `worker` claimed and did not finish (it is stopping)."""
    PeriodicRun.objects.filter(claimed_by=worker, finished_at=None).update(claimed_by="")
