"""Many pairs at once: the comparison vectors of arrays of pairs, and their ranking.

`compare_records` compares one pair field by field in Python. Between two lists of
100,000 records the blocked pairs number millions, so here a pair costs array operations
instead:

- sex and age are compared in numpy for all pairs together, level by level as
  `compare_sex` and `compare_ages` do;
- names, parents' names and places are compared once per distinct pair of readings
  (`PreparedRecord.codes`): the pairs' code pairs are made unique first, and only those
  not seen before are compared in Python (`compare_names`, `compare_places`);
- a comparison vector is a row of level numbers (indexes into `FIELD_LEVELS`), its
  weight the sum of a table's entries, and ranking is sorting.

Levels, weights and ranks are those of `compare_records` and `Scorer`: the tests check
that both give the same vectors.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

import numpy as np
from rapidfuzz.distance import JaroWinkler, Levenshtein
from rapidfuzz.process import cpdist

from homeward.matching.compare import (
    _READINGS,
    AGE_LEVELS,
    DAYS_PER_YEAR,
    FIELD_LEVELS,
    FIELDS,
    HALF_YEAR,
    JARO_WINKLER_THRESHOLD,
    MISSING,
    NAME_LEVELS,
    PLACE_LEVELS,
    SEX_LEVELS,
    PreparedRecord,
    compare_names,
    compare_places,
)
from homeward.matching.names import family_stem, skeleton
from homeward.matching.scoring import Model, Vector

NAME_INDEX = {level: index for index, level in enumerate(NAME_LEVELS)}
PLACE_INDEX = {level: index for index, level in enumerate(PLACE_LEVELS)}
SEX_AGREE, SEX_DISAGREE, SEX_MISSING = (
    SEX_LEVELS.index(level) for level in ("agree", "disagree", MISSING)
)
AGE = {level: AGE_LEVELS.index(level) for level in AGE_LEVELS}
# Columns of a levels array are FIELDS; the reading codes are names, mother, father, place.
CODE_COLUMNS = {"names": 0, "mother": 1, "father": 2, "place": 3}
RADICES = tuple(len(FIELD_LEVELS[name]) for name in FIELDS)
MAX_LEVELS = max(RADICES)

# Levels by pair of reading codes (left << 32 | right), names-like fields and places apart;
# cleared when they grow past CACHE_LIMIT pairs.
CACHE_LIMIT = 2_000_000
_name_cache: dict[int, int] = {}
_place_cache: dict[int, int] = {}
UNIX_EPOCH = date(1970, 1, 1).toordinal()  # numpy's day 0
# Sexes as small ints: 0 is unknown, others numbered as first seen (compared by equality).
_SEX_CODES: dict[str, int] = {}


def sex_code(sex: str | None) -> int:
    if not sex:
        return 0
    return _SEX_CODES.setdefault(sex, len(_SEX_CODES) + 1)


class Table:
    """The columns of a list of prepared records that pairs are compared on."""

    def __init__(self, records: Sequence[PreparedRecord]) -> None:
        self.records = records
        self.ids = [record.id for record in records]
        self.codes = np.array([record.codes for record in records], dtype=np.int64).reshape(-1, 4)
        self.known = np.array([record.birth is not None for record in records], dtype=bool)
        births = [record.birth or (0, 0) for record in records]
        self.first = np.array([birth[0] for birth in births], dtype=np.int64)
        self.last = np.array([birth[1] for birth in births], dtype=np.int64)
        self.day = self.known & (self.first == self.last)
        self.digits = _digit_rows(self.first, self.day)
        self.sex = np.array([sex_code(record.sex) for record in records], dtype=np.int16)

    def __len__(self) -> int:
        return len(self.ids)


def _digit_rows(ordinals: np.ndarray, day: np.ndarray) -> np.ndarray:
    """YYYYMMDD as eight digits per record (zeros for births not known to the day)."""
    days = (np.where(day, ordinals, UNIX_EPOCH) - UNIX_EPOCH).astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    years = months.astype("datetime64[Y]").astype(np.int64) + 1970
    number = years * 10000 + (months.astype(np.int64) % 12 + 1) * 100
    number += (days - months).astype(np.int64) + 1
    rows = number[:, None] // 10 ** np.arange(7, -1, -1) % 10
    return np.where(day[:, None], rows, 0).astype(np.int8)


def compare_pairs(left: Table, right: Table, li: np.ndarray, rj: np.ndarray) -> np.ndarray:
    """The levels (n × 6, indexes into FIELD_LEVELS in FIELDS order) of the pairs
    (left[li[k]], right[rj[k]])."""
    levels = np.empty((len(li), len(FIELDS)), dtype=np.int8)
    for column, name in enumerate(FIELDS):
        if name in CODE_COLUMNS:
            code = CODE_COLUMNS[name]
            place = name == "place"
            levels[:, column] = _reading_levels(
                left.codes[li, code], right.codes[rj, code], place=place
            )
    levels[:, FIELDS.index("sex")] = _sex_levels(left.sex[li], right.sex[rj])
    levels[:, FIELDS.index("age")] = _age_levels(left, right, li, rj)
    return levels


def _reading_levels(left: np.ndarray, right: np.ndarray, *, place: bool) -> np.ndarray:
    """Levels of pairs of readings, each distinct pair compared once (and cached).

    Names that share no related word (`_related`: a close spelling, or skeletons that
    agree, with or without a family name's ending) "disagree" whatever else they are:
    most pairs of parents' names do. That is settled for all pairs at once
    (`_unrelated`) before any is compared in Python.
    """
    if len(left) == 0:
        return np.zeros(0, dtype=np.int8)
    keys = (left << 32) | right
    unique, inverse = np.unique(keys, return_inverse=True)
    levels = np.full(len(unique), -1, dtype=np.int8)
    if not place:
        left_codes, right_codes = unique >> 32, unique & 0xFFFFFFFF
        empty = _reading_empty(left_codes) | _reading_empty(right_codes)
        levels[empty] = NAME_INDEX[MISSING]
        rest = np.flatnonzero(~empty)
        levels[rest[_unrelated(left_codes[rest], right_codes[rest])]] = NAME_INDEX["disagree"]
    todo = np.flatnonzero(levels < 0)
    cache = _place_cache if place else _name_cache
    compare = compare_places.__wrapped__ if place else compare_names.__wrapped__
    index_of = PLACE_INDEX if place else NAME_INDEX
    if len(cache) > CACHE_LIMIT:
        cache.clear()
    found: list[int] = []
    for key in unique[todo].tolist():
        level = cache.get(key)
        if level is None:
            first, second = _READINGS[key >> 32], _READINGS[key & 0xFFFFFFFF]
            level = cache[key] = index_of[compare(first, second)]
        found.append(level)
    levels[todo] = found
    return levels[inverse]


# Each reading's distinct words as numbers (rows of `_reading_words`, -1 padded), and
# each word's text and skeletons (its own, and its family stem's), for `_unrelated`.
MAX_WORDS = 8
_WORD_NUMBERS: dict[str, int] = {}
_WORDS: list[str] = []
_WORD_SKELETONS: list[tuple[str, str]] = []
_reading_words = np.zeros((0, MAX_WORDS), dtype=np.int32)
NOT_READ = -3


def _words_of(codes: np.ndarray) -> np.ndarray:
    """The word numbers of readings; a reading of more than MAX_WORDS words gets -2s,
    which `_unrelated` takes as related to anything (it is then compared in full). Rows
    are filled when first asked for: places, read too, never are."""
    global _reading_words
    if len(codes) and int(codes.max()) >= len(_reading_words):
        grown = np.full((len(_READINGS) - len(_reading_words), MAX_WORDS), NOT_READ, np.int32)
        _reading_words = np.concatenate([_reading_words, grown])
    rows: np.ndarray = _reading_words[codes]
    unread = rows[:, 0] == NOT_READ
    if unread.any():
        for code in np.unique(codes[unread]).tolist():
            words = sorted({token for form in _READINGS[code] for token in form.tokens})
            row = [_word_number(word) for word in words] if len(words) <= MAX_WORDS else []
            filler = -1 if len(words) <= MAX_WORDS else -2
            _reading_words[code] = row + [filler] * (MAX_WORDS - len(row))
        rows = _reading_words[codes]
    return rows


def _word_number(word: str) -> int:
    number = _WORD_NUMBERS.get(word)
    if number is None:
        number = _WORD_NUMBERS[word] = len(_WORDS)
        _WORDS.append(word)
        _WORD_SKELETONS.append((skeleton(word), skeleton(family_stem(word))))
    return number


def _reading_empty(codes: np.ndarray) -> np.ndarray:
    empty: np.ndarray = _words_of(codes)[:, 0] == -1
    return empty


def _unrelated(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """For pairs of readings, whether no word of one is related to a word of the other
    (`compare._related`, worked out in rapidfuzz for all pairs of words together). The
    spelling threshold is taken a hair low, so that rounding can only send a pair on to
    the full comparison, never wrongly settle it."""
    left_words, right_words = _words_of(left), _words_of(right)
    x = np.repeat(left_words, MAX_WORDS, axis=1)  # pair k, word pair (a, b) at a*W + b
    y = np.tile(right_words, (1, MAX_WORDS))
    valid = (x >= 0) & (y >= 0)
    related = ((x == -2) & (y != -1)) | ((y == -2) & (x != -1))
    pair_keys = x[valid].astype(np.int64) << 32 | y[valid].astype(np.int64)
    word_pairs, inverse = np.unique(pair_keys, return_inverse=True)
    firsts = [_WORDS[number] for number in (word_pairs >> 32).tolist()]
    seconds = [_WORDS[number] for number in (word_pairs & 0xFFFFFFFF).tolist()]
    close = cpdist(firsts, seconds, scorer=JaroWinkler.similarity,
                   score_cutoff=JARO_WINKLER_THRESHOLD - 1e-4) > 0  # fmt: skip
    first_skeletons = [_WORD_SKELETONS[number] for number in (word_pairs >> 32).tolist()]
    second_skeletons = [_WORD_SKELETONS[number] for number in (word_pairs & 0xFFFFFFFF).tolist()]
    for a in (0, 1):
        for b in (0, 1):
            lefts = [pair[a] for pair in first_skeletons]
            rights = [pair[b] for pair in second_skeletons]
            distance = cpdist(lefts, rights, scorer=Levenshtein.distance, score_cutoff=1)
            shortest = np.minimum([len(t) for t in lefts], [len(t) for t in rights])
            close |= (distance == 0) | ((distance == 1) & (shortest >= 3))
    related[valid] = close[inverse]
    unrelated: np.ndarray = ~related.any(axis=1)
    return unrelated


def _sex_levels(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    levels = np.where(left == right, SEX_AGREE, SEX_DISAGREE)
    return np.where((left == 0) | (right == 0), SEX_MISSING, levels).astype(np.int8)


def _age_levels(left: Table, right: Table, li: np.ndarray, rj: np.ndarray) -> np.ndarray:
    """`compare_ages` for arrays of pairs."""
    first, last = left.first[li], left.last[li]
    other_first, other_last = right.first[rj], right.last[rj]
    levels = birth_range_levels(first, last, other_first, other_last)
    both_days = left.day[li] & right.day[rj]
    candidates = np.flatnonzero(both_days & (first != other_first))
    if len(candidates):
        typo = _a_typo_apart(left.digits[li[candidates]], right.digits[rj[candidates]])
        levels[candidates[typo]] = AGE["date a typo apart"]
    levels[~(left.known[li] & right.known[rj])] = AGE[MISSING]
    return levels


def birth_range_levels(
    first: np.ndarray, last: np.ndarray, other_first: np.ndarray, other_last: np.ndarray
) -> np.ndarray:
    """The levels of `compare_ages` that two ranges of birth days (as ordinals) give alone,
    as indexes into AGE_LEVELS, for arrays of pairs whose births are both known: all
    but "missing" and "date a typo apart", which need more than the ranges. The blocking
    pre-check ranks candidates by these too."""
    gap = np.maximum(first, other_first) - np.minimum(last, other_last)
    narrow = np.maximum(last - first, other_last - other_first) < DAYS_PER_YEAR
    middles = np.abs((first + last) - (other_first + other_last)) <= 2 * HALF_YEAR
    levels = np.select(
        [
            (first == last) & (other_first == other_last) & (first == other_first),
            (gap <= 0) & narrow,
            (gap <= 0) & middles,
            gap <= 0,
            gap <= DAYS_PER_YEAR,
            gap <= 3 * DAYS_PER_YEAR,
        ],
        [
            AGE["same date"],
            AGE["same year"],
            AGE["middles agree"],
            AGE["ranges overlap"],
            AGE["within 1 year"],
            AGE["within 3 years"],
        ],
        AGE["disagree"],
    )
    return levels.astype(np.int8)


def _a_typo_apart(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Rows of eight digits one substitution or one swap of neighbours apart (the optimal
    string alignment distance of equal-length strings being at most 1)."""
    differ = left != right
    count = differ.sum(axis=1)
    swapped = (
        differ[:, :-1]
        & differ[:, 1:]
        & (left[:, :-1] == right[:, 1:])
        & (left[:, 1:] == right[:, :-1])
    ).any(axis=1)
    one_edit: np.ndarray = (count == 1) | ((count == 2) & swapped)
    return one_edit


def vector_codes(levels: np.ndarray) -> np.ndarray:
    """One int per row of levels (mixed radix), to count and look up vectors."""
    codes = np.zeros(len(levels), dtype=np.int64)
    for column, radix in enumerate(RADICES):
        codes = codes * radix + levels[:, column]
    return codes


def vector_of(code: int) -> Vector:
    """The comparison vector (level names in FIELDS order) of a vector code."""
    levels: list[str] = []
    for name, radix in zip(reversed(FIELDS), reversed(RADICES), strict=True):
        code, level = divmod(code, radix)
        levels.append(FIELD_LEVELS[name][level])
    return tuple(reversed(levels))


def vector_counts(levels: np.ndarray) -> Counter[Vector]:
    """How many rows show each comparison vector."""
    codes, counts = np.unique(vector_codes(levels), return_counts=True)
    return Counter(
        {
            vector_of(code): count
            for code, count in zip(codes.tolist(), counts.tolist(), strict=True)
        }
    )


def weight_table(model: Model) -> np.ndarray:
    """Each field's weight per level (rows in FIELDS order), "missing" 0."""
    table = np.zeros((len(FIELDS), MAX_LEVELS))
    for row, name in enumerate(FIELDS):
        for column, level in enumerate(FIELD_LEVELS[name]):
            table[row, column] = model.weight(name, level)
    return table


def pair_weights(levels: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Match weights of rows of levels: fields added in FIELDS order, as `Scorer` does."""
    weights: np.ndarray = table[0, levels[:, 0]]
    for column in range(1, len(FIELDS)):
        weights = weights + table[column, levels[:, column]]
    return weights


def group_starts(sorted_groups: np.ndarray) -> np.ndarray:
    """For each row of an array sorted by group, the row where its group starts."""
    return np.searchsorted(sorted_groups, sorted_groups, side="left")
