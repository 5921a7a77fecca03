"""Field comparisons, each returning one discrete agreement level.

Levels are ordered from strongest agreement to disagreement; "missing" means one side did
not record the field, and the scorer gives it no weight either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler

from homeward.matching.names import (
    NameForm,
    family_stem,
    form_from_latin,
    name_forms,
    skeleton,
    skeletons_agree,
)
from homeward.matching.records import PersonRecord

MISSING = "missing"
DISAGREE = "disagree"

NAME_EXACT = "exact"
NAME_SIMILAR = "similar spelling"  # Jaro-Winkler >= 0.92
NAME_SAME_TOKENS = "same tokens"  # token-set ratio >= 0.85: order, extra names
NAME_PHONETIC = "phonetic agree"  # consonant skeletons agree, across scripts
NAME_FAMILY_ONLY = "family name only"  # a family name agrees, the given names differ
NAME_LEVELS = (
    NAME_EXACT, NAME_SIMILAR, NAME_SAME_TOKENS, NAME_PHONETIC, NAME_FAMILY_ONLY, DISAGREE, MISSING,
)  # fmt: skip

SEX_LEVELS = ("agree", DISAGREE, MISSING)

AGE_SAME_DATE = "same date"  # both know the day, and it is the same
AGE_OVERLAP = "ranges overlap"
AGE_WITHIN_1 = "within 1 year"
AGE_WITHIN_3 = "within 3 years"
AGE_LEVELS = (AGE_SAME_DATE, AGE_OVERLAP, AGE_WITHIN_1, AGE_WITHIN_3, DISAGREE, MISSING)

PLACE_EXACT = "exact"
PLACE_SIMILAR = "similar"
PLACE_LEVELS = (PLACE_EXACT, PLACE_SIMILAR, DISAGREE, MISSING)

FIELD_LEVELS: dict[str, tuple[str, ...]] = {
    "names": NAME_LEVELS,
    "sex": SEX_LEVELS,
    "age": AGE_LEVELS,
    "mother": NAME_LEVELS,
    "father": NAME_LEVELS,
    "place": PLACE_LEVELS,
}
FIELDS = tuple(FIELD_LEVELS)

JARO_WINKLER_THRESHOLD = 0.92
TOKEN_SET_THRESHOLD = 85.0
DAYS_PER_YEAR = 366  # generous: a leap day must not turn "within 1 year" into 3


@dataclass(frozen=True)
class PreparedRecord:
    """A record with its names read once, so that each pair costs only lookups."""

    id: str
    names: tuple[NameForm, ...]
    sex: str | None
    birth: tuple[int, int] | None  # earliest and latest day, as ordinals
    mother: tuple[NameForm, ...]
    father: tuple[NameForm, ...]
    place: tuple[NameForm, ...]


def prepare(record: PersonRecord) -> PreparedRecord:
    names = name_forms(record.names)
    birth = record.birth
    span = (birth.earliest.toordinal(), birth.latest.toordinal()) if birth.is_known else None
    return PreparedRecord(
        id=record.id,
        names=names,
        sex=record.sex or None,
        birth=span,
        mother=name_forms(record.mother),
        father=name_forms(record.father) or _father_from_names(names),
        place=name_forms((record.place,)) if record.place else (),
    )


def _father_from_names(names: tuple[NameForm, ...]) -> tuple[NameForm, ...]:
    # A patronymic or "bin Magomed" names the father when the father field is empty.
    hints = {form.father_hint for form in names if form.father_hint}
    forms = (form_from_latin(hint) for hint in sorted(hints))
    return tuple(form for form in forms if form is not None)


def compare_records(left: PreparedRecord, right: PreparedRecord) -> tuple[str, ...]:
    """The comparison vector: one level per field, in FIELDS order."""
    return (
        compare_names(left.names, right.names),
        compare_sex(left.sex, right.sex),
        compare_ages(left.birth, right.birth),
        compare_names(left.mother, right.mother),
        compare_names(left.father, right.father),
        compare_places(left.place, right.place),
    )


@lru_cache(maxsize=1_000_000)
def compare_names(left: tuple[NameForm, ...], right: tuple[NameForm, ...]) -> str:
    """The strongest level any reading of one name reaches against any of the other.

    Below "similar spelling" the shorter name's words need only be among the longer's, so
    the given names must also agree: Magomed Aliev is not Khalid Magomed Aliev (Khalid son
    of Magomed, in Arabic order), his brother. A family name shared by names that agree
    no further is "family name only".
    """
    if not left or not right:
        return MISSING
    pairs = [(a, b) for a in left for b in right]
    if any(a.tokens == b.tokens for a, b in pairs):
        return NAME_EXACT
    if any(_similar_spelling(a, b) for a, b in pairs):
        return NAME_SIMILAR
    given_agree = [(a, b) for a, b in pairs if _givens_agree(a, b)]
    if any(_same_tokens(a, b) for a, b in given_agree):
        return NAME_SAME_TOKENS
    if any(
        skeletons_cover(a.skeletons, b.skeletons)
        or (bool(a.family) != bool(b.family) and skeletons_cover(_stems(a), _stems(b)))
        for a, b in given_agree
    ):
        return NAME_PHONETIC
    if any(_family_agrees(a, b) for a, b in pairs):
        return NAME_FAMILY_ONLY
    return DISAGREE


def _tokens_agree(left: str, right: str) -> bool:
    """One word of a name: a close spelling, or consonant skeletons that agree."""
    return JaroWinkler.similarity(left, right) >= JARO_WINKLER_THRESHOLD or skeletons_agree(
        skeleton(left), skeleton(right)
    )


def _givens_agree(left: NameForm, right: NameForm) -> bool:
    """The given names agree, or one name has none (a family name alone)."""
    if left.given is None or right.given is None:
        return True
    return _tokens_agree(left.given, right.given)


def _stems(form: NameForm) -> tuple[str, ...]:
    """Skeletons with family names cut to their stem: an Arabic-script clerk may write
    Isaeva as عيسى (Isa), the name the family name is built on. Used only when one name has
    no family name of its own."""
    stems = {skeleton(family_stem(token)) if token in form.family else skeleton(token)
             for token in form.tokens}  # fmt: skip
    return tuple(sorted(stems - {""}))


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
    return all(
        any(JaroWinkler.similarity(token, other) >= JARO_WINKLER_THRESHOLD for other in others)
        for token in tokens
    )


def skeletons_cover(left: tuple[str, ...], right: tuple[str, ...]) -> bool:
    """Every skeleton of the shorter name agrees with one of the longer name's."""
    shorter, longer = sorted((left, right), key=len)
    if not shorter:
        return False
    return all(any(skeletons_agree(a, b) for b in longer) for a in shorter)


def compare_sex(left: str | None, right: str | None) -> str:
    if left is None or right is None:
        return MISSING
    return "agree" if left == right else DISAGREE


def compare_ages(left: tuple[int, int] | None, right: tuple[int, int] | None) -> str:
    """How far apart two ranges of possible birth days are (0 when they overlap)."""
    if left is None or right is None:
        return MISSING
    gap = max(left[0], right[0]) - min(left[1], right[1])
    if left[0] == left[1] == right[0] == right[1]:
        return AGE_SAME_DATE
    if gap <= 0:
        return AGE_OVERLAP
    if gap <= DAYS_PER_YEAR:
        return AGE_WITHIN_1
    return AGE_WITHIN_3 if gap <= 3 * DAYS_PER_YEAR else DISAGREE


@lru_cache(maxsize=100_000)
def compare_places(left: tuple[NameForm, ...], right: tuple[NameForm, ...]) -> str:
    level = compare_names(left, right)
    if level in (NAME_EXACT, MISSING, DISAGREE):
        return level
    return DISAGREE if level == NAME_FAMILY_ONLY else PLACE_SIMILAR
