"""Every change to a case goes through these functions.

Each checks the rules, saves in one transaction, writes the audit entry and raises
CaseError with a message a caseworker understands. Views, commands and the demo loader
all call them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from homeward.accounts.models import Agency
from homeward.accounts.roles import check_acting, profile_of
from homeward.accounts.staff import acting_user
from homeward.audit.services import record
from homeward.cases.access import can_change_cases, may_share, owns_case
from homeward.cases.models import (
    Attachment,
    AttachmentKind,
    CaseNote,
    CaseShare,
    ChildCase,
    FacilityKind,
    FamilyMember,
    MemberStatus,
    Placement,
    Relationship,
    ShareKind,
    ShareStatus,
    StatusTransition,
)
from homeward.cases.signals import case_circumstances_changed, case_ended, case_identity_changed
from homeward.cases.status import (
    FINAL,
    MADE_BY_THEIR_STEP,
    CaseStatus,
    allowed_next,
    needs_reason,
)
from homeward.lib.ages import UNKNOWN_BIRTH, BirthDate
from homeward.lib.i18n import format_day
from homeward.lib.places import UnknownPlaceError, country_name, region_country, region_name
from homeward.people.models import Person, Sex
from homeward.people.services import (
    NameInput,
    check_birth,
    check_names,
    create_person,
    set_names,
    write_names,
)
from homeward.refusals import CaseError


@dataclass(frozen=True)
class PlacementInput:
    country: str
    facility_kind: str
    since: date
    facility_name: str = ""


@dataclass(frozen=True)
class RelativeInput:
    relationship: str
    names: Sequence[NameInput]
    sex: str = Sex.UNKNOWN
    birth: BirthDate = UNKNOWN_BIRTH
    status: str = MemberStatus.UNKNOWN
    detention_facility: str = ""
    conviction: str = ""
    sentence: str = ""
    place: str = ""
    contact: str = ""
    willing_to_take_custody: str = "unknown"
    home_assessment: str = "not_assessed"
    home_assessed_on: date | None = None


@dataclass(frozen=True)
class ChildInput:
    names: Sequence[NameInput]
    sex: str
    birth: BirthDate
    nationality: str
    home_region: str
    placement: PlacementInput
    identified_on: date
    relatives: Sequence[RelativeInput] = field(default_factory=tuple)


def _today(today: date | None) -> date:
    return today or timezone.localdate()


# --- checks -----------------------------------------------------------------------------


def check_places(nationality: str, home_region: str) -> None:
    try:
        if nationality:
            country_name(nationality)
    except UnknownPlaceError as error:
        raise CaseError(str(error), field="nationality") from None
    try:
        region_in = region_country(home_region) if home_region else None
    except UnknownPlaceError as error:
        raise CaseError(str(error), field="home_region") from None
    if region_in and nationality and region_in != nationality.upper():
        raise CaseError(
            _("%(region)s is not in the country of nationality (%(country)s).")
            % {"region": region_name(home_region), "country": country_name(nationality)},
            field="home_region",
        )


def check_placement(placement: PlacementInput, today: date | None = None) -> None:
    try:
        country_name(placement.country)
    except UnknownPlaceError as error:
        raise CaseError(str(error), field="country") from None
    if placement.facility_kind not in FacilityKind.values:
        raise CaseError(
            _("Unknown kind of placement %(kind)r.") % {"kind": placement.facility_kind},
            "facility_kind",
        )
    if placement.since > _today(today):
        raise CaseError(_("The placement cannot start in the future."), field="since")


def check_not_future(
    day: date, field_name: str, today: date | None = None, message: str = ""
) -> None:
    if day > _today(today):
        raise CaseError(message or _("That date is in the future."), field=field_name)


# --- registering a child ----------------------------------------------------------------


@transaction.atomic
def register_child(
    data: ChildInput, *, agency: Agency, by: Any, today: date | None = None
) -> ChildCase:
    """Create the child, their case in status "identified", placement and family, at once."""
    check_acting(by)
    names = check_names(data.names)
    check_birth(data.birth, today)
    check_places(data.nationality, data.home_region)
    check_not_future(data.identified_on, "identified_on", today)
    check_placement(data.placement, today)
    if data.sex not in Sex.values:
        raise CaseError(_("Unknown sex %(sex)r.") % {"sex": data.sex}, field="sex")
    child = create_person(names, data.sex, data.birth, data.nationality.upper())
    user_id = acting_user_id(by)
    case = ChildCase.objects.create(
        reference=f"new-{child.pk}", child=child, **case_columns(data, agency.pk, user_id)
    )
    case.reference = case_reference(case.pk)
    case.save(update_fields=["reference"])
    StatusTransition.objects.create(case=case, **first_transition_columns(data, user_id))
    _create_placement(case, data.placement, by)
    for relative in data.relatives:
        _link_relative(case, relative, person=None, today=today)
    # One entry for the whole registration, naming the family parts it included.
    parts = [f"family.{relative.relationship}" for relative in data.relatives]
    record("case.created", actor=by, target=case, fields=parts)
    case_identity_changed.send(sender=ChildCase, case=case)
    case_circumstances_changed.send(sender=ChildCase, case=case, today=today)
    return case


# The rows registering a child writes besides the person's, column -> value: what
# `register_child` saves and what an import inserts in bulk (`imports.committing`), so that
# both paths write the same rows (`imports/tests/test_parity.py`).


def acting_user_id(by: Any) -> int | None:
    user = acting_user(by)
    return user.pk if user is not None else None


def case_reference(pk: int) -> str:
    return f"HW-{pk:06d}"


def case_columns(data: ChildInput, agency_id: int, registered_by_id: int | None) -> dict[str, Any]:
    """A new case of a child just identified (its reference is made of its id)."""
    return {
        "home_region": data.home_region.upper(), "agency_id": agency_id,
        "assigned_to_id": None, "status": CaseStatus.IDENTIFIED.value,
        "status_since": data.identified_on, "registered_by_id": registered_by_id,
        "merged_into_id": None,
    }  # fmt: skip


def first_transition_columns(data: ChildInput, recorded_by_id: int | None) -> dict[str, Any]:
    return {
        "from_status": "", "to_status": CaseStatus.IDENTIFIED.value,
        "effective_on": data.identified_on, "recorded_by_id": recorded_by_id,
        "reason": gettext_noop("Registered"),
    }  # fmt: skip


def placement_columns(placement: PlacementInput, recorded_by_id: int | None) -> dict[str, Any]:
    return {
        "country": placement.country.upper(), "facility_kind": placement.facility_kind,
        "facility_name": placement.facility_name.strip(), "since": placement.since,
        "recorded_by_id": recorded_by_id,
    }  # fmt: skip


@transaction.atomic
def register_sibling(
    of: ChildCase, data: ChildInput, *, agency: Agency, by: Any, today: date | None = None
) -> ChildCase:
    """Register a brother or sister of `of`'s child. The new case shares the family: the
    same people (mother, father, grandmother, ...) in the same relationships, with what is
    recorded about them, and each child becomes the other's sibling."""
    if data.relatives:
        raise CaseError(
            _(
                "A sibling shares the family of the case it is registered from; "
                "add other relatives once the case is registered."
            ),
            field="relatives",
        )
    case = register_child(data, agency=agency, by=by, today=today)
    family = list(of.family.select_related("person"))
    for member in family:
        _share_member(case, member)
    sibling = RelativeInput(Relationship.SIBLING, names=())
    _link_relative(case, sibling, person=of.child, today=today)
    _link_relative(of, sibling, person=case.child, today=today)
    shared = [f"family.{m.relationship}" for m in family] + ["family.sibling"]
    record("case.family_changed", actor=by, target=case, fields=shared)
    for other in [of, *_brothers_and_sisters_cases(family, agency, exclude=(of, case))]:
        if other is not of:
            _link_relative(other, sibling, person=case.child, today=today)
        record("case.family_changed", actor=by, target=other, fields=["family.sibling"])
        case_identity_changed.send(sender=ChildCase, case=other)
    case_identity_changed.send(sender=ChildCase, case=case)
    return case


def _brothers_and_sisters_cases(
    family: list[FamilyMember], agency: Agency, exclude: tuple[ChildCase, ...]
) -> list[ChildCase]:
    """The agency's own cases of the siblings already in the family (a sibling's case
    another agency owns is not written to from here)."""
    siblings = [m.person_id for m in family if m.relationship == Relationship.SIBLING]
    return list(
        ChildCase.objects.filter(child__in=siblings, agency=agency, merged_into=None)
        .exclude(pk__in=[c.pk for c in exclude])
        .order_by("pk")
    )


# What is recorded about a relative, as shared between siblings' cases.
MEMBER_FACTS = (
    "relationship", "status", "detention_facility", "conviction", "sentence", "place",
    "contact", "willing_to_take_custody", "home_assessment", "home_assessed_on",
)  # fmt: skip


def _share_member(case: ChildCase, member: FamilyMember) -> FamilyMember:
    shared = FamilyMember(case=case, person=member.person)
    for name in MEMBER_FACTS:
        setattr(shared, name, getattr(member, name))
    shared.save()
    return shared


def _create_placement(case: ChildCase, placement: PlacementInput, by: Any) -> Placement:
    return Placement.objects.create(case=case, **placement_columns(placement, acting_user_id(by)))


# --- changing a case --------------------------------------------------------------------


def held_from(case: ChildCase) -> CaseStatus | None:
    """The status a case on hold was in when it was put on hold; None for a case not on
    hold (asked on every case page, where it cost a query for nothing)."""
    if case.status != CaseStatus.ON_HOLD:
        return None
    last_hold = (
        case.transitions.filter(to_status=CaseStatus.ON_HOLD)
        .order_by("-effective_on", "-id")
        .first()
    )
    return CaseStatus(last_hold.from_status) if last_hold and last_hold.from_status else None


def transition(
    case: ChildCase,
    to: str,
    *,
    by: Any,
    reason: str = "",
    effective_on: date | None = None,
    today: date | None = None,
) -> StatusTransition:
    """Move a case to status `to`, if the flow allows it, and record who, when and why."""
    check_acting(by)
    with transaction.atomic():
        # Lock the row: two people moving one case at once must not both succeed.
        locked = ChildCase.objects.select_for_update().get(pk=case.pk)
        move = _checked_transition(locked, to, reason, effective_on, today)
        move.recorded_by = acting_user(by)
        move.save()
        locked.status = move.to_status
        locked.status_since = move.effective_on
        locked.save(update_fields=["status", "status_since", "updated_at"])
        record("case.status_changed", actor=by, target=locked, fields=["status"])
        if locked.status in FINAL:
            case_ended.send(sender=ChildCase, case=locked)
    case.status, case.status_since = locked.status, locked.status_since
    return move


def made_elsewhere(case: ChildCase, to: str) -> str:
    """Why the move of `case` to `to` is not made by hand, naming the step that makes it;
    "" when it is made by hand. While the child is on a mission still to fly, the mission
    also takes the child back (off the manifest) and home (the arrival)."""
    if case.status == CaseStatus.ON_HOLD:
        return ""  # a held case resumes where it was, whatever made that step
    if to in MADE_BY_THEIR_STEP:
        return str(MADE_BY_THEIR_STEP[CaseStatus(to)])
    if to not in (CaseStatus.REPATRIATED, CaseStatus.CLEARED_TO_LEAVE):
        return ""
    if case.status != CaseStatus.ASSIGNED_TO_MISSION:
        return ""
    from homeward.missions.services import booked_elsewhere  # missions builds on cases

    seat = booked_elsewhere(case)
    if seat is None:
        return ""
    if to == CaseStatus.REPATRIATED:
        return _(
            "The child is on the manifest of %(mission)s: the mission's arrival records the return."
        ) % {"mission": seat.mission.code}
    return _(
        "The child is on the manifest of %(mission)s: take the child off it, on the "
        "mission's page; the case steps back with it."
    ) % {"mission": seat.mission.code}


def change_status(
    case: ChildCase,
    to: str,
    *,
    by: Any,
    reason: str = "",
    effective_on: date | None = None,
    today: date | None = None,
) -> StatusTransition:
    """A status move made by hand (the case page, the API): `transition`, except for the
    moves that another step records with its facts, which are refused naming that step."""
    allowed = allowed_next(CaseStatus(case.status), held_from(case))
    elsewhere = made_elsewhere(case, to) if to in allowed else ""
    if elsewhere:
        raise CaseError(elsewhere, field="to_status")
    return transition(case, to, by=by, reason=reason, effective_on=effective_on, today=today)


def _checked_transition(
    case: ChildCase, to: str, reason: str, effective_on: date | None, today: date | None
) -> StatusTransition:
    current = CaseStatus(case.status)
    if to not in CaseStatus.values:
        raise CaseError(_("Unknown status %(status)r.") % {"status": to}, field="to_status")
    target = CaseStatus(to)
    allowed = allowed_next(current, held_from(case))
    if target not in allowed:
        names = ", ".join(f"“{s.label}”" for s in allowed) or _("none: the case has ended")
        raise CaseError(
            _("A case that is “%(current)s” cannot move to “%(target)s”. Allowed next: %(names)s.")
            % {"current": current.label, "target": target.label, "names": names},
            field="to_status",
        )
    reason = reason.strip()
    if needs_reason(current, target) and not reason:
        raise CaseError(
            _("Say why the case moves to “%(status)s”.") % {"status": target.label}, field="reason"
        )
    day = effective_on or _today(today)
    check_not_future(day, "effective_on", today)
    if day < case.status_since:
        raise CaseError(
            _(
                "The case has been “%(status)s” since %(day)s; a later step cannot be dated "
                "before that."
            )
            % {"status": current.label, "day": format_day(case.status_since)},
            field="effective_on",
        )
    return StatusTransition(
        case=case, from_status=current, to_status=target, effective_on=day, reason=reason
    )


@transaction.atomic
def replace_names(person: Person, names: Sequence[NameInput], *, by: Any, case: ChildCase) -> None:
    """Make `names` the person's full list of spellings."""
    check_acting(by)
    set_names(person, check_names(names))
    record("case.names_changed", actor=by, target=case, fields=["names"])
    case_identity_changed.send(sender=ChildCase, case=case)


@transaction.atomic
def update_identity(
    case: ChildCase,
    *,
    sex: str,
    birth: BirthDate,
    nationality: str,
    home_region: str,
    by: Any,
    today: date | None = None,
) -> None:
    check_acting(by)
    check_birth(birth, today)
    check_places(nationality, home_region)
    child = case.child
    before = (child.sex, child.birth, child.nationality, case.home_region)
    child.sex, child.nationality = sex, nationality.upper()
    child.set_birth(birth)
    child.save()
    case.home_region = home_region.upper()
    case.save(update_fields=["home_region", "updated_at"])
    after = (child.sex, child.birth, child.nationality, case.home_region)
    changed = [
        n
        for n, b, a in zip(
            ("sex", "birth", "nationality", "home_region"), before, after, strict=True
        )
        if b != a
    ]
    record("case.identity_changed", actor=by, target=case, fields=changed)
    case_identity_changed.send(sender=ChildCase, case=case)
    if "birth" in changed:
        case_circumstances_changed.send(sender=ChildCase, case=case, today=today)


@transaction.atomic
def add_family_member(
    case: ChildCase,
    relative: RelativeInput,
    *,
    by: Any,
    person: Person | None = None,
    today: date | None = None,
) -> FamilyMember:
    """Link a relative to the case: a new person, or `person` already known (a sibling's
    mother, say)."""
    check_acting(by)
    member = _link_relative(case, relative, person=person, today=today)
    record("case.family_changed", actor=by, target=case, fields=[f"family.{relative.relationship}"])
    case_identity_changed.send(sender=ChildCase, case=case)
    return member


def _link_relative(
    case: ChildCase, relative: RelativeInput, *, person: Person | None, today: date | None
) -> FamilyMember:
    check_relative(relative, today)
    if (
        relative.relationship in (Relationship.MOTHER, Relationship.FATHER)
        and case.family.filter(relationship=relative.relationship).exists()
    ):
        raise CaseError(
            _("The case already has a %(relationship)s; edit that entry instead.")
            % {"relationship": Relationship(relative.relationship).label.lower()},
            field="relationship",
        )
    if person is None:
        person = create_person(check_names(relative.names), relative.sex, relative.birth, "")
    elif case.family.filter(person=person).exists():
        raise CaseError(_("This person is already in the child's family."), field="person")
    member = FamilyMember(case=case, person=person)
    _apply_relative(member, relative)
    member.save()
    return member


@transaction.atomic
def update_family_member(
    member: FamilyMember, relative: RelativeInput, *, by: Any, today: date | None = None
) -> None:
    check_acting(by)
    check_relative(relative, today)
    clash = member.case.family.filter(relationship=relative.relationship).exclude(pk=member.pk)
    if relative.relationship in (Relationship.MOTHER, Relationship.FATHER) and clash.exists():
        raise CaseError(
            _("The case already has a %(relationship)s.")
            % {"relationship": Relationship(relative.relationship).label.lower()},
            field="relationship",
        )
    _apply_relative(member, relative)
    member.save()
    person = member.person
    person.sex = relative.sex
    person.set_birth(relative.birth)
    person.save()
    if relative.names:
        person.names.all().delete()
        write_names(person, check_names(relative.names))
    record(
        "case.family_changed",
        actor=by,
        target=member.case,
        fields=[f"family.{relative.relationship}"],
    )
    case_identity_changed.send(sender=ChildCase, case=member.case)


def check_relative(relative: RelativeInput, today: date | None) -> None:
    if relative.relationship not in Relationship.values:
        raise CaseError(
            _("Unknown relationship %(relationship)r.") % {"relationship": relative.relationship},
            field="relationship",
        )
    if relative.status not in MemberStatus.values:
        raise CaseError(
            _("Unknown status %(status)r.") % {"status": relative.status}, field="status"
        )
    detention = (relative.conviction, relative.sentence, relative.detention_facility)
    if relative.status != MemberStatus.DETAINED and any(detention):
        raise CaseError(
            _("A conviction, sentence and facility are recorded only for a detained person."),
            "status",
        )
    check_birth(relative.birth, today)
    if relative.home_assessed_on:
        check_not_future(relative.home_assessed_on, "home_assessed_on", today)


def _apply_relative(member: FamilyMember, relative: RelativeInput) -> None:
    for name, value in relative_columns(relative).items():
        setattr(member, name, value)


def relative_columns(relative: RelativeInput) -> dict[str, Any]:
    """The family link's columns for a checked relative (`check_relative`): what
    `add_family_member` saves, and what an import inserts in bulk (`imports.committing`),
    so that both paths write the same row (`imports/tests/test_parity.py`)."""
    return {
        "relationship": relative.relationship,
        "status": relative.status,
        "detention_facility": relative.detention_facility.strip(),
        "conviction": relative.conviction.strip(),
        "sentence": relative.sentence.strip(),
        "place": relative.place.strip(),
        "contact": relative.contact.strip(),
        "willing_to_take_custody": relative.willing_to_take_custody,
        "home_assessment": relative.home_assessment,
        "home_assessed_on": relative.home_assessed_on,
    }


@transaction.atomic
def move_placement(
    case: ChildCase, placement: PlacementInput, *, by: Any, today: date | None = None
) -> Placement:
    """Record where the child lives from `placement.since` on."""
    check_acting(by)
    check_placement(placement, today)
    current = case.current_placement()
    if current and placement.since < current.since:
        raise CaseError(
            _("The current placement began on %(day)s; a new one cannot begin earlier.")
            % {"day": format_day(current.since)},
            field="since",
        )
    row = _create_placement(case, placement, by)
    record("case.placement_changed", actor=by, target=case, fields=["placement"])
    case_circumstances_changed.send(sender=ChildCase, case=case, today=today)
    return row


@transaction.atomic
def add_note(
    case: ChildCase, text: str, *, by: Any, noted_on: date | None = None, today: date | None = None
) -> CaseNote:
    check_acting(by)
    text = text.strip()
    if not text:
        raise CaseError(_("The note is empty."), field="text")
    day = noted_on or _today(today)
    check_not_future(day, "noted_on", today)
    note = CaseNote.objects.create(case=case, text=text, noted_on=day, author=by)
    record("case.note_added", actor=by, target=case, fields=["notes"])
    return note


ALLOWED_UPLOAD_TYPES = {
    "application/pdf": AttachmentKind.DOCUMENT,
    "image/jpeg": None,
    "image/png": None,
    "text/plain": AttachmentKind.DOCUMENT,
}


def add_attachment(
    case: ChildCase, upload: UploadedFile, *, kind: str, description: str, by: Any, max_bytes: int
) -> Attachment:
    """Store an uploaded document or photo outside the web root."""
    check_acting(by)
    if kind not in AttachmentKind.values:
        raise CaseError(_("Unknown kind of attachment %(kind)r.") % {"kind": kind}, field="kind")
    content_type = (upload.content_type or "").split(";")[0].strip().lower()
    if content_type not in ALLOWED_UPLOAD_TYPES:
        raise CaseError(_("Upload a PDF, JPEG, PNG or plain-text file."), field="file")
    if kind == AttachmentKind.PHOTO and not content_type.startswith("image/"):
        raise CaseError(_("A photo must be a JPEG or PNG image."), field="file")
    size = upload.size or 0
    if size == 0:
        raise CaseError(_("The file is empty."), field="file")
    if size > max_bytes:
        raise CaseError(
            _("The file is larger than %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024)},
            field="file",
        )
    with transaction.atomic():
        attachment = Attachment(
            case=case,
            kind=kind,
            original_name=(upload.name or "upload")[:255],
            content_type=content_type,
            size=size,
            description=description.strip(),
            uploaded_by=by,
        )
        try:
            attachment.full_clean(exclude=["file"])
        except ValidationError as error:
            raise CaseError("; ".join(error.messages), field="description") from None
        # The row first: the file is encrypted for it (bound to its id).
        attachment.save()
        try:
            attachment.file.save(upload.name or "upload", upload)
            record("attachment.uploaded", actor=by, target=attachment)
        except Exception:
            if attachment.file:
                attachment.file.delete(save=False)  # no row, no file: nothing is half-saved
            raise
    return attachment


# --- sharing with another agency --------------------------------------------------------


@transaction.atomic
def offer_case(
    case: ChildCase, to_agency: Agency, *, kind: str, reason: str, consent: str, by: Any
) -> CaseShare:
    """Refer or transfer a case to another agency; it sees nothing until it accepts."""
    if kind not in ShareKind.values:
        raise CaseError(_("Unknown kind of sharing %(kind)r.") % {"kind": kind}, field="kind")
    if not may_share(by, case, kind):
        raise CaseError(
            _("Only the agency that holds the case may %(verb)s it.")
            % {"verb": _("transfer") if kind == ShareKind.TRANSFER else _("refer")},
            field="kind",
        )
    if not reason.strip():
        raise CaseError(_("Say why the case is shared."), field="reason")
    if not consent.strip():
        raise CaseError(
            _("Record the consent the sharing rests on (whose, when, how)."), field="consent"
        )
    if to_agency.pk == case.agency_id:
        raise CaseError(_("The case already belongs to that agency."), field="to_agency")
    live = case.shares.filter(
        to_agency=to_agency, status__in=[ShareStatus.PENDING, ShareStatus.ACCEPTED]
    )
    if live.exists():
        raise CaseError(
            _("The case is already shared with %(agency)s.") % {"agency": to_agency},
            field="to_agency",
        )
    share = CaseShare.objects.create(
        case=case, kind=kind, from_agency=case.agency, to_agency=to_agency,
        reason=reason.strip(), consent=consent.strip(), created_by=by,
    )  # fmt: skip
    record(f"case.{kind}_offered", actor=by, target=case, fields=["shares"])
    return share


@transaction.atomic
def decide_share(share: CaseShare, *, accept: bool, by: Any) -> None:
    """The receiving agency accepts or declines; accepting a transfer hands the case over."""
    profile = profile_of(by)
    if profile is None or not can_change_cases(by) or profile.agency_id != share.to_agency_id:
        raise CaseError(_("Only case staff of an agency receive referrals."))
    share = CaseShare.objects.select_for_update().get(pk=share.pk)
    if share.status != ShareStatus.PENDING:
        raise CaseError(
            _("This %(kind)s is already %(status)s.")
            % {
                "kind": share.get_kind_display().lower(),
                "status": share.get_status_display().lower(),
            }
        )
    share.status = ShareStatus.ACCEPTED if accept else ShareStatus.DECLINED
    share.decided_at, share.decided_by = timezone.now(), by
    share.save(update_fields=["status", "decided_at", "decided_by"])
    case = share.case
    if accept and share.kind == ShareKind.TRANSFER:
        case.agency, case.assigned_to = share.to_agency, None
        case.save(update_fields=["agency", "assigned_to", "updated_at"])
    verb = "accepted" if accept else "declined"
    record(f"case.{share.kind}_{verb}", actor=by, target=case, fields=["shares"])


@transaction.atomic
def revoke_share(share: CaseShare, *, by: Any) -> None:
    """The owning agency withdraws a referral (or a transfer not yet accepted)."""
    share = CaseShare.objects.select_for_update().select_related("case").get(pk=share.pk)
    if not share.is_revocable:
        raise CaseError(
            _("This %(kind)s can no longer be revoked.")
            % {"kind": share.get_kind_display().lower()}
        )
    if not owns_case(by, share.case):
        raise CaseError(_("Only the agency that holds the case may revoke its sharing."))
    share.status = ShareStatus.REVOKED
    share.decided_at, share.decided_by = timezone.now(), by
    share.save(update_fields=["status", "decided_at", "decided_by"])
    record(f"case.{share.kind}_revoked", actor=by, target=share.case, fields=["shares"])
