"""The daily digest: to each member of case staff, what is overdue in the cases they reach."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import get_connection, send_mail
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from homeward.accounts.language import language_for
from homeward.accounts.models import CASE_ROLES
from homeward.care.models import FollowUpVisit
from homeward.care.services import overdue_visits
from homeward.cases.access import visible_cases
from homeward.lib.i18n import format_day
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

    def subject(self) -> str:
        """In the active language (send_digests writes to each user in theirs)."""
        return _("Homeward: %(visits)s, %(alerts)s") % {
            "visits": ngettext("%(n)s overdue visit", "%(n)s overdue visits", len(self.visits))
            % {"n": len(self.visits)},
            "alerts": ngettext("%(n)s alert", "%(n)s alerts", len(self.alerts))
            % {"n": len(self.alerts)},
        }

    def body(self, day: date) -> str:
        """In the active language. References only: a digest travels by e-mail, so it names
        no child."""
        lines = [_("Homeward on %(day)s: what needs you.") % {"day": format_day(day)}, ""]
        if self.visits:
            lines.append(_("Overdue follow-up visits:"))
            lines += [
                "- "
                + ngettext(
                    "%(ref)s: %(months)s-month visit due %(day)s",
                    "%(ref)s: %(months)s-month visit due %(day)s",
                    v.months_after,
                )
                % {"ref": v.case.reference, "months": v.months_after, "day": format_day(v.due_on)}
                for v in self.visits
            ]
            lines.append("")
        if self.alerts:
            lines.append(_("Custody-rule alerts:"))
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
    sent = [digest for digest in digests(day) if not digest.is_empty]
    if not any(digest.user.email for digest in sent):
        return sent
    # One connection, opened before the first message: a server that is down fails the
    # run before any digest goes, so the worker's later try sends each one once.
    with get_connection() as connection:
        for digest in sent:
            if digest.user.email:
                # Each in the language the user chose on the site (English when they left
                # it to their browser: no browser asks here).
                with translation.override(language_for(digest.user)):
                    send_mail(
                        digest.subject(),
                        digest.body(day),
                        settings.DEFAULT_FROM_EMAIL,
                        [digest.user.email],
                        connection=connection,
                    )
    return sent
