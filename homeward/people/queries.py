"""Finding people by name, in any script."""

from __future__ import annotations

from django.db.models import Q

from homeward.lib.scripts import search_variants
from homeward.matching.latin import russian_readings, with_digraphs


def spelled_like(text: str) -> Q:
    """A PersonName filter: the name as written, or any of its Latin transliterations, so
    "Amina" finds "Амина"; or, word by word in any order, a reading of it in any
    standard a Russian name is written in (the matching engine's `russian_readings`),
    so "Akhmedov Yusup" finds "Юсуп Ахмедов", "Magomed Dadajev" finds "Магомед Дадаев"
    and "Khadijat Saidova" finds "Хадижат Саидова", a middle name left out or not.
    `text` should already have its white space folded."""
    spelled = Q(full_name__icontains=text)
    for variant in search_variants(text):
        spelled |= Q(search_key__contains=variant)
    for reading in search_readings(text):
        words = Q()
        for word in reading.split():
            words &= Q(search_key__contains=word)
        spelled |= words
    return spelled


def search_readings(text: str) -> list[str]:
    """The Latin readings of a searched name: its transliterations and, for each, the
    readings of a Russian name written in another standard."""
    readings: list[str] = []
    for variant in search_variants(with_digraphs(text)):
        for reading in (variant, *russian_readings(variant)):
            if reading not in readings:
                readings.append(reading)
    return readings


def folded(text: str) -> str:
    return " ".join(text.split())
