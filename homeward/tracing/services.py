"""Filing and closing tracing requests. Views, commands and the demo all call these."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts.models import Agency
from homeward.accounts.roles import check_acting
from homeward.accounts.staff import acting_user
from homeward.audit.services import record
from homeward.cases.models import ChildCase, MemberStatus, Relationship
from homeward.cases.services import (
    CaseError,
    RelativeInput,
    add_family_member,
    check_not_future,
    transition,
)
from homeward.cases.status import CaseStatus
from homeward.lib.ages import UNKNOWN_BIRTH, BirthDate
from homeward.lib.scripts import UnreadableNameError, check_readable, clean_name
from homeward.people.models import Sex
from homeward.people.services import (
    NameInput,
    check_birth,
    check_names,
    create_person,
    set_names,
)
from homeward.tracing.matching import enqueue
from homeward.tracing.models import (
    Decision,
    MatchCandidate,
    MatchDecision,
    MatchingWork,
    RequestStatus,
    SoughtKind,
    SoughtPerson,
    TracingRequest,
    join_variants,
)
from homeward.tracing.relationships import canonical, offered_words


@dataclass(frozen=True)
class SoughtInput:
    kind: str
    names: Sequence[NameInput] = ()
    sex: str = Sex.UNKNOWN
    birth: BirthDate = UNKNOWN_BIRTH
    mother_names: Sequence[str] = ()
    father_names: Sequence[str] = ()
    last_known_place: str = ""


@dataclass(frozen=True)
class RequestInput:
    enquirer_names: Sequence[NameInput]
    enquirer_relationship: str
    filed_on: date
    sought: Sequence[SoughtInput]
    enquirer_contact: str = ""
    enquirer_place: str = ""
    who_left: str = ""
    left_on: str = ""
    left_for: str = ""
    story: str = ""


def _check_readable(
    names: Sequence[str], field_name: str, index: int | None = None, within: str | None = None
) -> None:
    """Names in Latin, Cyrillic or Arabic letters only: others cannot be matched."""
    for name in names:
        try:
            check_readable(name)
        except UnreadableNameError as error:
            raise CaseError(str(error), field_name, within=within, index=index) from None


def _check_sought(number: int | None, sought: SoughtInput, today: date | None) -> None:
    """Check one person sought; a refusal names their field and, when they are one of a
    request's people, their place among them (`number`)."""
    within = "sought" if number is not None else None
    if sought.kind not in SoughtKind.values:
        raise CaseError(
            _("Unknown kind of sought person %(kind)r.") % {"kind": sought.kind},
            "kind", within=within, index=number,
        )  # fmt: skip
    if not sought.names and not sought.mother_names and not sought.father_names:
        raise CaseError(
            _("Give the sought person's name, or at least a parent's name."),
            "names", within=within, index=number,
        )  # fmt: skip
    _check_readable([n.full_name for n in sought.names], "names", number, within)
    _check_readable(sought.mother_names, "mother_names", number, within)
    _check_readable(sought.father_names, "father_names", number, within)
    try:
        check_birth(sought.birth, today)
    except CaseError as error:
        raise CaseError(error.message, "birth", within=within, index=number) from None


@transaction.atomic
def file_request(
    data: RequestInput, *, agency: Agency, by: Any, today: date | None = None
) -> TracingRequest:
    """Record a tracing request with everyone it seeks, all at once or not at all."""
    check_acting(by)
    enquirer_names = check_request(data, today)
    enquirer = create_person(enquirer_names, Sex.UNKNOWN, UNKNOWN_BIRTH, "")
    request = TracingRequest.objects.create(
        reference=f"new-{enquirer.pk}", agency=agency, enquirer=enquirer,
        filed_by=acting_user(by), **request_columns(data),
    )  # fmt: skip
    request.reference = request_reference(request.pk)
    request.save(update_fields=["reference"])
    added = [_add_sought(request, sought) for sought in data.sought]
    enqueue(MatchingWork.Kind.SOUGHT, [sought.pk for sought in added])
    record("tracing.created", actor=by, target=request)
    return request


def check_request(data: RequestInput, today: date | None) -> list[NameInput]:
    """Refuse a request that cannot be filed, naming the field; the enquirer's names,
    checked (`check_names`)."""
    enquirer_names = check_names(data.enquirer_names)
    _check_readable([n.full_name for n in enquirer_names], "enquirer_names")
    if not data.enquirer_relationship.strip():
        raise CaseError(
            _("Say how the enquirer is related to the people sought."), "enquirer_relationship"
        )
    check_not_future(data.filed_on, "filed_on", today)
    if not data.sought:
        raise CaseError(_("Name at least one person sought."), field="sought")
    for number, sought in enumerate(data.sought):
        _check_sought(number, sought, today)
    return enquirer_names


def request_columns(data: RequestInput) -> dict[str, Any]:
    """The request's own columns as `file_request` saves them, and as an import inserts them
    in bulk (`imports.committing`; `imports/tests/test_parity.py` compares the two)."""
    return {
        "enquirer_relationship": data.enquirer_relationship.strip(),
        "enquirer_contact": data.enquirer_contact.strip(),
        "enquirer_place": data.enquirer_place.strip(), "who_left": data.who_left.strip(),
        "left_on": data.left_on.strip(), "left_for": data.left_for.strip(),
        "story": data.story.strip(), "filed_on": data.filed_on,
    }  # fmt: skip


def request_reference(pk: int) -> str:
    return f"TR-{pk:06d}"


def _add_sought(request: TracingRequest, sought: SoughtInput) -> SoughtPerson:
    names = check_names(sought.names, required=False)
    person = create_person(names, sought.sex, sought.birth, "")
    return SoughtPerson.objects.create(request=request, person=person, **sought_values(sought))


def sought_values(data: SoughtInput) -> dict[str, str]:
    """A sought person's own fields as stored (their person holds names, sex and birth):
    filing, changing and importing write the same."""
    return {
        "kind": data.kind,
        "mother_names": join_variants(clean_name(name) for name in data.mother_names),
        "father_names": join_variants(clean_name(name) for name in data.father_names),
        "last_known_place": data.last_known_place.strip(),
    }


@transaction.atomic
def update_sought(
    sought: SoughtPerson, data: SoughtInput, *, by: Any, today: date | None = None
) -> None:
    """What the enquirer now says of a person sought (a better birth date, another
    spelling): checked as at filing, saved whole, and matched again in the background."""
    check_acting(by)
    if sought.request.status != RequestStatus.OPEN:
        raise CaseError(_("The request is closed: what it seeks can no longer be changed."))
    _check_sought(None, data, today)
    person = sought.person
    person.sex = data.sex
    person.set_birth(data.birth)
    person.save()
    set_names(person, check_names(data.names, required=False))
    for field_name, value in sought_values(data).items():
        setattr(sought, field_name, value)
    sought.save()
    enqueue(MatchingWork.Kind.SOUGHT, [sought.pk])
    record(
        "tracing.changed", actor=by, target=sought.request,
        fields=["names", "sex", "birth", "parents", "last_known_place"],
    )  # fmt: skip


@transaction.atomic
def close_request(
    request: TracingRequest,
    *,
    reason: str,
    by: Any,
    closed_on: date | None = None,
    today: date | None = None,
) -> None:
    check_acting(by)
    if request.status == RequestStatus.CLOSED:
        raise CaseError(_("The request is already closed."))
    if not reason.strip():
        raise CaseError(_("Say why the request is closed."), field="reason")
    day = closed_on or today or timezone.localdate()
    check_not_future(day, "closed_on", today, _("The closing date is in the future."))
    if day < request.filed_on:
        raise CaseError(
            _("The request was filed on %(filed_on)s; it cannot close before.")
            % {"filed_on": request.filed_on},
            field="closed_on",
        )
    request.status, request.closed_reason = RequestStatus.CLOSED, reason.strip()
    request.closed_on = day
    request.save(update_fields=["status", "closed_reason", "closed_on"])
    record("tracing.closed", actor=by, target=request, fields=["status"])


# --- decisions on proposed matches --------------------------------------------------------

# How an enquirer's words map to a relationship on the child's case.
RELATIONSHIPS = {
    "grandmother": Relationship.GRANDMOTHER, "grandfather": Relationship.GRANDFATHER,
    "aunt": Relationship.AUNT, "uncle": Relationship.UNCLE, "sister": Relationship.SIBLING,
    "brother": Relationship.SIBLING, "mother": Relationship.MOTHER, "father": Relationship.FATHER,
}  # fmt: skip
# The enquirer is related to the person sought: a sought mother's mother is the child's
# grandmother, her sister the child's aunt.
THROUGH_THE_MOTHER = {
    "mother": Relationship.GRANDMOTHER, "father": Relationship.GRANDFATHER,
    "sister": Relationship.AUNT, "brother": Relationship.UNCLE, "husband": Relationship.FATHER,
}  # fmt: skip


def relationship_words() -> list[str]:
    """The words an enquirer's relationship is read from, in the active language (offered
    on the filing page; the same words in any other language are read too)."""
    return offered_words()


def enquirer_relationship(sought: SoughtPerson) -> str:
    """The enquirer's relationship to the child of a case, from theirs to the sought person
    ("other" when it cannot be told)."""
    said = canonical(sought.request.enquirer_relationship)
    words = {SoughtKind.CHILD: RELATIONSHIPS, SoughtKind.MOTHER: THROUGH_THE_MOTHER}
    return words.get(SoughtKind(sought.kind), {}).get(said, Relationship.OTHER)


class Confirmed(NamedTuple):
    decision: MatchDecision
    # Whether the case moved to "family traced"; why not, when it was asked and did not.
    traced: bool
    not_traced_because: str = ""
    # Whether this confirmation found the last person the request sought, and closed it.
    closed: bool = False


def mark_traced_refusal(case: ChildCase) -> str:
    """Why a confirmed match cannot move this case to "family traced" ("" when it can):
    the page offers the choice only when it can."""
    if case.status != CaseStatus.VERIFIED:
        return _(
            "the case is “%(status)s”; only a case whose identity is verified moves to "
            "“family traced”"
        ) % {"status": case.get_status_display()}
    return ""


@transaction.atomic
def confirm_match(
    candidate: MatchCandidate, *, by: Any, mark_traced: bool = False, reason: str = ""
) -> Confirmed:
    """The caseworker agrees: the enquirer joins the child's family, and the case may move
    to "family traced"."""
    check_acting(by)
    decision = _decide(candidate, Decision.CONFIRMED, by=by, reason=reason)
    request, case = candidate.sought.request, candidate.case
    if not case.family.filter(person=request.enquirer).exists():
        relative = RelativeInput(
            relationship=enquirer_relationship(candidate.sought), names=(),
            status=MemberStatus.ALIVE, place=request.enquirer_place,
            contact=request.enquirer_contact,
        )  # fmt: skip
        add_family_member(case, relative, by=by, person=request.enquirer)
    closed = _close_when_all_found(request, by=by)
    if not mark_traced:
        return Confirmed(decision, traced=False, closed=closed)
    because = mark_traced_refusal(case)
    if because:
        return Confirmed(decision, traced=False, not_traced_because=because, closed=closed)
    transition(
        case,
        CaseStatus.FAMILY_TRACED,
        by=by,
        reason=_("Matched %(reference)s") % {"reference": request.reference},
    )
    return Confirmed(decision, traced=True, closed=closed)


def _close_when_all_found(request: TracingRequest, *, by: Any) -> bool:
    """A request whose every sought person is now found is closed, saying who is who.

    A relative found is still proposed in the cases of her other children, where she is
    the same person: the request stays open until those are decided too. The other
    proposals are moot once the person is found, and are kept with the closed request."""
    sought = list(request.sought.all())
    found = MatchDecision.objects.filter(sought__request=request, decision=Decision.CONFIRMED)
    found_for = {d.sought_id: d for d in found.select_related("case")}
    if any(person.pk not in found_for for person in sought):
        return False
    relatives = [d.relative_id for d in found_for.values() if d.relative_id is not None]
    if MatchCandidate.objects.filter(sought__request=request, relative_id__in=relatives).exists():
        return False
    said = "; ".join(
        f"{person.get_kind_display().lower()}: {found_for[person.pk].case.reference}"
        for person in sought
    )
    close_request(request, reason=_("Everyone sought was found (%(who)s).") % {"who": said}, by=by)
    return True


@transaction.atomic
def reject_match(candidate: MatchCandidate, *, by: Any, reason: str = "") -> MatchDecision:
    """Not the same child: remembered, and never proposed again. The last proposal
    decided of a request whose people are all found closes it."""
    check_acting(by)
    decision = _decide(candidate, Decision.REJECTED, by=by, reason=reason)
    _close_when_all_found(candidate.sought.request, by=by)
    return decision


def decision_refusal(candidate: MatchCandidate) -> str:
    """Why this proposal cannot be decided ("" when it can): asked before a rejection is
    confirmed, and before either is saved."""
    if candidate.sought.request.status != RequestStatus.OPEN:
        return _("The request is closed: its candidates can no longer be decided.")
    if MatchDecision.objects.filter(sought=candidate.sought, case=candidate.case).exists():
        return _("This pair has been decided already.")
    return ""


def _decide(candidate: MatchCandidate, decision: str, *, by: Any, reason: str) -> MatchDecision:
    refusal = decision_refusal(candidate)
    if refusal:
        raise CaseError(refusal)
    made = MatchDecision.objects.create(
        sought=candidate.sought, case=candidate.case, relative=candidate.relative,
        decision=decision,
        score_when_decided=candidate.score, reason=reason.strip(), decided_by=by,
    )  # fmt: skip
    candidate.delete()
    # The request's other candidates shared their probability with this one: share again.
    enqueue(MatchingWork.Kind.SOUGHT, [candidate.sought_id])
    record(
        f"tracing.match_{decision}", actor=by, target=candidate.sought.request, fields=["matches"]
    )
    return made
