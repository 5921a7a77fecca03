"""The one rule for names Homeward can match, shared by the tracing forms and `homeward link`."""

from __future__ import annotations

import re

import pytest

from homeward.lib.scripts import UnreadableNameError, check_readable


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "李明",
            "“李明” is written in a script Homeward cannot match yet; "
            "write it in Latin, Cyrillic or Arabic letters.",
        ),
        (
            "Αμίνα",
            "“Αμίνα” is written in a script Homeward cannot match yet; "
            "write it in Latin, Cyrillic or Arabic letters.",
        ),
        (
            "Amинa",
            "“Amинa”: The name mixes letters of several scripts (Cyrillic, Latin). "
            "The letters и, н are Cyrillic in a Latin name: did you mean “Amina”?",
        ),
    ],
)
def test_a_name_homeward_cannot_match_is_refused_saying_why(name: str, message: str) -> None:
    with pytest.raises(UnreadableNameError) as caught:
        check_readable(name)
    assert str(caught.value) == message


@pytest.mark.parametrize("name", ["Amina Isaeva", "Амина Исаева", "أمينة عيسى", "O'Neil-2"])
def test_latin_cyrillic_and_arabic_names_pass(name: str) -> None:
    check_readable(name)


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("😀", "has signs that are not letters (😀)"),
        ("Ali 😀", "has signs that are not letters (😀)"),
        ("Амина ★", "has signs that are not letters (★)"),
        ("123", "has no letters"),
    ],
)
def test_signs_and_names_without_letters_are_refused(name: str, said: str) -> None:
    with pytest.raises(UnreadableNameError, match=re.escape(said)):
        check_readable(name)


@pytest.mark.parametrize("name", ["Ma´ruf Aliev", "O`Neil", "Абд-Аллах", "عبد الله"])
def test_the_signs_names_are_written_with_are_accepted(name: str) -> None:
    check_readable(name)
