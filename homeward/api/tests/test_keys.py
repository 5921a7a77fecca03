"""API keys: shown once, kept hashed, expiring, revocable, last use listed; refusals audited."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from homeward.accounts.models import Agency
from homeward.api import keys
from homeward.api.models import ApiKey
from homeward.api.tests.helpers import KeyClient, make_key
from homeward.audit.models import AuditEntry
from homeward.conftest import make_user, signed_in


def key_of(secret: str) -> ApiKey:
    return ApiKey.objects.get(prefix=secret.split("_")[1])


def test_a_key_is_kept_only_as_a_hash(agency: Agency) -> None:
    secret = make_key(agency, "caseworker")
    key = key_of(secret)
    assert secret not in str(ApiKey.objects.values().get(pk=key.pk))
    assert key.key_hash == keys.hash_of(secret)
    assert not key.account.has_usable_password()


def test_a_key_acts_as_its_service_account_and_notes_its_last_use(agency: Agency) -> None:
    secret = make_key(agency, "supervisor", scope="all")
    answer = KeyClient(secret).get("/api/v1/me/").json()
    assert answer["agency"] == agency.short_name
    assert (answer["role"], answer["scope"]) == ("supervisor", "all")
    assert answer["key"]["prefix"] == key_of(secret).prefix
    assert key_of(secret).last_used_at is not None


@pytest.mark.parametrize("state", ["revoked", "expired"])
def test_a_revoked_or_expired_key_is_refused_and_audited(agency: Agency, state: str) -> None:
    secret = make_key(agency, "caseworker")
    key = key_of(secret)
    assert KeyClient(secret).get("/api/v1/cases/").status_code == 200
    if state == "revoked":
        keys.revoke_key(key, by=None, reason="laptop lost")
    else:
        ApiKey.objects.filter(pk=key.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = KeyClient(secret).get("/api/v1/cases/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert state in response.json()["detail"]
    refusal = AuditEntry.objects.filter(action="api.key_refused").get()
    assert (refusal.object_type, refusal.object_id) == ("api.apikey", str(key.pk))
    assert refusal.changed_fields == [state]
    assert key.prefix in refusal.actor_name


def test_an_unknown_key_is_refused_and_audited(agency: Agency) -> None:
    secret = make_key(agency, "caseworker")
    forged = secret[:-4] + ("AAAA" if not secret.endswith("AAAA") else "BBBB")
    assert KeyClient(forged).get("/api/v1/cases/").status_code == 401
    assert KeyClient("hwk_nonsense").get("/api/v1/cases/").status_code == 401
    assert AuditEntry.objects.filter(action="api.key_refused").count() == 2


def test_every_read_is_audited_with_the_key_that_made_it(agency: Agency, make_case: Any) -> None:
    case = make_case()
    secret = make_key(agency, "caseworker")
    KeyClient(secret).get(f"/api/v1/cases/{case.pk}/")
    KeyClient(secret).get("/api/v1/cases/")
    read = AuditEntry.objects.filter(
        object_id=str(case.pk), action__in=["case.viewed", "case.listed"]
    )
    assert read.count() == 2
    for entry in read:
        assert entry.actor == key_of(secret).account
        assert entry.actor_name.endswith(f"(API key {key_of(secret).prefix})")


def test_a_key_never_acts_as_an_administrator(agency: Agency) -> None:
    with pytest.raises(keys.ApiKeyError) as refused:
        make_key(agency, "system_admin")
    assert refused.value.field == "role"


def test_an_agency_administrator_makes_keys_of_their_own_agency_only(
    agency: Agency, other_agency: Agency
) -> None:
    admin = make_user("admin", agency, "agency_admin")
    in_a_year = timezone.now() + timedelta(days=100)
    made = keys.create_key(
        name="KoBo",
        agency=agency,
        role="caseworker",
        scope="agency",
        expires_at=in_a_year,
        by=admin,
    )
    assert made.key.created_by == admin
    with pytest.raises(keys.ApiKeyError):
        keys.create_key(
            name="KoBo",
            agency=other_agency,
            role="caseworker",
            scope="agency",
            expires_at=in_a_year,
            by=admin,
        )


def test_the_administrators_page_shows_a_new_key_once_and_lists_keys(agency: Agency) -> None:
    admin = make_user("admin", agency, "agency_admin")
    client = signed_in(admin)
    expires = (timezone.localdate() + timedelta(days=30)).isoformat()
    page = client.post(
        "/api-keys/",
        {
            "name": "KoBo, Iraq team",
            "agency": agency.pk,
            "role": "caseworker",
            "scope": "agency",
            "expires_on": expires,
        },
    ).content.decode()
    key = ApiKey.objects.get()
    secret = page.split('<pre class="secret">')[1].split("</pre>")[0]
    assert keys.hash_of(secret) == key.key_hash
    listed = client.get("/api-keys/").content.decode()
    assert key.prefix in listed and "KoBo, Iraq team" in listed and secret not in listed
    client.post(f"/api-keys/{key.pk}/revoke/", {"reason": "rotated"})
    key.refresh_from_db()
    assert key.revoked_at is not None and key.revoked_by == admin


def test_the_console_makes_lists_and_revokes_keys(agency: Agency) -> None:
    out = StringIO()
    call_command(
        "api-key",
        "create",
        "--name",
        "Registry",
        "--agency",
        agency.short_name,
        "--role",
        "analyst",
        "--days",
        "30",
        stdout=out,
    )
    secret = out.getvalue().strip().splitlines()[-1]
    assert KeyClient(secret).get("/api/v1/statistics/tracing/").status_code == 200
    listing = StringIO()
    call_command("api-key", "list", stdout=listing)
    assert key_of(secret).prefix in listing.getvalue() and "active" in listing.getvalue()
    call_command("api-key", "revoke", f"hwk_{key_of(secret).prefix}", stdout=StringIO())
    assert KeyClient(secret).get("/api/v1/statistics/tracing/").status_code == 401
    assert AuditEntry.objects.filter(action="api.key_revoked", actor_name="console").exists()
