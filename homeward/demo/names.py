"""Invented names for the demo: common given names and family names of the North Caucasus,
in Latin, Cyrillic and Arabic script, combined at random so that no real person is described.

Each tuple is (Latin, Cyrillic, Arabic). The Arabic forms are how a host authority's clerk
might write the name; several family names collide in Arabic script, as they do in real
registers.
"""

from __future__ import annotations

import random

GIRLS = [
    ("Amina", "Амина", "أمينة"),
    ("Khadizhat", "Хадижат", "خديجة"),
    ("Fatima", "Фатима", "فاطمة"),
    ("Patimat", "Патимат", "فاطمة"),
    ("Aisha", "Айша", "عائشة"),
    ("Maryam", "Марьям", "مريم"),
    ("Zaynab", "Зайнаб", "زينب"),
    ("Asiyat", "Асият", "آسية"),
    ("Madina", "Мадина", "مدينة"),
    ("Safiya", "Сафия", "صفية"),
    ("Khava", "Хава", "حواء"),
    ("Zarema", "Зарема", "زاريما"),
    ("Salima", "Салима", "سليمة"),
    ("Rabiyat", "Рабият", "رابعة"),
    ("Saida", "Саида", "سعيدة"),
    ("Ummukusum", "Уммукусум", "أم كلثوم"),
]

BOYS = [
    ("Magomed", "Магомед", "محمد"),
    ("Muhammad", "Мухаммад", "محمد"),
    ("Ali", "Али", "علي"),
    ("Umar", "Умар", "عمر"),
    ("Abdulla", "Абдулла", "عبد الله"),
    ("Ibragim", "Ибрагим", "إبراهيم"),
    ("Yusup", "Юсуп", "يوسف"),
    ("Khamza", "Хамза", "حمزة"),
    ("Ismail", "Исмаил", "إسماعيل"),
    ("Said", "Саид", "سعيد"),
    ("Khalid", "Халид", "خالد"),
    ("Akhmed", "Ахмед", "أحمد"),
    ("Rasul", "Расул", "رسول"),
    ("Adam", "Адам", "آدم"),
    ("Musa", "Муса", "موسى"),
    ("Bilal", "Билал", "بلال"),
]

FAMILY_NAMES = [
    ("Magomedov", "Магомедов", "ماغوميدوف"),
    ("Aliev", "Алиев", "علييف"),
    ("Gadzhiev", "Гаджиев", "حاجييف"),
    ("Omarov", "Омаров", "عمروف"),
    ("Umarov", "Умаров", "عمروف"),
    ("Abdulaev", "Абдулаев", "عبداللاييف"),
    ("Ibragimov", "Ибрагимов", "إبراهيموف"),
    ("Ismailov", "Исмаилов", "إسماعيلوف"),
    ("Rasulov", "Расулов", "رسولوف"),
    ("Kurbanov", "Курбанов", "قربانوف"),
    ("Gasanov", "Гасанов", "حسانوف"),
    ("Khasanov", "Хасанов", "حسانوف"),
    ("Akhmedov", "Ахмедов", "أحمدوف"),
    ("Yusupov", "Юсупов", "يوسوبوف"),
    ("Dadaev", "Дадаев", "داداييف"),
    ("Saidov", "Саидов", "سعيدوف"),
    ("Musaev", "Мусаев", "موساييف"),
    ("Batalov", "Баталов", "باتالوف"),
    ("Kadiev", "Кадиев", "قادييف"),
    ("Mutaliev", "Муталиев", "مطالييف"),
]

# The feminine of a Russian family name adds -a; in Arabic script, a final alef.
FEMININE_ENDING = ("a", "а", "ا")


def family_name(name: tuple[str, str, str], sex: str) -> tuple[str, str, str]:
    if sex != "f":
        return name
    return (name[0] + "a", name[1] + "а", name[2] + "ا")


# Spellings a consular officer or NGO worker writing by ear might produce.
LATIN_VARIATIONS = [
    ("kh", "h"),
    ("Kh", "H"),
    ("dzh", "j"),
    ("zh", "j"),
    ("yu", "iu"),
    ("ya", "ia"),
    ("ov", "ow"),
    ("ev", "iev"),
    ("Yu", "Iu"),
    ("Magomed", "Mohammed"),
    ("Muhammad", "Mohamad"),
    ("Ibragim", "Ibrahim"),
    ("Yusup", "Yusuf"),
    ("Gasan", "Hasan"),
    ("Umar", "Omar"),
]


def misspell(latin: str, rng: random.Random) -> str:
    """Another Latin spelling of the same name, as field data really has them."""
    applicable = [(a, b) for a, b in LATIN_VARIATIONS if a in latin]
    if applicable:
        a, b = rng.choice(applicable)
        return latin.replace(a, b, 1)
    # No known variation: double one consonant, a common typo.
    consonants = [i for i, ch in enumerate(latin) if ch.lower() in "lmnrst" and i > 0]
    if not consonants:
        return latin + "h"
    i = rng.choice(consonants)
    return latin[: i + 1] + latin[i] + latin[i + 1 :]
