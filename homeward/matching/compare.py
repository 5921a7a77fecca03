"""Field comparisons, each returning one discrete agreement level.

Levels are ordered from strongest agreement to disagreement; "missing" means one side did
not record the field, and the scorer gives it no weight either way.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, JaroWinkler, Levenshtein

from homeward.lib.i18n import gettext_noop
from homeward.matching.names import (
    MIN_SKELETON_LENGTH,
    NameForm,
    family_stem,
    form_from_latin,
    name_forms,
    place_forms,
    skeleton,
    skeletons_a_typo_apart,
    skeletons_agree,
    skeletons_equal,
)
from homeward.matching.records import PersonRecord

MISSING = gettext_noop("missing")
DISAGREE = gettext_noop("disagree")

NAME_EXACT = gettext_noop("exact")
NAME_SIMILAR = gettext_noop("similar spelling")  # Jaro-Winkler >= 0.92
NAME_SAME_TOKENS = gettext_noop("same tokens")  # token-set ratio >= 0.85: order, extra names
NAME_PHONETIC = gettext_noop("phonetic agree")  # consonant skeletons agree, across scripts
# skeletons a letter apart: a typo, or another name
NAME_PHONETIC_CLOSE = gettext_noop("phonetic close")
NAME_FAMILY_ONLY = gettext_noop("family name only")  # a family name agrees, the given names differ
# a word agrees, the others differ (not known as a family name)
NAME_ONE_WORD = gettext_noop("one word agrees")
NAME_LEVELS = (
    NAME_EXACT, NAME_SIMILAR, NAME_SAME_TOKENS, NAME_PHONETIC, NAME_PHONETIC_CLOSE,
    NAME_FAMILY_ONLY, NAME_ONE_WORD, DISAGREE, MISSING,
)  # fmt: skip

SEX_LEVELS = (gettext_noop("agree"), DISAGREE, MISSING)

AGE_SAME_DATE = gettext_noop("same date")  # both know the day, and it is the same
# both know the day: one digit changed, or two swapped
AGE_DATE_TYPO = gettext_noop("date a typo apart")
# ranges of a year at most (a year, a month, a day) overlap
AGE_SAME_YEAR = gettext_noop("same year")
# Wider ranges (estimated ages) overlap, their middles within half a year: the birth is
# in the estimate's likeliest year. An age guessed as 6 is 6 more often than 5 or 7.
AGE_MIDDLES = gettext_noop("middles agree")
AGE_OVERLAP = gettext_noop("ranges overlap")  # wider ranges overlap further from their middles
AGE_WITHIN_1 = gettext_noop("within 1 year")
AGE_WITHIN_3 = gettext_noop("within 3 years")
AGE_LEVELS = (
    AGE_SAME_DATE, AGE_DATE_TYPO, AGE_SAME_YEAR, AGE_MIDDLES, AGE_OVERLAP, AGE_WITHIN_1,
    AGE_WITHIN_3, DISAGREE, MISSING,
)  # fmt: skip

PLACE_EXACT = gettext_noop("exact")
# every word of the shorter place is spelled alike in the other
PLACE_SIMILAR = gettext_noop("similar")
PLACE_MOSTLY = gettext_noop("most words agree")  # two thirds of the shorter place's words at least
PLACE_LEVELS = (PLACE_EXACT, PLACE_SIMILAR, PLACE_MOSTLY, DISAGREE, MISSING)
MOSTLY_SHARE = 2 / 3

FIELD_LEVELS: dict[str, tuple[str, ...]] = {
    "names": NAME_LEVELS,
    "sex": SEX_LEVELS,
    "age": AGE_LEVELS,
    "mother": NAME_LEVELS,
    "father": NAME_LEVELS,
    "place": PLACE_LEVELS,
}
FIELDS = tuple(FIELD_LEVELS)

# What each level means, for people who read an explanation, by the levels' own tuple.
LEVEL_MEANINGS: dict[tuple[str, ...], dict[str, str]] = {
    NAME_LEVELS: {
        NAME_EXACT: gettext_noop(
            "the same words in one reading of each (one script, or transliterated)"
        ),
        NAME_SIMILAR: gettext_noop("every word spelled nearly alike"),
        NAME_SAME_TOKENS: gettext_noop(
            "one name's words are among the other's (a name added or left out)"
        ),
        NAME_PHONETIC: gettext_noop(
            "the same consonants in every word, as a name written in two scripts"
        ),
        NAME_PHONETIC_CLOSE: gettext_noop("consonants a letter apart: a typo, or another name"),
        NAME_FAMILY_ONLY: gettext_noop("the family name agrees, the given names differ"),
        NAME_ONE_WORD: gettext_noop("one word agrees, the others differ"),
        DISAGREE: gettext_noop("no word in common"),
        MISSING: gettext_noop("not written on one side"),
    },
    SEX_LEVELS: {
        "agree": gettext_noop("the same sex"),
        DISAGREE: gettext_noop("another sex"),
        MISSING: gettext_noop("not recorded"),
    },
    AGE_LEVELS: {
        AGE_SAME_DATE: gettext_noop("the same day of birth"),
        AGE_DATE_TYPO: gettext_noop("days of birth one digit, or two swapped digits, apart"),
        AGE_SAME_YEAR: gettext_noop("births known to the year or better, in the same year"),
        AGE_MIDDLES: gettext_noop("an estimated age whose likeliest year holds the other birth"),
        AGE_OVERLAP: gettext_noop("an estimated age that allows the other birth, at its edge"),
        AGE_WITHIN_1: gettext_noop("births at most a year apart"),
        AGE_WITHIN_3: gettext_noop("births at most three years apart"),
        DISAGREE: gettext_noop("births more than three years apart"),
        MISSING: gettext_noop("no birth or age on one side"),
    },
    PLACE_LEVELS: {
        PLACE_EXACT: gettext_noop("the same place"),
        PLACE_SIMILAR: gettext_noop(
            "every word of the shorter place is in the longer, spelled nearly alike"
        ),
        PLACE_MOSTLY: gettext_noop("two thirds of the words agree"),
        DISAGREE: gettext_noop("other places"),
        MISSING: gettext_noop("no place on one side"),
    },
}


def level_meaning(field: str, level: str) -> str:
    """What a field's level says, in words ("" for a level the field does not have)."""
    levels = FIELD_LEVELS.get(field)
    return LEVEL_MEANINGS[levels].get(level, "") if levels else ""


JARO_WINKLER_THRESHOLD = 0.92
TOKEN_SET_THRESHOLD = 85.0
DAYS_PER_YEAR = 366  # generous: a leap day must not turn "within 1 year" into 3
HALF_YEAR = 183


@dataclass(frozen=True)
class PreparedRecord:
    """A record with its names read once, so that each pair costs only lookups.

    `codes` number the record's names, mother's, father's and place's readings (equal
    readings, equal numbers), so that comparisons are cached by a pair of small ints.
    """

    id: str
    names: tuple[NameForm, ...]
    sex: str | None
    birth: tuple[int, int] | None  # earliest and latest day, as ordinals
    mother: tuple[NameForm, ...]
    father: tuple[NameForm, ...]
    place: tuple[NameForm, ...]
    codes: tuple[int, int, int, int] = (-1, -1, -1, -1)


# Every distinct tuple of readings seen in this process, numbered (see PreparedRecord.codes).
_READING_CODES: dict[tuple[NameForm, ...], int] = {}
_READINGS: list[tuple[NameForm, ...]] = []


def reading_code(forms: tuple[NameForm, ...]) -> int:
    code = _READING_CODES.get(forms)
    if code is None:
        code = _READING_CODES[forms] = len(_READINGS)
        _READINGS.append(forms)
    return code


def prepare(record: PersonRecord) -> PreparedRecord:
    names = name_forms(record.names)
    birth = record.birth
    span = (birth.earliest.toordinal(), birth.latest.toordinal()) if birth.is_known else None
    mother = name_forms(record.mother)
    father = name_forms(record.father) or _father_from_names(names)
    place = place_forms(record.place) if record.place else ()
    return PreparedRecord(
        id=record.id,
        names=names,
        sex=record.sex or None,
        birth=span,
        mother=mother,
        father=father,
        place=place,
        codes=(
            reading_code(names),
            reading_code(mother),
            reading_code(father),
            reading_code(place),
        ),
    )


def name_skeletons(records: Iterable[PreparedRecord]) -> frozenset[str]:
    """Every word skeleton of the records' names: a list's words, for `with_typos_marked`."""
    return frozenset(key for record in records for form in record.names for key in form.skeletons)


@dataclass(frozen=True)
class Vocabulary:
    """The words of a list's names (its children's, mothers', fathers'), as each spelling
    is first read, and their skeletons: what a further reading of another list's name
    must meet to be worth comparing (`with_readings_for`)."""

    tokens: frozenset[str]
    skeletons: frozenset[str]


def name_vocabulary(records: Iterable[PreparedRecord]) -> Vocabulary:
    tokens: set[str] = set()
    skeletons: set[str] = set()
    for record in records:
        for forms in (record.names, record.mother, record.father):
            for form in forms:
                if not form.extra:
                    tokens |= form.tokens
                    skeletons.update(form.skeletons)
    return Vocabulary(frozenset(tokens), frozenset(skeletons))


def with_readings_for(
    records: Sequence[PreparedRecord], vocabulary: Vocabulary
) -> list[PreparedRecord]:
    """The records, each name keeping only the readings in other Russian standards
    (`NameForm.restandard`) that meet the other list (`vocabulary`): a word read in
    another standard that the other list spells so ("Orehov" read "orekhov", where the
    registry has Орехов), or whose consonants it has and the spelling as written has
    not ("Mixeev" read "mikheev"). Read in every Russian standard, most Latin names
    gain readings no name of the other list has ("Hugh" read "khugkh"): comparing them
    would cost as much as the name itself and find nothing. The readings of Arabic
    naming (the plain words of a name in Arabic order, an attached article) and a pet
    name's full names are kept as they are (`_may_count` weighs them pair by pair)."""
    kept: dict[int, tuple[NameForm, ...]] = {}
    result: list[PreparedRecord] = []
    for record in records:
        fields = []
        for code, forms in zip(record.codes[:3], (record.names, record.mother, record.father),
                               strict=True):  # fmt: skip
            found = kept.get(code)
            if found is None:
                found = kept[code] = tuple(f for f in forms if _meets(f, vocabulary))
            fields.append(found)
        names, mother, father = fields
        if (names, mother, father) != (record.names, record.mother, record.father):
            codes = (
                reading_code(names),
                reading_code(mother),
                reading_code(father),
                record.codes[3],
            )
            record = replace(record, names=names, mother=mother, father=father, codes=codes)
        result.append(record)
    return result


def _meets(form: NameForm, vocabulary: Vocabulary) -> bool:
    """Whether a word only this reading has is a word of `vocabulary`, or has a skeleton
    of three consonants at least that the words it reads otherwise have not and the
    vocabulary has (two consonants are shared by too many names to tell)."""
    if not form.restandard:
        return True
    replaced = {skeleton(token) for token in form.replaced}
    return any(
        token in vocabulary.tokens
        or (
            len(key := skeleton(token)) >= NEW_SKELETON_LENGTH
            and key in vocabulary.skeletons
            and key not in replaced
        )
        for token in form.extra
    )


NEW_SKELETON_LENGTH = 3


def with_typos_marked(
    records: Sequence[PreparedRecord], known: frozenset[str]
) -> list[PreparedRecord]:
    """The records, each reading of a name marked with its likely typo (`NameForm.typo`):
    the one word whose skeleton no name of the other list has (`known`,
    `name_skeletons`), when the reading's other words are among them.

    A relative types "Муaа Умаров" for Musa Umarov. The skeleton "m" is a letter from Musa's
    "ms", as Umar's "mr" is from Musa's, but no child in the registry has a word "m",
    while every child has a word Umar or Musa: so "m" is a typo, and may agree a letter
    apart ("phonetic close"), which two names that do exist may not. A name whose words
    are all unknown is more likely one the registry does not have than a typo.
    """
    marked: dict[int, tuple[NameForm, ...]] = {}
    result: list[PreparedRecord] = []
    for record in records:
        names = marked.get(record.codes[0])
        if names is None:
            names = marked[record.codes[0]] = tuple(_typo_marked(f, known) for f in record.names)
        if names != record.names:
            codes = (reading_code(names), *record.codes[1:])
            record = replace(record, names=names, codes=codes)
        result.append(record)
    return result


def _typo_marked(form: NameForm, known: frozenset[str]) -> NameForm:
    unknown = [key for key in form.skeletons if key not in known]
    if len(unknown) != 1 or len(form.skeletons) < 2:
        return form
    return replace(form, typo=unknown[0])


def _father_from_names(names: tuple[NameForm, ...]) -> tuple[NameForm, ...]:
    # A patronymic or "bin Magomed" names the father when the father field is empty.
    hints = {form.father_hint for form in names if form.father_hint}
    forms = (form_from_latin(hint) for hint in sorted(hints))
    return tuple(form for form in forms if form is not None)


# Comparison caches by pair of reading codes; cleared when they grow past this many pairs.
CACHE_LIMIT = 4_000_000
_name_levels: dict[tuple[int, int], str] = {}
_place_levels: dict[tuple[int, int], str] = {}


def compare_records(left: PreparedRecord, right: PreparedRecord) -> tuple[str, ...]:
    """The comparison vector: one level per field, in FIELDS order."""
    (names, mother, father, place), (r_names, r_mother, r_father, r_place) = (
        left.codes,
        right.codes,
    )
    if names < 0 or r_names < 0:  # records not made by `prepare`: no codes to cache by
        return _compare_uncached(left, right)
    return (
        _cached_names(names, r_names),
        compare_sex(left.sex, right.sex),
        compare_ages(left.birth, right.birth),
        _cached_names(mother, r_mother),
        _cached_names(father, r_father),
        _cached_place(place, r_place),
    )


def _compare_uncached(left: PreparedRecord, right: PreparedRecord) -> tuple[str, ...]:
    return (
        compare_names(left.names, right.names),
        compare_sex(left.sex, right.sex),
        compare_ages(left.birth, right.birth),
        compare_names(left.mother, right.mother),
        compare_names(left.father, right.father),
        compare_places(left.place, right.place),
    )


def _cached_names(left: int, right: int) -> str:
    level = _name_levels.get((left, right))
    if level is None:
        if len(_name_levels) > CACHE_LIMIT:
            _name_levels.clear()
        level = _name_levels[left, right] = compare_names(_READINGS[left], _READINGS[right])
    return level


def _cached_place(left: int, right: int) -> str:
    level = _place_levels.get((left, right))
    if level is None:
        if len(_place_levels) > CACHE_LIMIT:
            _place_levels.clear()
        level = _place_levels[left, right] = compare_places(_READINGS[left], _READINGS[right])
    return level


@lru_cache(maxsize=100_000)
def compare_names(left: tuple[NameForm, ...], right: tuple[NameForm, ...]) -> str:
    """The strongest level any reading of one name reaches against any of the other.

    Below "similar spelling" the shorter name's words need only be among the longer's, so
    the given names must also agree: Magomed Aliev is not Khalid Magomed Aliev (Khalid son
    of Magomed, in Arabic order), his brother. Skeletons must be equal for "phonetic
    agree"; a letter apart (a typo, or Maryam and Zarema) is "phonetic close", where a
    word that no name of the other list has (`NameForm.typo`) may be a letter apart
    however short (Муaа is Musa: "m" and "ms"). A family
    name shared by names that agree no further is "family name only"; any other word
    spelled alike (or with equal skeletons) while the rest differ is "one word agrees":
    Liam Doody and Seth Doody, where no ending says which word is the family name.
    """
    if not left or not right:
        return MISSING
    # Every level above "disagree" needs a word of one reading related to a word of the
    # other: most pairs of different people have none, in any sense, and end here.
    pairs = [
        (a, b)
        for a in left
        for b in right
        # A first reading (no extra words) always may count: spared the call.
        if (not a.extra or _may_count(a, b))
        and (not b.extra or _may_count(b, a))
        and _any_related(a.tokens, b.tokens)
        and not ((a.reads_father or b.reads_father) and _father_as_family(a, b))
    ]
    if not pairs:
        return DISAGREE
    if any(a.tokens == b.tokens for a, b in pairs):
        return NAME_EXACT
    # Every level down to "phonetic close" needs each word of one name to be related to a
    # word of the other: most pairs of readings fail that, and go to "family name only".
    close = [(a, b) for a, b in pairs if _may_cover(a, b)]
    if any(_similar_spelling(a, b) for a, b in close):
        return NAME_SIMILAR
    given_agree = [
        (a, b)
        for a, b in close
        if _givens_agree(a, b, strict=True) or _same_words(a, b) or _given_and_father(a, b)
    ]
    if any(_same_tokens(a, b) for a, b in given_agree):
        return NAME_SAME_TOKENS
    if any(_phonetic(a, b, strict=True) for a, b in given_agree):
        return NAME_PHONETIC
    if any(
        _givens_agree(a, b, typo=a.typo or b.typo)
        and _phonetic(a, b, strict=False, typo=a.typo or b.typo)
        for a, b in close
    ):
        return NAME_PHONETIC_CLOSE
    if any(_family_agrees(a, b) for a, b in pairs):
        return NAME_FAMILY_ONLY
    if any(_word_agrees(x, y) for a, b in pairs for x in a.tokens for y in b.tokens):
        return NAME_ONE_WORD
    return DISAGREE


def _may_cover(left: NameForm, right: NameForm) -> bool:
    """Whether every word of one reading is related to a word of the other (`_may_relate`),
    words with no consonants (none in their family stem either) aside: what "similar
    spelling", "same tokens" and the phonetic levels all need of the shorter name."""
    return _covered(left.tokens, right.tokens) or _covered(right.tokens, left.tokens)


@lru_cache(maxsize=1 << 19)
def _covered(tokens: frozenset[str], others: frozenset[str]) -> bool:
    return all(
        not _has_consonants(token) or any(_may_relate(token, other) for other in others)
        for token in tokens
    )


@lru_cache(maxsize=1 << 18)
def _has_consonants(token: str) -> bool:
    return bool(skeleton(token)) and bool(skeleton(family_stem(token)))


def _may_count(form: NameForm, other: NameForm) -> bool:
    """Whether a further reading of a name can reach a level against `other` that the
    first reading of its spelling cannot (`_any_related`). A name in Arabic order read
    as its plain words (the father's name among them) is read so to meet a name written
    as given and father's name ("Hussein Saeed" for حسين سعيد علي): it counts only against
    a name with a word related to the given name and one related to the father's;
    the father's name alone says nothing of the child's own name."""
    if not form.extra:
        return True
    if form.reads_father and form.given and form.father_hint:
        return _any_related(frozenset((form.given,)), other.tokens) and _any_related(
            frozenset((form.father_hint,)), other.tokens
        )
    return _any_related(form.extra, other.tokens)


@lru_cache(maxsize=1 << 18)
def _any_related(words: frozenset[str], others: frozenset[str]) -> bool:
    """Whether a word of a further reading of a name (`NameForm.extra`: its words that the
    first reading of its spelling has not) is related to a word of another name
    (`_may_relate`). If none is, the further reading can reach no level against that
    name that the first reading cannot: its other words are the first reading's, and
    every level above "disagree" needs an extra word to agree with one of the other's
    or has been reached by the first reading already. Most further readings (an Arabic
    name's father's name read as a word of it, another standard's spelling) relate to
    nothing in most names they meet, and are not compared there."""
    return any(_may_relate(word, other) for word in words for other in others)


@lru_cache(maxsize=1 << 20)
def _may_relate(left: str, right: str) -> bool:
    return _related(left, right) or Levenshtein.distance(skeleton(left), skeleton(right)) <= 1


def _related(left: str, right: str) -> bool:
    """Whether two words could make any level above "disagree": close spellings, or
    skeletons that agree, with or without a family name's ending. Not cached: its one
    caller, `_may_relate`, is, and a second cache of a million pairs cost a quarter of
    the time relating them and its own memory."""
    if _spelled_alike(left, right):
        return True
    return any(
        skeletons_agree(a, b)
        for a in _skeletons_with_stem(left)
        for b in _skeletons_with_stem(right)
    )


@lru_cache(maxsize=1 << 18)
def _skeletons_with_stem(word: str) -> frozenset[str]:
    """The skeletons of a word and of its family stem (`_related`'s), worked out once a
    word: the Arabic half of `bench_real_spellings.py` relates 1.2 million pairs of
    7,000 words, and the stem was cut again for each."""
    return frozenset((skeleton(word), skeleton(family_stem(word))))


def _phonetic(left: NameForm, right: NameForm, *, strict: bool, typo: str | None = None) -> bool:
    """Every word's skeleton of the shorter name agrees with its own word's of the longer
    (equal ones when `strict`; a `typo` word's a letter apart however short), or, when
    only one of them has a family name, with the family names cut to their stems."""
    words_agree = skeletons_cover(
        _word_skeletons(left), _word_skeletons(right), strict=strict, typo=typo
    )
    return words_agree or (
        bool(left.family) != bool(right.family)
        and not _father_as_stem(left, right)
        and skeletons_cover(_stems(left), _stems(right), strict=strict)
    )


def _father_as_stem(left: NameForm, right: NameForm) -> bool:
    """Whether the name without a family name has its father's name among its words (an
    Arabic-order name read as its plain words) and the other's family name is built on
    it: Fatima Umarova is not Fatima, daughter of Umar, of another family, though a
    clerk may write Isaeva as عيسى."""
    plain, other = (left, right) if not left.family else (right, left)
    if plain.father_hint is None or not plain.reads_father:
        return False
    father = skeleton(plain.father_hint)
    return any(skeleton(family_stem(token)) == father for token in other.family)


def _father_as_family(left: NameForm, right: NameForm) -> bool:
    """Whether one is a name in Arabic order read as its plain words (its father's name
    among them) and the other has a family name spelled like that father's name or
    built on it: Magomed Yusupov is not Muhammad, son of Yusuf, of the Musaevs (Yusupov
    and Yusuf share the skeleton "sb"). Such pairs are compared by the Arabic-order
    reading only, where the father's name is no word of the name."""
    for plain, other in ((left, right), (right, left)):
        hint = plain.father_hint
        if hint is None or not plain.reads_father:
            continue
        father = skeleton(hint)
        if any(father in (skeleton(t), skeleton(family_stem(t))) for t in other.family):
            return True
    return False


@lru_cache(maxsize=1 << 18)
def _word_skeletons(form: NameForm) -> tuple[str, ...]:
    """One skeleton per word, a skeleton twice when two words have it: Safiya Yusupova is
    two words (sb, sb), which the one word Safiya of Umarova Safiya must not cover."""
    return tuple(sorted(key for key in map(skeleton, form.tokens) if key))


@lru_cache(maxsize=1 << 20)
def _tokens_agree(left: str, right: str, strict: bool = False) -> bool:
    """One word of a name: a close spelling, or consonant skeletons that agree (equal
    ones when `strict`)."""
    if JaroWinkler.similarity(left, right) >= JARO_WINKLER_THRESHOLD:
        return True
    agree = skeletons_equal if strict else skeletons_agree
    return agree(skeleton(left), skeleton(right))


def _word_agrees(left: str, right: str) -> bool:
    """One word of two names that otherwise differ: spelled alike, or with equal
    skeletons of two consonants at least. One consonant or none is too little: Ali and
    Leo (l), A and E (no consonant) share nothing."""
    if _spelled_alike(left, right):
        return True
    key = skeleton(left)
    return len(key) >= MIN_SKELETON_LENGTH and key == skeleton(right)


def _givens_agree(
    left: NameForm, right: NameForm, *, strict: bool = False, typo: str | None = None
) -> bool:
    """The given names agree, or one name has none (a family name alone); a `typo` word's
    skeleton may be a letter from the other's however short (not when `strict`)."""
    if left.given is None or right.given is None:
        return True
    if _tokens_agree(left.given, right.given, strict):
        return True
    return (
        typo is not None
        and not strict
        and skeletons_a_typo_apart(skeleton(left.given), skeleton(right.given), typo)
    )


def _same_words(left: NameForm, right: NameForm) -> bool:
    """As many words, each with an equal skeleton in the other: one name in another
    order, where which word is the given name cannot be told by its place (an Arabic
    family name has no ending: "Aldiwani Hayder Saeed")."""
    words = _word_skeletons(left)
    return len(words) == len(right.tokens) and skeletons_cover(
        words, _word_skeletons(right), strict=True
    )


def _given_and_father(left: NameForm, right: NameForm) -> bool:
    """Whether one is a name in Arabic order read as its plain words and the other is
    its given and father's names alone, in either order: a list that writes the family
    name first writes "Saeed Hussein" for حسين سعيد (Hussein son of Saeed), the father's
    name where its given name is."""
    for plain, other in ((left, right), (right, left)):
        if plain.reads_father and plain.given and plain.father_hint and not other.family:
            pair = sorted((skeleton(plain.given), skeleton(plain.father_hint)))
            if pair[0] and _word_skeletons(other) == tuple(pair):
                return True
    return False


def _stems(form: NameForm) -> tuple[str, ...]:
    """Skeletons with family names cut to their stem: an Arabic-script clerk may write
    Isaeva as عيسى (Isa), the name the family name is built on. Used only when one name has
    no family name of its own."""
    stems = (skeleton(family_stem(token)) if token in form.family else skeleton(token)
             for token in form.tokens)  # fmt: skip
    return tuple(sorted(stem for stem in stems if stem))


def _family_agrees(left: NameForm, right: NameForm) -> bool:
    return any(_tokens_agree(a, b) for a in left.family for b in right.family)


def _similar_spelling(left: NameForm, right: NameForm) -> bool:
    """Word by word, every word of each name has a close spelling in the other.

    Word by word rather than on the whole string, where a shared family name sorted first
    would make Amina and Fatima look alike.
    """
    return _tokens_covered(left.tokens, right.tokens) and _tokens_covered(right.tokens, left.tokens)


def _same_tokens(left: NameForm, right: NameForm) -> bool:
    """One name's words are among the other's (an added father's name, a name left out)."""
    shorter, longer = sorted((left.tokens, right.tokens), key=len)
    if fuzz.token_set_ratio(left.text, right.text) < TOKEN_SET_THRESHOLD:
        return False
    return _tokens_covered(shorter, longer)


def _tokens_covered(tokens: frozenset[str], others: frozenset[str]) -> bool:
    """Every word of `tokens` has a close spelling among `others` (itself, most often)."""
    return all(any(_spelled_alike(token, other) for other in others) for token in tokens - others)


@lru_cache(maxsize=1 << 20)
def _spelled_alike(left: str, right: str) -> bool:
    return JaroWinkler.similarity(left, right) >= JARO_WINKLER_THRESHOLD


def skeletons_cover(
    left: tuple[str, ...], right: tuple[str, ...], *, strict: bool = False, typo: str | None = None
) -> bool:
    """Every word skeleton of the shorter name agrees with its own word of the longer
    name's (is equal to it, when `strict`; a `typo` may be a letter apart however short,
    `skeletons_a_typo_apart`): two words of one name never lean on one word of the
    other."""
    shorter, longer = sorted((left, right), key=len)
    if not shorter:
        return False
    unpaired = list(longer)
    for key in shorter:
        if key not in unpaired:
            break
        unpaired.remove(key)
    else:
        return True  # each word has an equal skeleton of its own
    return not strict and _each_paired(shorter, longer, typo)


def _each_paired(shorter: tuple[str, ...], longer: tuple[str, ...], typo: str | None) -> bool:
    """Whether each skeleton of `shorter` can have an agreeing skeleton of `longer` to
    itself: a bipartite matching by augmenting paths (Kuhn's), written here because a
    name has a handful of words and a library's assignment solver costs more to call
    than this costs to run. Pairing greedily fails where the first choice of one word
    is the only choice of another."""
    owner: list[int | None] = [None] * len(longer)

    def pair(k: int, tried: set[int]) -> bool:
        for j, other in enumerate(longer):
            if j not in tried and skeletons_a_typo_apart(shorter[k], other, typo):
                tried.add(j)
                held = owner[j]
                if held is None or pair(held, tried):
                    owner[j] = k
                    return True
        return False

    return all(pair(k, set()) for k in range(len(shorter)))


def compare_sex(left: str | None, right: str | None) -> str:
    if left is None or right is None:
        return MISSING
    return "agree" if left == right else DISAGREE


def compare_ages(left: tuple[int, int] | None, right: tuple[int, int] | None) -> str:
    """How far apart two ranges of possible birth days are (0 when they overlap).

    Two days known exactly that differ by one mistyped or two swapped digits are "a typo
    apart" however far apart the days are; overlapping ranges are "same year" when both
    are a year wide at most, so that a year or a day agreeing counts for more than an
    estimated age that could be three years; wider ranges whose middles are within half
    a year "middles agree" (the birth in the estimate's likeliest year), above "ranges
    overlap".
    """
    if left is None or right is None:
        return MISSING
    gap = max(left[0], right[0]) - min(left[1], right[1])
    if left[0] == left[1] and right[0] == right[1]:
        if left[0] == right[0]:
            return AGE_SAME_DATE
        if _digits_a_typo_apart(left[0], right[0]):
            return AGE_DATE_TYPO
    if gap <= 0:
        narrow = max(left[1] - left[0], right[1] - right[0]) < DAYS_PER_YEAR
        if narrow:
            return AGE_SAME_YEAR
        middles_apart = abs((left[0] + left[1]) - (right[0] + right[1])) / 2
        return AGE_MIDDLES if middles_apart <= HALF_YEAR else AGE_OVERLAP
    if gap <= DAYS_PER_YEAR:
        return AGE_WITHIN_1
    return AGE_WITHIN_3 if gap <= 3 * DAYS_PER_YEAR else DISAGREE


def _digits_a_typo_apart(left: int, right: int) -> bool:
    """Whether two days written YYYYMMDD are one substituted digit or one swap apart."""
    return OSA.distance(_digits(left), _digits(right)) <= 1


@lru_cache(maxsize=1 << 16)
def _digits(ordinal: int) -> str:
    return date.fromordinal(ordinal).strftime("%Y%m%d")


@lru_cache(maxsize=100_000)
def compare_places(left: tuple[NameForm, ...], right: tuple[NameForm, ...]) -> str:
    """ "exact" when one reading of each has the same words; "similar" when every word of
    the shorter reading is spelled alike, or has the same skeleton, as one of the longer's
    (Mahachkala, an address with a field left out); "most words agree" when at least two
    thirds of them do (a street and town with a mistyped postcode); else "disagree"."""
    if not left or not right:
        return MISSING
    pairs = [(a, b) if len(a.tokens) <= len(b.tokens) else (b, a) for a in left for b in right]
    if any(a.tokens == b.tokens for a, b in pairs):
        return PLACE_EXACT
    level = DISAGREE
    for shorter, longer in pairs:
        # Words of the shorter that may stay uncovered for "most words agree": none of one
        # or two words, one of three, two of six.
        allowed = len(shorter.tokens) - math.ceil(MOSTLY_SHARE * len(shorter.tokens))
        uncovered = _uncovered(shorter, longer, allowed)
        if uncovered == 0:
            return PLACE_SIMILAR
        if uncovered <= allowed:
            level = PLACE_MOSTLY
    return level


def _uncovered(shorter: NameForm, longer: NameForm, allowed: int) -> int:
    """How many words of `shorter` are not in `longer`, spelled alike or with the same
    skeleton; counting stops past `allowed`, since most pairs of places are different
    places and one word too many settles it."""
    words, skeletons = tuple(longer.tokens), longer.skeletons
    uncovered = 0
    for token in shorter.tokens - longer.tokens:
        if (token.isdigit() or skeleton(token) not in skeletons) and _no_close_spelling(
            token, words
        ):
            uncovered += 1
            if uncovered > allowed:
                break
    return uncovered


def _no_close_spelling(token: str, words: tuple[str, ...]) -> bool:
    score_cutoff = JARO_WINKLER_THRESHOLD
    return (
        process.extractOne(token, words, scorer=JaroWinkler.similarity, score_cutoff=score_cutoff)
        is None
    )
