"""Every page on any screen, in every interface language: each page of the access matrix's
URL list, in a real Chromium at a laptop's width (1366 px) and a phone's (390 px), fits the
window (no sideways scroll), isolates every person's name by its own direction (<bdi> or
dir="auto") and has no critical or serious axe-core finding.

One test per language: one world (the access matrix's), the session's browser, one page per
role, so a language costs one sign-in per role and one visit per page and width. A language
is one line of LANGUAGES; a right-to-left one is checked for `dir="rtl"`, and any but English
for the English page titles of ENGLISH_PROBES. The sweep runs in the SQLite suite only:
layout and markup do not depend on the database, and CI has half an hour.

Every finding and the screenshots of the main pages are written to test-artifacts/screens/.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from playwright.sync_api import expect

from homeward.conftest import ARTIFACTS, child_input, sign_in
from homeward.web.tests.test_access_matrix import (
    OTHER_CHILD,
    REFERRED_CHILD,
    RULES,
    build_world,
    url_for,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="layout: once, in the SQLite suite"),
]


@dataclass(frozen=True)
class Language:
    code: str
    rtl: bool = False

    def __str__(self) -> str:
        return self.code


LANGUAGES = [Language("en"), Language("ru"), Language("ar", rtl=True)]
# Titles that must not be left in English on a page in another language.
ENGLISH_PROBES = [
    "Register a child", "Cases", "Tracing requests", "Missions", "Statistics",
    "What needs you today", "Identity", "Family", "Timeline", "Manifest", "Sign out",
]  # fmt: skip
WIDTHS = {"desktop": (1366, 768), "phone": (390, 844)}
SCREENSHOTS = {
    "home": "dashboard",
    "cases:detail": "case",
    "cases:register": "registration",
    "tracing:detail": "tracing-request",
    "missions:detail": "mission",
}
BLOCKING = ("critical", "serious")
PHONE_MAX = 768  # px: below, the menu folds and forms are one column
# The fields of one form that stand side by side (but in a table that scrolls sideways).
SIDE_BY_SIDE = """() => {
  const skipped = ["hidden", "checkbox", "radio", "submit", "button"];
  const fields = [...document.querySelectorAll("main form :is(input, select, textarea)")]
    .filter((f) => !skipped.includes(f.type) && f.checkVisibility())
    .filter((f) => !f.closest(".table-scroll:not(:has(table.names))"));
  const pairs = [];
  fields.forEach((a, i) => fields.slice(i + 1).forEach((b) => {
    const [r, q] = [a.getBoundingClientRect(), b.getBoundingClientRect()];
    const beside = r.top < q.bottom && q.top < r.bottom;
    if (a.form === b.form && beside) pairs.push(`${a.name}|${b.name}`);
  }));
  return pairs;
}"""
# The people of the access matrix's world, in their three scripts.
PEOPLE = [name.full_name for name in child_input().names] + [
    OTHER_CHILD,
    REFERRED_CHILD,
    "Мать Тест",
]
# Text naming a person outside an element isolating its direction (<bdi>, dir="auto"): in a
# page of the other direction, "(grandmother) فاطمة الحسن" would lay out in the wrong order.
BARE_NAMES = """(people) => {
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const bare = [];
  for (let text = texts.nextNode(); text; text = texts.nextNode()) {
    const element = text.parentElement;
    if (element.closest("bdi, [dir]:not(html), option, textarea, script")) continue;
    if (people.some((name) => text.data.includes(name))) {
      bare.push(`<${element.tagName.toLowerCase()}> ${text.data.trim().slice(0, 60)}`);
    }
  }
  return bare;
}"""
NEXT_FRAME = "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
# Pages seen signed out; every other page by a supervisor, or by the role the matrix lets in.
SIGNED_OUT = {"login"}
# Swagger UI's page for partners' developers: its markup, colours and words are the
# library's, so only its width is checked.
NOT_OURS = {"api:docs"}
VIEWER_ORDER = ["supervisor", "mission_coordinator", "caseworker", "analyst", "medical_officer"]


def pages_to_sweep() -> list[str]:
    """The access matrix's URLs that answer GET: the pages, and the files and the API's
    answers (skipped later)."""
    return sorted(name for name, rule in RULES.items() if "GET" in rule.methods)


def viewer(name: str) -> str:
    """A supervisor, or else a role the matrix lets see the page."""
    if name in SIGNED_OUT:
        return "anonymous"
    allowed = RULES[name].who_for("GET") - {"anonymous"}
    preferred = [role for role in VIEWER_ORDER if role in allowed]
    return (preferred or sorted(allowed))[0]


@dataclass
class Sweep:
    language: Language
    folder: Any
    failures: list[str] = field(default_factory=list)
    findings: Counter[str] = field(default_factory=Counter)
    by_impact: Counter[str] = field(default_factory=Counter)
    pages: int = 0

    def fail(self, where: str, what: str) -> None:
        self.failures.append(f"{where}: {what}")


@pytest.fixture
def pages_by_role(browser: Any, live_server: Any) -> Iterator[Any]:
    """A page signed in per role (made on first use) in the language asked for."""
    contexts: list[Any] = []
    made: dict[tuple[str, str], Any] = {}

    def page_for(role: str, language: Language) -> Any:
        if (role, language.code) not in made:
            context = browser.new_context(base_url=live_server.url, locale=language.code)
            context.add_cookies([language_cookie(language, live_server.url)])
            context.set_default_timeout(15_000)
            contexts.append(context)
            page = context.new_page()
            if role != "anonymous":
                sign_in(page, f"user_{role}")
            made[role, language.code] = page
        return made[role, language.code]

    yield page_for
    for context in contexts:
        context.close()


def language_cookie(language: Language, url: str) -> dict[str, Any]:
    return {"name": settings.LANGUAGE_COOKIE_NAME, "value": language.code, "url": url}


@pytest.mark.parametrize("language", LANGUAGES, ids=str)
def test_every_page_fits_a_phone_and_a_laptop_and_passes_axe(
    language: Language, pages_by_role: Any
) -> None:
    world = build_world()
    sweep = Sweep(language, ARTIFACTS / "screens" / language.code)
    sweep.folder.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    for name in pages_to_sweep():
        who = viewer(name)
        page = pages_by_role(who, language)
        url = url_for(name, world, "own")
        if not is_a_page(page, url):
            continue
        for width_name, (width, height) in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": height})
            page.goto(url)
            check_page(page, sweep, name, f"{name} as {who} at {width} px")
            if name in SCREENSHOTS:
                shot = sweep.folder / f"{SCREENSHOTS[name]}-{width_name}.png"
                page.screenshot(path=str(shot), full_page=True)
    write_summary(sweep, time.monotonic() - started)
    assert sweep.failures == [], "\n".join(sweep.failures)


def is_a_page(page: Any, url: str) -> bool:
    """An HTML page, not a download or a JSON answer (the browser would not show it)."""
    response = page.request.get(url, max_redirects=0)
    return response.headers.get("content-type", "").startswith("text/html")


def check_page(page: Any, sweep: Sweep, name: str, where: str) -> None:
    """Fits the window; then, on our own pages: the language's direction, each name isolated
    by its own, one column on a phone, no English left in another language, and no blocking
    axe-core finding."""
    sweep.pages += 1
    page.evaluate(NEXT_FRAME)  # the layout script's resize observers have run
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    if scroll_width > inner_width:
        sweep.fail(where, f"{scroll_width} px wide in a window of {inner_width} px")
    if name in NOT_OURS:
        return
    direction = page.evaluate("document.documentElement.dir || 'ltr'")
    if direction != ("rtl" if sweep.language.rtl else "ltr"):
        sweep.fail(where, f'<html dir="{direction}">')
    if bare := page.evaluate(BARE_NAMES, PEOPLE):
        sweep.fail(where, f"names not isolated by direction: {bare}")
    if page.viewport_size["width"] < PHONE_MAX and (pairs := page.evaluate(SIDE_BY_SIDE)):
        sweep.fail(where, f"fields side by side on a phone: {pairs}")
    if sweep.language.code != "en":
        text = page.locator("body").inner_text()
        sweep.failures += [f"{where}: English left: {p!r}" for p in ENGLISH_PROBES if p in text]
    check_axe(page, sweep, where)


def check_axe(page: Any, sweep: Sweep, where: str) -> None:
    for violation in axe_violations(page):
        impact = violation["impact"] or "minor"
        sweep.by_impact[impact] += len(violation["nodes"])
        sweep.findings[f"{violation['id']} ({impact})"] += len(violation["nodes"])
        if impact in BLOCKING:
            targets = [", ".join(n["target"]) for n in violation["nodes"][:3]]
            sweep.fail(where, f"axe {violation['id']} ({impact}): {violation['help']} {targets}")


def axe_violations(page: Any, within: str | None = None) -> list[dict[str, Any]]:
    """axe-core's findings on the page (or the part `within` selects), every rule run."""
    from axe_playwright_python.sync_playwright import Axe

    return list(Axe().run(page, context=within).response["violations"])


def write_summary(sweep: Sweep, seconds: float) -> None:
    summary = {
        "language": sweep.language.code,
        "pages_checked": sweep.pages,
        "seconds": round(seconds, 1),
        "axe_nodes_by_impact": dict(sweep.by_impact),
        "axe_nodes_by_rule": dict(sweep.findings.most_common()),
        "failures": sweep.failures,
    }
    path = sweep.folder / "summary.json"
    path.write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    print(f"{path}: {sweep.pages} page views in {seconds:.0f} s, {dict(sweep.by_impact)}")


# --- the header's menu, the skip link and the mirrored layout, on their own -------------

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


# How far a column heading's text stands from its cell's right edge.
HEADING_GAP_AT_THE_RIGHT = """() => {
  const heading = document.querySelector("table.names th");
  const text = document.createRange();
  text.selectNodeContents(heading);
  return heading.getBoundingClientRect().right - text.getBoundingClientRect().right;
}"""


def main_menu(page: Any) -> Any:
    return page.get_by_role("navigation", name="Main")


def test_on_a_phone_the_menu_folds_behind_a_button(page: Any, supervisor: Any) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, "supervisor")
    button = page.get_by_role("button", name="Menu")
    statistics = main_menu(page).get_by_role("link", name="Statistics")
    assert button.get_attribute("aria-expanded") == "false"
    assert not statistics.is_visible()

    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert statistics.is_visible()
    header = axe_violations(page, within="header.top")
    assert [v["id"] for v in header if v["impact"] in BLOCKING] == []  # readable, contrast too

    page.keyboard.press("Escape")
    assert not statistics.is_visible()
    assert page.evaluate("document.activeElement.className") == "menu-button"
    page.set_viewport_size(LAPTOP)
    assert statistics.is_visible() and not button.is_visible()


def test_without_javascript_every_link_shows_and_the_page_fits_a_phone(
    browser: Any, live_server: Any, supervisor: Any
) -> None:
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, java_script_enabled=False
    )
    try:
        page = context.new_page()
        sign_in(page, "supervisor")
        assert main_menu(page).get_by_role("link", name="Statistics").is_visible()
        assert not page.get_by_role("button", name="Menu").is_visible()
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], width
    finally:
        context.close()


def test_the_skip_link_is_the_first_stop_and_leads_to_the_main_content(
    page: Any, supervisor: Any
) -> None:
    sign_in(page, "supervisor")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("link => link === document.activeElement")
    assert skip.is_visible() and skip.bounding_box()["y"] >= 0
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))  # the jump may land after the key returns
    page.keyboard.press("Tab")  # the next stop is in the page's content, past the header
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_right_to_left_mirrors_the_layout_with_the_same_stylesheet(
    page: Any, supervisor: Any
) -> None:
    sign_in(page, "supervisor")
    page.set_viewport_size(LAPTOP)
    page.evaluate("document.documentElement.dir = 'rtl'")
    brand = page.locator("header .brand").bounding_box()
    who = page.locator("header .who").bounding_box()
    assert brand["x"] > LAPTOP["width"] / 2 > who["x"]  # the brand starts on the right
    page.goto("/cases/register/")
    page.evaluate("document.documentElement.dir = 'rtl'")
    name = page.locator("#id_names-0-full_name").bounding_box()
    source = page.locator("#id_names-0-source").bounding_box()
    assert name["x"] > source["x"]  # the table's first column is on the right
    assert page.evaluate(HEADING_GAP_AT_THE_RIGHT) < 15  # and its heading starts there
    page.set_viewport_size(PHONE)
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width
