"""The matching engine's entry points: candidates between two lists, and duplicates in one.

    candidates = find_candidates(requests, children)           # DEFAULT_SETTINGS
    for candidate in candidates:
        print(candidate.left_id, candidate.right_id, candidate.score, candidate.explanation)

With fewer pairs than `Settings.min_training_pairs` (one new tracing request against a
small registry), the documented priors score the pairs; pass a `Model` from `train` to
reuse one learnt on the whole registry.

Pairs are compared and ranked many at a time (`batch`); large lists are split into chunks
of left records that `Settings.workers` forked processes compare, for training as for
scoring.
"""

from __future__ import annotations

import math
import os
import random
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np
from rapidfuzz import fuzz

from homeward.lib.forking import can_fork, forked_pool
from homeward.lib.memory import each_without_cyclic_gc
from homeward.matching.batch import (
    CODE_COLUMNS,
    NAME_INDEX,
    Table,
    compare_pairs,
    group_starts,
    pair_weights,
    vector_codes,
    vector_counts,
    vector_of,
    weight_table,
)
from homeward.matching.blocking import BlockIndex
from homeward.matching.compare import (
    _READINGS,
    FIELDS,
    NAME_FAMILY_ONLY,
    NAME_ONE_WORD,
    NAME_PHONETIC,
    NAME_PHONETIC_CLOSE,
    PreparedRecord,
    Vocabulary,
    _spelled_alike,
    compare_records,
    name_skeletons,
    name_vocabulary,
    prepare,
    with_readings_for,
    with_typos_marked,
)
from homeward.matching.names import NameForm, skeleton, skeletons_a_typo_apart
from homeward.matching.records import Candidate, Explanation, FieldContribution, PersonRecord
from homeward.matching.scoring import (
    DEFAULT_SETTINGS,
    Model,
    Settings,
    Vector,
    em_one_to_one,
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


class _Work:
    """What worker processes share, inherited when forked: both lists, their columns,
    the blocking index and each record's id as a number (equal ids, equal numbers;
    within one list, a record's position, so two records given one id are still two).

    Between two lists, the left records' names are marked with their likely typos: a
    word no name of the right list (or of `known`, the skeletons of the registry it is
    part of) has (`compare.with_typos_marked`)."""

    def __init__(
        self, left: Sequence[PreparedRecord], right: Sequence[PreparedRecord],
        index: BlockIndex, settings: Settings, known: frozenset[str] | None = None,
        excluded: Collection[tuple[str, str]] = (),
    ) -> None:  # fmt: skip
        if left is not right:
            left = with_typos_marked(left, name_skeletons(right) if known is None else known)
        self.left, self.right, self.index, self.settings = left, right, index, settings
        self.left_table, self.right_table = Table(left), Table(right)
        numbers = {record.id: number for number, record in enumerate(right)}
        self.right_ids = np.arange(len(right), dtype=np.int64)
        if left is right:
            self.left_ids = self.right_ids
        else:
            self.left_ids = np.array([numbers.get(r.id, -1) for r in left], dtype=np.int64)
        # Ties left by equal weights and birth gaps go to the right record whose id sorts first.
        order = sorted(range(len(right)), key=lambda j: right[j].id)
        self.right_order = np.empty(len(right), dtype=np.int64)
        self.right_order[order] = np.arange(len(right))
        self.excluded = self._pair_codes(excluded)
        self._left_word_cache: dict[int, tuple[tuple[str, ...], ...]] = {}
        self._right_skeleton_cache: dict[int, frozenset[str]] = {}

    def _pair_codes(self, pairs: Collection[tuple[str, str]]) -> np.ndarray:
        """Pairs of ids as sorted numbers (left position × right count + right position),
        every position of each id."""
        if not pairs:
            return np.zeros(0, dtype=np.int64)
        lefts, rights = defaultdict(list), defaultdict(list)
        for position, record in enumerate(self.left):
            lefts[record.id].append(position)
        for position, record in enumerate(self.right):
            rights[record.id].append(position)
        width = max(len(self.right), 1)
        codes = [i * width + j for left_id, right_id in pairs
                 for i in lefts.get(left_id, ()) for j in rights.get(right_id, ())]  # fmt: skip
        return np.unique(np.array(codes, dtype=np.int64))

    def is_excluded(self, li: np.ndarray, rj: np.ndarray) -> np.ndarray:
        """Which pairs the caller ruled out (`find_candidates(..., excluded=)`)."""
        if len(self.excluded) == 0:
            return np.zeros(len(li), dtype=bool)
        return np.isin(li * max(len(self.right), 1) + rj, self.excluded)

    def blocked(
        self, positions: Sequence[int], *, own_left_out: bool
    ) -> tuple[np.ndarray, np.ndarray]:
        """The blocked pairs (left position, right position) of some left records, a
        right record with the left record's own id left out if `own_left_out`."""
        li, rj = self.index.pairs([self.left[i] for i in positions])
        li = np.asarray(positions, dtype=np.int64)[li]
        if own_left_out:
            others = self.left_ids[li] != self.right_ids[rj]
            li, rj = li[others], rj[others]
        return li, rj

    def birth_gaps(self, li: np.ndarray, rj: np.ndarray) -> np.ndarray:
        """How far apart the middles of the pairs' birth ranges are, in days counted twice
        (sums of the ranges' ends, unknown births last), for ordering only: of two
        namesakes alike in every level, the one born nearer the left record's birth is
        the likelier, which the age levels say only coarsely."""
        left, right = self.left_table, self.right_table
        known = left.known[li] & right.known[rj]
        gap = np.abs((left.first[li] + left.last[li]) - (right.first[rj] + right.last[rj]))
        return np.where(known, gap, np.iinfo(np.int64).max)

    def levels(self, li: np.ndarray, rj: np.ndarray) -> np.ndarray:
        return compare_pairs(self.left_table, self.right_table, li, rj)

    def words_left_over(
        self, li: np.ndarray, rj: np.ndarray, weights: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """For pairs that tie with another of their left record's on weight (0 for the
        rest): how many words of the left name (its reading that leaves fewest) no
        reading of the right name has a word of equal skeleton, for ordering only.
        A level says that the shorter name's words are among the longer's, not how
        many: "Hasnaa Raho Ramadan" is "phonetic agree" with حسناء رحو رمضان and with
        حسونة عوفر عريجي (Hasuna, son of Awfar) alike; only the first has Ramadan.
        Second, for the same pairs, how far apart the names are spelled
        (`_spelling_distance`), which orders pairs whose births are as near."""
        left_over = np.zeros(len(li), dtype=np.int64)
        spelling = np.zeros(len(li), dtype=np.int64)
        if len(li) < 2:
            return left_over, spelling
        order = np.lexsort((-weights, li))
        lefts, ranked = li[order], weights[order]
        same = (lefts[1:] == lefts[:-1]) & (ranked[1:] == ranked[:-1])
        # A tie only matters if it starts within the left record's best `top_k`.
        starts = np.flatnonzero(np.concatenate(([True], ~same)))
        run_start = starts[np.cumsum(np.concatenate(([True], ~same))) - 1]
        within = run_start - group_starts(lefts) < self.settings.top_k
        tied_sorted = np.zeros(len(li), dtype=bool)
        tied_sorted[1:] |= same
        tied_sorted[:-1] |= same
        tied = np.zeros(len(li), dtype=bool)
        tied[order] = tied_sorted & within
        for k in np.flatnonzero(tied).tolist():
            i, j = int(li[k]), int(rj[k])
            left_over[k] = self._left_over(i, j)
            spelling[k] = _spelling_distance(self.left[i].names, self.right[j].names)
        return left_over, spelling

    def words_unread(self, li: np.ndarray, rj: np.ndarray, levels: np.ndarray) -> np.ndarray:
        """For pairs whose names level says only that the shorter name's words are among
        the longer's ("phonetic agree" down to "one word agrees"; 0 for the rest): how
        many words of the left name no word of the right one reads as, as
        `words_left_over` counts them. Such a level does not tell "Abdel Sabeh Alalraai"
        against عبد السبع أوفقير الراعي (every word read) from against عبد الصيفي عمو
        العياري (Alalraai left over), and a namesake's nearer age level outweighed it."""
        unread = np.zeros(len(li), dtype=np.int64)
        for k in np.flatnonzero(np.isin(levels[:, _NAMES], _AMONG_LEVELS)).tolist():
            unread[k] = self._left_over(int(li[k]), int(rj[k]))
        return unread

    def words_read_past_one(self, li: np.ndarray, rj: np.ndarray, levels: np.ndarray) -> np.ndarray:
        """For pairs whose names level says one word agrees ("family name only", "one
        word agrees"; 0 for the rest): how many more words of the left name than one the
        right name reads (`_read`), by the left reading that leaves fewest unread. Such
        a level does not tell "Boushaki Nemati Alrahi" against بوسحاقي نعمتي الراعي (two
        words read, ع written h in the third) from against a namesake with one of them."""
        read = np.zeros(len(li), dtype=np.int64)
        for k in np.flatnonzero(np.isin(levels[:, _NAMES], _ONE_WORD_LEVELS)).tolist():
            read[k] = max(self._words_read(int(li[k]), int(rj[k])) - 1, 0)
        return read

    def _words_read(self, i: int, j: int) -> int:
        """Words of left record i's name that right record j's name reads, by the left
        reading that leaves fewest unread (`_left_over`'s)."""
        others = self._right_skeletons(j)
        counts = [
            (sum(not _read(word, form.typo, others) for word in words), len(words))
            for form, words in zip(self.left[i].names, self._left_words(i), strict=True)
        ]
        unread, total = min(counts, default=(0, 0), key=lambda count: (count[0], -count[1]))
        return total - unread

    def parent_words_unspelled(
        self, li: np.ndarray, rj: np.ndarray, levels: np.ndarray
    ) -> np.ndarray:
        """For pairs whose mother's or father's names agree only as the coarse levels say
        ("phonetic agree" down to "one word agrees"; 0 for the rest): how many words of
        the left parent's name are spelled like no word of the right one's
        (`_parent_unspelled`), both parents together. Consonants alone do not tell a
        mother Aisha from آسية (Asiya, skeleton "s" both), whom a request spelling
        "Aisha Akhmedova" does."""
        count = np.zeros(len(li), dtype=np.int64)
        for field in ("mother", "father"):
            at = np.flatnonzero(np.isin(levels[:, FIELDS.index(field)], _AMONG_LEVELS))
            if len(at) == 0:
                continue
            column = CODE_COLUMNS[field]
            keys = (self.left_table.codes[li[at], column] << 32) | self.right_table.codes[
                rj[at], column
            ]
            unique, inverse = np.unique(keys, return_inverse=True)
            found = [_parent_unspelled(key >> 32, key & 0xFFFFFFFF) for key in unique.tolist()]
            count[at] += np.array(found, dtype=np.int64)[inverse]
        return count

    def _left_over(self, i: int, j: int) -> int:
        """Words of left record i's name (its reading that leaves fewest) that no reading
        of right record j's name reads (`_read`)."""
        others = self._right_skeletons(j)
        return min(
            (sum(not _read(word, form.typo, others) for word in words)
             for form, words in zip(self.left[i].names, self._left_words(i), strict=True)),
            default=0,
        )  # fmt: skip

    def _left_words(self, i: int) -> tuple[tuple[str, ...], ...]:
        """The word skeletons of each reading of a left record's name (Almuttalib is
        also read Muttalib)."""
        words = self._left_word_cache.get(i)
        if words is None:
            words = tuple(
                tuple(key for key in map(skeleton, form.tokens) if key)
                for form in self.left[i].names
            )
            self._left_word_cache[i] = words
        return words

    def _right_skeletons(self, j: int) -> frozenset[str]:
        found = self._right_skeleton_cache.get(j)
        if found is None:
            found = frozenset(skeleton(t) for form in self.right[j].names for t in form.tokens)
            self._right_skeleton_cache[j] = found
        return found


_work: _Work
_NAMES = FIELDS.index("names")
# The names levels that say the shorter name's words are among the longer's, not how many.
# The names levels that say one word agrees, not how many.
_ONE_WORD_LEVELS = np.array(
    [NAME_INDEX[level] for level in (NAME_FAMILY_ONLY, NAME_ONE_WORD)], dtype=np.int8
)
_AMONG_LEVELS = np.array(
    [NAME_INDEX[level] for level in
     (NAME_PHONETIC, NAME_PHONETIC_CLOSE, NAME_FAMILY_ONLY, NAME_ONE_WORD)],
    dtype=np.int8,
)  # fmt: skip


def _read(word: str, typo: str | None, others: frozenset[str]) -> bool:
    """Whether another name reads a word's skeleton: has it, or, for the word no name of
    the other list has (a likely typo), has one a letter apart
    (`names.skeletons_a_typo_apart`), as "phonetic close" reads it."""
    if word in others:
        return True
    return word == typo and any(skeletons_a_typo_apart(word, other, typo) for other in others)


@lru_cache(maxsize=1 << 18)
def _parent_unspelled(left: int, right: int) -> int:
    """Words of a left parent's name (its readings of its spellings as written, the one
    that leaves fewest) that no word of any reading of the right parent's name is spelled
    like (Jaro-Winkler, as "similar spelling" counts words alike), by reading codes."""
    forms, others = _READINGS[left], _READINGS[right]
    words = {token for form in others for token in form.tokens}
    own = [form for form in forms if not form.extra] or list(forms)
    return min(
        (sum(not any(_spelled_alike(token, other) for other in words) for token in form.tokens)
         for form in own),
        default=0,
    )  # fmt: skip


def _spelling_distance(left: tuple[NameForm, ...], right: tuple[NameForm, ...]) -> int:
    """How far apart two names are spelled, 0 (alike) to 100, by the closest pair of
    their readings (rapidfuzz's token set ratio): for ordering namesakes the levels tie
    on, as skeletons are coarse. "Shaban Tibi" has the consonants of شعبان حجاج الطيبي
    (Shaban al-Tibi) and of شعباني عواطف المنتصر (Shabani, son of Awatif) alike, but is
    spelled as the first reads ("shban tyby")."""
    best = max((fuzz.token_set_ratio(a.text, b.text) for a in left for b in right), default=0.0)
    return round(100 - best)


def train(
    left: Sequence[PreparedRecord],
    right: Sequence[PreparedRecord],
    index: BlockIndex,
    settings: Settings = DEFAULT_SETTINGS,
) -> Model:
    """Learn u from random pairs and m by EM on blocked pairs of a sample of left records.

    Names keep the further readings that meet the other list (`_with_readings`), as
    `find_candidates` keeps them; `index` is rebuilt on `right` when some are dropped.

    1. Draw `u_sample_pairs` random pairs (seeded) and count their levels: u.
    2. Take up to `em_training_left` left records (seeded sample) and their blocked pairs.
    3. Run EM on those pairs with u fixed, each left record being at most one right
       record (`em_one_to_one`): m and the proportion of matches.
    Too few pairs for either step leaves that step's priors in place.
    """
    global _work
    filtered_left, filtered_right = _with_readings(left, right)
    if any(a is not b for a, b in zip(filtered_right, right, strict=True)):
        index = BlockIndex(filtered_right, index.settings)  # blocks on the readings kept
    _work = _Work(filtered_left, filtered_right, index, settings)
    return _train(map)


def _with_readings(
    left: Sequence[PreparedRecord],
    right: Sequence[PreparedRecord],
    vocabulary: Vocabulary | None = None,
) -> tuple[Sequence[PreparedRecord], Sequence[PreparedRecord]]:
    """Both lists, each name keeping the further readings that meet the other list
    (`compare.with_readings_for`); the left's judged against `vocabulary` (the whole
    registry's, when `right` is part of it) if given. One list matched against itself
    stays one list."""
    if left is right:
        same = with_readings_for(left, name_vocabulary(left))
        return same, same
    left = with_readings_for(left, name_vocabulary(right) if vocabulary is None else vocabulary)
    return left, with_readings_for(right, name_vocabulary(left))


Mapper = Callable[[Callable[[Any], Any], list[Any]], Any]


def _train(mapper: Mapper) -> Model:
    """`train` on the shared work, its comparisons spread by `mapper` (map or a pool's)."""
    return _learn(mapper, keep_pairs=False)[0]


class Compared(NamedTuple):
    """Blocked pairs of a run of left records, compared: the run's left positions, and
    its pairs' left positions, right positions, levels (a row per pair) and vector codes.
    Right positions and levels are empty unless kept for scoring."""

    run: list[int]
    left: np.ndarray
    right: np.ndarray
    levels: np.ndarray
    codes: np.ndarray


def _learn(mapper: Mapper, *, keep_pairs: bool) -> tuple[Model, list[Compared]]:
    """`_train`, also returning the EM sample's compared pairs in runs of left records if
    `keep_pairs` (when the sample is every left record, scoring ranks them instead of
    comparing again); else the runs hold only what EM needs."""
    work, settings = _work, _work.settings
    rng = random.Random(settings.seed)
    pairs = _random_pairs(len(work.left), len(work.right), settings.u_sample_pairs, rng)
    li = np.array([i for i, _ in pairs], dtype=np.int64)
    rj = np.array([j for _, j in pairs], dtype=np.int64)
    different = work.left_ids[li] != work.right_ids[rj]
    sample = sorted(
        rng.sample(range(len(work.left)), min(len(work.left), settings.em_training_left))
    )
    step = max(1, -(-len(pairs) // 8))
    u_parts = [
        (li[different][k : k + step], rj[different][k : k + step])
        for k in range(0, len(pairs), step)
    ]
    levels = list(mapper(_levels_of_pairs, u_parts))
    runs = [(run, keep_pairs) for run in _chunks(sample, 8)]
    compared: list[Compared] = list(mapper(_levels_of_blocked, runs))
    counted = [part for part in levels if len(part)]
    # Two or three records (a pair of registrations checked as duplicates) may give no
    # random pair at all: then u keeps its priors, as estimate_u does for too few pairs.
    u = (
        estimate_u(vector_counts(np.concatenate(counted)).elements(), settings)
        if counted
        else settings.u_priors
    )
    if not compared:
        return Model(settings.m_priors, u, settings.prior_match_proportion), compared
    groups = np.concatenate([part.left for part in compared])
    kinds, kind_of_pair = np.unique(
        np.concatenate([part.codes for part in compared]), return_inverse=True
    )
    m, proportion = em_one_to_one(
        [vector_of(code) for code in kinds.tolist()], kind_of_pair, groups, u, settings
    )
    return Model(m, u, proportion), compared


def _chunks(positions: Sequence[int], parts: int) -> list[list[int]]:
    step = max(1, -(-len(positions) // parts))
    return [list(positions[k : k + step]) for k in range(0, len(positions), step)]


def _levels_of_pairs(pairs: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    return _work.levels(*pairs)


def _levels_of_blocked(task: tuple[list[int], bool]) -> Compared:
    """Some left records' blocked pairs, compared, a record's own id left out (a record is
    not its own duplicate); right positions and levels are returned if asked for."""
    positions, keep_pairs = task
    li, rj = _work.blocked(positions, own_left_out=True)
    levels = _work.levels(li, rj)
    if keep_pairs:
        return Compared(positions, li, rj, levels, vector_codes(levels))
    return Compared(positions, li, rj[:0], levels[:0], vector_codes(levels))


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
    *,
    registry: Iterable[PersonRecord] | None = None,
    excluded: Collection[tuple[str, str]] = (),
) -> Iterator[Candidate]:
    """For each left record in order, its best `top_k` right records scoring at least
    `threshold`, best first. Trains a model on the two lists unless one is given.

    A word of a left name that no name of `registry` has, while the name's other words
    are there, is read as a likely typo (`compare.with_typos_marked`). `registry` is the
    whole list that `right` is part of (the children, when `right` is the few whose
    records changed); by default `right` itself.

    `excluded` holds (left id, right id) pairs already ruled out (a caseworker said "not
    this child"): they are neither proposed nor take a share of the left record's
    probability from the others."""
    for ranked in candidates_by_left(
        left, right, settings, model, registry=registry, excluded=excluded
    ):
        yield from ranked


def candidates_by_left(
    left: Sequence[PersonRecord],
    right: Sequence[PersonRecord],
    settings: Settings = DEFAULT_SETTINGS,
    model: Model | None = None,
    *,
    registry: Iterable[PersonRecord] | None = None,
    excluded: Collection[tuple[str, str]] = (),
) -> Iterator[list[Candidate]]:
    """Like `find_candidates`, one list per left record (empty when none qualifies), so a
    caller can show progress."""
    yield from each_without_cyclic_gc(
        _prepared_and_ranked(left, right, settings, model, registry=registry, excluded=excluded)
    )


def _prepared_and_ranked(
    left: Sequence[PersonRecord],
    right: Sequence[PersonRecord],
    settings: Settings,
    model: Model | None,
    *,
    registry: Iterable[PersonRecord] | None,
    excluded: Collection[tuple[str, str]],
) -> Iterator[list[Candidate]]:
    """`candidates_by_left`'s lists, the records prepared as the first is made (so with
    the collector paused, and frozen with the rest: `each_without_cyclic_gc`)."""
    left_prepared = [prepare(record) for record in left]
    right_prepared = [prepare(record) for record in right]
    known = vocabulary = None
    if registry is not None:
        whole = [prepare(record) for record in registry]
        known, vocabulary = name_skeletons(whole), name_vocabulary(whole)
    yield from _ranked(
        left_prepared,
        right_prepared,
        settings,
        model,
        skip_same_id=False,
        known=known,
        vocabulary=vocabulary,
        excluded=excluded,
    )


def find_duplicates(
    records: Sequence[PersonRecord],
    settings: Settings = DEFAULT_SETTINGS,
    model: Model | None = None,
) -> Iterator[Candidate]:
    """Pairs of records in one list that may be one person; each pair once, left id first
    in list order."""
    position = {record.id: index for index, record in enumerate(records)}
    seen: set[tuple[str, str]] = set()
    ranked = each_without_cyclic_gc(_prepared_duplicates(records, settings, model))
    for candidate in (candidate for candidates in ranked for candidate in candidates):
        pair = tuple(sorted((candidate.left_id, candidate.right_id), key=position.__getitem__))
        if pair not in seen:
            seen.add((pair[0], pair[1]))
            yield candidate


def _prepared_duplicates(
    records: Sequence[PersonRecord], settings: Settings, model: Model | None
) -> Iterator[list[Candidate]]:
    """`find_duplicates`' lists by record, the records prepared as the first is made
    (`_prepared_and_ranked`)."""
    prepared = [prepare(record) for record in records]
    yield from _ranked(prepared, prepared, settings, model, skip_same_id=True)


# A run of left records' kept candidates: left positions, right positions, vector codes,
# and the shared probability (NaN where the candidate keeps its plain probability).
Ranked = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _ranked(
    left: Sequence[PreparedRecord],
    right: Sequence[PreparedRecord],
    settings: Settings,
    model: Model | None,
    *,
    skip_same_id: bool,
    known: frozenset[str] | None = None,
    vocabulary: Vocabulary | None = None,
    excluded: Collection[tuple[str, str]] = (),
) -> Iterator[list[Candidate]]:
    """Each left record's best candidates.

    Between two lists (`skip_same_id` false) a left record is at most one right record,
    so its candidates' probabilities are shared (`competing_probabilities`); a right
    record with the left record's own id (a list matched against itself) is scored but
    does not compete. Within one list (duplicates) a child may be registered three
    times, so each pair keeps its own probability.

    Large lists are compared by `Settings.workers` processes (all CPUs when 0), forked
    so that they inherit the prepared records and the index instead of receiving copies;
    they return arrays, and only the kept candidates become objects, here. When training
    compared every left record's blocked pairs (lists no longer than
    `em_training_left`) and left out none that scoring needs (between two lists, no left
    id is also a right id), those are ranked as they are, not compared again.
    """
    global _work
    left, right = _with_readings(left, right, vocabulary)
    _work = _Work(left, right, BlockIndex(right, settings), settings, known, excluded)
    compete = not skip_same_id
    # Training's blocked pairs are scoring's unless it left out a left record's own id
    # that scoring keeps (between two lists, a left id that is also a right id).
    same_pairs = not compete or not (_work.left_ids >= 0).any()
    reusable = len(left) <= settings.em_training_left and same_pairs
    with _mapper(len(left), settings) as mapper:
        compared: list[Compared] = []
        if model is None:
            model, compared = _learn(mapper, keep_pairs=same_pairs)
        scorer = Scorer(model)
        table = weight_table(scorer.model)
        prior = math.log2(scorer.model.match_proportion / (1 - scorer.model.match_proportion))
        runs: Iterable[tuple[int, int, Ranked]]
        if compared and reusable:
            runs = (
                (run[0], run[-1] + 1, _rank_pairs(li, rj, levels, run, table, prior, compete))
                for run, li, rj, levels, _ in compared
            )
        else:
            step = max(1, min(1000, len(left) // 16 or 1))
            starts = range(0, len(left), step)
            sample = _Sample(compared if same_pairs else [])
            chunks = [(start, min(start + step, len(left)), table, prior, compete,
                       sample.within(start, min(start + step, len(left))))
                      for start in starts]  # fmt: skip
            runs = zip(starts, (c[1] for c in chunks), mapper(_rank_chunk, chunks), strict=True)
        vectors: dict[int, Vector] = {}
        for start, stop, (li, rj, codes, shares) in runs:
            kept: list[list[Candidate]] = [[] for _ in range(stop - start)]
            for i, j, code, share in zip(
                li.tolist(), rj.tolist(), codes.tolist(), shares.tolist(), strict=True
            ):
                vector = vectors.get(code) or vectors.setdefault(code, vector_of(code))
                kept[i - start].append(
                    scorer.candidate(
                        left[i].id, right[j].id, vector, None if math.isnan(share) else share
                    )
                )
            yield from kept


@contextmanager
def _mapper(left_count: int, settings: Settings) -> Iterator[Mapper]:
    """`map`, or an ordered map over a pool of forked workers for long lists."""
    workers = settings.workers or os.cpu_count() or 1
    if workers < 2 or left_count < settings.parallel_from or not can_fork():
        yield map
        return
    with forked_pool(workers) as pool:
        yield pool.imap


class _Sample:
    """The EM sample's blocked pairs as training compared them (`Compared` runs kept with
    their pairs), to be ranked by scoring instead of being blocked and compared again:
    at 10,000 left records the sample is half of them. Empty when training kept none."""

    def __init__(self, compared: Sequence[Compared]) -> None:
        kept = list(compared)  # each run kept with its pairs (`_learn(keep_pairs=True)`)
        self.positions = np.array([i for part in kept for i in part.run], dtype=np.int64)
        self.left = np.concatenate([part.left for part in kept] or [np.zeros(0, np.int64)])
        self.right = np.concatenate([part.right for part in kept] or [np.zeros(0, np.int64)])
        self.levels = np.concatenate(
            [part.levels for part in kept] or [np.zeros((0, len(FIELDS)), np.int8)]
        )

    def within(self, start: int, stop: int) -> _SampleSlice:
        """The sampled left positions in start..stop, and their compared pairs."""
        first, last = np.searchsorted(self.positions, (start, stop))
        low, high = np.searchsorted(self.left, (start, stop))
        return _SampleSlice(
            self.positions[first:last],
            self.left[low:high],
            self.right[low:high],
            self.levels[low:high],
        )


class _SampleSlice(NamedTuple):
    """Of a run of left records: those in the EM sample, and their compared pairs."""

    positions: np.ndarray
    left: np.ndarray
    right: np.ndarray
    levels: np.ndarray


def _rank_chunk(chunk: tuple[int, int, np.ndarray, float, bool, _SampleSlice]) -> Ranked:
    """The kept candidates of left records start..stop: blocked, compared and ranked;
    those training compared (`_Sample`) are ranked as training compared them."""
    start, stop, table, prior, compete, sampled = chunk
    work = _work
    todo = np.setdiff1d(np.arange(start, stop), sampled.positions).tolist()
    # Within one list a record is not its own duplicate.
    li, rj = work.blocked(todo, own_left_out=not compete)
    levels = work.levels(li, rj)
    if len(sampled.left):
        li, rj = np.concatenate([sampled.left, li]), np.concatenate([sampled.right, rj])
        levels = np.concatenate([sampled.levels, levels])
    return _rank_pairs(li, rj, levels, range(start, stop), table, prior, compete)


def _rank_pairs(
    li: np.ndarray, rj: np.ndarray, levels: np.ndarray,
    run: Sequence[int], table: np.ndarray, prior: float, compete: bool,
) -> Ranked:  # fmt: skip
    """Compared pairs of a run of left records (consecutive positions) weighed, their
    probabilities shared when they compete, filtered by the threshold and cut to the best
    `top_k`. Each word of the left name that the right one does not read costs
    `Settings.word_left_over_bits` at the levels that do not count them
    (`_Work.words_unread`), and at the levels that say one word agrees each further
    word read adds as much (`_Work.words_read_past_one`); each word of a parent's name
    spelled like none of the other's, where the two agree by their consonants only,
    costs `Settings.parent_word_unspelled_bits` (`_Work.parent_words_unspelled`).
    Equal weights go to the right record that leaves fewest of the left name's words
    unmatched (`_Work.words_left_over`), then whose birth is nearest the left one's
    (`_Work.birth_gaps`), then whose name is spelled nearest, then to the right id
    that sorts first."""
    work, settings = _work, _work.settings
    start, stop = run[0], run[-1] + 1
    ruled_out = work.is_excluded(li, rj)
    if ruled_out.any():
        li, rj, levels = li[~ruled_out], rj[~ruled_out], levels[~ruled_out]
    same = work.left_ids[li] == work.right_ids[rj]
    weights = pair_weights(levels, table)
    probability = 1 / (1 + np.power(2.0, -(weights + prior)))
    # A word of the left name left unread costs as a finer names level would, in the
    # order and in the shares (a record's own probability is its vector's); where the
    # level says one word agrees, each further word read counts as much.
    words = work.words_read_past_one(li, rj, levels) - work.words_unread(li, rj, levels)
    weights = weights + settings.word_left_over_bits * words
    # So does a word of a parent's name that agrees by its consonants only.
    weights = weights - settings.parent_word_unspelled_bits * work.parent_words_unspelled(
        li, rj, levels
    )
    shares = np.full(len(li), np.nan)
    if compete:
        others = ~same
        odds = np.where(others, np.power(2.0, np.clip(weights + prior, -1000.0, 1000.0)), 0.0)
        totals = 1.0 + np.bincount(li - start, weights=odds, minlength=stop - start)
        shares = np.where(others, odds / totals[li - start], np.nan)
        probability = np.where(others, shares, probability)
    keep = probability >= settings.threshold
    li, rj, levels, weights, shares = li[keep], rj[keep], levels[keep], weights[keep], shares[keep]
    left_over, spelling = work.words_left_over(li, rj, weights)
    gaps = work.birth_gaps(li, rj)
    order = np.lexsort((work.right_order[rj], spelling, gaps, left_over, -weights, li))
    li, rj, levels, shares = li[order], rj[order], levels[order], shares[order]
    best = np.arange(len(li)) - group_starts(li) < settings.top_k
    return li[best], rj[best], vector_codes(levels[best]), shares[best]


def score_pair(left: PersonRecord, right: PersonRecord, model: Model | None = None) -> Candidate:
    """One pair, scored with `model` (the priors by default): for re-scoring a stored pair."""
    return Scorer(model or prior_model()).score(prepare(left), prepare(right))


__all__ = ["candidates_by_left", "find_candidates", "find_duplicates", "score_pair", "train"]
