"""The counts kept per cell (`statistics.models.CellChange`, see `statistics.cells`),
filled from the spells; and the open cases' spells by birth, from which a day counted
from the cells takes its youngest and oldest child. A database without spells yet gets
both from `statistics.spells.build_if_missing` after `migrate`."""

from typing import Any

from django.db import migrations, models


def fill(apps: Any, schema_editor: Any) -> None:
    from homeward.statistics.cells import fill_all

    fill_all()


class Migration(migrations.Migration):
    dependencies = [
        ("statistics", "0003_day_totals"),
    ]

    operations = [
        migrations.CreateModel(
            name="CellChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("level", models.PositiveSmallIntegerField()),
                ("period", models.DateField()),
                ("status", models.CharField(max_length=30)),
                ("country", models.CharField(blank=True, max_length=2)),
                ("facility_kind", models.CharField(blank=True, max_length=30)),
                ("home_region", models.CharField(blank=True, max_length=6)),
                ("sex", models.CharField(max_length=1)),
                ("bands", models.CharField(max_length=40)),
                ("n", models.IntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("level", "period", "status", "country", "facility_kind", "home_region", "sex", "bands"),
                        name="statistics_cell_unique",
                    )
                ],
            },
        ),
        migrations.AddIndex(
            model_name="casespell",
            index=models.Index(
                condition=models.Q(("status__in", ("closed", "reached_majority", "died", "placed_abroad")), _negated=True),
                fields=["birth_midpoint", "starts_on", "ends_on", "status", "country"],
                name="statistics_spell_births",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
