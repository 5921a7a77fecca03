"""The hand-overs to a relative, indexed apart (issue 21): the dashboard asks of each open
tracing proposal whether its child was handed over to the enquirer's family, and at 1M
children each probe read the child's hand-over to an institution (27k proposals, 0.4 s);
69 of 619k hand-overs were to a relative."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("care", "0002_visits_indexed_made_and_not")]

    operations = [
        migrations.AddIndex(
            model_name="handover",
            index=models.Index(
                condition=models.Q(("receiving_relative__isnull", False)),
                fields=["case"],
                name="care_handover_to_relative",
            ),
        ),
    ]
