"""Hand-over and follow-up: the child handed to relatives or state care, then visited at
set intervals (settings.HOMEWARD_FOLLOW_UP_MONTHS, by default 1, 3, 6 and 12 months)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from homeward.accounts.roles import check_acting
from homeward.audit.services import record
from homeward.care.models import FollowUpVisit, HandOver, ReceiverKind
from homeward.cases import services as case_services
from homeward.cases.models import ChildCase, FacilityKind, FamilyMember
from homeward.cases.services import CaseError, PlacementInput, check_not_future
from homeward.cases.status import FINAL, CaseStatus
from homeward.lib.places import UnknownPlaceError, region_country, region_name


def follow_up_months() -> tuple[int, ...]:
    return tuple(getattr(settings, "HOMEWARD_FOLLOW_UP_MONTHS", (1, 3, 6, 12)))


def months_after(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day (31 January + 1 = 28 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class HandOverInput:
    handed_over_on: date
    region: str
    receiving_relative: FamilyMember | None = None
    institution: str = ""
    town: str = ""


def hand_over_refusal(case: ChildCase) -> str:
    """Why the child cannot be handed over now ("" when they can)."""
    if case.status != CaseStatus.EXAMINED:
        return _(
            "The case is “%(status)s”: a child is handed over after the arrival examination."
        ) % {"status": case.get_status_display()}
    return ""


def visit_refusal(visit: FollowUpVisit) -> str:
    """Why this visit cannot be recorded ("" when it can)."""
    if visit.visited_on is not None:
        return _("This visit was already recorded on %(day)s.") % {"day": visit.visited_on}
    if visit.case.status in FINAL:
        return _("The case has ended: no visit is recorded any more.")
    return ""


@transaction.atomic
def hand_over(
    case: ChildCase, data: HandOverInput, *, by: Any, today: date | None = None
) -> HandOver:
    """Hand the child over: the placement, the status "placed" and the visit plan, at once."""
    check_acting(by)
    refusal = hand_over_refusal(case)
    if refusal:
        raise CaseError(refusal)
    try:
        country = region_country(data.region)
    except UnknownPlaceError as error:
        raise CaseError(str(error), field="region") from error
    check_not_future(
        data.handed_over_on, "handed_over_on", today, _("The hand-over date is in the future.")
    )
    relative = data.receiving_relative
    if relative is not None and data.institution.strip():
        raise CaseError(_("Name the relative or the institution, not both."), field="institution")
    if relative is None and not data.institution.strip():
        raise CaseError(
            _("Name the relative who receives the child, or the institution."),
            field="receiving_relative",
        )
    if relative is not None and relative.case_id != case.pk:
        raise CaseError(
            _("That relative is not in this child's family."), field="receiving_relative"
        )
    kind = ReceiverKind.RELATIVES if relative else ReceiverKind.STATE_INSTITUTION
    row = HandOver.objects.create(
        case=case,
        handed_over_on=data.handed_over_on,
        receiver_kind=kind,
        receiving_relative=relative,
        institution=data.institution.strip(),
        region=data.region,
        town=data.town.strip(),
        recorded_by=by,
    )
    where = ", ".join(p for p in (data.town.strip(), region_name(data.region)) if p)
    case_services.move_placement(
        case,
        PlacementInput(
            country=country,
            facility_kind=(FacilityKind.WITH_RELATIVES if relative else FacilityKind.STATE_CARE),
            since=data.handed_over_on,
            facility_name=f"{row.receiver}, {where}",
        ),
        by=by,
        today=today,
    )
    case_services.transition(
        case,
        CaseStatus.PLACED,
        by=by,
        reason=_("Handed over to %(receiver)s in %(where)s.")
        % {"receiver": row.receiver, "where": where},
        effective_on=data.handed_over_on,
        today=today,
    )
    FollowUpVisit.objects.bulk_create(
        FollowUpVisit(
            case=case,
            hand_over=row,
            months_after=months,
            due_on=months_after(data.handed_over_on, months),
        )
        for months in follow_up_months()
    )
    record("case.handed_over", actor=by, target=case, fields=["hand_overs", "follow_ups"])
    return row


@dataclass(frozen=True)
class VisitInput:
    visited_on: date
    schooling: str = ""
    health: str = ""
    psychosocial_support: str = ""
    concerns: str = ""


@transaction.atomic
def record_visit(
    visit: FollowUpVisit, data: VisitInput, *, by: Any, today: date | None = None
) -> FollowUpVisit:
    """What the visit found; the first visit moves a "placed" case to "in follow-up"."""
    check_acting(by)
    refusal = visit_refusal(visit)
    if refusal:
        raise CaseError(refusal)
    check_not_future(data.visited_on, "visited_on", today, _("The visit date is in the future."))
    if data.visited_on < visit.hand_over.handed_over_on:
        raise CaseError(_("A visit cannot be before the hand-over."), field="visited_on")
    texts = (data.schooling, data.health, data.psychosocial_support, data.concerns)
    if not any(t.strip() for t in texts):
        raise CaseError(_("Write what the visit found."), field="schooling")
    visit.visited_on = data.visited_on
    visit.visited_by = by
    visit.schooling, visit.health = data.schooling.strip(), data.health.strip()
    visit.psychosocial_support = data.psychosocial_support.strip()
    visit.concerns = data.concerns.strip()
    visit.save()
    case = visit.case
    if case.status == CaseStatus.PLACED:
        case_services.transition(
            case,
            CaseStatus.IN_FOLLOW_UP,
            by=by,
            reason="First follow-up visit made.",
            effective_on=data.visited_on,
            today=today,
        )
    record("case.follow_up_recorded", actor=by, target=case, fields=["follow_ups"])
    return visit


def overdue_visits(cases: QuerySet[ChildCase] | Q, on: date) -> QuerySet[FollowUpVisit]:
    """Visits due before `on` and not made by then, for cases still open: of `cases`, or
    of the cases a condition on the visits selects (`cases.access.visible_cases(user,
    "case")`, which joins where `case IN (...)` would list every case)."""
    not_made, made_since = overdue_visit_parts(cases, on)
    return not_made | made_since


def overdue_visit_parts(
    cases: QuerySet[ChildCase] | Q, on: date
) -> tuple[QuerySet[FollowUpVisit], QuerySet[FollowUpVisit]]:
    """The overdue visits in two parts that never share a visit, each read from an index:
    those not made yet (`care_visit_not_made`, by due day) and those made since (none
    when `on` is today)."""
    among = cases if isinstance(cases, Q) else Q(case__in=cases)
    return (
        _overdue(among & Q(visited_on=None), on),
        _overdue(among & Q(visited_on__gt=on), on),
    )


def _overdue(condition: Q, on: date) -> QuerySet[FollowUpVisit]:
    return (
        FollowUpVisit.objects.filter(condition, due_on__lt=on, case_ended=False)
        .exclude(case__status__in=FINAL)
        .select_related("case", "case__child")
        .order_by("due_on", "id")
    )
