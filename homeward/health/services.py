"""Recording the arrival examination. Only medical officers write it; the findings are read
by the roles of Restricted.HEALTH (protection.sensitivity)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from homeward.accounts.models import Role
from homeward.accounts.roles import has_role
from homeward.audit.services import record
from homeward.cases import services as case_services
from homeward.cases.models import ChildCase
from homeward.cases.services import CaseError, check_not_future
from homeward.cases.status import AFTER_RETURN, CaseStatus
from homeward.health.models import ArrivalExamination, FindingCategory
from homeward.missions.models import ManifestEntry

EXAMINERS = frozenset({Role.MEDICAL_OFFICER})


@dataclass(frozen=True)
class ExaminationInput:
    hospital: str
    examined_on: date
    findings: Mapping[str, str] = field(default_factory=dict)
    follow_up_needed: bool = False
    follow_up: str = ""


def findings_of(exam: ArrivalExamination) -> list[tuple[str, str]]:
    """(category label, text) in the categories' order."""
    stored = json.loads(exam.findings) if exam.findings else {}
    return [(str(c.label), stored[c.value]) for c in FindingCategory if stored.get(c.value)]


def _arrived_on(case: ChildCase) -> date | None:
    arrival = case.transitions.filter(to_status=CaseStatus.REPATRIATED).order_by("-id").first()
    return arrival.effective_on if arrival else None


def examination_refusal(case: ChildCase, by: Any) -> str:
    """Why `by` cannot record an examination of this child now ("" when they can): the
    page asks before it offers the form, the service before it saves."""
    if not has_role(by, EXAMINERS):
        return _("Only a medical officer records an examination.")
    if case.status not in AFTER_RETURN:
        return _("The case is “%(status)s”: a child is examined after arrival.") % {
            "status": case.get_status_display()
        }
    return ""


@transaction.atomic
def record_examination(
    case: ChildCase, data: ExaminationInput, *, by: Any, today: date | None = None
) -> ArrivalExamination:
    """Record what the hospital found; the first examination moves a case that is
    "repatriated" on to "examined on arrival"."""
    refusal = examination_refusal(case, by)
    if refusal:
        raise CaseError(refusal)
    if not data.hospital.strip():
        raise CaseError(_("Name the hospital."), field="hospital")
    check_not_future(
        data.examined_on, "examined_on", today, _("The examination date is in the future.")
    )
    arrived = _arrived_on(case)
    if arrived and data.examined_on < arrived:
        raise CaseError(
            _("The child arrived on %(arrived)s; the examination cannot be earlier.")
            % {"arrived": arrived},
            field="examined_on",
        )
    unknown = set(data.findings) - set(FindingCategory.values)
    if unknown:
        raise CaseError(
            _("Unknown finding category %(sorted)r.") % {"sorted": sorted(unknown)[0]},
            field="findings",
        )
    findings = {k: v.strip() for k, v in data.findings.items() if v.strip()}
    if data.follow_up_needed and not data.follow_up.strip():
        raise CaseError(_("Say what follow-up care is needed."), field="follow_up")
    entry = ManifestEntry.objects.filter(case=case, travelled=True).order_by("-id").first()
    exam = ArrivalExamination.objects.create(
        case=case,
        mission=entry.mission if entry else None,
        hospital=data.hospital.strip(),
        examined_on=data.examined_on,
        findings=json.dumps(findings, ensure_ascii=False) if findings else "",
        follow_up_needed=data.follow_up_needed,
        follow_up=data.follow_up.strip(),
        recorded_by=by,
    )
    if case.status == CaseStatus.REPATRIATED:
        case_services.transition(
            case,
            CaseStatus.EXAMINED,
            by=by,
            reason=_("Examined at %(hospital)s.") % {"hospital": exam.hospital},
            effective_on=data.examined_on,
            today=today,
        )
    record("case.examination_recorded", actor=by, target=case, fields=["examinations"])
    return exam
