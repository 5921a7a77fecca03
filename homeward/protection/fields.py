"""A model field whose values are encrypted in the database (restricted fields)."""

from __future__ import annotations

from typing import Any

from django.db import models

from homeward.lib.crypto import is_token
from homeward.protection.keys import key_ring


class EncryptedTextField(models.TextField):
    """Text kept as AES-GCM ciphertext; the column name is bound into each value, so a
    value moved to another column does not decrypt. Empty text is stored empty."""

    def contribute_to_class(
        self, cls: type[models.Model], name: str, private_only: bool = False
    ) -> None:
        super().contribute_to_class(cls, name, private_only)
        self.encryption_context = f"{cls._meta.label_lower}.{name}"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if not value or is_token(value):
            return value
        return key_ring().encrypt(value, context=self.encryption_context)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if not value:
            return value
        return key_ring().decrypt(value, context=self.encryption_context)


def encrypted_fields() -> list[tuple[type[models.Model], str]]:
    """Every (model, field name) whose values are encrypted."""
    from django.apps import apps

    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, EncryptedTextField)
    ]
