"""People and their names: checked, and written with the search keys they are found by.
The case, tracing and import services all create and rename people through these."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.lib.ages import BirthDate, BirthDateError
from homeward.lib.scripts import (
    KNOWN_SCRIPTS,
    MixedScriptError,
    UnreadableNameError,
    check_letters,
    clean_name,
    detect_script,
    join_keys,
    mixed_script_message,
    script_label,
    search_variants,
)
from homeward.people.models import NameSource, Person, PersonName, birth_columns
from homeward.people.name_keys import index_names
from homeward.refusals import CaseError


@dataclass(frozen=True)
class NameInput:
    full_name: str
    source: str
    script: str = ""  # detected from the letters when empty
    is_preferred: bool = False


# --- checks -----------------------------------------------------------------------------


def check_names(names: Sequence[NameInput], *, required: bool = True) -> list[NameInput]:
    """Clean name variants: each with a known source and the script its letters are in,
    exactly one preferred (the first, if none was marked)."""
    cleaned: list[NameInput] = []
    for name in names:
        try:
            text = clean_name(name.full_name)
        except UnreadableNameError as error:
            raise CaseError(str(error), field="names") from None
        if not text:
            continue
        cleaned.append(_check_one_name(name, text))
    if required and not cleaned:
        raise CaseError(_("Enter at least one name."), field="names")
    preferred = [n for n in cleaned if n.is_preferred]
    if len(preferred) > 1:
        raise CaseError(_("Mark only one name as the preferred form."), field="names")
    if cleaned and not preferred:
        first = cleaned[0]
        cleaned[0] = NameInput(first.full_name, first.source, first.script, True)
    spellings = [(n.full_name, n.source) for n in cleaned]
    if len(set(spellings)) != len(spellings):
        raise CaseError(_("The same spelling is entered twice for one source."), field="names")
    return cleaned


# A set, once: checking a name is on the path of every imported row.
NAME_SOURCES = frozenset(NameSource.values)


def _check_one_name(name: NameInput, text: str) -> NameInput:
    if name.source not in NAME_SOURCES:
        raise CaseError(
            _("Unknown name source %(source)r.") % {"source": name.source}, field="names"
        )
    try:
        check_letters(text)
    except UnreadableNameError as error:
        raise CaseError(str(error), field="names") from None
    try:
        detected = detect_script(text)
    except MixedScriptError as error:
        raise CaseError(mixed_script_message(text, error), field="names") from None
    if name.script and name.script != detected:
        declared = script_label(name.script)
        actual = script_label(detected) if detected in KNOWN_SCRIPTS else _("another script")
        raise CaseError(
            _("“%(text)s” is written in %(actual)s, not %(declared)s.")
            % {"text": text, "actual": actual, "declared": declared},
            field="names",
        )
    return NameInput(text, name.source, detected, name.is_preferred)


def check_birth(birth: BirthDate, today: date | None = None) -> None:
    try:
        birth.validate(today or timezone.localdate())
    except BirthDateError as error:
        raise CaseError(error.message, field=error.field) from None


# --- writing ----------------------------------------------------------------------------


def create_person(names: list[NameInput], sex: str, birth: BirthDate, nationality: str) -> Person:
    person = Person(**person_columns(sex, birth, nationality))
    person.save()
    write_names(person, names)
    return person


# The rows a person is written as, column -> value: what `create_person` and
# `write_names` save, and what an import inserts in bulk (`imports.committing`), so that
# both paths write the same row (`imports/tests/test_parity.py`).


def person_columns(sex: str, birth: BirthDate, nationality: str) -> dict[str, Any]:
    return {"sex": sex, "nationality": nationality, **birth_columns(birth)}


def name_columns(name: NameInput, variants: Sequence[str] | None = None) -> dict[str, Any]:
    """A checked spelling (`check_names`) with the search key `PersonName.save` derives;
    `variants` are its search variants when already worked out."""
    found = search_variants(name.full_name) if variants is None else variants
    return {
        "full_name": name.full_name, "script": name.script, "source": name.source,
        "is_preferred": name.is_preferred, "search_key": join_keys(found),
    }  # fmt: skip


def set_names(person: Person, names: list[NameInput]) -> None:
    """Make checked `names` (`check_names`) the person's full list of spellings."""
    person.names.all().delete()
    write_names(person, names)


def write_names(person: Person, names: list[NameInput]) -> None:
    PersonName.objects.bulk_create([_name_row(person, n) for n in names])
    index_names([person.pk])  # the search reads the names' keys, kept with them


def _name_row(person: Person, name: NameInput) -> PersonName:
    # bulk_create skips save(): the columns include what save() would derive.
    return PersonName(person=person, **name_columns(name))
