"""`homeward import FILE --source NAME --user USERNAME [--kind K] [--commit]`: check a
field team's CSV or XLSX file (a dry run, by default) or import it all at once."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeward.cases.services import CaseError
from homeward.imports import services
from homeward.imports.models import ImportKind

SHOWN_PROBLEMS = 200


class Command(BaseCommand):
    help = "Check (dry run) or import a CSV or XLSX file of children, relatives or requests."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--source", required=True, help="the source's name (its mapping)")
        parser.add_argument(
            "--user", required=True, help="who imports: their agency, role and name go on it"
        )
        parser.add_argument("--kind", choices=ImportKind.values, default=ImportKind.CHILDREN)
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=HEADER",
            help="save a column for a field in the source's mapping (repeatable)",
        )
        parser.add_argument(
            "--default",
            action="append",
            default=[],
            metavar="FIELD=VALUE",
            help="save a value for a field no column has, e.g. nationality=RU (repeatable)",
        )
        parser.add_argument("--commit", action="store_true", help="write, if every row passes")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"--user: there is no user {options['user']!r}.")
        kind = options["kind"]
        try:
            source = services.source_named(user, options["source"])
            if options["map"] or options["default"]:
                self._save_mapping(source, kind, options, user)
            batch, check = services.import_file(
                options["file"], source=source, kind=kind, by=user, write=options["commit"],
                said=self.stdout.write,
            )  # fmt: skip
        except FileNotFoundError:
            raise CommandError(f"There is no file {options['file']!r}.") from None
        except CaseError as error:
            raise CommandError(f"{error.field or 'import'}: {error.message}") from None
        for problem in check.problems[:SHOWN_PROBLEMS]:
            column = f", column “{problem.column}”" if problem.column else ""
            self.stderr.write(f"row {problem.row}{column}: {problem.reason}")
        report = batch.report
        summary = (
            f"{report['rows']} rows: {report['create']} new, {report['update']} changed, "
            f"{report['unchanged']} unchanged, {report['problem_count']} problems."
        )
        if check.problems:
            raise CommandError(f"{summary} Nothing was imported.")
        if options["commit"]:
            self.stdout.write(
                f"{summary} Imported: {batch.created_count} created, "
                f"{batch.updated_count} updated (batch {batch.pk})."
            )
        else:
            self.stdout.write(f"{summary} Dry run: nothing written; add --commit to import.")

    def _save_mapping(self, source: Any, kind: str, options: dict[str, Any], user: Any) -> None:
        mapping = dict(source.mapping.get(kind, {}))
        defaults = dict(source.defaults.get(kind, {}))
        for option, into in (("map", mapping), ("default", defaults)):
            for pair in options[option]:
                field, sep, value = pair.partition("=")
                if not sep:
                    raise CommandError(f"--{option} {pair!r}: write FIELD=VALUE.")
                into[field.strip()] = value.strip()
        services.save_mapping(source, kind, mapping, defaults, by=user)
