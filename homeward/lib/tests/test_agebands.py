"""Age bands written as a short spec ("below-10,10,11-17,18+") or named by a preset."""

from __future__ import annotations

import pytest

from homeward.lib.agebands import (
    PRESETS,
    REPORT_BANDS,
    AgeBand,
    AgeBandError,
    band_for,
    parse_bands,
)


def labels(spec: str) -> list[str]:
    return [band.label for band in parse_bands(spec)]


# presets


def test_the_report_preset_uses_the_coordinating_authoritys_bands() -> None:
    assert PRESETS["report"] == REPORT_BANDS
    assert parse_bands("report") == [
        AgeBand("below 10", 0, 9),
        AgeBand("10", 10, 10),
        AgeBand("11-17", 11, 17),
        AgeBand("18+", 18, None),
    ]


def test_the_standard_preset_splits_the_youngest_children_further() -> None:
    assert parse_bands("standard") == [
        AgeBand("0-2", 0, 2),
        AgeBand("3-9", 3, 9),
        AgeBand("10", 10, 10),
        AgeBand("11-17", 11, 17),
        AgeBand("18+", 18, None),
    ]


def test_a_preset_name_may_have_spaces_around_it() -> None:
    assert parse_bands("  report\n") == parse_bands("report")


def test_a_preset_is_the_same_as_writing_out_its_spec() -> None:
    for name, spec in PRESETS.items():
        assert parse_bands(name) == parse_bands(spec)


def test_preset_names_are_case_sensitive() -> None:
    with pytest.raises(AgeBandError, match="'REPORT' is not understood"):
        parse_bands("REPORT")


def test_a_preset_name_cannot_be_combined_with_other_bands() -> None:
    with pytest.raises(AgeBandError, match="'report' is not understood"):
        parse_bands("report,18+")


# the four forms of a band


@pytest.mark.parametrize(
    ("spec", "band"),
    [
        ("3-9", AgeBand("3-9", 3, 9)),
        ("0-0", AgeBand("0-0", 0, 0)),
        ("10", AgeBand("10", 10, 10)),
        ("0", AgeBand("0", 0, 0)),
        ("18+", AgeBand("18+", 18, None)),
        ("0+", AgeBand("0+", 0, None)),
        ("below-10", AgeBand("below 10", 0, 9)),
        ("below-1", AgeBand("below 1", 0, 0)),
    ],
)
def test_each_form_of_band_parses_to_its_youngest_and_oldest_age(spec: str, band: AgeBand) -> None:
    assert parse_bands(spec) == [band]


def test_a_below_band_is_labelled_with_a_space_instead_of_the_hyphen() -> None:
    assert labels("below-10") == ["below 10"]


def test_spaces_around_bands_and_empty_bands_are_ignored() -> None:
    assert labels(" 0-2 , ,3-9,  ") == ["0-2", "3-9"]


def test_bands_keep_the_order_they_were_written_in() -> None:
    assert labels("18+,below-10,11-17,10") == ["18+", "below 10", "11-17", "10"]


def test_bands_may_leave_gaps_between_them() -> None:
    assert parse_bands("0-2,5-9") == [AgeBand("0-2", 0, 2), AgeBand("5-9", 5, 9)]


# errors


@pytest.mark.parametrize("spec", ["", "   ", ",", " , ,"])
def test_a_spec_with_no_bands_is_refused(spec: str) -> None:
    with pytest.raises(AgeBandError, match=r"^No age bands given\.$"):
        parse_bands(spec)


@pytest.mark.parametrize(
    "part",
    [
        "a",
        "ten",
        "-5",
        "+",
        "3-9+",
        "1-2-3",
        "3-",
        "-3-5",
        "below-",
        "below-x",
        "10.5",
        "-5+",
        "1_0",
        "1_0-17",
        "below-1_0",
        "+5",
        "3 - 9",
        "Below-10",
        "١٠",
        "٣-٩",
        "١٨+",
        "below-١٠",
        "１０",
    ],
)
def test_a_band_that_is_not_understood_is_named_with_examples_of_what_to_write(part: str) -> None:
    with pytest.raises(AgeBandError) as caught:
        parse_bands(f"0-2,{part}")
    assert str(caught.value) == (
        f"Age band {part!r} is not understood; write e.g. 3-9, 10, 18+ or below-10."
    )


def test_a_band_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(AgeBandError, match=r"^Age band '9-3' ends before it starts\.$"):
        parse_bands("9-3")


@pytest.mark.parametrize(
    ("spec", "lower", "upper"),
    [
        ("10,10", "10", "10"),
        ("0-5,3-9", "0-5", "3-9"),
        ("3-9,0-5", "0-5", "3-9"),
        ("0-5,5-9", "0-5", "5-9"),
        ("18+,20+", "18+", "20+"),
        ("18+,30", "18+", "30"),
        ("below-10,5", "below 10", "5"),
        ("below-10,0-2", "below 10", "0-2"),
        ("0-17,3-4,10", "0-17", "3-4"),
    ],
)
def test_overlapping_bands_are_refused_naming_both(spec: str, lower: str, upper: str) -> None:
    with pytest.raises(AgeBandError) as caught:
        parse_bands(spec)
    assert str(caught.value) == f"Age bands {lower!r} and {upper!r} overlap."


def test_an_age_band_error_is_a_value_error() -> None:
    assert issubclass(AgeBandError, ValueError)


@pytest.mark.parametrize("spec", ["below-0", "0-2,below-0"])
def test_a_below_band_that_holds_no_age_is_refused(spec: str) -> None:
    with pytest.raises(AgeBandError, match=r"^Age band 'below-0' holds no age\.$"):
        parse_bands(spec)


def test_an_open_band_cannot_start_at_a_negative_age() -> None:
    with pytest.raises(AgeBandError, match=r"^Age band '-5\+' is not understood"):
        parse_bands("-5+")


# AgeBand.contains and band_for


def test_a_band_contains_both_of_its_limits_and_nothing_outside() -> None:
    band = AgeBand("3-9", 3, 9)
    assert [age for age in range(0, 15) if band.contains(age)] == [3, 4, 5, 6, 7, 8, 9]


def test_an_open_band_has_no_upper_limit() -> None:
    band = AgeBand("18+", 18, None)
    assert not band.contains(17)
    assert band.contains(18)
    assert band.contains(120)


@pytest.mark.parametrize(
    ("age", "label"),
    [
        (0, "below 10"),
        (9, "below 10"),
        (10, "10"),
        (11, "11-17"),
        (17, "11-17"),
        (18, "18+"),
        (95, "18+"),
    ],
)
def test_band_for_finds_the_report_band_of_an_age(age: int, label: str) -> None:
    assert band_for(age, parse_bands("report")) == label


def test_every_age_falls_in_exactly_one_report_band() -> None:
    bands = parse_bands("report")
    for age in range(0, 121):
        assert sum(band.contains(age) for band in bands) == 1, age


def test_an_unknown_age_has_no_band() -> None:
    assert band_for(None, parse_bands("report")) is None


def test_an_age_in_a_gap_between_bands_has_no_band() -> None:
    bands = parse_bands("0-2,5-9")
    assert band_for(3, bands) is None
    assert band_for(10, bands) is None
    assert band_for(-1, bands) is None


def test_band_for_with_no_bands_finds_none() -> None:
    assert band_for(5, []) is None


@pytest.mark.parametrize("spec", ["99999999999999999999999999", "0-5000", "below-9999", "200+"])
def test_an_age_past_the_oldest_is_refused_by_name(spec: str) -> None:
    with pytest.raises(AgeBandError, match="past 120 years"):
        parse_bands(spec)


def test_the_oldest_age_is_still_a_band() -> None:
    assert parse_bands("18-120")[0].contains(120)
    assert parse_bands("below-121")[0].contains(120)
