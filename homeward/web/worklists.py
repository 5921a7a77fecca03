"""The dashboard's panels in full: every open custody-rule alert and every overdue visit the
user may see, filtered and a page at a time. The dashboard shows the first few of each and
links here (the other panels link to the case, mission and match lists, filtered)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from homeward.care.models import FollowUpVisit
from homeward.care.services import overdue_visits
from homeward.cases.forms import SEARCH_MAX_LENGTH
from homeward.cases.models import ChildCase
from homeward.cases.queries import search
from homeward.rules.models import AlertKind, RuleAlert
from homeward.rules.services import alerts_open_on
from homeward.web.widgets import DateInput, RegionField


class WorklistForm(forms.Form):
    q = forms.CharField(label=_("Name or reference"), required=False, max_length=SEARCH_MAX_LENGTH)
    region = RegionField(label=_("Home region"), required=False)

    on = forms.DateField(label=_("As of"), required=False, widget=DateInput())


class AlertFilterForm(WorklistForm):
    kind = forms.ChoiceField(
        label=_("Alert"), choices=[("", _("Any alert")), *AlertKind.choices], required=False
    )


def _cases(visible: QuerySet[ChildCase], filters: dict[str, Any]) -> QuerySet[ChildCase]:
    cases = search(visible, filters.get("q") or "")
    if filters.get("region"):
        cases = cases.filter(home_region__iexact=filters["region"].strip())
    return cases


def alerts(visible: QuerySet[ChildCase], filters: dict[str, Any], on: date) -> QuerySet[RuleAlert]:
    found = alerts_open_on(on).filter(case__in=_cases(visible, filters))
    if filters.get("kind"):
        found = found.filter(kind=filters["kind"])
    return (
        found.select_related("case__child", "rule")
        .prefetch_related("case__child__names")
        .order_by("limit_earliest", "id")
    )


def overdue(
    visible: QuerySet[ChildCase], filters: dict[str, Any], on: date
) -> QuerySet[FollowUpVisit]:
    return overdue_visits(_cases(visible, filters), on).prefetch_related("case__child__names")
