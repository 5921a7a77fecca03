"""The filing page: people begun and left half-filled, more people than offered, and
finding a request by the name of a sought person's parent."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from homeward.conftest import sign_in, signed_in
from homeward.tracing.models import TracingRequest
from homeward.tracing.tests.test_requests import form_data

pytestmark = pytest.mark.django_db


def test_a_person_begun_without_a_name_is_refused_on_their_entry_not_dropped(
    caseworker: User,
) -> None:
    response = signed_in(caseworker).post(
        reverse("tracing:file"),
        form_data(**{"sought-1-birth": "2014", "sought-1-last_known_place": "Mosul"}),
    )
    assert response.status_code == 400
    page = response.content.decode()
    said = "Give the sought person&#x27;s name, or at least a parent&#x27;s name."
    assert said in page
    # The message stands in the second person's entry, after its legend.
    assert page.index(said) > page.index("Person sought 2")
    assert not TracingRequest.objects.exists()


def test_more_people_than_the_page_offers_are_filed(caseworker: User) -> None:
    extra = {
        "sought-TOTAL_FORMS": "4",
        "sought-1-names": "Ахмед Исаев", "sought-1-sex": "m",
        "sought-2-kind": "child", "sought-2-sex": "u",
        "sought-3-kind": "mother", "sought-3-names": "Хадижат Исаева", "sought-3-sex": "f",
    }  # fmt: skip
    response = signed_in(caseworker).post(reverse("tracing:file"), form_data(**extra))
    assert response.status_code == 302
    kinds = list(TracingRequest.objects.get().sought.values_list("kind", flat=True))
    assert kinds == ["child", "child", "mother"]


def test_a_request_known_only_by_the_mothers_name_is_found_in_another_script(
    caseworker: User,
) -> None:
    client = signed_in(caseworker)
    only_mother = {"sought-0-names": "", "sought-0-mother_names": "Хадижат Исаева"}
    assert client.post(reverse("tracing:file"), form_data(**only_mother)).status_code == 302
    reference = TracingRequest.objects.get().reference
    found = client.get(reverse("tracing:list"), {"q": "Khadizhat Isaeva"}).content.decode()
    assert reference in found
    missed = client.get(reverse("tracing:list"), {"q": "Zarema"}).content.decode()
    assert reference not in missed


@pytest.mark.e2e
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_adding_a_person_on_the_page_files_them_too(page: Any, caseworker: User) -> None:
    sign_in(page, caseworker.username)
    page.goto(reverse("tracing:file"))
    page.get_by_label("Enquirer's name").fill("Патимат Исаева")
    page.get_by_label("Relationship to those sought").fill("grandmother")
    page.locator("#id_sought-0-names").fill("Амина Исаева")
    page.locator("#id_sought-1-names").fill("Ахмед Исаев")
    page.get_by_role("button", name="Add another person").click()
    assert page.get_by_text("Person sought 3").is_visible()
    page.locator("#id_sought-2-kind").select_option("mother")
    page.locator("#id_sought-2-names").fill("Хадижат Исаева")
    page.get_by_role("button", name="File the request").click()
    page.wait_for_url("**/tracing/*/")
    assert page.get_by_text("Mother sought").is_visible()
    names = TracingRequest.objects.get().sought.values_list("person__names__full_name", flat=True)
    assert sorted(names) == ["Амина Исаева", "Ахмед Исаев", "Хадижат Исаева"]


def test_the_page_offers_the_relationship_words_that_place_the_enquirer(caseworker: User) -> None:
    page = signed_in(caseworker).get(reverse("tracing:file")).content.decode()
    assert 'list="relationship-words"' in page
    for word in ("grandmother", "aunt", "husband"):
        assert f'<option value="{word}">' in page
