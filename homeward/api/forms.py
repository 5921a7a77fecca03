"""The administrator's form for a new API key; the rules are api.keys'."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Agency, Role, Scope
from homeward.api.keys import KEY_ROLES


class NewKeyForm(forms.Form):
    name = forms.CharField(label=_("What the key is for"), max_length=100)
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    role = forms.ChoiceField(
        label=_("Role"), choices=[(r.value, r.label) for r in Role if r in KEY_ROLES]
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=Scope.choices, initial=Scope.AGENCY)
    expires_on = forms.DateField(
        label=_("Expires on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    rate_per_minute = forms.IntegerField(
        label=_("Requests per minute"),
        required=False,
        min_value=1,
        max_value=100_000,
        help_text=_("Empty: the default for every key."),
    )

    def __init__(self, *args: object, agencies: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["expires_on"].initial = timezone.localdate() + timedelta(days=90)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=500, required=False)
