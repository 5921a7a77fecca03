"""File storage that keeps uploaded documents and photos encrypted on disk."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage

from homeward.protection.keys import key_ring

CONTEXT = "attachment"


class EncryptedFileSystemStorage(FileSystemStorage):
    """Files under MEDIA_ROOT, each encrypted whole with the current key. Attachments are
    limited in size (settings.ATTACHMENT_MAX_BYTES), so whole-file encryption is fine."""

    def _save(self, name: str, content: Any) -> str:
        content.seek(0)
        token = key_ring().encrypt_bytes(content.read(), context=CONTEXT)
        return str(super()._save(name, ContentFile(token)))  # type: ignore[misc]

    def _open(self, name: str, mode: str = "rb") -> File:
        with super()._open(name, "rb") as stored:  # type: ignore[misc]
            plain = key_ring().decrypt_bytes(stored.read(), context=CONTEXT)
        return ContentFile(plain, name=name)

    def re_encrypt(self, name: str) -> bool:
        """Re-encrypt one file with the current key; False if it already was."""
        with super()._open(name, "rb") as stored:  # type: ignore[misc]
            token = stored.read()
        ring = key_ring()
        if ring.is_current_bytes(token):
            return False
        plain = ring.decrypt_bytes(token, context=CONTEXT)
        with open(self.path(name), "wb") as target:
            target.write(ring.encrypt_bytes(plain, context=CONTEXT))
        return True
