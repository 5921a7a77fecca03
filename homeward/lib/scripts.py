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
    for char in text:
        if not char.isalpha():
            continue
        code = icu.Script.getScript(ord(char)).getShortName()
        if code not in COMMON_SCRIPTS:
            found.add(code)
    if len(found) > 1:
        names = ", ".join(sorted(KNOWN_SCRIPTS.get(code, code) for code in found))
        raise MixedScriptError(f"The name mixes letters of several scripts ({names}).")
    if not found:
        return OTHER_SCRIPT
    code = found.pop()
    return code if code in KNOWN_SCRIPTS else OTHER_SCRIPT


@lru_cache(maxsize=1)
def _to_latin() -> icu.Transliterator:
    return icu.Transliterator.createInstance("Any-Latin; Latin-ASCII; Lower")


def search_key(text: str) -> str:
    """Lower-case ASCII Latin letters and single spaces: the same for a name in any script
    as far as standard transliteration allows ("Амина" and "Amina" both give "amina")."""
    latin = _to_latin().transliterate(unicodedata.normalize("NFC", text))
    kept = "".join(char if char.isascii() and char.isalnum() else " " for char in latin)
    return " ".join(kept.split())
