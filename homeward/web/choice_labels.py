"""A field's choice label (`get_FOO_display`) read from a table made once per field and
language, rather than from one Django rebuilds at every call.

Django's `Model._get_FIELD_display` makes `dict(make_hashable(field.flatchoices))` each
time it is asked, and hashing a lazy label translates it: a case status with its 12
choices is 12 `gettext` calls for one label. The case list asks two labels a row (1,000
translations a page, about a fifth of its CPU under the profiler), the dashboard's
alerts one a row. `install` (from `WebConfig.ready`) makes every model's
`get_FOO_display` answer through `display`; `web/tests/test_choice_labels.py` checks that
the two answer alike.
"""

from __future__ import annotations

from functools import partialmethod
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models.fields import Field
from django.utils.choices import CallableChoiceIterator
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

# (field, language) -> {stored value: its label, translated}. A field's fixed choices and
# the translation catalogues do not change while the process runs.
_labels: dict[tuple[Field[Any, Any], str | None], dict[Any, Any]] = {}


def display(instance: models.Model, field: Field[Any, Any]) -> Any:
    """What Django's `_get_FIELD_display` answers: the label of the instance's value in
    the active language, or the value itself when it is not one of the choices."""
    value = getattr(instance, field.attname)
    if isinstance(field.choices, CallableChoiceIterator):  # may change: not kept
        return _django_display(instance, field)
    key = (field, get_language())
    labels = _labels.get(key)
    if labels is None:
        labels = {
            make_hashable(stored): force_str(label, strings_only=True)
            for stored, label in field.flatchoices  # the last one wins, as in Django's dict()
        }
        _labels[key] = labels
    return force_str(labels.get(make_hashable(value), value), strings_only=True)


_django_display = models.Model._get_FIELD_display  # type: ignore[attr-defined]


def install() -> None:
    """Every model's `get_FOO_display` that Django made answers through `display` (Django
    binds `_get_FIELD_display` as each class is made: replacing it on `Model` afterwards
    would change nothing). A model's own `get_FOO_display` is left alone."""
    for model in apps.get_models():
        for field in model._meta.local_fields:
            name = f"get_{field.name}_display"
            made = model.__dict__.get(name)
            if isinstance(made, partialmethod) and made.func is _django_display:
                setattr(model, name, partialmethod(display, field=field))
