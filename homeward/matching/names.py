"""Names in any script reduced to forms that can be compared.

A name arrives as variants in Latin, Cyrillic or Arabic script. Each variant is
transliterated with `homeward.lib.scripts.search_variants` (ICU BGN/PCGN and ICAO), then its
structure is read: Arabic particles and compounds, patronymics, feminine family-name endings
and spelling families. Word order is ignored: a name is a set of tokens.

Arabic script is written without short vowels, so ICU turns "أمينة" into "amynt". The
consonant skeleton ("mn" for both "amina" and "amynt") lets such spellings agree.

A pet name (Sasha, Masha, Maga) is read as itself and, in further readings, as each full
name it stands for (Aleksandr, Aleksandra; Mariya; Magomed): see `DIMINUTIVES`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import groupby

from rapidfuzz.distance import Levenshtein

from homeward.lib.scripts import APOSTROPHES, MixedScriptError, detect_script, search_variants
from homeward.matching.arabic import arabic_readings
from homeward.matching.latin import russian_readings, with_digraphs

# Spelling families: North Caucasian, Russian and Arabic-derived forms of one name, mapped
# to one canonical spelling. Small on purpose; the skeleton catches what is not listed.
SPELLING_FAMILIES: dict[str, tuple[str, ...]] = {
    "muhammad": (
        "magomed",
        "mohammed",
        "mohamed",
        "mohammad",
        "mohamad",
        "mukhammad",
        "mukhammed",
        "muhammed",
        "mahomed",
        "magoma",
        "mamed",
        "muhamed",
        "mokhammed",
        "mehmet",  # Turkish spellings write a final d as t
        "mehmed",
        "muhammet",
        "mohd",
    ),
    "fatima": ("patimat", "fatimat", "patima", "fatma", "fotima"),
    "khadija": ("khadizhat", "khadizha", "hadija", "khadidja", "khadidzha", "hadizhat"),
    "yusuf": ("yusup", "iusup", "yusif", "yousef", "yusef", "jusup"),
    "ibrahim": ("ibragim", "ibrahem", "ebrahim"),
    "hasan": ("gasan", "khasan", "hassan"),
    "husein": ("gusein", "guseyn", "husayn", "hussein", "khusein", "huseyn"),
    "umar": ("omar", "omer"),
    "ahmad": ("akhmed", "ahmed", "akhmad", "akhmet"),
    "aisha": ("aishat", "aysha", "ayshat", "aishа"),
    "amina": ("aminat", "aminah"),
    "maryam": ("mariam", "marjam", "mariyam"),
    "zaynab": ("zainab", "zeynab", "zeinab", "zaynap"),
    "asiya": ("asiyat", "asiiat", "asia", "asiyа"),
    "rabia": ("rabiyat", "rabiiat", "rabiat", "rabiya"),
    "khava": ("hawa", "hava", "khawa", "hwa"),  # hwa: حواء through ICU
    "abdulla": ("abdullah", "abdallah", "abdalla", "abdula"),
    "ismail": ("ismayil", "ismoil", "ismael"),
    "khalid": ("halid", "khaled", "khalit"),
    "khamza": ("hamza", "gamzat", "khamzat"),
    "safiya": ("safiia", "safia", "sofiya"),
    "said": ("saeed", "sayid", "saiid"),
    "iskhak": ("ishaq", "ishak", "isaac", "isaak"),  # إسحاق, Исхак
    "mahmud": ("mahmut",),
    "hamid": ("hamit",),
    "masud": ("mesut",),
    "taha": ("tah",),  # طه: its h is no ta marbuta
    "ummukusum": ("ummukulsum", "ummkulthum", "umkulthum", "ummukhulsum", "amklthwm"),
}
CANONICAL_SPELLING = {
    variant: canonical for canonical, variants in SPELLING_FAMILIES.items() for variant in variants
}

# Hand-written: no maintained list of Russian diminutives is packaged for Python.
# Pet names and the full names they stand for, in Cyrillic: both are read through the
# transliterations as any name is, so each spelling they give of a pet name (Коля: kolya,
# kolia) finds every spelling of its full names (Николай: nikolay, nikolai). The Russian
# ones are the everyday pet forms of common names. Of the Muslim names of Dagestan and
# Chechnya only Мага (Magomed) is here, as the Russian press writes it (Argumenty Nedeli,
# 2013: a Magomed Rasulov "better known as Maga"; Moi Rayon, St Petersburg: Anzhi's fans
# call Yuri Zhirkov "Maga", for Magomed). Other pet forms (Патя for Patimat?) found no
# source, and a wrong entry makes two people's names agree.
DIMINUTIVES: dict[str, tuple[str, ...]] = {
    "Саша": ("Александр", "Александра"),
    "Шура": ("Александр", "Александра"),
    "Лёша": ("Алексей",),
    "Алёша": ("Алексей",),
    "Толя": ("Анатолий",),
    "Аня": ("Анна",),
    "Настя": ("Анастасия",),
    "Тёма": ("Артём",),
    "Боря": ("Борис",),
    "Валя": ("Валентин", "Валентина"),
    "Вика": ("Виктория",),
    "Витя": ("Виктор",),
    "Влад": ("Владислав", "Владимир"),
    "Вова": ("Владимир",),
    "Володя": ("Владимир",),
    "Слава": ("Вячеслав", "Владислав", "Ярослав", "Станислав"),
    "Галя": ("Галина",),
    "Жора": ("Георгий",),
    "Гоша": ("Георгий",),
    "Гриша": ("Григорий",),
    "Даня": ("Даниил", "Данила"),
    "Даша": ("Дарья",),
    "Дима": ("Дмитрий",),
    "Женя": ("Евгений", "Евгения"),
    "Катя": ("Екатерина",),
    "Лена": ("Елена",),
    "Лиза": ("Елизавета",),
    "Ваня": ("Иван",),
    "Ира": ("Ирина",),
    "Костя": ("Константин",),
    "Ксюша": ("Ксения",),
    "Лёва": ("Лев",),
    "Люба": ("Любовь",),
    "Люда": ("Людмила",),
    "Макс": ("Максим",),
    "Рита": ("Маргарита",),
    "Маша": ("Мария",),
    "Миша": ("Михаил",),
    "Надя": ("Надежда",),
    "Наташа": ("Наталья", "Наталия"),
    "Коля": ("Николай",),
    "Оля": ("Ольга",),
    "Паша": ("Павел",),
    "Петя": ("Пётр",),
    "Поля": ("Полина",),
    "Рома": ("Роман",),
    "Света": ("Светлана",),
    "Серёжа": ("Сергей",),
    "Соня": ("Софья", "София"),
    "Стёпа": ("Степан",),
    "Таня": ("Татьяна",),
    "Федя": ("Фёдор",),
    "Юля": ("Юлия",),
    "Юра": ("Юрий",),
    "Мага": ("Магомед",),
}

FATHER_PARTICLES = {"bin", "ibn", "ben", "bint", "binti", "bn", "bnt", "abn"}
# Joined with the next word. Abo is the Iraqi and Kurdish spelling of أبو (Abo Hattab):
# 12 of Wikidata's 209 Latin spellings of the word.
KUNYA_PARTICLES = {"abu", "abou", "abo", "umm", "um", "abw"}
ABD_PARTICLES = {"abd", "abdul", "abdel", "abdal", "abdol", "abdu", "abdur", "abdus", "abdun",
                 "abdes", "abder", "abdelm"}  # fmt: skip
ARTICLES = {"al", "el", "ul", "ad", "ar", "as", "ash", "az", "an", "at"}
PATRONYMIC_ENDINGS = ("ovich", "evich", "ovna", "evna", "ichna", "inichna", "ich")
FULL_PATRONYMIC_ENDINGS = ("ovich", "evich", "ovna", "evna", "ichna")
# Feminine family names: Aliyeva is Aliyev's daughter, in Arabic script a final alef.
FEMININE_ENDINGS = (("ova", "ov"), ("eva", "ev"), ("ina", "in"), ("wfa", "wf"), ("yfa", "yf"))
# Canonical endings of family names (Aliev, Kurbanov; Arabic script -wf, -yf) and the least
# length a token needs to be read as one (Amin and Yasin are given names).
FAMILY_ENDINGS = (("ov", 5), ("ev", 5), ("wf", 4), ("yf", 4), ("in", 6))

# Arabic script: the article al- written joined, the ayn ICU turns into a word break, and
# the particles that belong to the next word (Abu Bakr, Umm Kulthum, Abd Allah).
ARABIC_AYN = "\u0639"
ARABIC_ARTICLE = re.compile(r"(?<!\S)ال(?!له)")
ARABIC_JOINED_PARTICLE = re.compile(r"(?<!\S)(أبو|ابو|أم|ام|عبد)\s+")
# عابد (Abid, Abed) without its ayn would be read "abd", the particle of Abd compounds,
# and joined with the next word: its long a is read as the i Latin lists give it.
ARABIC_ABID = re.compile(r"(?<!\S)عابد(?!\S)")
# Letters of Caucasian Cyrillic alphabets that the Russian transliterators do not know.
CAUCASIAN_CYRILLIC = str.maketrans({"ҳ": "х", "Ҳ": "Х", "ӏ": "", "Ӏ": "", "ғ": "г", "қ": "к"})

ASCII_BREAKS = re.compile(r"[\W_]+", re.ASCII)  # in ASCII, what is not a letter or a digit
# In this order, each written once: the letter a digraph becomes makes no digraph with
# its neighbour (the s + h of الصغير, "sghyr", is no sh, nor is Iskhak's s + h). French
# "tch" is ч.
SKELETON_DIGRAPHS = (
    ("dzh", "J"), ("dj", "J"), ("zh", "J"), ("kh", "H"), ("gh", "H"), ("dh", "Z"),
    ("sh", "S"), ("tch", "S"), ("ch", "S"), ("ts", "S"), ("th", "S"), ("ph", "F"),
)  # fmt: skip
# Russian г writes Arabic h (Magomed, Gasan), p writes f (Patimat, Yusup), v writes w.
SKELETON_LETTERS = str.maketrans(
    {"g": "h", "q": "k", "c": "k", "x": "ks", "z": "s", "p": "b", "f": "b", "v": "b"}
)
SKELETON_DROPPED = str.maketrans("", "", "aeiouyw")
MIN_SKELETON_LENGTH = 2  # one consonant says too little to block on, or to agree on alone


@dataclass(frozen=True)
class NameForm:
    """One reading of a name: canonical tokens, their sorted text and their skeletons.

    `given` is the first token as written that does not look like a family name (None when
    all do); `family` holds the tokens that do. Word order is otherwise ignored.
    """

    tokens: frozenset[str]
    text: str
    skeletons: tuple[str, ...]
    father_hint: str | None = None
    given: str | None = None
    family: frozenset[str] = frozenset()
    # The skeleton of the one word that no name of the list this reading is matched
    # against has, when its other words are known there: a likely typo (set by
    # `compare.with_typos_marked`), which may then agree a letter apart however short.
    typo: str | None = None
    # The words this reading has that the first reading of its spelling has not (another
    # standard's "orekhov" for "orehov", an Arabic name's father's name, a pet name's full
    # name): compared only against a name with a word related to one of them, since
    # otherwise this reading can reach no level the first one does not
    # (`compare.compare_names`). Empty for a spelling's first reading.
    extra: frozenset[str] = field(default=frozenset(), compare=False)
    # The words of the first reading that this one has not (those it reads otherwise).
    replaced: frozenset[str] = field(default=frozenset(), compare=False)
    # A reading of the spelling in another Russian standard (`latin.russian_readings`),
    # not one of Arabic naming or of a pet name.
    restandard: bool = field(default=False, compare=False)
    _hash: int = field(init=False, repr=False, compare=False, default=0)
    _reads_father: bool = field(init=False, repr=False, compare=False, default=False)

    def __post_init__(self) -> None:
        # Forms are keys of every comparison cache, often as tuples of forms: hashed once.
        object.__setattr__(
            self, "_hash", hash((self.text, self.father_hint, self.given, self.typo))
        )
        # Asked of every pair of readings compared (`compare.compare_names`): worked out once.
        object.__setattr__(
            self, "_reads_father", self.father_hint is not None and self.father_hint in self.extra
        )

    def __hash__(self) -> int:
        return self._hash

    @property
    def reads_father(self) -> bool:
        """Whether this is a name in Arabic order read as its plain words, the father's
        name among them (`_arabic_readings`); not a name whose given name is also its
        father's (Adam son of Adam)."""
        return self._reads_father

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        # Rebuilt, not restored: another process hashes strings differently.
        fields = (
            self.tokens, self.text, self.skeletons, self.father_hint, self.given, self.family,
            self.typo, self.extra, self.replaced, self.restandard,
        )  # fmt: skip
        return (NameForm, fields)


@lru_cache(maxsize=1 << 20)
def skeleton(token: str) -> str:
    """The consonants of `token` in classes that survive script and spelling changes.

    1. Map digraphs (kh, zh, dzh, sh, ts, th...) to one letter; dh, as Iraqi spellings
       write ظ (Kadhim), is the z that ICU writes for it (kazm).
    2. Drop a final t (Arabic ta marbuta: "amynt" is Amina) or else a final h (not kh
       or gh's: Battikh keeps its خ).
    3. Merge letters that scripts confuse (g/h, p/f/b/v, z/s, q/k), and read x as ks.
    4. Drop vowels and y/w, which Arabic script leaves out or writes as consonants.
    5. Collapse doubled letters.
    """
    consonant_h = token.endswith(("kh", "gh"))  # خ, غ, х: Battikh, Sheikh, Luzhskikh
    for digraph, letter in SKELETON_DIGRAPHS:
        token = token.replace(digraph, letter)
    token = token.lower()
    if len(token) > 2 and token.endswith("t"):
        # An h the t leaves last is a consonant (مدحت, "mdaht", is Medhat), not the h
        # of a ta marbuta.
        token = token[:-1]
    elif not consonant_h:
        token = token.rstrip("h") or token
    token = token.translate(SKELETON_LETTERS).translate(SKELETON_DROPPED)
    return "".join(letter for letter, _ in groupby(token))


def skeletons_agree(left: str, right: str) -> bool:
    """Equal skeletons, or one letter apart when both are long enough to tell."""
    if left == right:
        return True
    return min(len(left), len(right)) >= 3 and Levenshtein.distance(left, right) <= 1


def skeletons_a_typo_apart(left: str, right: str, typo: str | None) -> bool:
    """`skeletons_agree`, or, when one of them is `typo` (a word no name of the other list
    has), one letter apart however short, if the other has two consonants at least:
    "Муaа" (m) is a typo of Musa (ms) when the registry has no word "m". Short names
    a letter apart are otherwise as often two names (Musa and Umar, ms and mr)."""
    if skeletons_agree(left, right):
        return True
    if typo is None or typo not in (left, right):
        return False
    other = right if left == typo else left
    return len(other) >= MIN_SKELETON_LENGTH and Levenshtein.distance(left, right) <= 1


def skeletons_equal(left: str, right: str) -> bool:
    """The strict form of `skeletons_agree`: one spelling of one name in any script.

    A letter apart is a typo as often as another name: Maryam and Zarema (mrm, srm),
    Khalid and Akhmed (hld, hmd), Omarov and Musaev. Comparisons say so with a level of
    their own below equal skeletons.
    """
    return left == right


@lru_cache(maxsize=1 << 18)
def canonical_token(token: str) -> str:
    """One spelling per family: feminine endings dropped, known variants mapped."""
    if token.endswith(("ow", "owa", "ew", "ewa")):
        token = token.replace("ow", "ov").replace("ew", "ev")  # Polish/German-style -ow
    for feminine, masculine in FEMININE_ENDINGS:
        # Short -ina names are given names (Amina, Madina), not feminine family names.
        if len(token) > (6 if feminine == "ina" else 4) and token.endswith(feminine):
            token = token[: -len(feminine)] + masculine
            break
    if token.endswith("yev"):
        token = token[:-3] + "ev"  # Aliyev (BGN) and Aliev (ICAO) are one spelling
    if token in CANONICAL_SPELLING:
        return CANONICAL_SPELLING[token]
    # Family names built on a given name: Magomedov is Muhammad's, Ibragimov Ibrahim's.
    for suffix in ("ov", "ev"):
        stem = token.removesuffix(suffix)
        if stem != token and stem in CANONICAL_SPELLING:
            return CANONICAL_SPELLING[stem] + suffix
    return token


@lru_cache(maxsize=1 << 18)
def looks_like_family_name(token: str) -> bool:
    """A canonical token with a family name's ending: aliev, kurbanov, Arabic-script lyyf;
    not a given name of `SPELLING_FAMILIES` (Husein ends as Pushkin does)."""
    if token in SPELLING_FAMILIES:
        return False
    return any(len(token) >= length and token.endswith(ending) for ending, length in FAMILY_ENDINGS)


def family_stem(token: str) -> str:
    """The name a family name is built on: isaev gives isa, Arabic-script lyyf gives lyy."""
    for ending, length in FAMILY_ENDINGS:
        if len(token) >= length and token.endswith(ending):
            return token[: -len(ending)]
    return token


@lru_cache(maxsize=1 << 18)
def patronymic_father(token: str) -> str | None:
    """The father's given name inside a Russian patronymic: magomedovich gives magomed."""
    for ending in PATRONYMIC_ENDINGS:
        if len(token) >= len(ending) + 3 and token.endswith(ending):
            return token[: -len(ending)]
    return None


def _prepare_script(text: str, *, join_particles: bool = True) -> str:
    """Fix what the transliterators would lose, before they run; in a name, Abu, Umm and
    Abd are joined to the next word as `_join_compounds` joins them in Latin letters (a
    place keeps them apart: أم قصر is Umm Qasr)."""
    try:
        script = detect_script(text)
    except MixedScriptError:
        return text
    if script == "Cyrl":
        return text.translate(CAUCASIAN_CYRILLIC)
    if script != "Arab":
        return text
    if join_particles:
        text = ARABIC_JOINED_PARTICLE.sub(r"\1", text)
    text = ARABIC_ABID.sub("ابيد", text)
    return ARABIC_ARTICLE.sub("", text).replace(ARABIC_AYN, "")


def _join_compounds(words: list[str]) -> list[str]:
    """Abd al-Rahman, Abdul Rahman and Abu Bakr become one token each; a lone al- goes."""
    joined: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        rest = words[index + 1 :]
        if (word in ABD_PARTICLES or word in KUNYA_PARTICLES) and rest:
            skip = 1 if rest[0] in ARTICLES and len(rest) > 1 else 0
            prefix = "abdul" if word in ABD_PARTICLES else word
            joined.append(prefix + rest[skip])
            index += 2 + skip
            continue
        if word not in ARTICLES:
            joined.append(word)
        index += 1
    return joined


def _may_be_patronymic(words: list[str], index: int) -> bool:
    """Whether the word at `index` stands where a Russian patronymic does.

    A patronymic comes with a given and a family name: in the middle of three or more
    words (Ivan Petrovich Sidorov), or last after the family name (Sidorov Ivan
    Petrovich, Penzenskij Yaroslav Viktorovich: a family name of any ending before a
    full patronymic's). In two words the second is a family name (Samuel Heidrich).
    """
    if len(words) < 3 or index == 0:
        return False
    if index < len(words) - 1:
        return True
    return looks_like_family_name(canonical_token(words[0])) or words[index].endswith(
        FULL_PATRONYMIC_ENDINGS
    )


def _read_structure(words: list[str]) -> tuple[list[str], str | None]:
    """Split the person's own name tokens from a father's name (patronymic, bin/bint).
    A particle names the father only after the person's own name: a first word "Ben"
    is a given name (Ben Grubb), not "son of Grubb"."""
    tokens: list[str] = []
    father: str | None = None
    index = 0
    while index < len(words):
        word = words[index]
        if word in FATHER_PARTICLES and 0 < index < len(words) - 1:
            father = words[index + 1]
            index += 2
            continue
        hint = patronymic_father(word) if _may_be_patronymic(words, index) else None
        if hint:
            father = hint
        else:
            tokens.append(word)
        index += 1
    return tokens, father


# The article assimilated to a sun letter inside an Abd compound: Abdurrahman,
# Abdessalam, Abdunnasir are Abdul Rahman, Abdul Salam, Abdul Nasir.
ASSIMILATED_ABD = re.compile(r"^abd[aeiou]?([tdrzsnl])\1?(?=[aeiou])")


@lru_cache(maxsize=1 << 18)
def _canonical_compound(token: str) -> str:
    # abdulla, abdallah and abdullah spell one compound; so do their skeletons' sources.
    if token.startswith(("abdal", "abdel", "abdol")):
        token = "abdul" + token[5:]
    elif token.startswith("abd") and not token.startswith("abdul"):
        token = ASSIMILATED_ABD.sub(r"abdul\1", token)
    return token.rstrip("h") if token.startswith("abdul") else token


@lru_cache(maxsize=1 << 18)
def form_from_latin(latin: str, *, nasab: bool = False) -> NameForm | None:
    """Read one lower-case ASCII spelling; None when nothing of a name is left.

    With `nasab` (a name written in Arabic script), three words or more are read in Arabic
    order: the second word is the father's given name (Khalid Magomed Aliev is Khalid,
    son of Magomed, of the Alievs), as a register in Iraq or Syria writes a full name.
    """
    return _form(*_read_latin(latin, nasab=nasab))


@lru_cache(maxsize=1 << 18)
def forms_from_latin(latin: str, *, nasab: bool = False) -> tuple[NameForm, ...]:
    """`form_from_latin`'s reading, then the other ways Arabic names are written
    (`_arabic_readings`), then, when its given name is a pet name (`DIMINUTIVES`),
    one more reading for each spelling of each full name it stands for, in its place:
    "sasha ivanov" is also read "aleksandr ivanov" and "aleksandra ivanov"."""
    in_order, father_hint = _read_latin(latin, nasab=nasab)
    form = _form(in_order, father_hint)
    if form is None:
        return ()
    forms = [form]
    for other_latin, other_nasab in _arabic_readings(latin, nasab=nasab):
        words, hint = _read_latin(other_latin, nasab=other_nasab)
        other = _form(words, hint or (father_hint if nasab else None))
        if other is not None and other not in forms:
            forms.append(other)
    given = form.given
    full_names = _full_names().get(_pet_spelling(given)) if given else None
    if given is None or not full_names:
        return tuple(forms)
    place = in_order.index(given)
    for full in full_names:
        other = _form([*in_order[:place], full, *in_order[place + 1 :]], father_hint)
        if other is not None and other not in forms:
            forms.append(other)
    return tuple(forms)


ATTACHED_ARTICLE = re.compile(r"^(?:al|el)(?=[^aeiou\s]\w{3,})")
# Before a word that begins with a vowel (an ayn, a hamza: العبيدي, الأسعد) the article
# is written al, el or, in Maghrebi spellings, a bare l: Alomari, Elaziz, Labidi,
# Lassaad, Larbi.
ARTICLE_BEFORE_VOWEL = re.compile(r"^[ae]?l(?=[aeiou]\w{3,})")


def _arabic_readings(latin: str, *, nasab: bool) -> list[tuple[str, bool]]:
    """Other readings of a name as Arabic names are written, each (spelling, nasab):

    - a name in Arabic script of three words or more, read in Arabic order (given,
      father's given, family), is also read as its plain words, the father's name
      still its hint: a Latin list writes حسين سعيد علي as "Hussein Saeed", the
      father's name in the place of a surname;
    - a word after the first that begins with the article attached ("Aldiwani",
      "Elmasry", "Labidi": `_without_article`) is also read without it, as الديواني
      is read (the first word is a given name: Aleksandr, Elmira); a word with two
      (al- written before a spelling that has one: Alalraai, Allabidi, which may also
      be al-Labidi) is read without both too.
    """
    words = latin.split()
    readings: list[tuple[str, bool]] = []
    if nasab and len(words) >= 3:
        readings.append((latin, False))
    split = [words[0], *map(_without_article, words[1:])] if words else []
    if split != words:
        readings.append((" ".join(split), nasab))
        twice = [split[0], *map(_without_article, split[1:])]
        if twice != split:
            readings.append((" ".join(twice), nasab))
    if "abed" in words[:-1]:
        # Levantine lists write عبد as Abed (Abed Rabbo, Abed al-Rahman), which is also
        # عابد (Abed Hassan): read as Abd before another word too.
        abd = [word if word != "abed" or last else "abd" for word, last in _with_last(words)]
        readings.append((" ".join(abd), nasab))
    if not nasab and PERSIAN_V.search(latin) and not any(map(_russian_word, words)):
        readings += [(PERSIAN_V.sub("w", text), nasab) for text in {latin, " ".join(split)}]
    return readings


# Persian and Turkish spellings write و before a vowel as v (Vaezi, Alavi, Vasıf, Javad:
# واعظي, علوي, واصف, جواد), where Arabic ones write w or ou; the skeleton reads v as b
# (Russian в). A Russian name (a family name's ending, a patronymic: Ivanov,
# Pavlovich) is not so read.
PERSIAN_V = re.compile(r"v(?=[aeiouy])")


def _with_last(words: list[str]) -> list[tuple[str, bool]]:
    return [(word, index == len(words) - 1) for index, word in enumerate(words)]


def _russian_word(word: str) -> bool:
    return looks_like_family_name(canonical_token(word)) or patronymic_father(word) is not None


def _without_article(word: str) -> str:
    """`word` without an article attached to it (Aldiwani, Labidi); a Russian family
    name or patronymic keeps its first letters (Lavrov, Alekseevich)."""
    bare = ATTACHED_ARTICLE.sub("", word)
    if bare != word or looks_like_family_name(canonical_token(word)) or patronymic_father(word):
        return bare
    return ARTICLE_BEFORE_VOWEL.sub("", word)


@lru_cache(maxsize=1)
def _full_names() -> dict[str, tuple[str, ...]]:
    """`DIMINUTIVES` in Latin letters: each spelling the transliterations give of a pet
    name (in `_pet_spelling`'s form) to every spelling they give of its full names."""
    table: dict[str, list[str]] = {}
    for pet, fulls in DIMINUTIVES.items():
        spellings = [token for full in fulls for token in _single_tokens(full)]
        for key in {_pet_spelling(token) for token in _single_tokens(pet)}:
            known = table.setdefault(key, [])
            known.extend(token for token in spellings if token not in known)
    return {key: tuple(fulls) for key, fulls in table.items()}


def _single_tokens(name: str) -> list[str]:
    """The canonical token of each Latin reading of a one-word name, in reading order."""
    tokens: list[str] = []
    for latin in _latin_readings(name, as_name=True)[0]:
        form = form_from_latin(latin)
        for token in form.tokens if form else ():
            if token not in tokens:
                tokens.append(token)
    return tokens


@lru_cache(maxsize=1 << 16)
def _pet_spelling(token: str) -> str:
    """One spelling of a pet name however it is written in Latin letters: y or j before a
    vowel as ICAO's i (Kolya, Kolja: kolia), yo as ICU's e for ё (Lyosha: lesha), German
    sch as sh (Sascha: sasha)."""
    token = re.sub(r"[yj](?=[aeiou])", "i", token.replace("sch", "sh"))
    return token.replace("io", "e")


def _read_latin(latin: str, *, nasab: bool) -> tuple[list[str], str | None]:
    """The canonical tokens of one spelling in their written order, and the father's
    given name when the spelling has one (see `form_from_latin`)."""
    words = _join_compounds(latin.split())
    father: str | None
    if nasab and len(words) >= 3 and not (set(words) & FATHER_PARTICLES):
        tokens, father = [words[0], *words[2:]], words[1]
    else:
        tokens, father = _read_structure(words)
    in_order = [canonical_token(_canonical_compound(token)) for token in tokens]
    return in_order, canonical_token(father) if father else None


def _form(in_order: list[str], father_hint: str | None) -> NameForm | None:
    """The reading of canonical tokens in written order; None when there are none."""
    canonical = sorted(set(in_order))
    if not canonical:
        return None
    skeletons = tuple(sorted({skeleton(token) for token in canonical} - {""}))
    family = frozenset(token for token in canonical if looks_like_family_name(token))
    given = next((token for token in in_order if token not in family), None)
    return NameForm(
        frozenset(canonical), " ".join(canonical), skeletons, father_hint, given, family
    )


@lru_cache(maxsize=200_000)
def name_forms(variants: tuple[str, ...]) -> tuple[NameForm, ...]:
    """Every distinct reading of every variant of a name; () when there is no name."""
    if len(variants) == 1:
        return variant_forms(variants[0])
    forms: list[NameForm] = []
    for variant in variants:
        for form in variant_forms(variant):
            if form not in forms:
                forms.append(form)
    return tuple(forms)


@lru_cache(maxsize=500_000)
def variant_forms(variant: str) -> tuple[NameForm, ...]:
    """The readings of one spelling, each transliterated once however many records share
    it."""
    latins, nasab = _latin_readings(variant, as_name=True)
    # In Latin letters, the spelling as written comes first, with its readings as a
    # transcription of Arabic (`_transcription_readings`), then its readings in other
    # Russian standards; other scripts give one transliteration per standard of ICU's.
    own = len(latins)
    if variant.isascii() or _is_latin(variant):
        own = 1 + len(_transcription_readings(variant, latins[0] if latins else ""))
    readings = [forms_from_latin(latin, nasab=nasab) for latin in latins if latin]
    restandard = {form for found in readings[own:] for form in found} - {
        form for found in readings[:own] for form in found
    }
    # Each spelling's own reading first (blocking keys on a father's first reading), then
    # those of the full names a pet name stands for.
    ordered = [found[0] for found in readings if found]
    ordered += [form for found in readings for form in found[1:]]
    forms: list[NameForm] = []
    for form in ordered:
        if form not in forms:
            if forms and not form.tokens <= forms[0].tokens:
                extra, replaced = form.tokens - forms[0].tokens, forms[0].tokens - form.tokens
                form = replace(form, extra=extra, replaced=replaced, restandard=form in restandard)
            forms.append(form)
    return tuple(forms)


def _latin_readings(text: str, *, as_name: bool) -> tuple[list[str], bool]:
    """The Latin readings of one spelling, and whether it is in Arabic script. Plain
    ASCII needs no transliterator: it is lower-cased and split as `search_variants`
    would. A name (`as_name`) in Latin letters is also read as a Russian name written in
    another standard would be in ICAO's (`latin.russian_readings`: Orehov is Orekhov);
    a place is not (its words are compared by spelling, which such differences pass),
    and keeps Abu and Umm apart from the next word (أم قصر is Umm Qasr)."""
    if text.isascii() or _is_latin(text):
        # A Latin letter with no ASCII reading ("ª", an ordinal mark) reads as nothing.
        variants = [text] if text.isascii() else search_variants(with_digraphs(text))
        latin = _ascii_words(variants[0] if variants else "")
        if not as_name:
            return [latin], False
        return [latin, *_transcription_readings(text, latin), *russian_readings(latin)], False
    prepared = _prepare_script(text, join_particles=as_name)
    if _is_arabic(prepared):
        return arabic_readings(prepared), True
    latins = search_variants(prepared)
    if as_name and latins and _mostly_latin(text):
        # A Latin spelling with a stray Cyrillic letter ("Pёtr Axremkis", as some
        # transliterators leave ё) is still a Latin spelling in some standard.
        return [latins[0], *russian_readings(latins[0])], False
    return latins, False


@lru_cache(maxsize=1 << 16)
def _transcription_readings(text: str, latin: str) -> tuple[str, ...]:
    """Further readings of a Latin spelling `text` (first read `latin`) with the marks
    of a transcription of Arabic: long vowels with a circumflex, Turkish letters."""
    found: list[str] = []
    if text.isascii():
        return ()
    for reading in (*_long_vowels_plain(text, latin), *_turkish(text, latin)):
        if reading not in found:
            found.append(reading)
    return tuple(found)


# French orientalist transcription marks Arabic long vowels with a circumflex (Abû Bakr,
# Mahmûd, Sa'îd, Hâmid), where ISO 9 writes я, ю as â, û (Belâev, Ûrij) and the first
# reading has them so (abiu): such a name is also read with its plain vowels, unless a
# word of it looks Russian (a family name's ending, a patronymic), as `PERSIAN_V`.
LONG_VOWEL_MARKS = str.maketrans("âîûÂÎÛ", "aiuAIU")


def _long_vowels_plain(text: str, latin: str) -> list[str]:
    plain_text = text.translate(LONG_VOWEL_MARKS)
    if plain_text == text or any(map(_russian_word, latin.split())):
        return []
    variants = search_variants(with_digraphs(plain_text))
    plain = _ascii_words(variants[0] if variants else "")
    return [plain] if plain and plain != latin else []


# Turkish spelling writes ج as c (Hacı, Necip, Recep: حاجي, نجيب, رجب), چ as ç, و as v
# before a consonant too (Şevket, Tevfik: شوكت, توفيق) and a final د after i or u as t
# (Reşit, Hamit, Sait, Mesut: رشيد, حامد, سعيد, مسعود; a final t after a or e is as often
# ت: Şevket, Rifat); a name with a letter only Turkish has (ı, ş, ğ, ç) is also read so.
# Not every c: Isaac, Houcine and Africanus write k and s with it.
TURKISH_LETTERS = re.compile("[ıİşŞğĞçÇ]")
TURKISH_SPELLINGS = (
    (re.compile("c(?!h)", re.IGNORECASE), "j"),
    (re.compile("ç", re.IGNORECASE), "ch"),
    (re.compile("v", re.IGNORECASE), "w"),
    (re.compile(r"(?<=[iıuü])t\b", re.IGNORECASE), "d"),
)


def _turkish(text: str, latin: str) -> list[str]:
    if not TURKISH_LETTERS.search(text):
        return []
    for pattern, letters in TURKISH_SPELLINGS:
        text = pattern.sub(letters, text)
    variants = search_variants(with_digraphs(text))
    reading = _ascii_words(variants[0] if variants else "")
    return [reading] if reading and reading != latin else []


def _mostly_latin(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    return sum(char.isascii() for char in letters) * 2 > len(letters)


def _is_latin(text: str) -> bool:
    try:
        return detect_script(text) == "Latn"
    except MixedScriptError:
        return False


def _ascii_words(text: str) -> str:
    """Lower-case words of ASCII text, anything but letters and digits a break."""
    return " ".join(ASCII_BREAKS.sub(" ", text.lower().translate(APOSTROPHES)).split())


@lru_cache(maxsize=200_000)
def place_forms(place: str) -> tuple[NameForm, ...]:
    """The readings of a place: its words in Latin letters, without the name structure
    (particles, patronymics, family endings) that `name_forms` reads, which an address
    of a dozen words would only pay for. Skeletons are of the words that are not numbers."""
    latins, _ = _latin_readings(place, as_name=False)
    forms: list[NameForm] = []
    for latin in latins:
        words = frozenset(latin.split())
        if not words:
            continue
        skeletons = {skeleton(word) for word in words if not word.isdigit()} - {""}
        form = NameForm(words, " ".join(sorted(words)), tuple(sorted(skeletons)))
        if form not in forms:
            forms.append(form)
    return tuple(forms)


def _is_arabic(text: str) -> bool:
    try:
        return detect_script(text) == "Arab"
    except MixedScriptError:
        return False


def all_skeletons(forms: Iterable[NameForm]) -> set[str]:
    """Every token skeleton of a name, for blocking."""
    return {key for form in forms for key in form.skeletons}
