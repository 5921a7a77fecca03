"""The "journey home" part of the child's page: what comes next, alerts, readiness,
missions, examination, hand-over and follow-up, each shown only as far as the user's role
reads it. Before the flight the readiness checklist leads; once the child is home it gives
way to the examination, the hand-over and the visits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts.roles import role_of
from homeward.care.models import FollowUpVisit, HandOver
from homeward.care.services import hand_over_refusal
from homeward.cases.models import ChildCase
from homeward.cases.services import held_from, made_elsewhere
from homeward.cases.status import BEFORE_DEPARTURE, FINAL, FLOW, CaseStatus, allowed_next
from homeward.health.models import ArrivalExamination
from homeward.health.services import EXAMINERS, examination_refusal, findings_of
from homeward.missions import readiness
from homeward.missions.forms import ReadinessForm, WithdrawReadinessForm
from homeward.missions.services import PLANNERS, READINESS_RECORDERS, booked_elsewhere
from homeward.protection.sensitivity import Restricted, may_read
from homeward.rules.models import RuleAlert

S = CaseStatus


@dataclass(frozen=True)
class NextStep:
    """One way on from where the case stands: what, and a link when this user may take it."""

    text: str
    url: str = ""
    action: str = ""


def journey(user: Any, case: ChildCase, can_change: bool) -> dict[str, Any]:
    role = role_of(user)
    health_access = may_read(user, Restricted.HEALTH)
    examinations = list(ArrivalExamination.objects.filter(case=case))
    today = timezone.localdate()
    visits = list(FollowUpVisit.objects.filter(case=case).order_by("due_on"))
    return {
        "alerts": RuleAlert.objects.filter(case=case)
        .select_related("rule")
        .order_by("resolved_on", "-raised_on"),
        "next_steps": next_steps(user, case, can_change, visits),
        "before_departure": _before_departure(case),
        "checklist": readiness.checklist(case),
        "readiness_problems": readiness.problems(case),
        "readiness_form": (
            ReadinessForm(initial={"done_on": today}, role=role)
            if role in READINESS_RECORDERS
            else None
        ),
        "withdraw_form": WithdrawReadinessForm() if role in READINESS_RECORDERS else None,
        "manifest_entries": case.manifest_entries.select_related("mission").order_by("-id"),
        "examinations": [
            (exam, findings_of(exam) if health_access else None) for exam in examinations
        ],
        "health_access": health_access,
        "can_examine": not examination_refusal(case, user),
        "hand_overs": HandOver.objects.filter(case=case).select_related(
            "receiving_relative__person"
        ),
        "can_hand_over": can_change and not hand_over_refusal(case),
        "visits": visits,
        "today": today,
    }


def _before_departure(case: ChildCase) -> bool:
    """Whether the flight is still ahead: the readiness checklist leads until then."""
    status = S(case.status)
    if status == S.ON_HOLD:
        status = held_from(case) or status
    return status in BEFORE_DEPARTURE


def next_steps(
    user: Any, case: ChildCase, can_change: bool, visits: list[FollowUpVisit]
) -> list[NextStep]:
    """Every way on from the case's status, in words, each with a link for a user who may
    take it: no state is a dead end, and a step the user may not take says who does."""
    status = S(case.status)
    if status in FINAL:
        return [NextStep(_("The case has ended: nothing more comes next."))]
    steps: list[NextStep] = []
    forward = [s for s in allowed_next(status, held_from(case)) if s in FLOW]
    for target in forward:
        elsewhere = made_elsewhere(case, target)
        if elsewhere:
            step = _step_elsewhere(user, case, target, elsewhere, can_change, visits)
            said = _("Next: “%(status)s”.") % {"status": target.label}
            steps.append(NextStep(f"{said} {step.text}", step.url, step.action))
        elif status == S.ON_HOLD or FLOW.index(target) > FLOW.index(status):
            steps.append(_step_by_hand(target, can_change))
    visit = _next_visit(case, visits, can_change)
    if status == S.IN_FOLLOW_UP and visit is not None:
        steps.insert(0, visit)
    return steps


def _next_visit(case: ChildCase, visits: list[FollowUpVisit], can_change: bool) -> NextStep | None:
    """The first follow-up visit not yet made, linked for a user who records visits."""
    due = next((v for v in visits if v.visited_on is None), None)
    if due is None:
        return None
    text = _("The follow-up visit due %(day)s (%(months)s months after the hand-over).") % {
        "day": due.due_on,
        "months": due.months_after,
    }
    if not can_change:
        return NextStep(text)
    url = reverse("care:record_visit", args=[case.pk, due.pk])
    return NextStep(text, url, _("Record the visit"))


def _step_by_hand(target: CaseStatus, can_change: bool) -> NextStep:
    text = _("Next: “%(status)s”.") % {"status": target.label}
    if can_change:
        return NextStep(text, "#change-status", _("Change the status below"))
    return NextStep(text + " " + _("A caseworker changes the status."))


def _step_elsewhere(
    user: Any,
    case: ChildCase,
    target: CaseStatus,
    why: str,
    can_change: bool,
    visits: list[FollowUpVisit],
) -> NextStep:
    """The step that makes a move, linked for the user who may take it."""
    role = role_of(user)
    if target == S.ASSIGNED_TO_MISSION:
        gaps = readiness.problems(case)
        if gaps:
            return NextStep(_("Not yet ready for a seat on a mission: %s.") % "; ".join(gaps))
        if role in PLANNERS:
            return NextStep(why, reverse("missions:list") + "?status=preparing", _("Missions"))
        return NextStep(why)
    if target in (S.REPATRIATED, S.CLEARED_TO_LEAVE):
        seat = booked_elsewhere(case)
        url = reverse("missions:detail", args=[seat.mission_id]) if seat else ""
        return NextStep(why, url, seat.mission.code if seat else "")
    if target == S.EXAMINED:
        if role in EXAMINERS:
            url = reverse("health:record_examination", args=[case.pk])
            return NextStep(why, url, _("Record the examination"))
        return NextStep(why)
    if target == S.PLACED and can_change:
        return NextStep(why, reverse("care:hand_over", args=[case.pk]), _("Record the hand-over"))
    if target == S.IN_FOLLOW_UP:
        return _next_visit(case, visits, can_change) or NextStep(why)
    return NextStep(why)
