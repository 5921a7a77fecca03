"""The day totals of the cases' first spells (`statistics.models.DayTotal`), filled from
the spells in one set-based statement (`statistics.spells.DAY_TOTALS_SQL` as it was on
this migration's day): a database without spells yet gets them from
`statistics.spells.build_if_missing` after `migrate`, totals included."""

from django.db import migrations, models

FILL_SQL = """
    INSERT INTO statistics_daytotal (day, opened, abroad_from, abroad_until)
    SELECT t.day, SUM(t.opened), SUM(t.abroad_from), SUM(t.abroad_until) FROM (
        SELECT MIN(starts_on) AS day, 1 AS opened, 0 AS abroad_from, 0 AS abroad_until
            FROM statistics_casespell GROUP BY case_id
        UNION ALL SELECT abroad_from, 0, 1, 0
            FROM statistics_casespell WHERE abroad_from IS NOT NULL
        UNION ALL SELECT abroad_until, 0, 0, 1
            FROM statistics_casespell WHERE abroad_until IS NOT NULL
    ) t GROUP BY t.day
"""


class Migration(migrations.Migration):
    dependencies = [
        ("statistics", "0002_case_reaches"),
    ]

    operations = [
        migrations.CreateModel(
            name="DayTotal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField(unique=True)),
                ("opened", models.IntegerField(default=0)),
                ("abroad_from", models.IntegerField(default=0)),
                ("abroad_until", models.IntegerField(default=0)),
            ],
        ),
        migrations.RunSQL(FILL_SQL, migrations.RunSQL.noop),
    ]
