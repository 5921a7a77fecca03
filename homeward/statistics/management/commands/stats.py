"""`homeward stats`: count children (or tracing work, missions, children abroad over time)
from the records, as a table, JSON or CSV."""

from __future__ import annotations

import csv
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder

from homeward.lib.agebands import PRESETS, REPORT_BANDS, AgeBandError, parse_bands
from homeward.lib.cli import comma_list, iso_date
from homeward.lib.places import UnknownPlaceError, country_name
from homeward.statistics.activity import count_missions, count_tracing
from homeward.statistics.series import children_abroad, default_period, month_starts
from homeward.statistics.services import (
    DIMENSIONS,
    FLOWS,
    MIDPOINT,
    SEPARATE,
    StatsError,
    StatsQuery,
    StatsResult,
    count_children,
    label,
)

SUBJECTS = ("children", "tracing", "missions", "abroad")


class Command(BaseCommand):
    help = (
        "Count children by status, place, region, age band, sex or mission, on any date or "
        "as flows between two dates; or count tracing work, missions, children abroad."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--count",
            choices=SUBJECTS,
            default="children",
            help="what to count: children (default), tracing requests and matches, missions "
            "arrived between --from and --to, or children abroad on the first of each month",
        )
        when = parser.add_mutually_exclusive_group()
        when.add_argument("--as-of", type=iso_date, help="count open cases on this day")
        when.add_argument(
            "--repatriated-on", type=iso_date, help="count children repatriated that day"
        )
        when.add_argument(
            "--flow", choices=FLOWS, help="count children who got there from --from to --to"
        )
        parser.add_argument("--from", dest="flow_from", type=iso_date, help="period start")
        parser.add_argument("--to", dest="flow_to", type=iso_date, help="period end (included)")
        parser.add_argument("--host", help="only children in this country that day (ISO code)")
        parser.add_argument("--status", type=comma_list, default=(), help="only these statuses")
        parser.add_argument(
            "--by", type=comma_list, default=(), help=f"group by: {', '.join(DIMENSIONS)}"
        )
        parser.add_argument(
            "--bands",
            default=REPORT_BANDS,
            help=f"age bands, e.g. 0-2,3-9,10,11-17,18+, or a preset: {', '.join(PRESETS)}",
        )
        parser.add_argument(
            "--uncertain-band",
            action="store_true",
            help="count children whose age range straddles a band in a separate row",
        )
        output = parser.add_mutually_exclusive_group()
        output.add_argument("--json", action="store_true", help="print JSON")
        output.add_argument("--csv", action="store_true", help="print CSV")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["count"] != "children":
            self._other(options)
            return
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
                flow=options["flow"],
                flow_from=options["flow_from"],
                flow_to=options["flow_to"],
                host=host.upper() if host else None,
                statuses=options["status"],
                by=options["by"],
                bands=tuple(parse_bands(options["bands"])),
                age_counting=SEPARATE if options["uncertain_band"] else MIDPOINT,
            )
        except UnknownPlaceError as error:
            raise CommandError(f"--host: {error}") from None
        except AgeBandError as error:
            raise CommandError(f"--bands: {error}") from None
        except StatsError as error:
            raise CommandError(str(error)) from None

    def _other(self, options: dict[str, Any]) -> None:
        """Tracing work, missions or children abroad: a list of rows with named columns."""
        subject = options["count"]
        if subject == "tracing":
            day = options["as_of"] or default_period()[1]
            title, rows = f"Family tracing as of {day}", count_tracing(day)
        elif subject == "missions":
            start, end = options["flow_from"], options["flow_to"]
            if not start or not end:
                raise CommandError("--count missions needs --from and --to.")
            title, rows = f"Missions arriving from {start} to {end}", count_missions(start, end)
        else:
            first, last = default_period(until=options["flow_to"] or options["as_of"])
            first = options["flow_from"] or first
            series = children_abroad(month_starts(first, last))
            title = "Children remaining abroad (open cases not yet placed at home)"
            rows = [{"on": p.on, "count": p.count} for p in series]
        self._write_rows(title, rows, options)

    def _write_rows(self, title: str, rows: list[dict[str, Any]], options: dict[str, Any]) -> None:
        columns = list(rows[0]) if rows else ["count"]
        if options["json"]:
            body = {"description": title, "rows": rows}
            self.stdout.write(json.dumps(body, cls=DjangoJSONEncoder, indent=2))
            return
        writer = csv.writer(self.stdout)
        if options["csv"]:
            writer.writerow(columns)
            writer.writerows([row[c] for c in columns] for row in rows)
            return
        self.stdout.write(title)
        lines = [[str(row[c]) for c in columns] for row in rows]
        widths = [max(len(cell) for cell in col) for col in zip(columns, *lines, strict=True)]
        for line in [columns, *lines]:
            cells = [c.ljust(w) for c, w in zip(line[:-1], widths, strict=False)]
            self.stdout.write("  ".join([*cells, line[-1].rjust(widths[-1])]))

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
