"""The form renderer writes a select in Python (issue 21: the templates took 40 µs an option,
10 ms for a list of countries): the markup must be the templates', byte for byte. How much
faster it is: `bench/bench_select_renderer.py`."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from homeward.cases.forms import CaseFilterForm, RegisterChildForm
from homeward.web.renderers import FormRenderer

CHOICES = [
    ("", gettext_lazy("Any status")),
    ("a&b", 'Quotes " and <tags>'),
    (3, 1234567),
    ("safe", mark_safe("<b>marked safe</b>")),  # nosec B308: a constant, kept unescaped
    ("Group", [("g1", "In a group"), ("g2", "Also <in> it")]),
    ("Други", [("ru", "Русский")]),
]


class Everything(forms.Form):
    plain = forms.ChoiceField(label="Plain", choices=CHOICES, required=False)
    required = forms.ChoiceField(label="Required", choices=CHOICES)
    several = forms.MultipleChoiceField(label="Several", choices=CHOICES, required=False)
    yes_no = forms.NullBooleanField(label="Yes or no")
    attrs = forms.ChoiceField(
        label="Attributes",
        choices=CHOICES,
        widget=forms.Select(attrs={"class": 'a "b"', "disabled": True, "hidden": False}),
    )
    radio = forms.ChoiceField(label="Radio", choices=CHOICES[:3], widget=forms.RadioSelect)


def _both(form: forms.Form) -> tuple[str, str]:
    ours = "".join(str(field) for field in form)
    form.renderer = DjangoTemplates()
    return ours, "".join(str(field) for field in form)


def test_it_is_the_renderer_of_every_form() -> None:
    assert isinstance(get_default_renderer(), FormRenderer)


def test_a_select_is_written_as_djangos_templates_write_it() -> None:
    for data in (
        None,
        {"plain": "a&b", "required": "3", "several": ["g2", "safe"], "yes_no": "true"},
    ):
        with override("ru"):
            ours, django = _both(Everything(data))
        assert ours == django
        assert "<select" in ours and "optgroup" in ours


@pytest.mark.django_db
def test_the_projects_lists_are_written_alike_in_each_language() -> None:
    for language in ("en", "ru", "ar"):
        with override(language):
            for form in (CaseFilterForm({"host": "IQ", "status": "verified"}), RegisterChildForm()):
                ours, django = _both(form)
                assert ours == django
