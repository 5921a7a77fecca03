"""Counts of the work around the children: tracing requests, their matches, missions.

Tracing: requests filed up to a day (with their status today: a request's closing date is
not kept), the people they seek, and the caseworkers' decisions on proposed matches made up
to that day. Missions: the flights that arrived in a period and the children on their
manifests. This is the hook for mission statistics; the missions app owns the rest.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from homeward.lib.i18n import gettext_noop
from homeward.missions.models import Mission, MissionStatus
from homeward.tracing.models import (
    Decision,
    MatchCandidate,
    MatchDecision,
    SoughtPerson,
    TracingRequest,
)


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


def count_tracing(as_of: date) -> list[dict[str, Any]]:
    """One row per measure: `{"measure": ..., "count": n}`."""
    requests = TracingRequest.objects.filter(filed_on__lte=as_of)
    decisions = MatchDecision.objects.filter(decided_at__lte=_end_of(as_of))
    rows = [
        (gettext_noop("tracing requests filed"), requests.count()),
        (
            gettext_noop("of which open that day"),
            requests.filter(Q(closed_on=None) | Q(closed_on__gt=as_of)).count(),
        ),
        (
            gettext_noop("people sought"),
            SoughtPerson.objects.filter(request__filed_on__lte=as_of).count(),
        ),
        (gettext_noop("matches confirmed"), decisions.filter(decision=Decision.CONFIRMED).count()),
        (gettext_noop("matches rejected"), decisions.filter(decision=Decision.REJECTED).count()),
        (
            gettext_noop("proposed matches awaiting a decision"),
            MatchCandidate.objects.filter(computed_at__lte=_end_of(as_of)).count(),
        ),
    ]
    return [{"measure": measure, "count": n} for measure, n in rows]


def count_missions(start: date, end: date) -> list[dict[str, Any]]:
    """Missions arriving from `start` to `end`, each with the children who flew on it (not
    those taken off the manifest or who did not travel after all). Cancelled missions are
    left out."""
    flew = Q(manifest__removed_at=None) & ~Q(manifest__travelled=False)
    # The day it landed, once recorded; the planned day until then.
    landed = Coalesce(TruncDate("arrived_at"), "arrives_on")
    missions = (
        Mission.objects.annotate(landed_on=landed)
        .filter(landed_on__range=(start, end))
        .exclude(status=MissionStatus.CANCELLED)
        .annotate(children=Count("manifest", filter=flew))
        .order_by("landed_on", "code")
    )
    return [
        {"mission": m.code, "arrives_on": m.landed_on, "status": m.status, "count": m.children}
        for m in missions
    ]
