"""The "journey home" part of the child's page: alerts, readiness, missions, examination,
hand-over and follow-up, each shown only as far as the user's role reads it."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from homeward.care.models import FollowUpVisit, HandOver
from homeward.cases.models import ChildCase
from homeward.health.models import ArrivalExamination
from homeward.health.services import EXAMINERS, findings_of
from homeward.missions import readiness
from homeward.missions.forms import ReadinessForm, WithdrawReadinessForm
from homeward.missions.services import READINESS_RECORDERS, role_of
from homeward.protection.sensitivity import Restricted, may_read
from homeward.rules.models import RuleAlert


def journey(user: Any, case: ChildCase, can_change: bool) -> dict[str, Any]:
    role = role_of(user)
    health_access = may_read(user, Restricted.HEALTH)
    examinations = list(ArrivalExamination.objects.filter(case=case))
    today = timezone.localdate()
    return {
        "alerts": RuleAlert.objects.filter(case=case)
        .select_related("rule")
        .order_by("resolved_on", "-raised_on"),
        "checklist": readiness.checklist(case),
        "readiness_problems": readiness.problems(case),
        "readiness_form": (
            ReadinessForm(initial={"done_on": today}) if role in READINESS_RECORDERS else None
        ),
        "withdraw_form": WithdrawReadinessForm() if role in READINESS_RECORDERS else None,
        "manifest_entries": case.manifest_entries.select_related("mission").order_by("-id"),
        "examinations": [
            (exam, findings_of(exam) if health_access else None) for exam in examinations
        ],
        "health_access": health_access,
        "can_examine": role in EXAMINERS and case.status in ("repatriated", "examined"),
        "hand_overs": HandOver.objects.filter(case=case).select_related(
            "receiving_relative__person"
        ),
        "can_hand_over": can_change and case.status == "examined",
        "visits": FollowUpVisit.objects.filter(case=case).order_by("due_on"),
        "today": today,
    }
