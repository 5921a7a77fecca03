"""Forms for the import pages: they only read input; imports.services holds the rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from homeward.imports.models import ImportKind, ImportSource
from homeward.imports.targets import targets_for
from homeward.people.models import NameSource


class UploadForm(forms.Form):
    source = forms.ModelChoiceField(
        label=gettext_lazy("Source"),
        queryset=ImportSource.objects.none(),
        required=False,
        empty_label=gettext_lazy("(a new source)"),
        help_text=gettext_lazy("Whose files these are: each source keeps its own column mapping."),
    )
    new_source = forms.CharField(
        label=gettext_lazy("New source's name"), max_length=100, required=False,
        help_text=gettext_lazy("For example “KoBoToolbox, Iraq field team”."),
    )  # fmt: skip
    kind = forms.ChoiceField(label=gettext_lazy("Records in the file"), choices=ImportKind.choices)
    file = forms.FileField(label=gettext_lazy("CSV or XLSX file"))

    def __init__(self, *args: Any, agency: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = ImportSource.objects.filter(agency=agency)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("source") and not (data.get("new_source") or "").strip():
            self.add_error("new_source", _("Choose a source or name a new one."))
        return data


def mapping_form(
    kind: str,
    headers: Sequence[str],
    mapping: Mapping[str, str],
    defaults: Mapping[str, str],
    name_source: str,
    data: Any = None,
) -> forms.Form:
    """One row per target field: the column that holds it, and a default."""
    columns = [("", "—"), *[(h, h) for h in headers if h]]
    fields: dict[str, forms.Field] = {
        "name_source": forms.ChoiceField(
            label=gettext_lazy("Who wrote the names"),
            choices=NameSource.choices,
            initial=name_source,
        )
    }
    for target in targets_for(kind):
        fields[f"column_{target.name}"] = forms.ChoiceField(
            label=target.shown + (" *" if target.required else ""), choices=columns,
            required=False, initial=mapping.get(target.name, ""),
        )  # fmt: skip
        fields[f"default_{target.name}"] = forms.CharField(
            label=_("Default for %(name)s") % {"name": target.name}, required=False, max_length=200,
            initial=defaults.get(target.name, ""),
        )  # fmt: skip
    form_class = type("MappingForm", (forms.Form,), fields)
    return form_class(data)


def mapping_from(form: forms.Form, kind: str) -> tuple[dict[str, str], dict[str, str]]:
    data = form.cleaned_data
    mapping = {t.name: data[f"column_{t.name}"] for t in targets_for(kind)}
    defaults = {t.name: data[f"default_{t.name}"].strip() for t in targets_for(kind)}
    return mapping, defaults
