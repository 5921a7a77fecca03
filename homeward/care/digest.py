"""The daily digest: to each member of case staff, what is overdue in the cases they reach."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail

from homeward.accounts.models import CASE_ROLES
from homeward.care.models import FollowUpVisit
from homeward.care.services import overdue_visits
from homeward.cases.access import visible_cases
from homeward.rules.models import RuleAlert
from homeward.rules.services import alerts_open_on


@dataclass
class Digest:
    user: Any
    visits: list[FollowUpVisit]
    alerts: list[RuleAlert]

    @property
    def is_empty(self) -> bool:
        return not self.visits and not self.alerts

    def summary(self) -> str:
        return (
            f"{self.user.get_username()}: {len(self.visits)} overdue visits, "
            f"{len(self.alerts)} open alerts"
        )

    def body(self, day: date) -> str:
        # References only: a digest travels by e-mail, so it names no child.
        lines = [f"Homeward on {day}: what needs you.", ""]
        if self.visits:
            lines.append("Overdue follow-up visits:")
            lines += [
                f"- {v.case.reference}: {v.months_after}-month visit due {v.due_on}"
                for v in self.visits
            ]
            lines.append("")
        if self.alerts:
            lines.append("Custody-rule alerts:")
            lines += [f"- {a.case.reference}: {a.get_kind_display()}" for a in self.alerts]
        return "\n".join(lines)


def digests(day: date) -> list[Digest]:
    staff = (
        get_user_model()
        .objects.filter(is_active=True, staff_profile__role__in=[r.value for r in CASE_ROLES])
        .select_related("staff_profile__agency")
        .order_by("username")
    )
    found = []
    for user in staff:
        visible = visible_cases(user, "case")
        visits = list(overdue_visits(visible, day))
        alerts = list(alerts_open_on(day).filter(visible).select_related("case"))
        found.append(Digest(user, visits, alerts))
    return found


def send_digests(day: date) -> list[Digest]:
    sent = []
    for digest in digests(day):
        if digest.is_empty:
            continue
        if digest.user.email:
            send_mail(
                f"Homeward: {len(digest.visits)} overdue visits, {len(digest.alerts)} alerts",
                digest.body(day),
                settings.DEFAULT_FROM_EMAIL,
                [digest.user.email],
            )
        sent.append(digest)
    return sent
