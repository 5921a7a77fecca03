"""Real spellings benchmark (issue 17): names as the world writes them, not as the engine's
own rules or the demo's name lists do.

    .venv/bin/pip install -e ".[bench]"
    .venv/bin/python bench/bench_real_spellings.py                  # 5,000 of each
    .venv/bin/python bench/bench_real_spellings.py --size 2000 --per-standard 100

Russian: people drawn from the name lists of the `russian-names` package (MIT; common
given names, patronymics and surnames, by sex), registered in Cyrillic ("Имя Отчество
Фамилия", sex, day of birth). Each is sought once in each standard a Russian name meets
on paper: the standards `iuliia` implements (ISO 9:1995 / GOST 7.79 A and B, scientific,
ALA-LC, BGN/PCGN, UNGEGN, ICAO Doc 9303, the passport rules MVD 310 and 782, MVD 310's
French form, and Telegram's informal translit) and, written here from their published
rules, German (Duden) and English (press) spellings. Noise as relatives write: the
patronymic left out (30%), surname first (25%) or given name and surname only (15%),
capitals (30%), one letter mistyped (10%); birth to the day (50%), the year (30%) or not
at all; sex left out (10%).

Arabic: real Arabic-Latin pairs of name words from Wikidata person labels
(`data/wikidata_arabic_name_words.tsv`, CC0: see bench/README.md), composed into names
of three words (given, father's given, family; the family with the article al- half the
time; an Abd compound or a kunya as given name for some) registered in Arabic script with
its own variants (hamza, ta marbuta, alif maqsura), and sought in Latin letters with the
spellings Wikidata has for each word, weighted by how often: the article attached
("Aldiwani"), apart ("al-Diwani", "El Diwani") or left out; the father's name left out
(a dropped middle name); given and father's name only (the father's name read as a
surname); the family name first. Ages estimated on one side, a year on the other.

Each request's true match is its person. Per standard, per Arabic feature and per script:
recall@1 and recall@5 of Homeward (`candidates_by_left`, default settings but threshold
0) and of a baseline in the same run: anyascii transliteration and rapidfuzz's
token_set_ratio over all registered names (names only, no blocking). Under the Arabic
table, its ceiling: the best any engine reading letters could do (`arabic_ceiling`, with
the words no letter reads found by `letter_readable` and shown), and Homeward against
it. The last line is name=value pairs for comparing runs. `--scripts arabic
--no-baseline` gives the Arabic half and its ceiling alone, in about 20 s.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import iuliia
from anyascii import anyascii
from rapidfuzz import fuzz, process

from homeward.lib.ages import BirthDate, BirthPrecision
from homeward.matching.compare import compare_names
from homeward.matching.engine import candidates_by_left, score_pair
from homeward.matching.names import name_forms
from homeward.matching.records import UNKNOWN_BIRTH, Candidate, PersonRecord
from homeward.matching.scoring import DEFAULT_SETTINGS

HERE = Path(__file__).resolve().parent
ARABIC_WORDS = HERE / "data" / "wikidata_arabic_name_words.tsv"
REGISTERED_ON = date(2019, 3, 1)

# German (Duden) and English (press) spellings: not in iuliia, written from their rules.
GERMAN = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ["a", "b", "w", "g", "d", "e", "jo", "sch", "s", "i", "i", "k", "l", "m", "n", "o", "p",
     "r", "s", "t", "u", "f", "ch", "z", "tsch", "sch", "schtsch", "", "y", "", "e", "ju", "ja"],
    strict=True,
))  # fmt: skip
ENGLISH = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ["a", "b", "v", "g", "d", "e", "yo", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
     "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"],
    strict=True,
))  # fmt: skip
VOWELS = "аеёиоуыэюяьъ"


def _by_table(word: str, table: dict[str, str], *, german: bool) -> str:
    """One Cyrillic word by a letter table with the rules each press adds: е and ё
    after a vowel or at the start as je/ye, кс as x, -ий and -ый as -i/-y, -ов and -ев
    as -ow/-ew in German."""
    lower = word.lower()
    out: list[str] = []
    for index, char in enumerate(lower):
        before = lower[index - 1] if index else ""
        after = lower[index + 1 :]
        if char == "к" and after.startswith("с"):
            out.append("x")
            continue
        if char == "с" and before == "к":
            continue
        if char in "её" and (not before or before in VOWELS):
            out.append(("je" if german else "ye") if char == "е" else table[char])
            continue
        if char == "й" and german and before == "е":
            out.append("j")
            continue
        if char in "ий" and after == "й":
            continue
        out.append(table.get(char, char))
    text = "".join(out)
    if lower.endswith(("ий", "ый")):
        text = text[:-1] if text.endswith(("ii", "yi", "iy", "yy")) else text
    if german and lower.endswith(("ов", "ев")):
        text = text[:-1] + "w"
    return text


def german(text: str) -> str:
    return " ".join(_by_table(w, GERMAN, german=True).capitalize() for w in text.split())


def english(text: str) -> str:
    return " ".join(_by_table(w, ENGLISH, german=False).capitalize() for w in text.split())


STANDARDS: dict[str, Callable[[str], str]] = {
    "ISO 9 / GOST 7.79 A": iuliia.GOST_779.translate,
    "GOST 7.79 B": iuliia.GOST_779_ALT.translate,
    "scientific": iuliia.SCIENTIFIC.translate,
    "ALA-LC": iuliia.ALA_LC.translate,
    "BGN/PCGN": iuliia.BGN_PCGN.translate,
    "UNGEGN 1987": iuliia.UNGEGN_1987.translate,
    "ICAO Doc 9303": iuliia.ICAO_DOC_9303.translate,
    "MVD 310 (1997)": iuliia.MVD_310.translate,
    "MVD 782 (2010)": iuliia.MVD_782.translate,
    "French (MVD 310 fr)": iuliia.MVD_310_FR.translate,
    "German (Duden)": german,
    "English (press)": english,
    "informal (Telegram)": iuliia.TELEGRAM.translate,
}


def russian_lists() -> dict[str, list[str]]:
    """The common given names, patronymics and surnames of `russian-names`, by sex."""
    data = resources.files("russian_names").joinpath("_data.zip").read_bytes()
    import io

    lines = zipfile.ZipFile(io.BytesIO(data)).read("base.txt").decode().splitlines()
    words = [line.split() for line in lines]
    return {
        "m_given": words[1], "m_patronymic": words[3], "m_surname": words[4],
        "f_given": words[6], "f_patronymic": words[8], "f_surname": words[9],
    }  # fmt: skip


@dataclass(frozen=True)
class Sought:
    request: PersonRecord
    kind: str  # the standard, or the Arabic feature
    script: str


def born(rng: random.Random) -> date:
    return date(2004, 1, 1) + timedelta(days=rng.randrange(14 * 365))


def typo(text: str, rng: random.Random) -> str:
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    i = rng.choice(letters[1:] or letters)
    return text[:i] + rng.choice("aeiouklmnrst") + text[i + 1 :]


def requested_birth(day: date, rng: random.Random) -> BirthDate:
    roll = rng.random()
    if roll < 0.5:
        return BirthDate(BirthPrecision.DAY, day)
    if roll < 0.8:
        return BirthDate(BirthPrecision.YEAR, date(day.year, 1, 1))
    return UNKNOWN_BIRTH


def russian(
    size: int, per_standard: int, rng: random.Random
) -> tuple[list[PersonRecord], list[Sought]]:
    """`size` children registered in Cyrillic; `per_standard` of them sought in each
    standard."""
    lists = russian_lists()
    children: list[PersonRecord] = []
    people: list[tuple[str, str, str, str, date]] = []
    for index in range(size):
        sex = rng.choice("fm")
        given, patronymic, surname = (
            rng.choice(lists[f"{sex}_{part}"]) for part in ("given", "patronymic", "surname")
        )
        day = born(rng)
        people.append((sex, given, patronymic, surname, day))
        names = (f"{given} {patronymic} {surname}",)
        children.append(PersonRecord(f"ru{index}", names, sex, BirthDate(BirthPrecision.DAY, day)))
    sought: list[Sought] = []
    for standard, render in STANDARDS.items():
        for index in rng.sample(range(size), per_standard):
            sex, given, patronymic, surname, day = people[index]
            roll = rng.random()
            words = [given, patronymic, surname]
            if rng.random() < 0.3:
                words = [given, surname]
            if roll < 0.25:
                words = [words[-1], *words[:-1]]
            elif roll < 0.4:
                words = [given, surname]
            name = render(" ".join(words))
            if rng.random() < 0.3:
                name = name.upper()
            if rng.random() < 0.1:
                name = typo(name, rng)
            request = PersonRecord(
                f"rq{len(sought)}-ru{index}", (name,), sex if rng.random() < 0.9 else None,
                requested_birth(day, rng),
            )  # fmt: skip
            sought.append(Sought(request, standard, "Russian"))
    return children, sought


def arabic_words() -> dict[str, list[tuple[str, int]]]:
    """Each Arabic word of the Wikidata pairs with its Latin spellings and their counts."""
    words: dict[str, list[tuple[str, int]]] = defaultdict(list)
    with ARABIC_WORDS.open(encoding="utf-8") as file:
        for line in file:
            if line.startswith(("#", "arabic\t")):
                continue
            arabic, latin, count = line.rstrip("\n").split("\t")
            words[arabic].append((latin, int(count)))
    return dict(words)


def spelled(word: str, words: dict[str, list[tuple[str, int]]], rng: random.Random) -> str:
    """One real Latin spelling of an Arabic word, drawn by how often Wikidata has it."""
    spellings, counts = zip(*words[word], strict=True)
    return rng.choices(spellings, weights=counts)[0]


def arabic_variant(text: str, rng: random.Random) -> str:
    """As another clerk writes the same name: hamza seats, ta marbuta, alif maqsura."""
    if rng.random() < 0.3:
        text = text.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا")
    if rng.random() < 0.2:
        text = text.replace("ة ", "ه ").removesuffix("ة") + ("ه" if text.endswith("ة") else "")
    if rng.random() < 0.2:
        text = text.replace("ى", "ي")
    return text


def with_article(latin: str, rng: random.Random) -> tuple[str, str]:
    """A family name with the article, as Latin lists write it, and the way chosen."""
    roll = rng.random()
    if roll < 0.25:
        return f"al-{latin}", "article apart (al-)"
    if roll < 0.4:
        return f"Al {latin.capitalize()}", "article apart (al-)"
    if roll < 0.65:
        return f"Al{latin}", "article attached (Aldiwani)"
    if roll < 0.8:
        return f"El-{latin}", "article apart (al-)"
    return latin, "article left out"


def abd_compound(
    second: str, words: dict[str, list[tuple[str, int]]], rng: random.Random
) -> tuple[str, str, tuple[str, str]]:
    """An Abd compound (عبد + a word with the article) in Arabic, joined or apart, and in
    Latin letters as Wikidata spells its parts: Abdul Rahman, Abd al-Rahman,
    Abdelrahman. Last, the Latin spellings of its two words."""
    abd, rest = spelled("عبد", words, rng).strip("'`ʿ"), spelled(second, words, rng)
    arabic = f"عبد{second}" if rng.random() < 0.5 else f"عبد {second}"
    roll = rng.random()
    if roll < 0.35:
        return arabic, f"{abd.capitalize()} {rest.capitalize()}", (abd, rest)
    if roll < 0.65:
        return arabic, f"Abd al-{rest}", ("abd", rest)
    return arabic, f"{abd.capitalize()}{rest}", (abd, rest)


@dataclass(frozen=True)
class Unit:
    """One part of an Arabic name as the generator wrote it: its role (given, father,
    family), its Arabic words and, in a request, each word's Latin spelling."""

    role: str
    arabic: tuple[str, ...]
    latin: tuple[str, ...] = ()


def arabic(
    size: int, rng: random.Random
) -> tuple[list[PersonRecord], list[Sought], dict[str, tuple[Unit, ...]]]:
    """`size` people registered in Arabic script, each sought once in Latin letters. Last,
    the units of each child's and each request's name, by id, for the ceiling."""
    words = arabic_words()
    plain = [w for w in words if not w.startswith("ال") and w not in ("عبد", "أبو")]
    with_al = [w for w in words if w.startswith("ال") and len(w) > 3]
    children: list[PersonRecord] = []
    sought: list[Sought] = []
    units: dict[str, tuple[Unit, ...]] = {}
    for index in range(size):
        features: list[str] = []
        given_ar = rng.choice(plain)
        given_la = spelled(given_ar, words, rng)
        given = Unit("given", (given_ar,), (given_la,))
        roll = rng.random()
        if roll < 0.12:
            second = rng.choice(with_al)
            given_ar, given_la, latin = abd_compound(second, words, rng)
            given = Unit("given", ("عبد", second), latin)
            features.append("Abd compound")
        elif roll < 0.17:
            kunya = rng.choice(plain)
            given_ar = f"أبو {kunya}"
            abu, kunya_la = spelled("أبو", words, rng), spelled(kunya, words, rng)
            given_la = f"{abu} {kunya_la}"
            given = Unit("given", ("أبو", kunya), (abu, kunya_la))
            features.append("kunya (Abu)")
        father_ar = rng.choice(plain)
        family_ar = rng.choice(with_al) if rng.random() < 0.5 else rng.choice(plain)
        registered = arabic_variant(f"{given_ar} {father_ar} {family_ar}", rng)
        age = (REGISTERED_ON - (day := born(rng))).days // 365 + rng.choice([-1, 0, 0, 1])
        birth = BirthDate(BirthPrecision.ESTIMATE, estimated_age=max(age, 0),
                          estimated_on=REGISTERED_ON, margin_years=1)  # fmt: skip
        children.append(PersonRecord(f"ar{index}", (registered,), None, birth))
        units[f"ar{index}"] = (
            Unit("given", given.arabic),
            Unit("father", (father_ar,)),
            Unit("family", (family_ar,)),
        )
        family_la = spelled(family_ar, words, rng)
        family = Unit("family", (family_ar,), (family_la,))
        if family_ar.startswith("ال"):
            family_la, way = with_article(family_la, rng)
            features.append(way)
        father_la = spelled(father_ar, words, rng)
        father = Unit("father", (father_ar,), (father_la,))
        parts, said = [given_la, father_la, family_la], [given, father, family]
        roll = rng.random()
        if roll < 0.3:
            parts, said = [given_la, family_la], [given, family]
            features.append("father's name left out")
        elif roll < 0.5:
            parts, said = parts[:2], said[:2]
            features.append("given + father's name only")
        if rng.random() < 0.1:
            parts, said = [parts[-1], *parts[:-1]], [said[-1], *said[:-1]]
            features.append("family name first")
        name = " ".join(part[:1].upper() + part[1:] for part in parts)
        request = PersonRecord(
            f"aq{index}-ar{index}", (name,), None,
            BirthDate(BirthPrecision.YEAR, date(day.year, 1, 1)),
        )  # fmt: skip
        units[request.id] = tuple(said)
        for feature in features or ["three words, in order"]:
            sought.append(Sought(request, feature, "Arabic"))
    return children, sought, units


# The ceiling of the Arabic half. A Wikidata label is sometimes a translation, not a
# transliteration, of the Arabic word (Jerusalem for القدس, Britain for العظمى): no engine
# reading letters can find a child by such a word. The rule: a word's consonant skeleton
# and its Latin spelling's, each letter a class of the sounds Latin lists write for it
# (ث is t or s, ق is k or g, th is t, d, z or s), must share an aligned subsequence at
# least half as long as the longer skeleton; vowels, و, ي, ة, w and y are left out.
ARABIC_CLASSES = {
    "ب": "B", "پ": "B", "ت": "T", "ط": "T", "ث": "TS", "ج": "JG", "چ": "JS", "ح": "H",
    "ه": "H", "خ": "HK", "د": "D", "ذ": "DZ", "ظ": "DZ", "ض": "DZ", "ر": "R", "ز": "ZS",
    "س": "S", "ص": "S", "ش": "S", "غ": "GRH", "ف": "F", "ق": "KG", "ك": "K", "ک": "K",
    "گ": "G", "ل": "L", "م": "M", "ن": "N", "ژ": "JZ",
}  # fmt: skip
LATIN_DIGRAPH_CLASSES = {"sh": "S", "ch": "SK", "th": "TDZS", "dh": "DZ", "kh": "HK",
                         "gh": "GRH", "ph": "F", "dj": "J", "zh": "JZ", "ts": "TS"}  # fmt: skip
LATIN_CLASSES = {"b": "B", "p": "B", "t": "T", "d": "D", "j": "JG", "g": "GJ", "h": "H",
                 "k": "K", "c": "KS", "q": "K", "x": "KS", "f": "F", "v": "F", "l": "L",
                 "m": "M", "n": "N", "r": "R", "s": "S", "z": "ZS"}  # fmt: skip


def _collapsed(classes: list[str]) -> list[str]:
    return [c for i, c in enumerate(classes) if i == 0 or c != classes[i - 1]]


def arabic_skeleton(word: str) -> list[str]:
    return _collapsed([ARABIC_CLASSES[c] for c in word if c in ARABIC_CLASSES])


def latin_skeleton(word: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", word.lower())
    text = "".join(c for c in folded if c.isascii() and c.isalpha())
    out: list[str] = []
    i = 0
    while i < len(text):
        if text[i : i + 2] in LATIN_DIGRAPH_CLASSES:
            out.append(LATIN_DIGRAPH_CLASSES[text[i : i + 2]])
            i += 2
            continue
        if text[i] in LATIN_CLASSES:
            out.append(LATIN_CLASSES[text[i]])
        i += 1
    return _collapsed(out)


def letter_readable(arabic_word: str, latin: str) -> bool:
    """Whether `latin` can be read from the letters of `arabic_word` at all (generously)."""
    a, b = arabic_skeleton(arabic_word), latin_skeleton(latin)
    if not a or not b:
        return True
    previous = [0] * (len(b) + 1)
    for x in a:
        row = [0]
        for j, y in enumerate(b):
            row.append(previous[j] + 1 if set(x) & set(y) else max(previous[j + 1], row[j]))
        previous = row
    return 2 * previous[-1] >= max(len(a), len(b))


# The orders a request's units come in (`arabic`): given, father, family; either left
# out; the last one written first.
ORDERS = [("given", "father", "family"), ("family", "given", "father"), ("given", "family"),
          ("family", "given"), ("given", "father"), ("father", "given")]  # fmt: skip


def _ages_for_year(year: int) -> set[int]:
    """The estimated ages `arabic` can give a child born in `year`."""
    oldest = (REGISTERED_ON - date(year, 1, 1)).days // 365
    youngest = (REGISTERED_ON - date(year, 12, 31)).days // 365
    return {max(age + d, 0) for age in range(youngest, oldest + 1) for d in (-1, 0, 1)}


def arabic_ceiling(
    children: Sequence[PersonRecord], sought: Sequence[Sought],
    units: dict[str, tuple[Unit, ...]], engine: dict[str, list[str]],
) -> dict[str, str]:  # fmt: skip
    """The best any engine reading letters can do on the Arabic half, and Homeward
    against it. A child is consistent with a request when the generator could have
    written the request from it: some order of `ORDERS` puts each of the request's words
    on a word of the child's in that role of which it is a Wikidata spelling, a word that
    is not `letter_readable` fits any word (no letter says which), and the year fits the
    estimated age. Every word is read perfectly otherwise (typos of the Latin list,
    hamza and ta marbuta undone), so this is an upper bound. The true child is always
    consistent; ties are broken at random: ceiling r@1 is the mean of 1/n over requests
    with n consistent children, r@5 of min(1, 5/n)."""
    spellings = {w: {latin.lower() for latin, _ in s} for w, s in arabic_words().items()}
    index: dict[tuple[str, int, int, str], set[str]] = defaultdict(set)
    lengths: dict[tuple[str, int], set[str]] = defaultdict(set)
    by_age: dict[int, set[str]] = defaultdict(set)
    for child in children:
        for unit in units[child.id]:
            lengths[(unit.role, len(unit.arabic))].add(child.id)
            for position, word in enumerate(unit.arabic):
                for latin in spellings[word]:
                    index[(unit.role, len(unit.arabic), position, latin)].add(child.id)
        by_age[child.birth.estimated_age or 0].add(child.id)
    everyone = {child.id for child in children}
    requests = list({s.request.id: s for s in sought}.values())
    reciprocal: dict[str, float] = {}
    unreadable: dict[tuple[str, str], int] = defaultdict(int)
    within: set[str] = set()
    for s in requests:
        said = units[s.request.id]
        ok = True
        for unit in said:
            for word, latin in zip(unit.arabic, unit.latin, strict=True):
                if not letter_readable(word, latin):
                    unreadable[(word, latin)] += 1
                    ok = False
        if ok:
            within.add(s.request.id)
        fits: set[str] = set()
        for order in ORDERS:
            if len(order) != len(said):
                continue
            ids = everyone
            for role, unit in zip(order, said, strict=True):
                for position, (word, latin) in enumerate(zip(unit.arabic, unit.latin, strict=True)):
                    key = (role, len(unit.arabic), position, latin.lower())
                    if letter_readable(word, latin):
                        ids = ids & index.get(key, set())
                    else:  # a word no letter reads: any word of a unit as long
                        ids = ids & lengths[(role, len(unit.arabic))]
            fits |= ids
        year = s.request.birth.value.year if s.request.birth.value else 0
        fits &= set().union(*(by_age[age] for age in _ages_for_year(year)))
        assert truth(s.request.id) in fits, s.request.id  # the true child always fits
        reciprocal[s.request.id] = len(fits)
    n = len(requests)
    ceiling1 = sum(1 / k for k in reciprocal.values()) / n
    ceiling5 = sum(min(1.0, 5 / k) for k in reciprocal.values()) / n
    h1, h5 = recalls(requests, engine)
    r1, r5 = recalls([s for s in requests if s.request.id in within], engine)
    alone = [s for s in requests if reciprocal[s.request.id] == 1]
    a1, a5 = recalls(alone, engine)
    print(f"\narabic ceiling (any engine reading letters): r@1 {ceiling1:.4f}, r@5 {ceiling5:.4f}")
    print(f"Homeward r@1 {h1:.4f} = {h1 / ceiling1:.1%} of the ceiling, "
          f"r@5 {h5:.4f} = {h5 / ceiling5:.1%}")  # fmt: skip
    print(f"requests whose every word is letter-readable: {len(within)} of {n} "
          f"({len(within) / n:.1%}); Homeward on them r@1 {r1:.4f}, r@5 {r5:.4f}")  # fmt: skip
    print(f"requests with no other consistent child: {len(alone)} ({len(alone) / n:.1%}); "
          f"Homeward on them r@1 {a1:.4f}, r@5 {a5:.4f}")  # fmt: skip
    top = sorted(unreadable.items(), key=lambda item: -item[1])[:12]
    print(
        "words no letter reads, as drawn here (request count): "
        + ", ".join(f"{latin} for {word} ({count})" for (word, latin), count in top)
    )
    return {
        "arabic_ceiling_r1": f"{ceiling1:.4f}", "arabic_ceiling_r5": f"{ceiling5:.4f}",
        "arabic_of_ceiling_r1": f"{h1 / ceiling1:.4f}",
        "arabic_of_ceiling_r5": f"{h5 / ceiling5:.4f}",
        "arabic_readable_share": f"{len(within) / n:.4f}",
        "arabic_readable_r1": f"{r1:.4f}", "arabic_readable_r5": f"{r5:.4f}",
        "arabic_alone_share": f"{len(alone) / n:.4f}",
        "arabic_alone_r1": f"{a1:.4f}", "arabic_alone_r5": f"{a5:.4f}",
    }  # fmt: skip


def truth(request_id: str) -> str:
    return request_id.rpartition("-")[2]


def rank_homeward(
    requests: Sequence[PersonRecord], children: Sequence[PersonRecord]
) -> dict[str, list[Candidate]]:
    settings = replace(DEFAULT_SETTINGS, threshold=0.0)
    ranked = candidates_by_left(list(requests), list(children), settings)
    return {request.id: candidates for request, candidates in zip(requests, ranked, strict=True)}


def _first(found: dict[str, list[Candidate]], sought: Sought) -> str | None:
    candidates = found[sought.request.id]
    return candidates[0].right_id if candidates else None


def print_misses(
    label: str,
    sought: Sequence[Sought],
    children: Sequence[PersonRecord],
    found: dict[str, list[Candidate]],
    limit: int,
) -> None:
    """Up to `limit` requests per kind whose child is not first: the request, the child
    (with its first Latin reading), the child's rank and names level, and the first
    candidate with its explanation. For finding what the engine misreads."""
    by_id = {child.id: child for child in children}
    kinds = sorted({s.kind for s in sought}, key=[s.kind for s in sought].index)
    for kind in kinds:
        missed = [s for s in sought if s.kind == kind and _first(found, s) != truth(s.request.id)]
        print(f"\n{label} misses, {kind}: {len(missed)}")
        for s in missed[:limit]:
            child = by_id[truth(s.request.id)]
            ids = [c.right_id for c in found[s.request.id]]
            rank = ids.index(child.id) + 1 if child.id in ids else None
            level = compare_names(name_forms(s.request.names), name_forms(child.names))
            reading = " / ".join(form.text for form in name_forms(child.names))
            print(
                f"  {s.request.names[0]!r} -> {child.names[0]} [{reading}] rank {rank}, "
                f"names {level}; {score_pair(s.request, child).explanation.text}"
            )
            for candidate in found[s.request.id][:1]:
                other = by_id[candidate.right_id]
                print(
                    f"      first: {other.names[0]} "
                    f"[{' / '.join(f.text for f in name_forms(other.names))}] "
                    f"{candidate.explanation.text}"
                )


def rank_baseline(
    requests: Sequence[PersonRecord], children: Sequence[PersonRecord]
) -> dict[str, list[str]]:
    """anyascii of every name, rapidfuzz token_set_ratio against every registered name."""
    choices = [anyascii(" ".join(child.names)).lower() for child in children]
    found: dict[str, list[str]] = {}
    for request in requests:
        query = anyascii(" ".join(request.names)).lower()
        top = process.extract(query, choices, scorer=fuzz.token_set_ratio, limit=5)
        found[request.id] = [children[j].id for _, _, j in top]
    return found


def recalls(sought: Sequence[Sought], ranked: dict[str, list[str]]) -> tuple[float, float]:
    hits = [ranked[s.request.id].index(truth(s.request.id)) if truth(s.request.id) in
            ranked[s.request.id] else 99 for s in sought]  # fmt: skip
    return (
        sum(hit < 1 for hit in hits) / max(len(hits), 1),
        sum(hit < 5 for hit in hits) / max(len(hits), 1),
    )


def report(
    label: str, sought: list[Sought], engine: dict[str, list[str]], base: dict[str, list[str]]
) -> dict[str, str]:
    """A table per kind (standard or feature), and the script's line; name=value pairs."""
    figures: dict[str, str] = {}
    kinds = sorted({s.kind for s in sought}, key=[s.kind for s in sought].index)
    print(f"\n{label}: recall@1 / recall@5, Homeward against the baseline")
    print(f"| {'kind':<32} | requests | Homeward r@1 | r@5 | baseline r@1 | r@5 |")
    print(f"|{'-' * 34}|---|---|---|---|---|")
    for kind in [*kinds, "all"]:
        rows = [s for s in sought if kind in ("all", s.kind)]
        if kind == "all":  # a request with two features counts once
            rows = list({s.request.id: s for s in rows}.values())
        (h1, h5), (b1, b5) = recalls(rows, engine), recalls(rows, base)
        print(f"| {kind:<32} | {len(rows)} | {h1:.4f} | {h5:.4f} | {b1:.4f} | {b5:.4f} |")
        key = f"{label}_{kind}".lower().replace(" ", "_")
        key = "".join(ch for ch in key if ch.isalnum() or ch == "_")
        figures |= {f"{key}_r1": f"{h1:.4f}", f"{key}_r5": f"{h5:.4f}",
                    f"{key}_base_r1": f"{b1:.4f}", f"{key}_base_r5": f"{b5:.4f}"}  # fmt: skip
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=5000, help="people registered per script")
    parser.add_argument("--per-standard", type=int, default=300, help="Russian requests each")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--scripts", default="russian,arabic", help="which halves to rank")
    parser.add_argument("--no-baseline", action="store_true", help="Homeward only (quicker)")
    parser.add_argument(
        "--misses", type=int, default=0, help="print up to N missed requests per kind"
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    figures: dict[str, str] = {}
    russian_children, russian_sought = russian(args.size, args.per_standard, rng)
    arabic_children, arabic_sought, units = arabic(args.size, rng)
    for label, children, sought in (
        ("russian", russian_children, russian_sought),
        ("arabic", arabic_children, arabic_sought),
    ):
        if label not in args.scripts.split(","):
            continue
        requests = list({s.request.id: s.request for s in sought}.values())
        cpu, started = time.process_time(), time.perf_counter()
        found = rank_homeward(requests, children)
        engine = {key: [c.right_id for c in candidates] for key, candidates in found.items()}
        engine_seconds, engine_cpu = time.perf_counter() - started, time.process_time() - cpu
        started = time.perf_counter()
        base = rank_baseline(requests, children) if not args.no_baseline else engine
        base_seconds = time.perf_counter() - started
        figures |= report(label, sought, engine, base)
        if args.misses:
            print_misses(label, sought, children, found, args.misses)
        print(f"{label}: {len(requests)} requests against {len(children)} registered; "
              f"Homeward {engine_seconds:.1f} s ({engine_cpu:.1f} s CPU), "
              f"baseline {base_seconds:.1f} s")  # fmt: skip
        figures |= {f"{label}_seconds": f"{engine_seconds:.1f}",
                    f"{label}_cpu_seconds": f"{engine_cpu:.1f}",
                    f"{label}_base_seconds": f"{base_seconds:.1f}"}  # fmt: skip
        if label == "arabic":
            figures |= arabic_ceiling(children, sought, units, engine)
    print("real_spellings " + " ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
