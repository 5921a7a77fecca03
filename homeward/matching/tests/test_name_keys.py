"""Name keys: what a database stores of a name so that a search finds it as the engine
reads it (issue 17). Pure: no database."""

from __future__ import annotations

import subprocess  # nosec B404: runs this interpreter on a fixed snippet
import sys

import pytest

from homeward.matching.compare import NAME_LEVELS
from homeward.matching.name_keys import (
    WORD,
    NameQuery,
    form_of,
    name_keys,
    neighbours,
    read_query,
    reading_text,
    stored_readings,
)
from homeward.matching.names import name_forms, skeleton


def found(registered: list[str], text: str, others: tuple[str, ...] = ()) -> int | None:
    """What a database holding the keys of a person known by `registered`, and of other
    people named `others`, answers to `text` for that person: the rank, or None."""
    keys = set(name_keys(registered))
    known = keys.union(*(name_keys([other]) for other in others))
    query = read_query(text)
    assert query is not None
    found = bool(keys & set(query.keys()))
    typos = query.typos(lambda word: WORD + word in known, found=found)
    if not found and not keys & set(query.near_keys(typos)):
        return None
    return query.with_typos(typos).rank(stored_readings(keys))


@pytest.mark.parametrize(
    ("registered", "searched"),
    [
        ("Хадижат Магомедовна Саидова", "Khadijat Saidova"),  # j for ж, the patronymic left out
        ("Хадижат Магомедовна Саидова", "Saidova Xadijat"),  # GOST 7.79 B, surname first
        ("Магомед Дадаев", "Magomed Dadajev"),
        ("Юсуп Ахмедов", "Akhmedov Yusup"),
        ("Алексей Владиславович Орехов", "Aleksej Vladislavovič Orehov"),  # ISO 9
        ("Анна Зуева", "Anna Zoueva"),  # French
        ("حسين سعيد الديواني", "حسين الديواني"),  # Arabic, without the father's name
        ("حسين سعيد الديواني", "Hussein Aldiwani"),
        ("حيدر الديواني", "Hayder Aldiwani"),
        ("اياد عوض", "Eiad Awad"),
        ("عبد اللطيف", "Abdul Latif"),
        ("أمينة", "Amina"),  # Arabic script without vowels
        ("Хадижат Саидова", "Khadizhat Sainova"),  # a typo
        ("Хадижат Саидова", "Khadishat Saidova"),
        ("أبو حطاب صالح", "Abo Hattab Saleh"),  # Abo for أبو
        ("جواد الموسوي", "Javad Mousavi"),  # Persian v for و
        ("ضياء جواد الربيعي", "Dhiaa Jawad"),  # Iraqi dh for ض beside j for ج
        ("قاسم جواد", "Gassim Jawad"),  # Gulf g for ق beside j for ج
        ("عبد الرحمن صالح", "Abed Al-Rahman Saleh"),  # Levantine Abed for عبد
        ("أبو بكر حسن", "Abû Bakr Hassan"),  # a circumflex for a long vowel
        ("عابد كريم", "Abid Karim"),  # عابد is no Abd compound
        ("حاجي بكتاش", "Hacı Bektaş"),  # Turkish c for ج
    ],
)
def test_a_search_finds_what_the_engine_reads_as_the_same_name(
    registered: str, searched: str
) -> None:
    assert found([registered], searched) is not None


@pytest.mark.parametrize(
    ("registered", "searched"),
    [
        ("Хадижат Алиева", "Khadizhat Saidova"),
        ("Магомед Алиев", "Khalid Aliev"),
    ],
)
def test_a_search_does_not_find_another_name(registered: str, searched: str) -> None:
    assert found([registered], searched) is None


def test_a_short_word_is_a_typo_only_when_no_stored_name_has_it() -> None:
    """As the engine reads typos: Aliyeva (lb) is a letter from Isaeva (sb), and in a
    registry with no Aliyeva may be a typo of it; with one, it is another name."""
    assert found(["Амина Исаева"], "Amina Aliyeva") == NAME_LEVELS.index("phonetic close")
    assert found(["Амина Исаева"], "Amina Aliyeva", others=("Патимат Алиева",)) is None


def test_the_spelling_as_written_ranks_above_another_script() -> None:
    latin, arabic = "Khadizhat Alieva", "خديجة علييفا"
    assert found([latin], latin) == NAME_LEVELS.index("exact")
    assert found([arabic], latin) == NAME_LEVELS.index("phonetic agree")
    assert found([arabic], arabic) == NAME_LEVELS.index("exact")


def test_a_reading_is_stored_as_text_that_reads_back_to_the_same_form() -> None:
    names = ("Хадижат Магомедовна Саидова", "خديجة محمد سعيد", "Sasha Ivanov", "Abd al-Latif")
    for form in name_forms(names):
        assert form_of(reading_text(form)) == form


def test_the_keys_are_readings_words_and_pairs_of_words() -> None:
    keys = name_keys(["Юсуп Ахмедов"])
    assert "p:hmdb+sb" in keys and {"w:hmdb", "w:sb"} <= set(keys)
    assert any(key.startswith("r:yusuf ") for key in keys)
    assert name_keys([]) == [] and name_keys(["Юсуп Ахмедов"]) == name_keys([" Юсуп  Ахмедов "])


def test_a_search_of_one_word_looks_up_the_word_and_of_more_each_pair() -> None:
    amina, yusup = read_query("Amina"), read_query("Akhmedov Yusup")
    assert isinstance(amina, NameQuery) and isinstance(yusup, NameQuery)
    assert (amina.words, amina.keys()) == (1, ["w:mn"])
    assert (yusup.words, yusup.keys()) == (2, ["p:hmdb+sb"])
    assert read_query("!? —") is None


def test_neighbours_are_skeletons_one_letter_away() -> None:
    near = neighbours("sdb")
    assert {"snb", "sd", "db", "sdbn", "dsb"} <= near
    assert "sdb" not in near and "ssb" not in near  # never a doubled letter, as skeletons
    assert all(len(key) >= 2 for key in near)
    assert skeleton("sainov") in near


@pytest.mark.parametrize("found_as_written", [True, False])
def test_a_long_text_looks_up_a_bounded_number_of_keys(found_as_written: bool) -> None:
    letters = "bdklmnrst"
    text = " ".join(f"{a}a{b}a{c}" for a in letters for b in letters for c in "lmnrst")  # 486
    query = read_query(text)
    assert query is not None and query.words <= 8
    typos = query.typos(lambda word: False, found=found_as_written)
    assert len(query.keys()) <= 28 * len(query.forms)
    assert len(query.near_keys(typos)) == 0  # no reading of eight words is read for typos
    short = read_query("Barak Berek Birik")
    assert short is not None
    assert len(short.near_keys(short.typos(lambda word: False, found=False))) < 1000
    long_word = read_query("Saidova" * 15_000)  # over 100,000 characters
    assert long_word is not None
    assert long_word.near_keys(long_word.typos(lambda word: False, found=False)) == []


def test_the_module_never_imports_django() -> None:
    code = "import sys, homeward.matching.name_keys; print('django' in sys.modules)"
    result = subprocess.run(  # nosec B603: this interpreter, a fixed snippet
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
