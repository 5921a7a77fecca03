"""Evaluating the custody rules against every open case, and resolving the alerts.

`run_rules(today)` is the daily job (`homeward run-rules`, and the background task in
rules.tasks). It looks at each case as it stood on `today`: its status and placement that
day, rebuilt from the history, so a run for a past day gives what a run on that day gave.
`evaluate_cases` does the same for one case as soon as its registration, birth date or
placement changes (cases.signals.case_circumstances_changed), so that a child registered
today in a placement the rules limit is flagged today, not at the next daily run.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.dispatch import receiver
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from homeward.accounts.roles import check_acting
from homeward.audit.services import record
from homeward.cases.models import ChildCase, Placement, StatusTransition
from homeward.cases.services import CaseError
from homeward.cases.signals import case_circumstances_changed
from homeward.cases.status import FINAL
from homeward.rules.evaluation import Finding, assess
from homeward.rules.models import CustodyRule, RuleAlert


@dataclass
class RunSummary:
    day: date
    cases_near_limit: int = 0
    raised: int = 0
    changed: int = 0
    resolved: int = 0

    def __str__(self) -> str:
        # The words the worker's state page shows for a run (operations/periodic.py).
        return _(
            "Custody rules on %(day)s: %(near)s cases near or past a limit; %(raised)s alerts "
            "raised, %(changed)s changed, %(resolved)s resolved because they no longer apply."
        ) % {
            "day": formats.date_format(self.day, "SHORT_DATE_FORMAT"),
            "near": self.cases_near_limit, "raised": self.raised,
            "changed": self.changed, "resolved": self.resolved,
        }  # fmt: skip


def rules_in_force(day: date) -> list[CustodyRule]:
    return list(
        CustodyRule.objects.filter(is_active=True, valid_from__lte=day).filter(
            Q(valid_until=None) | Q(valid_until__gte=day)
        )
    )


def placements_on(
    day: date, case_ids: QuerySet[Any] | list[int] | None = None
) -> dict[int, Placement]:
    """Each case's placement at the end of `day`: the latest that began by then."""
    placements = Placement.objects.filter(since__lte=day).order_by("case_id", "since", "id")
    if case_ids is not None:
        placements = placements.filter(case_id__in=case_ids)
    latest: dict[int, Placement] = {}
    for placement in placements:
        latest[placement.case_id] = placement
    return latest


def statuses_on(day: date, case_ids: list[int]) -> dict[int, str]:
    moves = (
        StatusTransition.objects.filter(case_id__in=case_ids, effective_on__lte=day)
        .order_by("case_id", "effective_on", "id")
        .values_list("case_id", "to_status")
    )
    return dict(moves)  # the last move of each case wins


def findings_on(
    day: date, *, warning_days: int | None = None, case_ids: list[int] | None = None
) -> dict[tuple[int, int], tuple[ChildCase, CustodyRule, Finding]]:
    """Every (case, rule) that calls for an alert on `day` (among `case_ids`, if given)."""
    rules = rules_in_force(day)
    if not rules:
        return {}
    limited = Q()
    for rule in rules:
        limited |= Q(country=rule.host_country, facility_kind=rule.facility_kind)
    placed = Placement.objects.filter(limited, since__lte=day)
    if case_ids is not None:
        placed = placed.filter(case_id__in=case_ids)
    candidates = list(placed.values_list("case_id", flat=True))
    placements = placements_on(day, candidates)
    statuses = statuses_on(day, list(placements))
    open_ids = [case_id for case_id, status in statuses.items() if status not in FINAL]
    cases = ChildCase.objects.filter(pk__in=open_ids, merged_into=None).select_related("child")
    found = {}
    for case in cases:
        placement = placements[case.pk]
        for rule in rules:
            if (placement.country, placement.facility_kind) != (
                rule.host_country,
                rule.facility_kind,
            ):
                continue
            finding = assess(
                case.child.birth_earliest,
                case.child.birth_latest,
                years=rule.age_limit_years,
                today=day,
                warning_days=rule.warning_days if warning_days is None else warning_days,
            )
            if finding is not None:
                found[(case.pk, rule.pk)] = (case, rule, finding)
    return found


@transaction.atomic
def run_rules(
    today: date | None = None, *, warning_days: int | None = None, actor: Any = None
) -> RunSummary:
    """The daily job: every open case, as it stood on `today`."""
    return _evaluate(today or timezone.localdate(), None, warning_days, actor)


@transaction.atomic
def evaluate_cases(
    case_ids: list[int], today: date | None = None, *, actor: Any = None
) -> RunSummary:
    """The same evaluation for a few cases, as soon as what the rules read changed (a
    registration, a birth date, a placement), instead of at the next daily run."""
    return _evaluate(today or timezone.localdate(), list(case_ids), None, actor)


def _evaluate(
    day: date, case_ids: list[int] | None, warning_days: int | None, actor: Any
) -> RunSummary:
    """Raise, update and resolve the alerts of `case_ids` (every case when None) on `day`.

    1. Find every (case, rule) that calls for an alert on the day.
    2. Update the open alert of each, or raise one, unless an alert for the same reason
       was resolved with an action already.
    3. Resolve the open alerts that no longer apply (the child left the placement).
    """
    summary = RunSummary(day)
    found = findings_on(day, warning_days=warning_days, case_ids=case_ids)
    summary.cases_near_limit = len({case_id for case_id, _ in found})
    alerts = (
        RuleAlert.objects.all()
        if case_ids is None
        else RuleAlert.objects.filter(case_id__in=case_ids)
    )
    open_alerts: dict[tuple[int, int], RuleAlert] = {
        (alert.case_id, alert.rule_id): alert
        for alert in alerts.filter(resolved_on=None, raised_on__lte=day)
    }
    handled: dict[tuple[int, int], set[str]] = defaultdict(set)
    for case_id, rule_id, kind in alerts.exclude(resolved_by=None).values_list(
        "case_id", "rule_id", "kind"
    ):
        handled[(case_id, rule_id)].add(kind)
    for key, (case, rule, finding) in found.items():
        alert = open_alerts.pop(key, None)
        if alert is None:
            if finding.outcome in handled[key]:
                continue  # resolved with an action already; not raised again for the same reason
            RuleAlert.objects.create(
                case=case,
                rule=rule,
                kind=finding.outcome,
                limit_earliest=finding.limit_earliest,
                limit_latest=finding.limit_latest,
                message=finding.message,
                raised_on=day,
                evaluated_on=day,
            )
            summary.raised += 1
            record("rules.alert_raised", actor=actor, actor_name="run-rules", target=case)
            continue
        if alert.kind != finding.outcome:
            summary.changed += 1
        alert.kind = finding.outcome
        alert.message = finding.message
        alert.limit_earliest, alert.limit_latest = finding.limit_earliest, finding.limit_latest
        alert.evaluated_on = day
        alert.save()
    for alert in open_alerts.values():
        alert.resolved_on = day
        alert.resolution = "No longer applies: the child has left the placement the rule limits."
        alert.save(update_fields=["resolved_on", "resolution"])
        summary.resolved += 1
    return summary


@receiver(case_circumstances_changed)
def _evaluate_changed_case(
    sender: Any, case: ChildCase, today: date | None = None, **kwargs: Any
) -> None:
    """A registration, a birth date or a placement changed: the rules look at once."""
    evaluate_cases([case.pk], today)


def alerts_open_on(day: date) -> QuerySet[RuleAlert]:
    """The alerts that stood open at the end of `day`."""
    still_open, resolved_since = alert_parts_open_on(day)
    return still_open | resolved_since


def alert_parts_open_on(day: date) -> tuple[QuerySet[RuleAlert], QuerySet[RuleAlert]]:
    """The alerts open at the end of `day` in two parts that never share an alert, each
    read from an index: those still open (`rules_alert_open`, in the order the lists show
    them) and those resolved since (none when `day` is today)."""
    return (
        RuleAlert.objects.filter(resolved_on=None, raised_on__lte=day),
        RuleAlert.objects.filter(resolved_on__gt=day, raised_on__lte=day),
    )


@transaction.atomic
def resolve_alert(
    alert: RuleAlert, *, action: str, by: Any, today: date | None = None
) -> RuleAlert:
    """Close an alert with the action taken (placed with relatives, transfer arranged...)."""
    check_acting(by)
    action = action.strip()
    if not action:
        raise CaseError(_("Say what was done about the alert."), field="action")
    if alert.resolved_on is not None:
        raise CaseError(_("The alert is already resolved."))
    day = today or timezone.localdate()
    if day < alert.raised_on:
        raise CaseError(_("An alert cannot be resolved before it was raised."), field="action")
    alert.resolved_on = day
    alert.resolved_by = by
    alert.resolution = action
    alert.save(update_fields=["resolved_on", "resolved_by", "resolution"])
    record("rules.alert_resolved", actor=by, target=alert.case, fields=["rule_alerts"])
    return alert
