"""Model fields whose values are encrypted at rest (restricted fields and uploaded files).

Each value and each file is bound to its table, row and column (lib.crypto.Binding): a
ciphertext copied onto another row, into another column, or a file put in another row's
place, does not decrypt. A row's id is part of the binding, so:

- values are decrypted when first read through the row (`Sealed` until then), not as the
  database hands them over: `from_db_value` does not know the row;
- a new row is inserted with its encrypted fields empty, and they are written, encrypted,
  right after in the same transaction (`SealedRowModel.save`): before the insert there is
  no id to bind to;
- a file is saved once its row has an id (the services save the row, then the file).
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import File
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.db.models.query_utils import DeferredAttribute

from homeward.lib.crypto import Binding, CryptoError, is_token
from homeward.protection.keys import decrypt_value, encrypt_value

# What format 1 bound every encrypted file to (before files were bound to their row).
LEGACY_FILE_CONTEXT = "attachment"


def value_binding(field: models.Field[Any, Any], pk: Any) -> Binding:
    model = field.model
    return Binding(
        model._meta.db_table, str(pk), str(field.column), f"{model._meta.label_lower}.{field.name}"
    )


def file_binding(field: models.Field[Any, Any], pk: Any) -> Binding:
    model = field.model
    return Binding(model._meta.db_table, str(pk), str(field.column), LEGACY_FILE_CONTEXT)


class Sealed:
    """A value as the database holds it, opened on first read through its row."""

    __slots__ = ("token",)

    def __init__(self, token: str) -> None:
        self.token = token

    def __repr__(self) -> str:
        return "<encrypted value>"


class SealedAttribute(DeferredAttribute):
    """The field's attribute on an instance: decrypts a loaded value with the instance's id
    on first read, and keeps the clear value for the instance's lifetime."""

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Sealed):
            value = decrypt_value(value.token, value_binding(self.field, instance.pk))
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class EncryptedTextField(models.TextField):
    """Text kept as AES-GCM ciphertext bound to its row and column. Empty text is stored
    empty. The model must be a `SealedRowModel`."""

    descriptor_class = SealedAttribute

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return Sealed(value) if value else value

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = getattr(model_instance, self.attname)
        if not value:
            return value
        if model_instance.pk is None:
            if not getattr(model_instance, "_sealing_after_insert", False):
                raise CryptoError(
                    f"{self.model._meta.label}.{self.name} is encrypted for its row: save "
                    "the row with save(), not in bulk, so that it has an id to bind to."
                )
            return ""
        return encrypt_value(value, value_binding(self, model_instance.pk))

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value and not is_token(value):
            raise CryptoError(
                f"{self.model._meta.label}.{self.name} is written through its row's save(), "
                "which encrypts it for the row; not by update() or a filter."
            )
        return value


class SealedRowModel(models.Model):
    """A model with encrypted fields. A new row is inserted with them empty and they are
    written, encrypted for its id, right after, in the same transaction."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or not self._clear_values():
            super().save(*args, **kwargs)
            return
        with transaction.atomic(using=kwargs.get("using")):
            self._sealing_after_insert = True
            try:
                super().save(*args, **kwargs)
            finally:
                del self._sealing_after_insert
            sealed = {
                field.attname: encrypt_value(value, value_binding(field, self.pk))
                for field, value in self._clear_values()
            }
            type(self)._base_manager.using(self._state.db).filter(pk=self.pk).update(**sealed)

    def _clear_values(self) -> list[tuple[EncryptedTextField, str]]:
        return [
            (field, value)
            for field in self._meta.concrete_fields
            if isinstance(field, EncryptedTextField) and (value := getattr(self, field.attname))
        ]


class SealedFieldFile(FieldFile):
    """An encrypted file, opened and saved with its row's binding."""

    def _binding(self) -> Binding:
        if self.instance.pk is None:
            raise CryptoError(
                f"{self.field.model._meta.label}.{self.field.name}: an encrypted file is "
                "saved once its row has an id, which it is bound to."
            )
        return file_binding(self.field, self.instance.pk)

    def _require(self) -> None:
        if not self:
            raise ValueError(f"The '{self.field.name}' attribute has no file associated with it.")

    def _get_file(self) -> File:
        self._require()
        if getattr(self, "_file", None) is None:
            self._file = self.storage.open_sealed(self.name, self._binding())  # type: ignore[attr-defined]
        return self._file

    def _put_file(self, file: File) -> None:
        self._file = file

    def _drop_file(self) -> None:
        del self._file

    file = property(_get_file, _put_file, _drop_file)

    def open(self, mode: str | None = "rb", *args: Any, **kwargs: Any) -> SealedFieldFile:
        self.file.open(mode)
        return self

    def save(self, name: str, content: Any, save: bool = True) -> None:
        binding = self._binding()
        name = self.field.generate_filename(self.instance, name)
        self.name = self.storage.save_sealed(  # type: ignore[attr-defined]
            name, content, binding, max_length=self.field.max_length
        )
        setattr(self.instance, self.field.attname, self.name)
        self._committed = True
        if save:
            self.instance.save()


class EncryptedFileField(models.FileField):
    """A file kept encrypted on disk (protection.storage), bound to its row."""

    attr_class = SealedFieldFile
