"""Blocking a year of birth against an estimated age on one name word (`name_in_estimate`)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from homeward.lib.ages import parse_birth
from homeward.matching.blocking import BlockIndex
from homeward.matching.compare import prepare
from homeward.matching.engine import candidates_by_left
from homeward.matching.records import UNKNOWN_BIRTH, PersonRecord
from homeward.matching.scoring import DEFAULT_SETTINGS

ABOUT_8 = "~8±1@2019-03-01"  # born 2009-03-02 to 2012-03-01


def _record(id: str, name: str, birth: str) -> PersonRecord:
    return PersonRecord(id, (name,), None, parse_birth(birth) if birth else UNKNOWN_BIRTH)


def _candidates(request: PersonRecord, *registered: PersonRecord) -> set[int]:
    index = BlockIndex([prepare(child) for child in registered], DEFAULT_SETTINGS)
    return index.candidates(prepare(request))


def test_one_word_and_a_year_find_a_child_whose_age_was_estimated() -> None:
    # Sophonisba is Wikidata's translation of صفنبعل, not its letters: only Hayek and
    # the year are left to find him by.
    child = _record("c", "حايك نصيف صفنبعل", ABOUT_8)
    assert _candidates(_record("r", "Hayek Sophonisba", "2010"), child) == {0}
    assert _candidates(_record("r", "Hayek Sophonisba", "2009-05-04"), child) == {0}


def test_the_engine_ranks_such_a_child_first() -> None:
    child = _record("c", "حايك نصيف صفنبعل", ABOUT_8)
    other = _record("o", "نصيف حايك عمران", "~3±1@2019-03-01")
    settings = replace(DEFAULT_SETTINGS, threshold=0.0)
    (found,) = candidates_by_left([_record("r", "Hayek Sophonisba", "2010")], [other, child],
                                  settings)  # fmt: skip
    assert [candidate.right_id for candidate in found][:1] == ["c"]


def test_a_year_outside_the_estimate_finds_no_child_by_one_word() -> None:
    child = _record("c", "حايك نصيف صفنبعل", ABOUT_8)
    assert _candidates(_record("r", "Hayek Sophonisba", "2014"), child) == set()
    assert _candidates(_record("r", "Hayek Sophonisba", "2007"), child) == set()


def test_two_estimates_or_an_unknown_birth_do_not_block_on_one_word() -> None:
    # Duplicates of a registry of estimated ages would otherwise pair every Hayek of an
    # age with every other: two estimates block on two words, as before.
    child = _record("c", "حايك نصيف صفنبعل", ABOUT_8)
    assert _candidates(_record("r", "Hayek Sophonisba", ABOUT_8), child) == set()
    assert _candidates(_record("r", "Hayek Sophonisba", ""), child) == set()
    assert _candidates(_record("r", "Hayek Nassif", ABOUT_8), child) == {0}


def test_a_year_against_a_year_is_left_to_name_year() -> None:
    child = _record("c", "حايك نصيف صفنبعل", "2010")
    index = BlockIndex([prepare(child)], DEFAULT_SETTINGS)
    assert not any(key.startswith("ye:") for key in index.blocks)


def test_a_misspelt_rule_is_refused_not_ignored() -> None:
    settings = replace(DEFAULT_SETTINGS, blocking_rules=("name_in_estimat",))
    with pytest.raises(ValueError, match="name_in_estimat"):
        BlockIndex([], settings)
