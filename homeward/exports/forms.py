from __future__ import annotations

from django import forms

from homeward.exports.models import ExportFormat, ExportKind


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label="Records", choices=ExportKind.choices)
    format = forms.ChoiceField(label="Format", choices=ExportFormat.choices)
    include_sensitive = forms.BooleanField(
        label="Include sensitive fields (places, contacts, facilities, stories)",
        required=False,
        help_text="Never for a partner's extract. Restricted fields (a parent's conviction) "
        "are included only for the roles that may read them.",
    )
