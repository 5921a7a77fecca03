"""The demo's plan: which children, families and dates the story holds, drawn from a fixed
seed without touching the database (scenario.py loads it, timeline.py plays each child's
events). The children's numbers are the reports' figures (see scenario.py)."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from homeward.cases.status import CaseStatus
from homeward.demo import names as N
from homeward.lib.ages import BirthDate, BirthPrecision, completed_years, years_before

if TYPE_CHECKING:
    from homeward.cases.models import ChildCase
    from homeward.cases.services import RelativeInput
    from homeward.people.models import Person

SEED = 20181230
MISSION_1_DAY = date(2018, 12, 30)
MISSION_2_DAY = date(2019, 2, 10)
SNAPSHOT_DAY = date(2019, 1, 5)
# The custody-rule job runs weekly over these months, up to the day the dashboard is shown
# as of, with the children about to turn three in detention.
DASHBOARD_DAY = date(2019, 1, 21)
RULES_FROM, RULES_UNTIL = date(2018, 1, 1), DASHBOARD_DAY

S = CaseStatus

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

TODAY_FOR_DEMO = date(2026, 11, 1)  # the demo's story stops here, whatever day it is loaded


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


class ScenarioPlan:
    """Draws the children and their families from the seed; the loader and the timeline
    draw from the same stream after it, in the same order as always."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        # The details of the journey home (findings, visits) draw from their own stream, so
        # that adding them left every earlier draw, and so every child and request, as it was.
        self.detail_rng = random.Random(seed + 1)

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


def owner_of(host: str) -> str:
    """The demo staff member whose agency owns the cases of children in that country."""
    return "ngo" if host == "SY" else "consul"
