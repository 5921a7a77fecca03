"""The tracing search finds a request by the spellings relatives and partners write: any
standard a Russian name is written in, any order, a middle name left out (issue 17)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from homeward.conftest import signed_in
from homeward.tracing.models import TracingRequest
from homeward.tracing.tests.test_requests import form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    ["Isaeva Amina", "Isajeva Amina", "Amina Isayeva", "Амина Исаева", "AMINA ISAEVA"],
)
def test_the_search_page_finds_the_sought_child_in_any_spelling(
    caseworker: User, query: str
) -> None:
    client = signed_in(caseworker)
    data = form_data(**{"sought-0-names": "Амина Магомедовна Исаева"})
    assert client.post(reverse("tracing:file"), data).status_code == 302
    request = TracingRequest.objects.get()
    page = client.get(reverse("tracing:list"), {"q": query}).content.decode()
    assert request.reference in page
    missed = client.get(reverse("tracing:list"), {"q": "Amina Aliyeva"}).content.decode()
    assert request.reference not in missed
