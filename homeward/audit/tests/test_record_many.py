"""`record_many` writes what `record` would write for each target, in one chain."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.management import call_command

from homeward.audit.chain import HASHED_FIELDS
from homeward.audit.models import AuditEntry
from homeward.audit.services import record, record_many

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["caseworker", "nobody"])
def test_entries_written_together_match_entries_written_one_by_one(
    who: str, caseworker: User
) -> None:
    actor = caseworker if who == "caseworker" else AnonymousUser()
    record("test.before", actor=actor)
    targets = [("cases.childcase", "7", ()), ("cases.childcase", "8", ["b", "a", "b"]),
               ("tracing.request", "“9”", ["status"])]  # fmt: skip
    assert record_many("test.many", actor=actor, targets=targets) == 3
    one = record("test.many", actor=actor, target_ref=("cases.childcase", "8"), fields="bab")
    written = list(AuditEntry.objects.filter(action="test.many").order_by("id"))
    assert [(e.object_type, e.object_id, e.changed_fields) for e in written] == [
        ("cases.childcase", "7", []), ("cases.childcase", "8", ["a", "b"]),
        ("tracing.request", "“9”", ["status"]), ("cases.childcase", "8", ["a", "b"]),
    ]  # fmt: skip
    common = [f for f in HASHED_FIELDS if f not in ("at", "object_id", "object_type")]
    assert {f: getattr(written[1], f) for f in common} == {f: getattr(one, f) for f in common}
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert out.getvalue() == "The audit trail is intact: 5 entries.\n"
