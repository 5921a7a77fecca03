"""Schemathesis against the live schema: every operation, positive and negative examples.

Fails on any 5xx, any answer that does not match the schema (body, status, content type,
headers), and any 2xx to a request the schema forbids (negative data rejection). A bounded
number of examples per operation and mode keeps it in the suite; `bench/bench_api_fuzz.py`
runs the same checks far longer against a served app.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

from homeward.accounts.models import Agency
from homeward.api.tests.helpers import make_key

EXAMPLES = 10
SCHEMA_URL = "/api/v1/schema/?format=json"


def fuzz_config() -> SchemathesisConfig:
    """Every check but one: valid-looking data may still be refused, by a rule the schema
    cannot state (a date of birth in the future, a status the flow does not allow), with
    400 or 422; that is the API working, not failing."""
    return SchemathesisConfig.from_dict(
        {
            "generation": {"with-security-parameters": False},
            "checks": {"enabled": True, "positive_data_acceptance": {"enabled": False}},
        }
    )


def operations() -> list[tuple[str, str, bool]]:
    """Every (path, method) of the schema as generated when the tests are collected, and
    whether it takes any input (without, there is nothing to send that it forbids)."""
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    return sorted(
        (path, method.upper(), bool(op.get("parameters") or op.get("requestBody")))
        for path, item in paths.items()
        for method, op in item.items()
    )


OPERATIONS = operations()
CASES = [
    (path, method, mode)
    for path, method, takes_input in OPERATIONS
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if takes_input or mode == GenerationMode.POSITIVE
]


def test_the_live_schema_has_the_operations_the_fuzzing_covers(db: None, wsgi_app: Any) -> None:
    live = schemathesis.openapi.from_wsgi(SCHEMA_URL, wsgi_app)
    found = sorted((op.ok().path, op.ok().method.upper()) for op in live.get_all_operations())
    assert found == [(path, method) for path, method, _ in OPERATIONS]


@pytest.fixture
def wsgi_app() -> Iterator[Any]:
    """The project's WSGI application, called in this test's transaction: as Django's own
    test client does, the end of a request must not close the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def fuzzing(
    db: None, settings: Any, agency: Agency, make_case: Any, wsgi_app: Any
) -> tuple[Any, str]:
    """The live schema, and a supervisor's key: a supervisor sees and changes everything
    of the agency, so most requests get past the door and reach the services."""
    settings.HOMEWARD_API_RATE_PER_MINUTE = 1_000_000
    make_case()
    live = schemathesis.openapi.from_wsgi(SCHEMA_URL, wsgi_app, config=fuzz_config())
    return live, make_key(agency, "supervisor")


@pytest.mark.slow
@pytest.mark.parametrize(("path", "method", "mode"), CASES)
def test_each_operation_holds_to_its_schema(
    path: str, method: str, mode: GenerationMode, fuzzing: tuple[Any, str]
) -> None:
    live, key = fuzzing
    operation = live[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def holds(case: Any) -> None:
        case.call_and_validate(headers={"Authorization": f"Bearer {key}"})

    holds()
