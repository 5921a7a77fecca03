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
- names_father, name_father: two name skeletons, or one, with a skeleton of the father's
  given name (from the father field, or read from a patronymic, "bin", or the second word
  of a name in Arabic script);
- names: two name skeletons of one reading, without age (for unknown births; in large
  lists these blocks overflow and are skipped);
- birth_day: the exact day of birth, when both sides know it (survives typos in every
  name word, or a name left out);
- name_year: one name skeleton with the calendar year of a birth known to the year or day
  (survives a typo in the other word, or a missing word, without the overflowing blocks
  of name_birth's two-year buckets of estimated ages);
- name_in_estimate: one name skeleton with a year known to the year or day, against the
  years an estimated age allows (one-sided: `ONE_SIDED_RULES`);
- name_place: one name skeleton with the place's postcode or, without one, a word of the
  place (a town);
- place_year: one word of the place with the year of a birth known to the year or day
  (survives typos in both name words);
- place: two words of the place (a street number and a street, a street and a
  postcode), for records whose names and birth all differ or are missing.

Names alone tell few records apart in a large list, so the rules that pair the name with
the mother's name or the birth bucket do most of the work. A left record may still share
keys with hundreds of right records; `BlockIndex.candidates` ranks them by how many and
how rare the shared keys are, and keeps the best `max_candidates` for full scoring, so
that the cost per left record stays bounded as the lists grow.

A typo in one word of a two-word name ("Mutaeiev") loses every key on both words, and
"Ali" is too short to block on alone: a left record whose pair of name skeletons no
right record has also blocks on the pairs they do have one letter away
(`BlockIndex.corrected_pairs`). Within one list (duplicates) every pair is some record's
own, so this never applies there.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from functools import lru_cache
from itertools import combinations
from typing import NamedTuple

import numpy as np
from rapidfuzz.distance import Levenshtein

from homeward.matching.batch import birth_range_levels
from homeward.matching.compare import (
    AGE_LEVELS,
    DAYS_PER_YEAR,
    DISAGREE,
    MISSING,
    NAME_ONE_WORD,
    PreparedRecord,
)
from homeward.matching.names import MIN_SKELETON_LENGTH, NameForm, skeleton
from homeward.matching.scoring import Settings

MIN_PLACE_SKELETON_LENGTH = 3  # "st", "rd" and the like are in every other address
MIN_PLACE_NUMBER_LENGTH = 3  # street and flat numbers are too common; postcodes are not


@lru_cache(maxsize=1 << 18)
def _skeleton_pairs(forms: tuple[NameForm, ...]) -> frozenset[str]:
    """Unordered pairs of skeletons within one reading; a one-word name keys on its word.

    A name in Arabic order read as its plain words (`NameForm.reads_father`) adds its given name
    with the father's ("Hussein Saeed" writes حسين سعيد علي so), and the father's name
    with the family name only as a key of names of three words (`THREE_WORDS`): "Saeed
    Ali" is not a way to write Hussein's name, but two words of "Hussein Saeed Ali",
    when the given name is spelled past recognition, are. A reading of three words or
    more keys on its pairs both ways. Kept apart, the father's names do not swell the
    blocks that names of two words meet (every Rasul Akhmedov with every Akhmedov whose
    father is Rasul).
    """
    keys = set(_own_pairs(forms))
    for form in forms:
        if form.reads_father and form.given and form.father_hint:
            given, father = skeleton(form.given), skeleton(form.father_hint)
            keys.add("+".join(sorted((given, father))))
            keys.update(f"{father}+{key}{THREE_WORDS}" if father < key else
                        f"{key}+{father}{THREE_WORDS}" for key in form.skeletons
                        if key not in (given, father))  # fmt: skip
        elif len(form.tokens) >= 3:
            keys.update(f"{pair}{THREE_WORDS}" for pair in _own_pairs((form,)) if "+" in pair)
    return frozenset(keys)


THREE_WORDS = "#3"


@lru_cache(maxsize=1 << 18)
def _own_pairs(forms: tuple[NameForm, ...]) -> frozenset[str]:
    """`_skeleton_pairs` of the readings that are the person's own names (not a father's
    name read as a word of the name): whether a pair is one some record has as its name
    (`BlockIndex.corrected_pairs`)."""
    keys: set[str] = set()
    for form in forms:
        if form.reads_father:
            continue
        keys.update("+".join(pair) for pair in combinations(form.skeletons, 2))
        if len(form.skeletons) == 1 and len(form.skeletons[0]) >= MIN_SKELETON_LENGTH:
            keys.add(form.skeletons[0])
        elif len(form.skeletons) == 1 and len(form.tokens) > 1:
            # Words of one short skeleton each: Eiad Awad, اياد عوض ("d" and "d").
            keys.add(f"{form.skeletons[0]}+{form.skeletons[0]}")
    return frozenset(keys)


@lru_cache(maxsize=1 << 18)
def _single_skeletons(forms: tuple[NameForm, ...]) -> frozenset[str]:
    """The word skeletons of a name to block on alone (with a year, a parent, a place):
    not the father's name of a name in Arabic order read as a word of it. Every child
    whose father is Magomed would otherwise join the blocks of the Magomeds born that
    year, which then overflow and are skipped; the father's name still blocks in pairs
    with the given name ("Hussein Saeed" for حسين سعيد علي)."""
    keys = {key for form in forms for key in _own_skeletons(form)}
    return frozenset(key for key in keys if len(key) >= MIN_SKELETON_LENGTH)


def _own_skeletons(form: NameForm) -> Iterable[str]:
    if not form.reads_father:
        return form.skeletons
    return {skeleton(token) for token in form.tokens if token != form.father_hint}


def _pairs_of(record: PreparedRecord, pairs: Iterable[str] | None) -> Iterable[str]:
    """The name keys of the rules on two name skeletons: the record's own, or `pairs` (its
    names with a typo corrected, see `BlockIndex.corrected_pairs`)."""
    return _skeleton_pairs(record.names) if pairs is None else pairs


def _deletions(word: str) -> set[str]:
    return {word[:k] + word[k + 1 :] for k in range(len(word))}


def birth_buckets(birth: tuple[int, int] | None, years: int) -> list[int]:
    """Buckets a birth range touches, widened by a year so near ages still meet."""
    if birth is None:
        return []
    first = date.fromordinal(birth[0]).year - 1
    last = date.fromordinal(birth[1]).year + 1
    return list(range(first // years, last // years + 1))


def _names_birth(
    record: PreparedRecord, settings: Settings, pairs: Iterable[str] | None = None
) -> Iterable[str]:
    buckets = birth_buckets(record.birth, settings.birth_bucket_years)
    return (f"nb:{key}@{bucket}" for key in _pairs_of(record, pairs) for bucket in buckets)


def _name_birth(record: PreparedRecord, settings: Settings) -> Iterable[str]:
    # Survives a typo in one word; in large lists these blocks overflow and are skipped.
    buckets = birth_buckets(record.birth, settings.birth_bucket_years)
    names = _single_skeletons(record.names)
    return (f"b:{key}@{bucket}" for key in names for bucket in buckets)


def _names_mother(
    record: PreparedRecord, settings: Settings, pairs: Iterable[str] | None = None
) -> Iterable[str]:
    mother = _single_skeletons(record.mother)
    return (f"nm:{key}/{parent}" for key in _pairs_of(record, pairs) for parent in mother)


def _name_mother(record: PreparedRecord, settings: Settings) -> Iterable[str]:
    mother = [key for key in _skeleton_pairs(record.mother) if "+" in key]
    return (f"m:{name}/{parent}" for name in _single_skeletons(record.names) for parent in mother)


def _father_givens(record: PreparedRecord) -> frozenset[str]:
    """Skeletons of the father's name that are not the child's own name words (a father's
    family name is most often the child's: it tells nothing the child's name does not).
    The own words are those of the name's first reading: a name in Arabic order is also
    read with the father's name among its words (`names._arabic_readings`)."""
    return _single_skeletons(record.father) - _single_skeletons(record.names[:1])


def _names_father(
    record: PreparedRecord, settings: Settings, pairs: Iterable[str] | None = None
) -> Iterable[str]:
    father = _father_givens(record)
    return (f"nf:{key}/{parent}" for key in _pairs_of(record, pairs) for parent in father)


def _name_father(record: PreparedRecord, settings: Settings) -> Iterable[str]:
    father = _father_givens(record)
    names = _single_skeletons(record.names) if father else frozenset()
    return (f"f:{key}/{parent}" for key in names for parent in father)


def _names(
    record: PreparedRecord, settings: Settings, pairs: Iterable[str] | None = None
) -> Iterable[str]:
    return (f"n:{key}" for key in _pairs_of(record, pairs))


def birth_years(birth: tuple[int, int] | None) -> list[int]:
    """The calendar years of a birth known at least to the year; [] for a wider estimate."""
    if birth is None or birth[1] - birth[0] > DAYS_PER_YEAR:
        return []
    first, last = date.fromordinal(birth[0]).year, date.fromordinal(birth[1]).year
    return list(range(first, last + 1))


def place_words(record: PreparedRecord) -> frozenset[str]:
    """Words of the place to block on: its numbers of three digits or more (postcodes),
    or, when it has none, its other words by their skeleton of three consonants or more.
    A street or a state name is shared by too many addresses to rank candidates well."""
    return _place_words(record.place)


@lru_cache(maxsize=1 << 16)
def _place_words(place: tuple[NameForm, ...]) -> frozenset[str]:
    # Two rules ask for each record's place words; `place_forms` made the skeletons.
    numbers = {token for form in place for token in form.tokens
               if token.isdigit() and len(token) >= MIN_PLACE_NUMBER_LENGTH}  # fmt: skip
    if numbers:
        return frozenset(numbers)
    return frozenset(key for form in place for key in form.skeletons
                     if len(key) >= MIN_PLACE_SKELETON_LENGTH and not key.isdigit())  # fmt: skip


def _birth_day(record: PreparedRecord, settings: Settings) -> Iterable[str]:
    if record.birth is None or record.birth[0] != record.birth[1]:
        return ()
    return (f"d:{record.birth[0]}",)


def _name_year(record: PreparedRecord, settings: Settings) -> Iterable[str]:
    years = birth_years(record.birth)
    names = _single_skeletons(record.names) if years else frozenset()
    return (f"y:{key}@{year}" for key in names for year in years)


def estimate_years(birth: tuple[int, int] | None) -> list[int]:
    """The calendar years of an estimated age's range (wider than a year); [] otherwise."""
    if birth is None or birth[1] - birth[0] <= DAYS_PER_YEAR:
        return []
    return list(range(date.fromordinal(birth[0]).year, date.fromordinal(birth[1]).year + 1))


def _name_in_estimate_indexed(record: PreparedRecord, settings: Settings) -> Iterable[str]:
    years = estimate_years(record.birth)
    names = _single_skeletons(record.names) if years else frozenset()
    return (f"ye:{key}@{year}" for key in names for year in years)


def _name_in_estimate_sought(record: PreparedRecord, settings: Settings) -> Iterable[str]:
    years = birth_years(record.birth)
    names = _single_skeletons(record.names) if years else frozenset()
    return (f"ye:{key}@{year}" for key in names for year in years)


def _name_place(record: PreparedRecord, settings: Settings) -> Iterable[str]:
    words = place_words(record)
    names = _single_skeletons(record.names) if words else frozenset()
    return (f"p:{key}/{word}" for key in names for word in words)


@lru_cache(maxsize=1 << 16)
def _place_pairs(place: tuple[NameForm, ...]) -> frozenset[str]:
    """Unordered pairs of the place's words: numbers as written, other words by their
    skeleton of two consonants at least."""
    words = {token for form in place for token in form.tokens if token.isdigit()}
    words |= {key for form in place for key in form.skeletons
              if len(key) >= MIN_SKELETON_LENGTH and not key.isdigit()}  # fmt: skip
    return frozenset("+".join(pair) for pair in combinations(sorted(words), 2))


def _max_block_size(key: str, settings: Settings) -> int:
    """`max_block_size`; for two words of a place, `max_candidates`: two words that more
    addresses share than a record keeps candidates are a street type and a state, which
    single out no address."""
    if key.startswith(PLACE_PREFIX):
        return min(settings.max_candidates, settings.max_block_size)
    return settings.max_block_size


PLACE_PREFIX = "pp:"


def _place(record: PreparedRecord, settings: Settings) -> Iterable[str]:
    # An address's names and birth may all be mistyped or left out; two of its words
    # (a street number and a street, a street and a postcode) still find it. A pair
    # that many places share (a camp and its town) overflows and is skipped.
    return (f"{PLACE_PREFIX}{pair}" for pair in _place_pairs(record.place))


def _place_year(record: PreparedRecord, settings: Settings) -> Iterable[str]:
    years = birth_years(record.birth)
    words = place_words(record) if years else frozenset()
    return (f"py:{word}@{year}" for word in words for year in years)


Rule = Callable[[PreparedRecord, Settings], Iterable[str]]
BLOCKING_RULES: dict[str, Rule] = {
    "names_mother": _names_mother,
    "name_mother": _name_mother,
    "names_birth": _names_birth,
    "name_birth": _name_birth,
    "names": _names,
    "names_father": _names_father,
    "name_father": _name_father,
    "birth_day": _birth_day,
    "name_year": _name_year,
    "name_place": _name_place,
    "place_year": _place_year,
    "place": _place,
}


# Rules on two name skeletons of one reading: a typo in either word loses all of them.
PAIR_RULES: dict[str, Callable[[PreparedRecord, Settings, Iterable[str]], Iterable[str]]] = {
    "names_mother": _names_mother,
    "names_birth": _names_birth,
    "names_father": _names_father,
    "names": _names,
}


# Rules whose keys differ by side: (the keys a right record is indexed under, the keys a
# left record looks up). name_in_estimate: one name skeleton with a year known to the
# year or day, looked up among the years an estimated age allows. A relative gives the
# year of birth, the registry an age estimated at the border: name_year needs a year on
# both sides, and names_birth two words, so a request with one word spelled past
# recognition ("Hayek Sophonisba" for حايك نصيف صفنبعل, Sophonisba a translation) met
# no key of its child. One-sided, it adds no pair of two estimates (duplicates in a
# registry of estimated ages) nor of two years, which other rules block.
ONE_SIDED_RULES: dict[str, tuple[Rule, Rule]] = {
    "name_in_estimate": (_name_in_estimate_indexed, _name_in_estimate_sought),
}


def blocking_keys(record: PreparedRecord, settings: Settings) -> set[str]:
    return {
        key
        for rule in settings.blocking_rules
        if rule in BLOCKING_RULES
        for key in BLOCKING_RULES[rule](record, settings)
    }


def indexed_keys(record: PreparedRecord, settings: Settings) -> set[str]:
    """The keys a right record is indexed under: `blocking_keys`, and the index side of
    `ONE_SIDED_RULES`."""
    return blocking_keys(record, settings) | _one_sided(record, settings, 0)


def sought_keys(record: PreparedRecord, settings: Settings) -> set[str]:
    """The keys a left record looks up: `blocking_keys`, and the look-up side of
    `ONE_SIDED_RULES`."""
    return blocking_keys(record, settings) | _one_sided(record, settings, 1)


def _one_sided(record: PreparedRecord, settings: Settings, side: int) -> set[str]:
    return {
        key
        for rule in settings.blocking_rules
        if rule in ONE_SIDED_RULES
        for key in ONE_SIDED_RULES[rule][side](record, settings)
    }


UNKNOWN_SEX, FEMALE, MALE, OTHER_SEX = 0, 1, 2, 3
SEX_CODES = {"f": FEMALE, "m": MALE}
# What a key says agrees besides the names: one word of the mother's name (names_mother),
# the mother's whole two-word name (name_mother), the father's given name, or neither.
# The place's words alone (the place rule), which needs two keys to count.
OTHER_KEY, MOTHER_WORD_KEY, FATHER_KEY, MOTHER_WHOLE_KEY, PLACE_KEY = 0, 1, 2, 3, 4
KEY_KINDS = {"nm": MOTHER_WORD_KEY, "m": MOTHER_WHOLE_KEY, "nf": FATHER_KEY, "f": FATHER_KEY,
             "pp": PLACE_KEY}  # fmt: skip
MOTHER_KINDS = (MOTHER_WORD_KEY, MOTHER_WHOLE_KEY)
MOTHER_RULES = {"names_mother", "name_mother"}
FATHER_RULES = {"names_father", "name_father"}


def _key_kind(key: str) -> int:
    return KEY_KINDS.get(key.partition(":")[0], OTHER_KEY)


def _parents_known(
    records: Sequence[PreparedRecord], settings: Settings
) -> tuple[np.ndarray, np.ndarray]:
    """Whether each record has a mother's, and a father's, name to block on (always false
    when no rule blocks on them)."""
    rules = set(settings.blocking_rules)
    mother = [bool(rules & MOTHER_RULES) and bool(_single_skeletons(r.mother)) for r in records]
    father = [bool(rules & FATHER_RULES) and bool(_father_givens(r)) for r in records]
    return np.array(mother, dtype=bool), np.array(father, dtype=bool)


def _parent_codes(
    records: Sequence[PreparedRecord],
    numbers: tuple[dict[str, int], dict[str, int]],
    *,
    add: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """For each record, a number for its mother's whole name (her first pair of word
    skeletons) and one for its father's given name (its skeleton): equal names, equal
    numbers, -1 for none. Names not yet numbered are added to `numbers` if `add` (the
    right records), else get -1 (a left record's name that no right record has)."""
    codes = np.full((len(records), 2), -1, dtype=np.int64)
    for row, record in enumerate(records):
        pairs = sorted(key for key in _skeleton_pairs(record.mother) if "+" in key)
        givens = [skeleton(form.given) for form in record.father[:1] if form.given]
        for column, name in enumerate((pairs[0] if pairs else "", givens[0] if givens else "")):
            if not name:
                continue
            code = numbers[column].get(name)
            if code is None and add:
                code = numbers[column][name] = len(numbers[column])
            codes[row, column] = -1 if code is None else code
    return codes[:, 0], codes[:, 1]


def _mothers_of_two_words(records: Sequence[PreparedRecord]) -> np.ndarray:
    """Whether each record's mother's name has a reading of two words at least that keys
    block on (of `MIN_SKELETON_LENGTH`): only then can one word of it agree and the
    other not."""
    return np.array([_two_words(record.mother) for record in records], dtype=bool)


def _two_words(forms: tuple[NameForm, ...]) -> bool:
    return any(sum(len(key) >= MIN_SKELETON_LENGTH for key in f.skeletons) >= 2 for f in forms)


class BlockIndex:
    """An inverted index from blocking key to positions of right-hand records.

    The positions of all blocks are one array (`_positions`), each usable key holding a
    slice of it (with the key's rarity weight and kind); the right records' births, sexes
    and whether they name the parents are arrays too, for the pre-check in `pairs`.
    """

    def __init__(self, records: Sequence[PreparedRecord], settings: Settings) -> None:
        unknown = set(settings.blocking_rules) - set(BLOCKING_RULES) - set(ONE_SIDED_RULES)
        if unknown:
            raise ValueError(f"unknown blocking rules: {', '.join(sorted(unknown))}")
        self.settings = settings
        blocks: defaultdict[str, list[int]] = defaultdict(list)
        pair_counts: defaultdict[str, int] = defaultdict(int)
        own: set[str] = set()
        for position, record in enumerate(records):
            for key in indexed_keys(record, settings):
                blocks[key].append(position)
            for pair in _skeleton_pairs(record.names):
                if THREE_WORDS not in pair:
                    pair_counts[pair] += 1
            own.update(_own_pairs(record.names))
        # Every pair a typo may be corrected to; and the pairs that are some record's own
        # name (a given name with its father's is not: "Aisha Umarova" mistyped "Aisha
        # Omaroia" (skeletons s, mr) is still corrected, though Aisha daughter of Umar has
        # those skeletons).
        self._pair_counts = dict(pair_counts)
        self._own_pairs = own
        # Each name skeleton of the right records under itself and its deletions: the
        # words a letter apart from any word are found by a few look-ups.
        self._spellings: defaultdict[str, set[str]] = defaultdict(set)
        for word in {word for pair in pair_counts for word in pair.split("+")}:
            for variant in _deletions(word) | {word}:
                self._spellings[variant].add(word)
        self._neighbours: dict[str, tuple[str, ...]] = {}
        self._use_pairs = [rule for rule in settings.blocking_rules if rule in PAIR_RULES]
        usable = {key: positions for key, positions in blocks.items()
                  if len(positions) <= _max_block_size(key, settings)}  # fmt: skip
        self.oversized = len(blocks) - len(usable)
        del blocks
        total = max(len(records), 2)
        # Each usable key: its slice of `_positions`, rarity weight, kind, and for a
        # names_mother key a number for its word of the mother's name (-1 for others).
        self._slices: dict[str, tuple[int, int, float, int, int]] = {}
        mother_words: dict[str, int] = {}
        chunks: list[list[int]] = []
        offset = 0
        for key, positions in usable.items():
            # A shared key counts for more the rarer it is: about the bits of evidence that
            # two records agree on it by chance only once in total/len(positions) pairs.
            weight = math.log2(total / len(positions)) + 1.0
            kind = _key_kind(key)
            mother_word = -1
            if kind == MOTHER_WORD_KEY:
                parent = key.rpartition("/")[2]
                mother_word = mother_words.setdefault(parent, len(mother_words))
            self._slices[key] = (offset, offset + len(positions), weight, kind, mother_word)
            offset += len(positions)
            chunks.append(positions)
        self._positions = np.fromiter(
            (position for chunk in chunks for position in chunk), dtype=np.int32, count=offset
        )
        known = [record.birth is not None for record in records]
        self._born_known = np.array(known, dtype=bool)
        self._born_first = np.array([r.birth[0] if r.birth else 0 for r in records], np.int64)
        self._born_last = np.array([r.birth[1] if r.birth else 0 for r in records], np.int64)
        self._sex = np.array([_sex_code(record.sex) for record in records], np.int8)
        self._mother, self._father = _parents_known(records, settings)
        self._parent_numbers: tuple[dict[str, int], dict[str, int]] = ({}, {})
        self._mother_code, self._father_code = _parent_codes(records, self._parent_numbers)
        self._mother_two_words = _mothers_of_two_words(records)
        self._size = len(records)
        self._age_weights, self._sex_weights, self._parent_weights = _precheck_weights(settings)
        self._mother_one_word = _one_word_weight(settings)

    @property
    def blocks(self) -> dict[str, list[int]]:
        """Each usable key with its right positions (for tests and diagnostics)."""
        return {key: self._positions[start:end].tolist()
                for key, (start, end, *_) in self._slices.items()}  # fmt: skip

    def candidates(self, record: PreparedRecord) -> set[int]:
        """Positions of right-hand records sharing usable keys with `record` (see `pairs`)."""
        return set(self.pairs([record])[1].tolist())

    def pairs(self, records: Sequence[PreparedRecord]) -> tuple[np.ndarray, np.ndarray]:
        """The pairs to compare for some left records: (index into `records`, right
        position) arrays, sorted, each pair once.

        A record keeps every right record it shares a usable key with when there are at
        most `max_candidates`, else the best `max_candidates` by a pre-check that costs a
        few array operations for all of them together: the rarity of the keys they
        share, plus the documented priors' weights for how their ages and sexes compare
        (a namesake ten years older drops out before any name is compared), and the
        weight of a parent's name that disagrees when both records name that parent but
        share no key on it (a namesake with another mother drops below the true child
        whose register left the mother out); a mother's name of which only one word
        agrees counts as the priors weigh that, not as the rarity of its keys. Ties go
        to the earlier right position. All records' keys are looked up first, then the
        blocks are expanded, counted and cut for all of them in one pass.
        """
        left, right, inverse, shares = self._blocked(records)
        left, right, inverse, shares = _without_lone_place_keys(left, right, inverse, shares)
        counts = np.bincount(left, minlength=len(records))
        limit = self.settings.max_candidates
        over = np.flatnonzero(counts[left] > limit)
        if len(over) == 0:
            return left, right
        score = self._scores(records, left[over], right[over], inverse, shares, over)
        order = np.lexsort((right[over], -score, left[over]))
        owned = left[over][order]
        rank = np.arange(len(order)) - np.searchsorted(owned, owned, side="left")
        # Past the cap, a record keeps up to `close_candidates` more that score within
        # `close_margin` of its last kept one: namesakes the pre-check cannot tell apart
        # are left for the full comparison to rank, not cut at random.
        ranked = score[order]
        last_kept = ranked[np.searchsorted(owned, owned, side="left") + limit - 1]
        close = (ranked >= last_kept - self.settings.close_margin) & (
            rank < limit + self.settings.close_candidates
        )
        keep = np.ones(len(left), dtype=bool)
        keep[over[order[(rank >= limit) & ~close]]] = False
        return left[keep], right[keep]

    def _blocked(
        self, records: Sequence[PreparedRecord]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, _Shares]:
        """All blocked pairs (left index, right position), sorted, each once; for each
        key occurrence, the pair it belongs to (`inverse`), and what the keys were."""
        owners: list[int] = []
        found: list[tuple[int, int, float, int, int]] = []
        for owner, record in enumerate(records):
            record_keys = sought_keys(record, self.settings)
            for key in record_keys:
                block = self._slices.get(key)
                if block is not None:
                    owners.append(owner)
                    found.append(block)
            corrected = self.corrected_pairs(record)
            # A key found by trying every spelling a letter away counts for less the more
            # were tried: of many tries, some find a block by chance.
            cut = math.log2(1 + len(corrected))
            fixed = {key for rule in self._use_pairs
                     for key in PAIR_RULES[rule](record, self.settings, corrected)}  # fmt: skip
            for key in fixed - record_keys:
                block = self._slices.get(key)
                if block is not None:
                    start, end, weight, kind, word = block
                    owners.append(owner)
                    found.append((start, end, weight - cut, kind, word))
        if not found:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty, _Shares(np.zeros(0), empty, empty)
        starts, ends, weights, kinds, words = (
            np.array(column) for column in zip(*found, strict=True)
        )
        lengths = ends - starts
        slice_of = np.repeat(np.arange(len(found)), lengths)
        offsets = np.cumsum(lengths) - lengths
        rows = starts[slice_of] + np.arange(len(slice_of)) - offsets[slice_of]
        right = self._positions[rows].astype(np.int64)
        width = np.int64(max(self._size, 1))
        keys, inverse = np.unique(np.array(owners)[slice_of] * width + right, return_inverse=True)
        shares = _Shares(weights[slice_of], kinds[slice_of], words[slice_of])
        return keys // width, keys % width, inverse, shares

    def _scores(
        self,
        records: Sequence[PreparedRecord],
        left: np.ndarray,
        right: np.ndarray,
        inverse: np.ndarray,
        shares: _Shares,
        subset: np.ndarray,
    ) -> np.ndarray:
        """The pre-check scores of the pairs `subset` (indexes into all blocked pairs),
        whose left and right positions are `left` and `right`."""
        score: np.ndarray = np.bincount(inverse, weights=shares.weights)[subset]
        columns = _LeftColumns(records, self.settings, self._parent_numbers)
        score += self._precheck(columns, left, right)
        # A parent's name both records give counts against the pair when no key on it is
        # shared, unless the names agree all the same (their keys overflowed: a father
        # called Umar of a girl called Fatima has hundreds of children in a large list).
        for kinds, known, other, code, other_code, weight in (
            (MOTHER_KINDS, columns.mother, self._mother, columns.mother_code,
             self._mother_code, self._parent_weights[0]),
            ((FATHER_KEY,), columns.father, self._father, columns.father_code,
             self._father_code, self._parent_weights[1]),
        ):  # fmt: skip
            shared = np.bincount(inverse, weights=np.isin(shares.kinds, kinds))[subset] > 0
            both = known[left] & other[right]
            agree = (code[left] >= 0) & (code[left] == other_code[right])
            score += np.where(both & ~shared & ~agree, weight, 0.0)
        # Mothers of two words of which one word agrees (the pair shares names_mother
        # keys on one word of the left mother's name, and no name_mother key): a mother's
        # given name is one of a few dozen, so about one namesake in ten shares it by
        # chance, and the priors weigh "one word agrees" as (slightly) against a match.
        # Counted as the rarity of its keys, that one word had put such namesakes above
        # the true child whose register left the mother out, and cut the child at the cap.
        pair_count = int(inverse.max()) + 1
        word_keys = shares.kinds == MOTHER_WORD_KEY
        one_word = np.bincount(inverse, weights=shares.weights * word_keys)[subset]
        whole = np.bincount(inverse, weights=shares.kinds == MOTHER_WHOLE_KEY)[subset] > 0
        width = np.int64(shares.words.max() + 1)
        pair_words = np.unique(inverse[word_keys] * width + shares.words[word_keys])
        words_agreeing = np.bincount(pair_words // width, minlength=pair_count)[subset]
        only_one = (
            (words_agreeing == 1)
            & ~whole
            & columns.mother_two_words[left]
            & self._mother_two_words[right]
        )
        score += np.where(only_one, self._mother_one_word - one_word, 0.0)
        return score

    def corrected_pairs(self, record: PreparedRecord) -> set[str]:
        """Pairs of name skeletons of the right records that are one letter from a pair of
        `record`'s that no right record has as its own name (a given name with the
        father's is not: `_own_pairs`): a typo in one word of a two-word name
        ("Mutaeiev", "Gasaaova") otherwise loses every key on both words. The rules on
        two name words (`PAIR_RULES`) then block on the corrected pairs too, each key
        found so weighing less the more pairs were tried (`_blocked`).
        """
        corrected: set[str] = set()
        for pair in _skeleton_pairs(record.names):
            if "+" not in pair or THREE_WORDS in pair or pair in self._own_pairs:
                continue
            words = pair.split("+")
            for k, word in enumerate(words):
                for other in self._neighbours_of(word):
                    fixed = "+".join(sorted([*words[:k], other, *words[k + 1 :]]))
                    if fixed in self._pair_counts:
                        corrected.add(fixed)
        return corrected

    def _neighbours_of(self, word: str) -> tuple[str, ...]:
        """Right records' name skeletons one letter (added, dropped or changed) from `word`."""
        found = self._neighbours.get(word)
        if found is None:
            near = set(self._spellings.get(word, ()))
            for variant in _deletions(word):
                near |= self._spellings.get(variant, set())
            near.discard(word)
            found = tuple(sorted(w for w in near if Levenshtein.distance(w, word) <= 1))
            self._neighbours[word] = found
        return found

    def _precheck(
        self, records: _LeftColumns, left: np.ndarray, positions: np.ndarray
    ) -> np.ndarray:
        """The priors' age and sex weights of the left records at `left` against the right
        records at `positions` (0 where either side did not record the field)."""
        score = np.zeros(len(positions))
        known = records.known[left] & self._born_known[positions]
        levels = birth_range_levels(
            records.first[left], records.last[left],
            self._born_first[positions], self._born_last[positions],
        )  # fmt: skip
        score += np.where(known, self._age_weights[levels], 0.0)
        sex, other = records.sex[left], self._sex[positions]
        agree = np.where(other == sex, *self._sex_weights)
        score += np.where((sex == UNKNOWN_SEX) | (other == UNKNOWN_SEX), 0.0, agree)
        return score


# A pair found by the place rule alone shares this many pairs of its words: four words.
PLACE_KEYS_ALONE = 6


def _without_lone_place_keys(
    left: np.ndarray, right: np.ndarray, inverse: np.ndarray, shares: _Shares
) -> tuple[np.ndarray, np.ndarray, np.ndarray, _Shares]:
    """The blocked pairs less those found by the place rule alone with fewer than four
    words of the place in common (`PLACE_KEYS_ALONE` pairs of them): two or three words
    of an address (a street number and "street", a postcode and a state) are shared by
    chance by many; four by few but the same address."""
    place = shares.kinds == PLACE_KEY
    if not place.any():
        return left, right, inverse, shares
    places = np.bincount(inverse, weights=place, minlength=len(left))
    others = np.bincount(inverse, weights=~place, minlength=len(left))
    keep = (others > 0) | (places >= PLACE_KEYS_ALONE)
    if keep.all():
        return left, right, inverse, shares
    kept = keep[inverse]
    renumbered = np.cumsum(keep) - 1
    shares = _Shares(shares.weights[kept], shares.kinds[kept], shares.words[kept])
    return left[keep], right[keep], renumbered[inverse[kept]], shares


class _Shares(NamedTuple):
    """For each key occurrence of some blocked pairs: the key's rarity weight, its kind,
    and its word of the mother's name (names_mother keys; -1 for others)."""

    weights: np.ndarray
    kinds: np.ndarray
    words: np.ndarray


class _LeftColumns:
    """The births, sexes and parents of some left records, for the pre-check."""

    def __init__(
        self, records: Sequence[PreparedRecord], settings: Settings,
        parent_numbers: tuple[dict[str, int], dict[str, int]],
    ) -> None:  # fmt: skip
        self.known = np.array([record.birth is not None for record in records], dtype=bool)
        self.first = np.array([r.birth[0] if r.birth else 0 for r in records], np.int64)
        self.last = np.array([r.birth[1] if r.birth else 0 for r in records], np.int64)
        self.sex = np.array([_sex_code(record.sex) for record in records], np.int8)
        self.mother, self.father = _parents_known(records, settings)
        self.mother_two_words = _mothers_of_two_words(records)
        self.mother_code, self.father_code = _parent_codes(records, parent_numbers, add=False)


def _sex_code(sex: str | None) -> int:
    return SEX_CODES.get(sex, OTHER_SEX) if sex else UNKNOWN_SEX


def _precheck_weights(
    settings: Settings,
) -> tuple[np.ndarray, tuple[float, float], tuple[float, float]]:
    """log2(m/u) of the documented priors for each age level (by its index into
    AGE_LEVELS; 0 for "missing"), for sex (agree, disagree), and for the mother's and the
    father's names disagreeing."""
    m, u = settings.m_priors, settings.u_priors
    age = np.array([0.0 if level == MISSING else math.log2(m["age"][level] / u["age"][level])
                    for level in AGE_LEVELS])  # fmt: skip
    sex = tuple(math.log2(m["sex"][level] / u["sex"][level]) for level in ("agree", "disagree"))
    mother, father = (
        math.log2(m[name][DISAGREE] / u[name][DISAGREE]) for name in ("mother", "father")
    )
    return age, (sex[0], sex[1]), (mother, father)


def _one_word_weight(settings: Settings) -> float:
    """log2(m/u) of the priors for a mother's name of which one word agrees."""
    m, u = settings.m_priors["mother"], settings.u_priors["mother"]
    return math.log2(m[NAME_ONE_WORD] / u[NAME_ONE_WORD])


def candidate_pairs(
    left: Sequence[PreparedRecord], index: BlockIndex
) -> Iterator[tuple[int, set[int]]]:
    """Each left position with the right positions it must be compared with."""
    owners, right = index.pairs(left)
    found: list[set[int]] = [set() for _ in left]
    for owner, position in zip(owners.tolist(), right.tolist(), strict=True):
        found[owner].add(position)
    yield from enumerate(found)
