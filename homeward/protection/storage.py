"""File storage that keeps uploaded documents, photos, import files and exports encrypted
on disk, each bound to its row (protection.fields.EncryptedFileField).

Files are written durably (a temporary file, fsynced, renamed into place, the folder
fsynced) and readable by their owner only. A rewrite (key rotation) goes through the same
steps, so that a crash leaves the old file or the new one, whole, never a truncated one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage
from django.core.files.utils import validate_file_name

from homeward.lib.crypto import HEADER_BYTES, Binding, TokenHeader, bytes_header, write_durably
from homeward.protection.keys import decrypt_file, encrypt_file, key_ring


class EncryptedFileSystemStorage(FileSystemStorage):
    """Files under MEDIA_ROOT, each encrypted whole with the current key. Attachments are
    limited in size (settings.ATTACHMENT_MAX_BYTES), so whole-file encryption is fine."""

    def save_sealed(
        self, name: str, content: Any, binding: Binding, max_length: int | None = None
    ) -> str:
        validate_file_name(name, allow_relative_path=True)
        name = self.get_available_name(name, max_length=max_length)
        content.seek(0)
        write_durably(Path(self.path(name)), encrypt_file(content.read(), binding))
        return name.replace("\\", "/")

    def open_sealed(self, name: str, binding: Binding) -> File:
        return ContentFile(decrypt_file(self.read_token(name), binding), name=name)

    def read_token(self, name: str) -> bytes:
        with open(self.path(name), "rb") as stored:
            return stored.read()

    def header(self, name: str) -> TokenHeader:
        with open(self.path(name), "rb") as stored:
            return bytes_header(stored.read(HEADER_BYTES))

    def rewrite(self, name: str, binding: Binding) -> bool:
        """Re-encrypt one file with the current key, bound to its row; False if it was
        already. Raises CryptoError if the file does not decrypt (damaged), and
        FileNotFoundError if it is gone."""
        token = self.read_token(name)
        ring = key_ring()
        if ring.is_current(bytes_header(token)):
            return False
        plain = decrypt_file(token, binding)
        write_durably(Path(self.path(name)), ring.encrypt_bytes(plain, binding))
        return True

    def _save(self, name: str, content: Any) -> str:
        raise TypeError("Encrypted files are saved through their field (save_sealed).")

    def _open(self, name: str, mode: str = "rb") -> File:
        raise TypeError("Encrypted files are opened through their field (open_sealed).")
