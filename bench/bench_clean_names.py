"""`homeward clean_names` (migration people.0004) over N imported children's names, 1% of
them given a zero-width space: how long the one-off cleaning takes, and a second run that
finds nothing to clean (what the migration costs an installation with clean names).

    .venv/bin/python bench/bench_clean_names.py 20000
    scripts/with-postgres .venv/bin/python bench/bench_clean_names.py 20000
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HOMEWARD_DATA_DIR", tempfile.mkdtemp(prefix="homeward-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench.bench_import_kinds import children, write  # noqa: E402
from homeward.imports import services  # noqa: E402
from homeward.imports.tests.conftest import CHILD_HEADERS  # noqa: E402
from homeward.operations.tests.scripts import _staff  # noqa: E402
from homeward.people.cleaning import clean_stored_names  # noqa: E402
from homeward.people.models import PersonName  # noqa: E402


def timed() -> str:
    wall, cpu = time.perf_counter(), time.process_time()
    done = clean_stored_names()
    return (
        f"cleaned {done.names} in {time.perf_counter() - wall:.1f} s wall, "
        f"{time.process_time() - cpu:.1f} s CPU"
    )


def main(count: int) -> None:
    call_command("migrate", verbosity=0)
    user = _staff()
    source = services.source_named(user, "Field team")
    path = write(tempfile.mkdtemp(), "c.csv", CHILD_HEADERS, children(count))
    services.import_file(path, source=source, kind="children", by=user, write=True)
    names = PersonName.objects.count()
    dirty = list(PersonName.objects.order_by("pk").values_list("pk", "full_name")[::100])
    for pk, name in dirty:
        PersonName.objects.filter(pk=pk).update(full_name=name[:2] + "\u200b" + name[2:])
    print(f"{connection.vendor}: {names} names, {len(dirty)} dirty: {timed()}")
    print(f"again, nothing to clean: {timed()}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
