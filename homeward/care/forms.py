from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from homeward.care.services import HandOverInput, VisitInput
from homeward.cases.models import ChildCase, FamilyMember
from homeward.web.widgets import DateInput

DATE = DateInput()


class HandOverForm(forms.Form):
    handed_over_on = forms.DateField(label=gettext_lazy("Handed over on"), widget=DATE)
    receiving_relative = forms.ModelChoiceField(
        label=gettext_lazy("Receiving relative"),
        queryset=FamilyMember.objects.none(),
        required=False,
        help_text=gettext_lazy("The relative who receives the child"),
    )
    institution = forms.CharField(
        label=gettext_lazy("Institution"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Or the state institution"),
    )
    region = forms.CharField(
        label=gettext_lazy("Region"), max_length=6, help_text=gettext_lazy("ISO 3166-2, e.g. RU-DA")
    )
    town = forms.CharField(label=gettext_lazy("Town"), max_length=100, required=False)

    def __init__(self, *args: Any, case: ChildCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["receiving_relative"]
        field.queryset = case.family.select_related("person")  # type: ignore[attr-defined]
        self.initial.setdefault("region", case.home_region)

    def clean_region(self) -> str:
        return str(self.cleaned_data["region"]).strip().upper()

    def as_input(self) -> HandOverInput:
        return HandOverInput(**self.cleaned_data)


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=gettext_lazy("Visited on"), widget=DATE)
    schooling = forms.CharField(
        label=gettext_lazy("Schooling"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    health = forms.CharField(
        label=gettext_lazy("Health"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    psychosocial_support = forms.CharField(
        label=gettext_lazy("Psychosocial support"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    concerns = forms.CharField(
        label=gettext_lazy("Concerns"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def as_input(self) -> VisitInput:
        return VisitInput(**self.cleaned_data)
