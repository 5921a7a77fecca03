from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from homeward.disclosure import DisclosureRules
from homeward.statistics.forms import StatsForm


class PrepareReleaseForm(StatsForm):
    """The statistics form, a title and the disclosure rules."""

    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    threshold = forms.IntegerField(
        label=gettext_lazy("Suppress cells below"),
        min_value=1,
        max_value=100,
        initial=5,
        help_text=gettext_lazy("Cells counting fewer children than this are suppressed (primary)."),
    )
    zeros_are_sensitive = forms.BooleanField(
        label=gettext_lazy("Suppress empty cells too"), required=False
    )
    rounding_base = forms.TypedChoiceField(
        label=gettext_lazy("Round shown figures"),
        choices=[
            ("", gettext_lazy("No rounding")),
            ("5", gettext_lazy("to a multiple of 5")),
            ("10", gettext_lazy("to a multiple of 10")),
        ],
        coerce=int,
        empty_value=None,
        required=False,
    )

    field_order = ["title"]

    def rules(self) -> DisclosureRules:
        d = self.cleaned_data
        return DisclosureRules(
            threshold=d["threshold"],
            zeros_are_sensitive=d["zeros_are_sensitive"],
            rounding_base=d["rounding_base"],
        )


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
