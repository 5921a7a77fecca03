"""Dates of birth known to a day, a month, a year, as an estimate, or not at all."""

# The en dash in AgeRange's text is meant, not a mistyped hyphen.

from __future__ import annotations

from datetime import date, timedelta

import pytest

from homeward.lib.ages import (
    MAX_ESTIMATED_AGE,
    MAX_MARGIN_YEARS,
    AgeRange,
    BirthDate,
    BirthDateError,
    BirthPrecision,
    completed_years,
    parse_birth,
    years_after,
    years_before,
)

DAY = BirthPrecision.DAY
MONTH = BirthPrecision.MONTH
YEAR = BirthPrecision.YEAR
ESTIMATE = BirthPrecision.ESTIMATE
UNKNOWN = BirthPrecision.UNKNOWN

TODAY = date(2024, 6, 15)


def estimate(age: int, on: date, margin: int = 0) -> BirthDate:
    return BirthDate(ESTIMATE, estimated_age=age, estimated_on=on, margin_years=margin)


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


# years_before / years_after


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (date(2019, 3, 1), 7, date(2012, 3, 1)),
        (date(2024, 12, 31), 10, date(2014, 12, 31)),
        (date(2024, 1, 1), 1, date(2023, 1, 1)),
        (date(2024, 6, 15), 0, date(2024, 6, 15)),
    ],
)
def test_years_before_keeps_the_calendar_day(day: date, years: int, expected: date) -> None:
    assert years_before(day, years) == expected


def test_years_before_turns_29_february_into_28_february_in_a_common_year() -> None:
    assert years_before(date(2020, 2, 29), 1) == date(2019, 2, 28)
    assert years_before(date(2020, 2, 29), 7) == date(2013, 2, 28)


def test_years_before_keeps_29_february_when_the_target_year_is_a_leap_year() -> None:
    assert years_before(date(2020, 2, 29), 4) == date(2016, 2, 29)
    assert years_before(date(2020, 2, 29), 20) == date(2000, 2, 29)


def test_years_after_turns_29_february_into_28_february_in_a_common_year() -> None:
    assert years_after(date(2020, 2, 29), 1) == date(2021, 2, 28)
    assert years_after(date(2020, 2, 29), 4) == date(2024, 2, 29)


@pytest.mark.parametrize("day", [date(2012, 5, 3), date(2019, 12, 31), date(2021, 2, 28)])
@pytest.mark.parametrize("years", [0, 1, 6, 18])
def test_years_after_undoes_years_before_for_days_other_than_29_february(
    day: date, years: int
) -> None:
    assert years_after(years_before(day, years), years) == day
    assert years_before(years_after(day, years), years) == day


def test_a_negative_number_of_years_before_counts_forwards() -> None:
    assert years_before(date(2012, 5, 3), -2) == date(2014, 5, 3)


# completed_years


@pytest.mark.parametrize(
    ("born", "on", "expected"),
    [
        (date(2012, 5, 3), date(2012, 5, 3), 0),
        (date(2012, 5, 3), date(2013, 5, 2), 0),
        (date(2012, 5, 3), date(2013, 5, 3), 1),
        (date(2012, 5, 3), date(2019, 5, 2), 6),
        (date(2012, 5, 3), date(2019, 5, 3), 7),
        (date(2012, 5, 3), date(2019, 12, 31), 7),
        (date(2012, 12, 31), date(2013, 1, 1), 0),
        (date(2012, 1, 1), date(2012, 12, 31), 0),
    ],
)
def test_completed_years_counts_whole_years_up_to_the_birthday(
    born: date, on: date, expected: int
) -> None:
    assert completed_years(born, on) == expected


def test_a_child_born_on_29_february_turns_one_on_1_march_of_a_common_year() -> None:
    born = date(2020, 2, 29)
    assert completed_years(born, date(2021, 2, 28)) == 0
    assert completed_years(born, date(2021, 3, 1)) == 1


def test_a_child_born_on_29_february_has_a_birthday_on_29_february_of_a_leap_year() -> None:
    born = date(2020, 2, 29)
    assert completed_years(born, date(2024, 2, 28)) == 3
    assert completed_years(born, date(2024, 2, 29)) == 4


def test_years_after_and_completed_years_disagree_on_29_february_birthdays() -> None:
    # Documented on both sides: years_after moves 29 February to the 28th, while
    # completed_years only counts the year from 1 March. Pinned so a change is noticed.
    born = date(2020, 2, 29)
    first_anniversary = years_after(born, 1)
    assert first_anniversary == date(2021, 2, 28)
    assert completed_years(born, first_anniversary) == 0


def test_completed_years_is_negative_before_birth() -> None:
    assert completed_years(date(2012, 5, 3), date(2012, 5, 2)) == -1


# AgeRange


def test_an_exact_age_range_prints_as_one_number() -> None:
    age = AgeRange(7, 7)
    assert age.is_exact
    assert str(age) == "7"


def test_an_uncertain_age_range_prints_with_an_en_dash() -> None:
    age = AgeRange(6, 8)
    assert not age.is_exact
    assert str(age) == "6–8"


# earliest / latest


def test_a_day_precision_is_that_one_day() -> None:
    birth = BirthDate(DAY, date(2012, 5, 3))
    assert birth.earliest == birth.latest == date(2012, 5, 3)


def test_a_month_precision_spans_the_whole_month() -> None:
    birth = BirthDate(MONTH, date(2012, 5, 17))
    assert birth.earliest == date(2012, 5, 1)
    assert birth.latest == date(2012, 5, 31)


@pytest.mark.parametrize(("year", "last_day"), [(2012, 29), (2013, 28), (2000, 29), (1900, 28)])
def test_a_february_precision_ends_on_the_last_day_of_that_february(
    year: int, last_day: int
) -> None:
    birth = BirthDate(MONTH, date(year, 2, 1))
    assert birth.latest == date(year, 2, last_day)


def test_a_year_precision_spans_the_whole_year_whatever_day_the_value_holds() -> None:
    birth = BirthDate(YEAR, date(2012, 7, 9))
    assert birth.earliest == date(2012, 1, 1)
    assert birth.latest == date(2012, 12, 31)


def test_an_estimate_without_margin_spans_the_year_of_birthdays_that_give_that_age() -> None:
    birth = estimate(6, date(2019, 3, 1))
    # Born 2012-03-01 would already be 7 on 2019-03-01; born 2013-03-01 just turned 6.
    assert birth.earliest == date(2012, 3, 2)
    assert birth.latest == date(2013, 3, 1)


def test_an_estimate_margin_widens_the_range_by_that_many_years_each_way() -> None:
    birth = estimate(6, date(2019, 3, 1), margin=1)
    assert birth.earliest == date(2011, 3, 2)
    assert birth.latest == date(2014, 3, 1)


def test_an_estimate_never_reaches_past_the_day_it_was_made() -> None:
    birth = estimate(0, date(2019, 3, 1), margin=2)
    assert birth.latest == date(2019, 3, 1)
    assert birth.earliest == date(2016, 3, 2)


def test_an_estimate_made_on_29_february_starts_on_1_march() -> None:
    birth = estimate(6, date(2020, 2, 29))
    assert birth.earliest == date(2013, 3, 1)
    assert birth.latest == date(2014, 2, 28)


@pytest.mark.parametrize(
    "on", [date(2019, 3, 1), date(2020, 2, 29), date(2021, 2, 28), date(2023, 12, 31)]
)
@pytest.mark.parametrize(("age", "margin"), [(0, 0), (0, 2), (1, 0), (4, 1), (6, 0), (12, 3)])
def test_every_day_of_an_estimate_gives_an_age_within_the_margin_and_no_day_outside_does(
    on: date, age: int, margin: int
) -> None:
    birth = estimate(age, on, margin)
    youngest, oldest = max(age - margin, 0), age + margin
    assert birth.earliest <= birth.latest <= on
    assert completed_years(birth.earliest, on) == oldest
    assert completed_years(birth.latest, on) == youngest
    assert completed_years(birth.earliest - timedelta(days=1), on) > oldest
    if birth.latest < on:
        assert completed_years(birth.latest + timedelta(days=1), on) < youngest


def test_an_unknown_date_of_birth_is_not_known_and_the_others_are() -> None:
    assert not BirthDate(UNKNOWN).is_known
    assert BirthDate(DAY, date(2012, 5, 3)).is_known
    assert BirthDate(MONTH, date(2012, 5, 1)).is_known
    assert BirthDate(YEAR, date(2012, 1, 1)).is_known
    assert estimate(6, date(2019, 3, 1)).is_known


# midpoint


@pytest.mark.parametrize(
    ("birth", "expected"),
    [
        (BirthDate(DAY, date(2012, 5, 3)), date(2012, 5, 3)),
        (BirthDate(MONTH, date(2012, 2, 10)), date(2012, 2, 15)),
        (BirthDate(MONTH, date(2013, 4, 1)), date(2013, 4, 15)),
        (BirthDate(YEAR, date(2013, 1, 1)), date(2013, 7, 2)),
        # 2012 has 366 days: the half day left over is dropped.
        (BirthDate(YEAR, date(2012, 1, 1)), date(2012, 7, 1)),
        (estimate(6, date(2019, 3, 1)), date(2012, 8, 31)),
    ],
)
def test_the_midpoint_is_halfway_between_earliest_and_latest(
    birth: BirthDate, expected: date
) -> None:
    assert birth.midpoint == expected
    assert birth.earliest <= birth.midpoint <= birth.latest


# age_range_on


def test_a_day_precision_gives_an_exact_age_that_changes_on_the_birthday() -> None:
    birth = BirthDate(DAY, date(2012, 5, 3))
    assert birth.age_range_on(date(2019, 5, 2)) == AgeRange(6, 6)
    assert birth.age_range_on(date(2019, 5, 3)) == AgeRange(7, 7)


def test_a_month_precision_gives_two_ages_during_the_birth_month() -> None:
    birth = BirthDate(MONTH, date(2012, 5, 1))
    assert birth.age_range_on(date(2019, 4, 30)) == AgeRange(6, 6)
    assert birth.age_range_on(date(2019, 5, 15)) == AgeRange(6, 7)
    assert birth.age_range_on(date(2019, 5, 31)) == AgeRange(7, 7)


def test_a_year_precision_gives_an_exact_age_only_on_the_last_day_of_a_year() -> None:
    birth = BirthDate(YEAR, date(2012, 1, 1))
    assert birth.age_range_on(date(2019, 6, 30)) == AgeRange(6, 7)
    assert birth.age_range_on(date(2019, 12, 31)) == AgeRange(7, 7)
    assert birth.age_range_on(date(2020, 1, 1)) == AgeRange(7, 8)


def test_an_estimate_gives_the_estimated_age_on_the_day_it_was_made() -> None:
    on = date(2019, 3, 1)
    assert estimate(6, on).age_range_on(on) == AgeRange(6, 6)
    assert estimate(6, on, margin=2).age_range_on(on) == AgeRange(4, 8)


def test_an_estimate_of_a_baby_never_gives_a_negative_youngest_age() -> None:
    on = date(2019, 3, 1)
    assert estimate(0, on, margin=2).age_range_on(on) == AgeRange(0, 2)


def test_there_is_no_age_before_the_earliest_possible_birth() -> None:
    birth = BirthDate(MONTH, date(2012, 5, 1))
    assert birth.age_range_on(date(2012, 4, 30)) is None
    assert birth.age_range_on(date(2012, 5, 1)) == AgeRange(0, 0)


def test_a_child_who_may_not_yet_be_born_counts_as_aged_zero() -> None:
    birth = BirthDate(YEAR, date(2012, 1, 1))
    assert birth.age_range_on(date(2012, 6, 1)) == AgeRange(0, 0)


def test_an_unknown_date_of_birth_has_no_age() -> None:
    assert BirthDate(UNKNOWN).age_range_on(TODAY) is None


@pytest.mark.parametrize(
    "birth",
    [
        BirthDate(DAY, date(2012, 2, 29)),
        BirthDate(MONTH, date(2012, 2, 1)),
        BirthDate(MONTH, date(2015, 12, 1)),
        BirthDate(YEAR, date(2012, 1, 1)),
        estimate(3, date(2016, 2, 29), margin=1),
    ],
    ids=["day-29-feb", "month-feb", "month-dec", "year", "estimate"],
)
def test_age_range_on_matches_the_ages_of_every_possible_birthday(birth: BirthDate) -> None:
    possible = days_between(birth.earliest, birth.latest)
    on = birth.earliest - timedelta(days=3)
    while on < date(2022, 1, 1):
        born_by_then = [day for day in possible if day <= on]
        ages = [completed_years(day, on) for day in born_by_then]
        expected = AgeRange(min(ages), max(ages)) if ages else None
        assert birth.age_range_on(on) == expected, on
        on += timedelta(days=5)


# validate


@pytest.mark.parametrize(
    "birth",
    [
        BirthDate(DAY, date(2012, 5, 3)),
        BirthDate(DAY, TODAY),
        BirthDate(MONTH, date(2024, 6, 1)),  # this month, though most of it is to come
        BirthDate(YEAR, date(2024, 1, 1)),  # this year
        BirthDate(UNKNOWN),
        estimate(6, date(2019, 3, 1)),
        estimate(0, TODAY),
        estimate(MAX_ESTIMATED_AGE, TODAY, margin=MAX_MARGIN_YEARS),
    ],
)
def test_a_possible_date_of_birth_validates(birth: BirthDate) -> None:
    birth.validate(TODAY)


@pytest.mark.parametrize("precision", [DAY, MONTH, YEAR])
def test_a_day_month_or_year_precision_needs_a_value(precision: BirthPrecision) -> None:
    with pytest.raises(BirthDateError) as caught:
        BirthDate(precision).validate(TODAY)
    assert caught.value.field == "birth_date"
    assert caught.value.message == "Enter the date of birth."


@pytest.mark.parametrize(
    "birth",
    [
        BirthDate(DAY, TODAY + timedelta(days=1)),
        BirthDate(MONTH, date(2024, 7, 1)),
        BirthDate(YEAR, date(2025, 1, 1)),
    ],
)
def test_a_date_of_birth_in_the_future_is_refused(birth: BirthDate) -> None:
    with pytest.raises(BirthDateError) as caught:
        birth.validate(TODAY)
    assert caught.value.field == "birth_date"
    assert "future" in caught.value.message


def test_an_estimate_needs_an_age() -> None:
    birth = BirthDate(ESTIMATE, estimated_on=date(2019, 3, 1))
    with pytest.raises(BirthDateError) as caught:
        birth.validate(TODAY)
    assert caught.value.field == "birth_estimated_age"


@pytest.mark.parametrize("age", [-1, MAX_ESTIMATED_AGE + 1, 500])
def test_an_estimated_age_must_be_between_0_and_120(age: int) -> None:
    with pytest.raises(BirthDateError) as caught:
        estimate(age, date(2019, 3, 1)).validate(TODAY)
    assert caught.value.field == "birth_estimated_age"
    assert caught.value.message == "An estimated age must be between 0 and 120 years."


def test_an_estimate_needs_the_day_it_was_made() -> None:
    birth = BirthDate(ESTIMATE, estimated_age=6)
    with pytest.raises(BirthDateError) as caught:
        birth.validate(TODAY)
    assert caught.value.field == "birth_estimated_on"


def test_an_estimate_cannot_be_made_in_the_future() -> None:
    with pytest.raises(BirthDateError) as caught:
        estimate(6, TODAY + timedelta(days=1)).validate(TODAY)
    assert caught.value.field == "birth_estimated_on"
    assert "future" in caught.value.message


@pytest.mark.parametrize("margin", [-1, MAX_MARGIN_YEARS + 1])
def test_an_estimate_margin_must_be_between_0_and_5_years(margin: int) -> None:
    with pytest.raises(BirthDateError) as caught:
        estimate(6, date(2019, 3, 1), margin).validate(TODAY)
    assert caught.value.field == "birth_margin_years"
    assert caught.value.message == "The margin must be between 0 and 5 years."


def test_a_birth_date_error_is_a_value_error_whose_text_is_its_message() -> None:
    error = BirthDateError("birth_date", "Enter the date of birth.")
    assert isinstance(error, ValueError)
    assert str(error) == error.message == "Enter the date of birth."
    assert error.field == "birth_date"


# describe


@pytest.mark.parametrize(
    ("birth", "text"),
    [
        (BirthDate(DAY, date(2012, 5, 3)), "2012-05-03"),
        (BirthDate(MONTH, date(2012, 5, 1)), "May 2012"),
        (BirthDate(YEAR, date(2012, 1, 1)), "2012"),
        (estimate(6, date(2019, 3, 1)), "about 6 years on 2019-03-01"),
        (estimate(6, date(2019, 3, 1), margin=1), "about 6 ± 1 years on 2019-03-01"),
        (BirthDate(UNKNOWN), "unknown"),
    ],
)
def test_describe_writes_a_date_of_birth_as_a_caseworker_would(birth: BirthDate, text: str) -> None:
    assert birth.describe() == text


def test_an_estimate_of_one_year_is_described_in_the_singular() -> None:
    assert estimate(1, date(2019, 3, 1)).describe() == "about 1 year on 2019-03-01"


@pytest.mark.parametrize(
    ("birth", "text"),
    [
        (estimate(1, date(2019, 3, 1), margin=1), "about 1 ± 1 years on 2019-03-01"),
        (estimate(0, date(2019, 3, 1)), "about 0 years on 2019-03-01"),
        (estimate(2, date(2019, 3, 1)), "about 2 years on 2019-03-01"),
    ],
)
def test_any_other_estimate_is_described_in_years(birth: BirthDate, text: str) -> None:
    assert birth.describe() == text


# parse_birth


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2012-05-03", BirthDate(DAY, date(2012, 5, 3))),
        ("2012-02-29", BirthDate(DAY, date(2012, 2, 29))),
        ("2012-05", BirthDate(MONTH, date(2012, 5, 1))),
        ("2012-5", BirthDate(MONTH, date(2012, 5, 1))),
        ("2012-5-3", BirthDate(DAY, date(2012, 5, 3))),
        ("2012-05-3", BirthDate(DAY, date(2012, 5, 3))),
        ("2012", BirthDate(YEAR, date(2012, 1, 1))),
        ("  2012-05-03\n", BirthDate(DAY, date(2012, 5, 3))),
        ("~6@2019-03-01", estimate(6, date(2019, 3, 1))),
        ("~6±1@2019-03-01", estimate(6, date(2019, 3, 1), margin=1)),
        ("~6+-1@2019-03-01", estimate(6, date(2019, 3, 1), margin=1)),
        ("~6+-2@2019-03-01", estimate(6, date(2019, 3, 1), margin=2)),
        ("~12±0@2019-03-01", estimate(12, date(2019, 3, 1))),
        ("~0@2024-06-15", estimate(0, date(2024, 6, 15))),
    ],
)
def test_parse_birth_reads_each_way_field_data_writes_a_date_of_birth(
    text: str, expected: BirthDate
) -> None:
    assert parse_birth(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_a_blank_date_of_birth_is_unknown(text: str) -> None:
    assert parse_birth(text) == BirthDate(UNKNOWN)


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "12",
        "201",
        "12-05",
        "05-2012",
        "2012-13",
        "2012-00",
        "2012-02-30",
        "2013-02-29",
        "2012/05/03",
        "03.05.2012",
        "20120503",
        "2012-05-03T10:00",
        "2012-05-03-01",
        "0000",
        "~6",
        "~6@",
        "~@2019-03-01",
        "~six@2019-03-01",
        "~6±x@2019-03-01",
        "~6±@2019-03-01",
        "~6+-@2019-03-01",
        "~6 ± 1@2019-03-01",
        "~6±1 @2019-03-01",
        "~ 6@2019-03-01",
        "~6@ 2019-03-01",
        "~6±10@2019-03-01",
        "~-1@2019-03-01",
        "~1000@2019-03-01",
        "~6@2019-02-30",
    ],
)
def test_parse_birth_refuses_what_is_not_a_date_of_birth_and_says_what_to_write(
    text: str,
) -> None:
    with pytest.raises(BirthDateError) as caught:
        parse_birth(text)
    assert caught.value.field == "birth"
    assert caught.value.message.startswith(f"{text!r} is not a date of birth")
    assert "2012-05-03, 2012-05, 2012 or ~6@2019-03-01" in caught.value.message


def test_parse_birth_does_not_validate_so_a_three_digit_impossible_age_still_parses() -> None:
    birth = parse_birth("~999@2019-03-01")
    assert birth == estimate(999, date(2019, 3, 1))
    with pytest.raises(BirthDateError) as caught:
        birth.validate(TODAY)
    assert caught.value.field == "birth_estimated_age"
    assert caught.value.message == "An estimated age must be between 0 and 120 years."


def test_parse_birth_reads_a_one_digit_margin_that_validate_then_refuses_if_over_5() -> None:
    birth = parse_birth("~6±9@2019-03-01")
    assert birth == estimate(6, date(2019, 3, 1), margin=9)
    with pytest.raises(BirthDateError) as caught:
        birth.validate(TODAY)
    assert caught.value.field == "birth_margin_years"


def test_parse_birth_accepts_a_future_year_that_validate_then_refuses() -> None:
    birth = parse_birth("2999")
    assert birth == BirthDate(YEAR, date(2999, 1, 1))
    with pytest.raises(BirthDateError):
        birth.validate(TODAY)


@pytest.mark.parametrize(
    ("text", "precision", "described"),
    [
        ("2012-05-03", DAY, "2012-05-03"),
        ("2012-05", MONTH, "May 2012"),
        ("2012", YEAR, "2012"),
        ("~6±1@2019-03-01", ESTIMATE, "about 6 ± 1 years on 2019-03-01"),
        ("~1@2019-03-01", ESTIMATE, "about 1 year on 2019-03-01"),
    ],
)
def test_a_parsed_date_of_birth_describes_itself_in_the_same_precision(
    text: str, precision: BirthPrecision, described: str
) -> None:
    birth = parse_birth(text)
    assert birth.precision is precision
    assert birth.describe() == described


@pytest.mark.parametrize("text", ["+201", "1_00", "+2012", "2_012", "-2012", "20121"])
def test_a_year_must_be_written_as_four_digits(text: str) -> None:
    with pytest.raises(BirthDateError) as caught:
        parse_birth(text)
    assert caught.value.field == "birth"


@pytest.mark.parametrize("text", ["2012-W18", "2012-W18-4", "2012W184", "2012-124"])
def test_an_iso_week_or_ordinal_date_is_refused(text: str) -> None:
    with pytest.raises(BirthDateError) as caught:
        parse_birth(text)
    assert caught.value.field == "birth"


@pytest.mark.parametrize(
    "text",
    [
        "２０１２-０５-０３",  # full-width
        "٢٠١٢-٠٥-٠٣",  # Arabic-Indic
        "۲۰۱۲",  # extended Arabic-Indic (Persian)
        "2012-٠٥",
        "~٦@2019-03-01",
        "~6±١@2019-03-01",
    ],
)
def test_only_ascii_digits_are_read_in_a_date_of_birth(text: str) -> None:
    with pytest.raises(BirthDateError) as caught:
        parse_birth(text)
    assert caught.value.field == "birth"


def test_birth_precision_values_are_the_strings_stored_in_the_database() -> None:
    assert [precision.value for precision in BirthPrecision] == [
        "day",
        "month",
        "year",
        "estimate",
        "unknown",
    ]
    assert BirthPrecision("month") is MONTH
    assert MONTH == "month"
