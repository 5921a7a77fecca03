"""The periodic jobs' claims: one run per job and period whoever asks, a dead worker's
claim taken up, a stopping worker's given back; and the state page that shows them."""

from __future__ import annotations

import signal
import socket
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation

from homeward.accounts.models import Agency, Role
from homeward.conftest import make_user, signed_in
from homeward.operations.models import PeriodicRun
from homeward.operations.periodic import (
    JOBS,
    claim_run,
    next_due,
    period_key,
    period_start,
    release_runs,
    run_due_jobs,
)
from homeward.tracing.models import MatchingWork, MatchingWorker

RULES, DIGEST, ANCHOR = JOBS
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)


def worker(name: str, seen: timedelta = timedelta(0)) -> str:
    MatchingWorker.objects.create(name=name, seen_at=timezone.now() - seen)
    return name


@pytest.mark.django_db
def test_a_days_run_is_claimed_by_one_worker_only() -> None:
    first, second = worker("first"), worker("second")
    assert claim_run(RULES, first) is not None
    assert claim_run(RULES, second) is None
    assert claim_run(RULES, first) is None  # nor twice by the same worker
    assert PeriodicRun.objects.get().claimed_by == "first"


@pytest.mark.django_db
def test_a_dead_workers_unfinished_run_is_taken_up_by_the_next() -> None:
    dead = worker("dead", seen=timedelta(hours=1))
    claim_run(RULES, dead)
    alive = worker("alive")
    assert run_due_jobs(alive) == ["custody-rules", "digest", "audit-anchor"]
    run = PeriodicRun.objects.get(job="custody-rules")
    assert (run.claimed_by, run.succeeded) == ("alive", True)
    assert "Custody rules on" in RULES.summary(run)


@pytest.mark.django_db
def test_a_finished_run_is_not_run_again_in_its_period() -> None:
    assert len(run_due_jobs(worker("first"))) == 3
    assert run_due_jobs(worker("second")) == []
    MatchingWorker.objects.filter(name="first").update(seen_at=timezone.now() - timedelta(days=1))
    assert run_due_jobs("second") == []  # its worker gone, a finished run stays finished


@pytest.mark.django_db
def test_a_stopping_worker_gives_its_unfinished_run_back() -> None:
    claim_run(DIGEST, worker("stopping"))
    release_runs("stopping")
    assert claim_run(DIGEST, worker("next")) is not None


@pytest.mark.django_db
def test_a_failed_run_keeps_its_error() -> None:
    from homeward.operations.periodic import Job, run_job

    def broken(start: datetime) -> dict[str, int]:
        raise RuntimeError("SMTP server refused")

    job = Job("broken", "Broken", DIGEST.every, broken, DIGEST.in_words)
    run = claim_run(job, worker("w"))
    assert run is not None
    run_job(job, run)
    run.refresh_from_db()
    assert run.succeeded is False and "SMTP server refused" in run.result
    assert job.summary(run) == run.result  # an error is shown as it was raised


def test_periods_are_local_days_and_utc_hours(settings: object) -> None:
    now = datetime(2026, 12, 7, 22, 30, tzinfo=timezone.get_current_timezone())
    assert period_key(RULES, period_start(RULES, now)) == "2026-12-07"
    assert next_due(RULES, now) == period_start(RULES, now + timedelta(days=1))
    assert period_key(ANCHOR, period_start(ANCHOR, now)).endswith(":00Z")
    assert next_due(ANCHOR, now) - period_start(ANCHOR, now) == timedelta(hours=1)


@pytest.mark.django_db
def test_the_state_page_shows_workers_queue_tasks_and_jobs(agency: Agency) -> None:
    MatchingWorker.objects.create(name="w1", host="app-1", pid=4242, seen_at=timezone.now())
    MatchingWork.objects.create(kind="sought", object_id=1)
    run_due_jobs("w1")
    admin = make_user("sysadmin", agency, Role.SYSTEM_ADMIN)
    page = signed_in(admin).get(reverse("operations:worker")).content.decode()
    assert "app-1" in page and "4242" in page
    assert "Records waiting</dt><dd>1<" in page
    assert "Custody rules evaluated" in page and "Daily e-mail digest" in page
    assert "0 digests for" in page


@pytest.mark.django_db
def test_the_state_page_puts_a_runs_figures_in_the_readers_language(agency: Agency) -> None:
    with translation.override("en"):  # a worker runs in its own language
        run_due_jobs(worker("w1"))
    admin = make_user("sysadmin", agency, Role.SYSTEM_ADMIN)
    client = signed_in(admin)
    for language, words in [
        ("ru", ("Сводок за", "Правила о содержании детей на")),
        ("ar", ("عدد الملخصات", "قواعد الحضانة في")),
        ("en", ("0 digests for", "Custody rules on")),
    ]:
        page = client.get(reverse("operations:worker"), HTTP_ACCEPT_LANGUAGE=language)
        text = page.content.decode()
        assert all(w in text for w in words), (language, words)
        if language != "en":
            assert "digests for" not in text and "Custody rules on" not in text


@pytest.mark.django_db
def test_the_state_page_says_when_no_worker_runs(agency: Agency) -> None:
    admin = make_user("sysadmin", agency, Role.SYSTEM_ADMIN)
    page = signed_in(admin).get(reverse("operations:worker")).content.decode()
    assert "No worker is running" in page
    assert page.count("never") == len(JOBS)
    assert 'href="/operations/worker/"' in page  # in the header, for them alone


@pytest.mark.django_db
def test_an_agency_administrator_may_not_see_the_state_page(agency: Agency) -> None:
    client = signed_in(make_user("agencyadmin", agency, Role.AGENCY_ADMIN))
    assert client.get(reverse("operations:worker")).status_code == 403
    assert 'href="/operations/worker/"' not in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_a_task_a_dead_worker_was_running_is_marked_failed() -> None:
    from django_tasks_db.models import DBTaskResult

    from homeward.operations.worker import fail_abandoned_tasks
    from homeward.rules.tasks import evaluate_custody_rules

    lost, elsewhere = (evaluate_custody_rules.enqueue() for _ in range(2))
    DBTaskResult.objects.get(pk=lost.id).claim(worker("dead", seen=timedelta(hours=1)))
    DBTaskResult.objects.get(pk=elsewhere.id).claim("a-db_worker-of-its-own")
    assert fail_abandoned_tasks() == 1
    statuses = {str(pk): s for pk, s in DBTaskResult.objects.values_list("id", "status")}
    assert (statuses[lost.id], statuses[elsewhere.id]) == ("FAILED", "RUNNING")


# django-tasks' worker closes its connection after each task; on PostgreSQL that would end
# the test's wrapping transaction, so this test commits for real.
@pytest.mark.django_db(transaction=True)
def test_an_export_whose_worker_died_half_way_is_written_by_the_next(
    agency: Agency, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    from homeward.exports import services as exports
    from homeward.exports.models import Export, ExportStatus
    from homeward.operations.worker import BackgroundWorker, fail_abandoned_tasks

    monkeypatch.setattr(exports, "INLINE_MAX_ROWS", -1)  # every export in the background
    caseworker = make_user("caseworker", agency, Role.CASEWORKER)
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.request_export(caseworker, "children", "csv")
    # A worker claimed the task and the export, wrote some of it, and was killed.
    DBTaskResult.objects.get().claim(worker("dead", seen=timedelta(hours=1)))
    Export.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, rows_done=5)

    assert fail_abandoned_tasks() == 1
    export.refresh_from_db()
    assert (export.status, export.rows_done) == (ExportStatus.QUEUED, 0)
    assert DBTaskResult.objects.ready().count() == 1  # a new task for it
    handlers = {number: signal.getsignal(number) for number in STOP_SIGNALS}
    try:
        assert BackgroundWorker._one_task(worker("alive"))
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE and export.file


def test_every_task_that_claims_a_row_can_put_it_back() -> None:
    """A new task joins the worker's put-back table, or is named here as safe to lose (the
    custody rules run again each day)."""
    import importlib
    import pkgutil

    import homeward
    from homeward.operations.worker import _put_back_functions

    tasks = set()
    for module in pkgutil.walk_packages(homeward.__path__, "homeward."):
        if module.name.endswith(".tasks"):
            loaded = importlib.import_module(module.name)
            tasks |= {
                f"{module.name}.{name}"
                for name, value in vars(loaded).items()
                if hasattr(value, "enqueue") and getattr(value, "func", None) is not None
            }
    assert "homeward.exports.tasks.write_export" in tasks  # the search finds tasks
    assert tasks - {"homeward.rules.tasks.evaluate_custody_rules"} == set(_put_back_functions())


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def mailing_job() -> Any:
    """A daily job that sends one e-mail through the configured SMTP server, as the digest
    does."""
    from homeward.operations.periodic import DAY, Job

    def send(start: datetime) -> dict[str, Any]:
        send_mail("Digest", "Two overdue visits.", "homeward@localhost", ["cw@example.invalid"])
        return {"count": 1, "day": start.date().isoformat()}

    return Job("mailing", "Mailing", DAY, send, DIGEST.in_words)


@pytest.fixture
def smtp_down(settings: Any) -> Any:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1", _closed_port(), 5,
    )  # fmt: skip
    settings.HOMEWARD_DAILY_HOUR = 0
    return settings


def one_o_clock() -> datetime:
    return timezone.localtime().replace(hour=1, minute=0, second=0, microsecond=0)


def attempt(job: Any, at: datetime) -> PeriodicRun | None:
    from homeward.operations.periodic import run_job

    run = claim_run(job, "w", now=at)
    if run is not None:
        run_job(job, run, now=at)
        run.refresh_from_db()
    return run


@pytest.mark.django_db
def test_a_failed_run_is_tried_again_later_that_day_and_sends_once_the_server_is_back(
    smtp_down: Any,
) -> None:
    worker("w")
    job, start = mailing_job(), one_o_clock()
    first = attempt(job, start)
    assert first is not None and first.succeeded is False and "Connection refused" in first.result
    assert first.retry_at == start + timedelta(minutes=30)
    assert attempt(job, start + timedelta(minutes=20)) is None  # not yet
    smtp_down.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # server back
    again = attempt(job, start + timedelta(minutes=31))
    assert again is not None and (again.succeeded, again.tries, again.retry_at) == (True, 2, None)
    assert len(mail.outbox) == 1
    assert attempt(job, start + timedelta(hours=5)) is None  # done for the day
    assert PeriodicRun.objects.count() == 1


@pytest.mark.django_db
def test_a_run_that_keeps_failing_is_tried_four_times_then_waits_for_the_next_day(
    smtp_down: Any, agency: Agency
) -> None:
    worker("w")
    job, at = mailing_job(), one_o_clock()
    tries = []
    while (run := attempt(job, at)) is not None:
        tries.append(at - one_o_clock())
        at = run.retry_at or at + timedelta(hours=1)
    assert tries == [timedelta(0), timedelta(minutes=30), timedelta(minutes=90),
                     timedelta(minutes=210)]  # fmt: skip
    last = PeriodicRun.objects.get()
    assert (last.tries, last.succeeded, last.retry_at) == (4, False, None)
    assert attempt(job, one_o_clock() + timedelta(hours=20)) is None
    assert attempt(job, one_o_clock() + timedelta(days=1)) is not None  # the next day's run


@pytest.mark.django_db
def test_the_state_page_says_when_a_failed_run_is_tried_again(
    smtp_down: Any, agency: Agency
) -> None:
    worker("w")
    digest = JOBS[1]
    run = claim_run(digest, "w")
    assert run is not None
    PeriodicRun.objects.filter(pk=run.pk).update(
        finished_at=timezone.now(), succeeded=False, result="SMTPServerDisconnected",
        retry_at=timezone.now() + timedelta(minutes=30),
    )  # fmt: skip
    admin = make_user("sysadmin", agency, Role.SYSTEM_ADMIN)
    page = signed_in(admin).get(reverse("operations:worker")).content.decode()
    assert "SMTPServerDisconnected" in page and "Tried again at" in page


@pytest.mark.django_db
def test_the_daily_jobs_run_from_the_hour_set(settings: Any) -> None:
    settings.HOMEWARD_DAILY_HOUR = 6
    tz = timezone.get_current_timezone()
    before, after = datetime(2026, 12, 7, 5, 59, tzinfo=tz), datetime(2026, 12, 7, 6, 0, tzinfo=tz)
    assert period_key(RULES, period_start(RULES, before)) == "2026-12-06"
    assert period_key(RULES, period_start(RULES, after)) == "2026-12-07"
    assert next_due(RULES, after) == datetime(2026, 12, 8, 6, 0, tzinfo=tz)
    worker("w")
    assert claim_run(RULES, "w", now=before - timedelta(hours=1)) is not None  # the 6th's
    assert claim_run(RULES, "w", now=before) is None  # still the 6th's period
    assert claim_run(RULES, "w", now=after) is not None
