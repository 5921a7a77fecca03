"""The case list's rows, made in Python (`case_cells`), read exactly as the template that
wrote them did: in every language, with a name that holds markup, an age unknown, no
home region."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.template import Context, Template
from django.utils import translation

from homeward.cases.models import ChildCase
from homeward.cases.queries import listed_cases
from homeward.cases.services import NameInput
from homeward.cases.templatetags.cases import case_cells
from homeward.lib.ages import BirthDate, BirthPrecision

# The rows' cells as `cases/case_list.html` wrote them before `case_cells`.
TEMPLATE_ROW = Template(
    """{% load cases i18n names %}
      <td><a href="{% url 'cases:detail' case.pk %}">{{ case.reference }}</a></td>
      <td><a href="{% url 'cases:detail' case.pk %}"><bdi>{{ case.child.display_name|name }}</bdi></a></td>
      <td class="spellings">{% for name in case.child.names.all %}{% if not name.is_preferred %}<span>{{ name.full_name|name }}</span>{% endif %}{% endfor %}</td>
      <td>{{ case.child.get_sex_display }}</td>
      <td>{% with age=case.child|age_on:today %}{% if age %}{{ age }}{% else %}{% translate "unknown" %}{% endif %}{% endwith %}</td>
      <td>{{ case.home_region|region }}</td>
      <td>{{ case.placement_country|country }} · {{ case.placement_kind|facility_label }}</td>
      <td><span class="status status-{{ case.status }}">{{ case.get_status_display }}</span></td>
    """  # noqa: E501
)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ru", "ar"])
def test_a_row_made_in_python_reads_as_the_template_wrote_it(
    make_case: Callable[..., ChildCase], caseworker: User, language: str
) -> None:
    make_case()
    other = make_case(
        names=[NameInput("Zaid Ali", "consular"), NameInput("زيد علي", "host_authority")],
        sex="m",
        birth=BirthDate(BirthPrecision.UNKNOWN, None),
        home_region="",
    )
    # Markup in a name (refused at registration, as an old record might hold it).
    other.child.names.filter(full_name="Zaid Ali").update(full_name='<b>Zaid</b> & "Ali"')
    today = date(2026, 12, 8)
    rows = list(
        listed_cases(caseworker, {}, today).select_related("child").prefetch_related("child__names")
    )
    assert len(rows) == 2
    with translation.override(language):
        for case in rows:
            written = TEMPLATE_ROW.render(Context({"case": case, "today": today}))
            assert case_cells(case, today) == written
    assert "&lt;b&gt;Zaid&lt;/b&gt; &amp; &quot;Ali&quot;" in case_cells(rows[1], today)
