"""An alert's sentence in the reader's language, written when it is read.

The stored `RuleAlert.message` is the English sentence of the day the rules ran (kept for
the record and exports); pages show this one instead, made from the alert's own facts
(its limit days, the rule's age, the day it was last checked), with dates as the reader's
language writes them."""

from __future__ import annotations

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from homeward.rules.evaluation import Outcome


def alert_sentence(
    kind: str, first: date | None, last: date | None, years: int, checked_on: date
) -> str:
    """What `homeward.rules.evaluation.assess` said on `checked_on`, in today's language."""
    if first is None or last is None:
        return _(
            "Nothing is known of the date of birth: the child may be past the age of "
            "%(years)s. Record an age estimate."
        ) % {"years": years}
    values = {"years": years, "first": _day(first), "last": _day(last)}
    if kind == Outcome.PAST:
        if first == last:
            return _("Past the age limit of %(years)s since %(last)s.") % values
        return (
            _(
                "Past the age limit of %(years)s since %(last)s at the latest (between %(first)s "
                "and %(last)s)."
            )
            % values
        )
    if first <= checked_on:
        return (
            _(
                "Uncertain: the child turns %(years)s between %(first)s and %(last)s, so may "
                "already be past the limit. The age range straddles it."
            )
            % values
        )
    days = (first - checked_on).days
    values |= {"days": days, "checked": _day(checked_on)}
    if first == last:
        return (
            ngettext(
                "Turns %(years)s on %(first)s: %(days)s day from %(checked)s.",
                "Turns %(years)s on %(first)s: %(days)s days from %(checked)s.",
                days,
            )
            % values
        )
    return (
        ngettext(
            "Turns %(years)s between %(first)s and %(last)s (uncertain date of birth): "
            "%(days)s day from %(checked)s.",
            "Turns %(years)s between %(first)s and %(last)s (uncertain date of birth): "
            "%(days)s days from %(checked)s.",
            days,
        )
        % values
    )


def _day(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")
