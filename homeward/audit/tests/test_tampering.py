"""Cutting or rewriting the audit trail is found (issue 14, item 3): the chain is keyed
with a key outside the database, and its head is anchored outside it too.

The attacks: deleting the last entries (truncation), deleting one and recomputing every
hash after it (without the key, and with it), and adding a forged row."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from homeward.audit.chain import GENESIS, entry_hash
from homeward.audit.keys import AuditKeyError, chain_key
from homeward.audit.models import AuditEntry
from homeward.audit.services import _content, record
from homeward.audit.services import last_anchor as services_last_anchor
from homeward.audit.verification import last_anchor

pytestmark = pytest.mark.django_db


def audit(action: str = "verify") -> str:
    out = StringIO()
    call_command("audit", action, stdout=out)
    return out.getvalue()


@pytest.fixture
def trail(caseworker: User) -> list[AuditEntry]:
    return [record(f"test.step_{n}", actor=caseworker) for n in range(8)]


def recompute_from(entries: list[AuditEntry], key: bytes | None) -> None:
    """What an attacker does after deleting: hash every entry again, in order."""
    prev = GENESIS
    for entry in entries:
        entry.prev_hash, entry.entry_hash = prev, entry_hash(prev, _content(entry), key)
        AuditEntry.objects.filter(pk=entry.pk).update(
            prev_hash=entry.prev_hash, entry_hash=entry.entry_hash
        )
        prev = entry.entry_hash


def test_the_hash_is_keyed(trail: list[AuditEntry]) -> None:
    first = trail[0]
    assert first.entry_hash == entry_hash(GENESIS, _content(first), chain_key().secret)
    assert first.entry_hash != entry_hash(GENESIS, _content(first))


def test_truncation_is_found_against_the_last_anchor(trail: list[AuditEntry]) -> None:
    assert "Anchored 8 entries" in audit("anchor")
    AuditEntry.objects.filter(pk__in=[e.pk for e in trail[-3:]]).delete()
    with pytest.raises(CommandError) as broken:
        audit()
    assert "counted 8 entries and the trail has 5: entries were deleted since" in str(broken.value)


def test_deletion_with_recomputation_without_the_key_is_found(trail: list[AuditEntry]) -> None:
    AuditEntry.objects.filter(pk=trail[3].pk).delete()
    recompute_from([e for e in trail if e is not trail[3]], key=None)
    with pytest.raises(CommandError, match=f"entry {trail[0].pk}: its content was changed"):
        audit()


def test_deletion_with_recomputation_with_the_key_is_found_by_the_anchor(
    trail: list[AuditEntry],
) -> None:
    audit("anchor")
    AuditEntry.objects.filter(pk=trail[3].pk).delete()
    kept = [e for e in trail if e is not trail[3]]
    recompute_from(kept, key=chain_key().secret)
    kept.append(record("test.cover_up", actor=None))  # the count made whole again
    with pytest.raises(CommandError, match="entry number 8 no longer has the hash"):
        audit()


def test_a_forged_row_is_found(trail: list[AuditEntry]) -> None:
    last = trail[-1]
    forged = AuditEntry(
        at=last.at, actor=None, actor_name="nobody", agency_name="", role="",
        action="case.viewed", object_type="cases.childcase", object_id="1",
        changed_fields=[], ip=None, prev_hash=last.entry_hash,
    )  # fmt: skip
    forged.entry_hash = entry_hash(last.entry_hash, _content(forged))  # no key to hand
    forged.save()
    with pytest.raises(CommandError, match=f"entry {forged.pk}: its content was changed"):
        audit()


def test_each_verify_anchors_the_head_in_an_append_only_file(
    trail: list[AuditEntry], settings: Any
) -> None:
    assert last_anchor() is None
    audit()
    record("test.more", actor=None)
    audit()
    lines = Path(settings.HOMEWARD_AUDIT_ANCHOR_FILE).read_text().splitlines()
    assert [json.loads(line)["count"] for line in lines] == [8, 9]
    anchor = last_anchor()
    assert anchor is not None and anchor.count == 9
    assert services_last_anchor() == anchor  # what a health endpoint reads
    assert anchor.head == AuditEntry.objects.order_by("-id").first().entry_hash  # type: ignore[union-attr]


def legacy_trail(caseworker: User, count: int = 3) -> list[AuditEntry]:
    """Entries written by the version before the keyed chain: plain SHA-256."""
    entries, prev = [], GENESIS
    for n in range(count):
        entry = AuditEntry(at=caseworker.date_joined, actor=caseworker, actor_name="caseworker",
                           agency_name="", role="", action=f"old.{n}", object_type="",
                           object_id="", changed_fields=[], ip=None, prev_hash=prev)  # fmt: skip
        entry.entry_hash = prev = entry_hash(prev, _content(entry))
        entry.save()
        entries.append(entry)
    return entries


def test_a_chain_written_before_the_key_stays_verifiable(
    caseworker: User, settings: Any, tmp_path: Path
) -> None:
    """An existing installation: its entries keep their plain hashes, and every entry after
    the key is made is keyed."""
    legacy_trail(caseworker)
    settings.HOMEWARD_AUDIT_KEY_FILE = tmp_path / "audit.key"
    made = audit("init-key")
    assert "3 entries written before it keep their plain hashes" in made
    entry = record("new.0", actor=caseworker)
    assert entry.entry_hash == entry_hash(entry.prev_hash, _content(entry), chain_key().secret)
    assert "intact: 4 entries" in audit()
    with pytest.raises(CommandError, match="never replaced"):
        audit("init-key")


def test_the_key_file_pins_the_entries_written_before_it(
    caseworker: User, settings: Any, tmp_path: Path
) -> None:
    entries = legacy_trail(caseworker)
    settings.HOMEWARD_AUDIT_KEY_FILE = tmp_path / "audit.key"
    audit("init-key")
    entries[1].action = "old.innocent"  # needs no key to recompute: plain SHA-256
    AuditEntry.objects.filter(pk=entries[1].pk).update(action="old.innocent")
    recompute_from(entries, key=None)
    with pytest.raises(CommandError, match="not the last entry written before the chain"):
        audit()


def test_production_never_makes_the_key_by_itself(settings: Any, tmp_path: Path) -> None:
    settings.PRODUCTION = True
    settings.HOMEWARD_AUDIT_KEY_FILE = tmp_path / "audit.key"
    with pytest.raises(AuditKeyError, match="run `homeward audit init-key`"):
        record("test.step", actor=None)
    audit("init-key")
    assert record("test.step", actor=None).entry_hash
    assert oct((tmp_path / "audit.key").stat().st_mode & 0o777) == "0o600"
