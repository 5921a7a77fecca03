"""Records as the API writes them, field by field as `protection.sensitivity` allows.

Case-team fields go to everyone who may open the record; sensitive ones (places, contacts,
facilities, the story of a separation) only when the caller asks (`include_sensitive`), as
an export does; restricted ones (a parent's conviction) only to the roles that may read
them. The shapes are documented by api.serializers' output classes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from homeward.cases.models import ChildCase, FamilyMember, Placement
from homeward.cases.services import held_from
from homeward.cases.status import CaseStatus, allowed_next
from homeward.exports.columns import REQUEST_FIELDS
from homeward.lib.ages import birth_text
from homeward.missions import readiness
from homeward.missions.models import Mission
from homeward.people.models import Person
from homeward.protection.sensitivity import CASE_TEAM, FIELDS, Restricted, may_read
from homeward.tracing.models import MatchCandidate, TracingRequest, split_variants

LEVELS = {**FIELDS, **REQUEST_FIELDS}


@dataclass(frozen=True)
class Reader:
    """Who reads, and whether they asked for sensitive fields."""

    user: Any
    include_sensitive: bool = False

    def may(self, model: str, field: str) -> bool:
        level = LEVELS[model][field]
        if isinstance(level, Restricted):
            return may_read(self.user, level)
        return level == CASE_TEAM or self.include_sensitive

    def fields(self, model: str, record: Any, names: tuple[str, ...]) -> dict[str, Any]:
        return {name: getattr(record, name) for name in names if self.may(model, name)}


def names(person: Person | None) -> list[dict[str, Any]]:
    if person is None:
        return []
    return [
        {
            "full_name": n.full_name,
            "script": n.script,
            "source": n.source,
            "is_preferred": n.is_preferred,
        }
        for n in person.names.all()
    ]


def preferred_name(person: Person) -> str:
    spellings = list(person.names.all())
    chosen = [n for n in spellings if n.is_preferred] or spellings
    return chosen[0].full_name if chosen else ""


def birth(person: Person) -> dict[str, Any]:
    known = person.birth
    return {
        "text": birth_text(known),
        "precision": str(known.precision),
        "earliest": person.birth_earliest,
        "latest": person.birth_latest,
    }


def placement(reader: Reader, row: Placement | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {"country": row.country, "facility_kind": row.facility_kind, "since": row.since} | (
        reader.fields("cases.placement", row, ("facility_name",))
    )


def current_placement(case: ChildCase) -> Placement | None:
    """From a prefetch of `placements` when there is one."""
    rows = sorted(case.placements.all(), key=lambda p: (p.since, p.id), reverse=True)
    return rows[0] if rows else None


def case_summary(reader: Reader, case: ChildCase) -> dict[str, Any]:
    child = case.child
    return {
        "id": case.pk,
        "reference": case.reference,
        "url": reverse("api:case", kwargs={"pk": case.pk}),
        "status": case.status,
        "status_since": case.status_since,
        "agency": case.agency.short_name,
        "name": preferred_name(child),
        "names": names(child),
        "sex": child.sex,
        "birth": birth(child),
        "nationality": child.nationality,
        "home_region": case.home_region,
        "placement": placement(reader, current_placement(case)),
        "merged_into": case.merged_into_id,
        "updated_at": case.updated_at,
    }


MEMBER_MORE = ("status", "detention_facility", "place", "contact", "conviction", "sentence")


def family_member(reader: Reader, member: FamilyMember) -> dict[str, Any]:
    person = member.person
    return {
        "id": member.pk,
        "relationship": member.relationship,
        "names": names(person),
        "sex": person.sex,
        "birth": birth(person),
        "willing_to_take_custody": member.willing_to_take_custody,
        "home_assessment": member.home_assessment,
        "home_assessed_on": member.home_assessed_on,
    } | reader.fields("cases.familymember", member, MEMBER_MORE)


def case_detail(reader: Reader, case: ChildCase) -> dict[str, Any]:
    family = case.family.select_related("person").prefetch_related("person__names")
    moves = allowed_next(CaseStatus(case.status), held_from(case))
    return case_summary(reader, case) | {
        "registered_at": case.registered_at,
        "allowed_next": [str(s) for s in moves],
        "family": [family_member(reader, m) for m in family],
    }


REQUEST_MORE = ("enquirer_contact", "enquirer_place", "who_left", "story")


def tracing_request(reader: Reader, request: TracingRequest) -> dict[str, Any]:
    return {
        "id": request.pk,
        "reference": request.reference,
        "url": reverse("api:tracing-request", kwargs={"pk": request.pk}),
        "status": request.status,
        "agency": request.agency.short_name,
        "filed_on": request.filed_on,
        "closed_on": request.closed_on,
        "enquirer_names": names(request.enquirer),
        "enquirer_relationship": request.enquirer_relationship,
        "left_on": request.left_on,
        "left_for": request.left_for,
        "sought": [
            {
                "id": s.pk,
                "kind": s.kind,
                "names": names(s.person),
                "sex": s.person.sex,
                "birth": birth(s.person),
                "mother_names": split_variants(s.mother_names),
                "father_names": split_variants(s.father_names),
                "last_known_place": s.last_known_place,
            }
            for s in request.sought.all()
        ],
    } | reader.fields("tracing.tracingrequest", request, REQUEST_MORE)


def candidate(candidate: MatchCandidate) -> dict[str, Any]:
    case = candidate.case
    return {
        "id": candidate.pk,
        "sought": candidate.sought_id,
        "case": {
            "id": case.pk,
            "reference": case.reference,
            "name": preferred_name(case.child),
            "url": reverse("api:case", kwargs={"pk": case.pk}),
        },
        "relative_names": names(candidate.relative),
        "score": candidate.score,
        "explanation": candidate.explanation_text,
        "decide_url": reverse("api:tracing-decision", kwargs={"candidate_pk": candidate.pk}),
    }


MISSION_FIELDS = (
    "code",
    "name",
    "departure_airport",
    "arrival_airport",
    "departs_on",
    "arrives_on",
    "operator",
    "aircraft",
    "capacity",
    "status",
    "confirmed_at",
    "approved_at",
)


def mission(record: Mission) -> dict[str, Any]:
    return {
        "id": record.pk,
        "url": reverse("api:mission", kwargs={"pk": record.pk}),
        "seats_taken": record.on_board().count(),
    } | {name: getattr(record, name) for name in MISSION_FIELDS}


def case_readiness(case: ChildCase) -> dict[str, Any]:
    return {
        "case": case.pk,
        "reference": case.reference,
        "status": case.status,
        "ready": readiness.is_ready(case),
        "problems": readiness.problems(case),
        "checklist": [
            {
                "item": str(line.item),
                "label": line.label,
                "done": line.done,
                "done_on": line.done_on,
            }
            for line in readiness.checklist(case)
        ],
    }
