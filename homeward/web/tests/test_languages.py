"""English, Russian and Arabic: the catalogues are complete and current, no template text
escapes them, the browser's language is the default, a user's choice is kept, and pages,
dates, regions and relationship words are in the reader's language."""

from __future__ import annotations

import importlib
import pkgutil
import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import polib
import pytest
from django import forms
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from homeward.accounts.models import StaffProfile
from homeward.cases.models import ChildCase
from homeward.conftest import signed_in
from homeward.lib.ages import BirthPrecision, read_birth
from homeward.lib.places import find_region, region_name
from homeward.tracing.relationships import canonical

PACKAGE = Path(__file__).resolve().parents[2]
LOCALE = PACKAGE / "locale"
TRANSLATED = ("ru", "ar")


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


# --- the catalogues ----------------------------------------------------------------------


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(language: str) -> None:
    po = catalogue(language)
    missing = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert len(po) > 1000
    assert not missing, f"{len(missing)} {language} messages untranslated: {missing[:5]}"
    assert not fuzzy, f"{len(fuzzy)} {language} messages fuzzy: {fuzzy[:5]}"
    assert not po.obsolete_entries()


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalogues_are_the_kept_ones(language: str) -> None:
    """scripts/install compiles them; a stale .mo would serve old or missing texts."""
    po = catalogue(language)
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in mo}
    for entry in po.translated_entries():
        msgstr, plural = compiled.get((entry.msgctxt, entry.msgid), (None, None))
        assert (msgstr, plural) == (entry.msgstr, entry.msgstr_plural) or (
            plural == {i: s for i, s in entry.msgstr_plural.items()}
        ), f"{entry.msgid!r} compiled differently: run scripts/install"


@pytest.mark.slow
def test_every_marked_string_is_in_the_catalogues(tmp_path: Path, settings: Any) -> None:
    """makemessages run afresh over the code finds exactly the kept catalogues' messages:
    none new (marked but never translated) and none stale."""
    # makemessages writes every locale folder it finds under where it runs: it runs on a
    # copy of the package, so that the kept catalogues are never rewritten by a test.
    copy = tmp_path / PACKAGE.name
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("*.mo", "__pycache__"))
    fresh = copy / "locale"
    settings.LOCALE_PATHS = [fresh]
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        call_command(
            "makemessages",
            locale=list(TRANSLATED),
            ignore_patterns=[
                ".venv/*",
                "bench/*",
                "*/tests/*",
                "conftest.py",
                "*.egg-info/*",
                "build/*",
            ],
            no_obsolete=True,
            verbosity=0,
        )
    for language in TRANSLATED:
        kept = {(e.msgctxt, e.msgid) for e in catalogue(language)}
        found = {
            (e.msgctxt, e.msgid)
            for e in polib.pofile(str(fresh / language / "LC_MESSAGES" / "django.po"))
        }
        assert not found - kept, f"marked but not in the {language} catalogue: run makemessages"
        assert not kept - found, f"in the {language} catalogue but no longer marked"


# Words a template may show as they are: the product's name and file formats.
AS_THEY_ARE = {"Homeward", "CSV", "XLSX", "JSON", "PDF", "hwk_"}
UNTRANSLATED_PARTS = re.compile(
    r"{%\s*blocktranslate\b.*?{%\s*endblocktranslate\s*%}|{%\s*comment\s*%}.*?"
    r"{%\s*endcomment\s*%}|<script\b.*?</script>|<style\b.*?</style>|{#.*?#}",
    re.S,
)
TEMPLATE_CODE = re.compile(r"{%.*?%}|{{.*?}}", re.S)
SHOWN_ATTRIBUTES = re.compile(r'\b(title|placeholder|aria-label|alt)="([^"]*)"')
MARKUP = re.compile(r"<[^>]*>", re.S)
WORD = re.compile(r"[A-Za-z][A-Za-z_']+")


def unmarked_words(template: str) -> set[str]:
    """English words a template shows outside {% translate %} and {% blocktranslate %}."""
    text = UNTRANSLATED_PARTS.sub(" ", template)
    words = {
        word
        for _, value in SHOWN_ATTRIBUTES.findall(text)
        for word in WORD.findall(TEMPLATE_CODE.sub(" ", value))
    }
    words |= set(WORD.findall(MARKUP.sub(" ", TEMPLATE_CODE.sub(" ", text))))
    return words - AS_THEY_ARE


def test_the_template_scan_finds_an_unmarked_sentence() -> None:
    assert unmarked_words('<p title="Close it">{% translate "Done" %} Not yet</p>') == {
        "Close",
        "it",
        "Not",
        "yet",
    }


def test_no_template_shows_text_outside_the_catalogues() -> None:
    unmarked = {
        str(path.relative_to(PACKAGE)): words
        for path in sorted(PACKAGE.glob("**/templates/**/*.html"))
        if (words := unmarked_words(path.read_text()))
    }
    assert not unmarked


def form_classes() -> Iterator[type[forms.BaseForm]]:
    """Every form class of Homeward's (the modules that define forms imported first)."""
    for module in pkgutil.walk_packages([str(PACKAGE)], "homeward."):
        if module.name.endswith(("forms", "views", "widgets")) and ".tests" not in module.name:
            importlib.import_module(module.name)
    pending = list(forms.BaseForm.__subclasses__())
    while pending:
        form = pending.pop()
        pending += form.__subclasses__()
        if form.__module__.startswith("homeward."):
            yield form


def test_every_form_field_has_a_label_of_its_own() -> None:
    """A field without one is labelled with its English name ("Departs on") in every
    language."""
    unlabelled = sorted(
        f"{form.__module__}.{form.__name__}.{name}"
        for form in form_classes()
        for name, field in form.base_fields.items()
        if field.label is None and not field.widget.is_hidden
    )
    assert not unlabelled


# --- the language of a page ------------------------------------------------------------


def html_tag(response: Any) -> str:
    found = re.search(r"<html[^>]*>", response.content.decode())
    assert found
    return found.group(0)


@pytest.mark.django_db
def test_the_browser_language_is_the_default(caseworker: User) -> None:
    client = signed_in(caseworker)
    russian = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9,en;q=0.5")
    assert 'lang="ru"' in html_tag(russian) and 'dir="ltr"' in html_tag(russian)
    assert "Зарегистрировать ребёнка" in russian.content.decode()
    arabic = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ar-IQ,ar;q=0.9")
    assert 'lang="ar"' in html_tag(arabic) and 'dir="rtl"' in html_tag(arabic)
    assert "تسجيل طفل" in arabic.content.decode()
    english = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="de-DE")
    assert 'lang="en"' in html_tag(english) and "Register a child" in english.content.decode()


@pytest.mark.django_db
def test_the_switch_keeps_the_choice_on_the_users_profile(caseworker: User) -> None:
    client = signed_in(caseworker)
    client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    assert StaffProfile.objects.get(user=caseworker).language == "ar"
    # Another browser, asking for English, with no cookie: the profile's choice wins.
    elsewhere = signed_in(caseworker)
    page = elsewhere.get(reverse("cases:list"), HTTP_ACCEPT_LANGUAGE="en")
    assert 'dir="rtl"' in html_tag(page) and "الحالات" in page.content.decode()


@pytest.mark.django_db
def test_the_switch_works_before_signing_in() -> None:
    client = Client()
    client.post(reverse("set_language"), {"language": "ru", "next": "/sign-in/"})
    page = client.get("/sign-in/")
    assert 'lang="ru"' in html_tag(page) and "Войти" in page.content.decode()


# English titles of the main pages: none may be left on a Russian or Arabic page.
ENGLISH_TITLES = [
    "Register a child",
    "Cases assigned to me",
    "What needs you today",
    "Tracing requests",
    "File a tracing request",
    "Missions in preparation",
    "Export records",
    "Import records",
    "Public releases",
    "Statistics",
    "Possible duplicates",
    "Identity",
    "Family",
    "Timeline",
]


@pytest.mark.django_db
@pytest.mark.parametrize("language", TRANSLATED)
def test_pages_in_russian_and_arabic_show_no_english_title(
    language: str, supervisor: User, make_case: Any
) -> None:
    case = make_case()
    client = signed_in(supervisor)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    urls = [
        reverse("home"),
        reverse("cases:list"),
        reverse("cases:register"),
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:edit_identity", args=[case.pk]),
        reverse("tracing:list"),
        reverse("tracing:file"),
        reverse("missions:list"),
        reverse("exports:start"),
        reverse("imports:start"),
        reverse("statistics:page"),
        reverse("releases:list"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = MARKUP.sub(" ", response.content.decode())
        left = [title for title in ENGLISH_TITLES if re.search(rf"\b{title}\b", text)]
        assert not left, f"{url} in {language} still says {left}"
        assert f'lang="{language}"' in html_tag(response)
        assert ('dir="rtl"' in html_tag(response)) == (language == "ar")


# --- dates, regions and relationship words as people write them --------------------------


@pytest.mark.parametrize(
    ("typed", "precision", "value"),
    [
        ("15.03.2014", BirthPrecision.DAY, date(2014, 3, 15)),
        ("15/03/2014", BirthPrecision.DAY, date(2014, 3, 15)),
        ("١٥/٠٣/٢٠١٤", BirthPrecision.DAY, date(2014, 3, 15)),
        ("2014-03-15", BirthPrecision.DAY, date(2014, 3, 15)),
        ("март 2014", BirthPrecision.MONTH, date(2014, 3, 1)),
        ("марта 2014 г.", BirthPrecision.MONTH, date(2014, 3, 1)),
        ("March 2014", BirthPrecision.MONTH, date(2014, 3, 1)),
        ("آذار 2014", BirthPrecision.MONTH, date(2014, 3, 1)),
        ("كانون الثاني 2014", BirthPrecision.MONTH, date(2014, 1, 1)),
        ("03.2014", BirthPrecision.MONTH, date(2014, 3, 1)),
        ("2014", BirthPrecision.YEAR, date(2014, 1, 1)),
        ("2014 г.", BirthPrecision.YEAR, date(2014, 1, 1)),
    ],
)
def test_a_date_of_birth_is_read_as_people_write_it(
    typed: str, precision: BirthPrecision, value: date
) -> None:
    birth = read_birth(typed)
    assert (birth.precision, birth.value) == (precision, value)


@pytest.mark.parametrize(
    "typed", ["около 6 лет", "примерно 6", "about 6", "6 years", "حوالي 6 سنوات", "~6"]
)
def test_an_age_said_alone_is_estimated_on_the_day_given(typed: str) -> None:
    birth = read_birth(typed, date(2019, 3, 1))
    assert birth.precision == BirthPrecision.ESTIMATE
    assert (birth.estimated_age, birth.estimated_on) == (6, date(2019, 3, 1))


@pytest.mark.parametrize(
    ("typed", "code"),
    [("Дагестан", "RU-DA"), ("Республика Дагестан", "RU-DA"), ("Чечня", "RU-CE"),
     ("Чеченская Республика", "RU-CE"), ("داغستان", "RU-DA"), ("Dagestan", "RU-DA"),
     ("RU-DA", "RU-DA")],
)  # fmt: skip
def test_a_region_is_chosen_by_its_name_in_any_language(typed: str, code: str) -> None:
    assert find_region(typed) == code


def test_a_region_is_named_in_the_readers_language() -> None:
    with translation.override("ru"):
        assert "Дагестан" in region_name("RU-DA")
    with translation.override("ar"):
        assert "داغستان" in region_name("RU-DA")


@pytest.mark.parametrize(
    ("said", "meant"),
    [("бабушка", "grandmother"), ("Бабушка", "grandmother"), ("الجدة", "grandmother"),
     ("جدة", "grandmother"), ("grandmother", "grandmother"), ("дядя", "uncle"),
     ("мать", "mother"), ("الأم", "mother")],
)  # fmt: skip
def test_relationship_words_are_understood_in_each_language(said: str, meant: str) -> None:
    assert canonical(said) == meant


# --- a form filled in Russian ----------------------------------------------------------


def register_in_russian(client: Client, birth: str, identified_on: str) -> ChildCase:
    client.post(reverse("set_language"), {"language": "ru", "next": "/"})
    form = {
        "names-TOTAL_FORMS": "1",
        "names-INITIAL_FORMS": "0",
        "names-0-full_name": "Амина Исаева",
        "names-0-source": "consular",
        "sex": "f",
        "birth_known": birth,
        "nationality": "RU",
        "home_region": "Дагестан",
        "identified_on": identified_on,
        "country": "IQ",
        "facility_kind": "camp",
        "mother_status": "unknown",
        "father_status": "unknown",
    }
    response = client.post(reverse("cases:register"), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    return ChildCase.objects.get()


@pytest.mark.django_db
def test_a_child_registered_in_russian_keeps_the_dates_typed(caseworker: User) -> None:
    client = signed_in(caseworker)
    case = register_in_russian(client, "15.03.2014", "01.04.2018")
    assert case.home_region == "RU-DA"
    assert case.child.birth.value == date(2014, 3, 15)
    edit = client.get(reverse("cases:edit_identity", args=[case.pk])).content.decode()
    assert 'value="15.03.2014"' in edit and "Дагестан" in edit


@pytest.mark.django_db
def test_an_age_typed_in_russian_is_estimated_on_the_day_identified(caseworker: User) -> None:
    case = register_in_russian(signed_in(caseworker), "около 6 лет", "01.04.2018")
    birth = case.child.birth
    assert birth.precision == BirthPrecision.ESTIMATE
    assert (birth.estimated_age, birth.estimated_on) == (6, date(2018, 4, 1))
