"""Each field comparison and its levels."""

from __future__ import annotations

import pytest
from rapidfuzz.distance import JaroWinkler

from homeward.lib.ages import parse_birth
from homeward.matching.compare import (
    FIELD_LEVELS,
    JARO_WINKLER_THRESHOLD,
    _related,
    compare_ages,
    compare_names,
    compare_places,
    compare_records,
    compare_sex,
    level_meaning,
    name_skeletons,
    prepare,
    skeletons_cover,
    with_typos_marked,
)
from homeward.matching.names import (
    family_stem,
    name_forms,
    place_forms,
    skeleton,
    skeletons_a_typo_apart,
    skeletons_agree,
)
from homeward.matching.records import PersonRecord


def span(text: str) -> tuple[int, int] | None:
    birth = parse_birth(text)
    return (birth.earliest.toordinal(), birth.latest.toordinal()) if birth.is_known else None


def level(left: str, right: str) -> str:
    return compare_names(name_forms((left,)), name_forms((right,)))


def test_names_reach_each_level() -> None:
    assert level("Магомед Алиев", "Magomed Aliyev") == "exact"
    assert level("Rasul Kurbanov", "Rasul Kurbanof") == "similar spelling"
    assert level("Rasul Magomed Kurbanov", "Rasul Kurbanov") == "same tokens"
    assert level("Akhmed Saidov", "أحمد سعيدوف") == "phonetic agree"
    assert level("Akhmed Saidov", "Bilal Saidov") == "family name only"
    assert level("Akhmed Saidov", "Bilal Kurbanov") == "disagree"


def test_one_word_agreeing_is_a_level_of_its_own() -> None:
    # No ending says which word is the family name, so "family name only" cannot apply.
    assert level("Liam Doody", "Seth Doody") == "one word agrees"
    assert level("Amina Doody", "Amina Smith") == "one word agrees"
    assert level("Liam Doody", "Seth Smith") == "disagree"


def test_one_word_needs_two_consonants_or_a_close_spelling() -> None:
    # Ali and Leo share one consonant (l), A and E none: nothing agrees.
    assert level("Ali Karimov", "Leo Smith") == "disagree"
    assert level("A Smith", "E Jones") == "disagree"
    assert level("Ali Karimov", "Ali Smith") == "one word agrees"  # spelled alike


def test_each_word_of_the_shorter_name_has_its_own_close_skeleton() -> None:
    # abc is close to both words of the other name, abd only to abx: pairing abc with
    # abx first would leave abd with nothing.
    assert skeletons_cover(("abc", "abd"), ("abx", "xbc"))
    assert not skeletons_cover(("abc", "abd"), ("abx", "xbc"), strict=True)
    assert not skeletons_cover(("abc", "abd"), ("abx", "qrs"))  # two words never lean on one
    assert skeletons_cover(("sb", "sb"), ("sb", "sb", "mr"), strict=True)
    assert not skeletons_cover(("sb", "sb"), ("mr", "sb"))


def test_skeletons_a_letter_apart_are_only_phonetically_close() -> None:
    assert level("Зарема Алиева", "مريم علييفا") == "phonetic close"  # srm, mrm
    assert level("Маромед Алиев", "محمد علييف") == "phonetic close"  # a typo: mrmd, mhmd
    assert level("Зарема Алиева", "زاريما علييفا") == "phonetic agree"


def test_two_days_a_digit_apart_are_a_typo_apart() -> None:
    assert compare_ages(span("1985-04-12"), span("1985-04-21")) == "date a typo apart"
    assert compare_ages(span("1985-04-12"), span("1995-04-12")) == "date a typo apart"
    assert compare_ages(span("1985-04-12"), span("1985-06-30")) == "within 1 year"
    assert compare_ages(span("1985-04-12"), span("1985")) == "same year"


def test_sex_agrees_disagrees_or_is_missing() -> None:
    assert compare_sex("f", "f") == "agree"
    assert compare_sex("f", "m") == "disagree"
    assert compare_sex(None, "m") == "missing"


def test_ages_compare_by_the_gap_between_ranges() -> None:
    # Aged 5 to 7 on 2019-03-01: born between March 2011 and March 2014, most likely in the
    # year around September 2012.
    assert compare_ages(span("2012-05-03"), span("~6±1@2019-03-01")) == "middles agree"
    assert compare_ages(span("2013-12-01"), span("~6±1@2019-03-01")) == "ranges overlap"
    assert compare_ages(span("2011-04-01"), span("~6±1@2019-03-01")) == "ranges overlap"
    assert compare_ages(span("~6±1@2019-03-01"), span("~6±1@2019-06-01")) == "middles agree"
    assert compare_ages(span("~6±1@2019-03-01"), span("~7±1@2019-06-01")) == "ranges overlap"
    assert compare_ages(span("2012-05-03"), span("2012-05-03")) == "same date"
    assert compare_ages(span("2012-05-03"), span("2012-05")) == "same year"
    assert compare_ages(span("2012-05-03"), span("~6@2019-03-01")) == "same year"
    assert compare_ages(span("2012"), span("~6±1@2019-03-01")) == "middles agree"
    assert compare_ages(span("2012"), span("2013-06")) == "within 1 year"
    assert compare_ages(span("2012-01-01"), span("2014-06-01")) == "within 3 years"
    assert compare_ages(span("2008"), span("2014")) == "disagree"
    assert compare_ages(span(""), span("2014")) == "missing"


def place(left: str, right: str) -> str:
    return compare_places(place_forms(left), place_forms(right))


def test_places_compare_across_scripts() -> None:
    assert place("Махачкала", "Makhachkala") == "exact"
    # Places are not read in every Russian standard as names are (an address of ten
    # words would be read six ways): ISO 9's h for х is a close spelling.
    assert place("Makhachkala", "Mahachkala") == "similar"
    assert place("Makhachkala", "Makhachkla") == "similar"
    assert place("Derbent", "Grozny") == "disagree"
    assert compare_places((), place_forms("Grozny")) == "missing"


def test_arabic_particles_in_a_place_stay_words_of_their_own() -> None:
    # A name joins Umm to the next word (Umm Kulthum is one given name); a place does not.
    assert place("أم قصر", "Umm Qasr") == "similar"
    assert place("أبو غريب", "Abu Ghraib") == "similar"
    assert place("البصرة", "Basra") == "similar"  # the article goes, as in a name


def test_places_with_most_words_in_common() -> None:
    # A field left out of one address: every word of the shorter is in the longer.
    assert place("12 Bean Crescent Narellan 3074", "12 bean crescent barwon narellan 3074") == (
        "similar"
    )
    # Another postcode, and a state left out: four of the five words agree.
    assert place("54 Bastow Circuit Cowra 4129", "54 bastow circuit cowra 2680 qld") == (
        "most words agree"
    )
    # The street name alone is not most of an address.
    assert place("54 Bastow Circuit Cowra 4129", "7 bastow street perth 6000") == "disagree"
    # One word against one: it agrees or it does not.
    assert place("Derbent", "Derbent Dagestan") == "similar"


def test_place_readings_are_words_not_names() -> None:
    (form,) = place_forms("Ул. Ленина, 5, Махачкала")[:1]
    assert {"5", "makhachkala"} <= form.tokens
    assert place_forms("") == ()


def test_a_patronymic_stands_in_for_a_missing_father() -> None:
    left = prepare(PersonRecord("1", names=("Амина Магомедовна Алиева",)))
    right = prepare(PersonRecord("2", names=("Amina Alieva",), father=("محمد",)))
    names, _, _, _, father, _ = compare_records(left, right)
    assert (names, father) == ("exact", "phonetic agree")


def test_a_record_compares_field_by_field() -> None:
    birth = parse_birth("2012-05-03")
    left = PersonRecord("1", ("Amina",), "f", birth, ("Patimat",), (), "Derbent")
    right = PersonRecord("2", ("أمينة",), "f", parse_birth("~6±1@2019-03-01"), ("Fatima",))
    assert compare_records(prepare(left), prepare(right)) == (
        "phonetic agree", "agree", "middles agree", "exact", "missing", "missing",
    )  # fmt: skip


@pytest.mark.parametrize(
    "left, right",
    [
        ("Магомед Алиев", "Халид Алиев"),
        ("Magomed Aliev", "Khalid Aliev"),
        ("Саида Гаджиева", "Хава Гаджиева"),
        ("Saida Gadzhieva", "Khava Gadzhieva"),
        # In Arabic order the middle word is the father's: Khalid son of Magomed Aliev.
        ("Магомед Алиев", "خالد محمد علييف"),
        ("Саида Гаджиева", "حواء سعيد حاجييفا"),
    ],
)
def test_brothers_and_sisters_agree_on_the_family_name_only(left: str, right: str) -> None:
    assert level(left, right) == "family name only"


@pytest.mark.parametrize(
    "left, right",
    [
        ("Амина Исаева", "Amina Isaeva"),
        ("Амина Исаева", "أمينة عيسى"),
        ("Amina Isaeva", "أمينة عيسى"),
        ("Магомед", "Muhammad"),
        ("Магомед", "محمد"),
        ("Muhammad", "محمد"),
        ("Исаева Амина", "Amina Isaeva"),
        ("Алиева Амина", "أمينة محمد علييفا"),
        ("Amina Alieva", "Amina Aliev"),
    ],
)
def test_one_name_across_scripts_order_and_feminine_ending_still_agrees(
    left: str, right: str
) -> None:
    assert level(left, right) in {"exact", "similar spelling", "same tokens", "phonetic agree"}


def test_a_family_name_only_is_no_place() -> None:
    assert compare_places(name_forms(("Aliev",)), name_forms(("Kurbanov",))) == "disagree"


def test_every_level_of_every_field_is_said_in_words() -> None:
    for field, levels in FIELD_LEVELS.items():
        for each in levels:
            assert level_meaning(field, each), (field, each)
    assert level_meaning("age", "middles agree").startswith("an estimated age")
    assert level_meaning("place", "exact") == "the same place"
    assert level_meaning("names", "no such level") == level_meaning("shoe size", "exact") == ""


def test_a_word_no_registry_name_has_is_read_as_a_typo() -> None:
    registry = [
        prepare(PersonRecord("c1", ("موسى عمروف",))),  # Musa Umarov, in Arabic script
        prepare(PersonRecord("c2", ("Umar Umarov",))),
        prepare(PersonRecord("c3", ("Ali Umarov",))),
    ]
    known = name_skeletons(registry)
    typed = prepare(PersonRecord("r1", ("Муaа Умаров",)))  # Musa, one letter mistyped
    (marked,) = with_typos_marked([typed], known)
    assert [form.typo for form in marked.names] == ["m"] * len(marked.names)
    assert marked.codes[0] != typed.codes[0] and marked.codes[1:] == typed.codes[1:]
    # Unmarked, "m" is too short to be a letter from Musa's "ms": the family name only.
    assert compare_records(typed, registry[0])[0] == "family name only"
    # Marked, it may be: a typo, or another name, as a letter apart always is.
    assert compare_records(marked, registry[0])[0] == "phonetic close"
    assert compare_records(marked, registry[1])[0] == "phonetic close"  # Umar: "mr"
    assert compare_records(marked, registry[2])[0] == "family name only"  # Ali: "l", too short


def test_names_the_registry_has_are_never_read_as_typos() -> None:
    registry = [prepare(PersonRecord(f"c{k}", (name,))) for k, name in
                enumerate(["Musa Umarov", "Umar Kurbanov"])]  # fmt: skip
    known = name_skeletons(registry)
    cousin = prepare(PersonRecord("r1", ("Umar Umarov",)))  # both words known: no typo
    stranger = prepare(PersonRecord("r2", ("Lev Tolstoy",)))  # no word known: a new name
    one_word = prepare(PersonRecord("r3", ("Muaa",)))  # nothing else to be sure of
    assert with_typos_marked([cousin, stranger, one_word], known) == [cousin, stranger, one_word]
    assert compare_records(cousin, registry[0])[0] == "family name only"


def test_a_typo_may_be_a_letter_apart_however_short() -> None:
    assert skeletons_a_typo_apart("m", "ms", "m")
    assert not skeletons_a_typo_apart("m", "ms", None)  # not known to be a typo
    assert not skeletons_a_typo_apart("m", "l", "m")  # the other needs two consonants
    assert not skeletons_a_typo_apart("mr", "ms", "xy")  # the typo is another word
    assert skeletons_a_typo_apart("mrb", "mrd", None)  # long enough to agree anyway


def test_words_relate_as_their_skeletons_and_stems_read_them_one_by_one() -> None:
    # `_related` reads each word's skeletons once (`_skeletons_with_stem`): the same
    # answer as cutting the family stem for every pair of words.
    words = ["isaev", "isa", "isaeva", "musa", "musaev", "umarov", "umar", "omar",
             "magomed", "muhammad", "lyyf", "لطيف", "aliev", "ali", "hasan", "husain",
             "abdulla", "abdallah", "zoueva", "zueva", "kadhim", "kazim", "a", "ee"]  # fmt: skip

    def one_by_one(left: str, right: str) -> bool:
        stems = ({left, family_stem(left)}, {right, family_stem(right)})
        return JaroWinkler.similarity(left, right) >= JARO_WINKLER_THRESHOLD or any(
            skeletons_agree(skeleton(a), skeleton(b)) for a in stems[0] for b in stems[1]
        )

    for left in words:
        for right in words:
            assert _related(left, right) == one_by_one(left, right), (left, right)
    assert _related("isaev", "isa") and not _related("umarov", "hasan")
