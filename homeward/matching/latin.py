"""Latin spellings of Russian names in any standard, read back to one spelling: ICAO's.

A Russian name meets paper in a dozen standards: ISO 9:1995 / GOST 7.79 system A
("Aleksej Vladislavovič Orehov", "Belâev"), system B ("Mixeev", "Czarev"), the scientific
and UNGEGN systems ("Beljaev", "Miheev"), ALA-LC ("Alekseĭ"), BGN/PCGN and the passport
rules of 1997 and 2010 ("Afanasyev", "Natalya"), ICAO Doc 9303 (today's passports),
French ("Zoueva", "Tchaïkovski"), German ("Gorbatschow", "Jewgeni") and English
("Alexander", "Yuri") press spellings, and informal typing. The registry's Cyrillic is read
in BGN/PCGN and ICAO (`lib.scripts.search_variants`); a Latin spelling is read as it is
and, by `russian_readings`, as each standard's letters would be in ICAO's: č is ch, â and
ja are ia, j and y before a consonant are i, h and x are kh, c is ts. A spelling that
could be read two ways (x is ks in Alexander, kh in Mixeev; ch is ч in English, х in
German, ш in French) keeps its plain reading too: readings only add ways to agree.

Why not the `iuliia` package, which implements these standards: it renders Cyrillic into
each standard, the direction the registry needs least (its Cyrillic is read once, in
ICAO); what matching needs is the other direction, any standard's Latin back to one
spelling, which no library does. Rendering every Cyrillic name in thirteen standards would
also multiply each name's readings, and every comparison with them, by up to six. The
benchmark (`bench/bench_real_spellings.py`) uses iuliia as an independent source of test
spellings, so that these rules are not tested against themselves.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters with diacritics that Slavic standards use, as the digraphs ICAO writes them
# (ASCII folding would make č a c and lose the difference between ц and ч).
DIACRITICS = str.maketrans(
    {
        "č": "ch", "š": "sh", "ž": "zh", "ŝ": "shch", "ĉ": "ch", "ş": "sh",
        "â": "ia", "û": "iu", "ë": "e", "è": "e", "ė": "e", "ĭ": "i", "ȳ": "y", "ǎ": "a",
        "Č": "Ch", "Š": "Sh", "Ž": "Zh", "Ŝ": "Shch", "Ĉ": "Ch", "Ş": "Sh",
        "Â": "Ia", "Û": "Iu", "Ë": "E", "È": "E", "Ė": "E", "Ĭ": "I", "Ȳ": "Y",
    }
)  # fmt: skip

Rules = tuple[tuple[str, str], ...]

GENERIC_RULES: Rules = (
    (r"shh", "shch"),  # GOST B щ
    (r"cz", "ts"),  # GOST B ц
    (r"x", "kh"),  # GOST B and scientific х
    (r"c(?!h)", "ts"),  # ISO 9, scientific, UNGEGN ц
    (r"(?<![kszc])h", "kh"),  # ISO 9, UNGEGN, informal х
    (r"(?<=[bcdfgklmnprstvz])[jy]o", "e"),  # ё after a consonant: Fyodor is Fedor
    (r"[jy](?=[au])", "i"),  # я, ю: ja, ya, ju, yu are ia, iu
    (r"(?<=[aeiou])[jy](?=[eo])|^[jy](?=[eo])", ""),  # е, ё after a vowel: ye, je are e
    (r"(?<=[bcdfgklmnprstvz])[jy](?=[eo])", ""),  # ье: Afanasyev is Afanasev
    (r"j", "i"),  # й
    (r"(?<=[aeiou])y(?![aeiou])", "i"),  # й after a vowel: Sergey, Nikolay
    (r"iy$", "ii"),  # -ий: Dmitriy
    (r"yy$", "yi"),  # -ый
    (r"sky$", "skii"),
    (r"ski$", "skii"),
)
FRENCH_RULES: Rules = (
    (r"chtch", "shch"),
    (r"tch", "ch"),
    (r"(?<!t)ch", "sh"),  # French ch is ш
    (r"dj", "dzh"),
    (r"j", "zh"),
    (r"ou", "u"),
    (r"gu(?=[ei])", "g"),
    (r"(?<=[aeiouy])ss(?=[aeiouy])", "s"),
    (r"ine$", "in"),
    (r"ï", "i"),
)
GERMAN_RULES: Rules = (
    (r"schtsch", "shch"),
    (r"dsch", "DZH"),  # дж, kept from the z below
    (r"tsch", "CH"),  # ч, kept apart from the ch that is х below
    (r"sch", "sh"),
    (r"ch", "kh"),
    (r"CH", "ch"),
    (r"w", "v"),
    (r"z", "ts"),
    (r"(?<=[aeiou])s(?=[aeiou])", "z"),
    (r"[j](?=[au])", "i"),
    (r"(?<=[aeiou])j(?=[eo])|^j(?=[eo])", ""),
    (r"j", "i"),
    (r"DZH", "dzh"),
    (r"ZH", "zh"),
)
# German letters in a Russian name: sch, -ow/-ew, -witsch (not w alone: Awad, Walid).
# Informal typing and English spellings of Caucasian names write ж and дж as j
# (Telegram: Jukov; Khadijat for Хадижат, Gadjiev for Гаджиев).
INFORMAL_RULES: Rules = ((r"dj", "dzh"), (r"(?<!d)j", "zh"))
# Duden writes ж as it writes ш (Nadeschda, Doschinowa): sch is read both ways.
GERMAN_ZH_RULES: Rules = tuple((p, "ZH" if p == "sch" else r) for p, r in GERMAN_RULES)
# German letters in a word: sch, -ow, -owa, -owski, -witsch, -skaja, W before a vowel or
# l/r, and ch for х (Chromichin). A reading only counts where the other list has its
# words (`compare.with_readings_for`), so a mark found in another language's name costs
# little.
GERMAN_MARKS = re.compile(
    r"sch|[oe]wa?$|[oe]wna$|[oe]wsk|[oe]wit|witsch|^w[lraeiou]|^[sz]w|skaja$|(?<![st])ch"
)
FRENCH_MARKS = re.compile(r"ou|tch|dj")
# Between vowels, sh, zh, th and dh may write two letters, the first and then h (ح, ه):
# Ishaq, Boushaki, Mazhar, Medhat for إسحاق, بوسحاقي, مظهر, مدحت, as Russian writes
# Исхак Iskhak. Read so too, the other words as written (the generic rules read every h
# as kh: Saleh as "salekh"). Not before a last vowel: Sasha, Natasha are ш.
LETTER_PAIR = re.compile(r"(?<=[aeiou])([sztd])h(?=[aeiou][b-df-hj-np-tv-z])")
LETTER_PAIR_RULES: Rules = ((LETTER_PAIR.pattern, r"\1kh"),)


def with_digraphs(text: str) -> str:
    """Slavic letters with diacritics as ICAO's digraphs: "Vladislavovič" gives
    "Vladislavovich"; other letters pass through."""
    return unicodedata.normalize("NFC", text).translate(DIACRITICS)


@lru_cache(maxsize=1 << 16)
def russian_readings(latin: str) -> tuple[str, ...]:
    """Other readings of a lower-case ASCII spelling if it writes a Russian name in
    another standard, each in ICAO's letters ("orehov" gives "orekhov", "zoueva" gives
    "zueva", "gorbatschow" gives "gorbachov"); () when none differs from `latin`.

    German rules apply when a word has German letters (sch, -ow), French ones when a word
    has French letters (ou, tch, dj), j read as ж when there is a j (informal typing),
    sh, zh, th and dh between vowels as two letters (`LETTER_PAIR`), the generic ones
    (ISO 9, GOST B, scientific, UNGEGN, ALA-LC, the passport rules, English) always.
    """
    words = latin.split()
    found: list[str] = []
    styles: list[Rules] = [GENERIC_RULES]
    if any("j" in word for word in words):
        styles.append(INFORMAL_RULES + GENERIC_RULES)
    if any(GERMAN_MARKS.search(word) for word in words):
        styles.append(GERMAN_RULES)
        if "sch" in latin:
            styles.append(GERMAN_ZH_RULES)
    if any(FRENCH_MARKS.search(word) for word in words):
        styles.append(FRENCH_RULES)
    if LETTER_PAIR.search(latin):
        styles.append(LETTER_PAIR_RULES)
    for rules in styles:
        reading = " ".join(_by_rules(word, rules) for word in words)
        if reading != latin and reading not in found:
            found.append(reading)
    return tuple(found)


@lru_cache(maxsize=1 << 18)
def _by_rules(word: str, rules: Rules) -> str:
    for pattern, replacement in rules:
        word = re.sub(pattern, replacement, word)
    return word
