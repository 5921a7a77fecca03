"""`homeward stats`: count children from the records, as a table, JSON or CSV."""

from __future__ import annotations

import csv
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder

from homeward.lib.agebands import REPORT_BANDS, AgeBandError, parse_bands
from homeward.lib.cli import comma_list, iso_date
from homeward.lib.places import UnknownPlaceError, country_name
from homeward.statistics.services import (
    DIMENSIONS,
    StatsError,
    StatsQuery,
    StatsResult,
    count_children,
    label,
)


class Command(BaseCommand):
    help = "Count children by status, place, region, age band, sex or mission, on any date."

    def add_arguments(self, parser: CommandParser) -> None:
        when = parser.add_mutually_exclusive_group()
        when.add_argument("--as-of", type=iso_date, help="count open cases on this day")
        when.add_argument(
            "--repatriated-on", type=iso_date, help="count children repatriated that day"
        )
        parser.add_argument("--host", help="only children in this country that day (ISO code)")
        parser.add_argument("--status", type=comma_list, default=(), help="only these statuses")
        parser.add_argument(
            "--by", type=comma_list, default=(), help=f"group by: {', '.join(DIMENSIONS)}"
        )
        parser.add_argument(
            "--bands", default=REPORT_BANDS, help="age bands, e.g. 0-2,3-9,10,11-17,18+"
        )
        output = parser.add_mutually_exclusive_group()
        output.add_argument("--json", action="store_true", help="print JSON")
        output.add_argument("--csv", action="store_true", help="print CSV")

    def handle(self, *args: Any, **options: Any) -> None:
        result = count_children(self._query(options))
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), cls=DjangoJSONEncoder, indent=2))
        elif options["csv"]:
            self._write_csv(result)
        else:
            self._write_table(result)

    def _query(self, options: dict[str, Any]) -> StatsQuery:
        host = options["host"]
        try:
            if host:
                country_name(host)
            return StatsQuery(
                as_of=options["as_of"],
                repatriated_on=options["repatriated_on"],
                host=host.upper() if host else None,
                statuses=options["status"],
                by=options["by"],
                bands=tuple(parse_bands(options["bands"])),
            )
        except UnknownPlaceError as error:
            raise CommandError(f"--host: {error}") from None
        except AgeBandError as error:
            raise CommandError(f"--bands: {error}") from None
        except StatsError as error:
            raise CommandError(str(error)) from None

    def _write_table(self, result: StatsResult) -> None:
        by = result.query.by
        self.stdout.write(result.description)
        lines = [[label(d, row[d]) for d in by] + [str(row["count"])] for row in result.rows]
        lines.append(
            ["total", *[""] * (len(by) - 1), str(result.total)] if by else [str(result.total)]
        )
        header = [*by, "count"] if by else ["total"]
        widths = [max(len(cell) for cell in column) for column in zip(header, *lines, strict=True)]
        for line in [header, *lines]:
            cells = [c.ljust(w) for c, w in zip(line[:-1], widths, strict=False)]
            self.stdout.write("  ".join([*cells, line[-1].rjust(widths[-1])]))
        if result.youngest is not None:
            self.stdout.write(f"Aged {result.youngest} to {result.oldest}.")
        self.stdout.write(result.age_note)

    def _write_csv(self, result: StatsResult) -> None:
        writer = csv.writer(self.stdout)
        writer.writerow([*result.query.by, "count"])
        for row in result.rows:
            writer.writerow([row[d] for d in result.query.by] + [row["count"]])
