"""The data migration that stops ticking the checklist items that are steps of the case:
their evidence is kept (as the move's reason, or a note), and reversing ticks them again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from homeward.cases import services
from homeward.cases.models import ChildCase
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
