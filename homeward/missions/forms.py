from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from homeward.accounts.models import Role
from homeward.cases.forms import show_case_error
from homeward.cases.services import CaseError
from homeward.missions.models import MissionEscort, ReadinessItem
from homeward.missions.readiness import TICKED_ITEMS
from homeward.missions.services import MissionInput
from homeward.web.widgets import DateInput

DATE = DateInput()
# A browser's date-and-time picker; Django reads its "2026-12-07T10:30" as ISO 8601.
DATE_TIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def this_minute() -> Any:
    return timezone.localtime().replace(second=0, microsecond=0)


class MissionForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"), max_length=20, help_text=gettext_lazy("e.g. M-2019-02")
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)
    departure_airport = forms.CharField(
        label=gettext_lazy("Departure airport"),
        max_length=3,
        min_length=3,
        help_text=gettext_lazy("IATA, e.g. BGW"),
    )
    arrival_airport = forms.CharField(
        label=gettext_lazy("Arrival airport"),
        max_length=3,
        min_length=3,
        help_text=gettext_lazy("IATA, e.g. ZIA"),
    )
    departs_on = forms.DateField(label=gettext_lazy("Departs on"), widget=DATE)
    arrives_on = forms.DateField(label=gettext_lazy("Arrives on"), widget=DATE)
    capacity = forms.IntegerField(
        label=gettext_lazy("Capacity"),
        min_value=1,
        max_value=500,
        help_text=gettext_lazy("Seats for children"),
    )
    operator = forms.CharField(label=gettext_lazy("Operator"), max_length=200, required=False)
    aircraft = forms.CharField(label=gettext_lazy("Aircraft"), max_length=100, required=False)

    def clean_departure_airport(self) -> str:
        return str(self.cleaned_data["departure_airport"]).upper()

    def clean_arrival_airport(self) -> str:
        return str(self.cleaned_data["arrival_airport"]).upper()

    def as_input(self) -> MissionInput:
        return MissionInput(**self.cleaned_data)


class EditMissionForm(MissionForm):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        widget=forms.TextInput,
        help_text=gettext_lazy("Required once the manifest is confirmed"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].disabled = True  # documents and people refer to it

    def as_input(self) -> MissionInput:
        data = {k: v for k, v in self.cleaned_data.items() if k != "reason"}
        return MissionInput(**data)


class AddChildForm(forms.Form):
    case = forms.IntegerField(widget=forms.HiddenInput)
    seat = forms.CharField(label=gettext_lazy("Seat"), max_length=10, required=False)
    escort = forms.ModelChoiceField(
        label=gettext_lazy("Escort"), queryset=MissionEscort.objects.none(), required=False
    )
    receiving_region = forms.CharField(
        label=gettext_lazy("Receiving region"),
        max_length=6,
        required=False,
        help_text=gettext_lazy("Default: the child's home region"),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        widget=forms.TextInput,
        help_text=gettext_lazy("Required once the manifest is confirmed"),
    )

    def __init__(self, *args: Any, mission: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if mission is not None:
            self.fields["escort"].queryset = mission.escorts.select_related("user")  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, widget=forms.TextInput)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        profile = obj.staff_profile
        name = obj.get_full_name() or obj.get_username()
        return f"{name} ({profile.get_role_display()}, {profile.agency.short_name})"


class EscortForm(forms.Form):
    user = StaffChoiceField(
        label=gettext_lazy("Member of staff"),
        queryset=get_user_model()
        .objects.filter(is_active=True, staff_profile__isnull=False)
        .select_related("staff_profile__agency")
        .order_by("last_name", "first_name"),
        empty_label=gettext_lazy("Choose…"),
    )
    duty = forms.CharField(
        label=gettext_lazy("Duty"),
        max_length=100,
        help_text=gettext_lazy("doctor, psychologist, escort..."),
    )


class ReadinessForm(forms.Form):
    item = forms.ChoiceField(
        label=gettext_lazy("Item"), choices=[(i.value, i.label) for i in TICKED_ITEMS]
    )
    done_on = forms.DateField(label=gettext_lazy("Done on"), widget=DATE)
    evidence = forms.CharField(label=gettext_lazy("Evidence"), max_length=300, required=False)

    def __init__(self, *args: Any, role: str | None = None, **kwargs: Any) -> None:
        """With `role`, only the items that role ticks: the medical for a medical officer,
        the others for the case team."""
        super().__init__(*args, **kwargs)
        if role is not None:
            medical = role == Role.MEDICAL_OFFICER
            field = self.fields["item"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [
                (i.value, i.label)
                for i in TICKED_ITEMS
                if (i == ReadinessItem.FIT_TO_FLY) == medical
            ]


class WithdrawReadinessForm(forms.Form):
    item = forms.ChoiceField(
        label=gettext_lazy("Item"), choices=[(i.value, i.label) for i in TICKED_ITEMS]
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500)


class DepartureForm(forms.Form):
    departed_at = forms.DateTimeField(
        label=gettext_lazy("Took off at"), widget=DATE_TIME, initial=this_minute
    )


class OverrideForm(forms.Form):
    """A supervisor lets a child on board fly without the items missing now."""

    reason = forms.CharField(
        label=gettext_lazy("Why the child may fly without it"), max_length=1000
    )


class ArrivalForm(forms.Form):
    """When the flight landed, where the children were taken, and for each child on the
    manifest: flew, or why not."""

    arrived_at = forms.DateTimeField(
        label=gettext_lazy("Landed at"), widget=DATE_TIME, initial=this_minute
    )
    reception = forms.CharField(
        label=gettext_lazy("Children taken to"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "The hospital or reception centre, e.g. Children's Clinical Hospital, Moscow. "
            "Left empty, each child is recorded in transit to the receiving region."
        ),
    )

    def __init__(self, *args: Any, entries: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entries = list(entries)
        for entry in self.entries:
            self.fields[f"stayed_{entry.pk}"] = forms.BooleanField(
                required=False,
                label=_("%(reference)s did not travel") % {"reference": entry.case.reference},
            )
            self.fields[f"reason_{entry.pk}"] = forms.CharField(
                required=False, label=gettext_lazy("Why"), widget=forms.TextInput
            )

    def not_travelled(self) -> dict[int, str]:
        data = self.cleaned_data
        return {
            entry.pk: data.get(f"reason_{entry.pk}", "")
            for entry in self.entries
            if data.get(f"stayed_{entry.pk}")
        }

    def rows(self) -> list[tuple[Any, Any, Any]]:
        return [(e, self[f"stayed_{e.pk}"], self[f"reason_{e.pk}"]) for e in self.entries]

    def show_refusal(self, error: CaseError) -> None:
        """A refusal of one child's reason (`not_travelled`, keyed by manifest entry)
        goes next to that child's reason; any other as `show_case_error` puts it."""
        reason = f"reason_{error.index}"
        if error.within == "not_travelled" and reason in self.fields:
            self.add_error(reason, error.message)
        else:
            show_case_error(self, error)


ITEM_LABELS = dict(ReadinessItem.choices)
