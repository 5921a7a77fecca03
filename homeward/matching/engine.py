"""The matching engine's entry points: candidates between two lists, and duplicates in one.

    candidates = find_candidates(requests, children)           # DEFAULT_SETTINGS
    for candidate in candidates:
        print(candidate.left_id, candidate.right_id, candidate.score, candidate.explanation)

With fewer pairs than `Settings.min_training_pairs` (one new tracing request against a
small registry), the documented priors score the pairs; pass a `Model` from `train` to
reuse one learnt on the whole registry.
"""

from __future__ import annotations

import heapq
import multiprocessing
import os
import random
from collections.abc import Iterator, Sequence
from dataclasses import replace

from homeward.matching.blocking import BlockIndex
from homeward.matching.compare import FIELDS, PreparedRecord, compare_records, prepare
from homeward.matching.records import Candidate, Explanation, FieldContribution, PersonRecord
from homeward.matching.scoring import (
    DEFAULT_SETTINGS,
    Model,
    Settings,
    Vector,
    competing_probabilities,
    estimate_m_one_to_one,
    estimate_u,
    prior_model,
)


class Scorer:
    """Scores pairs with one model; identical comparison vectors are scored once."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self._by_vector: dict[Vector, tuple[float, float, Explanation]] = {}

    def score(self, left: PreparedRecord, right: PreparedRecord) -> Candidate:
        vector = compare_records(left, right)
        if vector not in self._by_vector:
            self._by_vector[vector] = self._score_vector(vector)
        probability, weight, explanation = self._by_vector[vector]
        return Candidate(left.id, right.id, probability, weight, explanation)

    def _score_vector(self, vector: Vector) -> tuple[float, float, Explanation]:
        weights = self.model.weights(vector)
        contributions = tuple(
            FieldContribution(name, level, weight)
            for name, level, weight in zip(FIELDS, vector, weights, strict=True)
        )
        total = sum(weights)
        return self.model.probability(total), total, Explanation(contributions)


def train(
    left: Sequence[PreparedRecord],
    right: Sequence[PreparedRecord],
    index: BlockIndex,
    settings: Settings = DEFAULT_SETTINGS,
) -> Model:
    """Learn u from random pairs and m by EM on blocked pairs of a sample of left records.

    1. Draw `u_sample_pairs` random pairs (seeded) and count their levels: u.
    2. Take up to `em_training_left` left records (seeded sample) and their blocked pairs.
    3. Run EM on those pairs with u fixed, each left record being at most one right
       record (`estimate_m_one_to_one`): m and the proportion of matches.
    Too few pairs for either step leaves that step's priors in place.
    """
    rng = random.Random(settings.seed)
    random_pairs = _random_pairs(len(left), len(right), settings.u_sample_pairs, rng)
    u = estimate_u(
        (compare_records(left[i], right[j]) for i, j in random_pairs if left[i].id != right[j].id),
        settings,
    )
    sample = rng.sample(range(len(left)), min(len(left), settings.em_training_left))
    groups = (
        [
            compare_records(left[i], right[j])
            for j in sorted(index.candidates(left[i]))
            if left[i].id != right[j].id  # a record is not its own duplicate
        ]
        for i in sorted(sample)
    )
    m, proportion = estimate_m_one_to_one(groups, u, settings)
    return Model(m, u, proportion)


def _random_pairs(
    left_count: int, right_count: int, wanted: int, rng: random.Random
) -> list[tuple[int, int]]:
    if left_count * right_count <= wanted:  # small lists: every pair, each once
        return [(i, j) for i in range(left_count) for j in range(right_count)]
    return [(rng.randrange(left_count), rng.randrange(right_count)) for _ in range(wanted)]


def find_candidates(
    left: Sequence[PersonRecord],
    right: Sequence[PersonRecord],
    settings: Settings = DEFAULT_SETTINGS,
    model: Model | None = None,
) -> Iterator[Candidate]:
    """For each left record in order, its best `top_k` right records scoring at least
    `threshold`, best first. Trains a model on the two lists unless one is given."""
    for ranked in candidates_by_left(left, right, settings, model):
        yield from ranked


def candidates_by_left(
    left: Sequence[PersonRecord],
    right: Sequence[PersonRecord],
    settings: Settings = DEFAULT_SETTINGS,
    model: Model | None = None,
) -> Iterator[list[Candidate]]:
    """Like `find_candidates`, one list per left record (empty when none qualifies), so a
    caller can show progress."""
    left_prepared = [prepare(record) for record in left]
    right_prepared = [prepare(record) for record in right]
    yield from _ranked(left_prepared, right_prepared, settings, model, skip_same_id=False)


# Shared with worker processes, which inherit it when forked (see `_ranked`).
_work: tuple[Sequence[PreparedRecord], Sequence[PreparedRecord], BlockIndex, Scorer, Settings]


def find_duplicates(
    records: Sequence[PersonRecord],
    settings: Settings = DEFAULT_SETTINGS,
    model: Model | None = None,
) -> Iterator[Candidate]:
    """Pairs of records in one list that may be one person; each pair once, left id first
    in list order."""
    prepared = [prepare(record) for record in records]
    position = {record.id: index for index, record in enumerate(prepared)}
    seen: set[tuple[str, str]] = set()
    ranked = _ranked(prepared, prepared, settings, model, skip_same_id=True)
    for candidate in (candidate for candidates in ranked for candidate in candidates):
        pair = tuple(sorted((candidate.left_id, candidate.right_id), key=position.__getitem__))
        if pair not in seen:
            seen.add((pair[0], pair[1]))
            yield candidate


def _ranked(
    left: Sequence[PreparedRecord],
    right: Sequence[PreparedRecord],
    settings: Settings,
    model: Model | None,
    *,
    skip_same_id: bool,
) -> Iterator[list[Candidate]]:
    """Each left record's best candidates.

    Between two lists (`skip_same_id` false) a left record is at most one right record,
    so its candidates' probabilities are shared (`competing_probabilities`); a right
    record with the left record's own id (a list matched against itself) is scored but
    does not compete. Within one list (duplicates) a child may be registered three
    times, so each pair keeps its own probability.

    Large lists are scored by `Settings.workers` processes (all CPUs when 0), forked so
    that they inherit the prepared records and the index instead of receiving copies.
    """
    global _work
    index = BlockIndex(right, settings)
    scorer = Scorer(model or train(left, right, index, settings))
    _work = (left, right, index, scorer, settings)
    compete = not skip_same_id
    workers = settings.workers or os.cpu_count() or 1
    if workers < 2 or len(left) < settings.parallel_from or "fork" not in _start_methods():
        yield from _rank_positions(range(len(left)), compete)
        return
    step = max(1, min(2000, len(left) // (workers * 8)))
    chunks = [(range(start, min(start + step, len(left))), compete)
              for start in range(0, len(left), step)]  # fmt: skip
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for ranked in pool.imap(_rank_chunk, chunks):
            yield from ranked


def _start_methods() -> list[str]:
    return multiprocessing.get_all_start_methods()


def _rank_chunk(chunk: tuple[range, bool]) -> list[list[Candidate]]:
    return list(_rank_positions(*chunk))


def _rank_positions(positions: range, compete: bool) -> Iterator[list[Candidate]]:
    left, right, index, scorer, settings = _work
    for position in positions:
        record = left[position]
        scored = [
            scorer.score(record, right[j])
            for j in sorted(index.candidates(record))
            if compete or right[j].id != record.id
        ]
        if compete:
            scored = _compete(scored, scorer.model, record.id)
        kept = (candidate for candidate in scored if candidate.score >= settings.threshold)
        yield heapq.nsmallest(settings.top_k, kept, key=_best_first)


def _compete(scored: list[Candidate], model: Model, own_id: str) -> list[Candidate]:
    """Candidates with probabilities shared among those that are not `own_id` itself."""
    others = [candidate for candidate in scored if candidate.right_id != own_id]
    shared = competing_probabilities([model.odds(c.match_weight) for c in others])
    rescored = {id(c): replace(c, score=p) for c, p in zip(others, shared, strict=True)}
    return [rescored.get(id(candidate), candidate) for candidate in scored]


def _best_first(candidate: Candidate) -> tuple[float, str]:
    return (-candidate.match_weight, candidate.right_id)


def score_pair(left: PersonRecord, right: PersonRecord, model: Model | None = None) -> Candidate:
    """One pair, scored with `model` (the priors by default): for re-scoring a stored pair."""
    return Scorer(model or prior_model()).score(prepare(left), prepare(right))


__all__ = ["candidates_by_left", "find_candidates", "find_duplicates", "score_pair", "train"]
