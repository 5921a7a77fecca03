"""What an export writes, column by column, and who may have each column.

Each column names the field it reads, and protection.sensitivity classifies that field:
case-team fields go to everyone who may open the records; sensitive ones (places,
contacts, facilities) only when the requester asks for them (never in extracts for
partners); restricted ones (a parent's conviction) only to the roles that may read them.
Tracing requests are not in that table yet; their fields are classified here, the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from homeward.cases.access import cases_visible_to
from homeward.cases.models import ChildCase, FamilyMember, Relationship
from homeward.exports.models import ExportKind
from homeward.protection.sensitivity import CASE_TEAM, FIELDS, SENSITIVE, Restricted, may_read
from homeward.tracing.access import requests_visible_to
from homeward.tracing.models import TracingRequest

# Tracing requests, classified as protection.sensitivity classifies a child's record.
REQUEST_FIELDS: dict[str, dict[str, str | Restricted]] = {
    "tracing.tracingrequest": {
        "reference": CASE_TEAM, "status": CASE_TEAM, "filed_on": CASE_TEAM,
        "enquirer_relationship": CASE_TEAM, "enquirer_contact": SENSITIVE,
        "enquirer_place": SENSITIVE, "who_left": SENSITIVE, "left_on": CASE_TEAM,
        "left_for": CASE_TEAM, "story": SENSITIVE,
    },
    "tracing.soughtperson": {
        "kind": CASE_TEAM, "mother_names": CASE_TEAM, "father_names": CASE_TEAM,
        "last_known_place": CASE_TEAM,
    },
}  # fmt: skip


@dataclass(frozen=True)
class Column:
    header: str
    field: tuple[str, str]  # (model label, field name) whose classification applies
    value: Callable[[Any], Any]

    @property
    def classification(self) -> str | Restricted:
        model, name = self.field
        return {**FIELDS, **REQUEST_FIELDS}[model][name]

    def allowed(self, user: Any, include_sensitive: bool) -> bool:
        level = self.classification
        if isinstance(level, Restricted):
            return may_read(user, level)
        return level == CASE_TEAM or include_sensitive


def _names(person: Any) -> list[str]:
    return [n.full_name for n in person.names.all()] if person is not None else []


def _preferred(person: Any) -> str:
    names = list(person.names.all())
    preferred = [n for n in names if n.is_preferred] or names
    return preferred[0].full_name if preferred else ""


def _other_names(person: Any) -> str:
    return " | ".join(n.full_name for n in person.names.all() if not n.is_preferred)


def _iso(day: Any) -> str:
    return day.isoformat() if day else ""


def _mother(case: ChildCase) -> FamilyMember | None:
    return next((m for m in case.family.all() if m.relationship == Relationship.MOTHER), None)


def _of_mother(read: Callable[[FamilyMember], Any]) -> Callable[[ChildCase], Any]:
    def value(case: ChildCase) -> Any:
        mother = _mother(case)
        return read(mother) if mother is not None else ""

    return value


def _placement(read: Callable[[Any], Any]) -> Callable[[ChildCase], Any]:
    def value(case: ChildCase) -> Any:
        placements = sorted(case.placements.all(), key=lambda p: (p.since, p.id), reverse=True)
        return read(placements[0]) if placements else ""

    return value


PERSON, CASE, MEMBER = "people.person", "cases.childcase", "cases.familymember"
NAME = ("people.personname", "full_name")

CHILD_COLUMNS = (
    Column("reference", (CASE, "reference"), lambda c: c.reference),
    Column("name", NAME, lambda c: _preferred(c.child)),
    Column("other_names", NAME, lambda c: _other_names(c.child)),
    Column("sex", (PERSON, "sex"), lambda c: c.child.sex),
    Column("birth", (PERSON, "birth_date"), lambda c: c.child.birth.describe()),
    Column("born_earliest", (PERSON, "birth_earliest"), lambda c: _iso(c.child.birth_earliest)),
    Column("born_latest", (PERSON, "birth_latest"), lambda c: _iso(c.child.birth_latest)),
    Column("nationality", (PERSON, "nationality"), lambda c: c.child.nationality),
    Column("home_region", (CASE, "home_region"), lambda c: c.home_region),
    Column("status", (CASE, "status"), lambda c: c.status),
    Column("status_since", (CASE, "status_since"), lambda c: _iso(c.status_since)),
    Column("agency", (CASE, "agency"), lambda c: c.agency.short_name),
    Column("placement_country", ("cases.placement", "country"), _placement(lambda p: p.country)),
    Column("placement_kind", ("cases.placement", "facility_kind"),
           _placement(lambda p: p.facility_kind)),
    Column("placement_since", ("cases.placement", "since"), _placement(lambda p: _iso(p.since))),
    Column("facility_name", ("cases.placement", "facility_name"),
           _placement(lambda p: p.facility_name)),
    Column("mother_name", NAME, _of_mother(lambda m: _preferred(m.person))),
    Column("mother_status", (MEMBER, "status"), _of_mother(lambda m: m.status)),
    Column("mother_detention_facility", (MEMBER, "detention_facility"),
           _of_mother(lambda m: m.detention_facility)),
    Column("mother_conviction", (MEMBER, "conviction"), _of_mother(lambda m: m.conviction)),
    Column("mother_sentence", (MEMBER, "sentence"), _of_mother(lambda m: m.sentence)),
)  # fmt: skip

RELATIVE_COLUMNS = (
    Column("case_reference", (CASE, "reference"), lambda m: m.case.reference),
    Column("relationship", (MEMBER, "relationship"), lambda m: m.relationship),
    Column("name", NAME, lambda m: _preferred(m.person)),
    Column("other_names", NAME, lambda m: _other_names(m.person)),
    Column("sex", (PERSON, "sex"), lambda m: m.person.sex),
    Column("birth", (PERSON, "birth_date"), lambda m: m.person.birth.describe()),
    Column("status", (MEMBER, "status"), lambda m: m.status),
    Column("detention_facility", (MEMBER, "detention_facility"), lambda m: m.detention_facility),
    Column("conviction", (MEMBER, "conviction"), lambda m: m.conviction),
    Column("sentence", (MEMBER, "sentence"), lambda m: m.sentence),
    Column("place", (MEMBER, "place"), lambda m: m.place),
    Column("contact", (MEMBER, "contact"), lambda m: m.contact),
    Column("willing_to_take_custody", (MEMBER, "willing_to_take_custody"),
           lambda m: m.willing_to_take_custody),
    Column("home_assessment", (MEMBER, "home_assessment"), lambda m: m.home_assessment),
)  # fmt: skip

TR, SOUGHT = "tracing.tracingrequest", "tracing.soughtperson"


def _sought(read: Callable[[Any], Any]) -> Callable[[TracingRequest], Any]:
    def value(request: TracingRequest) -> Any:
        return " | ".join(str(read(s)) for s in request.sought.all())

    return value


REQUEST_COLUMNS = (
    Column("reference", (TR, "reference"), lambda r: r.reference),
    Column("status", (TR, "status"), lambda r: r.status),
    Column("filed_on", (TR, "filed_on"), lambda r: _iso(r.filed_on)),
    Column("enquirer_name", NAME, lambda r: _preferred(r.enquirer)),
    Column("enquirer_relationship", (TR, "enquirer_relationship"),
           lambda r: r.enquirer_relationship),
    Column("enquirer_contact", (TR, "enquirer_contact"), lambda r: r.enquirer_contact),
    Column("enquirer_place", (TR, "enquirer_place"), lambda r: r.enquirer_place),
    Column("who_left", (TR, "who_left"), lambda r: r.who_left),
    Column("left_on", (TR, "left_on"), lambda r: r.left_on),
    Column("left_for", (TR, "left_for"), lambda r: r.left_for),
    Column("story", (TR, "story"), lambda r: r.story),
    Column("sought_kind", (SOUGHT, "kind"), _sought(lambda s: s.kind)),
    Column("sought_names", NAME, _sought(lambda s: " / ".join(_names(s.person)))),
    Column("sought_birth", (PERSON, "birth_date"), _sought(lambda s: s.person.birth.describe())),
    Column("sought_mother_names", (SOUGHT, "mother_names"), _sought(lambda s: s.mother_names)),
    Column("sought_father_names", (SOUGHT, "father_names"), _sought(lambda s: s.father_names)),
)  # fmt: skip

COLUMNS: dict[str, tuple[Column, ...]] = {
    ExportKind.CHILDREN: CHILD_COLUMNS,
    ExportKind.RELATIVES: RELATIVE_COLUMNS,
    ExportKind.REQUESTS: REQUEST_COLUMNS,
}


def columns_for(user: Any, kind: str, include_sensitive: bool) -> list[Column]:
    return [c for c in COLUMNS[kind] if c.allowed(user, include_sensitive)]


def records_for(user: Any, kind: str) -> QuerySet[Any]:
    """The records the user may read, with what the columns read fetched in a few queries."""
    cases = cases_visible_to(user).filter(merged_into=None)
    if kind == ExportKind.CHILDREN:
        family = FamilyMember.objects.select_related("person").prefetch_related("person__names")
        return (
            cases.select_related("child", "agency")
            .prefetch_related("child__names", "placements", Prefetch("family", queryset=family))
            .order_by("reference")
        )
    if kind == ExportKind.RELATIVES:
        return (
            FamilyMember.objects.filter(case__in=cases)
            .select_related("case", "person")
            .prefetch_related("person__names")
            .order_by("case__reference", "id")
        )
    return (
        requests_visible_to(user)
        .select_related("enquirer")
        .prefetch_related("enquirer__names", "sought__person__names")
        .order_by("reference")
    )


def audited_targets(kind: str, records: Iterable[Any]) -> list[tuple[str, str, tuple[str, ...]]]:
    """Which records an export read, for one audit entry each: the case (a relative is
    part of the child's case) or the tracing request."""
    if kind == ExportKind.REQUESTS:
        return [("tracing.tracingrequest", str(r.pk), ()) for r in records]
    case_ids = {r.case_id if kind == ExportKind.RELATIVES else r.pk for r in records}
    return [("cases.childcase", str(pk), ()) for pk in sorted(case_ids)]
