"""Deployment as a break-in found it (issue 14, item 9): behind an HTTPS proxy, `homeward
serve` believes the proxy's X-Forwarded-Proto (it looped on 301); production settings
refuse to make a secret key on an empty data folder; the sign-in page lists the demo
accounts in demo mode only."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from homeward.accounts.models import Agency
from homeward.demo.scenario import AGENCIES
from homeward.web.tests.test_security import homeward

SECRET = "a-test-secret-key-that-is-long-enough-for-django-checks-0123456789"


def test_production_refuses_to_make_a_secret_key_on_an_empty_data_folder(
    tmp_path: Path,
) -> None:
    result = homeward(tmp_path, "check", HOMEWARD_PRODUCTION="true")
    assert result.returncode != 0
    assert "HOMEWARD_PRODUCTION is set and there is no secret key" in result.stderr
    assert not (tmp_path / "secret_key").exists()
    assert homeward(tmp_path, "check").returncode == 0  # outside production: made once
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


@pytest.mark.django_db
def test_the_sign_in_page_lists_demo_accounts_in_demo_mode_only(
    client: Client, settings: Any
) -> None:
    name, short, kind, country = AGENCIES["occr"]
    Agency.objects.create(name=name, short_name=short, kind=kind, country=country)
    assert "homeward-demo" not in client.get(reverse("login")).content.decode()
    settings.HOMEWARD_DEMO_MODE = True
    page = client.get(reverse("login")).content.decode()
    assert "homeward-demo" in page and "coordinator" in page


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served_behind_a_proxy(tmp_path: Path) -> Iterator[int]:
    env = {"HOMEWARD_PRODUCTION": "true", "HOMEWARD_BEHIND_HTTPS_PROXY": "true",
           "HOMEWARD_SECRET_KEY": SECRET}  # fmt: skip
    assert homeward(tmp_path, "migrate", **env).returncode == 0
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment |= {"HOMEWARD_DATA_DIR": str(tmp_path), **env}
    command = [str(Path(sys.executable).with_name("homeward")), "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        while "serving" not in (line := server.stdout.readline()):  # after its checks
            assert line, "homeward serve stopped before serving"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stdout is not None:
            server.stdout.close()


def get(port: int, headers: dict[str, str]) -> tuple[int, dict[str, str]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", "/sign-in/", headers={"Host": "localhost", **headers})
        response = connection.getresponse()
        response.read()
        return response.status, dict(response.getheaders())
    finally:
        connection.close()


@pytest.mark.slow
def test_behind_an_https_proxy_the_served_app_believes_the_proxy(
    served_behind_a_proxy: int,
) -> None:
    status, headers = get(served_behind_a_proxy, {"X-Forwarded-Proto": "https"})
    assert status == 200, headers.get("Location")
    assert "Strict-Transport-Security" in headers
    status, headers = get(served_behind_a_proxy, {})
    assert status == 301 and headers["Location"].startswith("https://")
