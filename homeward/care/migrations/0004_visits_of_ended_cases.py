"""The visits of ended cases marked, and the visits not made of the cases still open
indexed apart (issue 21): at 1M children the oldest visits not made are nearly all of
ended cases (13,731 of the first 13,781), so a consul's first 50 overdue visits walked
13,781 of them, 150 ms. Marking 1M children's visits: see bench/README (session 7)."""

from typing import Any

from django.db import migrations, models

# The final statuses as they stand today (cases.status.FINAL): a migration keeps its own.
FILL_SQL = """
UPDATE care_followupvisit SET case_ended = TRUE
WHERE case_id IN (
    SELECT id FROM cases_childcase
    WHERE status IN ('closed', 'reached_majority', 'died', 'placed_abroad')
)
"""


def analyze_again_where_analyzed(apps: Any, schema_editor: Any) -> None:
    """SQLite rebuilds the table to add the column, and the rebuilt table loses its
    statistics: a registry analyzed before (`bench/registry.py` does) then plans its
    joins as if the visits were many more than the cases, with a Bloom filter over every
    case (the overdue count at 100k: 6.5 -> 21.5 ms of CPU). Its statistics are made
    again; a registry never analyzed is left so."""
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone():
            cursor.execute("ANALYZE care_followupvisit")


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0003_handover_to_relative_index"),
        ("cases", "0007_transition_reached_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="followupvisit",
            name="case_ended",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunSQL(FILL_SQL, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="followupvisit",
            index=models.Index(
                condition=models.Q(("case_ended", False), ("visited_on", None)),
                fields=["due_on", "id", "case"],
                name="care_visit_due_open",
            ),
        ),
        migrations.RunPython(analyze_again_where_analyzed, migrations.RunPython.noop),
    ]
