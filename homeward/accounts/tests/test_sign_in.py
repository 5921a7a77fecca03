"""Signing in: password, then a one-time code; lockout; session lifetimes; deactivation."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from homeward.accounts.security import RENEWED_AT, SIGNED_IN_AT
from homeward.audit.models import AuditEntry
from homeward.conftest import PASSWORD, current_code, signed_in, totp_device

pytestmark = pytest.mark.django_db


def password_step(client: Client, username: str = "caseworker", password: str = PASSWORD) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password})


def test_signing_in_takes_a_password_then_a_code(client: Client, caseworker: User) -> None:
    device = totp_device(caseworker)
    response = password_step(client)
    assert response.status_code == 302
    # Signed in with the password alone, every page leads to the second step.
    page = client.get(reverse("cases:list"))
    assert page.status_code == 302 and page["Location"].startswith(reverse("second_factor"))
    response = client.post(
        reverse("second_factor"), {"code": current_code(device), "next": reverse("cases:list")}
    )
    assert response["Location"] == reverse("cases:list")
    assert client.get(reverse("cases:list")).status_code == 200
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["auth.login", "auth.second_factor_passed", "case.listed"]


def test_a_code_works_only_once(client: Client, caseworker: User) -> None:
    device = totp_device(caseworker)
    code = current_code(device)
    password_step(client)
    assert client.post(reverse("second_factor"), {"code": code}).status_code == 302
    other = Client()
    password_step(other)
    replay = other.post(reverse("second_factor"), {"code": code})
    assert replay.status_code == 400
    assert "wrong or already used" in replay.content.decode()
    assert other.get(reverse("cases:list")).status_code == 302
    assert AuditEntry.objects.filter(action="auth.second_factor_failed").count() == 1


def test_wrong_codes_slow_down_further_tries(client: Client, caseworker: User) -> None:
    device = totp_device(caseworker)
    password_step(client)
    client.post(reverse("second_factor"), {"code": "000000"})
    right_but_too_soon = client.post(reverse("second_factor"), {"code": current_code(device)})
    assert right_but_too_soon.status_code == 400
    assert "Too many wrong codes" in right_but_too_soon.content.decode()


def test_a_first_sign_in_links_an_authenticator_app(client: Client, caseworker: User) -> None:
    password_step(client)
    response = client.get(reverse("second_factor"))
    assert response["Location"].startswith(reverse("set_up_second_factor"))
    page = client.get(response["Location"])
    assert "<svg" in page.content.decode() and page.context["secret"]
    device = TOTPDevice.objects.get(user=caseworker, confirmed=False)
    wrong = client.post(reverse("set_up_second_factor"), {"code": "000000"})
    assert wrong.status_code == 400
    device.refresh_from_db()
    device.throttle_reset()  # as if the user waited: each failure delays the next try
    assert (
        client.post(reverse("set_up_second_factor"), {"code": current_code(device)}).status_code
        == 302
    )
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("cases:list")).status_code == 200


def test_the_next_address_cannot_lead_off_site(client: Client, caseworker: User) -> None:
    device = totp_device(caseworker)
    password_step(client)
    response = client.post(
        reverse("second_factor"), {"code": current_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_repeated_failures_lock_the_account_even_against_the_right_password(
    client: Client, caseworker: User, settings: Any
) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        password_step(client, password="wrong guess")
    locked = password_step(client)
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # One entry per attempt: the attempt that locks, and each one after, say so.
    attempts = AuditEntry.objects.filter(actor_name="caseworker").order_by("id")
    limit = settings.AXES_FAILURE_LIMIT
    expected = ["auth.login_failed"] * (limit - 1) + ["auth.locked_out"] * 2
    assert list(attempts.values_list("action", flat=True)) == expected


def test_a_failed_sign_in_is_audited_without_the_password(client: Client, caseworker: User) -> None:
    response = password_step(client, password="wrong guess")
    assert response.status_code == 200
    assert "enter a correct username and password" in response.content.decode()
    entry = AuditEntry.objects.get(action="auth.login_failed")
    assert entry.actor_name == "caseworker"
    assert "wrong guess" not in str(entry.__dict__)


def test_signing_in_gives_a_new_session_id(client: Client, caseworker: User) -> None:
    client.get(reverse("login"))
    client.cookies["sessionid"] = "attacker-chosen-session-id"
    password_step(client)
    assert client.cookies["sessionid"].value != "attacker-chosen-session-id"


def test_a_session_ends_after_its_absolute_lifetime(caseworker: User, settings: Any) -> None:
    client = signed_in(caseworker)
    session = client.session
    session[SIGNED_IN_AT] = 0  # signed in long ago
    session.save()
    response = client.get(reverse("cases:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(reverse("cases:list")).status_code == 302
    assert AuditEntry.objects.filter(action="auth.session_expired").count() == 1


def test_sessions_end_after_idle_minutes_renewed_at_most_once_a_minute(
    caseworker: User, settings: Any
) -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client = signed_in(caseworker)
    client.get(reverse("cases:list"))
    key = client.session.session_key

    def expiry() -> Any:
        return Session.objects.get(session_key=key).expire_date

    renewed = expiry()
    assert renewed > timezone.now() + timedelta(minutes=29)
    client.get(reverse("cases:list"))
    assert expiry() == renewed  # a page within the minute writes no session
    session = client.session
    session[RENEWED_AT] = timezone.now().timestamp() - 61
    session.save()
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(minutes=5)
    )
    assert client.get(reverse("cases:list")).status_code == 200
    assert expiry() > timezone.now() + timedelta(minutes=29)


def test_deactivating_an_account_ends_all_its_sessions(caseworker: User, analyst: User) -> None:
    first, second, other = signed_in(caseworker), signed_in(caseworker), signed_in(analyst)
    assert Session.objects.count() == 3
    caseworker.is_active = False
    caseworker.save()
    assert Session.objects.count() == 1
    assert first.get(reverse("cases:list")).status_code == 302
    assert second.get(reverse("cases:list")).status_code == 302
    assert other.get(reverse("statistics:page")).status_code == 200


def test_new_passwords_are_hashed_with_argon2(caseworker: User, settings: Any) -> None:
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    caseworker.set_password("a new long passphrase")
    assert identify_hasher(caseworker.password).algorithm == "argon2"


@pytest.mark.parametrize(
    ("password", "accepted"),
    [("short1!", False), ("password123", False), ("eight ch", True),
     ("correct horse battery staple", True), ("x" * 40 + "y" * 40, True)],
)  # fmt: skip
def test_passwords_need_length_not_composition(password: str, accepted: bool) -> None:
    try:
        validate_password(password)
    except ValidationError:
        assert not accepted
    else:
        assert accepted


def test_the_demo_mode_needs_no_second_factor(caseworker: User, settings: Any) -> None:
    settings.HOMEWARD_DEMO_MODE = True
    client = Client()
    client.force_login(caseworker)
    page = client.get(reverse("cases:list"))
    assert page.status_code == 200
    assert "two-step sign-in is switched off" in page.content.decode()


def test_production_settings_refuse_the_demo_mode(tmp_path: Path) -> None:
    env = os.environ | {"HOMEWARD_DATA_DIR": str(tmp_path)}
    env |= {"HOMEWARD_PRODUCTION": "true", "HOMEWARD_DEMO_MODE": "true"}
    env.pop("DATABASE_URL", None)
    homeward = str(Path(sys.executable).with_name("homeward"))
    result = subprocess.run(
        [homeward, "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "HOMEWARD_DEMO_MODE and HOMEWARD_DEBUG must be off" in result.stderr
