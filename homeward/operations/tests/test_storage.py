"""A full disk and a read-only data folder, for real: a small tmpfs (root only; skipped
elsewhere). `homeward serve` refuses a folder it cannot write, naming why; a running
server whose disk fills answers with a page naming the cause (503, not a bare 500), its
health endpoint says so, and it recovers once there is room again."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from homeward.conftest import homeward_env, kill, run_homeward, start_homeward

pytestmark = pytest.mark.slow


def mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True, timeout=30)
    if done.returncode:
        raise subprocess.CalledProcessError(done.returncode, done.args, done.stdout, done.stderr)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 24 MB tmpfs, unmounted afterwards."""
    point = tmp_path / "disk"
    point.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root")
    try:
        mount("-t", "tmpfs", "-o", "size=24m", "tmpfs", str(point))
    except (subprocess.CalledProcessError, FileNotFoundError) as error:
        pytest.skip(f"cannot mount a tmpfs here: {error}")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], capture_output=True, timeout=30)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Browser:
    """Just enough of a browser: cookies, and the CSRF token of the sign-in form."""

    def __init__(self, base: str) -> None:
        self.base = base
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.base + path))

    def sign_in_form(self) -> str:
        """The sign-in page's CSRF token (its cookie is kept)."""
        status, page = self.get("/sign-in/")
        assert status == 200, page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token
        return token[1]

    def sign_in(self, username: str, password: str, token: str) -> tuple[int, str]:
        form = {"csrfmiddlewaretoken": token, "username": username, "password": password}
        data = urllib.parse.urlencode(form).encode()
        headers = {"Referer": self.base + "/sign-in/"}
        return self._open(urllib.request.Request(self.base + "/sign-in/", data, headers))

    def _open(self, request: urllib.request.Request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def serving(folder: Path) -> tuple[Any, Browser]:
    port = free_port()
    env = homeward_env(folder, HOMEWARD_MIN_FREE_MB="1")  # the whole disk is 24 MB
    server = start_homeward(folder, "serve", "--port", str(port), env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/sign-in/", timeout=5).close()  # nosec B310: http://
            return server, Browser(base)
        except OSError:
            assert server.poll() is None, server.communicate()
            time.sleep(0.2)
    kill(server)
    raise AssertionError("the server did not start")


def read_only(disk: Path) -> None:
    """Remount read-only, once the request just answered has closed its database."""
    for _ in range(50):
        try:
            mount("-o", "remount,ro", str(disk))
            return
        except subprocess.CalledProcessError:
            time.sleep(0.2)  # "mount point is busy": a file is still open for writing
    mount("-o", "remount,ro", str(disk))


def fill(disk: Path) -> Path:
    """Write until the filesystem has no room left."""
    filler = disk / "filler"
    # Unbuffered: a buffer left half-written would fail again when the file is closed.
    with filler.open("wb", buffering=0) as out:
        try:
            while True:
                out.write(b"\0" * 65536)
        except OSError:
            pass
    return filler


def test_a_running_server_on_a_full_disk_names_the_cause_and_recovers(
    migrated_folder: Path, small_disk: Path
) -> None:
    folder = small_disk / "data"
    shutil.copytree(migrated_folder, folder)
    server, browser = serving(folder)
    try:
        assert browser.get("/healthz/")[0] == 200
        token = browser.sign_in_form()
        filler = fill(small_disk)

        status, page = browser.sign_in("nobody", "a wrong passphrase", token)
        assert status == 503 and "Storage is full" in page and "administrator" in page
        # The form itself reads and writes nothing (the demo accounts are listed in demo
        # mode only, issue 14): it is shown, and what is sent with it meets the full disk.
        status, page = browser.get("/sign-in/")
        assert status == 200
        status, body = browser.get("/healthz/")
        health = json.loads(body)
        assert status == 503 and health["status"] == "failing"
        assert not health["storage"]["writable"] and not health["database"]["writable"]

        filler.unlink()
        status, page = browser.sign_in("nobody", "a wrong passphrase", browser.sign_in_form())
        assert status == 200 and "Storage is full" not in page  # the form again, with its error
        assert "correct username and password" in page
        assert browser.get("/healthz/")[0] == 200
    finally:
        kill(server)


def test_serve_refuses_a_read_only_data_folder_and_says_why(
    migrated_folder: Path, small_disk: Path
) -> None:
    folder = small_disk / "data"
    shutil.copytree(migrated_folder, folder)
    read_only(small_disk)
    refused = run_homeward(folder, "serve", "--port", str(free_port()), check=False, timeout=60)
    assert refused.returncode == 1
    assert (
        "Not serving" in refused.stderr and "not writable (Read-only file system)" in refused.stderr
    )


def test_a_data_folder_that_turns_read_only_under_a_running_server_is_named_on_every_page(
    migrated_folder: Path, small_disk: Path, tmp_path: Path
) -> None:
    folder = small_disk / "data"
    shutil.copytree(migrated_folder, folder)
    server, browser = serving(folder)
    try:
        token = browser.sign_in_form()
        read_only(small_disk)
        status, page = browser.sign_in("nobody", "a wrong passphrase", token)
        assert status == 503 and "Storage is read-only" in page
        status, body = browser.get("/healthz/")
        assert status == 503 and json.loads(body)["database"]["writable"] is False
    finally:
        kill(server)
