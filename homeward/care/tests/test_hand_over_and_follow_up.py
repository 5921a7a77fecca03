"""Hand-over to relatives or state care, the visit plan, and overdue visits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command

from homeward.care.models import FollowUpVisit
from homeward.care.services import (
    HandOverInput,
    VisitInput,
    hand_over,
    months_after,
    overdue_visits,
    record_visit,
)
from homeward.cases.access import cases_visible_to
from homeward.cases.models import ChildCase
from homeward.cases.services import CaseError, transition
from homeward.cases.status import CaseStatus
from homeward.health.services import ExaminationInput, record_examination

pytestmark = pytest.mark.django_db


@pytest.fixture
def examined_case(arrived_case: ChildCase, medic: User) -> ChildCase:
    exam = ExaminationInput("Hospital (test)", date(2018, 12, 31))
    record_examination(arrived_case, exam, by=medic)
    arrived_case.refresh_from_db()
    return arrived_case


def test_months_after_keeps_the_day_or_takes_the_months_last() -> None:
    assert months_after(date(2019, 1, 31), 1) == date(2019, 2, 28)
    assert months_after(date(2019, 1, 15), 12) == date(2020, 1, 15)
    assert months_after(date(2019, 11, 30), 3) == date(2020, 2, 29)


def test_hand_over_to_the_grandmother_places_the_child_and_plans_the_visits(
    examined_case: ChildCase, caseworker: User
) -> None:
    grandmother = examined_case.family.get(relationship="grandmother")
    data = HandOverInput(date(2019, 1, 20), "RU-DA", grandmother, town="Makhachkala")
    row = hand_over(examined_case, data, by=caseworker)
    examined_case.refresh_from_db()
    assert examined_case.status == "placed"
    placement = examined_case.current_placement()
    assert placement is not None and placement.facility_kind == "with_relatives"
    assert placement.country == "RU" and "Makhachkala" in placement.facility_name
    assert row.receiver == "Патимат Исаева (grandmother)"
    due = list(FollowUpVisit.objects.values_list("months_after", "due_on"))
    assert due == [
        (1, date(2019, 2, 20)), (3, date(2019, 4, 20)), (6, date(2019, 7, 20)),
        (12, date(2020, 1, 20)),
    ]  # fmt: skip


def test_the_intervals_are_configurable(
    examined_case: ChildCase, caseworker: User, settings: Any
) -> None:
    settings.HOMEWARD_FOLLOW_UP_MONTHS = (2, 4)
    hand_over(
        examined_case, HandOverInput(date(2019, 1, 20), "RU-DA", institution="Home"),
        by=caseworker,
    )  # fmt: skip
    assert list(FollowUpVisit.objects.values_list("months_after", flat=True)) == [2, 4]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (HandOverInput(date(2019, 1, 20), "RU-XX", institution="Home"), "region", "RU-XX"),
        (HandOverInput(date(2019, 1, 20), "RU-DA"), "receiving_relative", "Name the relative"),
        (HandOverInput(date(2999, 1, 20), "RU-DA", institution="H"), "handed_over_on", "future"),
    ],
)
def test_a_bad_hand_over_is_refused_and_nothing_is_saved(
    examined_case: ChildCase, caseworker: User, data: HandOverInput, field: str, message: str
) -> None:
    with pytest.raises(CaseError, match=message) as refused:
        hand_over(examined_case, data, by=caseworker)
    assert refused.value.field == field
    examined_case.refresh_from_db()
    assert examined_case.status == "examined"
    assert not FollowUpVisit.objects.exists()


def test_a_child_not_yet_examined_is_not_handed_over(
    make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    with pytest.raises(CaseError, match="after the arrival examination"):
        hand_over(make_case(), HandOverInput(date(2019, 1, 20), "RU-DA", institution="H"),
                  by=caseworker)  # fmt: skip


def test_visits_overdue_on_a_day_and_the_first_visit_moves_the_case_on(
    examined_case: ChildCase, caseworker: User
) -> None:
    hand_over(
        examined_case, HandOverInput(date(2019, 1, 20), "RU-DA", institution="Children's home"),
        by=caseworker,
    )  # fmt: skip
    visible = cases_visible_to(caseworker)
    assert not overdue_visits(visible, date(2019, 2, 20)).exists()  # due that day: not late
    late = list(overdue_visits(visible, date(2019, 2, 21)))
    assert [v.months_after for v in late] == [1]
    with pytest.raises(CaseError, match="Write what the visit found"):
        record_visit(late[0], VisitInput(date(2019, 2, 25)), by=caseworker)
    record_visit(
        late[0], VisitInput(date(2019, 2, 25), schooling="Started first grade"), by=caseworker
    )
    examined_case.refresh_from_db()
    assert examined_case.status == "in_follow_up"
    assert not overdue_visits(visible, date(2019, 3, 1)).exists()
    # Looking back, the visit was still overdue on 2019-02-22.
    assert overdue_visits(visible, date(2019, 2, 22)).count() == 1


@pytest.fixture
def overdue_caseworker(examined_case: ChildCase, caseworker: User) -> User:
    """A caseworker with an e-mail address whose child, handed over on 2019-01-20 to a
    children's home, has two visits overdue by 2019-05-01."""
    caseworker.email = "caseworker@example.invalid"
    caseworker.save()
    hand_over(
        examined_case, HandOverInput(date(2019, 1, 20), "RU-DA", institution="Children's home"),
        by=caseworker,
    )  # fmt: skip
    return caseworker


def test_the_daily_digest_tells_each_user_what_is_overdue(
    examined_case: ChildCase, overdue_caseworker: User
) -> None:
    out = StringIO()
    call_command("digest", "--today", "2019-05-01", stdout=out)
    assert "caseworker: 2 overdue visits, 0 open alerts" in out.getvalue()
    message = next(m for m in mail.outbox if m.to == ["caseworker@example.invalid"])
    assert "due 2019-02-20" in message.body and examined_case.reference in message.body


def test_the_digest_is_written_in_the_language_each_user_chose(
    examined_case: ChildCase, overdue_caseworker: User
) -> None:
    overdue_caseworker.staff_profile.language = "ru"
    overdue_caseworker.staff_profile.save(update_fields=["language"])
    call_command("digest", "--today", "2019-05-01", stdout=StringIO())
    message = next(m for m in mail.outbox if m.to == ["caseworker@example.invalid"])
    assert message.subject == "Homeward: 2 просроченных посещения, 0 оповещений"
    assert "Просроченные контрольные посещения:" in message.body
    assert "срок 20.02.2019" in message.body and examined_case.reference in message.body


def test_a_digest_the_smtp_server_refused_is_sent_once_when_the_worker_tries_again(
    overdue_caseworker: User, settings: Any
) -> None:
    from django.utils import timezone

    from homeward.operations.periodic import JOBS, claim_run, run_job
    from homeward.operations.tests.test_periodic_jobs import _closed_port
    from homeward.tracing.models import MatchingWorker

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _closed_port()  # the server is down
    settings.HOMEWARD_DAILY_HOUR = 0
    MatchingWorker.objects.create(name="w", seen_at=timezone.now())
    (digest,) = (job for job in JOBS if job.name == "digest")
    at = timezone.localtime().replace(hour=1, minute=0, second=0, microsecond=0)
    run = claim_run(digest, "w", now=at)
    assert run is not None
    run_job(digest, run, now=at)
    run.refresh_from_db()
    assert run.succeeded is False and run.retry_at is not None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # back
    again = claim_run(digest, "w", now=run.retry_at)
    assert again is not None
    run_job(digest, again, now=run.retry_at)
    again.refresh_from_db()
    assert (again.succeeded, again.tries) == (True, 2)
    assert [m.to for m in mail.outbox] == [["caseworker@example.invalid"]]


def test_the_visits_of_a_case_that_ended_are_marked_and_never_overdue(
    examined_case: ChildCase, caseworker: User
) -> None:
    """The overdue lists walk the visits of cases not ended in an index of their own
    (`care_visit_due_open`, issue 21): ending a case marks its visits."""
    hand_over(
        examined_case, HandOverInput(date(2019, 1, 20), "RU-DA", institution="Children's home"),
        by=caseworker,
    )  # fmt: skip
    visible = cases_visible_to(caseworker)
    assert overdue_visits(visible, date(2019, 5, 1)).count() == 2
    assert not FollowUpVisit.objects.filter(case_ended=True).exists()
    transition(
        examined_case, CaseStatus.REACHED_MAJORITY, by=caseworker, reason="Turned 18",
        effective_on=date(2019, 3, 1), today=date(2019, 3, 1),
    )  # fmt: skip
    assert set(FollowUpVisit.objects.values_list("case_ended", flat=True)) == {True}
    assert not overdue_visits(visible, date(2019, 5, 1)).exists()
    # A visit whose mark was never set (a registry written before the mark) still is not.
    FollowUpVisit.objects.update(case_ended=False)
    assert not overdue_visits(visible, date(2019, 5, 1)).exists()
