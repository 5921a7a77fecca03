"""Which writing system a name is in, and a Latin search key that works across scripts.

ICU (PyICU) does both: its script property and its standard transliterators are what the
field's tools use, and hand-written tables would miss letters.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import icu

# ISO 15924 codes of the scripts names arrive in; anything else is "other".
KNOWN_SCRIPTS = {"Latn": "Latin", "Cyrl": "Cyrillic", "Arab": "Arabic"}
OTHER_SCRIPT = "Zyyy"
COMMON_SCRIPTS = {"Zyyy", "Zinh"}  # digits, punctuation, combining marks


class MixedScriptError(ValueError):
    pass


def detect_script(text: str) -> str:
    """The ISO 15924 code of the one script the letters of `text` are written in.

    Raises MixedScriptError when letters of two scripts are mixed ("Amина").
    """
    found: set[str] = set()
    for char in set(text):
        if not char.isalpha():
            continue
        code = _script_of(char)
        if code not in COMMON_SCRIPTS:
            found.add(code)
    if len(found) > 1:
        names = ", ".join(sorted(KNOWN_SCRIPTS.get(code, code) for code in found))
        raise MixedScriptError(f"The name mixes letters of several scripts ({names}).")
    if not found:
        return OTHER_SCRIPT
    code = found.pop()
    return code if code in KNOWN_SCRIPTS else OTHER_SCRIPT


class UnreadableNameError(ValueError):
    """A name Homeward cannot match; the message says why and what to write instead."""


# Signs (Unicode category S) that names are written with: apostrophes and accents typed
# as separate characters (O`Neil, Ma´ruf).
NAME_SIGNS = frozenset("`´^˘¨")


def check_letters(name: str) -> None:
    """A name has letters, and no signs that are not (a pasted emoji or star), in any
    script; raises UnreadableNameError."""
    # The accents and apostrophes names are written with are marks or punctuation, or are
    # listed in NAME_SIGNS.
    signs = sorted({char for char in name if unicodedata.category(char)[0] == "S"} - NAME_SIGNS)
    if signs:
        raise UnreadableNameError(
            f"“{name}” has signs that are not letters ({' '.join(signs)}); "
            "write the name in letters only."
        )
    if not any(char.isalpha() for char in name):
        raise UnreadableNameError(f"“{name}” has no letters; write the name in letters.")


def check_readable(name: str) -> None:
    """Names in Latin, Cyrillic or Arabic letters only: others cannot be matched.

    The tracing forms' rule, with their messages, for names that come in outside them
    (`homeward link`). Raises UnreadableNameError for letters of another script (李明,
    Αμίνα) or of several, for signs that are not letters (emoji), and for no letters.
    """
    check_letters(name)
    try:
        script = detect_script(name)
    except MixedScriptError as error:
        raise UnreadableNameError(f"“{name}”: {error}") from None
    if script == OTHER_SCRIPT and any(char.isalpha() for char in name):
        raise UnreadableNameError(
            f"“{name}” is written in a script Homeward cannot match yet; "
            "write it in Latin, Cyrillic or Arabic letters."
        )


@lru_cache(maxsize=8192)
def _script_of(char: str) -> str:
    # Names repeat their letters: an import checks a hundred thousand names.
    return str(icu.Script.getScript(ord(char)).getShortName())


# ICAO Doc 9303 (machine-readable passports) spells Russian names differently from BGN/PCGN:
# Юсупова is Iusupova in a passport and Yusupova in a newspaper, Исаева Isaeva and Isayeva.
# ICU ships BGN/PCGN but not ICAO, so the ICAO table is written here as ICU rules.
ICAO_RUSSIAN_RULES = """
А > A; Б > B; В > V; Г > G; Д > D; Е > E; Ё > E; Ж > ZH; З > Z; И > I; Й > I; К > K;
Л > L; М > M; Н > N; О > O; П > P; Р > R; С > S; Т > T; У > U; Ф > F; Х > KH; Ц > TS;
Ч > CH; Ш > SH; Щ > SHCH; Ъ > IE; Ы > Y; Ь > ; Э > E; Ю > IU; Я > IA;
а > a; б > b; в > v; г > g; д > d; е > e; ё > e; ж > zh; з > z; и > i; й > i; к > k;
л > l; м > m; н > n; о > o; п > p; р > r; с > s; т > t; у > u; ф > f; х > kh; ц > ts;
ч > ch; ш > sh; щ > shch; ъ > ie; ы > y; ь > ; э > e; ю > iu; я > ia;
"""
# Soft and hard signs come out of BGN as ʹ and ʺ, which Latin-ASCII makes ' and ".
APOSTROPHES = str.maketrans("", "", "'\"`ʹʺʼʻ’")


@lru_cache(maxsize=1)
def _transliterators() -> tuple[icu.Transliterator, ...]:
    icao = icu.Transliterator.createFromRules("Russian-Latin/ICAO", ICAO_RUSSIAN_RULES)
    bgn = icu.Transliterator.createInstance("Russian-Latin/BGN")
    to_ascii = icu.Transliterator.createInstance("Any-Latin; Latin-ASCII; Lower")
    return bgn, icao, to_ascii


def _without_arabic_vowel_marks(text: str) -> str:
    """أَمِينَة and أمينة are one name: the short-vowel marks and the tatweel are optional."""
    return "".join(
        char
        for char in text
        if not ("\u0610" <= char <= "\u06ff" and unicodedata.category(char) == "Mn")
        and char != "\u0640"
    )


def search_variants(text: str) -> list[str]:
    """Lower-case ASCII Latin spellings of `text`, one per standard transliteration.

    "Амина Исаева" gives "amina isayeva" (BGN/PCGN) and "amina isaeva" (ICAO, as in
    passports); a name already in Latin letters gives itself. Arabic script is written
    without vowels, so "أمينة" gives "amynt": finding it from "Amina" is the matching
    engine's work, not a substring search's.
    """
    bgn, icao, to_ascii = _transliterators()
    text = _without_arabic_vowel_marks(unicodedata.normalize("NFC", text))
    variants: list[str] = []
    for first_step in (bgn, icao):
        latin = to_ascii.transliterate(first_step.transliterate(text)).translate(APOSTROPHES)
        kept = "".join(char if char.isascii() and char.isalnum() else " " for char in latin)
        variant = " ".join(kept.split())
        if variant and variant not in variants:
            variants.append(variant)
    return variants


def search_key(text: str) -> str:
    """What is stored for searching: every variant, separated so no match spans two."""
    return " | ".join(search_variants(text))


def passport_latin(text: str) -> str:
    """A Cyrillic name as a Russian passport prints it: ICAO Doc 9303, in capitals
    ("Амина Исаева" gives "AMINA ISAEVA"). Other letters pass through unchanged."""
    _bgn, icao, _to_ascii = _transliterators()
    return " ".join(icao.transliterate(unicodedata.normalize("NFC", text)).upper().split())
