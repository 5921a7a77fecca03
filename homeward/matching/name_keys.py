"""Name keys: what a database stores of a person's names so that a search finds them as
the engine reads them, and ranks them by the engine's own comparison.

A person's names are read once, as the engine reads them for matching (`names.name_forms`:
every spelling in every script and standard, Arabic naming, pet names), and kept as short
strings of three kinds:

- "r:" one reading: its words, the given name first, and "/" and the father's given name
  when the name gives one (a patronymic, "bin", Arabic order). Ranking compares these
  (`stored_readings`) without reading the names again;
- "w:" the consonant skeleton of one word (`names.skeleton`): a search of one word looks
  it up;
- "p:" two skeletons of one reading, in alphabetical order: a search of two words or more
  looks up each pair of its words, so word order and a middle or father's name left out
  on either side do not matter, and "Akhmedov Yusup" finds "Юсуп Ахмедов" by "p:hmdb+sb".

A search is read the same way (`read_query`). Its candidates are the people with one of
its keys, and, for a word no stored name has (a likely typo), with that word's skeleton a
letter away (`neighbours`); they are ranked by `compare_names` between the search's
readings and theirs (`NameQuery.rank`), which drops those the engine would not call the
same name. The database side (people.name_keys) stores the keys and runs the lookups.

Why keys and not a fuzzy index: a trigram index finds "Saidova" from "Saidva" but never
"سعيدة" from "Saida", nor "Zoueva" from "Зуева"; the engine's readings do both, and keys of
plain strings work alike on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import combinations, pairwise

from homeward.matching.compare import DISAGREE, NAME_LEVELS, NAME_PHONETIC_CLOSE, compare_names
from homeward.matching.names import MIN_SKELETON_LENGTH, NameForm, _form, name_forms

READING, WORD, PAIR = "r:", "w:", "p:"
# The letters a skeleton is made of (every other letter is mapped to one of these or
# dropped): what a letter typed wrong can be replaced by.
SKELETON_LETTERS = "bdhjklmnrst"
# A search of two words or more finds names whose words all agree, a letter apart at most
# ("phonetic close"); below that the engine itself says only a word agrees.
WORST_LEVEL_OF_NAMES = NAME_LEVELS.index(NAME_PHONETIC_CLOSE)
WORST_LEVEL_OF_A_WORD = NAME_LEVELS.index(DISAGREE) - 1
MAX_KEY_LENGTH = 500
# A search reads this many words at most (a name has fewer), and looks a letter away only
# in readings of this many words at most: the keys a search looks up stay a few hundred
# however long the text typed into it.
MAX_SEARCH_WORDS = 8
MAX_TYPO_READING_WORDS = 4
# And this many characters at most (the search forms take 200), and a word of more
# consonants than this is not looked up a letter away.
MAX_SEARCH_LENGTH = 200
MAX_TYPO_WORD_LENGTH = 12


def name_keys(full_names: Iterable[str]) -> list[str]:
    """The keys to store for a person known by `full_names` (every spelling of their
    name), sorted; [] for no name."""
    forms = name_forms(tuple(full_names))
    keys: set[str] = set()
    for form in forms:
        keys.add(READING + reading_text(form))
        keys.update(WORD + key for key in form.skeletons)
        keys.update(PAIR + key for key in _pairs(form.skeletons))
    return sorted(key for key in keys if len(key) <= MAX_KEY_LENGTH)


def reading_text(form: NameForm) -> str:
    """A reading as text that `form_of` reads back to an equal form: the given name first
    (its place decides which word is the given name), the others sorted."""
    words = sorted(form.tokens - {form.given}) if form.given else sorted(form.tokens)
    text = " ".join([form.given, *words] if form.given else words)
    return f"{text}/{form.father_hint}" if form.father_hint else text


@lru_cache(maxsize=1 << 16)
def form_of(text: str) -> NameForm | None:
    words, _, father = text.partition("/")
    return _form(words.split(), father or None)


def stored_readings(keys: Iterable[str]) -> tuple[NameForm, ...]:
    """The readings among a person's stored keys, as the engine's forms."""
    forms = (form_of(key[len(READING) :]) for key in sorted(keys) if key.startswith(READING))
    return tuple(form for form in forms if form is not None)


def _pairs(skeletons: Sequence[str]) -> set[str]:
    return {"+".join(pair) for pair in combinations(sorted(skeletons), 2)}


@dataclass(frozen=True)
class Typos:
    """The words of a search to look up a letter away (`NameQuery.typos`), the fewest
    consonants a word found so may have, and the readings' typos the engine is to know
    of (reading's skeletons to the typo word)."""

    words: tuple[str, ...]
    min_length: int
    marked: dict[tuple[str, ...], str]


@dataclass(frozen=True)
class NameQuery:
    """A searched name as the engine reads it: `words`, the most words a reading has, and
    `skeletons`, those of every word of every reading."""

    forms: tuple[NameForm, ...]
    words: int
    skeletons: frozenset[str]

    def keys(self) -> list[str]:
        """The keys of the name as written: each pair of a reading's words ("p:"), or its
        one word ("w:")."""
        return sorted({key for form in self.forms for key in _lookup_keys(form.skeletons)})

    def typos(self, known: Callable[[str], bool], *, found: bool) -> Typos:
        """The words to look up a letter away, as the engine reads typos
        (`compare.with_typos_marked`): in a reading of two words or more, the one word no
        stored name has (`known` false) when its others are known, however short; when no
        reading has such a word and the name as written `found` no one, every word of
        three consonants or more, the length at which the engine lets two words agree a
        letter apart (`names.skeletons_agree`)."""
        forms = [f for f in self.forms if len(f.skeletons) <= MAX_TYPO_READING_WORDS]
        words = {w for form in forms for w in form.skeletons if len(w) <= MAX_TYPO_WORD_LENGTH}
        unknown = {word for word in words if not known(word)}
        marked: dict[tuple[str, ...], str] = {}
        for form in forms:
            typos = [key for key in form.skeletons if key in unknown]
            if len(form.skeletons) > 1 and len(typos) == 1:
                marked[form.skeletons] = typos[0]
        if marked:
            return Typos(tuple(sorted(set(marked.values()))), MIN_SKELETON_LENGTH, marked)
        if found:
            return Typos((), 3, {})
        return Typos(tuple(sorted(word for word in words if len(word) >= 3)), 3, {})

    def near_keys(self, typos: Typos) -> list[str]:
        """The keys of the name with one of the `typos` a letter away: the keys the name
        has when that word is a typo."""
        near: set[str] = set()
        short = [f for f in self.forms if len(f.skeletons) <= MAX_TYPO_READING_WORDS]
        for word in typos.words:
            for form in (f for f in short if word in f.skeletons):
                others = [key for key in form.skeletons if key != word]
                for neighbour in neighbours(word, typos.min_length):
                    near.update(_lookup_keys((neighbour, *others)))
        return sorted(near - set(self.keys()))

    def with_typos(self, typos: Typos) -> NameQuery:
        """The query with each reading's typo marked (`NameForm.typo`), which the engine's
        comparison lets be a letter apart however short."""
        forms = tuple(
            replace(f, typo=typos.marked[f.skeletons]) if f.skeletons in typos.marked else f
            for f in self.forms
        )
        return replace(self, forms=forms)

    def rank(self, readings: tuple[NameForm, ...]) -> int | None:
        """How well a person's readings agree with the search (0 best: the index of the
        engine's level in `NAME_LEVELS`), or None when the engine would not call them the
        same name: for two words or more, each word must agree."""
        level = NAME_LEVELS.index(compare_names(self.forms, readings))
        worst = WORST_LEVEL_OF_A_WORD if self.words == 1 else WORST_LEVEL_OF_NAMES
        return level if level <= worst else None


def _lookup_keys(skeletons: Iterable[str]) -> set[str]:
    words = set(skeletons)
    return (
        {PAIR + key for key in _pairs(list(words))} if len(words) > 1 else {WORD + k for k in words}
    )


def read_query(text: str) -> NameQuery | None:
    """The searched name `text` as the engine reads it; None when it has no name in it
    (nothing but signs, or digits)."""
    text = " ".join(text[:MAX_SEARCH_LENGTH].split()[:MAX_SEARCH_WORDS])
    forms = tuple(form for form in name_forms((text,)) if form.skeletons)
    if not forms:
        return None
    words = max(len(form.tokens) for form in forms)
    skeletons = frozenset(key for form in forms for key in form.skeletons)
    return NameQuery(forms, words, skeletons)


def neighbours(word: str, min_length: int = MIN_SKELETON_LENGTH) -> set[str]:
    """Skeletons one letter from `word` (one letter changed, added, left out, or two
    swapped), as a skeleton can be: no letter doubled, `min_length` consonants at least."""
    found: set[str] = set()
    for index in range(len(word) + 1):
        head, tail = word[:index], word[index:]
        found.update(head + letter + tail for letter in SKELETON_LETTERS)
        if tail:
            found.add(head + tail[1:])
            found.update(head + letter + tail[1:] for letter in SKELETON_LETTERS)
        if len(tail) > 1:
            found.add(head + tail[1] + tail[0] + tail[2:])
    return {
        key
        for key in found
        if len(key) >= MIN_SKELETON_LENGTH and key != word and all(a != b for a, b in pairwise(key))
    }


__all__ = [
    "NameQuery",
    "form_of",
    "name_keys",
    "neighbours",
    "read_query",
    "reading_text",
    "stored_readings",
]
