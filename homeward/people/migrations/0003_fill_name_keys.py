"""Store the engine's name keys of every person already registered (people.NameKey)."""

from collections import defaultdict

from django.db import migrations

CHUNK = 2000


def fill_name_keys(apps, schema_editor):
    # Computed as people.name_keys.index_names computes them, on the historical models.
    from homeward.matching.name_keys import name_keys

    Person = apps.get_model("people", "Person")
    PersonName = apps.get_model("people", "PersonName")
    NameKey = apps.get_model("people", "NameKey")
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        names = defaultdict(list)
        spellings = PersonName.objects.filter(person_id__in=chunk).order_by("id")
        for person_id, full_name in spellings.values_list("person_id", "full_name"):
            names[person_id].append(full_name)
        rows = [
            NameKey(person_id=pk, key=key) for pk in chunk for key in name_keys(names[pk])
        ]
        NameKey.objects.bulk_create(rows, batch_size=CHUNK)


def remove_name_keys(apps, schema_editor):
    apps.get_model("people", "NameKey").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0002_name_keys")]

    operations = [migrations.RunPython(fill_name_keys, remove_name_keys)]
