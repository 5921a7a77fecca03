"""Clean the names kept before `lib.scripts.clean_name` guarded every way in (issue 14,
item 7), with `homeward clean_names`'s own function.

Unlike 0003 (historical models), this runs the live service: each cleaned name gets an
audit entry, and entries are chained with the keyed HMAC that only
`audit.services.record_many` computes (its key is kept outside the database). The service
reads and writes only columns that exist at this point (names, search keys, name keys,
matching work, audit entries). Should a later migration change those tables in a way the
service no longer fits on an old database, make this one a no-op: `homeward clean_names`
does the same work at any time. Cleaning cannot be undone (the characters dropped were
never part of the name): going back leaves the names clean.
"""

from django.db import migrations


def clean_names(apps, schema_editor):
    from homeward.people.cleaning import clean_stored_names

    clean_stored_names()


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_fill_name_keys"),
        ("audit", "0001_initial"),
        ("cases", "0004_import_batch"),
        ("tracing", "0005_candidates_best_first_index"),
    ]

    operations = [migrations.RunPython(clean_names, migrations.RunPython.noop)]
