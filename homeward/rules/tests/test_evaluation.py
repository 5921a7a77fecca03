"""The custody rule's arithmetic on every kind of date of birth, with the day given."""

from __future__ import annotations

from datetime import date

import pytest

from homeward.lib.ages import BirthDate, BirthPrecision
from homeward.rules.evaluation import Outcome, assess

DAY, MONTH, YEAR = BirthPrecision.DAY, BirthPrecision.MONTH, BirthPrecision.YEAR


def outcome(birth: BirthDate, today: date, warning_days: int = 60) -> tuple[str, str] | None:
    found = assess(birth.earliest, birth.latest, years=3, today=today, warning_days=warning_days)
    return (found.outcome.value, found.message) if found else None


def test_an_exact_date_warns_within_the_window_and_not_before() -> None:
    born = BirthDate(DAY, date(2016, 3, 1))
    assert outcome(born, date(2018, 12, 30)) is None  # 61 days before: not yet
    assert outcome(born, date(2018, 12, 31)) is not None  # 60 days before: within
    kind, message = outcome(born, date(2019, 1, 1)) or ("", "")
    assert kind == Outcome.DUE
    assert message == "Turns 3 on 2019-03-01: 59 days from 2019-01-01."


def test_an_exact_date_past_the_birthday() -> None:
    kind, message = outcome(BirthDate(DAY, date(2016, 1, 1)), date(2019, 1, 5)) or ("", "")
    assert kind == Outcome.PAST
    assert message == "Past the age limit of 3 since 2019-01-01."


def test_the_window_is_configurable() -> None:
    born = BirthDate(DAY, date(2016, 3, 1))
    assert outcome(born, date(2018, 12, 1), warning_days=60) is None
    assert outcome(born, date(2018, 12, 1), warning_days=90) is not None


def test_a_month_of_birth_straddles_the_limit_during_that_month() -> None:
    born = BirthDate(MONTH, date(2016, 1, 1))  # born some day in January 2016
    kind, message = outcome(born, date(2019, 1, 15)) or ("", "")
    assert kind == Outcome.UNCERTAIN
    assert "between 2019-01-01 and 2019-01-31" in message
    assert "straddles" in message
    assert outcome(born, date(2019, 2, 1))[0] == Outcome.PAST  # type: ignore[index]


def test_a_year_of_birth_is_due_only_when_the_whole_year_is_near() -> None:
    born = BirthDate(YEAR, date(2016, 1, 1))
    kind, message = outcome(born, date(2018, 11, 15)) or ("", "")
    # The earliest third birthday (2019-01-01) is within 60 days, the latest is not.
    assert kind == Outcome.UNCERTAIN
    assert "between 2019-01-01 and 2019-12-31 (uncertain date of birth)" in message
    assert outcome(born, date(2019, 6, 1))[0] == Outcome.UNCERTAIN  # type: ignore[index]
    assert outcome(born, date(2020, 1, 1))[0] == Outcome.PAST  # type: ignore[index]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2016, 12, 1), None),
        (date(2017, 1, 15), Outcome.UNCERTAIN),  # may turn three within the window
        (date(2019, 3, 1), Outcome.UNCERTAIN),  # may already be three: the range straddles
        (date(2020, 3, 1), Outcome.PAST),
    ],
)
def test_an_estimated_age_with_a_margin(today: date, expected: Outcome | None) -> None:
    # "About 2, give or take 1, on 2018-03-01": aged 1 to 3 that day, so born between
    # 2014-03-02 and 2017-03-01; the third birthday falls between 2017-03-02 and 2020-03-01.
    born = BirthDate(
        BirthPrecision.ESTIMATE, estimated_age=2, estimated_on=date(2018, 3, 1), margin_years=1
    )
    found = outcome(born, today)
    assert (found[0] if found else None) == expected


def test_an_unknown_date_of_birth_is_said_to_be_unknown() -> None:
    found = assess(None, None, years=3, today=date(2019, 1, 1), warning_days=60)
    assert found is not None and found.outcome == Outcome.UNCERTAIN
    assert "Nothing is known of the date of birth" in found.message
