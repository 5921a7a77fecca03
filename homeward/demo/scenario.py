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

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from homeward.accounts.models import Agency, AgencyKind, Role, Scope, StaffProfile
from homeward.care import services as care
from homeward.care.models import FollowUpVisit
from homeward.cases import services
from homeward.cases.models import ChildCase, FacilityKind
from homeward.cases.services import ChildInput, PlacementInput, RelativeInput
from homeward.cases.status import CaseStatus
from homeward.demo import names as N
from homeward.health.services import ExaminationInput, record_examination
from homeward.lib.ages import BirthDate, BirthPrecision, completed_years, years_after, years_before
from homeward.missions import readiness
from homeward.missions import services as missions
from homeward.missions.models import ManifestEntry, Mission, MissionStatus, ReadinessItem
from homeward.people.models import NameSource, Person
from homeward.people.services import NameInput
from homeward.rules.models import CustodyRule
from homeward.rules.services import RunSummary, run_rules

SEED = 20181230
MISSION_1_DAY = date(2018, 12, 30)
MISSION_2_DAY = date(2019, 2, 10)
SNAPSHOT_DAY = date(2019, 1, 5)
# The custody-rule job runs weekly over these months, up to the day the dashboard is shown
# as of, with the children about to turn three in detention.
DASHBOARD_DAY = date(2019, 1, 21)
RULES_FROM, RULES_UNTIL = date(2018, 1, 1), DASHBOARD_DAY
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

TOWNS = {
    "RU-DA": ["Makhachkala", "Khasavyurt", "Derbent", "Buynaksk", "Kizlyar"],
    "RU-CE": ["Grozny", "Gudermes", "Urus-Martan"],
    "RU-IN": ["Nazran", "Malgobek"],
    "RU-KB": ["Nalchik", "Baksan"],
    "RU-KC": ["Cherkessk"],
    "RU-TA": ["Kazan", "Naberezhnye Chelny"],
    "RU-BA": ["Ufa"],
    "RU-AST": ["Astrakhan"],
    "RU-MOS": ["Podolsk"],
    "RU-STA": ["Stavropol", "Neftekumsk"],
    "RU-SAR": ["Saratov"],
}

BAGHDAD_PRISON = "Women's detention facility, Baghdad"
BAGHDAD_ORPHANAGE = "State orphanage, Baghdad"
SYRIA_CAMP = "Displacement camp, north-east Syria"
MOSCOW_HOSPITAL = "Children's clinical hospital, Moscow"


@dataclass
class ChildPlan:
    """A child as the generator knows them, true date of birth included."""

    cohort: str
    sex: str
    dob: date
    region: str
    identified_on: date
    host: str = "IQ"
    home_day: date | None = None  # the day a returning child landed
    birth: BirthDate = field(default_factory=lambda: BirthDate(BirthPrecision.UNKNOWN))
    family: int = 0
    case: ChildCase | None = None


@dataclass
class FamilyPlan:
    surname: tuple[str, str, str]
    mother_given: tuple[str, str, str]
    mother_surname: tuple[str, str, str]
    father_given: tuple[str, str, str]
    region: str
    town: str
    host: str
    children: list[ChildPlan] = field(default_factory=list)
    people: dict[str, Person] = field(default_factory=dict)
    relatives: dict[str, RelativeInput] = field(default_factory=dict)
    given_names: list[tuple[str, str, str]] = field(default_factory=list)


class DemoScenario:
    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        # The details of the journey home (findings, visits) draw from their own stream, so
        # that adding them left every earlier draw, and so every child and request, as it was.
        self.detail_rng = random.Random(seed + 1)
        self.users: dict[str, Any] = {}
        self.agencies: dict[str, Agency] = {}
        self.missions: dict[str, Mission] = {}
        self.tracing_truth: list[tuple[int, int]] = []  # (sought person, case) pairs
        self.rule_runs: list[RunSummary] = []

    # --- planning -----------------------------------------------------------------------

    def plan(self) -> list[FamilyPlan]:
        children = [
            *self._early_returns(),
            *self._mission_1(),
            *self._mission_2(),
            *self._remaining_in_iraq(),
            *self._in_syria(),
        ]
        return self._families(children)

    def _dob_for_age(self, age: int, on: date) -> date:
        """A random date of birth that makes the child exactly `age` on `on`."""
        return years_before(on, age + 1) + timedelta(days=self.rng.randint(1, 364))

    def _day_between(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    def _child(
        self,
        cohort: str,
        age: int,
        on: date,
        region: str,
        identified: tuple[date, date],
        keeps: Callable[[BirthDate], bool],
        exact: bool = False,
        host: str = "IQ",
    ) -> ChildPlan:
        dob = self._dob_for_age(age, on)
        earliest_identification = max(identified[0], dob + timedelta(days=20))
        while earliest_identification > identified[1]:
            dob -= timedelta(days=60)
            earliest_identification = max(identified[0], dob + timedelta(days=20))
        identified_on = self._day_between(earliest_identification, identified[1])
        plan = ChildPlan(cohort, self.rng.choice("fm"), dob, region, identified_on, host)
        plan.birth = self._recorded_birth(plan, keeps, exact)
        return plan

    def _recorded_birth(
        self, plan: ChildPlan, keeps: Callable[[BirthDate], bool], exact: bool
    ) -> BirthDate:
        """What the records say of the date of birth: exact for half the children, a month,
        a year or an estimated age for the rest, as field data has them. An imprecise form
        is kept only if the published figures still hold for it."""
        exact_birth = BirthDate(BirthPrecision.DAY, plan.dob)
        roll = self.rng.random()
        if exact or roll < 0.5:
            return exact_birth
        if roll < 0.65:
            candidate = BirthDate(BirthPrecision.MONTH, plan.dob.replace(day=1))
        elif roll < 0.8:
            candidate = BirthDate(BirthPrecision.YEAR, plan.dob.replace(month=1, day=1))
        else:
            candidate = BirthDate(
                BirthPrecision.ESTIMATE,
                estimated_age=completed_years(plan.dob, plan.identified_on),
                estimated_on=plan.identified_on,
                margin_years=self.rng.choice([0, 0, 1]),
            )
        fits = candidate.earliest <= plan.identified_on and keeps(candidate)
        return candidate if fits else exact_birth

    def _regions(self, counts: dict[str, int]) -> list[str]:
        return [region for region, n in counts.items() for _ in range(n)]

    def _early_returns(self) -> Iterator[ChildPlan]:
        """Children who came home before the missions of the reports (2017-2018)."""
        for i, region in enumerate(self._regions({"RU-CE": 8, "RU-DA": 3, "RU-IN": 1})):
            home_day = date(2017, 11, 20) if i % 2 == 0 else date(2018, 8, 26)
            child = self._child(
                "early",
                self.rng.randint(2, 12),
                home_day,
                region,
                (home_day - timedelta(days=300), home_day - timedelta(days=120)),
                lambda b: True,
            )
            child.home_day = home_day
            yield child

    def _mission_1(self) -> Iterator[ChildPlan]:
        regions = self._regions({"RU-DA": 24, "RU-CE": 3, "RU-IN": 1, "RU-KB": 1, "RU-TA": 1})
        self.rng.shuffle(regions)
        ages = [3, 10] + [self.rng.choice([3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10]) for _ in range(28)]

        def keeps(birth: BirthDate) -> bool:
            return 3 <= completed_years(birth.midpoint, MISSION_1_DAY) <= 10

        for i, (age, region) in enumerate(zip(ages, regions, strict=True)):
            yield self._child(
                "mission-1",
                age,
                MISSION_1_DAY,
                region,
                (date(2018, 1, 15), date(2018, 6, 30)),
                keeps,
                exact=i < 2,
            )

    def _mission_2(self) -> Iterator[ChildPlan]:
        """27 children aged 4 to 13, from 10 regions; on 2019-01-05 three were 11 to 17 and
        the rest below 10 (none aged 10, which the published bands leave out)."""
        regions = self._regions(
            {
                "RU-DA": 8,
                "RU-CE": 5,
                "RU-IN": 3,
                "RU-KB": 2,
                "RU-KC": 2,
                "RU-TA": 2,
                "RU-BA": 2,
                "RU-AST": 1,
                "RU-MOS": 1,
                "RU-STA": 1,
            }
        )
        self.rng.shuffle(regions)
        window = (date(2018, 3, 1), date(2018, 9, 30))

        def younger(birth: BirthDate) -> bool:
            return completed_years(birth.midpoint, SNAPSHOT_DAY) <= 9 and (
                4 <= completed_years(birth.midpoint, MISSION_2_DAY) <= 9
            )

        def older(birth: BirthDate) -> bool:
            return completed_years(birth.midpoint, SNAPSHOT_DAY) >= 11 and (
                completed_years(birth.midpoint, MISSION_2_DAY) <= 13
            )

        yield self._child("mission-2", 4, MISSION_2_DAY, regions[0], window, younger, exact=True)
        # The oldest: 13 on both days, so no birthday between 6 January and 10 February.
        oldest = self._child("mission-2", 13, SNAPSHOT_DAY, regions[1], window, older, exact=True)
        oldest.dob = self._day_between(date(2005, 2, 11), date(2006, 1, 5))
        oldest.birth = BirthDate(BirthPrecision.DAY, oldest.dob)
        yield oldest
        for region in regions[2:4]:
            yield self._child(
                "mission-2", self.rng.choice([11, 12]), SNAPSHOT_DAY, region, window, older
            )
        for region in regions[4:]:
            age = self.rng.choice([4, 5, 6, 7, 8, 9])
            yield self._child("mission-2", age, MISSION_2_DAY, region, window, younger)

    def _remaining_in_iraq(self) -> Iterator[ChildPlan]:
        """96 children still in Iraq after both missions: 91 below 10, 5 aged 11 to 17 on
        2019-01-05, so that with mission 2's 27 the published 115 and 8 hold."""
        regions = self._regions(
            {
                "RU-DA": 42,
                "RU-CE": 20,
                "RU-IN": 8,
                "RU-KB": 6,
                "RU-KC": 5,
                "RU-TA": 5,
                "RU-BA": 4,
                "RU-STA": 3,
                "RU-SAR": 3,
            }
        )
        self.rng.shuffle(regions)
        window = (date(2018, 1, 10), date(2019, 1, 4))

        def below_10(birth: BirthDate) -> bool:
            return completed_years(birth.midpoint, SNAPSHOT_DAY) <= 9

        def teen(birth: BirthDate) -> bool:
            return 11 <= completed_years(birth.midpoint, SNAPSHOT_DAY) <= 17

        for i, region in enumerate(regions):
            if i < 5:
                yield self._child(
                    "in-iraq", self.rng.randint(11, 16), SNAPSHOT_DAY, region, window, teen
                )
            else:
                age = self.rng.choice([0, 1, 1, 2, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 8, 9])
                yield self._child("in-iraq", age, SNAPSHOT_DAY, region, window, below_10)

    def _in_syria(self) -> Iterator[ChildPlan]:
        regions = self._regions(
            {"RU-DA": 14, "RU-CE": 12, "RU-IN": 4, "RU-KB": 4, "RU-TA": 3, "RU-BA": 3}
        )
        for region in regions:
            identified = self._day_between(date(2019, 4, 1), date(2021, 12, 31))
            yield self._child(
                "syria",
                self.rng.randint(0, 14),
                identified,
                region,
                (identified, identified),
                lambda b: True,
                host="SY",
            )

    def _families(self, children: list[ChildPlan]) -> list[FamilyPlan]:
        """Group children of one cohort and region into sibling groups of one to three."""
        families: list[FamilyPlan] = []
        by_group: dict[tuple[str, str], list[ChildPlan]] = {}
        for child in children:
            by_group.setdefault((child.cohort, child.region), []).append(child)
        for (_, region), group in by_group.items():
            while group:
                size = min(len(group), self.rng.choice([1, 1, 2, 2, 3]))
                family = self._new_family(region, group[0].host)
                family.children, group = group[:size], group[size:]
                for child in family.children:
                    child.family = len(families)
                families.append(family)
        return families

    def _new_family(self, region: str, host: str) -> FamilyPlan:
        return FamilyPlan(
            surname=self.rng.choice(N.FAMILY_NAMES),
            mother_given=self.rng.choice(N.GIRLS),
            mother_surname=self.rng.choice(N.FAMILY_NAMES),
            father_given=self.rng.choice(N.BOYS),
            region=region,
            town=self.rng.choice(TOWNS[region]),
            host=host,
        )

    # --- loading ------------------------------------------------------------------------

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
        from homeward.demo.tracing import file_demo_requests  # it builds on this module

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
        owner = _owner(child.host)
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
                case, relative, by=self.users[_owner(family.host)], person=person
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


TODAY_FOR_DEMO = date(2026, 11, 1)  # the demo's story stops here, whatever day it is loaded


def _weekly(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=7)


def _owner(host: str) -> str:
    return "ngo" if host == "SY" else "consul"


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
            case, self.text, by=scenario.users[_owner(family.host)], noted_on=self.day
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
        services.update_family_member(member, relative, by=scenario.users[_owner(family.host)])


@dataclass
class Ready(Event):
    """The checklist for the flight, ticked on the day the child is cleared to leave."""

    order = 2

    def apply(self, scenario: DemoScenario, family: FamilyPlan, case: ChildCase) -> None:
        for item, evidence in READINESS_EVIDENCE.items():
            actor = "medic" if item == ReadinessItem.FIT_TO_FLY else _owner(family.host)
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
            by=scenario.users[_owner(family.host)],  # only the owning agency transfers
        )
        services.decide_share(share, accept=True, by=scenario.users[self.agency])


def demo_sign_ins() -> list[tuple[str, str, str]]:
    """(username, role, agency) of the demo staff, if this database holds the demo."""
    if not Agency.objects.filter(name=AGENCIES["occr"][0], short_name="OCCR").exists():
        return []
    rows = [
        (name, str(role.label), AGENCIES[agency][1])
        for name, (_, _, agency, role, _) in STAFF.items()
    ]
    return [*rows, ("admin", "System administrator", "OCCR")]
