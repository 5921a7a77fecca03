"""The demo's tracing requests: grandmothers at home asking after their daughters' children.

They write what a relative knows: the child's name as the family says it (in Cyrillic, now
and then in Latin letters or with only a first name), an age "about so many years", the
mother's name, and where the family went. The matching engine has to find the children
that host authorities and consuls registered under other spellings.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

from homeward.demo.plan import SEED, FamilyPlan
from homeward.lib.ages import BirthDate, BirthPrecision, completed_years
from homeward.people.models import NameSource
from homeward.people.services import NameInput
from homeward.tracing.models import TracingRequest
from homeward.tracing.services import RequestInput, SoughtInput, file_request

if TYPE_CHECKING:
    from homeward.demo.scenario import DemoScenario

SHARE_OF_FAMILIES = 0.6  # not every family has a relative who asked


def file_demo_requests(scenario: DemoScenario, families: list[FamilyPlan]) -> list[tuple[int, int]]:
    """File one request for some of the families; return the true (sought person, case)
    pairs, against which the matching engine's answers are measured."""
    rng = random.Random(SEED + 1)  # its own stream: the children stay as they are
    truth: list[tuple[int, int]] = []
    for family in families:
        if rng.random() < SHARE_OF_FAMILIES:
            request = _file_for(scenario, family, rng)
            sought = request.sought.order_by("id")
            cases = [child.case for child in family.children]
            truth += [(s.pk, case.pk) for s, case in zip(sought, cases, strict=True) if case]
    return truth


def _file_for(scenario: DemoScenario, family: FamilyPlan, rng: random.Random) -> TracingRequest:
    first_seen = min(child.identified_on for child in family.children)
    filed_on = first_seen + timedelta(days=rng.randint(-200, 60))
    grandmother = family.relatives["grandmother"]
    mother = family.relatives["mother"]
    regional = family.region == "RU-DA"
    data = RequestInput(
        enquirer_names=[NameInput(n.full_name, NameSource.FAMILY) for n in grandmother.names],
        enquirer_relationship="grandmother",
        enquirer_contact=grandmother.contact,
        enquirer_place=grandmother.place,
        filed_on=filed_on,
        who_left=f"My daughter {mother.names[0].full_name} with her children",
        left_on=str(rng.randint(2014, 2016)),
        left_for="Syria" if family.host == "SY" else "Iraq",
        sought=[_sought(child.case, filed_on, mother, rng) for child in family.children],
    )
    agency = scenario.agencies["dagestan" if regional else "occr"]
    by = scenario.users["dagestan" if regional else "coordinator"]
    return file_request(data, agency=agency, by=by)


def _sought(case: object, filed_on: date, mother: object, rng: random.Random) -> SoughtInput:
    child = case.child  # type: ignore[attr-defined]
    names = [n for n in child.names.all()]
    cyrillic = next(n.full_name for n in names if n.script == "Cyrl")
    latin = next(n.full_name for n in names if n.script == "Latn")
    roll = rng.random()
    if roll < 0.6:
        known = [cyrillic]
    elif roll < 0.8:
        known = [latin]  # an NGO worker wrote the request down
    elif roll < 0.95:
        known = [cyrillic.split()[0]]  # the grandmother knows only the first name
    else:
        known = []  # a grandchild born abroad, never seen: only the mother's name
    return SoughtInput(
        kind="child",
        names=[NameInput(name, NameSource.FAMILY) for name in known],
        sex=child.sex,
        birth=_age_as_remembered(child.birth_midpoint, filed_on, rng),
        mother_names=[mother.names[0].full_name],  # type: ignore[attr-defined]
    )


def _age_as_remembered(midpoint: date, filed_on: date, rng: random.Random) -> BirthDate:
    """ "About six": the age a relative gives, now and then a year off."""
    age = max(completed_years(midpoint, filed_on) + rng.choice([0, 0, 0, 1, -1]), 0)
    return BirthDate(
        BirthPrecision.ESTIMATE, estimated_age=age, estimated_on=filed_on, margin_years=1
    )


def ranked_first_and_top5(truth: list[tuple[int, int]]) -> tuple[int, int]:
    """How many sought children have their true case ranked first, and within the top 5."""
    from homeward.tracing.models import MatchCandidate

    first = top5 = 0
    for sought_id, case_id in truth:
        ranked = list(
            MatchCandidate.objects.filter(sought_id=sought_id)
            .order_by("-score", "id")
            .values_list("case_id", flat=True)[:5]
        )
        first += bool(ranked) and ranked[0] == case_id
        top5 += case_id in ranked
    return first, top5
