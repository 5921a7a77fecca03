"""A case's spells in order with the facts a flow reads of the one at the period's end
(status, host, placement), so that a flow grouped or filtered by them reads this index
alone, a child at a time (issue 21)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0007_transition_reached_index'),
        ('statistics', '0004_cells'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='casespell',
            index=models.Index(fields=['case', 'starts_on', 'status', 'country', 'facility_kind'], name='statistics_spell_case_facts'),
        ),
        migrations.RemoveIndex(
            model_name='casespell',
            name='statistics__case_id_fe9b58_idx',
        ),
    ]
