"""An alert is read in the reader's language: the sentence shown is made from the alert's
facts when it is read, and in English it says exactly what the rules wrote on the day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from homeward.cases.models import ChildCase
from homeward.conftest import signed_in
from homeward.lib.ages import BirthDate, BirthPrecision
from homeward.rules.evaluation import assess
from homeward.rules.models import CustodyRule
from homeward.rules.services import run_rules
from homeward.rules.tests.test_run_rules import IN_DETENTION, iraq_rule  # noqa: F401
from homeward.rules.wording import alert_sentence

TODAY = date(2019, 1, 21)
BIRTHS = {
    "nothing known": (None, None),
    "past, exact": (date(2015, 5, 1), date(2015, 5, 1)),
    "past, a range": (date(2015, 1, 1), date(2015, 12, 31)),
    "straddles": (date(2015, 8, 9), date(2016, 8, 8)),
    "due, exact": (date(2016, 3, 16), date(2016, 3, 16)),
    "due, one day": (date(2016, 1, 22), date(2016, 1, 22)),
    "due, a range": (date(2016, 3, 17), date(2018, 3, 16)),
}


@pytest.mark.parametrize("birth", BIRTHS)
def test_in_english_the_sentence_is_the_one_the_rules_wrote(birth: str) -> None:
    earliest, latest = BIRTHS[birth]
    finding = assess(earliest, latest, years=3, today=TODAY, warning_days=90)
    assert finding is not None
    with translation.override("en"):
        shown = alert_sentence(
            finding.outcome, finding.limit_earliest, finding.limit_latest, 3, TODAY
        )
    assert shown == finding.message


def test_in_russian_and_arabic_the_sentence_and_its_dates_are_theirs() -> None:
    finding = assess(date(2016, 3, 16), date(2016, 3, 16), years=3, today=TODAY, warning_days=90)
    assert finding is not None
    facts = (finding.outcome, finding.limit_earliest, finding.limit_latest, 3, TODAY)
    with translation.override("ru"):
        russian = alert_sentence(*facts)
    with translation.override("ar"):
        arabic = alert_sentence(*facts)
    assert "16.03.2019" in russian and "21.01.2019" in russian and "Turns" not in russian
    assert "16/03/2019" in arabic and "Turns" not in arabic


@pytest.mark.django_db
def test_the_dashboard_and_the_case_show_the_alert_in_the_readers_language(
    iraq_rule: CustodyRule,  # noqa: F811
    make_case: Callable[..., ChildCase],
    caseworker: User,
) -> None:
    case = make_case(
        birth=BirthDate(BirthPrecision.DAY, date(2016, 2, 20)),
        placement=IN_DETENTION,
        today=date(2018, 5, 2),
    )
    run_rules(date(2019, 1, 10))
    client = signed_in(caseworker)
    client.cookies["django_language"] = "ru"
    for url in ("/?on=2019-01-10", f"/cases/{case.pk}/"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
        assert "20.02.2019" in page, url  # the day she turns 3, as Russian writes it
        assert "Turns 3" not in page and "until age 3" not in page, url
        assert "Ирак: " in page, url  # the rule's country by its name, not "IQ"
