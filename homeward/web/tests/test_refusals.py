"""One error tree: every refusal of a service derives from `homeward.refusals.Refusal`, and
pages and the API place a refusal by its attributes (`field`, `within`, `index`)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from dataclasses import replace

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

import homeward
from homeward.accounts.models import Agency
from homeward.accounts.roles import NotStaff
from homeward.api.keys import ApiKeyError
from homeward.cases.services import CaseError
from homeward.conftest import signed_in
from homeward.exports.choice import ExportRefused
from homeward.imports.services import ImportRefused
from homeward.missions.services import MissionError
from homeward.refusals import Refusal
from homeward.releases.services import ReleaseError
from homeward.statistics.services import StatsError
from homeward.tracing.models import TracingRequest
from homeward.tracing.services import SoughtInput, file_request
from homeward.tracing.tests.test_requests import form_data, grandmother_asks

# Django-free engines and helpers keep ValueErrors of their own; services turn them into
# refusals naming the field.
ENGINES = ("homeward.lib.", "homeward.matching.", "homeward.disclosure.")
# Exceptions of the apps that are not refusals of a rule, and why.
NOT_REFUSALS = {
    "homeward.audit.keys.AuditKeyError": "the machine's audit key is missing or unreadable",
    "homeward.operations.backup.BackupError": "a backup failed",
    "homeward.operations.restore.RestoreError": "a restore failed",
    "homeward.imports.reading.UnreadableFileError": "a reader's; the service refuses with it",
    "homeward.imports.values.FieldProblem": "a cell's; the row check reports it by column",
    "homeward.imports.committing.RowFailed": "carries a row's refusal out of a commit",
    "homeward.api.idempotency.Conflict": "an HTTP answer of the API (409), not a rule's",
}
SKIPPED = ("tests", "migrations", "conftest", "wsgi", "__main__")


def app_exceptions() -> dict[str, type[BaseException]]:
    """Every exception class defined in the apps' modules, by its dotted name."""
    found: dict[str, type[BaseException]] = {}
    for module_info in pkgutil.walk_packages(homeward.__path__, "homeward."):
        name = module_info.name
        if name.startswith(ENGINES) or any(part in SKIPPED for part in name.split(".")):
            continue
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == name
            ):
                found[f"{name}.{value.__qualname__}"] = value
    return found


def test_every_refusal_of_a_service_derives_from_the_one_base() -> None:
    for refusal in (MissionError, ImportRefused, ExportRefused, NotStaff):
        assert issubclass(refusal, CaseError)
    for refusal in (CaseError, ReleaseError, StatsError, ApiKeyError):
        assert issubclass(refusal, Refusal)
    outside = {name for name, cls in app_exceptions().items() if not issubclass(cls, Refusal)}
    assert outside <= set(NOT_REFUSALS), "a new exception: a refusal, or listed with why not"


def test_a_refusal_names_its_field_by_attributes_not_in_its_message() -> None:
    refusal = StatsError("The period ends before it starts (from is after to).")
    assert (refusal.field, refusal.within, refusal.index) == (None, None, None)
    assert str(refusal) == refusal.message


SECOND_PERSON_REFUSED = {
    "sought-1-names": "Ахмед Исаев",
    "sought-1-father_names": "Ma\u0433omed",  # a Cyrillic г among Latin letters
}


@pytest.mark.django_db
def test_a_refusal_of_the_second_person_sought_names_them_by_index(
    agency: Agency, caseworker: User
) -> None:
    data = grandmother_asks()
    second = SoughtInput(kind="child", father_names=["Ma\u0433omed"])
    data = replace(data, sought=[*data.sought, second])
    with pytest.raises(CaseError) as refused:
        file_request(data, agency=agency, by=caseworker)
    assert (refused.value.field, refused.value.within, refused.value.index) == (
        "father_names",
        "sought",
        1,
    )


@pytest.mark.django_db
def test_the_filing_page_marks_the_field_of_the_second_person_sought(caseworker: User) -> None:
    response = signed_in(caseworker).post(
        reverse("tracing:file"), form_data(**SECOND_PERSON_REFUSED)
    )
    assert response.status_code == 400
    first, second = response.context["sought"].forms[:2]
    assert not first.errors
    assert list(second.errors) == ["father_names"]
    assert "mixes letters" in second.errors["father_names"][0]
    assert not response.context["form"].errors and not response.context["sought_error"]
    assert not TracingRequest.objects.exists()
