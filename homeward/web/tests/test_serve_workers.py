"""`homeward serve --workers N` stopped as a service manager stops it (SIGTERM to the
process it started) stops its workers too: none is left serving the port."""

from __future__ import annotations

import os
import signal
import socket
import time
import urllib.request
from pathlib import Path

import pytest

from homeward.conftest import kill, start_homeward

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in/", timeout=5) as page:  # nosec B310: a local http URL
            return bool(page.status == 200)
    except OSError:
        return False


def children_of(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(child) for child in text.split()]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_sigterm_to_the_server_stops_every_worker_and_frees_the_port(data_folder: Path) -> None:
    port = free_port()
    server = start_homeward(data_folder, "serve", "--port", str(port), "--workers", "2",
                            "--threads", "2", "--match-every", "0")  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while not answers(port):
            assert server.poll() is None, server.communicate()
            assert time.monotonic() < deadline, "the server never answered"
            time.sleep(0.5)
        workers = children_of(server.pid)
        assert len(workers) == 2
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        assert [pid for pid in workers if alive(pid)] == []
        assert not answers(port)
    finally:
        kill(server)
