"""`homeward serve`: serve the web app with Waitress, a production WSGI server that needs no
compiler and runs the same on every platform. With --match-every, a background thread
also does the queued matching work, so that a one-process install needs nothing else."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import threading
import time
from typing import Any

import waitress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, connections

from homeward.operations.startup import check_before_start
from homeward.tracing.matching import Worker, run_matching
from homeward.wsgi import application

log = logging.getLogger("homeward.matching")


def match_forever(every: float) -> None:
    """The server's matching thread: one worker for as long as the server runs (so that
    the health endpoint sees it alive), registered again after a failure."""
    while True:
        try:
            with Worker() as worker:
                _match(worker, every)
        except Exception:
            # One failed batch must not stop the matching for good: leaving the worker
            # released its claims, and the next round takes them up again.
            log.exception("Background matching failed; trying again in %s s", every)
        finally:
            connection.close()  # this thread's own connection; a fresh one next round
        time.sleep(every)


def _match(worker: Worker, every: float) -> None:
    while True:
        while run_matching(worker=worker)[0]:
            pass
        connection.close()
        time.sleep(every)


class Command(BaseCommand):
    help = "Serve Homeward on http://HOST:PORT (default 127.0.0.1:8000)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--workers", type=int, default=1,
            help="processes serving at once (one a core; on SQLite, writes wait for each other)",
        )  # fmt: skip
        parser.add_argument(
            "--match-every", type=float, default=0, metavar="SECONDS",
            help="also run the background matching this often (0: leave it to `homeward match`)",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        check = check_before_start()
        for line in check.said:
            self.stdout.write(line)
        if check.problems:
            raise CommandError("Not serving:\n" + "\n".join(check.problems))
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(f"Homeward is serving on {url} (Ctrl+C to stop)")
        self.stdout.flush()
        if options["workers"] > 1:
            listening = socket.create_server((options["host"], options["port"]), backlog=1024)
            serve_in_processes(
                listening, options["workers"], options["threads"], options["match_every"]
            )
            return
        start_matching(options["match_every"])
        waitress.serve(
            application, host=options["host"], port=options["port"], threads=options["threads"],
            **proxy_options(),
        )  # fmt: skip


def proxy_options() -> dict[str, Any]:
    """Behind an HTTPS proxy, believe its X-Forwarded-Proto (the scheme: without it every
    request is redirected to HTTPS again, a loop) and X-Forwarded-For (the client's address,
    for the audit trail), from the proxy's address only."""
    if not settings.BEHIND_HTTPS_PROXY:
        return {}
    return {
        "trusted_proxy": settings.HOMEWARD_TRUSTED_PROXY,
        "trusted_proxy_headers": {"x-forwarded-proto", "x-forwarded-for"},
        "trusted_proxy_count": 1,
        "clear_untrusted_proxy_headers": True,
    }


def start_matching(every: float) -> None:
    if every > 0:
        threading.Thread(target=match_forever, args=(every,), daemon=True).start()


def serve_in_processes(listening: socket.socket, workers: int, threads: int, match: float) -> None:
    """Fork `workers` processes that serve the one listening socket (each with its own
    threads and database connection; the first also does the matching), and wait for
    them. Python runs one thread at a time per process: several processes are what put
    more than one core to work. Stopping this process stops them."""
    if not hasattr(os, "fork"):
        raise CommandError("--workers needs a system with fork (Linux, macOS).")
    connections.close_all()  # a connection must not be shared across fork
    children = []
    # A service manager stops a server with SIGTERM, whose default ends this process at
    # once, leaving its workers serving the port: end by an exception, so that `finally`
    # stops them.
    signal.signal(signal.SIGTERM, _stop)
    for number in range(workers):
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            start_matching(match if number == 0 else 0)
            waitress.serve(application, sockets=[listening], threads=threads, **proxy_options())
            os._exit(0)
        children.append(pid)
    try:
        while children:
            pid, _ = os.wait()
            children.remove(pid)
    finally:
        for pid in children:
            os.kill(pid, signal.SIGTERM)
        for pid in children:  # gone before this process is: the port is free once it ends
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


def _stop(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)
