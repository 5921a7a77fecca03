"""Pet names (Sasha, Masha, Maga) agree with the full names they stand for, in Latin,
Cyrillic and Arabic script, and with nothing else they did not agree with before."""

from __future__ import annotations

import pytest

from homeward.lib.scripts import passport_latin, search_variants
from homeward.matching.compare import (
    NAME_EXACT,
    NAME_FAMILY_ONLY,
    NAME_PHONETIC,
    NAME_SIMILAR,
    compare_names,
)
from homeward.matching.engine import score_pair
from homeward.matching.names import (
    DIMINUTIVES,
    _latin_readings,
    form_from_latin,
    name_forms,
    skeleton,
)
from homeward.matching.records import PersonRecord


def level(left: str, right: str) -> str:
    return compare_names(name_forms((left,)), name_forms((right,)))


@pytest.mark.parametrize("pet", ["Sasha Ivanov", "Саша Иванов", "Шура Иванов", "Sascha Ivanov"])
@pytest.mark.parametrize("full", ["Александр Иванов", "Aleksandr Ivanov", "Иванов Александр"])
def test_sasha_is_aleksandr(pet: str, full: str) -> None:
    assert level(pet, full) == NAME_EXACT


def test_sasha_is_aleksandr_in_a_register_in_arabic_script() -> None:
    # ألكسندر إيفانوف reads "alksndr ayfanwf": the consonants of Aleksandr Ivanov.
    assert level("Саша Иванов", "ألكسندر إيفانوف") == NAME_PHONETIC


def test_the_engine_scores_sasha_ivanov_as_aleksandr_ivanov() -> None:
    left = PersonRecord(id="a", names=("Александр Иванов",))
    right = PersonRecord(id="b", names=("Sasha Ivanov",))
    (names, *_) = score_pair(left, right).explanation.fields
    assert (names.field, names.level) == ("names", NAME_EXACT)


@pytest.mark.parametrize(
    "pet, full, expected",
    [
        ("Маша", "Мария", NAME_EXACT),
        ("Маша Петрова", "Мария Петрова", NAME_EXACT),
        ("Masha Petrova", "Мария Петрова", NAME_EXACT),
        ("Masha Petrova", "Maria Petrova", NAME_SIMILAR),  # mariya, a letter from maria
        ("Маша Петрова", "ماريا بتروفا", NAME_PHONETIC),
    ],
)
def test_masha_is_mariya(pet: str, full: str, expected: str) -> None:
    assert level(pet, full) == expected


@pytest.mark.parametrize(
    "pet, full",
    [
        ("Kolya Sidorov", "Николай Сидоров"),
        ("Kolia Sidorov", "Nikolai Sidorov"),  # ICAO, as in a passport
        ("Kolja Sidorov", "Николай Сидоров"),  # German j
        ("Lyosha Petrov", "Алексей Петров"),  # yo for ё, which ICU writes e
        ("Alyosha Petrov", "Алексей Петров"),
        ("Seryozha Orlov", "Сергей Орлов"),
        ("Женя Орлова", "Евгения Орлова"),
        ("Катя Смирнова", "Екатерина Смирнова"),
        ("Люба Смирнова", "Любовь Смирнова"),
        ("Мага Алиев", "Магомед Алиев"),
        ("Maga Aliev", "Muhammad Aliev"),
    ],
)
def test_other_spellings_of_pet_names(pet: str, full: str) -> None:
    assert level(pet, full) == NAME_EXACT


@pytest.mark.parametrize("pet, fulls", sorted(DIMINUTIVES.items()))
def test_every_pet_name_agrees_with_its_full_names(pet: str, fulls: tuple[str, ...]) -> None:
    for full in fulls:
        for spelling in (pet, passport_latin(pet), *search_variants(pet)):
            assert level(spelling, full) == NAME_EXACT, (spelling, full)


def test_a_pet_name_still_agrees_with_itself_and_another_of_its_name() -> None:
    assert level("Саша Иванов", "Sasha Ivanov") == NAME_EXACT
    assert level("Саша Иванов", "Шура Иванов") == NAME_EXACT  # both Aleksandr


@pytest.mark.parametrize(
    "left, right",
    [
        ("Sasha Ivanov", "Mikhail Ivanov"),
        ("Саша Иванов", "Михаил Иванов"),
        ("Sasha Ivanov", "Misha Ivanov"),
        ("Маша Петрова", "Наталья Петрова"),
    ],
)
def test_a_pet_name_does_not_make_two_full_names_agree(left: str, right: str) -> None:
    assert level(left, right) == NAME_FAMILY_ONLY


@pytest.mark.parametrize(
    "name", ["Иван Петров", "Ivan Petrov", "Амина Алиева", "أمينة علييفا", "Alexander Müller"]
)
def test_a_name_that_is_not_a_pet_name_gains_no_reading(name: str) -> None:
    own = {form_from_latin(latin) for latin in _latin_readings(name, as_name=True)[0]}
    assert set(name_forms((name,))) == own


def test_a_pet_name_gains_one_reading_per_spelling_of_each_full_name() -> None:
    assert [form.text for form in name_forms(("Sasha Ivanov",))] == [
        "ivanov sasha",
        "aleksandr ivanov",
        "aleksandra ivanov",
    ]
    # Коля: kolya (BGN/PCGN), kolia (ICAO); Николай: nikolay, nikolai.
    assert {form.given for form in name_forms(("Коля",))} == {
        "kolya",
        "kolia",
        "nikolay",
        "nikolai",
    }


def test_only_the_given_name_is_read_as_a_pet_name() -> None:
    # A patronymic keeps naming the father in every reading.
    forms = name_forms(("Саша Петрович Иванов",))
    assert {form.father_hint for form in forms} == {"petr"}
    assert {"aleksandr", "ivanov"} in [form.tokens for form in forms]


def test_an_english_alexander_is_the_russian_aleksandr_and_so_sasha() -> None:
    # x is read as ks: Alexander and Aleksandr have one skeleton.
    assert skeleton("alexander") == skeleton("aleksandr") == "lksndr"
    assert compare_names(name_forms(("Alexander Ivanov",)), name_forms(("Александр Иванов",))) in (
        NAME_EXACT,
        NAME_SIMILAR,
        NAME_PHONETIC,
    )
