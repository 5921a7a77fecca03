"""Every page of the access matrix's URL list, in Russian and in Arabic, as a role that may
open it: the page says its language (Arabic right to left) and no English is left on it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User

from homeward.accounts.models import StaffProfile
from homeward.web.tests.test_access_matrix import (  # noqa: F401  (world is a fixture)
    PROJECT_URLS,
    RULES,
    client_for,
    url_for,
    world,
)

# Latin words a Russian or Arabic page may show: names of things, codes, formats.
AS_THEY_ARE = {
    "Homeward", "English", "CSV", "XLSX", "JSON", "PDF", "API", "UTC", "IATA", "ISO", "SHA",
    "UUID", "Idempotency", "Key", "KoBoToolbox", "KoBo", "RU", "DA", "IQ", "SY", "BGW", "ZIA",
    "OWN", "OTH", "THR", "HW", "TR", "M", "TEST", "user", "caseworker", "supervisor", "analyst",
    "medical_officer", "mission_coordinator", "agency_admin", "system_admin", "other",
    "Own", "agency", "Other", "Third", "Excel",
    # The test world's own records: names of people, agencies, missions and files.
    "User", "Supervisor", "Caseworker", "Coordinator", "Analyst", "Admin", "System", "Agency",
    "Mission", "Matrix", "MATRIX", "Amina", "Isaeva", "Orphanage", "test", "Test", "doc", "txt",
    "csv", "source", "report", "standard",  # the age-band presets' names, typed as they are
}  # fmt: skip
# Pages that show what people wrote in another language: a file's first rows, a release
# document as it was prepared and approved.
SHOWS_RECORDS_AS_WRITTEN = {"imports:mapping", "releases:detail"}
HTML_PAGES = sorted(
    name
    for name in PROJECT_URLS
    if "GET" in RULES[name].methods
    and not name.startswith("api:")
    and name not in ("healthz", "logout", "set_language")
)
# Not read as text: scripts, styles, a form row's template, and codes shown as codes (the
# audit log's actions, a key's prefix).
SCRIPT_OR_STYLE = re.compile(r"<(script|style|template|code|datalist)\b.*?</\1>", re.S)
MARKUP = re.compile(r"<[^>]*>")


def visible_text(html: str) -> str:
    return MARKUP.sub(" ", SCRIPT_OR_STYLE.sub(" ", html))


def english_left(html: str) -> set[str]:
    words = set(re.findall(r"[A-Za-z][A-Za-z']+", visible_text(html)))
    return {w for w in words if w not in AS_THEY_ARE}


@pytest.mark.slow
@pytest.mark.parametrize("language", ["ru", "ar"])
@pytest.mark.parametrize("name", HTML_PAGES)
def test_each_page_in_russian_and_arabic(
    name: str,
    language: str,
    world: dict[str, Any],  # noqa: F811
) -> None:
    rule = RULES[name]
    who = "supervisor" if "supervisor" in rule.who else sorted(rule.who)[0]
    client = client_for(who, world)
    if who != "anonymous":
        user: User = world["users"][who]
        StaffProfile.objects.filter(user=user).update(language=language)
    else:
        client.cookies["django_language"] = language
    response = client.get(url_for(name, world, "own"))
    if response.status_code != 200 or "text/html" not in response["Content-Type"]:
        return
    html = response.content.decode()
    tag = re.search(r"<html[^>]*>", html)
    assert tag and f'lang="{language}"' in tag.group(0)
    assert ('dir="rtl"' in tag.group(0)) == (language == "ar")
    if name not in SHOWS_RECORDS_AS_WRITTEN:
        assert not english_left(html), f"{name} in {language}: {sorted(english_left(html))}"
