"""Blocking on the further readings of names (Arabic order, other standards) and on places."""

from __future__ import annotations

from homeward.lib.ages import parse_birth
from homeward.matching.blocking import BlockIndex, blocking_keys
from homeward.matching.compare import (
    compare_names,
    name_vocabulary,
    prepare,
    with_readings_for,
)
from homeward.matching.names import name_forms
from homeward.matching.records import PersonRecord
from homeward.matching.scoring import DEFAULT_SETTINGS


def _child(id: str, name: str, birth: str = "2012") -> PersonRecord:
    return PersonRecord(id, (name,), "m", parse_birth(birth))


def _keys(record: PersonRecord) -> set[str]:
    return blocking_keys(prepare(record), DEFAULT_SETTINGS)


def test_a_childs_fathers_name_is_no_key_of_its_own() -> None:
    # Rasul, son of Magomed, of the Akhmedovs: not among the Magomeds born in 2012.
    keys = _keys(_child("c", "رسول محمد أحمدوف"))
    assert "y:rsl@2012" in keys and "y:hmdb@2012" in keys
    assert "y:mhmd@2012" not in keys


def test_a_name_whose_given_name_is_its_fathers_keeps_its_own_keys() -> None:
    # Adam son of Adam is one reading, not a father's name read as a word.
    keys = _keys(_child("c", "آدم آدم حسانوف"))
    assert {"y:dm@2012", "n:dm+hsnb"} <= keys


def test_given_and_fathers_name_block_together_and_father_and_family_only_for_three_words() -> None:
    child = prepare(_child("c", "حسين سعيد العلي"))
    index = BlockIndex([child], DEFAULT_SETTINGS)
    given_and_father = prepare(_child("r1", "Hussein Saeed"))
    three_words = prepare(_child("r2", "Husain Saeed Ali"))
    father_and_family = prepare(_child("r3", "Saeed Ali"))
    assert index.candidates(given_and_father) == {0}
    assert index.candidates(three_words) == {0}
    assert index.candidates(father_and_family) == set()


def test_a_typo_is_corrected_though_a_given_name_with_a_fathers_has_its_skeletons() -> None:
    # "Omaroia" (skeleton mr) for Omarova: Aisha daughter of Umar has the pair (s, mr),
    # but as her father's name, not her own; the typo is still corrected.
    true_child = prepare(_child("true", "Aisha Omarova"))
    umars_daughter = prepare(_child("other", "عائشة عمر قادييفا"))
    index = BlockIndex([umars_daughter, true_child], DEFAULT_SETTINGS)
    assert 1 in index.candidates(prepare(_child("r", "Айша Омароiа")))


def test_an_address_alone_finds_a_record_whose_names_and_birth_all_differ() -> None:
    left = prepare(
        PersonRecord(
            "a", ("david candida",), place="220 hinchcliffe place arawang malvern 3146 tas"
        )
    )
    same_address = PersonRecord(
        "b", ("alysaha hyland",), place="220 hinchcliffe place araawng malvern 3146 tas"
    )
    same_street = PersonRecord("c", ("nick ryan",), place="220 hinchcliffe place kambah 2902 act")
    index = BlockIndex([prepare(same_street), prepare(same_address)], DEFAULT_SETTINGS)
    # Four words of the address at least, not three: a street is shared by neighbours.
    assert index.candidates(left) == {1}


def test_readings_in_other_standards_are_kept_only_where_the_other_list_has_them() -> None:
    registry = [prepare(_child("c", "Михеев Алексей"))]
    vocabulary = name_vocabulary(registry)
    (kept,) = with_readings_for([prepare(_child("r", "Mixeev Aleksej"))], vocabulary)
    assert {"mikheev", "aleksei"} <= {token for form in kept.names for token in form.tokens}
    (english,) = with_readings_for([prepare(_child("r", "Hugh Smith"))], vocabulary)
    assert [form.text for form in english.names] == ["hugh smith"]
    assert compare_names(kept.names, registry[0].names) == "exact"


def test_the_plain_reading_of_an_arabic_name_needs_the_given_name_too() -> None:
    # Rasul Kurbanov against Ali, son of Rasul: the father's name agrees, the child's
    # own name does not; the reading with the father's name among the words adds nothing.
    child = name_forms(("علي رسول قربانوف",))
    assert compare_names(name_forms(("Rasul Kadiev",)), child) == "disagree"
    assert compare_names(name_forms(("Ali Rasul",)), child) == "phonetic agree"
