"""Arabic script in Latin letters, read for the skeletons of `names.skeleton`.

ICU's Any-Latin writes each Arabic letter as its standard transliteration, and the
letters of one word then run together: سحنون (Sahnoun) comes out "shnwn", where the
skeleton reads "sh" as ش, and طحان (Tahan) "than", read as ث. Arabic writes no short
vowels, so a Latin list has one between those letters: here a vowel is written where
two letters would otherwise make a digraph (the skeleton drops vowels). A hamza on the
line (ء) is no word break, as it is in ICU's reading.

Three letters have a second spelling as common as the first in the lists Homeward meets,
each in its own region's lists: ض is d (Ramadan, Fadl) and, in Iraqi spellings, dh
(Ramadhan, Fadhil, Radhi); ج is j and, in Egyptian ones, g (Gamal, Hegazy); ق is q and,
in Gulf and Bedouin ones, g (Gassim, Al Gurg), where ض is dh too (Gadhi). A name is read
in each region's spellings of its letters (`REGIONS`, `arabic_readings`), one at a time:
an Iraqi list writes ضياء جواد as "Dhiaa Jawad", the dh of one region's spelling beside
the j of the other's, and قاضي as "Qadhi" or "Qazi" (Persian and Turkish lists write ض
as z, which the skeleton reads as dh).
"""

from __future__ import annotations

import re
import unicodedata

LETTERS = {
    "ا": "a", "أ": "a", "إ": "a", "آ": "a", "ٱ": "a", "ء": "", "ؤ": "w", "ئ": "y",
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh",
    "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z",
    "ع": "", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n",
    "ه": "h", "و": "w", "ي": "y", "ى": "y", "ة": "a",
    # Persian and Kurdish letters of names in Iraq and Syria.
    "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g", "ک": "k", "ی": "y", "ە": "h", "ۀ": "h",
}  # fmt: skip
SECOND_SPELLINGS = {"ض": "dh", "ج": "g", "ق": "g"}
# The letters each region spells its second way: Iraq (and Persian or Turkish lists,
# whose z for ض the skeleton reads as dh), Egypt, the Gulf.
REGIONS = (frozenset("ض"), frozenset("ج"), frozenset("قض"), frozenset("ضجق"))
# Letters that make a digraph of the skeleton's with the letter before them (s + h is
# sh, d + j is dj, t + s is ts): a vowel goes between.
DIGRAPH_SECONDS = {"h": "cdgkpstz", "j": "d", "s": "t"}


# A word of one consonant and ت (عفت, عزت once the ayn is dropped) gets the vowel
# Latin lists write between them (Effat, Ezzat): the skeleton drops a final t only
# after two letters or more, as Latin spellings have them.
SHORT_FINAL_T = re.compile(r"\b([b-df-hj-np-tv-z])t\b")


def arabic_latin(text: str, second: frozenset[str] = frozenset()) -> str:
    """`text` in Latin letters, lower case; the letters in `second` with their second
    spelling. Vowel marks and other signs are dropped, anything not Arabic is kept."""
    out: list[str] = []
    for index, char in enumerate(text):
        if unicodedata.category(char) == "Mn" or char == "\u0640":
            continue
        latin = SECOND_SPELLINGS[char] if char in second else LETTERS.get(char, char)
        if char == "ه" and out and out[-1].endswith("h") and _ends_word(text, index):
            latin = "a"  # صوالحه is Sawalha: the skeleton drops every final h
        if latin and out and out[-1] and out[-1][-1] in DIGRAPH_SECONDS.get(latin[0], ""):
            latin = "a" + latin
        out.append(latin)
    text = SHORT_FINAL_T.sub(r"\1at", "".join(out).lower())
    return " ".join("".join(c if c.isascii() and c.isalnum() else " " for c in text).split())


def _ends_word(text: str, index: int) -> bool:
    return index + 1 == len(text) or not text[index + 1].isalpha()


def arabic_readings(text: str) -> list[str]:
    """The Latin readings of Arabic-script `text`: its letters' first spellings, then,
    when it has ض, ج or ق, each region's spellings of them (`REGIONS`)."""
    readings = [arabic_latin(text)]
    for region in REGIONS:
        second = frozenset(char for char in region if char in text)
        reading = arabic_latin(text, second) if second else ""
        if reading and reading not in readings:
            readings.append(reading)
    return [reading for reading in readings if reading]
