"""The stylesheets are ready for right to left: logical properties only (margin-inline-start,
text-align: start...), so that <html dir="rtl"> mirrors every page and the manifest PDF with
no second stylesheet; and no template styles an element in place, which the
Content-Security-Policy would silently refuse."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]
STYLESHEET = PACKAGE / "static" / "homeward" / "homeward.css"
MANIFEST = PACKAGE / "missions" / "templates" / "missions" / "manifest_pdf.html"
# A property or value that names a side of the screen rather than of the text.
PHYSICAL = re.compile(
    r"(?<![\w@-])(?:margin|padding|border|inset|scroll-margin|scroll-padding)-(?:left|right)\b"
    r"|(?<![\w@-])(?:left|right)\s*:"
    r"|\b(?:text-align|float|clear)\s*:\s*(?:left|right)\b"
    r"|border-(?:top|bottom)-(?:left|right)-radius",
)


def physical_rules(css: str) -> list[str]:
    return [line.strip() for line in css.splitlines() if PHYSICAL.search(line)]


def test_the_web_stylesheet_names_no_side_of_the_screen() -> None:
    assert physical_rules(STYLESHEET.read_text()) == []


def test_the_manifest_pdf_names_no_side_of_the_screen() -> None:
    style = re.search(r"<style>(.*?)</style>", MANIFEST.read_text(), re.S)
    assert style is not None
    # A page's margin boxes (@bottom-left) have only physical names; the template picks
    # them by the language's direction.
    assert physical_rules(style.group(1)) == []


@pytest.mark.parametrize(
    "css",
    [
        "a { margin-left: 1rem; }",
        "th { text-align: right; }",
        "b { left: 0; }",
        "i { float: left }",
    ],
)
def test_the_check_finds_a_physical_property(css: str) -> None:
    assert physical_rules(css) == [css]


def test_no_page_template_styles_an_element_in_place() -> None:
    templates = [p for p in PACKAGE.rglob("templates/**/*.html") if p != MANIFEST]
    styled = [str(p.relative_to(PACKAGE)) for p in templates if " style=" in p.read_text()]
    assert styled == []
