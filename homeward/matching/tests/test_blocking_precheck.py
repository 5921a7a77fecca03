"""The pre-check that ranks blocked candidates before the cap (`BlockIndex.pairs`)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from homeward.lib.ages import parse_birth
from homeward.matching.blocking import BlockIndex
from homeward.matching.compare import PreparedRecord, prepare
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


def test_scored_pairs_are_every_blocked_pair_and_pairs_keeps_the_best_scored() -> None:
    children = [_child(f"n{k}", (f"زاريما {family}",))
                for k, family in enumerate(("عمروفا", "قادييفا", "رسولوفا"))]  # fmt: skip
    children.append(_child("none", ()))
    index = BlockIndex(children, replace(DEFAULT_SETTINGS, max_candidates=2))
    left, right, score = index.scored_pairs([REQUEST])
    assert left.tolist() == [0, 0, 0, 0] and sorted(right.tolist()) == [0, 1, 2, 3]
    best = set(right[np.argsort(-score, kind="stable")][:2].tolist())
    assert index.candidates(REQUEST) == best == {1, 3}
