"""The daily job against real cases: who is in detention with the mother on the day, and
what happens to the alert when the child moves or a caseworker acts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from homeward.cases import services
from homeward.cases.models import ChildCase, FacilityKind
from homeward.cases.services import CaseError, PlacementInput
from homeward.lib.ages import BirthDate, BirthPrecision
from homeward.rules.models import CustodyRule, RuleAlert
from homeward.rules.services import alerts_open_on, resolve_alert, run_rules
from homeward.rules.tasks import evaluate_custody_rules

pytestmark = pytest.mark.django_db

IN_DETENTION = PlacementInput(
    "IQ", FacilityKind.DETENTION_WITH_MOTHER, date(2018, 5, 2), "Women's prison (test)"
)


@pytest.fixture
def iraq_rule(db: None) -> CustodyRule:
    return CustodyRule.objects.create(
        host_country="IQ",
        facility_kind=FacilityKind.DETENTION_WITH_MOTHER,
        age_limit_years=3,
        action="Placed with relatives or in state care",
        source="Iraqi practice as described in the programme's reports (invented for tests)",
        valid_from=date(2017, 1, 1),
    )


@pytest.fixture
def toddler(make_case: Callable[..., ChildCase]) -> ChildCase:
    # Registered the day she was identified: the rules looked at her then (not yet near 3).
    return make_case(
        birth=BirthDate(BirthPrecision.DAY, date(2016, 2, 20)),
        placement=IN_DETENTION,
        today=date(2018, 5, 2),
    )


def test_a_child_about_to_turn_three_in_detention_raises_an_alert_with_its_rule(
    iraq_rule: CustodyRule, toddler: ChildCase
) -> None:
    before = run_rules(date(2018, 12, 1))
    assert (before.raised, before.changed, before.resolved) == (0, 0, 0)
    summary = run_rules(date(2019, 1, 10))
    assert summary.raised == 1
    alert = RuleAlert.objects.get()
    assert (alert.case, alert.rule, alert.kind) == (toddler, iraq_rule, "due")
    assert alert.message == "Turns 3 on 2019-02-20: 41 days from 2019-01-10."
    # The next day's run updates the same alert, and past the birthday it escalates.
    run_rules(date(2019, 1, 11))
    assert RuleAlert.objects.count() == 1
    assert run_rules(date(2019, 2, 21)).changed == 1
    assert RuleAlert.objects.get().kind == "past"


def test_a_child_placed_elsewhere_raises_nothing_and_a_move_resolves_the_alert(
    iraq_rule: CustodyRule, toddler: ChildCase, caseworker: User
) -> None:
    run_rules(date(2019, 1, 10))
    services.move_placement(
        toddler,
        PlacementInput("IQ", FacilityKind.STATE_ORPHANAGE, date(2019, 2, 1), "Orphanage"),
        by=caseworker,
        today=date(2019, 2, 1),
    )
    # The move itself resolves the alert, the day it is recorded; the daily run finds
    # nothing left to do.
    alert = RuleAlert.objects.get()
    assert alert.resolved_on == date(2019, 2, 1) and "no longer applies" in alert.resolution.lower()
    assert run_rules(date(2019, 2, 2)).resolved == 0
    # Looking back: on 2019-01-15 the alert stood open; on 2019-02-03 it did not.
    assert list(alerts_open_on(date(2019, 1, 15))) == [alert]
    assert not alerts_open_on(date(2019, 2, 3)).exists()


def test_a_past_day_is_evaluated_with_that_days_placement(
    iraq_rule: CustodyRule, toddler: ChildCase, caseworker: User
) -> None:
    services.move_placement(
        toddler,
        PlacementInput("IQ", FacilityKind.STATE_ORPHANAGE, date(2019, 2, 1), "Orphanage"),
        by=caseworker,
    )
    # Today the child is in an orphanage; on 2019-01-10 she was still with her mother.
    assert run_rules(date(2019, 1, 10)).raised == 1


def test_a_rule_not_yet_in_force_or_switched_off_raises_nothing(
    iraq_rule: CustodyRule, toddler: ChildCase
) -> None:
    CustodyRule.objects.update(valid_from=date(2019, 6, 1))
    assert run_rules(date(2019, 1, 10)).raised == 0
    CustodyRule.objects.update(valid_from=date(2017, 1, 1), is_active=False)
    assert run_rules(date(2019, 1, 10)).raised == 0


def test_a_resolved_alert_records_the_action_and_is_not_raised_again(
    iraq_rule: CustodyRule, toddler: ChildCase, caseworker: User
) -> None:
    run_rules(date(2019, 1, 10))
    alert = RuleAlert.objects.get()
    with pytest.raises(CaseError, match="Say what was done"):
        resolve_alert(alert, action=" ", by=caseworker, today=date(2019, 1, 12))
    resolve_alert(
        alert, action="Grandmother's custody hearing set for 2019-02-01", by=caseworker,
        today=date(2019, 1, 12),
    )  # fmt: skip
    assert run_rules(date(2019, 1, 13)).raised == 0
    assert run_rules(date(2019, 2, 21)).raised == 1  # past the birthday: a new reason


def test_the_straddling_case_says_so(
    iraq_rule: CustodyRule, make_case: Callable[..., ChildCase]
) -> None:
    make_case(
        birth=BirthDate(BirthPrecision.YEAR, date(2016, 1, 1)),
        placement=IN_DETENTION,
        today=date(2018, 5, 2),
    )
    run_rules(date(2019, 5, 1))
    alert = RuleAlert.objects.get()
    assert alert.kind == "uncertain"
    assert (alert.limit_earliest, alert.limit_latest) == (date(2019, 1, 1), date(2019, 12, 31))
    assert "straddles" in alert.message


def test_the_command_and_the_background_task_run_the_same_evaluation(
    iraq_rule: CustodyRule, toddler: ChildCase
) -> None:
    out = StringIO()
    call_command("run-rules", "--today", "2019-01-10", stdout=out)
    assert "1 alerts raised" in out.getvalue()
    assert "0 alerts raised" in evaluate_custody_rules.call("2019-01-11")
    with pytest.raises(Exception, match="between 0 and 3650"):
        call_command("run-rules", "--warning-days", "-1", stdout=out)


# --- evaluated when the case changes, not only daily (issue 15) ---------------------------


def test_a_child_registered_past_the_limit_in_detention_is_flagged_at_registration(
    iraq_rule: CustodyRule, make_case: Callable[..., ChildCase]
) -> None:
    """A 7-year-old registered "in detention with mother, Iraq" gets the alert at once."""
    case = make_case(
        birth=BirthDate(BirthPrecision.DAY, date(2012, 3, 1)),
        placement=IN_DETENTION,
        today=date(2019, 6, 1),
    )
    alert = RuleAlert.objects.get()
    assert (alert.case, alert.kind, alert.raised_on) == (case, "past", date(2019, 6, 1))
    assert alert.message == "Past the age limit of 3 since 2015-03-01."


def test_a_changed_birth_date_is_evaluated_at_once(
    iraq_rule: CustodyRule, toddler: ChildCase, caseworker: User
) -> None:
    assert not RuleAlert.objects.exists()
    services.update_identity(
        toddler, sex="f", birth=BirthDate(BirthPrecision.DAY, date(2015, 1, 1)),
        nationality="RU", home_region="RU-DA", by=caseworker, today=date(2018, 5, 3),
    )  # fmt: skip
    assert RuleAlert.objects.get(case=toddler).kind == "past"


def test_a_move_into_detention_is_evaluated_at_once_and_a_move_out_resolves(
    iraq_rule: CustodyRule, make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    case = make_case(birth=BirthDate(BirthPrecision.DAY, date(2015, 1, 1)), today=date(2018, 5, 2))
    assert not RuleAlert.objects.exists()  # in an orphanage: no rule limits it
    moved = PlacementInput("IQ", FacilityKind.DETENTION_WITH_MOTHER, date(2018, 6, 1), "Prison")
    services.move_placement(case, moved, by=caseworker, today=date(2018, 6, 1))
    assert RuleAlert.objects.get(case=case, resolved_on=None).kind == "past"
    out = PlacementInput("IQ", FacilityKind.STATE_ORPHANAGE, date(2018, 7, 1), "Orphanage")
    services.move_placement(case, out, by=caseworker, today=date(2018, 7, 1))
    assert RuleAlert.objects.get(case=case).resolved_on == date(2018, 7, 1)


def test_the_case_page_shows_the_alert_raised_at_registration(
    iraq_rule: CustodyRule, make_case: Callable[..., ChildCase], caseworker_client: Any
) -> None:
    case = make_case(birth=BirthDate(BirthPrecision.DAY, date(2012, 3, 1)), placement=IN_DETENTION)
    page = caseworker_client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="rule-alert"' in page and "Past the age limit of 3 since 2015-03-01" in page
