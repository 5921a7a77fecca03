"""Forms for registering a child and editing each part of a case.

Forms only read and shape input; the rules live in cases.services, whose CaseError is
shown next to the field it names.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from homeward.accounts.models import Agency
from homeward.cases.models import (
    AttachmentKind,
    FacilityKind,
    HomeAssessment,
    MemberStatus,
    Relationship,
    ShareKind,
    Willingness,
)
from homeward.cases.queries import age_band_choices
from homeward.cases.services import CaseError, PlacementInput, RelativeInput
from homeward.cases.status import CaseStatus
from homeward.lib.ages import BirthDate, BirthDateError, BirthPrecision, read_birth
from homeward.lib.i18n import format_month
from homeward.lib.places import country_choices, region_choices
from homeward.people.models import NameSource, Script, Sex
from homeward.people.services import NameInput
from homeward.web.widgets import DateInput, RegionField

DATE_INPUT = DateInput()


# Where the services' field names differ from the forms' (a date of birth is one text field).
FIELD_ALIASES = {"birth_date": "birth_known", "birth": "birth_known"}


def show_case_error(form: forms.Form, error: CaseError, fallback: str | None = None) -> None:
    """Put a service's refusal next to the field it names, or above the form."""
    field = FIELD_ALIASES.get(error.field or "", error.field)
    field = field if field in form.fields else fallback
    form.add_error(field, error.message)


class NameVariantForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)
    script = forms.ChoiceField(
        label=gettext_lazy("Script"),
        choices=[("", gettext_lazy("Detect from the letters")), *Script.choices],
        required=False,
    )
    source = forms.ChoiceField(
        label=gettext_lazy("Source"), choices=NameSource.choices, initial=NameSource.CONSULAR
    )
    is_preferred = forms.BooleanField(label=gettext_lazy("Preferred"), required=False)

    def as_name(self) -> NameInput | None:
        data = self.cleaned_data
        if not data.get("full_name"):
            return None
        return NameInput(data["full_name"], data["source"], data["script"], data["is_preferred"])


NameFormSet = formset_factory(NameVariantForm, extra=0, min_num=1, max_num=20)


def names_from(formset: Any) -> list[NameInput]:
    return [n for form in formset.forms if (n := form.as_name()) is not None]


class BirthFields(forms.Form):
    """A date of birth as known: a day, a month, a year, or an estimated age on a date."""

    birth_known = forms.CharField(
        label=gettext_lazy("Date of birth"),
        required=False,
        help_text=gettext_lazy(
            "As precisely as known: 2012-05-03, 2012-05, May 2012 or 2012; or an age, as in "
            "“about 6”."
        ),
    )
    birth_estimated_age = forms.IntegerField(
        label=gettext_lazy("or estimated age"), required=False, min_value=0, max_value=120
    )
    birth_estimated_on = forms.DateField(
        label=gettext_lazy("estimated on"), required=False, widget=DATE_INPUT
    )
    birth_margin_years = forms.IntegerField(
        label=gettext_lazy("give or take (years)"),
        required=False,
        min_value=0,
        max_value=5,
        initial=0,
    )

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        known, age = data.get("birth_known", ""), data.get("birth_estimated_age")
        if known and age is not None:
            self.add_error(
                "birth_estimated_age", _("Give a date of birth or an estimated age, not both.")
            )
        try:
            data["birth"] = self._birth(data)
        except BirthDateError as error:
            self.add_error(
                error.field if error.field in self.fields else "birth_known", error.message
            )
        return data

    def _birth(self, data: dict[str, Any]) -> BirthDate:
        if data.get("birth_estimated_age") is not None or data.get("birth_estimated_on"):
            return BirthDate(
                BirthPrecision.ESTIMATE,
                estimated_age=data.get("birth_estimated_age"),
                estimated_on=data.get("birth_estimated_on") or self._estimate_day(data),
                margin_years=data.get("birth_margin_years") or 0,
            )
        return read_birth(data.get("birth_known", ""), self._estimate_day(data))

    @staticmethod
    def _estimate_day(data: dict[str, Any]) -> date:
        """The day an age given without one was estimated: the day the child was
        identified, on the registration form; otherwise today."""
        return data.get("identified_on") or timezone.localdate()

    @staticmethod
    def initial_for(birth: BirthDate) -> dict[str, Any]:
        if birth.precision == BirthPrecision.ESTIMATE:
            return {
                "birth_estimated_age": birth.estimated_age,
                "birth_estimated_on": birth.estimated_on,
                "birth_margin_years": birth.margin_years,
            }
        if birth.value is None:
            return {}
        # Written as the interface language writes dates, and read back by read_birth.
        english = get_language() in (None, "en")
        text = {
            BirthPrecision.DAY: date_format(birth.value, "SHORT_DATE_FORMAT"),
            BirthPrecision.MONTH: birth.value.strftime("%Y-%m")
            if english
            else format_month(birth.value),
            BirthPrecision.YEAR: str(birth.value.year),
        }[birth.precision]
        return {"birth_known": text}


class IdentityForm(BirthFields):
    sex = forms.ChoiceField(label=gettext_lazy("Sex"), choices=Sex.choices)
    nationality = forms.ChoiceField(
        label=gettext_lazy("Nationality"),
        choices=lambda: [("", "—"), *country_choices()],
        required=False,
        initial="RU",
    )
    home_region = RegionField(
        label=gettext_lazy("Home region"),
        required=False,
        help_text=gettext_lazy("Type a few letters of its name and choose it from the list."),
    )
    field_order = [
        "sex",
        "birth_known",
        "birth_estimated_age",
        "birth_estimated_on",
        "birth_margin_years",
        "nationality",
        "home_region",
    ]

    @staticmethod
    def region_options(country: str = "RU") -> list[tuple[str, str]]:
        return region_choices(country)


class PlacementForm(forms.Form):
    country = forms.ChoiceField(
        label=gettext_lazy("Country"), choices=country_choices, initial="IQ"
    )
    facility_kind = forms.ChoiceField(label=gettext_lazy("Placement"), choices=FacilityKind.choices)
    facility_name = forms.CharField(
        label=gettext_lazy("Facility or address"), max_length=200, required=False
    )
    since = forms.DateField(label=gettext_lazy("Since"), widget=DATE_INPUT)

    def as_placement(self) -> PlacementInput:
        d = self.cleaned_data
        return PlacementInput(d["country"], d["facility_kind"], d["since"], d["facility_name"])


CHOOSE = ("", gettext_lazy("— choose —"))


class RegisterChildForm(IdentityForm):
    """Starts from what the agency usually registers (`queries.usual_registration`), or
    from a sibling's case (`queries.sibling_registration`, whose family is shared: the
    parents' fields are then left out). Sex and anything not usual are left unchosen."""

    sex = forms.ChoiceField(label=gettext_lazy("Sex"), choices=[CHOOSE, *Sex.choices])
    identified_on = forms.DateField(
        label=gettext_lazy("Identified on"), widget=DATE_INPUT, initial=date.today
    )
    country = forms.ChoiceField(
        label=gettext_lazy("Country"), choices=lambda: [CHOOSE, *country_choices()]
    )
    facility_kind = forms.ChoiceField(
        label=gettext_lazy("Placement"), choices=[CHOOSE, *FacilityKind.choices]
    )
    facility_name = PlacementForm.base_fields["facility_name"]
    since = forms.DateField(
        label=gettext_lazy("Placement since"),
        widget=DATE_INPUT,
        required=False,
        help_text=gettext_lazy("Defaults to the day identified."),
    )
    mother_name = forms.CharField(
        label=gettext_lazy("Mother's name"), max_length=200, required=False
    )
    mother_status = forms.ChoiceField(
        label=gettext_lazy("Mother's status"),
        choices=MemberStatus.choices,
        initial=MemberStatus.UNKNOWN,
    )
    father_name = forms.CharField(
        label=gettext_lazy("Father's name"), max_length=200, required=False
    )
    father_status = forms.ChoiceField(
        label=gettext_lazy("Father's status"),
        choices=MemberStatus.choices,
        initial=MemberStatus.UNKNOWN,
    )

    PARENT_FIELDS = ("mother_name", "mother_status", "father_name", "father_status")

    def __init__(self, *args: Any, sibling: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sibling = sibling
        if sibling:
            for name in self.PARENT_FIELDS:
                del self.fields[name]

    def placement(self) -> PlacementInput:
        d = self.cleaned_data
        since = d.get("since") or d["identified_on"]
        return PlacementInput(d["country"], d["facility_kind"], since, d["facility_name"])

    def parents(self) -> list[RelativeInput]:
        d = self.cleaned_data
        parents: list[RelativeInput] = []
        if self.sibling:
            return parents
        for who, sex in (("mother", "f"), ("father", "m")):
            if d.get(f"{who}_name"):
                parents.append(
                    RelativeInput(
                        relationship=who,
                        names=[NameInput(d[f"{who}_name"], NameSource.FAMILY)],
                        sex=sex,
                        status=d[f"{who}_status"],
                    )
                )
        return parents


class FamilyMemberForm(BirthFields):
    relationship = forms.ChoiceField(
        label=gettext_lazy("Relationship"), choices=Relationship.choices
    )
    names = forms.CharField(
        label=gettext_lazy("Names"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One spelling per line, in any script."),
    )
    names_source = forms.ChoiceField(
        label=gettext_lazy("Names given by"), choices=NameSource.choices, initial=NameSource.FAMILY
    )
    sex = forms.ChoiceField(label=gettext_lazy("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), choices=MemberStatus.choices, initial=MemberStatus.UNKNOWN
    )
    detention_facility = forms.CharField(
        label=gettext_lazy("Detention facility"), max_length=200, required=False
    )
    conviction = forms.CharField(
        label=gettext_lazy("Conviction"),
        max_length=500,
        required=False,
        help_text=gettext_lazy("Restricted: seen only by legal readers."),
    )
    sentence = forms.CharField(
        label=gettext_lazy("Sentence"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Restricted: seen only by legal readers."),
    )
    place = forms.CharField(
        label=gettext_lazy("Lives in / last seen"), max_length=200, required=False
    )
    contact = forms.CharField(label=gettext_lazy("Contact"), max_length=200, required=False)
    willing_to_take_custody = forms.ChoiceField(
        label=gettext_lazy("Willing to take custody"),
        choices=Willingness.choices,
        initial=Willingness.UNKNOWN,
    )
    home_assessment = forms.ChoiceField(
        label=gettext_lazy("Home assessment"),
        choices=HomeAssessment.choices,
        initial=HomeAssessment.NOT_ASSESSED,
    )
    home_assessed_on = forms.DateField(
        label=gettext_lazy("Home assessed on"), required=False, widget=DATE_INPUT
    )
    field_order = ["relationship", "names", "names_source", "sex", "birth_known"]

    LEGAL_FIELDS = ("conviction", "sentence")

    def __init__(self, *args: Any, legal_access: bool, kept: Any = None, **kwargs: Any) -> None:
        """Without legal access the restricted fields are not on the form at all, and the
        values already recorded (`kept`, the family member) are kept as they are."""
        super().__init__(*args, **kwargs)
        self.kept = {name: getattr(kept, name, "") for name in self.LEGAL_FIELDS}
        if not legal_access:
            for name in self.LEGAL_FIELDS:
                del self.fields[name]

    def as_relative(self) -> RelativeInput:
        d: dict[str, Any] = {**self.kept, **self.cleaned_data}
        lines = [line for line in d["names"].splitlines() if line.strip()]
        return RelativeInput(
            relationship=d["relationship"],
            names=[NameInput(line, d["names_source"]) for line in lines],
            sex=d["sex"],
            birth=d["birth"],
            status=d["status"],
            detention_facility=d["detention_facility"],
            conviction=d["conviction"],
            sentence=d["sentence"],
            place=d["place"],
            contact=d["contact"],
            willing_to_take_custody=d["willing_to_take_custody"],
            home_assessment=d["home_assessment"],
            home_assessed_on=d["home_assessed_on"],
        )


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=gettext_lazy("Move to"))
    effective_on = forms.DateField(label=gettext_lazy("On"), widget=DATE_INPUT, initial=date.today)
    reason = forms.CharField(
        label=gettext_lazy("Why"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, allowed: list[CaseStatus], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_status"]
        assert isinstance(field, forms.ChoiceField)
        # Every status is accepted here so that the service, not the form, explains a refusal.
        field.choices = CaseStatus.choices
        field.widget.choices = [(s.value, s.label) for s in allowed]


class NoteForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=AttachmentKind.choices)
    file = forms.FileField(
        label=gettext_lazy("File"),
    )
    description = forms.CharField(label=gettext_lazy("Description"), max_length=300, required=False)


# The longest search a list takes: names and references are short, and a pattern of
# 100,000 characters is refused by SQLite ("LIKE pattern too complex").
SEARCH_MAX_LENGTH = 200


class CaseFilterForm(forms.Form):
    """The case list's search and filters; every field is optional. Its export reads the
    same fields from the same query string (`checked_filters`)."""

    # A name or reference is short; a 100,000-character pattern only loads the database.
    q = forms.CharField(
        label=gettext_lazy("Name or reference"), required=False, max_length=SEARCH_MAX_LENGTH
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("Any status")), *CaseStatus.choices],
        required=False,
    )
    host = forms.ChoiceField(
        label=gettext_lazy("Country"),
        choices=lambda: [("", gettext_lazy("Any country")), *country_choices()],
        required=False,
    )
    placement = forms.ChoiceField(
        label=gettext_lazy("Placement"),
        choices=[("", gettext_lazy("Any placement")), *FacilityKind.choices],
        required=False,
    )
    region = RegionField(label=gettext_lazy("Home region"), required=False)

    age_band = forms.ChoiceField(label=gettext_lazy("Age"), required=False)
    sex = forms.ChoiceField(
        label=gettext_lazy("Sex"),
        choices=[("", gettext_lazy("Any sex")), *Sex.choices],
        required=False,
    )
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Agency"),
        queryset=Agency.objects.all(),
        required=False,
        empty_label=gettext_lazy("Any agency"),
    )
    identified_from = forms.DateField(
        label=gettext_lazy("Identified from"), required=False, widget=DATE_INPUT
    )
    identified_to = forms.DateField(
        label=gettext_lazy("Identified to"), required=False, widget=DATE_INPUT
    )
    visit_due_by = forms.DateField(
        label=gettext_lazy("Follow-up visit due by"),
        required=False,
        widget=DATE_INPUT,
        help_text=gettext_lazy("Cases with a follow-up visit due by this day, not yet made."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["age_band"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = age_band_choices()

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        first, last = data.get("identified_from"), data.get("identified_to")
        if first and last and first > last:
            self.add_error("identified_to", _("The period ends before it starts."))
        return data

    def chosen(self) -> dict[str, str]:
        """The filters set, as the query string gives them: kept with an export."""
        return {
            name: str(self.data[name]).strip()
            for name in self.fields
            if self.cleaned_data.get(name) not in (None, "") and name in self.data
        }


def checked_filters(params: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The case list's filters read from a query string or a stored export: the cleaned
    values for `queries.filter_cases` and the chosen ones as given. A bad value is refused
    with CaseError naming the filter; a name that is no filter is refused too."""
    unknown = sorted(set(params) - set(CaseFilterForm.base_fields))
    if unknown:
        raise CaseError(_("Unknown filter: %(names)s.") % {"names": ", ".join(unknown)}, "filters")
    form = CaseFilterForm(params)
    if not form.is_valid():
        name, errors = next(iter(form.errors.items()))
        label = form.fields[name].label if name in form.fields else name
        raise CaseError(
            _("%(label)s: %(join)s") % {"label": label, "join": " ".join(str(e) for e in errors)},
            field=name,
        )
    return form.cleaned_data, form.chosen()


class OfferCaseForm(forms.Form):
    to_agency = forms.ModelChoiceField(
        label=gettext_lazy("To agency"), queryset=Agency.objects.none()
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ShareKind.choices)
    reason = forms.CharField(label=gettext_lazy("Why"), widget=forms.Textarea(attrs={"rows": 2}))
    consent = forms.CharField(
        label=gettext_lazy("Consent"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Whose consent the sharing rests on, when and how it was given."),
    )

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Agency.objects.exclude(pk=case.agency_id)
