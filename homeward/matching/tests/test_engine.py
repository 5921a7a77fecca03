"""Candidates, duplicates, explanations and blocking, on records in three scripts."""

from __future__ import annotations

import gc
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from homeward.lib.ages import parse_birth
from homeward.matching import engine
from homeward.matching.batch import Table, compare_pairs, vector_codes, vector_of
from homeward.matching.blocking import BlockIndex, candidate_pairs
from homeward.matching.compare import PreparedRecord, compare_records, prepare
from homeward.matching.engine import (
    candidates_by_left,
    find_candidates,
    find_duplicates,
    score_pair,
    train,
)
from homeward.matching.records import PersonRecord
from homeward.matching.scoring import DEFAULT_SETTINGS, prior_model

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


def test_two_registrations_alone_are_checked_with_the_prior_model() -> None:
    # No random pair of different records to learn u from: the priors stand in.
    copy = PersonRecord("child-3", ("Amina Aliyeva",), "f", parse_birth("2012"), ("Fatima",))
    pairs = [(c.left_id, c.right_id) for c in find_duplicates([AMINA, copy])]
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


def test_two_children_who_look_alike_share_the_probability() -> None:
    twin = replace(AMINA, id="child-9")
    alone = score_pair(REQUEST, AMINA).score
    everything = replace(DEFAULT_SETTINGS, threshold=0.0)
    found = find_candidates([REQUEST], [AMINA, twin, KHAMZA], everything)
    shared = {c.right_id: c.score for c in found if c.right_id != "child-2"}
    assert set(shared) == {"child-1", "child-9"}
    assert shared["child-1"] == shared["child-9"] < alone / 2 + 0.01


def test_a_child_ruled_out_is_not_proposed_and_takes_no_share() -> None:
    twin = replace(AMINA, id="child-9")
    everything = replace(DEFAULT_SETTINGS, threshold=0.0)
    model = prior_model()
    alone = {
        c.right_id: c.score for c in find_candidates([REQUEST], [AMINA, KHAMZA], everything, model)
    }
    found = find_candidates(
        [REQUEST], [AMINA, twin, KHAMZA], everything, model, excluded={("request-1", "child-9")}
    )
    scores = {c.right_id: c.score for c in found}
    assert "child-9" not in scores
    assert scores["child-1"] == pytest.approx(alone["child-1"])
    assert scores["child-1"] > 0.9


def test_namesakes_alike_in_every_level_rank_by_the_nearer_birth() -> None:
    # Both births are within half a year of the estimated age's middle (September 2012),
    # so both "middles agree"; September 2012 is nearer than 2012 (whose middle is July),
    # though "a-far" sorts first.
    request = replace(REQUEST, birth=parse_birth("~6±1@2019-03-01"), mother=(), place=None)
    near = replace(AMINA, id="z-near", birth=parse_birth("2012-09"), mother=())
    far = replace(AMINA, id="a-far", birth=parse_birth("2012"), mother=())
    everything = replace(DEFAULT_SETTINGS, threshold=0.0)
    found = list(find_candidates([request], [far, near], everything))
    assert [c.right_id for c in found] == ["z-near", "a-far"]
    assert found[0].explanation == found[1].explanation


def test_a_mother_spelled_as_requested_outranks_one_whose_consonants_only_agree() -> None:
    # Aisha and آسية (Asiya) have the skeleton "s" both: the mothers are "phonetic agree"
    # alike, and the namesake whose mother is Asiya is born nearer the request and sorts
    # first. The request spells the mother Aisha, as عائشة reads.
    request = replace(REQUEST, mother=("Аиша Алиева",), place=None)
    asiya = replace(AMINA, id="a-asiya", birth=parse_birth("2012-05"), mother=("آسية علييفا",))
    aisha = replace(AMINA, id="z-aisha", birth=parse_birth("2012"), mother=("عائشة علييفا",))
    everything = replace(DEFAULT_SETTINGS, threshold=0.0)
    found = list(find_candidates([request], [asiya, aisha], everything))
    assert [c.right_id for c in found] == ["z-aisha", "a-asiya"]
    assert found[0].explanation == found[1].explanation
    assert found[0].explanation.fields[3].level == "phonetic agree"


def test_namesakes_alike_in_every_level_rank_by_the_words_they_share() -> None:
    # Both are "phonetic agree": the two words of حسونة عوفر عريجي's plain reading are
    # among the request's, as all three of حسناء رحو رمضان's are; only the second has
    # Ramadan, though "a-hasuna" sorts first and both are born alike.
    request = PersonRecord("r", ("Hasnaa Raho Ramadan",), None, parse_birth("2012"))
    hasuna = PersonRecord("a-hasuna", ("حسونة عوفر عريجي",), None, parse_birth("~6@2019-03-01"))
    hasnaa = PersonRecord("z-hasnaa", ("حسناء رحو رمضان",), None, parse_birth("~6@2019-03-01"))
    everything = replace(DEFAULT_SETTINGS, threshold=0.0)
    found = list(find_candidates([request], [hasuna, hasnaa], everything))
    assert [c.right_id for c in found] == ["z-hasnaa", "a-hasuna"]
    assert found[0].explanation == found[1].explanation


def test_a_child_whose_every_word_is_read_outranks_a_namesake_with_a_nearer_age() -> None:
    # Both are "phonetic agree"; حسونة عوفر عريجي (Hasuna, son of Awfar) leaves Ramadan
    # over and his estimated age's likeliest year holds 2012 ("middles agree"), while
    # حسناء رحو رمضان's estimate holds it only at its edge ("ranges overlap"). The word
    # left over outweighs one age level, as a finer names level would.
    request = PersonRecord("r", ("Hasnaa Raho Ramadan",), None, parse_birth("2012"))
    hasuna = PersonRecord("a-hasuna", ("حسونة عوفر عريجي",), None, parse_birth("~6±1@2019-03-01"))
    hasnaa = PersonRecord("z-hasnaa", ("حسناء رحو رمضان",), None, parse_birth("~7±1@2019-03-01"))
    everything = replace(DEFAULT_SETTINGS, threshold=0.0)
    found = {c.right_id: c for c in find_candidates([request], [hasuna, hasnaa], everything)}
    levels = {key: {f.field: f.level for f in c.explanation.fields} for key, c in found.items()}
    assert levels["a-hasuna"]["names"] == levels["z-hasnaa"]["names"] == "phonetic agree"
    assert (levels["a-hasuna"]["age"], levels["z-hasnaa"]["age"]) == (
        "middles agree",
        "ranges overlap",
    )
    assert found["a-hasuna"].match_weight > found["z-hasnaa"].match_weight
    assert list(found) == ["z-hasnaa", "a-hasuna"]
    assert found["z-hasnaa"].score > found["a-hasuna"].score  # the shares follow the order


def test_a_word_left_over_does_not_outweigh_a_birth_that_disagrees() -> None:
    # The same namesake against a حسناء رحو رمضان born seven years before: the age that
    # disagrees still decides, as it does without the word left over.
    request = PersonRecord("r", ("Hasnaa Raho Ramadan",), None, parse_birth("2012"))
    hasuna = PersonRecord("a-hasuna", ("حسونة عوفر عريجي",), None, parse_birth("~6±1@2019-03-01"))
    older = PersonRecord("z-hasnaa", ("حسناء رحو رمضان",), None, parse_birth("2005"))
    everything = replace(DEFAULT_SETTINGS, threshold=0.0)
    found = list(find_candidates([request], [older, hasuna], everything))
    assert [c.right_id for c in found] == ["a-hasuna", "z-hasnaa"]


def test_a_child_two_of_whose_words_are_read_outranks_a_namesake_a_letter_apart() -> None:
    # "Samir Nabil Hasan" against سمير نبيل العبري: two words read, the third another
    # word ("one word agrees", which says one word agrees, not how many); against سمير
    # نابلسي حسام every word is a letter apart ("phonetic close") and only Samir is read.
    # Each word read past the first counts as a word left over costs. حسن عمر makes
    # Hasan a word of the registry, not a likely typo.
    request = PersonRecord("r", ("Samir Nabil Hasan",), None, parse_birth("2012"))
    child = PersonRecord("z-child", ("سمير نبيل العبري",), None, parse_birth("~6±1@2019-03-01"))
    other = PersonRecord("a-other", ("سمير نابلسي حسام",), None, parse_birth("~7±1@2019-03-01"))
    hasan = PersonRecord("m-hasan", ("حسن عمر",), None, parse_birth("2001"))
    everything = replace(DEFAULT_SETTINGS, threshold=0.0)
    found = list(find_candidates([request], [other, child, hasan], everything))
    levels = {c.right_id: c.explanation.fields[0].level for c in found}
    assert (levels["z-child"], levels["a-other"]) == ("one word agrees", "phonetic close")
    assert [c.right_id for c in found][:2] == ["z-child", "a-other"]
    assert found[0].score > found[1].score  # the shares follow the order


def test_a_namesake_with_one_word_read_gains_nothing() -> None:
    # سمير عمر حداد shares Samir alone: no word past the first, so the child with
    # two words read and the same age still comes first, as before.
    request = PersonRecord("r", ("Samir Nabil Hasan",), None, parse_birth("2012"))
    child = PersonRecord("z-child", ("سمير نبيل العبري",), None, parse_birth("~6±1@2019-03-01"))
    other = PersonRecord("a-other", ("سمير عمر حداد",), None, parse_birth("~6±1@2019-03-01"))
    everything = replace(DEFAULT_SETTINGS, threshold=0.0)
    found = {c.right_id: c for c in find_candidates([request], [other, child], everything)}
    assert found["a-other"].explanation == found["z-child"].explanation
    assert list(found) == ["z-child", "a-other"]
    assert found["z-child"].score > 2**3.9 * found["a-other"].score  # 2 bits twice


def test_a_mistyped_word_read_a_letter_apart_is_not_left_over() -> None:
    # "Ramadam" is no word of the registry: a likely typo of رمضان (rmdm, rmdn), which
    # "phonetic close" reads; it costs nothing, so the score is the vector's own.
    request = PersonRecord("r", ("Hasnaa Raho Ramadam",), None, parse_birth("2012"))
    hasnaa = PersonRecord("z-hasnaa", ("حسناء رحو رمضان",), None, parse_birth("~6±1@2019-03-01"))
    everything = replace(DEFAULT_SETTINGS, threshold=0.0)
    (found,) = find_candidates([request], [hasnaa], everything)
    assert found.explanation.fields[0].level == "phonetic close"
    assert found.score == pytest.approx(prior_model().probability(found.match_weight))


def test_words_shared_count_the_reading_with_the_article_left_out() -> None:
    # "Almuttalib" is also read "Muttalib", the word of المطلب; حاج has neither.
    request = PersonRecord("r", ("Hamidou Hajjaj Almuttalib",), None, parse_birth("2012"))
    other = PersonRecord("a-hamuda", ("حمودة حشيشة حاج",), None, parse_birth("~6@2019-03-01"))
    true = PersonRecord("z-hamidu", ("حميدو حجاج المطلب",), None, parse_birth("~6@2019-03-01"))
    everything = replace(DEFAULT_SETTINGS, threshold=0.0)
    found = list(find_candidates([request], [other, true], everything))
    assert [c.right_id for c in found] == ["z-hamidu", "a-hamuda"]
    assert found[0].explanation == found[1].explanation


def test_namesakes_alike_in_every_level_rank_by_how_near_their_spelling_is() -> None:
    # Both are "phonetic agree" and leave no word of the request over: Tibi has the
    # consonants of الطيبي and of عواطف (Awatif, the father of the second, read as a
    # word of his plain name); "shban tyby" is spelled nearer than "shbany watf mntasr",
    # though "a-shabani" sorts first and both are born alike.
    request = PersonRecord("r", ("Shaban Tibi",), None, parse_birth("2012"))
    shabani = PersonRecord(
        "a-shabani", ("شعباني عواطف المنتصر",), None, parse_birth("~6@2019-03-01")
    )
    shaban = PersonRecord("z-shaban", ("شعبان حجاج الطيبي",), None, parse_birth("~6@2019-03-01"))
    everything = replace(DEFAULT_SETTINGS, threshold=0.0)
    found = list(find_candidates([request], [shabani, shaban], everything))
    assert [c.right_id for c in found] == ["z-shaban", "a-shabani"]
    assert found[0].explanation == found[1].explanation


def test_a_list_matched_against_itself_does_not_compete_with_itself() -> None:
    copy = PersonRecord("child-3", ("Amina Aliyeva",), "f", parse_birth("2012"), ("Fatima",))
    found = {c.right_id: c for c in find_candidates([AMINA], [AMINA, copy, KHAMZA])}
    expected = prior_model().probability(found["child-3"].match_weight)
    assert found["child-3"].score == pytest.approx(expected, rel=1e-3)


def test_blocking_keeps_at_most_max_candidates_per_record() -> None:
    requests, children = generate(2000)
    settings = replace(DEFAULT_SETTINGS, max_candidates=10)
    index = BlockIndex([prepare(c) for c in children], settings)
    sizes = [len(js) for _, js in candidate_pairs([prepare(r) for r in requests], index)]
    assert max(sizes) == 10


def test_scoring_in_worker_processes_gives_the_serial_result() -> None:
    requests, children = generate(300)
    # Records compared in training are looked up, not scored again: train on a few.
    serial_settings = replace(DEFAULT_SETTINGS, workers=1, em_training_left=100)
    serial = list(candidates_by_left(requests, children, serial_settings))
    parallel_settings = replace(serial_settings, workers=2, parallel_from=1)
    assert list(candidates_by_left(requests, children, parallel_settings)) == serial
    assert sum(map(len, serial)) > 250


def test_pairs_compared_in_training_are_ranked_as_scoring_would_rank_them() -> None:
    # 300 requests, all in the EM sample: their training comparisons are ranked as they are.
    requests, children = generate(300)
    settings = replace(DEFAULT_SETTINGS, workers=1)
    reused = list(candidates_by_left(requests, children, settings))
    prepared = [prepare(r) for r in requests], [prepare(c) for c in children]
    model = train(*prepared, BlockIndex(prepared[1], settings), settings)
    assert list(candidates_by_left(requests, children, settings, model)) == reused
    assert sum(map(len, reused)) > 250


def _never_compare_again(chunk: object) -> object:
    raise AssertionError("the pairs training compared were compared again")


def test_training_pairs_are_ranked_without_comparing_them_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    requests, children = generate(200)
    settings = replace(DEFAULT_SETTINGS, workers=1)
    expected = list(candidates_by_left(requests, children, settings))
    monkeypatch.setattr(engine, "_rank_chunk", _never_compare_again)
    assert list(candidates_by_left(requests, children, settings)) == expected
    assert sum(map(len, expected)) > 150


def test_the_em_samples_pairs_are_not_blocked_or_compared_again_when_scoring(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 200 requests, 80 of them in the EM sample: each request is looked up in the index
    # once, by training or by scoring, and the candidates are those of a given model.
    requests, children = generate(200)
    settings = replace(DEFAULT_SETTINGS, workers=1, em_training_left=80)
    prepared = [prepare(r) for r in requests], [prepare(c) for c in children]
    model = train(*prepared, BlockIndex(prepared[1], settings), settings)
    given = list(candidates_by_left(requests, children, settings, model))
    looked_up: list[str] = []
    pairs = BlockIndex.pairs

    def counted(index: BlockIndex, records: list[PreparedRecord]) -> tuple[object, object]:
        looked_up.extend(record.id for record in records)
        return pairs(index, records)

    monkeypatch.setattr(BlockIndex, "pairs", counted)
    assert list(candidates_by_left(requests, children, settings)) == given
    assert sorted(looked_up) == sorted(request.id for request in requests)
    assert sum(map(len, given)) > 150


def test_duplicates_from_training_pairs_are_those_of_a_given_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, children = generate(200)
    doubles = [replace(child, id=f"again-{child.id}") for child in children[:40]]
    records = children + doubles
    settings = replace(DEFAULT_SETTINGS, workers=1)
    prepared = [prepare(record) for record in records]
    model = train(prepared, prepared, BlockIndex(prepared, settings), settings)
    given = list(find_duplicates(records, settings, model))
    monkeypatch.setattr(engine, "_rank_chunk", _never_compare_again)
    assert list(find_duplicates(records, settings)) == given
    assert {(c.left_id, c.right_id) for c in given} >= {
        (c.id, f"again-{c.id}") for c in children[:40]
    }


def test_a_left_id_also_on_the_right_is_scored_not_dropped_with_training() -> None:
    # Training leaves a record's own id out; scoring must still show it (not competing).
    requests, children = generate(100)
    settings = replace(DEFAULT_SETTINGS, workers=1)
    found = list(find_candidates(requests, [*children, requests[0]], settings))
    own = [c for c in found if c.left_id == c.right_id == requests[0].id]
    assert len(own) == 1 and own[0].explanation.fields[0].level == "exact"


def test_two_records_given_one_id_are_duplicates_of_each_other_not_of_themselves() -> None:
    copy = PersonRecord("child-1", ("Amina Aliyeva",), "f", parse_birth("2012"), ("Fatima",))
    (found,) = find_duplicates([AMINA, KHAMZA, copy])
    assert found.left_id == found.right_id == "child-1"
    assert found.explanation.fields[0].level != "exact"  # Arabic against Latin letters


def test_linking_gives_the_cycle_collector_back_between_records_and_when_stopped_early() -> None:
    requests, children = generate(50)
    list(find_candidates(requests, children))
    assert gc.isenabled()
    ranked = candidates_by_left(requests, children)
    next(ranked)
    assert gc.isenabled()  # paused while each record's candidates are made, not between
    ranked.close()
    assert gc.isenabled()


def test_linking_keeps_the_prepared_records_from_the_collector_until_it_ends() -> None:
    # Each record's candidates were followed by a collection walking every reading and
    # index entry made while paused: a second of CPU at 10,000 records.
    requests, children = generate(200)
    ranked = candidates_by_left(requests, children)
    next(ranked)
    assert gc.get_freeze_count() > 10 * len(children)
    assert len(list(ranked)) == len(requests) - 1
    assert gc.get_freeze_count() == 0
    duplicates = find_duplicates(children)
    next(duplicates)
    assert gc.get_freeze_count() > 10 * len(children)
    duplicates.close()
    assert gc.get_freeze_count() == 0


def test_blocking_finds_a_pair_by_birth_day_or_postcode_when_both_names_have_typos() -> None:
    left = prepare(
        PersonRecord("a", ("samuel heidrich",), birth=parse_birth("1985-04-12"),
                     place="12 main street sydney 2000 nsw")
    )  # fmt: skip
    by_day = prepare(PersonRecord("b", ("damuel heidrick",), birth=parse_birth("1985-04-12")))
    by_postcode = prepare(
        PersonRecord("c", ("samuel heidrick",), birth=parse_birth("1958-04-21"),
                     place="12 main street sydney 2000 nsw")
    )  # fmt: skip
    index = BlockIndex([by_day, by_postcode], DEFAULT_SETTINGS)
    assert index.candidates(left) == {0, 1}


def test_pairs_compared_in_arrays_give_the_vectors_compared_one_by_one() -> None:
    requests, children = generate(300)
    left = [prepare(r) for r in requests]
    right = [prepare(c) for c in children]
    left_positions = [i for i in range(len(left)) for _ in range(0, len(right), 7)]
    right_positions = [(i * 13 + j) % len(right) for i in range(len(left))
                       for j in range(0, len(right), 7)]  # fmt: skip
    levels = compare_pairs(
        Table(left), Table(right), np.array(left_positions), np.array(right_positions)
    )
    vectors = [vector_of(code) for code in vector_codes(levels).tolist()]
    expected = [compare_records(left[i], right[j])
                for i, j in zip(left_positions, right_positions, strict=True)]  # fmt: skip
    assert vectors == expected
    assert len(set(vectors)) > 20
    assert {"middles agree", "ranges overlap", "same year"} <= {vector[2] for vector in vectors}


def test_arrays_and_one_by_one_agree_on_the_finer_levels() -> None:
    # Addresses and days of birth, as in partners' lists: a typo in a date, most words of
    # an address, one word of a name, skeletons a letter apart.
    people = [
        ("Liam Doody", "1985-04-12", "54 Bastow Circuit Cowra 4129"),
        ("Seth Doody", "1985-04-21", "54 bastow circuit cowra 2680 qld"),
        ("Зарема Алиева", "2012-05-03", "Махачкала"),
        ("مريم علييفا", "2012-05-30", "Mahachkala"),
    ]
    records = [prepare(PersonRecord(f"p{k}", (name,), birth=parse_birth(born), place=place))
               for k, (name, born, place) in enumerate(people)]  # fmt: skip
    li, rj = np.array([0, 0, 2, 1, 3]), np.array([1, 2, 3, 0, 2])
    levels = compare_pairs(Table(records), Table(records), li, rj)
    vectors = [vector_of(code) for code in vector_codes(levels).tolist()]
    expected = [compare_records(records[i], records[j]) for i, j in zip(li, rj, strict=True)]
    assert vectors == expected
    seen = {level for vector in vectors for level in vector}
    assert {"one word agrees", "phonetic close", "date a typo apart", "most words agree"} <= seen


def test_blocking_corrects_a_typo_in_one_word_of_a_two_word_name() -> None:
    # "Ali" is too short to block on alone, and the typo loses every key on both words.
    child = prepare(PersonRecord("c", ("علي مطالييف",), "m", parse_birth("2012")))
    others = [prepare(PersonRecord(f"o{k}", (name,), "m", parse_birth("2012")))
              for k, name in enumerate(("Ali Omarov", "Umar Mutaliev", "Musa Aliev"))]  # fmt: skip
    request = prepare(PersonRecord("r", ("Али Мутаeиев",), "m", parse_birth("2012")))
    index = BlockIndex([child, *others], DEFAULT_SETTINGS)
    assert "l+mtlb" in index.corrected_pairs(request)  # and "l+mrb", Ali Omarov
    assert 0 in index.candidates(request)


def test_the_cap_drops_a_namesake_with_another_mother_before_a_child_with_none() -> None:
    def child(id: str, mother: tuple[str, ...]) -> PersonRecord:
        return PersonRecord(id, ("أمينة علييفا",), "f", parse_birth("2012"), mother)

    namesake, true_child = child("namesake", ("زاريما عمروفا",)), child("child", ())
    request = prepare(PersonRecord("r", ("Амина Алиева",), "f", parse_birth("2012"),
                                   ("Фатима Кадиева",)))  # fmt: skip
    settings = replace(DEFAULT_SETTINGS, max_candidates=1)
    index = BlockIndex([prepare(namesake), prepare(true_child)], settings)
    assert index.candidates(request) == {1}


def test_a_mistyped_name_finds_the_child_above_the_familys_other_children() -> None:
    born = parse_birth("2012")
    musa = PersonRecord("child-musa", ("موسى عمروف",), "m", born)  # Musa Umarov, Arabic script
    others = [PersonRecord(f"child-{k}", (f"{given} Умаров",), "m", born)
              for k, given in enumerate(["Ахмед", "Ибрагим", "Хасан", "Рамазан"])]  # fmt: skip
    request = PersonRecord("request", ("Муaа Умаров",), "m", born)  # Musa, mistyped
    settings = replace(DEFAULT_SETTINGS, threshold=0.0)
    found = list(find_candidates([request], [*others, musa], settings))
    assert found[0].right_id == "child-musa"
    names = found[0].explanation.fields[0]
    assert (names.field, names.level) == ("names", "phonetic close")
    assert {c.explanation.fields[0].level for c in found[1:]} == {"family name only"}


def test_typos_are_read_against_the_whole_registry_not_the_records_compared() -> None:
    # Matching every request against the one child whose record changed must not take a
    # name the registry has (Umar) for a typo because that child lacks it.
    musa = PersonRecord("child-musa", ("Musa Umarov",), "m")
    umar = PersonRecord("child-umar", ("Umar Kurbanov",), "m")
    request = PersonRecord("request", ("Umar Umarov",), "m")
    settings = replace(DEFAULT_SETTINGS, threshold=0.0)
    alone = list(find_candidates([request], [musa], settings))
    whole = list(find_candidates([request], [musa], settings, registry=[musa, umar]))
    assert alone[0].explanation.fields[0].level == "phonetic close"
    assert whole[0].explanation.fields[0].level == "family name only"
