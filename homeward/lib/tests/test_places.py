"""Country (ISO 3166-1) and region (ISO 3166-2) codes and their names."""

from __future__ import annotations

import pytest

from homeward.lib.places import (
    UnknownPlaceError,
    country_choices,
    country_name,
    region_choices,
    region_country,
    region_name,
)

# country_name


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("IQ", "Iraq"),
        ("SY", "Syrian Arab Republic"),
        ("RU", "Russian Federation"),
        ("FR", "France"),
    ],
)
def test_a_country_code_gives_the_standards_name(code: str, name: str) -> None:
    assert country_name(code) == name


def test_a_country_code_may_be_written_in_lower_case() -> None:
    assert country_name("iq") == country_name("Iq") == "Iraq"


@pytest.mark.parametrize("code", ["", "XX", "I", "IRQ", "368", " IQ", "IQ ", "RU-DA"])
def test_an_unknown_country_code_is_refused_with_an_example(code: str) -> None:
    with pytest.raises(UnknownPlaceError) as caught:
        country_name(code)
    assert str(caught.value) == f"{code!r} is not an ISO 3166-1 country code (e.g. IQ, RU)."


def test_an_unknown_place_error_is_a_value_error() -> None:
    assert issubclass(UnknownPlaceError, ValueError)


# region_name and region_country


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("RU-DA", "Dagestan, Respublika"),
        ("RU-CE", "Chechenskaya Respublika"),
        ("IQ-BG", "Baghdād"),
        ("SY-HL", "Ḩalab"),
    ],
)
def test_a_region_code_gives_the_standards_name(code: str, name: str) -> None:
    assert region_name(code) == name


def test_a_region_code_may_be_written_in_lower_case() -> None:
    assert region_name("ru-da") == region_name("Ru-Da") == "Dagestan, Respublika"


@pytest.mark.parametrize("code", ["", "RU", "RUDA", "RU-", "RU-XX", "XX-YY", "DA", " RU-DA"])
def test_an_unknown_region_code_is_refused_with_an_example(code: str) -> None:
    with pytest.raises(UnknownPlaceError) as caught:
        region_name(code)
    assert str(caught.value) == f"{code!r} is not an ISO 3166-2 region code (e.g. RU-DA)."


@pytest.mark.parametrize(
    ("code", "country"),
    [("RU-DA", "RU"), ("ru-da", "RU"), ("IQ-NI", "IQ"), ("SY-HL", "SY"), ("GB-ENG", "GB")],
)
def test_a_region_belongs_to_the_country_its_code_starts_with(code: str, country: str) -> None:
    assert region_country(code) == country


@pytest.mark.parametrize("code", ["", "RU", "XX-YY", "RU-XX"])
def test_the_country_of_an_unknown_region_is_refused(code: str) -> None:
    with pytest.raises(UnknownPlaceError, match="is not an ISO 3166-2 region code"):
        region_country(code)


# choices


def test_country_choices_are_sorted_by_name() -> None:
    choices = country_choices()
    names = [name for _, name in choices]
    assert names == sorted(names)


def test_country_choices_hold_each_two_letter_code_once_with_its_name() -> None:
    choices = country_choices()
    codes = [code for code, _ in choices]
    assert len(codes) == len(set(codes)) > 240
    assert all(len(code) == 2 and code.isupper() for code in codes)
    assert ("IQ", "Iraq") in choices
    assert ("RU", "Russian Federation") in choices
    assert all(country_name(code) == name for code, name in choices)


def test_region_choices_are_the_countrys_regions_sorted_by_name() -> None:
    choices = region_choices("RU")
    names = [name for _, name in choices]
    assert names == sorted(names)
    assert ("RU-DA", "Dagestan, Respublika") in choices
    assert all(region_country(code) == "RU" for code, _ in choices)
    assert all(region_name(code) == name for code, name in choices)


def test_region_choices_accept_a_lower_case_country_code() -> None:
    assert region_choices("iq") == region_choices("IQ")
    assert ("IQ-BG", "Baghdād") in region_choices("iq")


@pytest.mark.parametrize("country", ["XX", ""])
def test_an_unknown_country_has_no_region_choices(country: str) -> None:
    assert region_choices(country) == []


SOMEWHERE = ("ZZ", "Nowhere")

# country_choices() and region_choices() are meant to give each caller a fresh list, but
# they are still memoised with functools.cache, which hands every caller the same list
# object. These tests state the intended behaviour and are expected to fail until the
# caching is fixed; strict, so they turn red (and the markers come off) once it is.


def test_country_choices_give_an_equal_list_on_each_call() -> None:
    assert country_choices() == country_choices()


def test_region_choices_give_an_equal_list_on_each_call() -> None:
    assert region_choices("RU") == region_choices("RU")


def test_a_caller_changing_the_country_choices_does_not_change_what_the_next_gets() -> None:
    first = country_choices()
    first.append(SOMEWHERE)
    try:
        second = country_choices()
        assert second is not first
        assert SOMEWHERE not in second
    finally:
        # Undo the change, so that while the list is shared no later test sees it.
        first.remove(SOMEWHERE)


def test_a_caller_changing_the_region_choices_does_not_change_what_the_next_gets() -> None:
    first = region_choices("RU")
    first.append(SOMEWHERE)
    try:
        second = region_choices("RU")
        assert second is not first
        assert SOMEWHERE not in second
    finally:
        first.remove(SOMEWHERE)
