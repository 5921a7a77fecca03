"""A case's status and the moves allowed between statuses.

A child's case goes step by step along FLOW: identified abroad, identity verified, family
traced at home, consent obtained, cleared to leave, assigned to a mission, repatriated,
examined on arrival, placed with relatives, followed up, closed. Before departure a case may
step back; any open case may be put on hold, or end otherwise (the child reached majority,
died, or was placed abroad). `allowed_next` gives the rules.
"""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    IDENTIFIED = "identified", _("Identified abroad")
    VERIFIED = "verified", _("Identity verified")
    FAMILY_TRACED = "family_traced", _("Family traced")
    CONSENT_OBTAINED = "consent_obtained", _("Consent obtained")
    CLEARED_TO_LEAVE = "cleared_to_leave", _("Cleared to leave")
    ASSIGNED_TO_MISSION = "assigned_to_mission", _("Assigned to a mission")
    REPATRIATED = "repatriated", _("Repatriated")
    EXAMINED = "examined", _("Examined on arrival")
    PLACED = "placed", _("Placed")
    IN_FOLLOW_UP = "in_follow_up", _("In follow-up")
    CLOSED = "closed", _("Closed")
    ON_HOLD = "on_hold", _("On hold")
    REACHED_MAJORITY = "reached_majority", _("Ended: reached majority")
    DIED = "died", _("Ended: died")
    PLACED_ABROAD = "placed_abroad", _("Ended: placed abroad")


S = CaseStatus

# The ordinary path of a case, step by step.
FLOW: tuple[CaseStatus, ...] = (
    S.IDENTIFIED,
    S.VERIFIED,
    S.FAMILY_TRACED,
    S.CONSENT_OBTAINED,
    S.CLEARED_TO_LEAVE,
    S.ASSIGNED_TO_MISSION,
    S.REPATRIATED,
    S.EXAMINED,
    S.PLACED,
    S.IN_FOLLOW_UP,
    S.CLOSED,
)
BEFORE_DEPARTURE = FLOW[: FLOW.index(S.REPATRIATED)]
AFTER_RETURN = (S.REPATRIATED, S.EXAMINED, S.PLACED, S.IN_FOLLOW_UP)
ENDINGS = (S.REACHED_MAJORITY, S.DIED, S.PLACED_ABROAD)
FINAL = (S.CLOSED, *ENDINGS)


def allowed_next(current: CaseStatus, held_from: CaseStatus | None = None) -> list[CaseStatus]:
    """Every status a case in `current` may move to.

    1. The next step of the flow.
    2. Before departure, one step back (consent withdrawn, taken off a manifest).
    3. Any open case may be put on hold; a held case resumes where it was (`held_from`).
    4. Any open case may end otherwise; "placed abroad" only while the child is abroad.
    """
    if current in FINAL:
        return []
    if current == S.ON_HOLD:
        resume = [held_from] if held_from else []
        return [*resume, S.REACHED_MAJORITY, S.DIED, S.PLACED_ABROAD]
    position = FLOW.index(current)
    moves = [FLOW[position + 1]]
    if current in BEFORE_DEPARTURE and position > 0:
        moves.append(FLOW[position - 1])
    moves.append(S.ON_HOLD)
    moves += [S.REACHED_MAJORITY, S.DIED]
    if current in BEFORE_DEPARTURE:
        moves.append(S.PLACED_ABROAD)
    return moves


def needs_reason(current: CaseStatus, target: CaseStatus) -> bool:
    """Only the plain step forward may be taken without saying why."""
    if current in FLOW and target in FLOW:
        return FLOW.index(target) != FLOW.index(current) + 1
    return True


# Moves that another step records with its own facts (the manifest, the arrival, the
# examination, the hand-over, the first visit). A move by hand would leave those facts
# unrecorded, and the page contradicting itself; each says which step makes it.
MADE_BY_THEIR_STEP: dict[CaseStatus, Promise] = {
    S.ASSIGNED_TO_MISSION: _(
        "A mission coordinator puts the child on a mission's manifest, on the mission's page; "
        "the case moves on with it."
    ),
    S.EXAMINED: _("A medical officer records the arrival examination; the case moves on with it."),
    S.PLACED: _("Record the hand-over (to whom, and where); the case moves on with it."),
    S.IN_FOLLOW_UP: _("Record the first follow-up visit; the case moves on with it."),
}
