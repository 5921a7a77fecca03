"""Is a child ready for a seat? The checklist, item by item, and why not when not.

One fact, one place: an item is ticked here only when nothing else records it.
- Three items are ticked by staff (ReadinessCheck, with date and evidence): citizenship
  confirmed, the travel document and the fit-to-fly medical.
- Three are the case's own steps, read from its status history (the move's day, and its
  reason as the evidence): identity verified, consent recorded, host exit clearance
  ("cleared to leave"). The status and the checklist therefore never disagree.
- "Receiving relatives assessed" is read from the family records, where the assessment is
  kept, so that it cannot say one thing here and another on the family tab.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from homeward.cases.models import (
    ChildCase,
    FamilyMember,
    HomeAssessment,
    StatusTransition,
    Willingness,
)
from homeward.cases.status import FLOW, CaseStatus
from homeward.missions.models import ReadinessCheck, ReadinessItem

# A child goes on a manifest from "cleared to leave"; being put on it moves the case on.
READY_STATUS = CaseStatus.CLEARED_TO_LEAVE
# The items that are steps of the case: done once the case has reached that status.
STATUS_ITEMS = {
    ReadinessItem.IDENTITY_VERIFIED: CaseStatus.VERIFIED,
    ReadinessItem.CONSENT_RECORDED: CaseStatus.CONSENT_OBTAINED,
    ReadinessItem.EXIT_CLEARANCE: CaseStatus.CLEARED_TO_LEAVE,
}
TICKED_ITEMS = [
    item
    for item in ReadinessItem
    if item != ReadinessItem.RELATIVES_ASSESSED and item not in STATUS_ITEMS
]
SUITABLE_HOMES = (HomeAssessment.SUITABLE, HomeAssessment.SUITABLE_WITH_SUPPORT)


@dataclass(frozen=True)
class ChecklistLine:
    item: ReadinessItem
    done: bool
    done_on: date | None = None
    evidence: str = ""
    # The status this item is read from, when it is a step of the case.
    status: CaseStatus | None = None

    @property
    def label(self) -> str:
        return str(self.item.label)


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
    reached = _reached(case)
    lines = []
    for item in ReadinessItem:
        if item in STATUS_ITEMS:
            lines.append(_status_line(item, reached))
        elif item == ReadinessItem.RELATIVES_ASSESSED:
            lines.append(_relatives_line(case))
        else:
            check = ticked.get(item)
            lines.append(
                ChecklistLine(item, True, check.done_on, check.evidence)
                if check
                else ChecklistLine(item, False)
            )
    return lines


def _reached(case: ChildCase) -> dict[CaseStatus, tuple[date, str]]:
    return _reached_from(case.status, case.transitions.all())


def _reached_from(status: str, history: Iterable[Any]) -> dict[CaseStatus, tuple[date, str]]:
    """The steps of the flow a case in `status` stands at or beyond now, each with the day
    and the reason of its last move there (of `history`, its moves). A case on hold counts
    from where it was held."""
    current = CaseStatus(status)
    moves = sorted(history, key=lambda t: (t.effective_on, t.pk))
    if current == CaseStatus.ON_HOLD:
        held = [t for t in moves if t.to_status == CaseStatus.ON_HOLD]
        current = CaseStatus(held[-1].from_status) if held and held[-1].from_status else current
    if current not in FLOW:
        return {}
    position = FLOW.index(current)
    reached: dict[CaseStatus, tuple[date, str]] = {}
    for move in moves:
        status = CaseStatus(move.to_status)
        if status in FLOW and FLOW.index(status) <= position:
            reached[status] = (move.effective_on, move.reason)
    return reached


def _status_line(item: ReadinessItem, reached: dict[CaseStatus, tuple[date, str]]) -> ChecklistLine:
    status = STATUS_ITEMS[item]
    if status not in reached:
        return ChecklistLine(item, False, status=status)
    day, reason = reached[status]
    return ChecklistLine(item, True, day, reason, status=status)


def _relatives_line(case: ChildCase) -> ChecklistLine:
    relatives = receiving_relatives(case)
    return ChecklistLine(
        ReadinessItem.RELATIVES_ASSESSED,
        bool(relatives),
        max((m.home_assessed_on for m in relatives if m.home_assessed_on), default=None),
        ", ".join(f"{m.get_relationship_display()}: {m.get_home_assessment_display()}"
                  for m in relatives),
    )  # fmt: skip


def _checks(case: ChildCase) -> list[ReadinessCheck]:
    # Uses a prefetch ("readiness") when the caller made one, for lists of many children.
    return list(case.readiness.all())


def missing_items(case: ChildCase) -> list[ReadinessItem]:
    return [line.item for line in checklist(case) if not line.done]


@dataclass(frozen=True)
class _Move:
    """The part of a status move that says which steps a case has reached."""

    to_status: str
    from_status: str
    effective_on: date
    pk: int
    reason: str = ""


# The moves that decide the status items: to their statuses, and to "on hold" (where the
# case was held from).
_DECIDING_MOVES = [*STATUS_ITEMS.values(), CaseStatus.ON_HOLD]


def history_of(case_ids: Iterable[int]) -> QuerySet[StatusTransition, tuple[Any, ...]]:
    """The cases' moves as (case, to, from, day, id), read by case: asked also for their
    statuses, SQLite read every move to those statuses (300k at 100k children, 57 ms)
    from the statistics' index rather than the few of these cases."""
    moves = StatusTransition.objects.filter(case__in=list(case_ids)).order_by()
    return moves.values_list("case_id", "to_status", "from_status", "effective_on", "pk")


def missing_by_case(cases: Iterable[ChildCase]) -> dict[int, list[ReadinessItem]]:
    """`missing_items` of each of `cases` (their status as read), in three queries of plain
    values: a manifest of 200 children read with the ticks, relatives and status history
    of each made 3,000 model instances and a queryset per child and relation (185 to 280
    ms of CPU at 100k children), for a yes or no per item."""
    statuses = {case.pk: case.status for case in cases}
    if not statuses:
        return {}
    ticked: dict[int, set[str]] = defaultdict(set)
    ticks = ReadinessCheck.objects.filter(case__in=list(statuses)).order_by()  # no join
    for case_id, item in ticks.values_list("case_id", "item"):
        ticked[case_id].add(item)
    relatives = set(
        FamilyMember.objects.filter(
            case__in=list(statuses),
            willing_to_take_custody=Willingness.WILLING,
            home_assessment__in=SUITABLE_HOMES,
        ).values_list("case_id", flat=True)
    )
    moves: dict[int, list[_Move]] = defaultdict(list)
    for case_id, *move in history_of(statuses):
        if move[0] in _DECIDING_MOVES:
            moves[case_id].append(_Move(*move))
    found = {}
    for pk, status in statuses.items():
        reached = _reached_from(status, moves[pk])
        done = set(ticked[pk])  # values, as stored
        done.update(item.value for item, step in STATUS_ITEMS.items() if step in reached)
        if pk in relatives:
            done.add(ReadinessItem.RELATIVES_ASSESSED.value)
        found[pk] = [item for item in ReadinessItem if item.value not in done]
    return found


def missing(case: ChildCase) -> list[str]:
    return [str(item.label) for item in missing_items(case)]


def problems(case: ChildCase) -> list[str]:
    """Everything that stands between this child and a seat, in words for the page."""
    found = []
    if case.status != READY_STATUS:
        found.append(
            _("the case is “%(status)s”, not “%(ready)s”")
            % {"status": case.get_status_display(), "ready": READY_STATUS.label}
        )
    gaps = missing(case)
    if gaps:
        found.append(_("not yet done: %(items)s") % {"items": ", ".join(gaps)})
    return found


def is_ready(case: ChildCase) -> bool:
    return not problems(case)
