"""The script a name is written in, and the Latin spellings a name is searched by."""

# Cyrillic and Greek letters that look like Latin ones are the point of these tests.

from __future__ import annotations

import re

import pytest

from homeward.lib.scripts import (
    KNOWN_SCRIPTS,
    OTHER_SCRIPT,
    MixedScriptError,
    detect_script,
    search_key,
    search_variants,
)

# detect_script


def test_the_known_scripts_are_latin_cyrillic_and_arabic_by_iso_15924_code() -> None:
    assert KNOWN_SCRIPTS == {"Latn": "Latin", "Cyrl": "Cyrillic", "Arab": "Arabic"}
    assert OTHER_SCRIPT == "Zyyy"


@pytest.mark.parametrize(
    "name",
    ["Amina Isaeva", "Zoë Müller", "O'Neil", "Jean-Luc", "Amina 2012", "Əliyev", "Straße"],
)
def test_a_name_in_latin_letters_is_latin(name: str) -> None:
    assert detect_script(name) == "Latn"


@pytest.mark.parametrize(
    "name", ["Амина Исаева", "Ибрагимов-Исаев", "Амина (Аминат) 2", "Шамилёв", "ʼАмина"]
)
def test_a_name_in_cyrillic_letters_is_cyrillic(name: str) -> None:
    assert detect_script(name) == "Cyrl"


@pytest.mark.parametrize("name", ["أمينة عيسى", "آمنة", "أَمِينَة"])
def test_a_name_in_arabic_letters_is_arabic_with_or_without_vowel_marks(name: str) -> None:
    assert detect_script(name) == "Arab"


@pytest.mark.parametrize("text", ["", "   ", "123", "2012-05-03", "(?)", "ʼ"])
def test_text_without_letters_of_any_script_is_other(text: str) -> None:
    assert detect_script(text) == OTHER_SCRIPT


@pytest.mark.parametrize("name", ["Αλέξανδρος", "李小龍", "אמינה"])
def test_a_name_in_a_script_that_is_not_known_is_other(name: str) -> None:
    assert detect_script(name) == OTHER_SCRIPT


@pytest.mark.parametrize(
    ("name", "scripts"),
    [
        ("Amина", "Cyrillic, Latin"),
        ("Амина Isaeva", "Cyrillic, Latin"),
        ("Amina أمينة", "Arabic, Latin"),
        ("Амина أمينة", "Arabic, Cyrillic"),
        ("Amina 李", "Hani, Latin"),
    ],
)
def test_a_name_mixing_scripts_is_refused_naming_the_scripts(name: str, scripts: str) -> None:
    with pytest.raises(MixedScriptError) as caught:
        detect_script(name)
    assert str(caught.value) == f"The name mixes letters of several scripts ({scripts})."


def test_a_mixed_script_error_is_a_value_error() -> None:
    assert issubclass(MixedScriptError, ValueError)


# search_variants and search_key


def test_a_cyrillic_name_gives_its_bgn_pcgn_spelling_first_and_then_its_icao_spelling() -> None:
    assert search_variants("Амина Исаева") == ["amina isayeva", "amina isaeva"]
    assert search_variants("Юсупова") == ["yusupova", "iusupova"]
    assert search_variants("Цой") == ["tsoy", "tsoi"]


def test_a_latin_spelling_of_a_cyrillic_name_is_among_that_names_variants() -> None:
    # "The same name in Cyrillic and Latin" matches, but the keys are not equal: the
    # passport spelling is the ICAO variant, the newspaper spelling the BGN/PCGN one.
    variants = search_variants("Амина Исаева")
    assert search_key("Amina Isaeva") == "amina isaeva" == variants[1]
    assert search_key("Amina Isayeva") == "amina isayeva" == variants[0]
    assert search_key("Amina Isaeva") != search_key("Амина Исаева")


@pytest.mark.parametrize("name", ["Хасан", "Рамзан", "Шамиль", "Эльдар", "Щукин"])
def test_a_name_both_transliterations_spell_alike_gives_that_spelling_once(name: str) -> None:
    variants = search_variants(name)
    assert len(variants) == 1
    assert search_key(name) == variants[0]


@pytest.mark.parametrize(
    ("name", "variants"),
    [
        ("Хасан", ["khasan"]),
        ("Ахмед Ибрагимов", ["akhmed ibragimov"]),
        ("Мухаммад-Али", ["mukhammad ali"]),
        ("Рамзан", ["ramzan"]),
        ("Юсуп Шамилёв", ["yusup shamilev", "iusup shamilev"]),
        ("Αμίνα", ["amina"]),
        ("Αλέξανδρος", ["alexandros"]),
        ("李小龍", ["li xiao long"]),
    ],
)
def test_names_in_other_scripts_are_transliterated_to_latin(name: str, variants: list[str]) -> None:
    assert search_variants(name) == variants


@pytest.mark.parametrize(
    "name", ["Amina Isaeva", "amina isayeva", "Jean Luc", "Zoe Muller", "Amina 2"]
)
def test_a_name_in_plain_latin_letters_gives_itself_in_lower_case(name: str) -> None:
    assert search_variants(name) == [name.lower()]


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("AMINA ISAEVA", "amina isaeva"),
        ("Zoë Müller", "zoe muller"),
        ("Straße", "strasse"),
        ("İlkay", "ilkay"),
    ],
)
def test_the_key_is_lower_case_ascii_without_accents(name: str, key: str) -> None:
    assert search_key(name) == key


def test_composed_and_decomposed_accents_give_the_same_key() -> None:
    assert search_key("Zo\u00eb") == search_key("Zoe\u0308") == "zoe"


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("  Amina   Isaeva  ", "amina isaeva"),
        ("Amina\tIsaeva\n", "amina isaeva"),
        ("Amina\u00a0Isaeva", "amina isaeva"),
        ("Jean-Luc O'Neil", "jean luc oneil"),
        ("Мухаммад-Али", "mukhammad ali"),
        ("Isaeva, Amina (Aminat)", "isaeva amina aminat"),
    ],
)
def test_punctuation_and_runs_of_space_become_single_spaces(name: str, key: str) -> None:
    assert search_key(name) == key


@pytest.mark.parametrize("name", ["O'Neil", "O’Neil", "OʼNeil", "O`Neil", "OʻNeil"])
def test_an_apostrophe_inside_a_word_is_dropped_rather_than_splitting_it(name: str) -> None:
    assert search_variants(name) == ["oneil"]


def test_digits_are_kept_in_the_key() -> None:
    assert search_key("Amina 2") == "amina 2"
    assert search_key("1-2") == "1 2"


@pytest.mark.parametrize("text", ["", "   ", "-'()", "\n"])
def test_text_without_letters_or_digits_gives_no_variant_and_an_empty_key(
    text: str,
) -> None:
    # No empty variant: a search for "" would match every name.
    assert search_variants(text) == []
    assert search_key(text) == ""


@pytest.mark.parametrize(
    "name",
    [
        "Амина Исаева",
        "أمينة عيسى",
        "Αλέξανδρος",
        "Zoë Müller",
        "Юсуп Шамилёв",
        "李小龍",
        "Марьям",
        "Ильяс",
        "Jean-Luc O'Neil",
    ],
)
def test_every_variant_is_lower_case_ascii_letters_digits_and_single_spaces(name: str) -> None:
    variants = search_variants(name)
    assert variants
    for variant in variants:
        assert re.fullmatch(r"[a-z0-9]+( [a-z0-9]+)*", variant), variant


@pytest.mark.parametrize(
    "name", ["Амина Исаева", "Хасан", "Amina Isaeva", "Марьям", "أمينة", "李小龍", ""]
)
def test_the_key_is_every_variant_joined_by_a_bar_between_spaces(name: str) -> None:
    assert search_key(name) == " | ".join(search_variants(name))


def test_no_substring_search_on_a_key_spans_two_variants() -> None:
    key = search_key("Амина Исаева")
    assert key == "amina isayeva | amina isaeva"
    assert "isayeva amina" not in key
    assert all(variant in key for variant in search_variants("Амина Исаева"))


@pytest.mark.parametrize("name", ["Амина Исаева", "Юсуп Шамилёв", "Марьям", "Хасан", "أمينة"])
def test_each_variant_gives_itself_when_taken_again(name: str) -> None:
    for variant in search_variants(name):
        assert search_variants(variant) == [variant]
        assert search_key(variant) == variant


@pytest.mark.parametrize(
    ("name", "variants"),
    [("Ильяс", ["ilyas", "ilias"]), ("Марьям", ["maryam", "mariam"])],
    ids=["Ilyas", "Maryam"],
)
def test_a_soft_sign_is_dropped_and_does_not_split_a_name_into_two_words(
    name: str, variants: list[str]
) -> None:
    assert search_variants(name) == variants


def test_the_icao_spelling_writes_a_hard_sign_as_ie() -> None:
    assert search_variants("Подъячев")[-1] == "podieiachev"


@pytest.mark.parametrize("name", ["Подъячев", "Объедков"])
def test_a_hard_sign_does_not_split_a_name_into_two_words(name: str) -> None:
    assert all(" " not in variant for variant in search_variants(name))


@pytest.mark.parametrize("name", ["أَمِينَة", "أمـينة", "أمينة"], ids=["marked", "tatweel", "plain"])
def test_arabic_vowel_marks_and_the_tatweel_do_not_change_the_variants(name: str) -> None:
    assert search_variants(name) == ["amynt"]
