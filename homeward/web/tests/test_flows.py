"""The three flows as users walk them (issue 15): a case from identification to closed, a
mission from planned to closed or cancelled, a tracing request from filed to closed.

From every state each test checks, on the page, that:
1. every move the rules allow from there is offered, by the role who makes it (a form, a
   button or a link), or said in words with who makes it;
2. taking the offered move leads on to the next state (the walk is made through the pages);
3. no state but the last is a dead end;
4. a move the state does not allow is refused, and the refusal says why, in an error style.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from homeward.cases.models import ChildCase
from homeward.cases.services import NameInput, RelativeInput
from homeward.cases.status import FINAL, FLOW, allowed_next
from homeward.conftest import signed_in
from homeward.missions.models import Mission, MissionStatus
from homeward.tracing.models import MatchCandidate, MatchDecision, TracingRequest
from homeward.tracing.tests.test_matching_registry import AMINA_SOUGHT, amina_case, match
from homeward.tracing.tests.test_matching_registry import request_for as file_for

pytestmark = pytest.mark.django_db

ERROR_STYLE = re.compile(r'class="(refusal|errorlist)[^"]*"')


def page_of(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def section(page: str, marker: str) -> str:
    """The part of a page from `marker` to the end of its section."""
    start = page.index(marker)
    return page[start : page.index("</section>", start)]


def by_hand(page: str) -> set[str]:
    """The moves the case page's status form offers."""
    if 'id="change-status"' not in page:
        return set()
    form = section(page, 'id="change-status"')
    if 'name="to_status"' not in form:
        return set()
    return set(re.findall(r'<option value="([a-z_]+)"', form.split('name="to_status"')[1]))


def next_steps(page: str) -> str:
    return section(page, 'data-testid="next-steps"')


def explains(response: Any, words: str) -> None:
    """A refused move: the page (after any redirect) says why, in an error style."""
    page = html.unescape(response.content.decode())
    assert words in page, words
    assert ERROR_STYLE.search(page), "a refusal must look like one"


def now_minute() -> datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


def stamp(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


# --- a case, from identification to closed -------------------------------------------------


class CaseWalk:
    """One child walked through the case pages by the roles who make each step."""

    def __init__(self, case: ChildCase, users: dict[str, User]) -> None:
        self.case = case
        self.clients = {role: signed_in(user) for role, user in users.items()}
        self.url = reverse("cases:detail", args=[case.pk])

    def page(self, role: str = "caseworker") -> str:
        return page_of(self.clients[role], self.url)

    def status(self) -> str:
        self.case.refresh_from_db()
        return self.case.status

    def check_offers(self) -> None:
        """1 and 3: each allowed move is offered by hand or under "What comes next"."""
        status = self.status()
        page = self.page()
        if status in FINAL:
            assert "nothing more comes next" in next_steps(page)
            assert by_hand(page) == set()
            return
        offered = by_hand(page)
        steps = next_steps(page)
        allowed = allowed_next(status, None)
        forward = [s for s in allowed if s in FLOW and FLOW.index(s) > FLOW.index(status)]
        assert forward, f"{status} is a dead end"
        for move in allowed:
            said = str(move.label) in steps or move in offered
            assert said or move not in forward, f"{status} → {move} is not offered"
        for move in ("on_hold", "died"):  # always possible by hand while the case is open
            assert move in offered, f"{status}: {move}"

    def refuse_a_move(self) -> None:
        """4: a move the state does not allow is refused and says why."""
        status = self.status()
        wrong = "verified" if status != "identified" else "closed"
        if status in FINAL or wrong in allowed_next(status, None):
            wrong = "examined"
        response = self.clients["caseworker"].post(
            reverse("cases:change_status", args=[self.case.pk]),
            {"to_status": wrong, "effective_on": timezone.localdate().isoformat(), "reason": "x"},
        )
        assert response.status_code == 400
        explains(response, "cannot move to" if status not in FINAL else "none: the case has ended")

    def move_by_hand(self, to: str, reason: str = "") -> None:
        """2: the status form's move leads on."""
        assert to in by_hand(self.page()), to
        response = self.clients["caseworker"].post(
            reverse("cases:change_status", args=[self.case.pk]),
            {"to_status": to, "effective_on": timezone.localdate().isoformat(), "reason": reason},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        assert self.status() == to

    def link(self, role: str, words: str) -> str:
        """The link under "What comes next" that the role is offered, by its words."""
        steps = next_steps(self.page(role))
        found = re.search(rf'<a href="([^"]+)"[^>]*>{re.escape(words)}', steps)
        assert found, f"{role} is not offered {words!r}: {steps}"
        return found.group(1).replace("&amp;", "&")


@pytest.fixture
def walker(
    make_case: Callable[..., ChildCase],
    caseworker: User,
    supervisor: User,
    medic: User,
    coordinator: User,
) -> CaseWalk:
    grandmother = RelativeInput(
        "grandmother", [NameInput("Патимат Исаева", "family")], sex="f", status="alive",
        willing_to_take_custody="willing", home_assessment="suitable",
        home_assessed_on=date(2018, 11, 1),
    )  # fmt: skip
    case = make_case(relatives=[grandmother])
    users = {
        "caseworker": caseworker, "supervisor": supervisor, "medic": medic,
        "coordinator": coordinator,
    }  # fmt: skip
    return CaseWalk(case, users)


def test_a_case_from_identification_to_closed(
    walker: CaseWalk, make_mission: Callable[..., Mission]
) -> None:
    walk = walker
    # Identified, verified, family traced, consent obtained, cleared to leave: by hand.
    for to, evidence in (
        ("verified", "DNA match with the grandmother"),
        ("family_traced", ""),
        ("consent_obtained", "Mother's written consent"),
        ("cleared_to_leave", "Host court order"),
    ):
        walk.check_offers()
        walk.refuse_a_move()
        walk.move_by_hand(to, evidence)
    # The checklist says the same as the status (one fact, one place).
    page = walk.page()
    assert "✓ Identity verified" in page and "✓ Host exit clearance" in page

    # Cleared to leave, but not ready yet: the page says what is missing.
    walk.check_offers()
    walk.refuse_a_move()
    assert "Not yet ready for a seat on a mission" in next_steps(walk.page())
    tick = reverse("missions:record_readiness", args=[walk.case.pk])
    today = timezone.localdate().isoformat()
    for role, item in (
        ("caseworker", "citizenship_confirmed"),
        ("caseworker", "travel_document"),
        ("medic", "fit_to_fly"),
    ):
        walk.clients[role].post(tick, {"item": item, "done_on": today, "evidence": "seen"})
    # Ready: a coordinator is led to the missions in preparation, and adds the child there.
    assert "Ready for a seat on a mission" in walk.page()
    mission = make_mission(departs_on=timezone.localdate(), arrives_on=timezone.localdate())
    missions_url = walk.link("coordinator", "Missions")
    assert mission.code in page_of(walk.clients["coordinator"], missions_url)
    coordinator = walk.clients["coordinator"]
    coordinator.post(reverse("missions:add_child", args=[mission.pk]), {"case": walk.case.pk})
    assert walk.status() == "assigned_to_mission"

    # On the manifest: the mission takes the child home (or back off it).
    walk.check_offers()
    walk.refuse_a_move()
    assert walk.link("caseworker", mission.code) == reverse("missions:detail", args=[mission.pk])
    response = walk.clients["caseworker"].post(
        reverse("cases:change_status", args=[walk.case.pk]),
        {"to_status": "repatriated", "effective_on": today},
    )
    explains(response, "the mission's arrival records the return")
    coordinator.post(reverse("missions:confirm", args=[mission.pk]))
    walk.clients["supervisor"].post(reverse("missions:approve", args=[mission.pk]))
    coordinator.post(
        reverse("missions:depart", args=[mission.pk]), {"departed_at": stamp(now_minute())}
    )
    coordinator.post(
        reverse("missions:arrival", args=[mission.pk]),
        {"arrived_at": stamp(now_minute()), "reception": "Children's hospital, Moscow"},
    )
    assert walk.status() == "repatriated"

    # Home: the placement moved, the readiness panel gave way, the examination is next.
    page = walk.page()
    assert "Reception on arrival, Russia" in page and "Children&#x27;s hospital, Moscow" in page
    assert "Ready to travel?" not in page
    walk.check_offers()
    walk.refuse_a_move()
    explains(
        walk.clients["caseworker"].post(
            reverse("cases:change_status", args=[walk.case.pk]),
            {"to_status": "examined", "effective_on": today},
        ),
        "A medical officer records the arrival examination",
    )
    exam = walk.link("medic", "Record the examination")
    response = walk.clients["medic"].post(
        exam, {"hospital": "Children's hospital", "examined_on": today}
    )
    assert response.status_code == 302 and walk.status() == "examined"

    # Examined: the hand-over is next.
    walk.check_offers()
    walk.refuse_a_move()
    hand_over = walk.link("caseworker", "Record the hand-over")
    grandmother = walk.case.family.get(relationship="grandmother")
    walk.clients["caseworker"].post(
        hand_over,
        {"handed_over_on": today, "receiving_relative": grandmother.pk, "region": "RU-DA"},
    )
    assert walk.status() == "placed"

    # Placed: the first visit is next, and moves the case to follow-up.
    walk.check_offers()
    walk.refuse_a_move()
    visit = walk.link("caseworker", "Record the visit")
    walk.clients["caseworker"].post(visit, {"visited_on": today, "schooling": "At school"})
    assert walk.status() == "in_follow_up"

    # In follow-up: the next visits, and closing by hand.
    walk.check_offers()
    walk.refuse_a_move()
    walk.move_by_hand("closed", "Follow-up complete")

    # Closed: nothing more, and a move says why not.
    walk.check_offers()
    walk.refuse_a_move()
    assert "Ready to travel?" not in walk.page()


def test_a_form_the_state_does_not_allow_is_not_opened_and_says_why(walker: CaseWalk) -> None:
    for role, url, words in (
        ("medic", "health:record_examination", "a child is examined after arrival"),
        ("caseworker", "care:hand_over", "handed over after the arrival examination"),
    ):
        response = walker.clients[role].get(reverse(url, args=[walker.case.pk]), follow=True)
        assert response.redirect_chain[-1][0].endswith("#next")
        explains(response, words)
        assert "<form" not in section(response.content.decode(), 'data-testid="next-steps"')


# --- a mission, from planned to closed or cancelled ---------------------------------------


class MissionWalk:
    def __init__(self, mission: Mission, coordinator: User, supervisor: User) -> None:
        self.mission = mission
        self.coordinator = signed_in(coordinator)
        self.supervisor = signed_in(supervisor)
        self.url = reverse("missions:detail", args=[mission.pk])

    def status(self) -> str:
        self.mission.refresh_from_db()
        return self.mission.status

    def steps(self, client: Client) -> str:
        page = page_of(client, self.url)
        return page[page.index('data-testid="steps"') :].split("</section>")[0]

    def post(self, client: Client, name: str, data: dict[str, str] | None = None) -> Any:
        return client.post(reverse(name, args=[self.mission.pk]), data or {}, follow=True)


@pytest.fixture
def mission_walk(
    make_ready_case: Callable[..., ChildCase],
    make_mission: Callable[..., Mission],
    coordinator: User,
    supervisor: User,
) -> MissionWalk:
    today = timezone.localdate()
    mission = make_mission(departs_on=today, arrives_on=today)
    walk = MissionWalk(mission, coordinator, supervisor)
    # Planned, empty: the manifest is filled from the page.
    case = make_ready_case()
    candidates = section(page_of(walk.coordinator, walk.url), 'id="candidates"')
    assert case.reference in candidates and ">Add</button>" in candidates
    walk.coordinator.post(reverse("missions:add_child", args=[mission.pk]), {"case": case.pk})
    return walk


def test_a_mission_from_planned_to_closed(mission_walk: MissionWalk) -> None:
    walk = mission_walk
    # Each state: what is offered to whom, a step out of turn refused with why, then on.
    assert walk.status() == MissionStatus.PLANNED
    assert "Confirm the manifest" in walk.steps(walk.coordinator)
    assert "Next: the mission coordinator confirms" in walk.steps(walk.supervisor)
    explains(walk.post(walk.supervisor, "missions:confirm"), "Only a mission coordinator")
    explains(walk.post(walk.coordinator, "missions:close"), "Only a mission that has arrived")
    walk.post(walk.coordinator, "missions:confirm")

    assert walk.status() == MissionStatus.MANIFEST_CONFIRMED
    assert "Approve the manifest" in walk.steps(walk.supervisor)
    assert "Next: a supervisor approves" in walk.steps(walk.coordinator)
    explains(
        walk.post(walk.coordinator, "missions:depart", {"departed_at": stamp(now_minute())}),
        "must have its manifest confirmed and approved first",
    )
    walk.post(walk.supervisor, "missions:approve")

    walk.status()
    assert walk.mission.approved_at is not None
    steps = walk.steps(walk.coordinator)
    assert 'name="departed_at"' in steps and "Record departure" in steps
    explains(
        walk.post(walk.coordinator, "missions:depart", {"departed_at": "2999-01-01T00:00"}),
        "The departure time is in the future.",
    )
    walk.post(walk.coordinator, "missions:depart", {"departed_at": stamp(now_minute())})

    assert walk.status() == MissionStatus.DEPARTED
    assert "Record arrival" in walk.steps(walk.coordinator)
    assert "Cancel the mission" not in page_of(walk.coordinator, walk.url)
    explains(walk.post(walk.coordinator, "missions:cancel", {"reason": "x"}), "its manifest can no")
    arrival = reverse("missions:arrival", args=[walk.mission.pk])
    form = page_of(walk.coordinator, arrival)
    assert 'name="arrived_at"' in form and 'name="reception"' in form
    refused = walk.coordinator.post(arrival, {"arrived_at": "2000-01-01T10:00"})
    assert refused.status_code == 400
    explains(refused, "it cannot land before")
    walk.coordinator.post(arrival, {"arrived_at": stamp(now_minute())})

    assert walk.status() == MissionStatus.ARRIVED
    assert "Close the mission" in walk.steps(walk.coordinator)
    walk.post(walk.coordinator, "missions:close")

    assert walk.status() == MissionStatus.CLOSED
    assert "Nothing more happens to this mission." in walk.steps(walk.coordinator)
    explains(walk.post(walk.coordinator, "missions:close"), "Only a mission that has arrived")


@pytest.mark.parametrize("confirmed", [False, True])
def test_a_mission_cancelled_while_planned_or_confirmed(
    mission_walk: MissionWalk, confirmed: bool
) -> None:
    walk = mission_walk
    if confirmed:
        walk.post(walk.coordinator, "missions:confirm")
    page = page_of(walk.coordinator, walk.url)
    assert "Cancel the mission" in page
    explains(walk.post(walk.coordinator, "missions:cancel", {"reason": ""}), "Say why the mission")
    walk.post(walk.coordinator, "missions:cancel", {"reason": "Airspace closed"})
    assert walk.status() == MissionStatus.CANCELLED
    assert "Nothing more happens to this mission." in walk.steps(walk.coordinator)
    case = walk.mission.manifest.get().case
    case.refresh_from_db()
    assert case.status == "cleared_to_leave"  # the child is free for the next mission


# --- a tracing request, from filed to closed ----------------------------------------------


class RequestWalk:
    def __init__(self, request: TracingRequest, caseworker: User) -> None:
        self.request = request
        self.client = signed_in(caseworker)
        self.url = reverse("tracing:detail", args=[request.pk])

    def page(self) -> str:
        return page_of(self.client, self.url)

    def status(self) -> str:
        self.request.refresh_from_db()
        return self.request.status


def test_a_tracing_request_from_filed_to_closed(
    make_case: Callable[..., ChildCase], agency: Any, caseworker: User
) -> None:
    amina, twin = amina_case(make_case), amina_case(make_case)  # one child, registered twice
    walk = RequestWalk(file_for(agency, caseworker, AMINA_SOUGHT), caseworker)

    # Filed: matching runs in the background; the page says so and refreshes itself.
    page = walk.page()
    assert "this page refreshes when it is done" in page and "homeward/matching.js" in page
    assert "Close the request" in page  # never a dead end, even before any candidate
    match()

    # Candidates: each reviewed side by side, confirmed or rejected from the page.
    page = walk.page()
    assert page.count('data-testid="candidate"') == 2 and page.count("Compare side by side") == 2
    first, second = (MatchCandidate.objects.get(case=amina), MatchCandidate.objects.get(case=twin))
    review = page_of(walk.client, reverse("tracing:review", args=[second.pk]))
    assert 'data-testid="side-by-side"' in review and 'data-testid="decide"' in review
    decide = reverse("tracing:decide_match", args=[second.pk])
    asked = walk.client.post(decide, {"decision": "reject", "reason": "Registered twice"})
    assert "Reject this proposal?" in asked.content.decode()  # asked again before it is for good
    walk.client.post(decide, {"decision": "reject", "sure": "yes", "reason": "Registered twice"})
    assert walk.status() == "open"  # the child is not found yet
    # A move out of turn (closing without saying why) is refused, and says why.
    again = walk.client.post(
        reverse("tracing:close", args=[walk.request.pk]), {"reason": ""}, follow=True
    )
    explains(again, "Say why the request is closed")

    response = walk.client.post(
        reverse("tracing:decide_match", args=[first.pk]),
        {"decision": "confirm", "mark_traced": "on", "reason": "The mother's name agrees"},
        follow=True,
    )
    # The case was only identified: not marked family traced, and the page says why.
    explains(response, "Not marked family traced")
    assert walk.status() == "closed"  # everyone sought is found

    # Closed: nothing more is offered, and a late decision is refused with why.
    page = walk.page()
    assert 'data-testid="decide"' not in page and "Close the request" not in page
    assert f"{amina.reference}: confirmed as the child sought" in page
    assert MatchDecision.objects.count() == 2
    MatchCandidate.objects.create(
        sought=first.sought, case=make_case(), score=0.5, match_weight=1.0, explanation=[],
        explanation_text="", computed_at=timezone.now(),
    )  # fmt: skip
    late = MatchCandidate.objects.exclude(case__in=[amina, twin]).get()
    explains(
        walk.client.post(
            reverse("tracing:decide_match", args=[late.pk]), {"decision": "confirm"}, follow=True
        ),
        "The request is closed",
    )


def test_a_tracing_request_closed_by_hand(agency: Any, caseworker: User) -> None:
    walk = RequestWalk(file_for(agency, caseworker, AMINA_SOUGHT), caseworker)
    match()
    assert "No candidate: the matching engine found no one likely." in walk.page()
    walk.client.post(
        reverse("tracing:close", args=[walk.request.pk]), {"reason": "Found by the family"}
    )
    assert walk.status() == "closed"
    explains(
        walk.client.post(
            reverse("tracing:close", args=[walk.request.pk]), {"reason": "again"}, follow=True
        ),
        "The request is already closed.",
    )
