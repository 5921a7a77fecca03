"""What an export holds: the fields, filters and preset a person chose, checked against
their role. Both the request (services) and the writing (running) check it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from homeward.cases.forms import checked_filters
from homeward.cases.services import CaseError
from homeward.exports.columns import COLUMNS, PRESETS, Column, columns_for, label_of
from homeward.exports.models import Export, ExportKind
from homeward.protection.sensitivity import Restricted


class ExportRefused(CaseError):
    pass


@dataclass(frozen=True)
class ExportChoice:
    """What to export beyond the kind and format: the case list's filters (as its query
    string gives them), the fields (headers; none: every field the user may have) or a
    preset of fields, and whether sensitive fields are asked for."""

    filters: Mapping[str, str] = field(default_factory=dict)
    columns: Sequence[str] = ()
    preset: str = ""
    include_sensitive: bool = False


def audited_choice(export: Export) -> list[str]:
    """The audit entry names the fields, the filters set and the preset (names only: a
    filter's value may be a child's name, and the export row keeps it, encrypted)."""
    names = [*export.columns, *(f"filter.{name}" for name in export.chosen_filters)]
    return names + ([f"preset.{export.preset}"] if export.preset else [])


def checked_choice_filters(
    kind: str, given: Mapping[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    if not given:
        return {}, {}
    if kind == ExportKind.REQUESTS:
        raise ExportRefused(
            _("The case list's filters select children's cases and their relatives, "
              "not tracing requests."), field="kind",
        )  # fmt: skip
    try:
        return checked_filters(given)
    except CaseError as error:
        raise ExportRefused(error.message, field=error.field) from None


def chosen_columns(user: Any, kind: str, choice: ExportChoice) -> list[Column]:
    """The columns asked for, in the table's order, each checked against the user's role;
    every column the user may have (as before fields could be chosen) when none is."""
    headers = list(choice.columns)
    if choice.preset:
        presets = PRESETS[kind]
        if choice.preset not in presets:
            raise ExportRefused(_("Unknown preset %(name)r.") % {"name": choice.preset}, "preset")
        headers = headers or list(presets[choice.preset].headers)
    if not headers:
        return columns_for(user, kind, choice.include_sensitive)
    known = {c.header: c for c in COLUMNS[kind]}
    unknown = [h for h in headers if h not in known]
    if unknown:
        raise ExportRefused(
            _("No such field: %(names)s.") % {"names": ", ".join(unknown)}, field="columns"
        )
    for header in headers:
        _check_column(user, known[header], choice.include_sensitive)
    return [c for c in COLUMNS[kind] if c.header in set(headers)]


def _check_column(user: Any, column: Column, include_sensitive: bool) -> None:
    if column.allowed(user, include_sensitive):
        return
    if isinstance(column.classification, Restricted):
        message = _("%(field)s is restricted: your role may not read it.")
    else:
        message = _("%(field)s is a sensitive field: tick “Include sensitive fields” to export it.")
    raise ExportRefused(message % {"field": label_of(column.header)}, field="columns")
