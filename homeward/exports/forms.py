from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from homeward.exports.columns import PRESETS, label_of, readable_columns
from homeward.exports.models import ExportFormat, ExportKind
from homeward.protection.sensitivity import SENSITIVE


class ExportForm(forms.Form):
    """Which records (the kind; the case list's filters come in their own form), which
    fields of them (those the user's role may read, a preset's or picked), and the format."""

    kind = forms.ChoiceField(
        label=gettext_lazy("Records"), choices=ExportKind.choices, widget=forms.HiddenInput
    )
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=ExportFormat.choices)
    preset = forms.ChoiceField(required=False, widget=forms.HiddenInput)
    columns = forms.MultipleChoiceField(
        label=gettext_lazy("Fields"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked: every field your role may have."),
    )
    include_sensitive = forms.BooleanField(
        label=gettext_lazy("Include sensitive fields (places, contacts, facilities, stories)"),
        required=False,
        help_text=gettext_lazy(
            "Never for a partner's extract. Restricted fields (a parent's conviction) "
            "are included only for the roles that may read them."
        ),
    )

    def __init__(self, *args: Any, user: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        preset = self.fields["preset"]
        columns = self.fields["columns"]
        assert isinstance(preset, forms.ChoiceField) and isinstance(columns, forms.ChoiceField)
        preset.choices = [("", ""), *((name, p.label) for name, p in PRESETS[kind].items())]
        columns.choices = [
            (c.header, _field_label(c.header, c.classification == SENSITIVE))
            for c in readable_columns(user, kind)
        ]


def _field_label(header: str, sensitive: bool) -> str:
    label = str(label_of(header))
    return _("%(field)s (sensitive)") % {"field": label} if sensitive else label
