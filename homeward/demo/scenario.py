"""The demo scenario: invented children, families, staff and the two missions of the reports.

Everything is generated from a fixed seed, so every run gives the same records, and the
figures the reports published come out of Homeward's own statistics:

1. 2018-12-30: 30 children aged 3 to 10 repatriated from Iraq (24 Dagestan, 3 Chechnya,
   3 other regions);
2. as of 2019-01-05: 115 children aged below 10 and 8 aged 11 to 17 still in Iraq;
3. 2019-02-10: 27 children aged 4 to 13 from 10 regions repatriated.

Around them: earlier returns (2017-2018), the children who stayed in Iraq, and children in
camps in Syria. No name belongs to a real person: given and family names are drawn apart.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from homeward.accounts.models import Agency, AgencyKind, Role, Scope, StaffProfile
from homeward.cases import services
from homeward.cases.models import ChildCase, FacilityKind
from homeward.cases.services import ChildInput, PlacementInput, RelativeInput
from homeward.cases.status import CaseStatus
from homeward.demo import names as N
from homeward.demo.plan import (
    BAGHDAD_ORPHANAGE,
    BAGHDAD_PRISON,
    MISSION_1_DAY,
    MISSION_2_DAY,
    RULES_FROM,
    RULES_UNTIL,
    SEED,
    SYRIA_CAMP,
    TODAY_FOR_DEMO,
    ChildPlan,
    FamilyPlan,
    ScenarioPlan,
    owner_of,
)
from homeward.demo.timeline import Timeline
from homeward.demo.tracing import file_demo_requests
from homeward.lib.ages import BirthDate, BirthPrecision, completed_years
from homeward.missions import readiness
from homeward.missions import services as missions
from homeward.missions.models import Mission, MissionStatus, ReadinessItem
from homeward.people.models import NameSource
from homeward.people.services import NameInput
from homeward.rules.models import CustodyRule
from homeward.rules.services import RunSummary, run_rules

DEMO_PASSWORD = "homeward-demo"  # demo only: printed by `homeward demo`

S = CaseStatus

AGENCIES = {
    "occr": (
        "Office of the Commissioner for Children's Rights",
        "OCCR",
        AgencyKind.COORDINATING_AUTHORITY,
        "RU",
    ),
    "consular": ("Consular Section, Embassy in Baghdad", "CONS-BGW", AgencyKind.CONSULAR, "IQ"),
    "dagestan": (
        "Child Protection Service, Republic of Dagestan",
        "CPS-DA",
        AgencyKind.REGIONAL_SERVICE,
        "RU",
    ),
    "ngo": ("Family Links Network", "FLN", AgencyKind.NGO, "SY"),
}

# username: (first name, last name, agency, role, scope); all invented.
STAFF = {
    "coordinator": ("Irina", "Demo-Coordinator", "occr", Role.MISSION_COORDINATOR, Scope.ALL),
    "supervisor": ("Oleg", "Demo-Supervisor", "occr", Role.SUPERVISOR, Scope.ALL),
    "medic": ("Leila", "Demo-Medic", "occr", Role.MEDICAL_OFFICER, Scope.ALL),
    "analyst": ("Pavel", "Demo-Analyst", "occr", Role.ANALYST, Scope.SELF),
    "consul": ("Timur", "Demo-Consul", "consular", Role.CASEWORKER, Scope.AGENCY),
    "dagestan": ("Saida", "Demo-Caseworker", "dagestan", Role.CASEWORKER, Scope.AGENCY),
    "ngo": ("Nour", "Demo-Fieldworker", "ngo", Role.CASEWORKER, Scope.AGENCY),
}


class DemoScenario(Timeline, ScenarioPlan):
    def __init__(self, seed: int = SEED) -> None:
        super().__init__(seed)
        self.users: dict[str, Any] = {}
        self.agencies: dict[str, Agency] = {}
        self.missions: dict[str, Mission] = {}
        self.tracing_truth: list[tuple[int, int]] = []  # (sought person, case) pairs
        self.rule_runs: list[RunSummary] = []

    @transaction.atomic
    def load(self) -> list[FamilyPlan]:
        families = self.plan()
        self._create_agencies_and_staff()
        self._create_missions()
        for family in families:
            for child in family.children:
                self._register(family, child)
        self._complete_missions()
        self._plan_next_mission()
        # The rules are entered once the story is written: a live system evaluates a case
        # the day it changes, which the loader, writing years in one go, cannot replay; the
        # custody-rule job then runs weekly through the months of the reports (a
        # deployment runs it daily), then at the story's end.
        self._create_custody_rules()
        runs = [run_rules(day) for day in _weekly(RULES_FROM, RULES_UNTIL)]
        self.rule_runs = [
            RunSummary(
                RULES_UNTIL,
                cases_near_limit=max(r.cases_near_limit for r in runs),
                raised=sum(r.raised for r in runs),
                changed=sum(r.changed for r in runs),
                resolved=sum(r.resolved for r in runs),
            ),
            run_rules(TODAY_FOR_DEMO),
        ]
        self.tracing_truth = file_demo_requests(self, families)
        return families

    def _create_agencies_and_staff(self) -> None:
        for key, (name, short, kind, country) in AGENCIES.items():
            self.agencies[key] = Agency.objects.create(
                name=name, short_name=short, kind=kind, country=country
            )
        User = get_user_model()
        password_hash = make_password(DEMO_PASSWORD)  # hashing is slow on purpose: do it once
        for username, (first, last, agency, role, scope) in STAFF.items():
            user = User.objects.create(
                username=username,
                email=f"{username}@demo.invalid",
                password=password_hash,
                first_name=first,
                last_name=last,
            )
            StaffProfile.objects.create(
                user=user, agency=self.agencies[agency], role=role, scope=scope
            )
            self.users[username] = user
        admin = User.objects.create(
            username="admin",
            email="admin@demo.invalid",
            password=password_hash,
            is_staff=True,
            is_superuser=True,
        )
        StaffProfile.objects.create(
            user=admin, agency=self.agencies["occr"], role=Role.SYSTEM_ADMIN
        )
        self.users["admin"] = admin

    def _create_missions(self) -> None:
        common = {
            "departure_airport": "BGW",
            "arrival_airport": "ZIA",
            "operator": "Emergency Situations Ministry",
            "aircraft": "Il-76 (demo)",
            "created_by": self.users["coordinator"],
        }
        self.missions["mission-1"] = Mission.objects.create(
            code="M-2018-12",
            name="Baghdad to Moscow Zhukovsky, December 2018",
            departs_on=MISSION_1_DAY,
            arrives_on=MISSION_1_DAY,
            capacity=36,
            **common,
        )
        self.missions["mission-2"] = Mission.objects.create(
            code="M-2019-02",
            name="Baghdad to Moscow Zhukovsky, February 2019",
            departs_on=MISSION_2_DAY,
            arrives_on=MISSION_2_DAY,
            capacity=32,
            **common,
        )

        for mission in self.missions.values():
            missions.add_escort(
                mission, self.users["medic"], "doctor", by=self.users["coordinator"]
            )
            missions.add_escort(
                mission, self.users["coordinator"], "mission lead", by=self.users["coordinator"]
            )

    def _create_custody_rules(self) -> None:
        CustodyRule.objects.create(
            host_country="IQ",
            facility_kind=FacilityKind.DETENTION_WITH_MOTHER,
            age_limit_years=3,
            action="Placed with relatives or in state care",
            warning_days=60,
            source="Host practice as described in the programme's reports (demo wording)",
            valid_from=date(2017, 1, 1),
        )

    def _complete_missions(self) -> None:
        """The two flights of the reports flew: each manifest was confirmed by the
        coordinator, approved by a supervisor and every child on it travelled. The demo
        writes those steps with the dates they happened, which no page can do."""
        for mission in self.missions.values():
            confirmed = timezone.make_aware(
                datetime.combine(mission.departs_on - timedelta(days=3), time(10, 0))
            )
            mission.on_board().update(travelled=True)
            Mission.objects.filter(pk=mission.pk).update(
                status=MissionStatus.CLOSED,
                confirmed_at=confirmed,
                confirmed_by=self.users["coordinator"],
                approved_at=confirmed + timedelta(days=1),
                approved_by=self.users["supervisor"],
                departed_at=confirmed + timedelta(days=3, hours=-3),
                departure_recorded_by=self.users["coordinator"],
                arrived_at=confirmed + timedelta(days=3, hours=8),
                arrival_recorded_by=self.users["coordinator"],
            )

    def _plan_next_mission(self) -> None:
        """A mission in preparation at the end of the story, with the children cleared to
        leave on its manifest; one child's travel document has since expired."""
        coordinator = self.users["coordinator"]
        mission = missions.plan_mission(
            missions.MissionInput(
                code="M-2026-12",
                name="Baghdad to Moscow Zhukovsky, December 2026 (planned)",
                departure_airport="BGW",
                arrival_airport="ZIA",
                departs_on=date(2026, 12, 15),
                arrives_on=date(2026, 12, 15),
                capacity=20,
                operator="Emergency Situations Ministry",
                aircraft="Il-76 (demo)",
            ),
            by=coordinator,
        )
        missions.add_escort(mission, self.users["medic"], "doctor", by=coordinator)
        ready = [
            case
            for case in ChildCase.objects.filter(status=S.CLEARED_TO_LEAVE).order_by("reference")
            if readiness.is_ready(case)
        ]
        for seat, case in enumerate(ready[:6], start=1):
            missions.add_to_manifest(
                mission, case, by=coordinator, seat=str(seat), today=TODAY_FOR_DEMO
            )
        if ready:
            missions.withdraw_readiness(
                ready[0],
                ReadinessItem.TRAVEL_DOCUMENT,
                reason="The travel document expired; a new one has been requested.",
                by=self.users["consul"],
            )
        self.missions["next"] = mission

    def _register(self, family: FamilyPlan, child: ChildPlan) -> None:
        owner = owner_of(child.host)
        data = ChildInput(
            names=self._child_names(family, child),
            sex=child.sex,
            birth=child.birth,
            nationality="RU",
            home_region=child.region,
            placement=self._first_placement(child),
            identified_on=child.identified_on,
        )
        case = services.register_child(
            data, agency=self.agencies[STAFF[owner][2]], by=self.users[owner]
        )
        child.case = case
        self._link_family(family, case)
        self._play_timeline(family, child, case)

    def _child_names(self, family: FamilyPlan, child: ChildPlan) -> list[NameInput]:
        # Brothers and sisters do not share a first name.
        taken = family.given_names
        given = self.rng.choice(
            [g for g in (N.GIRLS if child.sex == "f" else N.BOYS) if g not in taken]
        )
        taken.append(given)
        surname = N.family_name(family.surname, child.sex)
        latin = f"{given[0]} {surname[0]}"
        arabic = f"{given[2]} {surname[2]}"
        if self.rng.random() < 0.5:  # host registers often add the father's name
            arabic = f"{given[2]} {family.father_given[2]} {surname[2]}"
        names = [
            NameInput(f"{given[1]} {surname[1]}", NameSource.CIVIL_REGISTRY, is_preferred=True),
            NameInput(latin, NameSource.CONSULAR),
            NameInput(arabic, NameSource.HOST_AUTHORITY),
        ]
        if self.rng.random() < 0.4:
            variant = N.misspell(latin, self.rng)
            if variant != latin:
                names.append(NameInput(variant, NameSource.NGO))
        return names

    def _first_placement(self, child: ChildPlan) -> PlacementInput:
        if child.host == "SY":
            return PlacementInput("SY", FacilityKind.CAMP, child.identified_on, SYRIA_CAMP)
        if completed_years(child.dob, child.identified_on) < 3:
            return PlacementInput(
                "IQ", FacilityKind.DETENTION_WITH_MOTHER, child.identified_on, BAGHDAD_PRISON
            )
        return PlacementInput(
            "IQ", FacilityKind.STATE_ORPHANAGE, child.identified_on, BAGHDAD_ORPHANAGE
        )

    def _link_family(self, family: FamilyPlan, case: ChildCase) -> None:
        """The first child of a family creates its mother, father and grandmother; their
        siblings link to the same people."""
        if not family.relatives:
            family.relatives = self._relatives(family)
        for key, relative in family.relatives.items():
            person = family.people.get(key)
            member = services.add_family_member(
                case, relative, by=self.users[owner_of(family.host)], person=person
            )
            family.people[key] = member.person

    def _relatives(self, family: FamilyPlan) -> dict[str, RelativeInput]:
        rng = self.rng
        mother_surname = N.family_name(family.mother_surname, "f")
        mother_names = [
            NameInput(f"{family.mother_given[1]} {mother_surname[1]}", NameSource.CIVIL_REGISTRY),
            NameInput(f"{family.mother_given[0]} {mother_surname[0]}", NameSource.CONSULAR),
            NameInput(f"{family.mother_given[2]} {mother_surname[2]}", NameSource.HOST_AUTHORITY),
        ]
        detained = family.host == "IQ"
        mother_birth = BirthDate(
            BirthPrecision.ESTIMATE,
            estimated_age=rng.randint(24, 38),
            estimated_on=date(2018, 6, 1),
            margin_years=2,
        )
        father = (
            family.father_given[1] + " " + family.surname[1],
            family.father_given[2] + " " + family.surname[2],
        )
        grandmother_given = rng.choice(N.GIRLS)
        town = family.town
        return {
            "mother": RelativeInput(
                relationship="mother",
                names=mother_names,
                sex="f",
                birth=mother_birth,
                status="detained" if detained else "alive",
                detention_facility=BAGHDAD_PRISON if detained else "",
                sentence=rng.choice(
                    ["Life imprisonment", "20 years", "15 years", "Awaiting appeal"]
                )
                if detained
                else "",
                place=BAGHDAD_PRISON if detained else SYRIA_CAMP,
            ),
            "father": RelativeInput(
                relationship="father",
                names=[
                    NameInput(father[0], NameSource.FAMILY),
                    NameInput(father[1], NameSource.HOST_AUTHORITY),
                ],
                sex="m",
                status=rng.choice(["deceased", "deceased", "deceased", "missing"]),
            ),
            "grandmother": RelativeInput(
                relationship="grandmother",
                names=[
                    NameInput(
                        f"{grandmother_given[1]} {N.family_name(family.surname, 'f')[1]}",
                        NameSource.FAMILY,
                    )
                ],
                sex="f",
                status="alive",
                place=f"{town}",
                contact=f"+7 (000) 000-{rng.randint(10, 99)}-{rng.randint(10, 99)} (demo)",
            ),
        }

    def _play_timeline(self, family: FamilyPlan, child: ChildPlan, case: ChildCase) -> None:
        """Apply the child's steps and moves in the order they happened."""
        events = sorted(self._timeline(family, child), key=lambda e: (e.day, e.order))
        for event in events:
            event.apply(self, family, case)


def _weekly(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=7)


def demo_sign_ins() -> list[tuple[str, str, str]]:
    """(username, role, agency) of the demo staff, if this database holds the demo."""
    if not Agency.objects.filter(name=AGENCIES["occr"][0], short_name="OCCR").exists():
        return []
    rows = [
        (name, str(role.label), AGENCIES[agency][1])
        for name, (_, _, agency, role, _) in STAFF.items()
    ]
    return [*rows, ("admin", "System administrator", "OCCR")]
