"""Which writing system a name is in, and a Latin search key that works across scripts.

ICU (PyICU) does both: its script property and its standard transliterators are what the
field's tools use, and hand-written tables would miss letters.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import icu

from homeward.lib.i18n import gettext as _
from homeward.lib.i18n import gettext_noop, ngettext

# ISO 15924 codes of the scripts names arrive in; anything else is "other".
KNOWN_SCRIPTS = {
    "Latn": gettext_noop("Latin"),
    "Cyrl": gettext_noop("Cyrillic"),
    "Arab": gettext_noop("Arabic"),
}
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
        names = ", ".join(sorted(script_label(code) for code in found))
        raise MixedScriptError(
            _("The name mixes letters of several scripts (%(scripts)s).") % {"scripts": names}
        )
    if not found:
        return OTHER_SCRIPT
    code = found.pop()
    return code if code in KNOWN_SCRIPTS else OTHER_SCRIPT


def script_label(code: str) -> str:
    """A script's name in the active language ("Cyrillic"); its ISO 15924 code if unknown."""
    return _(KNOWN_SCRIPTS[code]) if code in KNOWN_SCRIPTS else code


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
            _(
                "“%(name)s” has signs that are not letters (%(signs)s); write the name in "
                "letters only."
            )
            % {"name": name, "signs": " ".join(signs)}
        )
    if not any(char.isalpha() for char in name):
        raise UnreadableNameError(
            _("“%(name)s” has no letters; write the name in letters.") % {"name": name}
        )


def clean_name(text: str) -> str:
    """A name as it comes in (a form, a spreadsheet cell, a CSV to link), made safe to keep
    and to match; raises UnreadableNameError naming the first character refused.

    1. NFC: a letter typed as letter + combining accent and the precomposed letter are one.
    2. White space of any kind (tab, new line, no-break space) is one plain space; none at
       either end.
    3. Other control and format characters are refused, not stripped: ESC and BEL, the
       right-to-left override U+202E that turns a name round on the screen, zero-width
       spaces and joiners that split "Amina" so that a search for it misses, a byte-order
       mark, private-use and unassigned code points. Refusing tells the person that what
       they pasted is not what they see; stripping would keep a name nobody typed.
    """
    text = " ".join(unicodedata.normalize("NFC", text).split())
    for position, char in enumerate(text, start=1):
        if unicodedata.category(char)[0] == "C":
            raise UnreadableNameError(
                _(
                    "The name has an invisible or control character at position %(position)s "
                    "(%(char)s); retype the name without it."
                )
                % {"position": position, "char": describe_char(char)}
            )
    return text


def cleaned_stored_name(text: str) -> str:
    """A name kept before `clean_name` guarded the way in, as `clean_name` lets one in: the
    characters it refuses are dropped (a stored name cannot be sent back to be retyped),
    then `clean_name` itself. Empty when nothing readable is left."""
    kept = "".join(c for c in text if c.isspace() or unicodedata.category(c)[0] != "C")
    return clean_name(kept)


def describe_char(char: str) -> str:
    """U+200D ZERO WIDTH JOINER: the code point and its Unicode name, never the character
    itself (which may turn the message round or hide in it)."""
    return f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')}"


def check_readable(name: str) -> None:
    """Names in Latin, Cyrillic or Arabic letters only: others cannot be matched.

    The tracing forms' rule, with their messages, for names that come in outside them
    (`homeward link`). Raises UnreadableNameError for invisible or control characters
    (`clean_name`), for letters of another script (李明, Αμίνα) or of several, for signs
    that are not letters (emoji), and for no letters.
    """
    name = clean_name(name)
    check_letters(name)
    try:
        script = detect_script(name)
    except MixedScriptError as error:
        raise UnreadableNameError(mixed_script_message(name, error)) from None
    if script == OTHER_SCRIPT and any(char.isalpha() for char in name):
        raise UnreadableNameError(
            _(
                "“%(name)s” is written in a script Homeward cannot match yet; write it in "
                "Latin, Cyrillic or Arabic letters."
            )
            % {"name": name}
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
# Scholarly spellings of Arabic write ayn and hamza as ʿ and ʾ (or ‘): Saʿīd, Nuʿaim are
# one word each.
APOSTROPHES = str.maketrans("", "", "'\"`ʹʺʼʻ’ʿʾ‘")


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


# Between the variants of a stored search key: no search text spans it.
KEY_SEPARATOR = " | "


def search_key(text: str) -> str:
    """What is stored for searching: every variant, separated so no match spans two."""
    return join_keys(search_variants(text))


def join_keys(variants: Iterable[str]) -> str:
    """Variants (or search keys) as one stored search key."""
    return KEY_SEPARATOR.join(variants)


def split_keys(key: str) -> list[str]:
    """The variants of a stored search key."""
    return key.split(KEY_SEPARATOR)


def passport_latin(text: str) -> str:
    """A Cyrillic name as a Russian passport prints it: ICAO Doc 9303, in capitals
    ("Амина Исаева" gives "AMINA ISAEVA"). Other letters pass through unchanged."""
    _bgn, icao, _to_ascii = _transliterators()
    return " ".join(icao.transliterate(unicodedata.normalize("NFC", text)).upper().split())


# Stray letters of another script in a name, and their obvious reading in the name's own
# script. Kept apart from the other checks: a repair is offered, never made silently,
# except by `homeward link`, which says which rows it repaired.
#
# Letters that look the same in Latin and Cyrillic (a Cyrillic "А" typed for a Latin "A"
# on a keyboard switched to the other layout), both ways.
LATIN_LOOKALIKES = dict(zip("АВЕКМНОРСТХУаеорсухіјѕ", "ABEKMHOPCTXYaeopcyxijs", strict=True))
CYRILLIC_LOOKALIKES = dict(zip("ABEKMHOPCTXaeopcyx", "АВЕКМНОРСТХаеорсух", strict=True))


@dataclass(frozen=True)
class ScriptRepair:
    """A name written in one script but for a few letters of another (`foreign`), and
    the same name with those letters read in its own script (`text`)."""

    name: str
    text: str
    script: str  # the ISO 15924 code of the name's own script
    foreign: tuple[str, ...]

    def describe(self) -> str:
        """ "the letter ё is Cyrillic in a Latin name"."""
        return (
            ngettext(
                "the letter %(letters)s is %(others)s in a %(own)s name",
                "the letters %(letters)s are %(others)s in a %(own)s name",
                len(self.foreign),
            )
            % self.parts()
        )

    def parts(self) -> dict[str, str]:
        scripts = {_script_of(char) for char in self.foreign}
        others = sorted(
            script_label(c) if c in KNOWN_SCRIPTS else _("another script") for c in scripts
        )
        return {
            "letters": ", ".join(self.foreign),
            "others": _(" and ").join(others),
            "own": script_label(self.script),
        }


def majority_script(name: str) -> tuple[str | None, list[str]]:
    """The script most of the letters of `name` are in, when more than half of them are
    (None otherwise), and the letters that are in another script, in order."""
    letters = [char for char in name if char.isalpha() and _script_of(char) not in COMMON_SCRIPTS]
    counts = Counter(_script_of(char) for char in letters)
    if not counts:
        return None, []
    script, count = counts.most_common(1)[0]
    if count * 2 <= len(letters):
        return None, []
    return script, [char for char in letters if _script_of(char) != script]


def repair_mixed_script(name: str) -> ScriptRepair | None:
    """The name with its stray letters read in the script most of its letters are in, or
    None when it is in one script or a stray letter has no obvious reading there.

    A stray letter is read as the letter it looks like in the name's own script (a
    Cyrillic "А" in a Latin name is "A"); a Cyrillic letter in a Latin name that looks like
    none is read as a passport writes it (ICAO Doc 9303: "ё" is "e", as in "Fёkla" left
    behind by transliteration software). Arabic letters among others, or others among
    Arabic ones, have no obvious reading.
    """
    script, foreign = majority_script(name)
    if script not in ("Latn", "Cyrl") or not foreign:
        return None
    read = [_read_stray(char, script) for char in name]
    if any(part is None for part in read):
        return None
    text = "".join(part for part in read if part is not None)
    return ScriptRepair(name, text, script, tuple(dict.fromkeys(foreign)))


def _read_stray(char: str, script: str) -> str | None:
    """`char` read in `script` (itself when it is of that script or of none)."""
    if not char.isalpha() or _script_of(char) in (script, *COMMON_SCRIPTS):
        return char
    if script == "Latn" and _script_of(char) == "Cyrl":
        return LATIN_LOOKALIKES.get(char) or _icao_letter(char)
    if script == "Cyrl" and _script_of(char) == "Latn":
        return CYRILLIC_LOOKALIKES.get(char)
    return None


def _icao_letter(char: str) -> str | None:
    """One Cyrillic letter as ICAO writes it, in the letter's case ("Ё" is "E")."""
    latin: str = _transliterators()[1].transliterate(char)
    if not latin or latin == char or not latin.isascii():
        return None
    return latin if char.isupper() or not latin.isupper() else latin.lower()


def mixed_script_message(name: str, error: MixedScriptError) -> str:
    """Why a name that mixes scripts is refused, with the foreign letters and the
    spelling they would give in the name's own script, when there is an obvious one."""
    repair = repair_mixed_script(name)
    if repair is None:
        return f"“{name}”: {error}"
    said = ngettext(
        "The letter %(letters)s is %(others)s in a %(own)s name: did you mean “%(text)s”?",
        "The letters %(letters)s are %(others)s in a %(own)s name: did you mean “%(text)s”?",
        len(repair.foreign),
    ) % {**repair.parts(), "text": repair.text}
    return f"“{name}”: {error} {said}"
