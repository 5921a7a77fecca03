"""Schemathesis at length against a served Homeward: every operation of the live schema,
positive and negative examples, every check but positive-data acceptance (see
homeward/api/tests/test_fuzzing.py for why), counted case by case.

    .venv/bin/python bench/bench_api_fuzz.py          # 200 examples per operation and mode
    .venv/bin/python bench/bench_api_fuzz.py --examples 40 --seed 2

The demo scenario is loaded into a throwaway data folder and served by `homeward serve` on
127.0.0.1; requests carry a supervisor's key of national scope, so most of them get past
the door. Operations on a record are also tried with ids of real records (a quarter of the
positive examples), so the services' refusals and successes are reached, not only 404s.
Prints each operation's cases and failures, then one line: operations, cases, failures.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["HOMEWARD_DATA_DIR"] = tempfile.mkdtemp(prefix="homeward-fuzz-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
os.environ["HOMEWARD_DEMO_MODE"] = "true"

import django

django.setup()

import requests  # noqa: E402
import schemathesis  # noqa: E402
from api_server import make_key, served  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.config import SchemathesisConfig  # noqa: E402
from schemathesis.core.failures import FailureGroup  # noqa: E402

from homeward.cases.models import ChildCase  # noqa: E402
from homeward.imports.models import ImportBatch  # noqa: E402
from homeward.missions.models import Mission  # noqa: E402
from homeward.tracing.models import MatchCandidate, TracingRequest  # noqa: E402

CONFIG = {
    "generation": {"with-security-parameters": False},
    "checks": {"enabled": True, "positive_data_acceptance": {"enabled": False}},
}


def real_ids() -> dict[str, list[int]]:
    """Ids of records the demo has, by the path parameter that names them."""

    def first(model: Any, n: int = 5) -> list[int]:
        return list(model.objects.order_by("pk").values_list("pk", flat=True)[:n])

    return {
        "cases": first(ChildCase),
        "tracing-requests": first(TracingRequest),
        "missions": first(Mission),
        "imports": first(ImportBatch),
        "tracing-candidates": first(MatchCandidate),
    }


def fuzz(
    operation: Any,
    mode: GenerationMode,
    examples: int,
    seed: int,
    session: Any,
    base: str,
    key: str,
    path_parameters: dict[str, int] | None,
) -> tuple[int, list[str]]:
    counted = {"cases": 0}
    failures: list[str] = []
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)

    @given(case=strategy)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        counted["cases"] += 1
        try:
            case.call_and_validate(
                base_url=base, session=session, headers={"Authorization": f"Bearer {key}"}
            )
        except (Exception, FailureGroup) as error:  # counted, kept, and the run goes on
            failures.append(f"{error.__class__.__name__}: {str(error)[:600]}")

    from hypothesis import seed as hypothesis_seed

    hypothesis_seed(seed)(run)()
    return counted["cases"], failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200, help="per operation and mode")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    call_command("demo", no_serve=True, verbosity=0, stdout=io.StringIO())
    key = make_key(ChildCase.objects.first().agency.short_name)
    ids = real_ids()
    connection.close()
    totals: Counter[str] = Counter()
    with served(os.environ["HOMEWARD_DATA_DIR"]) as base:
        schema = schemathesis.openapi.from_url(
            f"{base}/api/v1/schema/?format=json", config=SchemathesisConfig.from_dict(CONFIG)
        )
        session = requests.Session()
        operations = [result.ok() for result in schema.get_all_operations()]
        for operation in operations:
            takes_input = bool(
                operation.path_parameters or operation.query or operation.headers or operation.body
            )
            runs: list[tuple[GenerationMode, int, dict[str, int] | None]] = [
                (GenerationMode.POSITIVE, args.examples, None)
            ]
            if takes_input:
                runs.append((GenerationMode.NEGATIVE, args.examples, None))
            names = [p.name for p in operation.path_parameters]
            resource = operation.path.split("/")[3]
            if names and ids.get(resource):
                for pk in ids[resource]:
                    pinned = {names[0]: pk}
                    runs.append((GenerationMode.POSITIVE, max(1, args.examples // 20), pinned))
            cases, failures = 0, []
            for mode, examples, pinned in runs:
                n, failed = fuzz(operation, mode, examples, args.seed, session, base, key, pinned)
                cases, failures = cases + n, failures + failed
            totals["operations"] += 1
            totals["cases"] += cases
            totals["failures"] += len(failures)
            print(
                f"{operation.method.upper():6} {operation.path:55} {cases:6} cases "
                f"{len(failures):4} failures",
                flush=True,
            )
            for failure in sorted(set(failures))[:5]:
                print(f"    {failure}", flush=True)
    seconds = time.perf_counter() - started
    print(
        f"api_fuzz operations={totals['operations']} cases={totals['cases']} "
        f"failures={totals['failures']} seconds={seconds:.0f}"
    )


if __name__ == "__main__":
    main()
