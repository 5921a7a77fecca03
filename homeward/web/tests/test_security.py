"""Production settings and the headers every page carries."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from homeward.conftest import signed_in


def homeward(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    leave_out = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}  # the latter: set for Playwright
    environment = {k: v for k, v in os.environ.items() if k not in leave_out}
    environment |= {"HOMEWARD_DATA_DIR": str(tmp_path), **env}
    command = [str(Path(sys.executable).with_name("homeward")), *args]
    return subprocess.run(command, env=environment, capture_output=True, text=True, timeout=120)


def test_the_deployment_checks_pass_with_no_warning_under_production_settings(
    tmp_path: Path,
) -> None:
    result = homeward(
        tmp_path, "check", "--deploy", "--fail-level", "WARNING",
        HOMEWARD_PRODUCTION="true", HOMEWARD_ALLOWED_HOSTS="homeward.example.org",
        HOMEWARD_SECRET_KEY=secrets.token_urlsafe(50),  # production never makes one
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_deployment_checks_do_warn_without_production_settings(tmp_path: Path) -> None:
    result = homeward(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W004" in result.stderr  # no HSTS: the check is really looking


@pytest.mark.django_db
def test_every_page_forbids_framing_inline_code_and_sniffing(caseworker: User) -> None:
    response = signed_in(caseworker).get(reverse("cases:list"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_an_error_shows_no_debug_page(caseworker: User) -> None:
    response = signed_in(caseworker).get("/cases/999999/")
    assert response.status_code == 404
    assert "Traceback" not in response.content.decode()
    assert "Not found" in response.content.decode()
