"""The tracing form refuses a name it cannot match with the rule `homeward link` shares."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from homeward.conftest import signed_in
from homeward.tracing.models import TracingRequest
from homeward.tracing.tests.test_requests import form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"sought-0-names": "李明"},
            "“李明” is written in a script Homeward cannot match yet; "
            "write it in Latin, Cyrillic or Arabic letters.",
        ),
        (
            {"sought-0-mother_names": "Xадижат"},
            "“Xадижат”: The name mixes letters of several scripts (Cyrillic, Latin). "
            "The letter X is Latin in a Cyrillic name: did you mean “Хадижат”?",
        ),
        (
            {"sought-0-father_names": "Ali 😀"},
            "“Ali 😀” has signs that are not letters (😀); write the name in letters only.",
        ),
    ],
)
def test_the_form_refuses_a_name_it_cannot_match(
    caseworker: User, overrides: dict[str, str], message: str
) -> None:
    response = signed_in(caseworker).post(reverse("tracing:file"), form_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TracingRequest.objects.exists()
