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
        self._weights: dict[Vector, float] = {}
        self._explained: dict[Vector, tuple[float, Explanation]] = {}

    def score(self, left: PreparedRecord, right: PreparedRecord) -> Candidate:
        return self.candidate(left.id, right.id, compare_records(left, right))

    def weight(self, vector: Vector) -> float:
        """The match weight of a comparison vector: the sum of its fields' weights."""
        weight = self._weights.get(vector)
        if weight is None:
            weight = self._weights[vector] = sum(self.model.weights(vector))
        return weight

    def candidate(
        self, left_id: str, right_id: str, vector: Vector, score: float | None = None
    ) -> Candidate:
        """A candidate with its explanation; `score` replaces the plain probability (for
        candidates that compete)."""
        if vector not in self._explained:
            weights = self.model.weights(vector)
            contributions = tuple(
                FieldContribution(name, level, weight)
                for name, level, weight in zip(FIELDS, vector, weights, strict=True)
            )
            self._explained[vector] = (sum(weights), Explanation(contributions))
        weight, explanation = self._explained[vector]
        probability = self.model.probability(weight) if score is None else score
        return Candidate(left_id, right_id, probability, weight, explanation)


# A left record's blocked right positions and their comparison vectors, in position order.
Compared = tuple[list[int], list[Vector]]


def compared(
    record: PreparedRecord, right: Sequence[PreparedRecord], index: BlockIndex
) -> Compared:
    positions = sorted(index.candidates(record))
    return positions, [compare_records(record, right[j]) for j in positions]


def train(
    left: Sequence[PreparedRecord],
    right: Sequence[PreparedRecord],
    index: BlockIndex,
    settings: Settings = DEFAULT_SETTINGS,
    keep: dict[int, Compared] | None = None,
) -> Model:
    """Learn u from random pairs and m by EM on blocked pairs of a sample of left records.

    1. Draw `u_sample_pairs` random pairs (seeded) and count their levels: u.
    2. Take up to `em_training_left` left records (seeded sample) and their blocked pairs.
    3. Run EM on those pairs with u fixed, each left record being at most one right
       record (`estimate_m_one_to_one`): m and the proportion of matches.
    Too few pairs for either step leaves that step's priors in place. The sampled left
    records' comparisons are put in `keep`, when given, so that scoring need not repeat
    them.
    """
    rng = random.Random(settings.seed)
    random_pairs = _random_pairs(len(left), len(right), settings.u_sample_pairs, rng)
    u = estimate_u(
        (compare_records(left[i], right[j]) for i, j in random_pairs if left[i].id != right[j].id),
        settings,
    )
    sample = rng.sample(range(len(left)), min(len(left), settings.em_training_left))
    keep = {} if keep is None else keep
    for i in sorted(sample):
        keep[i] = compared(left[i], right, index)
    groups = (
        [
            vector
            for j, vector in zip(*keep[i], strict=True)
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
_work: tuple[
    Sequence[PreparedRecord], Sequence[PreparedRecord], BlockIndex, Scorer, Settings,
    dict[int, Compared],
]  # fmt: skip


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
    done: dict[int, Compared] = {}
    scorer = Scorer(model or train(left, right, index, settings, done))
    _work = (left, right, index, scorer, settings, done)
    compete = not skip_same_id
    workers = settings.workers or os.cpu_count() or 1
    remaining = len(left) - len(done)  # those compared in training are only looked up
    if workers < 2 or remaining < settings.parallel_from or "fork" not in _start_methods():
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
    """Each left record's best candidates. Weights come from the scorer's cache by
    comparison vector; only the `top_k` kept become `Candidate` objects."""
    left, right, index, scorer, settings, done = _work
    for position in positions:
        record = left[position]
        found = done.get(position)
        right_positions, vectors = found if found is not None else compared(record, right, index)
        scored = [
            (scorer.weight(vector), right[j].id, vector)
            for j, vector in zip(right_positions, vectors, strict=True)
            if compete or right[j].id != record.id
        ]
        if not scored:
            yield []
            continue
        shares: dict[str, float] = {}
        if compete:
            # A record is at most one of its candidates (not counting itself): they share
            # its probability (`competing_probabilities`).
            others = [(weight, right_id) for weight, right_id, _ in scored
                      if right_id != record.id]  # fmt: skip
            odds = [scorer.model.odds(weight) for weight, _ in others]
            shares = dict(zip((right_id for _, right_id in others),
                              competing_probabilities(odds), strict=True))  # fmt: skip
        best = heapq.nsmallest(
            settings.top_k,
            (item for item in scored
             if shares.get(item[1], scorer.model.probability(item[0])) >= settings.threshold),
            key=lambda item: (-item[0], item[1]),
        )  # fmt: skip
        yield [
            scorer.candidate(record.id, right_id, vector, shares.get(right_id))
            for _, right_id, vector in best
        ]


def score_pair(left: PersonRecord, right: PersonRecord, model: Model | None = None) -> Candidate:
    """One pair, scored with `model` (the priors by default): for re-scoring a stored pair."""
    return Scorer(model or prior_model()).score(prepare(left), prepare(right))


__all__ = ["candidates_by_left", "find_candidates", "find_duplicates", "score_pair", "train"]
