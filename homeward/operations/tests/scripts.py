"""What the crash, backup and storage tests run in a process of its own, on a data folder
of its own (HOMEWARD_DATA_DIR): seeding records, writing while something else happens,
and reading everything back. Each prints JSON (or one line per acknowledged write).

    python -m homeward.operations.tests.scripts NAME [ARGS...]
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from datetime import date
from typing import Any


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
    import django

    django.setup()


def _staff() -> Any:
    from django.contrib.auth.models import User

    from homeward.accounts.models import Agency, AgencyKind, Role, StaffProfile

    user = User.objects.filter(username="worker").first()
    if user is not None:
        return user
    agency = Agency.objects.create(
        name="Consular Section (crash)", short_name="CONS", kind=AgencyKind.CONSULAR, country="IQ"
    )
    user = User.objects.create(username="worker", first_name="Worker")
    StaffProfile.objects.create(user=user, agency=agency, role=Role.CASEWORKER)
    return user


def _child(rng: random.Random, number: int) -> Any:
    from homeward.cases.models import FacilityKind
    from homeward.cases.services import ChildInput, NameInput, PlacementInput
    from homeward.demo.names import BOYS, FAMILY_NAMES, GIRLS, family_name
    from homeward.lib.ages import BirthDate, BirthPrecision

    sex = rng.choice("fm")
    given = rng.choice(GIRLS if sex == "f" else BOYS)
    family = family_name(rng.choice(FAMILY_NAMES), sex)
    born = date(2008 + rng.randrange(10), 1 + rng.randrange(12), 1 + rng.randrange(28))
    return ChildInput(
        names=[
            NameInput(f"{given[1]} {family[1]}", "civil_registry"),
            NameInput(f"{given[0]} {family[0]}", "consular"),
        ],
        sex=sex, birth=BirthDate(BirthPrecision.DAY, born), nationality="RU",
        home_region="RU-DA",
        placement=PlacementInput("IQ", FacilityKind.CAMP, date(2018, 5, 2), f"Camp {number}"),
        identified_on=date(2018, 5, 2),
    )  # fmt: skip


def _mother(number: int) -> Any:
    from homeward.cases.services import NameInput, RelativeInput

    return RelativeInput(
        "mother", [NameInput("Мать Тест", "family")], sex="f", status="detained",
        conviction=f"Conviction {number}", sentence=f"Sentence of mother {number}",
    )  # fmt: skip


def seed_encrypted(cases: str, files: str, kilobytes: str) -> None:
    """Cases with a detained mother (two encrypted values each), `files` attachments of
    `kilobytes` KB, an import file and an export file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from homeward.cases import services
    from homeward.exports.services import request_export

    user = _staff()
    rng = random.Random(19)
    made = []
    for number in range(int(cases)):
        case = services.register_child(
            _child(rng, number), agency=user.staff_profile.agency, by=user
        )
        services.add_family_member(case, _mother(number), by=user)
        made.append(case)
    for number in range(int(files)):
        content = rng.randbytes(int(kilobytes) * 1024)
        services.add_attachment(
            made[number % len(made)],
            SimpleUploadedFile(f"scan-{number}.pdf", content, content_type="application/pdf"),
            kind="document", description="", by=user, max_bytes=50 * 2**20,
        )  # fmt: skip
    _seed_import_file(user)
    request_export(user, "children", "csv")


def _seed_import_file(user: Any) -> None:
    import io

    from homeward.imports.services import source_named, upload

    csv = "_id;name\nx-1;Амина Исаева\n".encode()
    upload(source_named(user, "Crash source"), "children", io.BytesIO(csv), "team.csv", by=user)


def write_cases(seconds: str) -> None:
    """Register children with a detained mother and a document, one at a time, for
    `seconds`; after each commit print "ack <case id> <sentence>": an acknowledged write."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from homeward.cases import services

    user = _staff()
    rng = random.Random(os.getpid())
    until = time.monotonic() + float(seconds)
    number = 0
    while time.monotonic() < until:
        number += 1
        case = services.register_child(
            _child(rng, number), agency=user.staff_profile.agency, by=user
        )
        member = services.add_family_member(case, _mother(os.getpid() * 10_000 + number), by=user)
        scan = SimpleUploadedFile("scan.pdf", rng.randbytes(4096), content_type="application/pdf")
        services.add_attachment(
            case, scan, kind="document", description="", by=user, max_bytes=2**20
        )
        print(f"ack {case.pk} {member.sentence}", flush=True)


def seed_matching(count: str) -> None:
    """`count` children and a tracing request for each (in Latin, by a grandmother):
    queued work for `homeward match`. Prints the pairs each request should find."""
    from homeward.cases import services
    from homeward.cases.services import NameInput
    from homeward.tracing.services import RequestInput, SoughtInput, file_request

    user = _staff()
    agency = user.staff_profile.agency
    rng = random.Random(4)
    expected = {}
    for number in range(int(count)):
        data = _child(rng, number)
        case = services.register_child(data, agency=agency, by=user)
        request = file_request(
            RequestInput(
                enquirer_names=[NameInput("Patimat Isaeva", "family")],
                enquirer_relationship="grandmother", filed_on=date(2019, 1, 10),
                sought=[SoughtInput(
                    "child", names=[NameInput(data.names[1].full_name, "family")],
                    sex=data.sex, birth=data.birth,
                )],
            ),
            agency=agency, by=user,
        )  # fmt: skip
        expected[request.sought.get().pk] = case.pk
    print(json.dumps(expected))


def queue_export() -> None:
    """An export of the children's cases left to the background (as a large one is)."""
    from homeward.exports import services

    services.INLINE_MAX_ROWS = 0
    export = services.request_export(_staff(), "children", "csv")
    print(json.dumps(export.pk))


def background_state() -> None:
    from homeward.exports.models import Export
    from homeward.operations.models import PeriodicRun
    from homeward.tracing.models import MatchCandidate, MatchingWork, MatchingWorker

    print(json.dumps({
        "queued": MatchingWork.objects.count(),
        "claimed": MatchingWork.objects.exclude(claimed_by="").count(),
        "pairs": sorted(MatchCandidate.objects.values_list("sought_id", "case_id")),
        "exports": list(Export.objects.values_list("status", flat=True)),
        "runs": sorted(PeriodicRun.objects.values_list("job", "period", "claimed_by", "succeeded")),
        "workers": MatchingWorker.objects.count(),
    }))  # fmt: skip


def seed_importer() -> None:
    _staff()


def queue_import_commit(path: str) -> None:
    """A file's commit left to `homeward worker` (as the commit button does a large one)."""
    from homeward.imports import services

    services.INLINE_MAX_ROWS = 0
    user = _staff()
    source = services.source_named(user, "Field team")
    with open(path, "rb") as content:
        batch = services.upload(source, "children", content, path.rsplit("/", 1)[-1], by=user)
    assert services.request_commit(batch, by=user) is False
    print(json.dumps(batch.pk))


def matching_state() -> None:
    from homeward.tracing.models import MatchCandidate, MatchingWork

    pairs = sorted(MatchCandidate.objects.values_list("sought_id", "case_id"))
    print(json.dumps({"queued": MatchingWork.objects.count(), "pairs": pairs}))


if __name__ == "__main__":
    _setup()
    globals()[sys.argv[1]](*sys.argv[2:])
