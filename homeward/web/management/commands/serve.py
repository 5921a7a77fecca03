"""`homeward serve`: serve the web app with Waitress, a production WSGI server that needs no
compiler and runs the same on every platform."""

from __future__ import annotations

from typing import Any

import waitress
from django.core.management.base import BaseCommand, CommandParser

from homeward.wsgi import application


class Command(BaseCommand):
    help = "Serve Homeward on http://HOST:PORT (default 127.0.0.1:8000)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(f"Homeward is serving on {url} (Ctrl+C to stop)")
        self.stdout.flush()
        waitress.serve(
            application, host=options["host"], port=options["port"], threads=options["threads"]
        )
