"""The pre-check that ranks blocked candidates before the cap (`BlockIndex.pairs`)."""

from __future__ import annotations

from dataclasses import replace

from homeward.lib.ages import parse_birth
from homeward.matching.blocking import BlockIndex, blocking_keys
from homeward.matching.compare import PreparedRecord, compare_ages, prepare
from homeward.matching.records import PersonRecord
from homeward.matching.scoring import DEFAULT_SETTINGS

REQUEST = prepare(
    PersonRecord("r", ("Амина Алиева",), "f", parse_birth("2012"), ("Зарема Кадиева",))
)


def _child(id: str, mother: tuple[str, ...]) -> PreparedRecord:
    return prepare(PersonRecord(id, ("أمينة علييفا",), "f", parse_birth("2012"), mother))


def test_a_namesake_whose_mother_shares_one_word_falls_below_a_child_with_no_mother() -> None:
    # Three namesakes whose mothers are also called Zarema, but another family: one word
    # of two agrees, which the priors weigh as slightly against a match.
    namesakes = [_child(f"n{k}", (f"زاريما {family}",))
                 for k, family in enumerate(("عمروفا", "موساييفا", "رسولوفا"))]  # fmt: skip
    true_child = _child("child", ())
    settings = replace(DEFAULT_SETTINGS, max_candidates=1)
    index = BlockIndex([*namesakes, true_child], settings)
    assert index.candidates(REQUEST) == {3}


def test_a_namesake_whose_mothers_whole_name_agrees_stays_first() -> None:
    same_mother = _child("same", ("زاريما قادييفا",))
    one_word = _child("one", ("زاريما عمروفا",))
    no_mother = _child("none", ())
    settings = replace(DEFAULT_SETTINGS, max_candidates=1)
    index = BlockIndex([one_word, no_mother, same_mother], settings)
    assert index.candidates(REQUEST) == {2}


def test_a_mother_of_one_word_that_agrees_is_not_taken_for_one_word_of_two() -> None:
    # The register wrote only the mother's given name: nothing in it disagrees, so the
    # rarity of the shared word counts, above a record that names no mother.
    given_only = _child("given", ("زاريما",))
    no_mother = _child("none", ())
    index = BlockIndex([no_mother, given_only], replace(DEFAULT_SETTINGS, max_candidates=1))
    assert index.candidates(REQUEST) == {1}


def test_both_words_of_the_mother_agreeing_count_when_the_whole_name_key_overflows() -> None:
    # Other children of a Zarema Kadieva called Amina, or Alieva, overflow the blocks of
    # one child's word with the mother's whole name: the two names_mother words still
    # say that the whole name agrees.
    same_mother = _child("same", ("زاريما قادييفا",))
    one_word = _child("one", ("زاريما عمروفا",))
    no_mother = _child("none", ())
    others = [
        prepare(PersonRecord(f"o{k}", (name,), "f", parse_birth("2005"), ("Зарема Кадиева",)))
        for k, name in enumerate(("Амина Умарова", "Амина Мусаева", "Фатима Алиева", "Хава Алиева"))
    ]
    settings = replace(DEFAULT_SETTINGS, max_candidates=1, max_block_size=2)
    index = BlockIndex([one_word, no_mother, same_mother, *others], settings)
    assert index.candidates(REQUEST) == {2}


def test_an_estimated_age_whose_likeliest_year_holds_the_birth_goes_first() -> None:
    # Both children were estimated at about 6, give or take a year, six months apart: the
    # request's 2013 is the likeliest year of the second estimate and the edge of the
    # first ("middles agree" against "ranges overlap", as the full comparison says).
    request = prepare(PersonRecord("r", ("Амина Алиева",), "f", parse_birth("2013")))
    edge, middle = (
        prepare(PersonRecord(id, ("أمينة علييفا",), "f", parse_birth(f"~6±1@{on}")))
        for id, on in (("edge", "2020-12-01"), ("middle", "2019-12-01"))
    )
    assert compare_ages(request.birth, edge.birth) == "ranges overlap"
    assert compare_ages(request.birth, middle.birth) == "middles agree"
    index = BlockIndex([edge, middle], replace(DEFAULT_SETTINGS, max_candidates=1))
    assert index.candidates(request) == {1}


def test_a_father_who_agrees_is_not_counted_against_the_child_when_his_keys_overflow() -> None:
    # Amina, daughter of Umar, of the Alievs, and a namesake whose father is Ibrahim: the
    # keys on Umar with Amina, and with Aliev, are shared by too many children to be used.
    request = prepare(
        PersonRecord("r", ("Амина Алиева",), "f", parse_birth("2012"), father=("Умар Алиев",))
    )
    namesake = prepare(PersonRecord("n", ("أمينة إبراهيم علييفا",), "f", parse_birth("2012")))
    child = prepare(PersonRecord("c", ("أمينة عمر علييفا",), "f", parse_birth("2012")))
    others = [("أمينة", "عمروفا"), ("أمينة", "موساييفا"), ("حواء", "علييفا"), ("فاطمة", "علييفا")]
    umars = [prepare(PersonRecord(f"o{k}", (f"{given} عمر {family}",), "f", parse_birth("2005")))
             for k, (given, family) in enumerate(others)]  # fmt: skip
    rules = tuple(rule for rule in DEFAULT_SETTINGS.blocking_rules if rule != "names_father")
    settings = replace(DEFAULT_SETTINGS, max_candidates=1, max_block_size=2, blocking_rules=rules)
    index = BlockIndex([namesake, child, *umars], settings)
    fathers = {key for key in blocking_keys(request, settings) if key.startswith("f:")}
    assert fathers and not fathers & set(index.blocks)  # every key on the father overflowed
    assert index.candidates(request) == {1}
