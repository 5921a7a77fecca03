"""The data migration that stops ticking the checklist items that are steps of the case:
their evidence is kept (as the move's reason, or a note), and reversing ticks them again."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from homeward.cases import services
from homeward.cases.models import CaseNote, ChildCase, StatusTransition
from homeward.cases.services import NameInput
from homeward.missions.models import ReadinessCheck

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BEFORE = [("missions", "0004_recorded_flight_and_readiness_override")]
AFTER = [("missions", "0005_status_items_read_from_the_case")]


def migrate(target: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


def test_the_evidence_of_a_tick_is_kept_and_the_tick_removed(
    make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    migrate(BEFORE)  # (0005 moves data only: the schema is the same)
    case = make_case()
    services.transition(case, "verified", by=caseworker, effective_on=date(2018, 6, 1))
    ReadinessCheck.objects.create(
        case=case, item="identity_verified", done_on=date(2018, 6, 1), evidence="DNA match"
    )
    ReadinessCheck.objects.create(
        case=case, item="consent_recorded", done_on=date(2018, 6, 2), evidence="Mother's letter"
    )
    migrate(AFTER)
    assert not ReadinessCheck.objects.filter(case=case).exists()
    assert case.transitions.get(to_status="verified").reason == "DNA match"
    # The case never reached "consent obtained": the evidence is kept as a note.
    assert "Mother's letter" in case.notes.get().text
    migrate(BEFORE)
    assert ReadinessCheck.objects.get(case=case, item="identity_verified").evidence == "DNA match"
    migrate(AFTER)


# --- the set-based migration gives what the row-by-row one gave ---------------------------

STATUS_OF = {
    "identity_verified": "verified",
    "consent_recorded": "consent_obtained",
    "exit_clearance": "cleared_to_leave",
}


def _row_by_row_untick(apps: Any) -> None:
    """The migration as it was before it was set-based, a tick at a time: the reference."""
    ReadinessCheck = apps.get_model("missions", "ReadinessCheck")
    StatusTransition = apps.get_model("cases", "StatusTransition")
    CaseNote = apps.get_model("cases", "CaseNote")
    for check in ReadinessCheck.objects.filter(item__in=list(STATUS_OF)).order_by("id"):
        moves = StatusTransition.objects.filter(
            case_id=check.case_id, to_status=STATUS_OF[check.item]
        ).order_by("effective_on", "id")
        move = moves.last()
        evidence = check.evidence.strip()
        if move is not None and not move.reason.strip():
            move.reason = evidence
            move.save(update_fields=["reason"])
        elif evidence:
            CaseNote.objects.create(
                case_id=check.case_id,
                text=f"Checklist ({check.item.replace('_', ' ')}, {check.done_on}): {evidence}",
                noted_on=check.done_on,
                author_id=check.recorded_by_id,
            )
        check.delete()


def _row_by_row_tick(apps: Any) -> None:
    """The migration as it was backwards: a tick a move."""
    ReadinessCheck = apps.get_model("missions", "ReadinessCheck")
    StatusTransition = apps.get_model("cases", "StatusTransition")
    for item, status in STATUS_OF.items():
        moves = StatusTransition.objects.filter(to_status=status).order_by("effective_on", "id")
        for move in moves:
            ReadinessCheck.objects.update_or_create(
                case_id=move.case_id,
                item=item,
                defaults={
                    "done_on": move.effective_on,
                    "evidence": move.reason[:300],
                    "recorded_by_id": move.recorded_by_id,
                },
            )


def _state() -> tuple[list[Any], list[Any], list[Any]]:
    """What the migration changes: the moves' reasons, the notes (in the order written,
    without their ids, which a sequence rolled back does not give back on PostgreSQL) and
    the ticks."""
    reasons = list(StatusTransition.objects.order_by("id").values_list("id", "reason"))
    notes = list(
        CaseNote.objects.order_by("id").values_list("case_id", "text", "noted_on", "author_id")
    )
    ticks = sorted(
        ReadinessCheck.objects.values_list(
            "case_id", "item", "done_on", "evidence", "recorded_by_id"
        )
    )
    return reasons, notes, ticks


def _as_the_row_by_row_code_leaves_it(
    run: Callable[[Any], None], state: list[tuple[str, str]]
) -> Any:
    """The state the row-by-row code leaves, from a transaction rolled back afterwards."""
    apps = MigrationExecutor(connection).loader.project_state(state).apps
    with transaction.atomic():
        run(apps)
        result = _state()
        transaction.set_rollback(True)
    return result


def _random_history(
    make_case: Callable[..., ChildCase], caseworker: User, supervisor: User
) -> None:
    """Cases that reached the three statuses, some twice, on the same day or later, with
    and without reasons (blank ones among them), and ticks with and without evidence, with
    a move to hold it or none."""
    rng = random.Random(15)
    for number in range(40):
        case = make_case(names=[NameInput(f"Child {number}", "consular")])
        for status in STATUS_OF.values():
            for _ in range(rng.choice([0, 1, 1, 2])):
                StatusTransition.objects.create(
                    case=case, from_status="identified", to_status=status,
                    effective_on=date(2018, 1, 1) + timedelta(rng.randrange(3)),
                    reason=rng.choice(["", "", "  ", "Seen by the consul"]),
                    recorded_by=rng.choice([caseworker, supervisor, None]),
                )  # fmt: skip
        for item in rng.sample(list(STATUS_OF), rng.randrange(4)):
            ReadinessCheck.objects.create(
                case=case, item=item, done_on=date(2018, 2, 1) + timedelta(rng.randrange(30)),
                evidence=rng.choice(["", " ", "DNA match", "  Letter 12  "]),
                recorded_by=rng.choice([caseworker, None]),
            )  # fmt: skip
        ReadinessCheck.objects.create(case=case, item="fit_to_fly", done_on=date(2018, 3, 1))


def test_the_set_based_migration_leaves_what_the_row_by_row_one_left(
    make_case: Callable[..., ChildCase], caseworker: User, supervisor: User
) -> None:
    migrate(BEFORE)
    _random_history(make_case, caseworker, supervisor)
    expected = _as_the_row_by_row_code_leaves_it(_row_by_row_untick, AFTER)
    assert expected[1], "some evidence became notes"
    migrate(AFTER)
    assert _state() == expected
    expected = _as_the_row_by_row_code_leaves_it(_row_by_row_tick, BEFORE)
    migrate(BEFORE)
    assert _state() == expected
    migrate(AFTER)
