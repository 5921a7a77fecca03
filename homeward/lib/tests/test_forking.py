"""Forked worker pools stop when told to, whatever signal handlers the parent has."""

from __future__ import annotations

import subprocess
import sys

import pytest

from homeward.lib.forking import can_fork

# A parent that catches SIGTERM, as django-tasks' db_worker does to finish its task
# first: the pool's workers must still stop at once when the pool is done with them.
PARENT_CATCHING_SIGTERM = """
import signal
from homeward.lib.forking import forked_pool

def stops_on_sigterm(_):
    return signal.getsignal(signal.SIGTERM) == signal.SIG_DFL

signal.signal(signal.SIGTERM, lambda signum, frame: None)
with forked_pool(2) as pool:
    print(all(pool.imap(stops_on_sigterm, range(8))), sum(pool.imap(abs, range(-100, 0))))
"""


@pytest.mark.skipif(not can_fork(), reason="this platform cannot fork")
def test_a_pool_stops_its_workers_though_the_parent_catches_sigterm() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PARENT_CATCHING_SIGTERM],
        capture_output=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.decode().split() == ["True", "5050"]
