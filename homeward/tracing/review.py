"""Reviewing a proposed match as a person does: the request and the child's record side by
side, field by field, with how far they agree in words rather than the engine's weights;
and which proposals are no longer questions at all, because the child is already home with
the enquirer's family.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from homeward.cases.models import Relationship
from homeward.matching.compare import level_meaning
from homeward.people.models import Person, PersonName
from homeward.tracing.matching import _first_place
from homeward.tracing.models import MatchCandidate, MatchDecision, SoughtPerson, split_variants

FIELD_LABELS = {
    "names": gettext_lazy("Names"),
    "sex": gettext_lazy("Sex"),
    "age": gettext_lazy("Born"),
    "mother": gettext_lazy("Mother"),
    "father": gettext_lazy("Father"),
    "place": gettext_lazy("Place"),
}


@dataclass(frozen=True)
class ComparedField:
    """One row of the side-by-side view."""

    label: str
    sought: list[str]
    record: list[str]
    verdict: str  # "for", "against" or "neither": the row's colour
    agreement: str  # in words: how far they agree, and what that says


def compared(candidate: MatchCandidate) -> list[ComparedField]:
    """The rows, in the order the engine compared the fields; a field the engine did not
    compare (an older explanation) is shown without a verdict."""
    sought = _sought_values(candidate.sought)
    record = _record_values(candidate)
    parts = {part["field"]: part for part in candidate.explanation}
    rows = []
    for field, label in FIELD_LABELS.items():
        part = parts.get(field)
        if part is None and not sought[field] and not record[field]:
            continue
        verdict, words = _in_words(field, part)
        rows.append(ComparedField(str(label), sought[field], record[field], verdict, words))
    return rows


def _in_words(field: str, part: dict[str, Any] | None) -> tuple[str, str]:
    if part is None:
        return "neither", _("not compared")
    meaning = level_meaning(field, str(part.get("level", "")))
    if part.get("outcome") == "missing":
        return "neither", _("%(meaning)s: says nothing either way") % {"meaning": meaning}
    weight = float(part.get("weight", 0))
    return ("for" if weight > 0 else "against"), f"{meaning}: {strength(weight)}"


def strength(weight: float) -> str:
    """A field's weight (in bits: each doubles or halves the odds) as a reader says it."""
    if weight >= 6:
        return _("strong evidence they are one person")
    if weight >= 2:
        return _("evidence they are one person")
    if weight > 0:
        return _("weak evidence they are one person")
    if weight > -3:
        return _("weak evidence against")
    return _("strong evidence against")


def likelihood(score: float) -> str:
    """The candidate's probability, in words."""
    if score >= 0.9:
        return _("very likely the same")
    if score >= 0.5:
        return _("likely the same")
    if score >= 0.2:
        return _("possibly the same")
    return _("unlikely, but worth a look")


def _names(person: Person | None) -> list[str]:
    return [name.full_name for name in person.names.all()] if person else []


def _sought_values(sought: SoughtPerson) -> dict[str, list[str]]:
    person = sought.person
    return {
        "names": _names(person),
        "sex": [person.get_sex_display()] if person.sex in ("f", "m") else [],
        "age": [person.birth.describe()] if person.birth.is_known else [],
        "mother": split_variants(sought.mother_names),
        "father": split_variants(sought.father_names),
        "place": [sought.last_known_place] if sought.last_known_place else [],
    }


def _record_values(candidate: MatchCandidate) -> dict[str, list[str]]:
    """The child's record, or (for a sought mother or relative) the relative's."""
    case = candidate.case
    person = candidate.relative or case.child
    parents = {m.relationship: m.person for m in case.family.all() if m.is_parent}
    own_child = candidate.relative is None
    place = _first_place(case) if own_child else ""
    return {
        "names": _names(person),
        "sex": [person.get_sex_display()] if person.sex in ("f", "m") else [],
        "age": [person.birth.describe()] if person.birth.is_known else [],
        "mother": _names(parents.get(Relationship.MOTHER)) if own_child else [],
        "father": _names(parents.get(Relationship.FATHER)) if own_child else [],
        "place": [place] if place else [],
    }


# --- already home with the enquirer's family ----------------------------------------------


def _received_by(enquirer_id: Any, enquirer_keys: Any) -> Q:
    """A hand-over to the enquirer, or to a relative bearing one of the enquirer's names."""
    return Q(receiving_relative__person_id=enquirer_id) | Q(
        receiving_relative__person__names__search_key__in=enquirer_keys
    )


def home_with_enquirer() -> Exists:
    """For a MatchCandidate: the child was handed over to a relative who is the request's
    enquirer, or who bears one of the enquirer's names as written. The match then records
    a reunion already made; it is no longer a question to review."""
    from homeward.care.models import HandOver  # the hand-over builds on cases, as tracing does

    keys = PersonName.objects.filter(
        person_id=OuterRef(OuterRef("sought__request__enquirer_id"))
    ).values("search_key")
    received = _received_by(OuterRef("sought__request__enquirer_id"), keys)
    return Exists(HandOver.objects.filter(received, case_id=OuterRef("case_id")))


def with_home(candidates: QuerySet[MatchCandidate]) -> QuerySet[MatchCandidate]:
    return candidates.annotate(already_home=home_with_enquirer())


def hand_over_to_enquirer(candidate: MatchCandidate) -> Any:
    """The hand-over that brought the child home to the enquirer's family, if any."""
    from homeward.care.models import HandOver

    enquirer = candidate.sought.request.enquirer
    keys = list(enquirer.names.values_list("search_key", flat=True))
    received = _received_by(enquirer.pk, keys)
    return (
        HandOver.objects.filter(received, case=candidate.case)
        .select_related("receiving_relative__person")
        .first()
    )


# --- the proposals awaiting a word ---------------------------------------------------------


def open_candidates(user: Any) -> QuerySet[MatchCandidate]:
    """Proposals of open requests, between a request and a case this user may both see,
    with `already_home` marked, best first."""
    from homeward.cases.access import visible_cases
    from homeward.tracing.access import visible_requests

    decided = MatchDecision.objects.filter(sought=OuterRef("sought"), case=OuterRef("case"))
    # Joined to the request and the case, not `case IN (every case the user may see)`:
    # SQLite tried each visible case in turn (minutes at 100k children).
    candidates = MatchCandidate.objects.filter(
        visible_requests(user, "sought__request"),
        visible_cases(user, "case"),
        sought__request__status="open",
    ).exclude(Exists(decided))
    return with_home(candidates).order_by("-score", "id")


def to_review(user: Any) -> QuerySet[MatchCandidate]:
    """The proposals that are questions: not those of a child already home with the
    enquirer's family, which only wait to be recorded."""
    return home_or_not(open_candidates(user), home=False)


def home_or_not(candidates: QuerySet[MatchCandidate], *, home: bool) -> QuerySet[MatchCandidate]:
    """Of candidates marked by `with_home`, those whose child is (or is not) already home
    with the enquirer's family."""
    return candidates.filter(already_home=home)  # type: ignore[misc]
