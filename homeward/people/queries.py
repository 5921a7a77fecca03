"""Finding people by name, in any script."""

from __future__ import annotations

from django.db.models import Q

from homeward.lib.scripts import search_variants


def spelled_like(text: str) -> Q:
    """A PersonName filter: the name as written, or any of its Latin transliterations, so
    "Amina" finds "Амина". `text` should already have its white space folded."""
    spelled = Q(full_name__icontains=text)
    for variant in search_variants(text):
        spelled |= Q(search_key__contains=variant)
    return spelled


def folded(text: str) -> str:
    return " ".join(text.split())
