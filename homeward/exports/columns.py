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
from datetime import date
from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from homeward.cases.models import ChildCase, FamilyMember, Relationship, StatusTransition
from homeward.cases.queries import listed_cases
from homeward.exports.models import ExportKind
from homeward.protection.sensitivity import CASE_TEAM, FIELDS, SENSITIVE, Restricted, may_read
from homeward.tracing.access import requests_visible_to
from homeward.tracing.models import TracingRequest

StrOrPromise = str | Promise

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


def _identified_on(case: ChildCase) -> str:
    return _iso(getattr(case, "identified_on", None))


def _merged_into(case: ChildCase) -> str:
    return case.merged_into.reference if case.merged_into is not None else ""


def _missing_for_mission(case: ChildCase) -> str:
    from homeward.missions.readiness import missing  # missions build on cases

    return " | ".join(str(item) for item in missing(case))


def _mission(case: ChildCase) -> str:
    entries = [e for e in case.manifest_entries.all() if e.removed_at is None]
    entries.sort(key=lambda e: e.mission.departs_on, reverse=True)
    return entries[0].mission.code if entries else ""


def _hand_over(read: Callable[[Any], Any]) -> Callable[[ChildCase], Any]:
    def value(case: ChildCase) -> Any:
        hand_overs = list(case.hand_overs.all())
        return read(hand_overs[0]) if hand_overs else ""  # newest first

    return value


def _visits(read: Callable[[list[Any]], Any]) -> Callable[[ChildCase], Any]:
    def value(case: ChildCase) -> Any:
        return read(list(case.follow_ups.all()))

    return value


def _next_due(visits: list[Any]) -> str:
    due = [v.due_on for v in visits if v.visited_on is None]
    return _iso(min(due)) if due else ""


def _last_visited(visits: list[Any]) -> str:
    made = [v.visited_on for v in visits if v.visited_on is not None]
    return _iso(max(made)) if made else ""


PERSON, CASE, MEMBER = "people.person", "cases.childcase", "cases.familymember"
NAME = ("people.personname", "full_name")
HAND_OVER, VISIT = "care.handover", "care.followupvisit"

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
    Column("identified_on", ("cases.statustransition", "effective_on"), _identified_on),
    Column("merged_into", (CASE, "merged_into"), _merged_into),
    Column("missing_for_mission", ("missions.readinesscheck", "item"), _missing_for_mission),
    Column("mission", ("missions.manifestentry", "mission"), _mission),
    Column("handed_over_on", (HAND_OVER, "handed_over_on"),
           _hand_over(lambda h: _iso(h.handed_over_on))),
    Column("handed_over_to", (HAND_OVER, "receiving_relative"), _hand_over(lambda h: h.receiver)),
    Column("placed_in_region", (HAND_OVER, "region"), _hand_over(lambda h: h.region)),
    Column("placed_in_town", (HAND_OVER, "town"), _hand_over(lambda h: h.town)),
    Column("next_visit_due", (VISIT, "due_on"), _visits(_next_due)),
    Column("last_visit_on", (VISIT, "visited_on"), _visits(_last_visited)),
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


# What each column is called on the export page (the file keeps the header).
LABELS: dict[str, StrOrPromise] = {
    "reference": _("Reference"), "name": _("Name"), "other_names": _("Other spellings"),
    "sex": _("Sex"), "birth": _("Date of birth or age"), "born_earliest": _("Born at the earliest"),
    "born_latest": _("Born at the latest"), "nationality": _("Nationality"),
    "home_region": _("Home region"), "status": _("Status"), "status_since": _("Status since"),
    "agency": _("Agency"), "placement_country": _("Country of placement"),
    "placement_kind": _("Placement"), "placement_since": _("Placed since"),
    "facility_name": _("Facility or address"), "mother_name": _("Mother's name"),
    "mother_status": _("Mother's status"),
    "mother_detention_facility": _("Mother's place of detention"),
    "mother_conviction": _("Mother's conviction"), "mother_sentence": _("Mother's sentence"),
    "identified_on": _("Identified on"), "merged_into": _("Merged into"),
    "missing_for_mission": _("Missing for a mission"), "mission": _("Mission"),
    "handed_over_on": _("Handed over on"), "handed_over_to": _("Handed over to"),
    "placed_in_region": _("Placed in region"), "placed_in_town": _("Placed in town"),
    "next_visit_due": _("Next follow-up visit due"), "last_visit_on": _("Last visit made on"),
    "case_reference": _("Case reference"), "relationship": _("Relationship"),
    "detention_facility": _("Place of detention"), "conviction": _("Conviction"),
    "sentence": _("Sentence"), "place": _("Lives in or last seen"), "contact": _("Contact"),
    "willing_to_take_custody": _("Willing to take custody"),
    "home_assessment": _("Home assessment"), "filed_on": _("Filed on"),
    "enquirer_name": _("Enquirer"), "enquirer_relationship": _("Enquirer's relationship"),
    "enquirer_contact": _("Enquirer's contact"), "enquirer_place": _("Enquirer's place"),
    "who_left": _("Who left"), "left_on": _("Left on"), "left_for": _("Left for"),
    "story": _("Story"), "sought_kind": _("Sought: who"), "sought_names": _("Sought: names"),
    "sought_birth": _("Sought: birth"), "sought_mother_names": _("Sought: mother's names"),
    "sought_father_names": _("Sought: father's names"),
}  # fmt: skip


@dataclass(frozen=True)
class Preset:
    """A named choice of fields for a common task."""

    label: StrOrPromise
    headers: tuple[str, ...]


PRESETS: dict[str, dict[str, Preset]] = {
    ExportKind.CHILDREN: {
        "manifest": Preset(_("Manifest preparation"), (
            "reference", "name", "other_names", "sex", "birth", "nationality", "home_region",
            "status", "placement_country", "placement_kind", "mother_name",
            "missing_for_mission", "mission",
        )),
        "follow_up": Preset(_("Follow-up visits due"), (
            "reference", "name", "sex", "birth", "home_region", "status", "handed_over_on",
            "handed_over_to", "placed_in_region", "next_visit_due", "last_visit_on",
        )),
    },
    ExportKind.RELATIVES: {
        "receiving": Preset(_("Receiving relatives"), (
            "case_reference", "relationship", "name", "other_names",
            "willing_to_take_custody", "home_assessment",
        )),
    },
    ExportKind.REQUESTS: {},
}  # fmt: skip


def label_of(header: str) -> StrOrPromise:
    return LABELS.get(header, header)


def columns_for(user: Any, kind: str, include_sensitive: bool) -> list[Column]:
    return [c for c in COLUMNS[kind] if c.allowed(user, include_sensitive)]


def readable_columns(user: Any, kind: str) -> list[Column]:
    """Every column the user's role may read, sensitive ones included (to be asked for)."""
    return columns_for(user, kind, include_sensitive=True)


def records_for(
    user: Any, kind: str, filters: dict[str, Any] | None = None, today: date | None = None
) -> QuerySet[Any]:
    """The records the user may read, as the case list selects them with `filters` (its
    cleaned data) for cases and their relatives, with what the columns read fetched in a
    few queries."""
    cases = listed_cases(user, filters or {}, today or timezone.localdate())
    if kind == ExportKind.CHILDREN:
        return _children(cases)
    if kind == ExportKind.RELATIVES:
        return (
            FamilyMember.objects.filter(case__in=cases.values("pk"))
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


def _children(cases: QuerySet[ChildCase]) -> QuerySet[ChildCase]:
    family = FamilyMember.objects.select_related("person").prefetch_related("person__names")
    registered = StatusTransition.objects.filter(case=OuterRef("pk"), from_status="")
    return (
        cases.select_related("child", "agency", "merged_into")
        .annotate(identified_on=Subquery(registered.values("effective_on")[:1]))
        .prefetch_related(
            "child__names", "placements", Prefetch("family", queryset=family), "readiness",
            "manifest_entries__mission", "hand_overs__receiving_relative__person__names",
            "follow_ups",
        )
        .order_by("reference")
    )  # fmt: skip


def audited_targets(kind: str, records: Iterable[Any]) -> list[tuple[str, str, tuple[str, ...]]]:
    """Which records an export read, for one audit entry each: the case (a relative is
    part of the child's case) or the tracing request."""
    if kind == ExportKind.REQUESTS:
        return [("tracing.tracingrequest", str(r.pk), ()) for r in records]
    case_ids = {r.case_id if kind == ExportKind.RELATIVES else r.pk for r in records}
    return [("cases.childcase", str(pk), ()) for pk in sorted(case_ids)]
