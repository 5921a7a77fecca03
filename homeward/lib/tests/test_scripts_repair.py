"""Names that mix scripts by accident: the foreign letters are named, and read in the
script most of the name is in when that is obvious."""

from __future__ import annotations

import pytest

from homeward.lib.scripts import majority_script, repair_mixed_script


@pytest.mark.parametrize(
    ("name", "repaired", "foreign"),
    [
        ("Fёkla", "Fekla", ("ё",)),  # left behind by transliteration software (ICAO: e)
        ("ARTЁMOVICH", "ARTEMOVICH", ("Ё",)),
        ("Аmina", "Amina", ("А",)),  # a Cyrillic А typed for a Latin A
        ("Maгomed", "Magomed", ("г",)),  # no Latin look-alike: read as a passport writes it
        ("Xадижат", "Хадижат", ("X",)),  # a Latin X typed for a Cyrillic Х
        ("Муaа Умаров", "Муаа Умаров", ("a",)),
    ],
)
def test_stray_letters_are_read_in_the_names_own_script(
    name: str, repaired: str, foreign: tuple[str, ...]
) -> None:
    repair = repair_mixed_script(name)
    assert repair is not None
    assert (repair.text, repair.foreign) == (repaired, foreign)


@pytest.mark.parametrize(
    "name",
    [
        "Amina",  # one script: nothing to repair
        "Ali علي",  # Arabic among Latin: no obvious reading
        "Amин",  # as many letters of each script: no name's own script
        "Мухаmmad",  # a Latin m has no Cyrillic look-alike
    ],
)
def test_names_without_an_obvious_reading_are_not_repaired(name: str) -> None:
    assert repair_mixed_script(name) is None


def test_the_majority_script_is_the_one_of_more_than_half_the_letters() -> None:
    assert majority_script("Fёkla") == ("Latn", ["ё"])
    assert majority_script("Amиna") == ("Latn", ["и"])
    assert majority_script("Amин") == (None, [])
