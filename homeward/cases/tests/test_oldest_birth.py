"""The web forms refuse a birth more than 120 years before today, next to its field."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from homeward.cases.models import ChildCase
from homeward.cases.tests.test_pages import registration_form
from homeward.conftest import signed_in
from homeward.tracing.models import TracingRequest
from homeward.tracing.tests.test_requests import form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"birth_known": "1800"}, "birth_known",
            "The date of birth 1800 is more than 120 years before today.",
        ),
        (
            {"birth_known": "", "birth_estimated_age": "6", "birth_estimated_on": "1850-01-01"},
            "birth_estimated_on",
            "An age of about 6 years on 1850-01-01 puts the birth more than 120 years "
            "before today.",
        ),
    ],
)  # fmt: skip
def test_the_registration_form_refuses_a_birth_more_than_120_years_ago(
    caseworker_client: Client, overrides: dict[str, str], field: str, message: str
) -> None:
    response = caseworker_client.post(reverse("cases:register"), registration_form(**overrides))
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert not ChildCase.objects.exists()


@pytest.mark.parametrize(
    ("birth", "message"),
    [
        ("1800", "The date of birth 1800 is more than 120 years before today."),
        (
            "~6@1850-01-01",
            "An age of about 6 years on 1850-01-01 puts the birth more than 120 years "
            "before today.",
        ),
    ],
)
def test_the_tracing_form_refuses_a_birth_more_than_120_years_ago(
    caseworker: User, birth: str, message: str
) -> None:
    response = signed_in(caseworker).post(
        reverse("tracing:file"), form_data(**{"sought-0-birth": birth})
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TracingRequest.objects.exists()
