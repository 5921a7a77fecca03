"""The search text of an export's filters moves out of the plain `filters` column into
`search`, encrypted for its row as the other restricted fields are (a search for a child's
name is personal data). Going back puts it back."""

from django.db import migrations

import homeward.protection.fields

SEARCH = "q"


def _binding(pk):
    from homeward.lib.crypto import Binding

    return Binding("exports_export", str(pk), "search", "exports.export.search")


def encrypt_search(apps, schema_editor):
    from homeward.protection.keys import encrypt_value

    export = apps.get_model("exports", "Export")
    for pk, filters in export.objects.filter(filters__has_key=SEARCH).values_list("pk", "filters"):
        search = filters.pop(SEARCH) or ""
        token = encrypt_value(search, _binding(pk)) if search else ""
        export.objects.filter(pk=pk).update(filters=filters, search=token)


def decrypt_search(apps, schema_editor):
    from homeward.protection.keys import decrypt_value

    export = apps.get_model("exports", "Export")
    for pk, filters, token in export.objects.exclude(search="").values_list(
        "pk", "filters", "search"
    ):
        filters[SEARCH] = decrypt_value(token.token, _binding(pk))
        export.objects.filter(pk=pk).update(filters=filters, search="")


class Migration(migrations.Migration):
    dependencies = [("exports", "0003_encrypted_file_bound_to_row")]

    operations = [
        migrations.AddField(
            model_name="export",
            name="search",
            field=homeward.protection.fields.EncryptedTextField(blank=True),
        ),
        migrations.RunPython(encrypt_search, decrypt_search),
    ]
