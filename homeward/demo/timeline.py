"""The demo's timeline: each child's steps, moves, notes, examinations and visits as
events in the order they happened, drawn from the plan's seed and applied through the
services as staff would."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from homeward.care import services as care
from homeward.care.models import FollowUpVisit
from homeward.cases import services
from homeward.cases.models import ChildCase, FacilityKind
from homeward.cases.services import PlacementInput
from homeward.cases.status import CaseStatus
from homeward.demo.plan import (
    BAGHDAD_ORPHANAGE,
    MISSION_1_DAY,
    MISSION_2_DAY,
    MOSCOW_HOSPITAL,
    SYRIA_CAMP,
    TODAY_FOR_DEMO,
    ChildPlan,
    FamilyPlan,
    S,
    owner_of,
)
from homeward.health.services import ExaminationInput, record_examination
from homeward.lib.ages import completed_years, years_after
from homeward.missions import services as missions
from homeward.missions.models import ManifestEntry, ReadinessItem

if TYPE_CHECKING:
    from homeward.demo.scenario import DemoScenario


class Timeline:
    """The events of one child's case; mixed into the loader, whose random streams (the
    plan's) it draws from in the loader's order."""

    rng: random.Random
    detail_rng: random.Random

    def _timeline(self, family: FamilyPlan, child: ChildPlan) -> list[Event]:
        cohort = child.cohort
        if cohort == "early":
            assert child.home_day is not None
            return self._journey_home(
                family, child, child.home_day, None, child.home_day - timedelta(days=20)
            )
        if cohort == "mission-1":
            return self._journey_home(family, child, MISSION_1_DAY, "mission-1", date(2018, 12, 4))
        if cohort == "mission-2":
            return self._journey_home(family, child, MISSION_2_DAY, "mission-2", date(2019, 1, 15))
        return self._still_abroad(family, child)

    def _steps_until(
        self, start: date, statuses: list[CaseStatus], gap: tuple[int, int], last: date
    ) -> Iterator[tuple[CaseStatus, date]]:
        day = start
        for status in statuses:
            day = min(day + timedelta(days=self.rng.randint(*gap)), last)
            yield status, day

    def _journey_home(
        self,
        family: FamilyPlan,
        child: ChildPlan,
        home_day: date,
        mission: str | None,
        consent_by: date,
    ) -> list[Event]:
        """Identified, verified, traced, consent, cleared, on a plane, examined, placed."""
        rng = self.rng
        events: list[Event] = [Note(child.identified_on, _first_note(child, rng))]
        early = [S.VERIFIED, S.FAMILY_TRACED, S.CONSENT_OBTAINED]
        for status, day in self._steps_until(child.identified_on, early, (10, 45), consent_by):
            events.append(Step(day, status, "consul", STEP_EVIDENCE.get(status, "")))
            if status == S.FAMILY_TRACED:
                events.append(Assess(day, "willing", "in_progress", None))
            if status == S.CONSENT_OBTAINED:
                events.append(Assess(day, "willing", "suitable", day))
        cleared = consent_by + timedelta(days=rng.randint(1, 8))
        assigned = home_day - timedelta(days=rng.randint(5, 9))
        events += [
            Step(
                cleared,
                S.CLEARED_TO_LEAVE,
                "consul",
                "Host court order (demo): exit clearance granted.",
            ),
            Ready(cleared),
            Manifest(assigned, mission)
            if mission
            else Step(assigned, S.ASSIGNED_TO_MISSION, "coordinator", "On an earlier flight."),
            Step(home_day, S.REPATRIATED, "coordinator", "Arrived at Moscow Zhukovsky."),
            Move(
                home_day,
                PlacementInput("RU", FacilityKind.HOSPITAL, home_day, MOSCOW_HOSPITAL),
                "coordinator",
            ),
        ]
        examined = home_day + timedelta(days=rng.randint(1, 4))
        placed = home_day + timedelta(days=rng.randint(14, 30))
        regional = (
            "dagestan"
            if child.region == "RU-DA" and home_day > date(2018, 12, 1)
            else "coordinator"
        )
        closed = placed + timedelta(days=rng.randint(380, 560))
        adult_day = years_after(child.dob, 18)
        closes = rng.random() < 0.55 and closed < adult_day
        events += [
            Examine(examined, _findings(self.detail_rng)),
            HandOver(placed, family.town),
            *self._visits(placed, closed if closes else TODAY_FOR_DEMO, regional),
        ]
        if regional == "dagestan":
            events.append(Transfer(placed, "dagestan"))
        if closes:
            events.append(
                Step(
                    closed,
                    S.CLOSED,
                    regional,
                    "Follow-up complete; the child is settled at school.",
                )
            )
        elif adult_day <= TODAY_FOR_DEMO:
            events.append(
                Step(
                    max(adult_day, placed + timedelta(days=15)),
                    S.REACHED_MAJORITY,
                    regional,
                    "Turned 18.",
                )
            )
        return events

    def _visits(self, placed: date, until: date, actor: str) -> list[Event]:
        """The follow-up visits made before `until`; a child whose case stays open may have
        a late one missing, which the dashboard shows as overdue."""
        visits: list[Event] = []
        for number, months in enumerate(care.follow_up_months()):
            day = care.months_after(placed, months) + timedelta(days=self.detail_rng.randint(0, 20))
            if day >= until:
                break
            if until == TODAY_FOR_DEMO and number > 0 and self.detail_rng.random() < 0.08:
                break  # a missed visit: overdue from then on
            visits.append(Visit(day, months, actor, self.detail_rng.choice(VISIT_NOTES)))
        return visits

    def _still_abroad(self, family: FamilyPlan, child: ChildPlan) -> list[Event]:
        """Children whose cases went on after the reports, each to a different point."""
        rng = self.rng
        actor = "ngo" if child.host == "SY" else "consul"
        events: list[Event] = [Note(child.identified_on, _first_note(child, rng))]
        flow = [S.VERIFIED, S.FAMILY_TRACED, S.CONSENT_OBTAINED, S.CLEARED_TO_LEAVE]
        reach = rng.choice([0, 1, 1, 2, 2, 3, 4] if child.host == "IQ" else [0, 1, 1, 2])
        last_day = TODAY_FOR_DEMO
        day = child.identified_on
        for status, day in self._steps_until(
            child.identified_on, flow[:reach], (60, 400), last_day
        ):
            events.append(Step(day, status, actor, STEP_EVIDENCE.get(status, "")))
            if status == S.FAMILY_TRACED:
                events.append(Assess(day, "willing", "in_progress", None))
            if status == S.CONSENT_OBTAINED:
                events.append(Assess(day, "willing", "suitable_with_support", day))
            if status == S.CLEARED_TO_LEAVE:
                events.append(Ready(day))
        if child.host == "IQ" and rng.random() < 0.12:
            day = min(day + timedelta(days=rng.randint(30, 200)), last_day)
            events.append(
                Step(day, S.ON_HOLD, actor, "Exit clearances suspended by the host authorities.")
            )
        third_birthday = years_after(child.dob, 3)
        if (
            child.host == "IQ"
            and child.identified_on < third_birthday <= last_day
            and completed_years(child.dob, child.identified_on) < 3
        ):
            events.append(
                Move(
                    third_birthday,
                    PlacementInput(
                        "IQ", FacilityKind.STATE_ORPHANAGE, third_birthday, BAGHDAD_ORPHANAGE
                    ),
                    actor,
                )
            )
        adult_day = years_after(child.dob, 18)
        if adult_day <= last_day:
            events.append(
                Step(
                    max(adult_day, day + timedelta(days=1)),
                    S.REACHED_MAJORITY,
                    actor,
                    "Turned 18 while abroad.",
                )
            )
        return events


FIRST_NOTES = [
    "Met the child at {place}; speaks some Arabic and a little Russian.",
    "Seen with the mother at {place}; the mother gave the family's home town.",
    "Listed by the host authority at {place}; no documents with the child.",
    "Interviewed at {place}; the child knows the grandmother's first name.",
]


def _first_note(child: ChildPlan, rng: random.Random) -> str:
    place = SYRIA_CAMP if child.host == "SY" else "the facility in Baghdad"
    return rng.choice(FIRST_NOTES).format(place=place)


@dataclass
class Event:
    day: date

    order = 0

    def apply(self, scenario: DemoScenario, family: FamilyPlan, case: ChildCase) -> None:
        raise NotImplementedError


@dataclass
class Step(Event):
    status: CaseStatus
    actor: str
    reason: str = ""

    def apply(self, scenario: DemoScenario, family: FamilyPlan, case: ChildCase) -> None:
        services.transition(
            case,
            self.status,
            by=scenario.users[self.actor],
            reason=self.reason,
            effective_on=self.day,
        )


@dataclass
class Move(Event):
    placement: PlacementInput
    actor: str
    order = 1

    def apply(self, scenario: DemoScenario, family: FamilyPlan, case: ChildCase) -> None:
        services.move_placement(case, self.placement, by=scenario.users[self.actor])


@dataclass
class Note(Event):
    text: str

    def apply(self, scenario: DemoScenario, family: FamilyPlan, case: ChildCase) -> None:
        services.add_note(
            case, self.text, by=scenario.users[owner_of(family.host)], noted_on=self.day
        )


@dataclass
class Assess(Event):
    """The grandmother is asked about custody, then her home is assessed."""

    willing: str
    assessment: str
    assessed_on: date | None
    order = 1

    def apply(self, scenario: DemoScenario, family: FamilyPlan, case: ChildCase) -> None:
        member = case.family.get(relationship="grandmother")
        relative = replace(
            family.relatives["grandmother"],
            names=(),
            willing_to_take_custody=self.willing,
            home_assessment=self.assessment,
            home_assessed_on=self.assessed_on,
        )
        services.update_family_member(member, relative, by=scenario.users[owner_of(family.host)])


@dataclass
class Ready(Event):
    """The checklist for the flight, ticked on the day the child is cleared to leave."""

    order = 2

    def apply(self, scenario: DemoScenario, family: FamilyPlan, case: ChildCase) -> None:
        for item, evidence in READINESS_EVIDENCE.items():
            actor = "medic" if item == ReadinessItem.FIT_TO_FLY else owner_of(family.host)
            missions.record_readiness(
                case, item, done_on=self.day, evidence=evidence, by=scenario.users[actor]
            )


@dataclass
class Manifest(Event):
    mission: str

    def apply(self, scenario: DemoScenario, family: FamilyPlan, case: ChildCase) -> None:
        mission = scenario.missions[self.mission]
        seat = ManifestEntry.objects.filter(mission=mission).count() + 1
        missions.add_to_manifest(
            mission, case, by=scenario.users["coordinator"], seat=str(seat), today=self.day
        )


@dataclass
class Examine(Event):
    findings: dict[str, str]

    def apply(self, scenario: DemoScenario, family: FamilyPlan, case: ChildCase) -> None:
        follow_up = "nutrition" in self.findings
        record_examination(
            case,
            ExaminationInput(
                hospital=MOSCOW_HOSPITAL,
                examined_on=self.day,
                findings=self.findings,
                follow_up_needed=follow_up,
                follow_up="Paediatric review of weight gain in 3 months." if follow_up else "",
            ),
            by=scenario.users["medic"],
        )


@dataclass
class HandOver(Event):
    town: str

    def apply(self, scenario: DemoScenario, family: FamilyPlan, case: ChildCase) -> None:
        care.hand_over(
            case,
            care.HandOverInput(
                handed_over_on=self.day,
                region=family.region,
                receiving_relative=case.family.get(relationship="grandmother"),
                town=self.town,
            ),
            by=scenario.users["coordinator"],
        )


@dataclass
class Visit(Event):
    months: int
    actor: str
    notes: tuple[str, str, str]
    order = 3

    def apply(self, scenario: DemoScenario, family: FamilyPlan, case: ChildCase) -> None:
        visit = FollowUpVisit.objects.get(case=case, months_after=self.months)
        schooling, health, support = self.notes
        care.record_visit(
            visit,
            care.VisitInput(
                self.day, schooling=schooling, health=health, psychosocial_support=support
            ),
            by=scenario.users[self.actor],
        )


READINESS_EVIDENCE = {
    ReadinessItem.CITIZENSHIP_CONFIRMED: "Consular certificate of citizenship (demo)",
    ReadinessItem.TRAVEL_DOCUMENT: "Certificate of return (demo)",
    ReadinessItem.FIT_TO_FLY: "Examined by the mission doctor (demo)",
}
# The evidence of the checklist items that are steps of the case, given as their reason.
STEP_EVIDENCE = {
    S.VERIFIED: "DNA match with the grandmother (demo)",
    S.CONSENT_OBTAINED: "Mother's written consent (demo)",
}

VISIT_NOTES = [
    ("Attends the local school; catching up in Russian.", "Well.", "Weekly sessions."),
    ("In kindergarten.", "Vaccinations being completed.", "Play therapy monthly."),
    ("At school; good marks in mathematics.", "Well.", "Sessions ended; doing well."),
    ("Starts school in September.", "Treated for a skin infection.", "Family counselling."),
]

FINDINGS = {
    "general": ["Good general condition.", "Tired and underweight, otherwise well."],
    "nutrition": ["Moderate malnutrition; diet plan given.", "Iron-deficiency anaemia."],
    "infectious": ["Scabies, treated.", "Latent tuberculosis test positive; treated."],
    "dental": ["Several caries.", "No findings."],
    "mental_health": ["Anxious in crowds; referred.", "Sleeps poorly; referred."],
    "vaccination": ["Vaccination record missing; catch-up schedule started."],
}


def _findings(rng: random.Random) -> dict[str, str]:
    chosen = rng.sample(sorted(FINDINGS), k=rng.randint(2, 4))
    return {category: rng.choice(FINDINGS[category]) for category in ["general", *chosen]}


@dataclass
class Transfer(Event):
    agency: str
    order = 2

    def apply(self, scenario: DemoScenario, family: FamilyPlan, case: ChildCase) -> None:
        share = services.offer_case(
            case,
            scenario.agencies[self.agency],
            kind="transfer",
            reason="Placed in Dagestan; follow-up by the regional service.",
            consent="Grandmother's written consent to follow-up, given at hand-over.",
            by=scenario.users[owner_of(family.host)],  # only the owning agency transfers
        )
        services.decide_share(share, accept=True, by=scenario.users[self.agency])
