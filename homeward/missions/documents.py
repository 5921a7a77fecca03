"""The manifest as the day needs it: a printable PDF (WeasyPrint) and CSV or XLSX (openpyxl).

Names are given in their official forms: the Cyrillic spelling from the civil registry (or
the best Cyrillic source), and the Latin spelling as the passport prints it (the consular
record, or the ICAO transliteration of the Cyrillic name).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from homeward.lib.i18n import format_day
from homeward.lib.places import region_name
from homeward.lib.scripts import passport_latin
from homeward.missions import readiness
from homeward.missions.models import ManifestEntry, Mission, ReadinessItem
from homeward.people.models import NameSource, Person, PersonName, Script

CYRILLIC_SOURCES = [
    NameSource.CIVIL_REGISTRY, NameSource.CONSULAR, NameSource.FAMILY, NameSource.SELF,
    NameSource.NGO, NameSource.OTHER, NameSource.HOST_AUTHORITY,
]  # fmt: skip
LATIN_SOURCES = [NameSource.CONSULAR, NameSource.CIVIL_REGISTRY]

# Headers in the language of whoever produces the document.
COLUMNS = [
    ("seat", gettext_lazy("Seat")),
    ("reference", gettext_lazy("Case")),
    ("latin_name", gettext_lazy("Name (Latin, as in passport)")),
    ("cyrillic_name", gettext_lazy("Name (Cyrillic)")),
    ("sex", gettext_lazy("Sex")),
    ("birth", gettext_lazy("Date of birth or age")),
    ("escort", gettext_lazy("Escort")),
    ("receiving_region", gettext_lazy("Receiving region")),
    ("readiness", gettext_lazy("Readiness")),
]


def column_titles() -> list[str]:
    return [str(title) for _key, title in COLUMNS]


# A cell that begins with one of these is read as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: str) -> str:
    """Quote a cell that a spreadsheet would run as a formula (OWASP: CSV injection)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


@dataclass(frozen=True)
class ManifestRow:
    seat: str
    reference: str
    latin_name: str
    cyrillic_name: str
    sex: str
    birth: str
    escort: str
    receiving_region: str
    # "" when every checklist item is done; otherwise what is not, and who let the child
    # fly without it and why, so that an unready child never goes unflagged on paper.
    readiness: str = ""

    def values(self) -> list[str]:
        return [getattr(self, key) for key, _title in COLUMNS]


def _first(names: list[PersonName], script: str, sources: Sequence[str]) -> str:
    of_script = [n for n in names if n.script == script]
    for source in sources:
        for name in of_script:
            if name.source == source:
                return name.full_name
    return of_script[0].full_name if of_script else ""


def official_names(person: Person) -> tuple[str, str]:
    """(Latin as in the passport, Cyrillic) for the manifest."""
    names = list(person.names.all())
    cyrillic = _first(names, Script.CYRILLIC, CYRILLIC_SOURCES)
    consular_latin = _first(
        [n for n in names if n.source in LATIN_SOURCES], Script.LATIN, LATIN_SOURCES
    )
    if consular_latin:
        latin = consular_latin.upper()
    elif cyrillic:
        latin = passport_latin(cyrillic)
    else:
        latin = _first(names, Script.LATIN, []).upper()
    return latin, cyrillic


def birth_text(person: Person, on: object) -> str:
    birth = person.birth
    if birth.precision == "day":
        return birth.describe()
    ages = person.age_range_on(on)  # type: ignore[arg-type]
    if ages is None:
        return _("unknown")
    return _("aged %(ages)s (born %(birth)s)") % {"ages": ages, "birth": birth.describe()}


def manifest_rows(mission: Mission) -> list[ManifestRow]:
    entries = (
        mission.on_board()
        .select_related("case__child", "escort__user", "override_by")
        .prefetch_related("case__child__names")
        .order_by("seat", "id")
    )
    missing = readiness.missing_by_case(entry.case for entry in entries)
    return [_row(mission, entry, missing[entry.case_id]) for entry in entries]


def _row(mission: Mission, entry: ManifestEntry, missing: list[ReadinessItem]) -> ManifestRow:
    person = entry.case.child
    latin, cyrillic = official_names(person)
    return ManifestRow(
        seat=entry.seat,
        reference=entry.case.reference,
        latin_name=latin,
        cyrillic_name=cyrillic,
        sex=person.get_sex_display(),
        birth=birth_text(person, mission.departs_on),
        escort=str(entry.escort) if entry.escort else "",
        receiving_region=region_name(entry.receiving_region) if entry.receiving_region else "",
        readiness=readiness_text(entry, missing),
    )


def readiness_text(entry: ManifestEntry, missing: list[ReadinessItem]) -> str:
    """The checklist as the manifest states it (`missing`, its items not done): nothing
    when complete."""
    if not missing:
        return ""
    allowed = set(entry.override_items or [])
    flagged = [str(item.label) for item in missing if item.value not in allowed]
    waived = [str(item.label) for item in missing if item.value in allowed]
    parts = []
    if flagged:
        parts.append(_("NOT READY: not yet done: %(items)s") % {"items": ", ".join(flagged)})
    if waived:
        by = entry.override_by
        who = (by.get_full_name() or by.get_username()) if by is not None else "—"
        parts.append(
            _("flies without %(items)s, allowed by %(who)s: %(reason)s")
            % {"items": ", ".join(waived), "who": who, "reason": entry.override_reason}
        )
    return "; ".join(parts)


def manifest_csv(mission: Mission) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(column_titles())
    for row in manifest_rows(mission):
        writer.writerow([neutralised(v) for v in row.values()])
    return out.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def manifest_xlsx(mission: Mission) -> bytes:
    from openpyxl import Workbook  # imported here: only this export needs it

    book = Workbook(write_only=True)
    sheet = book.create_sheet(mission.code)
    sheet.append([f"{mission.code} {mission.route} {format_day(mission.departs_on)}"])
    sheet.append(column_titles())
    for row in manifest_rows(mission):
        sheet.append([neutralised(v) for v in row.values()])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def manifest_pdf(mission: Mission) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango is slow and only this needs it

    html = render_to_string(
        "missions/manifest_pdf.html",
        {
            "mission": mission,
            "rows": manifest_rows(mission),
            "escorts": mission.escorts.select_related("user"),
            "columns": column_titles(),
            "printed_at": timezone.localtime(),
        },
    )
    return bytes(HTML(string=html).write_pdf())
