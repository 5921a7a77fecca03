"""Exports of what the case list shows: its search and filters, the fields chosen or a
preset's, and the choice in the audit entry."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.models import Agency
from homeward.audit.models import AuditEntry
from homeward.audit.verification import verify_trail
from homeward.care.services import HandOverInput, hand_over
from homeward.cases.models import ChildCase, FacilityKind
from homeward.cases.services import NameInput, PlacementInput, RelativeInput, transition
from homeward.conftest import signed_in
from homeward.exports import services
from homeward.exports.models import Export
from homeward.exports.running import run_export
from homeward.exports.services import ExportChoice, ExportRefused
from homeward.health.services import ExaminationInput, record_examination
from homeward.lib.ages import BirthDate, BirthPrecision

pytestmark = pytest.mark.django_db

GRANDMOTHER = RelativeInput(
    "grandmother", [NameInput("Патимат Исаева", "family")], sex="f", status="alive",
    willing_to_take_custody="willing", home_assessment="suitable",
    home_assessed_on=date(2018, 11, 1), contact="+7 900 000 00 00",
)  # fmt: skip


def rows_of(export: Export) -> list[dict[str, str]]:
    with export.file.open("rb") as stored:
        text = stored.read().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def child(make_case: Callable[..., ChildCase], name: str, **overrides: Any) -> ChildCase:
    return make_case(names=[NameInput(name, "consular")], **overrides)


@pytest.fixture
def registry(make_case: Callable[..., ChildCase], caseworker: User) -> dict[str, ChildCase]:
    """Six children of one agency that differ in one filter each from the first."""
    camp = PlacementInput("SY", FacilityKind.CAMP, date(2018, 5, 2), "Al-Hol camp")
    older = BirthDate(BirthPrecision.YEAR, date(2004, 1, 1))
    cases = {
        "match": child(make_case, "Amina Isaeva", relatives=[GRANDMOTHER]),
        "also": child(make_case, "Zarema Isaeva"),
        "verified": child(make_case, "Khadizhat Aliyeva"),
        "chechnya": child(make_case, "Ali Omarov", home_region="RU-CE", sex="m"),
        "syria": child(make_case, "Safiya Kadieva", placement=camp),
        "older": child(make_case, "Madina Isaeva", birth=older),
        "later": child(make_case, "Aisha Isaeva", identified_on=date(2018, 9, 1)),
    }
    transition(cases["verified"], "verified", by=caseworker, effective_on=date(2018, 6, 1))
    return cases


# The filters a caseworker sets on the list: identified children from Dagestan in Iraqi
# state orphanages, girls aged 11 to 17 today (born in 2013, until 2030), identified in the
# first half of 2018.
FILTERS = {
    "status": "identified", "host": "IQ", "placement": "state_orphanage", "region": "RU-DA",
    "sex": "f", "age_band": "11-17", "identified_from": "2018-01-01",
    "identified_to": "2018-06-30",
}  # fmt: skip


def listed(client: Any, params: dict[str, str]) -> list[str]:
    page = client.get(reverse("cases:list"), params)
    return [case.reference for case in page.context["page"]]


def test_an_export_of_a_filtered_list_holds_exactly_its_cases_and_the_chosen_fields(
    registry: dict[str, ChildCase], caseworker: User
) -> None:
    shown = listed(signed_in(caseworker), FILTERS)
    assert sorted(shown) == sorted(registry[k].reference for k in ("match", "also"))
    choice = ExportChoice(FILTERS, columns=["reference", "name", "home_region"])
    export = services.request_export(caseworker, "children", "csv", choice=choice)
    rows = rows_of(export)
    assert [row["reference"] for row in rows] == sorted(shown)
    assert list(rows[0]) == ["reference", "name", "home_region"]
    assert export.filters == FILTERS and export.columns == ["reference", "name", "home_region"]


def test_the_search_and_the_agency_filter_apply_to_the_export_too(
    registry: dict[str, ChildCase], coordinator: User, make_case: Callable[..., ChildCase],
    other_agency: Agency,
) -> None:  # fmt: skip
    make_case(owner=other_agency, names=[NameInput("Amina Isaeva", "ngo")])
    params = {"q": "Amina Isaeva", "agency": str(registry["match"].agency_id)}
    assert listed(signed_in(coordinator), params) == [registry["match"].reference]
    choice = ExportChoice(params, columns=["reference", "agency"])
    rows = rows_of(services.request_export(coordinator, "children", "csv", choice=choice))
    assert rows == [{"reference": registry["match"].reference, "agency": "CONS"}]


def test_relatives_are_exported_for_the_filtered_cases_only(
    registry: dict[str, ChildCase], caseworker: User
) -> None:
    choice = ExportChoice({"q": "Amina"}, preset="receiving")
    rows = rows_of(services.request_export(caseworker, "relatives", "csv", choice=choice))
    assert [(r["case_reference"], r["relationship"]) for r in rows] == [
        (registry["match"].reference, "grandmother")
    ]
    assert "contact" not in rows[0] and rows[0]["home_assessment"] == "suitable"


def test_the_choice_is_in_the_audit_entry(registry: dict[str, ChildCase], caseworker: User) -> None:
    choice = ExportChoice({"region": "RU-DA", "sex": "f"}, preset="manifest")
    export = services.request_export(caseworker, "children", "xlsx", choice=choice)
    entry = AuditEntry.objects.get(action="export.requested", object_id=str(export.pk))
    assert {"filter.region", "filter.sex", "preset.manifest", "missing_for_mission"} <= set(
        entry.changed_fields
    )
    assert "RU-DA" not in entry.changed_fields  # names, never values
    exported = AuditEntry.objects.filter(action="case.exported").values_list("object_id")
    assert len(exported) == export.rows_total == 6  # all but the boy from Chechnya


def test_the_manifest_preset_says_what_is_missing_for_a_seat(
    make_ready_case: Callable[..., ChildCase], caseworker: User
) -> None:
    ready = make_ready_case()
    unready = make_ready_case(skip=("travel_document",), names=[NameInput("Second", "ngo")])
    choice = ExportChoice({"status": "cleared_to_leave"}, preset="manifest")
    rows = rows_of(services.request_export(caseworker, "children", "csv", choice=choice))
    missing = {row["reference"]: row["missing_for_mission"] for row in rows}
    assert missing == {ready.reference: "", unready.reference: "Travel document"}
    assert "facility_name" not in rows[0] and "mother_conviction" not in rows[0]


def test_the_follow_up_preset_lists_the_visits_due(
    arrived_case: ChildCase, medic: User, caseworker: User
) -> None:
    record_examination(arrived_case, ExaminationInput("Hospital", date(2018, 12, 31)), by=medic)
    grandmother = arrived_case.family.get(relationship="grandmother")
    data = HandOverInput(date(2019, 1, 20), "RU-DA", grandmother, town="Makhachkala")
    hand_over(arrived_case, data, by=caseworker)
    choice = ExportChoice({"visit_due_by": "2019-03-01"}, preset="follow_up")
    (row,) = rows_of(services.request_export(caseworker, "children", "csv", choice=choice))
    assert row["next_visit_due"] == "2019-02-20" and row["last_visit_on"] == ""
    assert row["handed_over_to"] == "Патимат Исаева (grandmother)"
    assert row["placed_in_region"] == "RU-DA" and "placed_in_town" not in row
    nothing_due = ExportChoice({"visit_due_by": "2019-02-19"}, preset="follow_up")
    assert (
        services.request_export(caseworker, "children", "csv", choice=nothing_due).rows_total == 0
    )


@pytest.mark.parametrize(
    ("choice", "field", "message"),
    [
        (ExportChoice(columns=["facility_name"]), "columns", "sensitive field"),
        (ExportChoice(columns=["shoe_size"]), "columns", "No such field: shoe_size"),
        (ExportChoice(preset="everything"), "preset", "Unknown preset"),
        (ExportChoice({"identified_from": "2019-13-01"}), "identified_from", "Identified from"),
        (ExportChoice({"identified_from": "2019-02-01", "identified_to": "2019-01-01"}),
         "identified_to", "ends before it starts"),
        (ExportChoice({"colour": "red"}), "filters", "Unknown filter: colour"),
    ],
)  # fmt: skip
def test_a_bad_choice_is_refused_naming_the_field(
    caseworker: User, choice: ExportChoice, field: str, message: str
) -> None:
    with pytest.raises(ExportRefused, match=message) as refused:
        services.request_export(caseworker, "children", "csv", choice=choice)
    assert refused.value.field == field
    assert not Export.objects.exists()


def test_a_restricted_field_is_refused_to_a_role_that_may_not_read_it(coordinator: User) -> None:
    with pytest.raises(ExportRefused, match="Mother's conviction is restricted"):
        services.request_export(
            coordinator, "children", "csv", choice=ExportChoice(columns=["mother_conviction"])
        )


def test_tracing_requests_are_not_filtered_by_the_case_list(caseworker: User) -> None:
    with pytest.raises(ExportRefused, match="not tracing requests") as refused:
        services.request_export(caseworker, "requests", "csv", choice=ExportChoice({"sex": "f"}))
    assert refused.value.field == "kind"


def test_from_the_list_to_the_file_on_the_pages(
    registry: dict[str, ChildCase], caseworker: User
) -> None:
    client = signed_in(caseworker)
    page = client.get(reverse("cases:list"), FILTERS).content.decode()
    start = page.index(reverse("exports:start") + "?kind=children")
    link = page[start : page.index('"', start)].replace("&amp;", "&")
    assert "region=RU-DA" in link and "kind=children" in link
    form = client.get(link + "&preset=manifest")
    html = form.content.decode()
    assert 'value="Dagestan, Respublika"' in html and "Manifest preparation" in html
    assert form.context["form"].initial["columns"][:2] == ["reference", "name"]
    response = client.post(
        reverse("exports:start"),
        FILTERS | {"kind": "children", "format": "csv", "columns": ["reference", "sex"],
                   "preset": "manifest"},
    )  # fmt: skip
    assert response.status_code == 302
    export = Export.objects.get()
    assert export.preset == "manifest" and export.columns == ["reference", "sex"]
    assert export.rows_total == 2 and export.filters == FILTERS
    refused = client.post(
        reverse("exports:start"),
        {"kind": "children", "format": "csv", "columns": ["facility_name"], "sex": "x"},
    )
    assert refused.status_code == 200 and "sex" in refused.context["filter_form"].errors


def test_the_list_filters_by_identification_dates_and_visits_due(
    registry: dict[str, ChildCase], caseworker: User
) -> None:
    client = signed_in(caseworker)
    assert listed(client, {"identified_from": "2018-08-01"}) == [registry["later"].reference]
    assert len(listed(client, {"identified_to": "2018-06-30"})) == 6
    assert listed(client, {"visit_due_by": "2030-01-01"}) == []


def raw_row(export: Export) -> str:
    """The export's row as the database holds it (a backup, a database reader)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT filters, search FROM exports_export WHERE id = %s", [export.pk])  # nosec B608
        return repr(cursor.fetchone())


@pytest.mark.parametrize("inline", [True, False], ids=["now", "in_the_background"])
def test_the_search_text_is_kept_encrypted_and_still_selects_the_rows(
    registry: dict[str, ChildCase], caseworker: User, monkeypatch: pytest.MonkeyPatch,
    inline: bool,
) -> None:  # fmt: skip
    if not inline:
        monkeypatch.setattr(services, "INLINE_MAX_ROWS", -1)
    choice = ExportChoice({"q": "Amina Isaeva", "sex": "f"}, columns=["reference"])
    export = services.request_export(caseworker, "children", "csv", choice=choice)
    assert "Amina" not in raw_row(export) and "sex" in raw_row(export)
    if not inline:
        run_export(export.pk)
    export = Export.objects.get(pk=export.pk)
    assert export.chosen_filters == {"q": "Amina Isaeva", "sex": "f"}
    assert [row["reference"] for row in rows_of(export)] == [registry["match"].reference]
    audited = AuditEntry.objects.filter(action__startswith="export.")
    assert {tuple(e.changed_fields) for e in audited} == {("filter.q", "filter.sex", "reference")}
    page = signed_in(caseworker).get(reverse("exports:start")).content.decode()
    assert "q=Amina Isaeva" in page  # the requester sees what they asked for
    assert verify_trail(write_anchor=False).broken is None


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_a_kept_search_text_into_the_encrypted_column(
    caseworker: User,
) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("exports", "0003_encrypted_file_bound_to_row")])
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO exports_export (requested_by_id, kind, format, include_sensitive,"
            " status, columns, filters, preset, rows_total, rows_done, file, error,"
            " requested_at) VALUES (%s, 'children', 'csv', %s, 'done', '[]',"
            " '{\"q\": \"Amina Isaeva\", \"sex\": \"f\"}', '', 0, 0, '', '', %s)",
            [caseworker.pk, False, timezone.now()],
        )
    call_command("migrate", "exports", verbosity=0)
    export = Export.objects.get()
    assert "Amina" not in raw_row(export)
    assert export.chosen_filters == {"q": "Amina Isaeva", "sex": "f"}
    executor = MigrationExecutor(connection)
    executor.migrate([("exports", "0003_encrypted_file_bound_to_row")])  # and back
    with connection.cursor() as cursor:
        cursor.execute("SELECT filters FROM exports_export")
        assert "Amina Isaeva" in cursor.fetchone()[0]
    call_command("migrate", verbosity=0)
