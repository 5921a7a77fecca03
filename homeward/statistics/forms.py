from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from homeward.lib.agebands import PRESETS, REPORT_BANDS, AgeBandError, parse_bands
from homeward.lib.places import country_choices
from homeward.statistics.services import (
    DAYS,
    DIMENSION_NAMES,
    DIMENSIONS,
    FLOW_NAMES,
    FLOWS,
    MIDPOINT,
    SEPARATE,
    StatsError,
    StatsQuery,
    check_day,
)
from homeward.web.widgets import DateInput


class StatsForm(forms.Form):
    as_of = forms.DateField(label=gettext_lazy("As of"), required=False, widget=DateInput())
    repatriated_on = forms.DateField(
        label=gettext_lazy("or repatriated on"), required=False, widget=DateInput()
    )
    flow = forms.ChoiceField(
        label=gettext_lazy("or children"),
        choices=[("", gettext_lazy("(no flow)")), *((f, FLOW_NAMES[f]) for f in FLOWS)],
        required=False,
    )
    flow_from = forms.DateField(label=gettext_lazy("from"), required=False, widget=DateInput())
    flow_to = forms.DateField(label=gettext_lazy("to"), required=False, widget=DateInput())
    host = forms.ChoiceField(
        label=gettext_lazy("In country"),
        choices=lambda: [("", gettext_lazy("Anywhere")), *country_choices()],
        required=False,
    )
    by = forms.MultipleChoiceField(
        label=gettext_lazy("Group by"),
        choices=[(d, DIMENSION_NAMES[d]) for d in DIMENSIONS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    bands = forms.CharField(
        label=gettext_lazy("Age bands"),
        required=False,
        help_text=format_lazy(
            "{}{}",
            gettext_lazy("A list such as 0-2,3-9,10,11-17,18+ or a preset: "),
            ", ".join(PRESETS),
        ),
        widget=forms.TextInput(attrs={"placeholder": REPORT_BANDS, "list": "band-presets"}),
    )
    uncertain_separate = forms.BooleanField(
        label=gettext_lazy("Count children whose age range straddles a band in a separate row"),
        required=False,
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
        for name, _what in DAYS:
            try:
                check_day(data.get(name), str(self.fields[name].label))
            except StatsError as error:
                self.add_error(name, str(error))
        if data.get("as_of") and data.get("repatriated_on"):
            self.add_error(
                "repatriated_on", _("Give an as-of date or a repatriation date, not both.")
            )
        if data.get("flow"):
            if data.get("as_of") or data.get("repatriated_on"):
                self.add_error("flow", _("Give a flow with its period, or a date above, not both."))
            for name in ("flow_from", "flow_to"):
                if not data.get(name):
                    self.add_error(name, _("The flow needs this date."))
            start, end = data.get("flow_from"), data.get("flow_to")
            if start and end and start > end:
                self.add_error("flow_to", _("The period ends before it starts."))
        elif data.get("flow_from") or data.get("flow_to"):
            self.add_error("flow", _("Choose a flow for the period."))
        return data

    def query(self, by: tuple[str, ...] | None = None) -> StatsQuery:
        """The query the valid form asks for (grouped `by` another list if given)."""
        d = self.cleaned_data
        return StatsQuery(
            as_of=d["as_of"],
            repatriated_on=d["repatriated_on"],
            flow=d["flow"] or None,
            flow_from=d["flow_from"] if d["flow"] else None,
            flow_to=d["flow_to"] if d["flow"] else None,
            host=d["host"] or None,
            by=tuple(d["by"]) if by is None else by,
            bands=tuple(parse_bands(d["bands"])),
            age_counting=SEPARATE if d["uncertain_separate"] else MIDPOINT,
        )
