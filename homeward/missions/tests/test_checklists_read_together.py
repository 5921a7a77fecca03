"""The checklists of many children are read together, as plain values (issue 21): a
mission's page with 200 children on board read each child's ticks, relatives and status
history as model instances through per-child prefetches (3,000 instances and a queryset
per child and relation: 185 to 280 ms of CPU at 100k children, 493 ms at 1M), and the
dashboard read the manifest of each mission in preparation apart."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.models import QuerySet
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from homeward.cases import services as cases
from homeward.cases.models import ChildCase, FamilyMember
from homeward.conftest import signed_in
from homeward.missions import readiness
from homeward.missions import services as missions
from homeward.missions.models import ReadinessItem

pytestmark = pytest.mark.django_db


def test_the_gaps_read_together_are_each_childs_checklist(
    make_case: Callable[..., ChildCase],
    make_ready_case: Callable[..., ChildCase],
    caseworker: User,
) -> None:
    ready = make_ready_case()
    skipped = make_ready_case(skip=(ReadinessItem.FIT_TO_FLY, ReadinessItem.TRAVEL_DOCUMENT))
    held = make_ready_case(skip=(ReadinessItem.CITIZENSHIP_CONFIRMED,))
    cases.transition(held, "on_hold", by=caseworker, reason="Waiting for the court")
    unsuitable = make_ready_case()
    FamilyMember.objects.filter(case=unsuitable).update(home_assessment="unsuitable")
    verified = make_case()
    cases.transition(verified, "verified", by=caseworker, effective_on=date(2018, 6, 1))
    held_early = make_case()
    cases.transition(held_early, "verified", by=caseworker, effective_on=date(2018, 6, 1))
    cases.transition(held_early, "on_hold", by=caseworker, reason="Court")
    registered = make_case()
    every = [ready, skipped, held, unsuitable, verified, held_early, registered]
    for case in every:
        case.refresh_from_db()
    expected = {case.pk: readiness.missing_items(case) for case in every}
    assert readiness.missing_by_case(every) == expected
    assert expected[ready.pk] == []
    assert len({tuple(gaps) for gaps in expected.values()}) >= 5  # the cases differ


@pytest.fixture
def instances() -> Iterator[list[int]]:
    """The model instances made while the test runs (Django sends post_init for each)."""
    made = [0]

    def count(**_: Any) -> None:
        made[0] += 1

    post_init.connect(count, weak=False)
    yield made
    post_init.disconnect(count)


def _made(client: Any, url: str, instances: list[int]) -> int:
    client.get(url)
    before = instances[0]
    assert client.get(url).status_code == 200
    return instances[0] - before


def test_a_missions_page_makes_a_few_instances_per_child_on_board(
    make_mission: Callable[..., Any],
    make_ready_case: Callable[..., ChildCase],
    coordinator: User,
    instances: list[int],
) -> None:
    mission = make_mission(departs_on=date(2031, 1, 1), arrives_on=date(2031, 1, 1))
    missions.add_to_manifest(mission, make_ready_case(), by=coordinator)
    client = signed_in(coordinator)
    url = reverse("missions:detail", args=[mission.pk])
    one = _made(client, url, instances)
    for _ in range(3):
        missions.add_to_manifest(mission, make_ready_case(), by=coordinator)
    four = _made(client, url, instances)
    # The entry, its case, the child and its names (three here): not its ticks (three),
    # relatives and status moves (four), read with each child before.
    assert (four - one) / 3 <= 6


def test_the_candidates_checklists_are_read_together(
    make_mission: Callable[..., Any],
    make_ready_case: Callable[..., ChildCase],
    coordinator: User,
    instances: list[int],
) -> None:
    mission = make_mission(departs_on=date(2031, 1, 1), arrives_on=date(2031, 1, 1))
    make_ready_case()
    client = signed_in(coordinator)
    url = reverse("missions:detail", args=[mission.pk])
    one = _made(client, url, instances)
    for _ in range(3):
        make_ready_case()
    four = _made(client, url, instances)
    page = client.get(url)
    assert len(page.context["detail"].ready) == 4
    assert (four - one) / 3 <= 5  # the case, the child and its names (three here)


def _dashboard_queries(client: Any) -> int:
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    return len(captured.captured_queries)


def test_the_dashboard_reads_the_missions_in_preparation_together(
    make_mission: Callable[..., Any],
    make_ready_case: Callable[..., ChildCase],
    coordinator: User,
    caseworker: User,
) -> None:
    first = make_mission(departs_on=date(2031, 1, 1), arrives_on=date(2031, 1, 1))
    missions.add_to_manifest(first, make_ready_case(), by=coordinator)
    client = signed_in(coordinator)
    one = _dashboard_queries(client)
    for day in (2, 3):
        another = make_mission(departs_on=date(2031, 1, day), arrives_on=date(2031, 1, day))
        missions.add_to_manifest(another, make_ready_case(), by=coordinator)
        held = make_ready_case()
        missions.add_to_manifest(another, held, by=coordinator)
        cases.transition(held, "on_hold", by=caseworker, reason="Waiting for the court")
    assert _dashboard_queries(client) == one
    shown = {r.mission.pk: (r.on_board, r.ready) for r in client.get("/").context["missions"]}
    assert shown[first.pk] == (1, 1)
    assert sorted(shown.values()) == [(1, 1), (2, 1), (2, 1)]


def test_the_status_history_of_many_children_is_read_by_case() -> None:
    """Asked for the moves to four statuses as well, SQLite read every move to those
    statuses from the statistics' index (300k at 100k children, 57 ms) rather than the
    few of the manifest's children."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's plan; PostgreSQL plans by its statistics")
    sql, params = readiness.history_of([1, 2, 3]).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "cases_transition_reached" not in plan
    assert "case_id" in plan


@pytest.fixture
def querysets(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The querysets made while the test runs (a prefetch into a related manager makes
    one per object, 0.05 ms each)."""
    made = [0]
    init = QuerySet.__init__

    def counted(self: Any, *args: Any, **kwargs: Any) -> None:
        made[0] += 1
        init(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "__init__", counted)
    return made


def test_a_missions_page_makes_no_queryset_per_child(
    make_mission: Callable[..., Any],
    make_ready_case: Callable[..., ChildCase],
    coordinator: User,
    querysets: list[int],
) -> None:
    mission = make_mission(departs_on=date(2031, 1, 1), arrives_on=date(2031, 1, 1))
    missions.add_to_manifest(mission, make_ready_case(), by=coordinator)
    make_ready_case()  # a candidate
    client = signed_in(coordinator)
    url = reverse("missions:detail", args=[mission.pk])
    one = _made(client, url, querysets)
    for _ in range(3):
        missions.add_to_manifest(mission, make_ready_case(), by=coordinator)
        make_ready_case()
    assert _made(client, url, querysets) == one
    page = client.get(url).content.decode()
    assert page.count("Амина Исаева") >= 8  # each child's name, on board and cleared
