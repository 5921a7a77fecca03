"""Every URL of the access matrix, asked with hostile query values (very long, dates out
of range, wrong types, control characters), by a user its rule allows: never a 5xx
(issue 14, item 8). A bad value is refused with a message or ignored.

Each parameter the page reads (found by asking it once and noting what it reads) is tried
on its own, with a valid companion where a page needs one (a flow with its period): a form
refused for one bad field would never reach the others. Then all of them at once, as GET
and, where the page takes it, as POST."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils.datastructures import MultiValueDict

from homeward.web.tests.test_access_matrix import (  # the matrix's world and URLs
    PROJECT_URLS,
    RULES,
    client_for,
    url_for,
    world,  # noqa: F401  (a fixture)
)

# Every query parameter a page reads, and a few it does not.
PARAMETERS = [
    "q", "on", "page", "status", "host", "placement", "region", "age_band", "sex", "as_of",
    "repatriated_on", "flow_from", "flow_to", "by", "bands", "uncertain_separate", "format",
    "inline", "next", "kind", "threshold", "title", "rounding_base",
]  # fmt: skip
HOSTILE = {
    "very long": "Saidova" * 15_000,  # over 100,000 characters
    "LIKE pattern": "%_" * 50_000,
    "first day": "0001-01-01",
    "last day": "9999-12-31",
    "huge number": "99999999999999999999999999",
    "control characters": "a\x00b\x1b[31m\u202e",
}
# What a parameter needs beside it to be read at all.
COMPANIONS = {"flow_from": {"flow": "repatriated", "flow_to": "2019-01-01"},
              "flow_to": {"flow": "repatriated", "flow_from": "2019-01-01"}}  # fmt: skip


def queries(read: set[str]) -> list[tuple[str, dict[str, Any]]]:
    alone = [
        (f"{name}={label}", {name: value, **COMPANIONS.get(name, {})})
        for name in PARAMETERS
        if name in read
        for label, value in HOSTILE.items()
    ]
    together = [(f"all={label}", dict.fromkeys(PARAMETERS, value)) for label, value in
                HOSTILE.items()]  # fmt: skip
    return [*alone, *together, ("flow over all time", {
        "flow": "repatriated", "flow_from": "0001-01-01", "flow_to": "9999-12-31"})]  # fmt: skip


@contextmanager
def keys_read() -> Iterator[set[str]]:
    """The names a page reads from its query (or form) while the block runs."""
    read: set[str] = set()
    get, getlist, getitem, lists = (
        MultiValueDict.get, MultiValueDict.getlist, MultiValueDict.__getitem__,
        MultiValueDict.lists,
    )  # fmt: skip

    def noted(method: Any) -> Any:
        def reading(self: MultiValueDict[str, Any], key: str, *args: Any) -> Any:
            read.add(key)
            return method(self, key, *args)

        return reading

    def all_lists(self: MultiValueDict[str, Any]) -> Any:
        read.update(self.keys())
        return lists(self)

    patches = {"get": noted(get), "getlist": noted(getlist), "__getitem__": noted(getitem),
               "lists": all_lists}  # fmt: skip
    for name, method in patches.items():
        setattr(MultiValueDict, name, method)
    try:
        yield read
    finally:
        for name, method in (("get", get), ("getlist", getlist), ("__getitem__", getitem),
                             ("lists", lists)):  # fmt: skip
            setattr(MultiValueDict, name, method)


def who_may(name: str, method: str) -> str:
    """A role the URL's rule lets use the method (an API endpoint's rule is per method)."""
    allowed = sorted(RULES[name].who_for(method) - {"anonymous"})
    return "caseworker" if "caseworker" in allowed else allowed[0]


def ask(client: Client, method: str, url: str, query: dict[str, Any]) -> Any:
    if method == "GET":
        return client.get(url, query)
    if method == "POST":
        return client.post(f"{url}?{urlencode(query, doseq=True)}", query)
    return client.generic(
        method, f"{url}?{urlencode(query, doseq=True)}", urlencode(query, doseq=True),
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("name", PROJECT_URLS)
def test_no_hostile_query_value_gives_a_server_error(
    name: str,
    world: dict[str, Any],  # noqa: F811  (the fixture imported above)
    settings: Any,
) -> None:
    settings.HOMEWARD_API_RATE_PER_MINUTE = 100_000  # a refusal for rate would hide the rest
    rule = RULES[name]
    failures = []
    for method in sorted(rule.methods):
        client = client_for(who_may(name, method), world)
        client.raise_request_exception = False
        with keys_read() as read:
            ask(client, method, url_for(name, world, "own"), dict.fromkeys(PARAMETERS, "1"))
        for label, query in queries(read):
            response = ask(client, method, url_for(name, world, "own"), query)
            if response.status_code >= 500:
                failures.append(f"{method} {label} -> {response.status_code}")
    assert failures == [], f"{name}: {failures}"


@pytest.mark.django_db
def test_a_search_too_long_and_a_day_out_of_range_are_refused_with_a_message(
    caseworker: Any,
) -> None:
    from django.urls import reverse

    from homeward.conftest import signed_in

    client = signed_in(caseworker)
    page = client.get(reverse("cases:list"), {"q": "Saidova" * 15_000})
    assert page.status_code == 200
    assert page.context["form"].errors["q"] == [
        "Ensure this value has at most 200 characters (it has 105000)."
    ]
    stats = client.get(
        reverse("statistics:page"),
        {"flow": "repatriated", "flow_from": "0001-01-01", "flow_to": "9999-12-31"},
    )
    errors = stats.context["form"].errors
    assert "from: give a day from 1900-01-01 to " in errors["flow_from"][0]
    assert "not 9999-12-31" in errors["flow_to"][0]
