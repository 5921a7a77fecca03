"""Each cell's opening balance of each year of `statistics.cells.BALANCES`: the sum of its
year rows before that year (issue 21: a count of today read every year row of every
cell)."""

from datetime import date
from typing import Any

from django.db import migrations

CELL = "status, country, facility_kind, home_region, sex, bands"


def fill(apps: Any, schema_editor: Any) -> None:
    from homeward.statistics.cells import BALANCE, BALANCES, YEAR

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DELETE FROM statistics_cellchange WHERE level = %s", [BALANCE])
        for year in BALANCES:
            # Our own column names only: every value is a parameter.
            cursor.execute(
                f"INSERT INTO statistics_cellchange (level, period, {CELL}, n) "  # nosec B608
                f"SELECT %s, %s, {CELL}, SUM(n) FROM statistics_cellchange "
                f"WHERE level = %s AND period < %s GROUP BY {CELL} HAVING SUM(n) <> 0",
                [BALANCE, date(year, 1, 1), YEAR, date(year, 1, 1)],
            )


def empty(apps: Any, schema_editor: Any) -> None:
    from homeward.statistics.cells import BALANCE

    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DELETE FROM statistics_cellchange WHERE level = %s", [BALANCE])


class Migration(migrations.Migration):
    dependencies = [
        ("statistics", "0005_case_facts"),
    ]

    operations = [migrations.RunPython(fill, empty, elidable=True)]
