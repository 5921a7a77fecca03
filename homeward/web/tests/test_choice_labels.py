"""A field's choice label comes from a table made once per field and language (issue 21:
Django rebuilt it at every `get_FOO_display`, translating every choice, a fifth of the case
list's CPU). The labels must be Django's own, in every language."""

from __future__ import annotations

from functools import partialmethod
from typing import Any

import pytest
from django.apps import apps
from django.db.models import Field, Model
from django.utils.translation import override

from homeward.cases.models import ChildCase as Case
from homeward.cases.status import CaseStatus
from homeward.web import choice_labels

LANGUAGES = ["en", "ru", "ar"]


def _fields_with_choices() -> list[tuple[type[Model], Field[Any, Any]]]:
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.local_fields
        if field.choices
    ]


def test_every_fields_label_is_djangos_in_every_language() -> None:
    compared = 0
    for model, field in _fields_with_choices():
        name = field.name
        values = [stored for stored, _label in field.flatchoices] + ["no-such-value", None]
        for language in LANGUAGES:
            with override(language):
                for value in values:
                    instance = model(**{field.attname: value})
                    ours = getattr(instance, f"get_{name}_display")()
                    assert ours == choice_labels._django_display(instance, field), (name, value)
                    assert type(ours) is type(choice_labels._django_display(instance, field))
                    compared += 1
    assert compared > 300


def test_every_models_labels_are_read_from_the_table() -> None:
    for model, field in _fields_with_choices():
        made = model.__dict__.get(f"get_{field.name}_display")
        if isinstance(made, partialmethod):
            assert made.func is choice_labels.display, (model, field.name)


def test_the_label_follows_the_language_asked() -> None:
    case = Case(status=CaseStatus.VERIFIED)
    with override("en"):
        english = case.get_status_display()
    with override("ru"):
        russian = case.get_status_display()
    assert english == str(CaseStatus.VERIFIED.label) != russian
    with override("en"):
        assert case.get_status_display() == english


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_label_is_translated_once_per_language(language: str) -> None:
    case = Case(status=CaseStatus.VERIFIED)
    with override(language):
        case.get_status_display()
        table = choice_labels._labels[(Case._meta.get_field("status"), language)]
        assert all(type(label) is str for label in table.values())
