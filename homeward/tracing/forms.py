from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from homeward.cases.forms import SEARCH_MAX_LENGTH
from homeward.lib.ages import BirthDateError, read_birth
from homeward.people.models import NameSource, Sex
from homeward.people.services import NameInput
from homeward.tracing.models import RequestStatus, SoughtKind
from homeward.tracing.services import SoughtInput
from homeward.web.widgets import DateInput

LINES = forms.Textarea(attrs={"rows": 2})


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class RequestForm(forms.Form):
    enquirer_names = forms.CharField(
        label=gettext_lazy("Enquirer's name"),
        widget=LINES,
        help_text=gettext_lazy("One spelling per line, in any script."),
    )
    enquirer_relationship = forms.CharField(
        label=gettext_lazy("Relationship to those sought"),
        max_length=100,
        help_text=gettext_lazy(
            "e.g. grandmother. The words offered place the enquirer in the child's family "
            "when a match is confirmed; any other word places them as another relative."
        ),
        widget=forms.TextInput(attrs={"list": "relationship-words"}),
    )
    enquirer_contact = forms.CharField(
        label=gettext_lazy("How to reach them"), max_length=200, required=False
    )
    enquirer_place = forms.CharField(
        label=gettext_lazy("Where they live"), max_length=200, required=False
    )
    who_left = forms.CharField(label=gettext_lazy("Who left"), max_length=300, required=False)
    left_on = forms.CharField(
        label=gettext_lazy("When"),
        max_length=40,
        required=False,
        help_text=gettext_lazy("e.g. 2015-03"),
    )
    left_for = forms.CharField(label=gettext_lazy("To where"), max_length=200, required=False)
    story = forms.CharField(
        label=gettext_lazy("What happened"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    filed_on = forms.DateField(
        label=gettext_lazy("Filed on"), initial=date.today, widget=DateInput()
    )

    def enquirer(self) -> list[NameInput]:
        return [
            NameInput(name, NameSource.FAMILY)
            for name in lines(self.cleaned_data["enquirer_names"])
        ]


class SoughtForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=SoughtKind.choices, initial=SoughtKind.CHILD
    )
    names = forms.CharField(
        label=gettext_lazy("Names"),
        widget=LINES,
        required=False,
        help_text=gettext_lazy("One spelling per line."),
    )
    sex = forms.ChoiceField(label=gettext_lazy("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    birth = forms.CharField(
        label=gettext_lazy("Born"),
        required=False,
        help_text=gettext_lazy("2012-05-03, 2012-05, 2012, or ~6@2019-03-01 (about 6 then)"),
    )
    mother_names = forms.CharField(
        label=gettext_lazy("Mother's names"), widget=LINES, required=False
    )
    father_names = forms.CharField(
        label=gettext_lazy("Father's names"), widget=LINES, required=False
    )
    last_known_place = forms.CharField(
        label=gettext_lazy("Last known place"), max_length=200, required=False
    )

    def clean_birth(self) -> Any:
        try:
            # An age the enquirer gives ("about 9") is the age now.
            return read_birth(self.cleaned_data.get("birth", ""), timezone.localdate())
        except BirthDateError as error:
            raise forms.ValidationError(error.message) from None

    def as_sought(self) -> SoughtInput:
        d = self.cleaned_data
        return SoughtInput(
            kind=d["kind"], names=[NameInput(n, NameSource.FAMILY) for n in lines(d["names"])],
            sex=d["sex"], birth=d["birth"], mother_names=lines(d["mother_names"]),
            father_names=lines(d["father_names"]), last_known_place=d["last_known_place"],
        )  # fmt: skip


SoughtFormSet = formset_factory(SoughtForm, extra=2, max_num=10, validate_max=True)


class RequestFilterForm(forms.Form):
    # A name or reference is short; a 100,000-character pattern only loads the database.
    q = forms.CharField(
        label=gettext_lazy("Name or reference"), required=False, max_length=SEARCH_MAX_LENGTH
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("Any status")), *RequestStatus.choices],
        required=False,
    )


class MatchFilterForm(forms.Form):
    """The full list of proposed matches (the dashboard's panel links here)."""

    SHOW = [
        ("review", _("To review")),
        ("home", _("Children already home with the enquirer's family")),
        ("all", _("All")),
    ]
    q = forms.CharField(
        label=_("Request or case reference"), required=False, max_length=SEARCH_MAX_LENGTH
    )
    show = forms.ChoiceField(label=_("Show"), choices=SHOW, required=False)
    kind = forms.ChoiceField(
        label=_("Person sought"), choices=[("", _("Anyone")), *SoughtKind.choices], required=False
    )
    at_least = forms.ChoiceField(
        label=_("Chance at least"),
        choices=[("", _("Any")), ("0.2", "0.2"), ("0.5", "0.5"), ("0.9", "0.9")],
        required=False,
    )


class CloseForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why"), widget=LINES)
