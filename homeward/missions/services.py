"""The rules of a mission, from planning to arrival. Pages, commands and the demo call these.

- A child goes on a manifest only when ready (missions.readiness), only once among the
  missions still to fly, and only while seats remain.
- Readiness holds again at every step that commits the flight (confirm, approve, depart,
  arrive): a child whose checklist item was withdrawn after being put on the manifest
  blocks them, unless a supervisor let the child fly without it, with a reason that the
  manifest shows.
- The mission coordinator confirms the manifest; a supervisor approves it. After
  confirmation every change needs a reason, and a change voids the approval.
- Departure and arrival are recorded with their date and time, apart from the planned
  days. Arrival is one step: the children who flew become "repatriated" and are placed at
  the reception they were taken to (or in transit to their region); a child who did not
  travel after all goes back to "cleared to leave", with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from homeward.accounts.models import Role
from homeward.accounts.roles import profile_of, role_of
from homeward.audit.services import record
from homeward.cases import services as case_services
from homeward.cases.access import cases_visible_to
from homeward.cases.models import ChildCase, FacilityKind
from homeward.cases.services import CaseError, PlacementInput
from homeward.cases.status import CaseStatus
from homeward.lib.i18n import format_day, format_moment
from homeward.lib.places import UnknownPlaceError, region_country, region_name
from homeward.missions import readiness
from homeward.missions.models import (
    ACTIVE_STATUSES,
    ManifestEntry,
    Mission,
    MissionChange,
    MissionEscort,
    MissionStatus,
    ReadinessCheck,
    ReadinessItem,
)
from homeward.people.models import names_read

# Who does what with a mission.
PLANNERS = frozenset({Role.MISSION_COORDINATOR})
APPROVERS = frozenset({Role.SUPERVISOR})
# The manifest document names every child on board: only those who run the day.
MANIFEST_READERS = frozenset({Role.MISSION_COORDINATOR, Role.SUPERVISOR})
# Fit to fly is a doctor's word; the other items are the case team's.
READINESS_RECORDERS = frozenset(
    {Role.CASEWORKER, Role.SUPERVISOR, Role.MISSION_COORDINATOR, Role.MEDICAL_OFFICER}
)
MEDICAL_ITEMS = frozenset({ReadinessItem.FIT_TO_FLY})


class MissionError(CaseError):
    """A mission change refused by a rule; `field` names the input at fault."""


def _require_role(user: Any, roles: frozenset[str], what: str) -> None:
    if role_of(user) not in roles:
        names = _(" or ").join(sorted(Role(r).label.lower() for r in roles))
        raise MissionError(_("Only a %(roles)s may %(what)s.") % {"roles": names, "what": what})


def _today(today: date | None) -> date:
    return today or timezone.localdate()


# --- planning ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MissionInput:
    code: str
    name: str
    departure_airport: str
    arrival_airport: str
    departs_on: date
    arrives_on: date
    capacity: int
    operator: str = ""
    aircraft: str = ""


def _check_mission(data: MissionInput) -> None:
    for field_name in ("departure_airport", "arrival_airport"):
        value = getattr(data, field_name)
        if len(value) != 3 or not value.isascii() or not value.isupper() or not value.isalpha():
            raise MissionError(
                _("Enter a three-letter IATA airport code in capitals, e.g. BGW."), field=field_name
            )
    if data.departure_airport == data.arrival_airport:
        raise MissionError(_("The flight must arrive somewhere else."), field="arrival_airport")
    if data.arrives_on < data.departs_on:
        raise MissionError(_("The flight cannot arrive before it departs."), field="arrives_on")
    if data.capacity < 1:
        raise MissionError(_("A mission needs at least one seat for a child."), field="capacity")


def plan_mission(data: MissionInput, *, by: Any) -> Mission:
    _require_role(by, PLANNERS, _("plan a mission"))
    code = data.code.strip()
    if not code:
        raise MissionError(_("Give the mission a code, e.g. M-2019-02."), field="code")
    # The mission and its audit entry are written together or not at all.
    with transaction.atomic():
        if Mission.objects.filter(code=code).exists():
            raise MissionError(
                _("There is already a mission %(code)s.") % {"code": code}, field="code"
            )
        _check_mission(data)
        mission = Mission.objects.create(
            code=code,
            name=data.name.strip() or code,
            departure_airport=data.departure_airport,
            arrival_airport=data.arrival_airport,
            departs_on=data.departs_on,
            arrives_on=data.arrives_on,
            capacity=data.capacity,
            operator=data.operator.strip(),
            aircraft=data.aircraft.strip(),
            created_by=by,
        )
        record("mission.planned", actor=by, target=mission)
    return mission


FLIGHT_FIELDS = (
    "name", "departure_airport", "arrival_airport", "departs_on", "arrives_on", "capacity",
    "operator", "aircraft",
)  # fmt: skip


def update_mission(mission: Mission, data: MissionInput, *, by: Any, reason: str = "") -> Mission:
    """Change the flight's facts (a date slips, another aircraft). Once the manifest is
    confirmed a change needs a reason and voids the approval; seats never drop below the
    children already on board. The code stays: documents and people refer to it."""
    _require_role(by, PLANNERS, _("change a mission"))
    with transaction.atomic():
        mission = _locked(mission)
        _require_open(mission)
        reason = _change_reason(mission, reason)
        _check_mission(data)
        on_board = mission.on_board().count()
        if data.capacity < on_board:
            raise MissionError(
                ngettext(
                    "%(count)d child is on the manifest: the mission needs at least as many seats.",
                    "%(count)d children are on the manifest: the mission needs at least as many "
                    "seats.",
                    on_board,
                )
                % {"count": on_board},
                field="capacity",
            )
        values = {
            "name": data.name.strip() or mission.code,
            "departure_airport": data.departure_airport,
            "arrival_airport": data.arrival_airport,
            "departs_on": data.departs_on,
            "arrives_on": data.arrives_on,
            "capacity": data.capacity,
            "operator": data.operator.strip(),
            "aircraft": data.aircraft.strip(),
        }
        changed = [name for name in FLIGHT_FIELDS if getattr(mission, name) != values[name]]
        if not changed:
            return mission
        for name in changed:
            setattr(mission, name, values[name])
        mission.save(update_fields=changed)
        if mission.is_confirmed:
            _void_approval(mission, by)
        MissionChange.objects.create(mission=mission, changed_by=by, fields=changed, reason=reason)
        record("mission.changed", actor=by, target=mission, fields=changed)
    return mission


def add_escort(mission: Mission, user: Any, duty: str, *, by: Any) -> MissionEscort:
    _require_role(by, PLANNERS, _("choose a mission's escorts"))
    _require_open(mission)
    if not duty.strip():
        raise MissionError(_("Say what the escort does on the mission."), field="duty")
    if profile_of(user) is None:
        raise MissionError(_("An escort must be an active member of staff."), field="user")
    if mission.escorts.filter(user=user).exists():
        raise MissionError(
            _("%(user)s is already an escort.") % {"user": user.get_username()}, field="user"
        )
    escort = MissionEscort.objects.create(mission=mission, user=user, duty=duty.strip())
    record("mission.escort_added", actor=by, target=mission, fields=["escorts"])
    return escort


def _require_open(mission: Mission) -> None:
    if mission.status not in (MissionStatus.PLANNED, MissionStatus.MANIFEST_CONFIRMED):
        raise MissionError(
            _("Mission %(code)s is “%(status)s”: its manifest can no longer change.")
            % {"code": mission.code, "status": mission.get_status_display()}
        )


# --- readiness --------------------------------------------------------------------------


@transaction.atomic
def record_readiness(
    case: ChildCase,
    item: str,
    *,
    done_on: date,
    evidence: str = "",
    by: Any,
    today: date | None = None,
) -> ReadinessCheck:
    _check_tickable(item)
    _check_recorder(by, item)
    if item in MEDICAL_ITEMS and role_of(by) != Role.MEDICAL_OFFICER:
        raise MissionError(
            _("Only a medical officer records the fit-to-fly medical."), field="item"
        )
    if done_on > _today(today):
        raise MissionError(_("The date is in the future."), field="done_on")
    check, _created = ReadinessCheck.objects.update_or_create(
        case=case,
        item=item,
        defaults={"done_on": done_on, "evidence": evidence.strip(), "recorded_by": by},
    )
    record("case.readiness_recorded", actor=by, target=case, fields=[f"readiness.{item}"])
    return check


def _check_tickable(item: str) -> None:
    """Only the items nothing else records are ticked (one fact, one place)."""
    if item not in ReadinessItem.values:
        raise MissionError(_("Unknown checklist item %(item)r.") % {"item": item}, field="item")
    if item == ReadinessItem.RELATIVES_ASSESSED:
        raise MissionError(_("Relatives are assessed on the family tab."), field="item")
    status = readiness.STATUS_ITEMS.get(ReadinessItem(item))
    if status is not None:
        raise MissionError(
            _(
                "“%(item)s” is a step of the case: move the case to “%(status)s”, with the "
                "evidence as the reason."
            )
            % {"item": ReadinessItem(item).label, "status": status.label},
            field="item",
        )


def _check_recorder(by: Any, item: str) -> None:
    """Case roles tick and untick the checklist; a medical officer only the medical (which
    only they tick, `record_readiness`; anyone on the case may untick it: a child who
    falls ill is unfit whoever notices)."""
    role = role_of(by)
    if role not in READINESS_RECORDERS:
        raise MissionError(_("Your role does not record readiness."))
    if role == Role.MEDICAL_OFFICER and item not in MEDICAL_ITEMS:
        raise MissionError(
            _("A medical officer records the fit-to-fly medical only."), field="item"
        )


@transaction.atomic
def withdraw_readiness(case: ChildCase, item: str, *, reason: str, by: Any) -> None:
    """Untick an item (a travel document expired, clearance withdrawn): why is recorded."""
    _check_tickable(item)
    _check_recorder(by, item)
    if not reason.strip():
        raise MissionError(_("Say why the item no longer holds."), field="reason")
    deleted, _by_model = ReadinessCheck.objects.filter(case=case, item=item).delete()
    if not deleted:
        raise MissionError(_("That item was not ticked."), field="item")
    case_services.add_note(
        case,
        _("Readiness withdrawn: %(item)s. %(reason)s")
        % {"item": ReadinessItem(item).label, "reason": reason.strip()},
        by=by,
    )
    record("case.readiness_withdrawn", actor=by, target=case, fields=[f"readiness.{item}"])


# --- the manifest -----------------------------------------------------------------------


def _locked(mission: Mission) -> Mission:
    # One writer per mission: two coordinators adding the last seat must not both succeed.
    return Mission.objects.select_for_update().get(pk=mission.pk)


def booked_elsewhere(case: ChildCase, mission: Mission | None = None) -> ManifestEntry | None:
    """The child's seat on another mission still to fly, if any."""
    entries = ManifestEntry.objects.filter(
        case=case, removed_at=None, mission__status__in=ACTIVE_STATUSES
    ).select_related("mission")
    if mission is not None:
        entries = entries.exclude(mission=mission)
    return entries.first()


def ready_children(user: Any) -> list[ChildCase]:
    """Cleared children the user may see who are on no mission still to fly (the test of
    `booked_elsewhere`, in one query), with their names."""
    return list(ready_candidates(user))


def ready_candidates(user: Any) -> QuerySet[ChildCase]:
    """`ready_children` unread, for a page of them: at a registry's size thousands of
    children may be ready, and the checklist of each is read only for those shown
    (`readiness.missing_by_case`)."""
    return ready_cases(user).prefetch_related(names_read("child__names"))


def ready_cases(user: Any) -> QuerySet[ChildCase]:
    booked = ManifestEntry.objects.filter(
        case=OuterRef("pk"), removed_at=None, mission__status__in=ACTIVE_STATUSES
    )
    return (
        cases_visible_to(user)
        .filter(status=readiness.READY_STATUS, merged_into=None)
        .exclude(Exists(booked))
        .select_related("child")
        .order_by("reference")
    )


def _change_reason(mission: Mission, reason: str) -> str:
    reason = reason.strip()
    if mission.is_confirmed and not reason:
        raise MissionError(
            _("The manifest of %(code)s is confirmed: say why it changes.")
            % {"code": mission.code},
            field="reason",
        )
    return reason


def _void_approval(mission: Mission, by: Any) -> None:
    if mission.approved_at is not None:
        mission.approved_at = None
        mission.approved_by = None
        mission.save(update_fields=["approved_at", "approved_by"])
        record("mission.approval_voided", actor=by, target=mission, fields=["approved_at"])


def add_to_manifest(
    mission: Mission,
    case: ChildCase,
    *,
    by: Any,
    seat: str = "",
    escort: MissionEscort | None = None,
    receiving_region: str = "",
    reason: str = "",
    today: date | None = None,
) -> ManifestEntry:
    _require_role(by, PLANNERS, _("change a manifest"))
    with transaction.atomic():
        mission = _locked(mission)
        _require_open(mission)
        reason = _change_reason(mission, reason)
        if mission.on_board().filter(case=case).exists():
            raise MissionError(
                _("%(case)s is already on this manifest.") % {"case": case.reference}, field="case"
            )
        if mission.on_board().count() >= mission.capacity:
            raise MissionError(
                _("Mission %(code)s is full: all %(seats)s seats are taken.")
                % {"code": mission.code, "seats": mission.capacity},
                field="case",
            )
        other = booked_elsewhere(case, mission)
        if other is not None:
            raise MissionError(
                _(
                    "%(case)s is already on the manifest of %(code)s (%(day)s); take the child "
                    "off it first."
                )
                % {
                    "case": case.reference,
                    "code": other.mission.code,
                    "day": format_day(other.mission.departs_on),
                },
                field="case",
            )
        gaps = readiness.problems(case)
        if gaps:
            raise MissionError(
                _("%(case)s is not ready to travel: %(gaps)s.")
                % {"case": case.reference, "gaps": "; ".join(gaps)},
                field="case",
            )
        seat = seat.strip().upper()
        if seat and mission.on_board().filter(seat=seat).exists():
            raise MissionError(_("Seat %(seat)s is taken.") % {"seat": seat}, field="seat")
        if escort is not None and escort.mission_id != mission.pk:
            raise MissionError(_("That escort is not on this mission."), field="escort")
        region = receiving_region or case.home_region
        _check_region(region)
        entry = ManifestEntry.objects.create(
            mission=mission,
            case=case,
            seat=seat,
            escort=escort,
            receiving_region=region,
            added_by=by,
            added_reason=reason,
        )
        case_services.transition(
            case,
            CaseStatus.ASSIGNED_TO_MISSION,
            by=by,
            reason=reason or _("On the manifest of %(code)s.") % {"code": mission.code},
            today=today,
        )
        if mission.is_confirmed:
            _void_approval(mission, by)
        record("mission.child_added", actor=by, target=mission, fields=["manifest"])
    return entry


def _check_region(region: str) -> None:
    if not region:
        return
    try:
        region_country(region)
    except UnknownPlaceError as error:
        raise MissionError(str(error), field="receiving_region") from error


def remove_from_manifest(
    entry: ManifestEntry, *, by: Any, reason: str, today: date | None = None
) -> None:
    """Take a child off the manifest; the case steps back to "cleared to leave"."""
    _require_role(by, PLANNERS, _("change a manifest"))
    with transaction.atomic():
        mission = _locked(entry.mission)
        _require_open(mission)
        reason = _change_reason(mission, reason)
        entry.refresh_from_db()
        if entry.removed_at is not None:
            raise MissionError(_("The child is no longer on this manifest."))
        entry.removed_at = timezone.now()
        entry.removed_by = by
        entry.removed_reason = reason
        entry.save(update_fields=["removed_at", "removed_by", "removed_reason"])
        reason = reason or _("Taken off the manifest of %(code)s.") % {"code": mission.code}
        _step_back(entry.case, reason, by, today)
        if mission.is_confirmed:
            _void_approval(mission, by)
        record("mission.child_removed", actor=by, target=mission, fields=["manifest"])


def _step_back(case: ChildCase, reason: str, by: Any, today: date | None) -> None:
    case.refresh_from_db()
    if case.status == CaseStatus.ASSIGNED_TO_MISSION:
        case_services.transition(
            case, CaseStatus.CLEARED_TO_LEAVE, by=by, reason=reason, today=today
        )


# --- readiness at every step that commits the flight ------------------------------------


@dataclass(frozen=True)
class Blocker:
    """A child on board who may not fly as things stand, and why (in words)."""

    entry: ManifestEntry
    reasons: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.entry.case.reference} ({'; '.join(self.reasons)})"


def blockers(
    mission: Mission,
    entries: Iterable[ManifestEntry] | None = None,
    missing: dict[int, list[ReadinessItem]] | None = None,
) -> list[Blocker]:
    """The children on board (or of `entries`) who block the flight: a checklist item not
    done that no supervisor let them fly without, or a case no longer "assigned to a
    mission" (put on hold, ended). `missing`: their checklists' gaps, when read already."""
    if entries is None:
        entries = mission.on_board().select_related("case__child")
    entries = list(entries)
    if missing is None:
        missing = readiness.missing_by_case(entry.case for entry in entries)
    found = []
    for entry in entries:
        reasons = _blocking_reasons(entry, missing[entry.case_id])
        if reasons:
            found.append(Blocker(entry, reasons))
    return found


def _blocking_reasons(entry: ManifestEntry, missing: list[ReadinessItem]) -> list[str]:
    case = entry.case
    reasons = []
    if case.status != CaseStatus.ASSIGNED_TO_MISSION:
        reasons.append(_("the case is “%(status)s”") % {"status": case.get_status_display()})
    gaps = not_overridden(entry, missing)
    if gaps:
        reasons.append(
            _("not yet done: %(items)s") % {"items": ", ".join(str(i.label) for i in gaps)}
        )
    return reasons


def not_overridden(
    entry: ManifestEntry, missing: list[ReadinessItem] | None = None
) -> list[ReadinessItem]:
    """The child's missing checklist items (`missing`, when read already) that no
    supervisor let the child fly without."""
    allowed = set(entry.override_items or [])
    if missing is None:
        missing = readiness.missing_items(entry.case)
    return [item for item in missing if item.value not in allowed]


def _require_ready_to_fly(mission: Mission, step: str, entries: Iterable[ManifestEntry]) -> None:
    found = blockers(mission, entries)
    if found:
        raise MissionError(
            ngettext(
                "%(step)s is refused: %(count)d child on the manifest is not ready to travel: "
                "%(children)s. Record what is done on the child's page, take the child off "
                "the manifest, or have a supervisor let the child fly without it, with a "
                "reason.",
                "%(step)s is refused: %(count)d children on the manifest are not ready to "
                "travel: %(children)s. Record what is done on each child's page, take the "
                "child off the manifest, or have a supervisor let the child fly without it, "
                "with a reason.",
                len(found),
            )
            % {
                "step": step,
                "count": len(found),
                "children": "; ".join(str(b) for b in found),
            },
            field="manifest",
        )


def _flying(mission: Mission) -> list[ManifestEntry]:
    """The children on board with their cases: `blockers` reads their checklists together
    (`readiness.missing_by_case`), so nothing more is prefetched a child."""
    return list(mission.on_board().select_related("case__child"))


def override_readiness(entry: ManifestEntry, *, reason: str, by: Any) -> ManifestEntry:
    """A supervisor lets a child on board fly without the checklist items missing now
    (a travel document being reissued, say), and says why. The manifest shows it; an item
    that goes missing later blocks the flight again."""
    _require_role(by, APPROVERS, _("let a child fly without a checklist item"))
    reason = reason.strip()
    if not reason:
        raise MissionError(_("Say why the child may fly without it."), field="reason")
    with transaction.atomic():
        mission = _locked(entry.mission)
        _require_open(mission)
        entry.refresh_from_db()
        if entry.removed_at is not None:
            raise MissionError(_("The child is no longer on this manifest."))
        missing = readiness.missing_items(entry.case)
        if not missing:
            raise MissionError(
                _("%(case)s has every checklist item done: there is nothing to override.")
                % {"case": entry.case.reference}
            )
        entry.override_items = [item.value for item in missing]
        entry.override_reason = reason
        entry.override_by = by
        entry.override_at = timezone.now()
        entry.save(
            update_fields=["override_items", "override_reason", "override_by", "override_at"]
        )
        labels = ", ".join(str(item.label) for item in missing)
        case_services.add_note(
            entry.case,
            _("Allowed to fly on %(mission)s without: %(items)s. %(reason)s")
            % {"mission": mission.code, "items": labels, "reason": reason},
            by=by,
        )
        record("mission.readiness_overridden", actor=by, target=mission, fields=["manifest"])
    return entry


# --- the steps of the flight ------------------------------------------------------------


def confirm_manifest(mission: Mission, *, by: Any) -> None:
    _require_role(by, PLANNERS, _("confirm a manifest"))
    with transaction.atomic():
        mission = _locked(mission)
        if mission.status != MissionStatus.PLANNED:
            raise MissionError(
                _("Only a planned mission's manifest is confirmed; %(code)s is “%(status)s”.")
                % {"code": mission.code, "status": mission.get_status_display()}
            )
        if not mission.on_board().exists():
            raise MissionError(_("The manifest is empty."))
        _require_ready_to_fly(mission, _("Confirming the manifest"), _flying(mission))
        mission.status = MissionStatus.MANIFEST_CONFIRMED
        mission.confirmed_at = timezone.now()
        mission.confirmed_by = by
        mission.save(update_fields=["status", "confirmed_at", "confirmed_by"])
        record("mission.manifest_confirmed", actor=by, target=mission, fields=["status"])


def approve_manifest(mission: Mission, *, by: Any) -> None:
    _require_role(by, APPROVERS, _("approve a manifest"))
    with transaction.atomic():
        mission = _locked(mission)
        if mission.status != MissionStatus.MANIFEST_CONFIRMED:
            raise MissionError(_("The coordinator confirms the manifest before it is approved."))
        if mission.approved_at is not None:
            raise MissionError(_("The manifest is already approved."))
        _require_reach(mission, by)
        _require_ready_to_fly(mission, _("Approving the manifest"), _flying(mission))
        mission.approved_at = timezone.now()
        mission.approved_by = by
        mission.save(update_fields=["approved_at", "approved_by"])
        record("mission.manifest_approved", actor=by, target=mission, fields=["approved_at"])


def _require_reach(mission: Mission, by: Any) -> None:
    """Whoever approves a manifest answers for every child on it, so must be able to open
    each child's case, as whoever prints it must (missions.views.manifest_document)."""
    hidden = mission.on_board().exclude(case__in=cases_visible_to(by)).count()
    if hidden:
        raise MissionError(
            _(
                "The manifest names %(count)s children whose cases your scope does not "
                "reach; a supervisor whose scope reaches every child approves it."
            )
            % {"count": hidden}
        )


def record_departure(
    mission: Mission, *, departed_at: datetime, by: Any, now: datetime | None = None
) -> Mission:
    """The flight took off at `departed_at` (not in the future); every child on board must
    be ready, or let fly by a supervisor. The planned day stays as it was planned."""
    _require_role(by, PLANNERS, _("record a departure"))
    with transaction.atomic():
        mission = _locked(mission)
        _require_approved(mission)
        if departed_at > (now or timezone.now()):
            raise MissionError(_("The departure time is in the future."), field="departed_at")
        _not_before_approval(mission, departed_at)
        entries = _flying(mission)
        _not_before_boarding(entries, departed_at, "departed_at")
        _require_ready_to_fly(mission, _("Recording the departure"), entries)
        mission.status = MissionStatus.DEPARTED
        mission.departed_at = departed_at
        mission.departure_recorded_by = by
        mission.save(update_fields=["status", "departed_at", "departure_recorded_by"])
        record("mission.departed", actor=by, target=mission, fields=["status", "departed_at"])
    return mission


def _not_before_approval(mission: Mission, departed_at: datetime) -> None:
    """The flight leaves once its manifest is approved (to the minute, as the form asks)."""
    approved = mission.approved_at
    if approved is not None and departed_at < approved.replace(second=0, microsecond=0):
        raise MissionError(
            _("The manifest was approved at %(approved)s: the flight cannot have left before.")
            % {"approved": format_moment(timezone.localtime(approved))},
            field="departed_at",
        )


def _not_before_boarding(entries: Iterable[ManifestEntry], moment: datetime, field: str) -> None:
    """A flight cannot leave or land before a child on it was put on its manifest."""
    day = timezone.localdate(moment)
    for entry in entries:
        if entry.case.status_since > day:
            raise MissionError(
                _(
                    "%(case)s has been “%(status)s” since %(since)s: the flight cannot be "
                    "dated before that."
                )
                % {
                    "case": entry.case.reference,
                    "status": entry.case.get_status_display(),
                    "since": format_day(entry.case.status_since),
                },
                field=field,
            )


def _require_approved(mission: Mission) -> None:
    if mission.status != MissionStatus.MANIFEST_CONFIRMED or mission.approved_at is None:
        raise MissionError(
            _("Mission %(code)s must have its manifest confirmed and approved first.")
            % {"code": mission.code}
        )


def record_arrival(
    mission: Mission,
    *,
    arrived_at: datetime,
    by: Any,
    not_travelled: Mapping[int, str] | None = None,
    reception: str = "",
    now: datetime | None = None,
) -> tuple[int, int]:
    """Land the mission in one step, at `arrived_at`. `not_travelled` maps manifest entry
    ids of children who did not fly after all to the reason. Each child who flew becomes
    "repatriated" and is placed at `reception` (where the children were taken: a hospital),
    or "in transit" to the receiving region when it is not given. Returns (repatriated,
    stayed behind)."""
    _require_role(by, PLANNERS, _("record an arrival"))
    not_travelled = {int(k): v.strip() for k, v in (not_travelled or {}).items()}
    with transaction.atomic():
        mission = _locked(mission)
        _require_may_land(mission)
        _check_arrival_time(mission, arrived_at, now)
        entries = _flying(mission)
        unknown = set(not_travelled) - {e.pk for e in entries}
        if unknown:
            raise MissionError(_("Some children marked as not travelling are not on the manifest."))
        for entry_id, reason in not_travelled.items():
            if not reason:
                raise MissionError(
                    _("Say why each child did not travel."),
                    "reason", within="not_travelled", index=entry_id,
                )  # fmt: skip
        flying = [e for e in entries if e.pk not in not_travelled]
        _not_before_boarding(flying, arrived_at, "arrived_at")
        if mission.status == MissionStatus.MANIFEST_CONFIRMED:
            # The departure was not recorded: the arrival commits the flight instead.
            _require_ready_to_fly(mission, _("Recording the arrival"), flying)
        day = timezone.localdate(arrived_at)
        for entry in entries:
            if entry.pk in not_travelled:
                _stayed(entry, mission, not_travelled[entry.pk], by, day)
            else:
                _landed(entry, mission, reception.strip(), by, day)
        mission.status = MissionStatus.ARRIVED
        mission.arrived_at = arrived_at
        mission.arrival_recorded_by = by
        mission.save(update_fields=["status", "arrived_at", "arrival_recorded_by"])
        record("mission.arrived", actor=by, target=mission, fields=["status", "manifest"])
    return len(flying), len(entries) - len(flying)


def _require_may_land(mission: Mission) -> None:
    if mission.status == MissionStatus.MANIFEST_CONFIRMED:
        _require_approved(mission)
    elif mission.status != MissionStatus.DEPARTED:
        raise MissionError(
            _("Mission %(code)s is “%(status)s”: only a departed or approved mission arrives.")
            % {"code": mission.code, "status": mission.get_status_display()}
        )


def _check_arrival_time(mission: Mission, arrived_at: datetime, now: datetime | None) -> None:
    if arrived_at > (now or timezone.now()):
        raise MissionError(_("The arrival time is in the future."), field="arrived_at")
    if mission.departed_at is not None and arrived_at < mission.departed_at:
        raise MissionError(
            _("The flight left at %(departed)s: it cannot land before.")
            % {"departed": format_moment(timezone.localtime(mission.departed_at))},
            field="arrived_at",
        )


def _stayed(entry: ManifestEntry, mission: Mission, reason: str, by: Any, day: date) -> None:
    entry.travelled = False
    entry.not_travelled_reason = reason
    entry.save(update_fields=["travelled", "not_travelled_reason"])
    said = _("Did not travel on %(code)s: %(reason)s") % {"code": mission.code, "reason": reason}
    _step_back(entry.case, said, by, day)


def _landed(entry: ManifestEntry, mission: Mission, reception: str, by: Any, day: date) -> None:
    """The child is home: "repatriated" on the day, and placed where they were taken."""
    entry.travelled = True
    entry.save(update_fields=["travelled", "not_travelled_reason"])
    case = entry.case
    case_services.transition(
        case,
        CaseStatus.REPATRIATED,
        by=by,
        reason=_("Arrived on %(code)s (%(route)s).")
        % {"code": mission.code, "route": mission.route},
        effective_on=day,
        today=day,
    )
    case_services.move_placement(case, arrival_placement(entry, reception, day), by=by, today=day)


def arrival_placement(entry: ManifestEntry, reception: str, day: date) -> PlacementInput:
    """Where a child who landed lives until the hand-over: the reception they were taken
    to, or in transit to the receiving region."""
    region = entry.receiving_region or entry.case.home_region
    country = region_country(region) if region else entry.case.child.nationality
    if reception:
        return PlacementInput(country, FacilityKind.RECEPTION, day, reception)
    where = region_name(region) if region else country
    return PlacementInput(
        country, FacilityKind.IN_TRANSIT, day, _("In transit to %(region)s") % {"region": where}
    )


def close_mission(mission: Mission, *, by: Any) -> None:
    _require_role(by, PLANNERS, _("close a mission"))
    if mission.status != MissionStatus.ARRIVED:
        raise MissionError(_("Only a mission that has arrived is closed."))
    mission.status = MissionStatus.CLOSED
    mission.save(update_fields=["status"])
    record("mission.closed", actor=by, target=mission, fields=["status"])


def cancel_mission(mission: Mission, *, by: Any, reason: str, today: date | None = None) -> None:
    """Call a mission off: every child on it steps back to "cleared to leave"."""
    _require_role(by, PLANNERS, _("cancel a mission"))
    if not reason.strip():
        raise MissionError(_("Say why the mission is cancelled."), field="reason")
    with transaction.atomic():
        mission = _locked(mission)
        _require_open(mission)
        for entry in mission.on_board().select_related("case"):
            entry.removed_at = timezone.now()
            entry.removed_by = by
            entry.removed_reason = _("Mission cancelled: %(reason)s") % {"reason": reason.strip()}
            entry.save(update_fields=["removed_at", "removed_by", "removed_reason"])
            _step_back(entry.case, entry.removed_reason, by, today)
        mission.status = MissionStatus.CANCELLED
        mission.cancelled_reason = reason.strip()
        mission.save(update_fields=["status", "cancelled_reason"])
        record("mission.cancelled", actor=by, target=mission, fields=["status"])
