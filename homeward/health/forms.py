from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from homeward.health.models import FindingCategory
from homeward.health.services import ExaminationInput
from homeward.web.widgets import DateInput


class ExaminationForm(forms.Form):
    hospital = forms.CharField(label=gettext_lazy("Hospital"), max_length=200)
    examined_on = forms.DateField(label=gettext_lazy("Examined on"), widget=DateInput())
    follow_up_needed = forms.BooleanField(label=gettext_lazy("Follow up needed"), required=False)
    follow_up = forms.CharField(
        label=gettext_lazy("Follow up"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for category in FindingCategory:
            self.fields[f"finding_{category.value}"] = forms.CharField(
                label=category.label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def as_input(self) -> ExaminationInput:
        d = self.cleaned_data
        return ExaminationInput(
            hospital=d["hospital"],
            examined_on=d["examined_on"],
            findings={c.value: d[f"finding_{c.value}"] for c in FindingCategory},
            follow_up_needed=d["follow_up_needed"],
            follow_up=d["follow_up"],
        )
