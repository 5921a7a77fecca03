"""`homeward demo`: create the database, load the demo scenario, print the logins, serve."""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from homeward.accounts.models import Agency
from homeward.cases.services import CaseError
from homeward.demo.figures import report_figures
from homeward.demo.plan import DASHBOARD_DAY, RULES_FROM, RULES_UNTIL
from homeward.demo.scenario import AGENCIES, DEMO_PASSWORD, STAFF, DemoScenario
from homeward.demo.tracing import ranked_first_and_top5
from homeward.tracing.matching import run_matching


class Command(BaseCommand):
    help = "Load the invented demo scenario (if not loaded yet) and serve the app."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="load the demo and exit")
        parser.add_argument("--reset", action="store_true", help="empty the database first")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if options["reset"]:
            call_command("flush", interactive=False, verbosity=0)
        demo_agency = AGENCIES["occr"][0]
        if Agency.objects.filter(name=demo_agency).exists():
            self.stdout.write("The demo scenario is already loaded (use --reset to start again).")
        elif Agency.objects.exists():
            raise CommandError(
                "This database holds other data; the demo loads only into an empty database. "
                "Set HOMEWARD_DATA_DIR to another folder, or use --reset to empty this one."
            )
        else:
            self._load()
        self._print_logins()
        if not options["no_serve"]:
            call_command("serve", host=options["host"], port=options["port"], match_every=5)

    def _load(self) -> None:
        started = time.perf_counter()
        with transaction.atomic():
            scenario = DemoScenario()
            try:
                families = scenario.load()
            except CaseError as error:
                raise CommandError(f"The demo data was refused ({error.field}): {error}") from None
            figures = report_figures()
            wrong = [f for f in figures if not f.holds]
            if wrong:
                lines = "; ".join(
                    f"{f.claim}: expected {f.expected}, got {f.actual}" for f in wrong
                )
                raise CommandError(f"The demo does not reproduce the published figures: {lines}")
        children = sum(len(family.children) for family in families)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Loaded {children} invented children in {len(families)} families and "
            f"{len(scenario.tracing_truth)} children sought by relatives in {seconds:.1f} s."
        )
        weekly, final = scenario.rule_runs
        self.stdout.write(
            f"Custody rules, run weekly from {RULES_FROM} to {RULES_UNTIL}: {weekly.raised} "
            f"alerts raised, {weekly.resolved} resolved when the child left detention. "
            f"The dashboard as of {DASHBOARD_DAY} (/?on={DASHBOARD_DAY}) shows those then open."
        )
        self.stdout.write(str(final))
        self._match(scenario.tracing_truth)
        self.stdout.write("Published figures, computed from the records:")
        for figure in figures:
            self.stdout.write(f"  {figure.claim}: {figure.actual}")

    def _match(self, truth: list[tuple[int, int]]) -> None:
        """Run the background matching once, and say how well it found the sought children."""
        started = time.perf_counter()
        while run_matching()[0]:
            pass
        first, top5 = ranked_first_and_top5(truth)
        self.stdout.write(
            f"Matching ({time.perf_counter() - started:.1f} s): of {len(truth)} children sought "
            f"by relatives, {first} have the right child ranked first and {top5} within the top 5."
        )

    def _print_logins(self) -> None:
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for username, (_, _, agency, role, _) in STAFF.items():
            self.stdout.write(f"  {username:<12} {role.label:<34} {AGENCIES[agency][1]}")
        self.stdout.write(f"  {'admin':<12} {'System administrator (superuser)':<34} OCCR")
