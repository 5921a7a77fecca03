"""Candidates, duplicates, explanations and blocking, on records in three scripts."""

from __future__ import annotations

import sys
from pathlib import Path

from homeward.lib.ages import parse_birth
from homeward.matching.blocking import BlockIndex, candidate_pairs
from homeward.matching.compare import prepare
from homeward.matching.engine import find_candidates, find_duplicates, score_pair
from homeward.matching.records import PersonRecord
from homeward.matching.scoring import DEFAULT_SETTINGS

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))
from bench_matching import generate

AMINA = PersonRecord(
    "child-1", ("أمينة علييفا",), "f", parse_birth("~6@2019-03-01"), ("فاطمة علييفا",)
)
KHAMZA = PersonRecord("child-2", ("حمزة عمروف",), "m", parse_birth("~4@2019-03-01"))
REQUEST = PersonRecord(
    "request-1", ("Алиева Амина",), "f", parse_birth("2012-05-03"), ("Патимат Алиева",),
    place="Махачкала",
)  # fmt: skip


def test_a_request_in_cyrillic_finds_the_child_registered_in_arabic() -> None:
    (best, *_) = find_candidates([REQUEST], [KHAMZA, AMINA])
    assert (best.left_id, best.right_id) == ("request-1", "child-1")
    assert best.score > DEFAULT_SETTINGS.threshold


def test_the_explanation_gives_each_fields_level_and_weight() -> None:
    candidate = score_pair(REQUEST, AMINA)
    by_field = {f.field: f for f in candidate.explanation.fields}
    assert by_field["names"].level == "phonetic agree" and by_field["names"].weight > 0
    assert by_field["mother"].level == "phonetic agree"
    assert by_field["place"].outcome == "missing"
    assert sum(f.weight for f in candidate.explanation.fields) == candidate.match_weight
    assert candidate.explanation.text.startswith("names: phonetic agree (+")
    assert "place: missing (0)" in candidate.explanation.text


def test_a_disagreeing_field_has_a_negative_weight() -> None:
    boy = PersonRecord("x", ("Amina Alieva",), "m", parse_birth("2001"))
    candidate = score_pair(REQUEST, boy)
    outcomes = {f.field: f.outcome for f in candidate.explanation.fields}
    assert outcomes["sex"] == outcomes["age"] == "disagreed"


def test_duplicates_are_found_once_each() -> None:
    copy = PersonRecord("child-3", ("Amina Aliyeva",), "f", parse_birth("2012"), ("Fatima",))
    pairs = [(c.left_id, c.right_id) for c in find_duplicates([AMINA, KHAMZA, copy])]
    assert pairs == [("child-1", "child-3")]


def test_blocking_keeps_true_pairs_and_far_fewer_than_n_squared() -> None:
    requests, children = generate(2000)
    left = [prepare(r) for r in requests]
    right = [prepare(c) for c in children]
    index = BlockIndex(right, DEFAULT_SETTINGS)
    found = {(left[i].id, right[j].id) for i, js in candidate_pairs(left, index) for j in js}
    kept = sum(1 for r in requests if (r.id, "c" + r.id[1:]) in found) / len(requests)
    assert kept >= 0.97
    assert len(found) < len(left) * len(right) / 20


def test_on_generated_data_the_true_child_ranks_in_the_top_five() -> None:
    requests, children = generate(1000)
    ranked = {}
    for candidate in find_candidates(requests, children):
        ranked.setdefault(candidate.left_id, []).append(candidate.right_id)
    found = sum("c" + r.id[1:] in ranked.get(r.id, []) for r in requests)
    assert found / len(requests) >= 0.9
