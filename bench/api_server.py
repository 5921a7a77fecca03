"""For the API benchmarks: serve Homeward from a data folder in a child process on the
loopback address, and make an API key there. Traffic goes to 127.0.0.1 only."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(data_dir: str, threads: int = 8) -> Iterator[str]:
    """`homeward serve` on a free loopback port, with no rate limit to speak of."""
    port = free_port()
    env = os.environ | {"HOMEWARD_DATA_DIR": data_dir, "HOMEWARD_API_RATE_PER_MINUTE": "100000000"}
    process = subprocess.Popen(
        [sys.executable, "-m", "homeward", "serve", "--port", str(port), "--threads", str(threads)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{url}/api/v1/schema/", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            raise RuntimeError("the server did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def make_key(agency_short_name: str, role: str = "supervisor", scope: str = "all") -> str:
    """A key made as the console does (runs in this process's Django)."""
    from datetime import timedelta

    from django.utils import timezone

    from homeward.accounts.models import Agency
    from homeward.api.keys import create_key

    agency = Agency.objects.get(short_name=agency_short_name)
    made = create_key(
        name="bench",
        agency=agency,
        role=role,
        scope=scope,
        expires_at=timezone.now() + timedelta(days=1),
        by=None,
    )
    return made.secret
