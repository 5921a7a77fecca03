"""Arbitrary text, from every Unicode category, in the name, date and search inputs of the
forms and of `homeward link` (issue 14, done means): a clear refusal or a clean save,
never a 5xx or a traceback. Property-based, with Hypothesis."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from homeward.cases.tests.test_pages import registration_form
from homeward.conftest import signed_in
from homeward.tracing.tests.test_requests import form_data

# Any code point but the surrogates (which no UTF-8 request or file can carry), so every
# other category: letters, marks, numbers, punctuation, symbols, separators, controls,
# format characters, private use and unassigned.
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)
# Text that looks almost like a date, so that the date parsers are reached, not only the
# first check.
DATE_LIKE = st.one_of(
    TEXT,
    st.from_regex(r"\A[~0-9@\-+/.: ]{1,24}\Z"),
    st.builds(
        lambda y, m, d: f"{y}-{m}-{d}",
        st.integers(-5, 99999),
        st.integers(-1, 99),
        st.integers(-1, 99),
    ),
)
HOSTILE_EXAMPLES = ["Ami\u200dna Sai\u200bdova", "\u202eavodiaS", "\x1b[31m\x07", "0001-01-01",
                    "9999-12-31", "~999@2019-03-01", "2019-02-30", "\ufeff", "%_" * 30]  # fmt: skip
PROPERTY = settings(
    max_examples=40,
    deadline=None,
    # One database per test, shared by its examples: saved records pile up, which is fine.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def no_server_error(response: Any, what: str) -> None:
    assert response.status_code < 500, what
    assert "Traceback" not in response.content.decode(errors="replace"), what


@pytest.fixture
def client(caseworker: User) -> Client:
    client = signed_in(caseworker)
    client.raise_request_exception = False
    return client


@pytest.mark.slow
@pytest.mark.django_db
@PROPERTY
@given(name=TEXT, birth=DATE_LIKE)
@example(name=HOSTILE_EXAMPLES[0], birth=HOSTILE_EXAMPLES[3])
@example(name=HOSTILE_EXAMPLES[1], birth=HOSTILE_EXAMPLES[4])
def test_registering_a_child_with_arbitrary_name_and_birth(
    client: Client, name: str, birth: str
) -> None:
    form = registration_form(**{"names-1-full_name": name, "names-1-script": "",
                                "birth_known": birth, "mother_name": name})  # fmt: skip
    no_server_error(client.post(reverse("cases:register"), form), f"{name!r} {birth!r}")


@pytest.mark.slow
@pytest.mark.django_db
@PROPERTY
@given(name=TEXT, birth=DATE_LIKE, filed=DATE_LIKE)
@example(name=HOSTILE_EXAMPLES[2], birth=HOSTILE_EXAMPLES[5], filed=HOSTILE_EXAMPLES[6])
def test_filing_a_tracing_request_with_arbitrary_names_and_dates(
    client: Client, name: str, birth: str, filed: str
) -> None:
    form = form_data(**{"enquirer_names": name, "sought-0-names": name, "sought-0-birth": birth,
                        "sought-0-mother_names": name, "filed_on": filed})  # fmt: skip
    no_server_error(client.post(reverse("tracing:file"), form), f"{name!r} {birth!r} {filed!r}")


@pytest.mark.slow
@pytest.mark.django_db
@PROPERTY
@given(text=TEXT, day=DATE_LIKE)
@example(text=HOSTILE_EXAMPLES[8], day=HOSTILE_EXAMPLES[7])
@example(text="ª", day="")  # a Latin letter with no ASCII reading: was a 500
def test_searching_and_asking_for_a_day_with_arbitrary_text(
    client: Client, text: str, day: str
) -> None:
    for url, query in (
        (reverse("cases:list"), {"q": text, "region": text}),
        (reverse("tracing:list"), {"q": text}),
        (reverse("home"), {"on": day}),
        (reverse("statistics:page"), {"as_of": day, "bands": text}),
        (reverse("statistics:page"), {"flow": "placed", "flow_from": day, "flow_to": day}),
    ):
        no_server_error(client.get(url, query), f"{url} {query!r}")


HEADER = "id,names,sex,birth,mother,father,place\n"


@pytest.mark.slow
@PROPERTY
@given(name=TEXT, birth=DATE_LIKE)
@example(name=HOSTILE_EXAMPLES[0], birth=HOSTILE_EXAMPLES[5])
def test_homeward_link_with_arbitrary_names_and_births(
    tmp_path: Path, name: str, birth: str
) -> None:
    cell = lambda text: '"' + text.replace('"', '""') + '"'  # noqa: E731
    left, right = tmp_path / "left.csv", tmp_path / "right.csv"
    left.write_text(f"{HEADER}L1,{cell(name)},f,{cell(birth)},{cell(name)},,\n", encoding="utf-8")
    right.write_text(f"{HEADER}R1,Amina Isaeva,f,2013,,,\n", encoding="utf-8")
    # A refusal with its message (CommandError) is the other outcome allowed.
    with contextlib.suppress(CommandError):
        call_command("link", str(left), str(right), "--out", str(tmp_path / "pairs.csv"))
