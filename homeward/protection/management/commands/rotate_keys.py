"""`homeward rotate-keys`: add a new key version and re-encrypt every restricted value and
every stored file with it. Old versions stay in the key file so that a backup taken before
the rotation can still be read."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from homeward.cases.models import Attachment
from homeward.protection.fields import encrypted_fields
from homeward.protection.keys import add_new_key, key_ring
from homeward.protection.storage import EncryptedFileSystemStorage


class Command(BaseCommand):
    help = "Add a new encryption key and re-encrypt every restricted value and file with it."

    def handle(self, *args: Any, **options: Any) -> None:
        ring = add_new_key()
        values = sum(self._re_encrypt_column(model, name) for model, name in encrypted_fields())
        files = self._re_encrypt_files()
        self.stdout.write(
            f"Key version {ring.current_version} is now in use: re-encrypted {values} values "
            f"in {len(encrypted_fields())} columns and {files} files."
        )

    def _re_encrypt_column(self, model: Any, name: str) -> int:
        """Read the stored tokens as they are (not through the field, which decrypts)."""
        table = connection.ops.quote_name(model._meta.db_table)
        column = connection.ops.quote_name(model._meta.get_field(name).column)
        pk = connection.ops.quote_name(model._meta.pk.column)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {pk}, {column} FROM {table} WHERE {column} <> ''")  # nosec B608: names from model metadata
            rows = cursor.fetchall()
        ring, context = key_ring(), model._meta.get_field(name).encryption_context
        changed = 0
        with transaction.atomic():
            for row_pk, token in rows:
                if ring.is_current(token):
                    continue
                fresh = ring.encrypt(ring.decrypt(token, context=context), context=context)
                model.objects.filter(pk=row_pk).update(**{name: fresh})
                changed += 1
        return changed

    def _re_encrypt_files(self) -> int:
        storage = Attachment._meta.get_field("file").storage
        assert isinstance(storage, EncryptedFileSystemStorage)
        names = Attachment.objects.values_list("file", flat=True)
        return sum(1 for name in names.iterator() if storage.re_encrypt(name))
