"""Blocking: only pairs that share a key are compared, so cost grows near n log n, not n².

Each rule turns a record into keys; an inverted index maps each key to the right-hand
records that have it. A key shared by more than `max_block_size` records says little
(everyone called Magomed born 2010-2013) and is skipped: other keys still find the pair.

Rules (`Settings.blocking_rules`):
- names_mother: two name skeletons of one reading, with one skeleton of the mother's name;
- name_mother: one name skeleton with two skeletons of the mother's name (survives a typo
  in the child's own name);
- names_birth: two name skeletons of one reading, with a birth-year bucket;
- name_birth (optional, not in the defaults): one name skeleton with a birth-year bucket;
  it survives a typo in the other word but multiplies pairs in large lists;
- names: two name skeletons of one reading, without age (for unknown births; in large
  lists these blocks overflow and are skipped);
- birth_day: the exact day of birth, when both sides know it (survives typos in every
  name word, or a name left out);
- name_year: one name skeleton with the calendar year of a birth known to the year or day
  (survives a typo in the other word, or a missing word, without the overflowing blocks
  of name_birth's two-year buckets of estimated ages);
- name_place: one name skeleton with the place's postcode or, without one, a word of the
  place (a town);
- place_year: one word of the place with the year of a birth known to the year or day
  (survives typos in both name words).

Names alone tell few records apart in a large list, so the rules that pair the name with
the mother's name or the birth bucket do most of the work. A left record may still share
keys with hundreds of right records; `BlockIndex.candidates` ranks them by how many and
how rare the shared keys are, and keeps the best `max_candidates` for full scoring, so
that the cost per left record stays bounded as the lists grow.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from itertools import combinations

from homeward.matching.compare import DAYS_PER_YEAR, PreparedRecord
from homeward.matching.names import NameForm, all_skeletons, skeleton
from homeward.matching.scoring import Settings

MIN_SKELETON_LENGTH = 2  # one consonant says too little to block on
MIN_PLACE_SKELETON_LENGTH = 3  # "st", "rd" and the like are in every other address
MIN_PLACE_NUMBER_LENGTH = 3  # street and flat numbers are too common; postcodes are not


def _skeleton_pairs(forms: Sequence[NameForm]) -> set[str]:
    """Unordered pairs of skeletons within one reading; a one-word name keys on its word."""
    keys: set[str] = set()
    for form in forms:
        keys.update("+".join(pair) for pair in combinations(form.skeletons, 2))
        if len(form.skeletons) == 1 and len(form.skeletons[0]) >= MIN_SKELETON_LENGTH:
            keys.add(form.skeletons[0])
    return keys


def _single_skeletons(forms: Iterable[NameForm]) -> set[str]:
    return {key for key in all_skeletons(forms) if len(key) >= MIN_SKELETON_LENGTH}


def birth_buckets(birth: tuple[int, int] | None, years: int) -> list[int]:
    """Buckets a birth range touches, widened by a year so near ages still meet."""
    if birth is None:
        return []
    first = date.fromordinal(birth[0]).year - 1
    last = date.fromordinal(birth[1]).year + 1
    return list(range(first // years, last // years + 1))


def _names_birth(record: PreparedRecord, settings: Settings) -> Iterable[str]:
    buckets = birth_buckets(record.birth, settings.birth_bucket_years)
    return (f"nb:{key}@{bucket}" for key in _skeleton_pairs(record.names) for bucket in buckets)


def _name_birth(record: PreparedRecord, settings: Settings) -> Iterable[str]:
    # Survives a typo in one word; in large lists these blocks overflow and are skipped.
    buckets = birth_buckets(record.birth, settings.birth_bucket_years)
    names = _single_skeletons(record.names)
    return (f"b:{key}@{bucket}" for key in names for bucket in buckets)


def _names_mother(record: PreparedRecord, settings: Settings) -> Iterable[str]:
    mother = _single_skeletons(record.mother)
    return (f"nm:{key}/{parent}" for key in _skeleton_pairs(record.names) for parent in mother)


def _name_mother(record: PreparedRecord, settings: Settings) -> Iterable[str]:
    mother = {key for key in _skeleton_pairs(record.mother) if "+" in key}
    return (f"m:{name}/{parent}" for name in _single_skeletons(record.names) for parent in mother)


def _names(record: PreparedRecord, settings: Settings) -> Iterable[str]:
    return (f"n:{key}" for key in _skeleton_pairs(record.names))


def birth_years(birth: tuple[int, int] | None) -> list[int]:
    """The calendar years of a birth known at least to the year; [] for a wider estimate."""
    if birth is None or birth[1] - birth[0] > DAYS_PER_YEAR:
        return []
    first, last = date.fromordinal(birth[0]).year, date.fromordinal(birth[1]).year
    return list(range(first, last + 1))


def place_words(record: PreparedRecord) -> set[str]:
    """Words of the place to block on: its numbers of three digits or more (postcodes),
    or, when it has none, its other words by their skeleton of three consonants or more.
    A street or a state name is shared by too many addresses to rank candidates well."""
    numbers: set[str] = set()
    words: set[str] = set()
    for form in record.place:
        for token in form.tokens:
            if token.isdigit():
                if len(token) >= MIN_PLACE_NUMBER_LENGTH:
                    numbers.add(token)
            elif len(key := skeleton(token)) >= MIN_PLACE_SKELETON_LENGTH:
                words.add(key)
    return numbers or words


def _birth_day(record: PreparedRecord, settings: Settings) -> Iterable[str]:
    if record.birth is None or record.birth[0] != record.birth[1]:
        return ()
    return (f"d:{record.birth[0]}",)


def _name_year(record: PreparedRecord, settings: Settings) -> Iterable[str]:
    years = birth_years(record.birth)
    names = _single_skeletons(record.names) if years else set()
    return (f"y:{key}@{year}" for key in names for year in years)


def _name_place(record: PreparedRecord, settings: Settings) -> Iterable[str]:
    words = place_words(record)
    names = _single_skeletons(record.names) if words else set()
    return (f"p:{key}/{word}" for key in names for word in words)


def _place_year(record: PreparedRecord, settings: Settings) -> Iterable[str]:
    years = birth_years(record.birth)
    words = place_words(record) if years else set()
    return (f"py:{word}@{year}" for word in words for year in years)


BLOCKING_RULES: dict[str, Callable[[PreparedRecord, Settings], Iterable[str]]] = {
    "names_mother": _names_mother,
    "name_mother": _name_mother,
    "names_birth": _names_birth,
    "name_birth": _name_birth,
    "names": _names,
    "birth_day": _birth_day,
    "name_year": _name_year,
    "name_place": _name_place,
    "place_year": _place_year,
}


def blocking_keys(record: PreparedRecord, settings: Settings) -> set[str]:
    return {
        key for rule in settings.blocking_rules for key in BLOCKING_RULES[rule](record, settings)
    }


class BlockIndex:
    """An inverted index from blocking key to positions of right-hand records."""

    def __init__(self, records: Sequence[PreparedRecord], settings: Settings) -> None:
        self.settings = settings
        blocks: defaultdict[str, list[int]] = defaultdict(list)
        for position, record in enumerate(records):
            for key in blocking_keys(record, settings):
                blocks[key].append(position)
        self.blocks = {
            key: positions
            for key, positions in blocks.items()
            if len(positions) <= settings.max_block_size
        }
        self.oversized = len(blocks) - len(self.blocks)
        # A shared key counts for more the rarer it is (inverse block frequency).
        total = max(len(records), 2)
        self._key_weight = {
            key: math.log(total / len(positions)) + 1.0 for key, positions in self.blocks.items()
        }

    def candidates(self, record: PreparedRecord) -> set[int]:
        """Positions of right-hand records sharing usable keys with `record`: all of them
        when there are at most `max_candidates`, else those sharing the most and rarest."""
        shared: defaultdict[int, float] = defaultdict(float)
        for key in blocking_keys(record, self.settings):
            positions = self.blocks.get(key)
            if positions is None:
                continue
            weight = self._key_weight[key]
            for position in positions:
                shared[position] += weight
        limit = self.settings.max_candidates
        if len(shared) <= limit:
            return set(shared)
        best = heapq.nlargest(limit, shared.items(), key=lambda item: (item[1], -item[0]))
        return {position for position, _ in best}


def candidate_pairs(
    left: Sequence[PreparedRecord], index: BlockIndex
) -> Iterator[tuple[int, set[int]]]:
    """Each left position with the right positions it must be compared with."""
    for position, record in enumerate(left):
        yield position, index.candidates(record)
