"""The demo scenario: deterministic, invented, and faithful to the published figures."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from homeward.accounts.models import Agency, AgencyKind
from homeward.care.models import FollowUpVisit, HandOver
from homeward.cases.models import ChildCase, StatusTransition
from homeward.conftest import signed_in
from homeward.demo.figures import report_figures
from homeward.demo.scenario import DemoScenario
from homeward.health.models import ArrivalExamination
from homeward.lib.scripts import detect_script
from homeward.missions.models import Mission
from homeward.people.models import PersonName
from homeward.web.dashboard import missions_in_preparation


def test_the_plan_is_the_same_on_every_run() -> None:
    def fingerprint() -> list[tuple[str, str, str, str]]:
        families = DemoScenario().plan()
        return [
            (c.cohort, c.region, c.dob.isoformat(), c.birth.describe())
            for f in families
            for c in f.children
        ]

    assert fingerprint() == fingerprint()


def test_the_plan_has_children_with_every_kind_of_birth_date() -> None:
    precisions = {c.birth.precision for f in DemoScenario().plan() for c in f.children}
    assert precisions == {"day", "month", "year", "estimate"}


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.slow
@pytest.mark.django_db
def test_the_demo_reproduces_every_published_figure_from_its_records() -> None:
    output = run("demo", "--no-serve")
    assert "Loaded 205 invented children" in output
    assert "coordinator" in output and "homeward-demo" in output

    figures = report_figures()
    assert [f.claim for f in figures if not f.holds] == []
    assert {f.claim: f.actual for f in figures} == {
        "2018-12-30: children repatriated": 30,
        "2018-12-30: their ages": (3, 10),
        "2018-12-30: from Dagestan (RU-DA)": 24,
        "2018-12-30: from Chechnya (RU-CE)": 3,
        "2018-12-30: from other regions": 3,
        "2019-01-05: in Iraq, aged below 10": 115,
        "2019-01-05: in Iraq, aged 11 to 17": 8,
        "2019-02-10: children repatriated": 27,
        "2019-02-10: their ages": (4, 13),
        "2019-02-10: regions they come from": 10,
    }

    # The same figures through the command a coordinator would type.
    in_iraq = json.loads(
        run("stats", "--as-of", "2019-01-05", "--host", "IQ", "--by", "age-band", "--json")
    )
    assert {r["age-band"]: r["count"] for r in in_iraq["rows"]} == {
        "below 10": 115,
        "10": 0,
        "11-17": 8,
        "18+": 0,
    }
    mission_1 = json.loads(
        run("stats", "--repatriated-on", "2018-12-30", "--by", "region", "--json")
    )
    assert mission_1["rows"][0] == {"region": "RU-DA", "count": 24}
    assert mission_1["ages"] == {"youngest": 3, "oldest": 10}
    mission_2 = run("stats", "--repatriated-on", "2019-02-10", "--by", "region")
    assert "total" in mission_2 and "27" in mission_2 and "Aged 4 to 13." in mission_2

    # Field data as it really is: every child under several spellings in three scripts.
    assert ChildCase.objects.count() == 205
    scripts = {detect_script(n) for n in PersonName.objects.values_list("full_name", flat=True)}
    assert {"Latn", "Cyrl", "Arab"} <= scripts
    assert_the_journey_home_is_recorded()

    # The relatives' tracing requests find the children, across scripts, in the background.
    assert "children sought by relatives" in output
    from homeward.tracing.models import SoughtPerson

    sought = SoughtPerson.objects.count()
    ranked = re.search(
        r"of (\d+) children sought by relatives, (\d+) have the right child ranked first "
        r"and (\d+) within the top 5",
        output,
    )
    assert ranked is not None and int(ranked.group(1)) == sought
    assert int(ranked.group(2)) >= 0.9 * sought and int(ranked.group(3)) >= 0.95 * sought

    # Loading again changes nothing.
    assert "already loaded" in run("demo", "--no-serve")
    assert ChildCase.objects.count() == 205


def assert_the_journey_home_is_recorded() -> None:
    """Both flights with their manifests, examinations and placements; a mission being
    prepared; and the dashboard of January 2019 with the children about to turn three."""
    for code, children, day in (("M-2018-12", 30, "2018-12-30"), ("M-2019-02", 27, "2019-02-10")):
        mission = Mission.objects.get(code=code)
        assert mission.status == "closed" and mission.approved_by is not None
        assert mission.on_board().filter(travelled=True).count() == children
        travelled = mission.on_board().values_list("case", flat=True)
        assert ArrivalExamination.objects.filter(case__in=travelled).count() == children
        assert HandOver.objects.filter(case__in=travelled, receiver_kind="relatives").count() == (
            children
        )
        repatriated = StatusTransition.objects.filter(
            case__in=travelled, to_status="repatriated", effective_on=day
        )
        assert repatriated.count() == children
    assert FollowUpVisit.objects.exclude(visited_on=None).count() > 200
    planned = Mission.objects.get(code="M-2026-12")
    assert planned.status == "planned" and planned.on_board().count() > 0
    coordinator = User.objects.get(username="coordinator")
    board = signed_in(coordinator).get("/?on=2019-01-21").content.decode()
    assert "Turns 3 on 2019-03-16: 54 days from 2019-01-21." in board
    assert board.count("straddles") + board.count("uncertain date of birth") >= 2
    missions = [m for m in missions_in_preparation() if m.mission == planned]
    assert missions[0].not_ready == 1  # the child whose travel document expired


@pytest.mark.django_db
def test_the_demo_refuses_to_load_into_a_database_with_other_data() -> None:
    Agency.objects.create(name="Real agency", short_name="REAL", kind=AgencyKind.NGO, country="IQ")
    with pytest.raises(CommandError, match="only into an empty database"):
        run("demo", "--no-serve")
