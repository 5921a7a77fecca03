from __future__ import annotations

from django import forms

from homeward.lib.agebands import REPORT_BANDS, AgeBandError, parse_bands
from homeward.lib.places import country_choices
from homeward.statistics.services import DIMENSIONS


class StatsForm(forms.Form):
    as_of = forms.DateField(
        label="As of", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    repatriated_on = forms.DateField(
        label="or repatriated on", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    host = forms.ChoiceField(
        label="In country", choices=[("", "Anywhere"), *country_choices()], required=False
    )
    by = forms.MultipleChoiceField(
        label="Group by",
        choices=[(d, d) for d in DIMENSIONS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    bands = forms.CharField(
        label="Age bands",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": REPORT_BANDS}),
    )

    def clean_bands(self) -> str:
        spec = self.cleaned_data.get("bands") or REPORT_BANDS
        try:
            parse_bands(spec)
        except AgeBandError as error:
            raise forms.ValidationError(str(error)) from None
        return spec

    def clean(self) -> dict[str, object] | None:
        data = super().clean() or {}
        if data.get("as_of") and data.get("repatriated_on"):
            self.add_error("repatriated_on", "Give an as-of date or a repatriation date, not both.")
        return data
