"""The days each case reached a flow's status, kept beside its spells (issue 21: a flow
grouped by region read three index probes a child, 3.7 to 8.9 s at 1M).

A database that already has its spells gets its reaches in one set-based statement from
the status history, with the copies of the case and the child taken from the case's
first spell (every spell of a case copies the same); one without spells gets both from
`statistics.spells.build_if_missing` after `migrate`. The index is built after the rows.
`statistics/tests/test_reaches.py` checks that this statement leaves what a rebuild makes.
"""

import django.db.models.deletion
from django.db import migrations, models

# The flows and their statuses as `statistics.models.FLOWS` has them on this migration's day.
FLOWS = {
    "repatriated": ("repatriated",),
    "placed": ("placed",),
    "closed": ("closed", "reached_majority", "died", "placed_abroad"),
}


def fill_sql() -> tuple[str, list[str]]:
    """Every reach of every case with spells: its distinct days per flow, each with the
    one before (LAG), and the copies of its first spell, found by the case's index (SQLite
    joined a grouped subquery by scanning it once per case)."""
    pairs = [(flow, status) for flow, statuses in FLOWS.items() for status in statuses]
    flows = " UNION ALL ".join("SELECT %s AS flow, %s AS status" for _ in pairs)
    sql = f"""
        INSERT INTO statistics_casereach (case_id, flow, reached_on, previous_on,
            home_region, sex, birth_earliest, birth_latest, birth_midpoint, mission)
        SELECT d.case_id, d.flow, d.day,
            LAG(d.day) OVER (PARTITION BY d.case_id, d.flow ORDER BY d.day),
            s.home_region, s.sex, s.birth_earliest, s.birth_latest, s.birth_midpoint, s.mission
        FROM (
            SELECT DISTINCT t.case_id, f.flow, t.effective_on AS day
            FROM cases_statustransition t JOIN ({flows}) f ON f.status = t.to_status
        ) d
        JOIN statistics_casespell s
            ON s.id = (SELECT MIN(id) FROM statistics_casespell WHERE case_id = d.case_id)
    """  # nosec B608: only our own literals; the values are parameters
    return sql, [value for pair in pairs for value in pair]


def fill(apps, schema_editor):
    sql, params = fill_sql()
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(sql, params)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_transition_reached_index"),
        ("statistics", "0001_case_spells"),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseReach",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("flow", models.CharField(max_length=12)),
                ("reached_on", models.DateField()),
                ("previous_on", models.DateField(null=True)),
                ("home_region", models.CharField(blank=True, max_length=6)),
                ("sex", models.CharField(max_length=1)),
                ("birth_earliest", models.DateField(null=True)),
                ("birth_latest", models.DateField(null=True)),
                ("birth_midpoint", models.DateField(null=True)),
                ("mission", models.CharField(blank=True, max_length=20)),
                ("case", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="cases.childcase")),
            ],
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="casereach",
            index=models.Index(
                fields=["flow", "reached_on", "previous_on", "home_region", "sex", "birth_midpoint",
                        "birth_latest", "birth_earliest", "mission", "case"],
                name="statistics_reach_counted",
            ),
        ),
    ]
