"""A page asks the database the same number of questions for three rows as for one: the
case list, every panel of the dashboard and the statistics page (issue 21: no query per
row), and the missions list. Rows are added to every list a page shows, then the page is
counted again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from homeward.care.models import FollowUpVisit, HandOver
from homeward.cases import services
from homeward.cases.models import ChildCase
from homeward.cases.services import NameInput, PlacementInput
from homeward.conftest import signed_in
from homeward.missions import services as missions
from homeward.rules.models import CustodyRule, RuleAlert
from homeward.tracing.models import MatchCandidate
from homeward.tracing.services import RequestInput, SoughtInput, file_request

pytestmark = pytest.mark.django_db


def queries(client: Client, url: str) -> int:
    client.get(url)  # the first request fills per-process caches (templates, content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.fixture
def add_rows(
    make_case: Callable[..., ChildCase],
    make_ready_case: Callable[..., ChildCase],
    make_mission: Callable[..., Any],
    caseworker: User,
    coordinator: User,
) -> Callable[[], None]:
    """One more row in every list of the case list, the dashboard and the statistics:
    a case with names in three scripts, an open custody alert, an overdue visit, a child
    ready to leave (and one on a planned mission), a child home awaiting examination, and
    a proposed tracing match."""
    rule = CustodyRule.objects.create(
        host_country="IQ", age_limit_years=3, action="Placed with relatives",
        source="Test", valid_from=date(2017, 1, 1),
    )  # fmt: skip
    mission = make_mission(departs_on=date(2030, 1, 1), arrives_on=date(2030, 1, 1))
    today = timezone.localdate()

    def add() -> None:
        case = make_case(
            names=[NameInput("Амина Исаева", "consular"), NameInput("Amina Isaeva", "ngo"),
                   NameInput("أمينة عيسى", "host_authority")],
        )  # fmt: skip
        RuleAlert.objects.create(
            case=case, rule=rule, kind="due", message="Turns three", raised_on=date(2018, 6, 1),
            evaluated_on=date(2018, 6, 1), limit_earliest=date(2018, 8, 1),
        )  # fmt: skip
        home = make_case(names=[NameInput("Fatima Home", "consular")])
        for step in ("verified", "family_traced", "consent_obtained", "cleared_to_leave",
                     "assigned_to_mission", "repatriated"):  # fmt: skip
            services.transition(home, step, by=caseworker, effective_on=date(2018, 6, 1))
        hand_over = HandOver.objects.create(
            case=home, handed_over_on=date(2018, 6, 2), receiver_kind="state_institution",
            institution="Home", region="RU-DA",
        )  # fmt: skip
        FollowUpVisit.objects.create(
            case=home, hand_over=hand_over, months_after=1, due_on=today - timedelta(days=9)
        )
        make_ready_case()
        missions.add_to_manifest(mission, make_ready_case(), by=coordinator)
        request = file_request(
            RequestInput([NameInput("Патимат Исаева", "family")], "grandmother",
                         date(2019, 1, 1), [SoughtInput("child", [NameInput("Амина", "family")])]),
            agency=case.agency, by=caseworker,
        )  # fmt: skip
        MatchCandidate.objects.create(
            sought=request.sought.get(), case=case, score=0.9, match_weight=3,
            explanation={}, explanation_text="", computed_at=timezone.now(),
        )  # fmt: skip
        services.move_placement(case, PlacementInput("IQ", "camp", date(2018, 7, 1)), by=caseworker)

    return add


@pytest.mark.parametrize(
    "url",
    [
        reverse("cases:list"),
        reverse("cases:list") + "?host=IQ&age_band=0-2",
        reverse("home"),
        reverse("statistics:page"),
        reverse("statistics:page") + "?as_of=2019-01-05&by=region&by=age-band",
        reverse("statistics:page") + "?flow=repatriated&flow_from=2018-01-01&flow_to=2018-12-31"
        "&by=host&by=age-band",
    ],
)
def test_a_page_asks_as_many_queries_for_three_rows_as_for_one(
    url: str, add_rows: Callable[[], None], supervisor: User, caseworker: User
) -> None:
    add_rows()
    clients = [signed_in(supervisor), signed_in(caseworker)]
    one = [queries(client, url) for client in clients]
    add_rows()
    add_rows()
    assert [queries(client, url) for client in clients] == one


def test_the_missions_list_counts_each_manifest_in_the_same_query(
    make_mission: Callable[..., Any], make_ready_case: Callable[..., ChildCase], coordinator: User
) -> None:
    client = signed_in(coordinator)

    def add_mission() -> None:
        mission = make_mission(departs_on=date(2031, 1, 1), arrives_on=date(2031, 1, 1))
        missions.add_to_manifest(mission, make_ready_case(), by=coordinator)

    add_mission()
    one = queries(client, reverse("missions:list"))
    add_mission()
    add_mission()
    assert queries(client, reverse("missions:list")) == one
