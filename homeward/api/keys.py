"""API keys: made by an administrator, shown once, kept as a hash, expiring, revocable.

A key acts as its service account: a user of an agency with a role and a scope, like any
member of staff, so the API applies the same need-to-know rules (cases.access) to it. The
account has no usable password: it never signs in to the pages.

Who manages keys: a system administrator for any agency, an agency administrator for
their own; the console (`homeward api-key`) acts as the operator.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts.models import CASE_ROLES, Agency, Role, Scope, StaffProfile
from homeward.accounts.roles import profile_of
from homeward.api.models import ApiKey
from homeward.audit.services import record
from homeward.refusals import Refusal

KEY_PREFIX = "hwk_"
# The roles a machine may act in: case roles and the analysts' figures, never an
# administrator's.
KEY_ROLES = frozenset({*CASE_ROLES, Role.ANALYST})
CONSOLE = "console"  # how the audit names `homeward api-key`
_KEY_SHAPE = re.compile(r"^hwk_([0-9a-f]{10})_[A-Za-z0-9_-]{20,100}$")


class ApiKeyError(Refusal):
    """A key refused or a key change refused; `field` names the input at fault."""


@dataclass(frozen=True)
class NewKey:
    """A key just made: `secret` is the only copy of the key itself, shown once."""

    key: ApiKey
    secret: str


def hash_of(secret: str) -> str:
    # A key has 256 random bits: a fast hash cannot be reversed by guessing, as a password's could.
    return hashlib.sha256(secret.encode()).hexdigest()


def manages_keys_of(user: Any, agency: Agency) -> bool:
    """May `user` make and revoke keys of `agency`? None is the operator at the console."""
    if user is None:
        return True
    profile = profile_of(user)
    if profile is None:
        return False
    return profile.role == Role.SYSTEM_ADMIN or (
        profile.role == Role.AGENCY_ADMIN and profile.agency_id == agency.pk
    )


def manages_keys(user: Any) -> bool:
    profile = profile_of(user)
    return profile is not None and profile.role in (Role.SYSTEM_ADMIN, Role.AGENCY_ADMIN)


def keys_managed_by(user: Any) -> QuerySet[ApiKey]:
    keys = ApiKey.objects.select_related("account__staff_profile__agency", "created_by")
    if user is None:
        return keys
    profile = profile_of(user)
    if profile is None or profile.role not in (Role.SYSTEM_ADMIN, Role.AGENCY_ADMIN):
        return keys.none()
    if profile.role == Role.SYSTEM_ADMIN:
        return keys
    return keys.filter(account__staff_profile__agency=profile.agency)


def _check_new_key(name: str, agency: Agency, role: str, scope: str, expires_at: datetime) -> None:
    if not name.strip():
        raise ApiKeyError(_("Say what the key is for."), field="name")
    if role not in KEY_ROLES:
        allowed = ", ".join(sorted(KEY_ROLES))
        raise ApiKeyError(_("A key acts in one of these roles: %s.") % allowed, field="role")
    if scope not in Scope.values:
        raise ApiKeyError(_("Unknown scope %r.") % scope, field="scope")
    now = timezone.now()
    if expires_at <= now:
        raise ApiKeyError(_("The expiry date must be in the future."), field="expires_on")
    longest = timedelta(days=settings.HOMEWARD_API_KEY_MAX_DAYS)
    if expires_at > now + longest:
        raise ApiKeyError(
            _("A key lives at most %d days.") % settings.HOMEWARD_API_KEY_MAX_DAYS,
            field="expires_on",
        )


def _service_account(name: str, agency: Agency, role: str, scope: str) -> Any:
    """A user for the key, with no usable password: it never signs in to the pages."""
    stem = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "key"
    username = f"api-{agency.short_name.lower()}-{stem}"
    User = get_user_model()
    while User.objects.filter(username=username).exists():
        username = f"api-{agency.short_name.lower()}-{stem}-{secrets.token_hex(2)}"
    user = User(username=username, first_name=name.strip()[:150])
    user.set_unusable_password()
    user.save()
    StaffProfile.objects.create(user=user, agency=agency, role=role, scope=scope)
    return user


@transaction.atomic
def create_key(
    *,
    name: str,
    agency: Agency,
    role: str,
    scope: str,
    expires_at: datetime,
    by: Any,
    rate_per_minute: int | None = None,
) -> NewKey:
    """A new key and its own service account. The returned secret is not kept anywhere."""
    if not manages_keys_of(by, agency):
        raise ApiKeyError(_("Only an administrator of the agency makes its API keys."))
    _check_new_key(name, agency, role, scope, expires_at)
    if rate_per_minute is not None and rate_per_minute < 1:
        raise ApiKeyError(_("Allow at least one request a minute."), field="rate_per_minute")
    prefix = secrets.token_hex(5)
    secret = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(
        name=name.strip()[:100],
        prefix=prefix,
        key_hash=hash_of(secret),
        account=_service_account(name, agency, role, scope),
        expires_at=expires_at,
        created_by=by if by is not None else None,
        rate_per_minute=rate_per_minute,
    )
    _audit("api.key_created", key, by)
    return NewKey(key, secret)


@transaction.atomic
def revoke_key(key: ApiKey, *, by: Any, reason: str = "") -> None:
    key = (
        ApiKey.objects.select_for_update(of=("self",))
        .select_related("account__staff_profile")
        .get(pk=key.pk)
    )
    if not manages_keys_of(by, key.account.staff_profile.agency):
        raise ApiKeyError(_("Only an administrator of the agency revokes its API keys."))
    if key.revoked_at is not None:
        raise ApiKeyError(_("This key is revoked already."))
    key.revoked_at, key.revoked_by, key.revoked_reason = timezone.now(), by, reason.strip()
    key.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    _audit("api.key_revoked", key, by)


def _audit(action: str, key: ApiKey, by: Any) -> None:
    record(action, actor=by, target=key, actor_name="" if by is not None else CONSOLE)


# --- using a key -------------------------------------------------------------------------


def key_for(secret: str, ip: str | None = None) -> ApiKey:
    """The usable key `secret` is, or ApiKeyError (audited: who tried which key, and why not).
    Notes its last use, at most once a minute, so that busy keys do not write on every call."""
    shape = _KEY_SHAPE.match(secret)
    key = (
        ApiKey.objects.select_related("account__staff_profile__agency")
        .filter(prefix=shape.group(1))
        .first()
        if shape
        else None
    )
    if key is None or not hmac.compare_digest(key.key_hash, hash_of(secret)):
        record(
            "api.key_refused",
            actor=None,
            actor_name="unknown key",
            target_ref=("api.apikey", shape.group(1) if shape else ""),
        )
        raise ApiKeyError(_("The API key is not valid."))
    now = timezone.now()
    if not key.is_usable(now) or not key.account.is_active:
        record(
            "api.key_refused",
            actor=None,
            actor_name=f"{key.account.username} ({key.label})",
            target=key,
            fields=[key.state],
        )
        revoked = key.revoked_at is not None or not key.account.is_active
        raise ApiKeyError(
            _("The API key is revoked.") if revoked else _("The API key has expired.")
        )
    if key.last_used_at is None or now - key.last_used_at > timedelta(minutes=1):
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now, last_used_ip=ip)
    return key
