"""The words an enquirer's relationship is said in, in each interface language.

An enquirer's relationship to the people sought is kept as it was typed ("бабушка",
"جدة", "grandmother"); these words are read as one relationship whatever the language, so
that a confirmed match places the enquirer in the child's family, and a page shows the
word in its reader's language.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import pgettext_lazy

# The canonical word (services.RELATIONSHIPS and THROUGH_THE_MOTHER are keyed by it) and
# the ways it is written, in English, Russian and Arabic (with and without the article).
WORDS: dict[str, tuple[str, ...]] = {
    "mother": ("mother", "mum", "mom", "мать", "мама", "أم", "والدة"),
    "father": ("father", "dad", "отец", "папа", "أب", "والد"),
    "grandmother": ("grandmother", "grandma", "бабушка", "баба", "جدة"),
    "grandfather": ("grandfather", "grandpa", "дедушка", "дед", "جد"),
    "aunt": ("aunt", "тётя", "тетя", "тётка", "тетка", "عمة", "خالة"),
    "uncle": ("uncle", "дядя", "عم", "خال"),
    "sister": ("sister", "сестра", "أخت"),
    "brother": ("brother", "брат", "أخ"),
    "husband": ("husband", "муж", "супруг", "زوج"),
}

LABELS = {
    "mother": pgettext_lazy("enquirer's relationship", "mother"),
    "father": pgettext_lazy("enquirer's relationship", "father"),
    "grandmother": pgettext_lazy("enquirer's relationship", "grandmother"),
    "grandfather": pgettext_lazy("enquirer's relationship", "grandfather"),
    "aunt": pgettext_lazy("enquirer's relationship", "aunt"),
    "uncle": pgettext_lazy("enquirer's relationship", "uncle"),
    "sister": pgettext_lazy("enquirer's relationship", "sister"),
    "brother": pgettext_lazy("enquirer's relationship", "brother"),
    "husband": pgettext_lazy("enquirer's relationship", "husband"),
}

_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")  # short vowels, tatweel


def _folded(word: str) -> str:
    """One spelling per word: case, ё, the Arabic article, hamza seats and vowel marks
    left out."""
    word = unicodedata.normalize("NFC", word).strip().casefold().replace("ё", "е")
    word = _ARABIC_MARKS.sub("", word).translate(str.maketrans("أإآ", "ااا"))
    if word.startswith("ال") and len(word) > 3:
        word = word[2:]
    return word


_CANONICAL = {_folded(said): key for key, words in WORDS.items() for said in words}


def canonical(said: str) -> str:
    """The relationship the enquirer's words name ("grandmother" for "бабушка"), or ""."""
    return _CANONICAL.get(_folded(said), "")


def relationship_label(said: str) -> str:
    """The words as typed, or the relationship they name in the active language."""
    key = canonical(said)
    return str(LABELS[key]) if key else said


def offered_words() -> list[str]:
    """The words offered on the filing page, in the active language."""
    return sorted(str(label) for label in LABELS.values())
