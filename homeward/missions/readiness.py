"""Is a child ready for a seat? The checklist, item by item, and why not when not.

Six items are ticked by staff (ReadinessCheck, with date and evidence). The seventh,
"receiving relatives assessed", is read from the family records, where the assessment is
kept, so that it cannot say one thing here and another on the family tab.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from homeward.cases.models import ChildCase, FamilyMember, HomeAssessment, Willingness
from homeward.cases.status import CaseStatus
from homeward.missions.models import ReadinessCheck, ReadinessItem

# A child goes on a manifest from "cleared to leave"; being put on it moves the case on.
READY_STATUS = CaseStatus.CLEARED_TO_LEAVE
TICKED_ITEMS = [item for item in ReadinessItem if item != ReadinessItem.RELATIVES_ASSESSED]
SUITABLE_HOMES = (HomeAssessment.SUITABLE, HomeAssessment.SUITABLE_WITH_SUPPORT)


@dataclass(frozen=True)
class ChecklistLine:
    item: ReadinessItem
    done: bool
    done_on: date | None = None
    evidence: str = ""

    @property
    def label(self) -> str:
        return self.item.label


def receiving_relatives(case: ChildCase) -> list[FamilyMember]:
    """Relatives willing to take the child whose home was assessed as suitable."""
    return [
        member
        for member in case.family.all()
        if member.willing_to_take_custody == Willingness.WILLING
        and member.home_assessment in SUITABLE_HOMES
    ]


def checklist(case: ChildCase) -> list[ChecklistLine]:
    ticked = {check.item: check for check in _checks(case)}
    lines = []
    for item in TICKED_ITEMS:
        check = ticked.get(item)
        lines.append(
            ChecklistLine(item, True, check.done_on, check.evidence)
            if check
            else ChecklistLine(item, False)
        )
    relatives = receiving_relatives(case)
    lines.append(
        ChecklistLine(
            ReadinessItem.RELATIVES_ASSESSED,
            bool(relatives),
            max((m.home_assessed_on for m in relatives if m.home_assessed_on), default=None),
            ", ".join(f"{m.get_relationship_display()}: {m.get_home_assessment_display()}"
                      for m in relatives),
        )
    )  # fmt: skip
    return lines


def _checks(case: ChildCase) -> list[ReadinessCheck]:
    # Uses a prefetch ("readiness") when the caller made one, for lists of many children.
    return list(case.readiness.all())


def missing(case: ChildCase) -> list[str]:
    return [line.label for line in checklist(case) if not line.done]


def problems(case: ChildCase) -> list[str]:
    """Everything that stands between this child and a seat, in words for the page."""
    found = []
    if case.status != READY_STATUS:
        found.append(f"the case is “{case.get_status_display()}”, not “{READY_STATUS.label}”")
    gaps = missing(case)
    if gaps:
        found.append("not yet done: " + ", ".join(gaps))
    return found


def is_ready(case: ChildCase) -> bool:
    return not problems(case)
