"""No one alive was born more than 120 years before today: such a birth is refused."""

from __future__ import annotations

from datetime import date

import pytest

from homeward.lib.ages import BirthDateError, parse_birth

TODAY = date(2024, 6, 15)


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        ("1800", "birth_date", "The date of birth 1800 is more than 120 years before today."),
        (
            "1800-05", "birth_date",
            "The date of birth May 1800 is more than 120 years before today.",
        ),
        (
            "1904-06-14", "birth_date",
            "The date of birth 1904-06-14 is more than 120 years before today.",
        ),
        (
            "~6@1850-01-01", "birth_estimated_on",
            "An age of about 6 years on 1850-01-01 puts the birth more than 120 years "
            "before today.",
        ),
        (
            "~100±5@1900-01-01", "birth_estimated_on",
            "An age of about 100 ± 5 years on 1900-01-01 puts the birth more than 120 years "
            "before today.",
        ),
    ],
)  # fmt: skip
def test_a_birth_more_than_120_years_before_today_is_refused_naming_it(
    text: str, field: str, message: str
) -> None:
    with pytest.raises(BirthDateError) as caught:
        parse_birth(text).validate(TODAY)
    assert (caught.value.field, caught.value.message) == (field, message)


@pytest.mark.parametrize(
    "text",
    [
        "1904-06-15",  # exactly 120 today
        "1904",  # the last days of 1904 are less than 120 years ago
        "1904-06",
        "~120@2024-06-15",
        "~118±5@2024-01-01",  # may be 113
    ],
)
def test_a_birth_that_may_lie_within_120_years_is_accepted(text: str) -> None:
    parse_birth(text).validate(TODAY)


@pytest.mark.parametrize(
    "text", ["", "2012-05-03", "2012-05", "2012", "~6@2019-03-01", "~6±1@2019-03-01"]
)
def test_a_birth_is_written_back_as_it_is_read(text: str) -> None:
    from homeward.lib.ages import birth_text

    assert birth_text(parse_birth(text)) == text
