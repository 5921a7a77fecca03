"""What is encrypted where: every encrypted column and file field, the tokens they hold,
and whether the keys at hand read them (a sample at start, everything after a restore).

Tokens are read as the database holds them (raw SQL, not through the fields, which would
decrypt).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection, models

from homeward.lib.crypto import CryptoError, TokenHeader, parse_token
from homeward.protection.fields import (
    EncryptedFileField,
    EncryptedTextField,
    value_binding,
)
from homeward.protection.keys import decrypt_value
from homeward.protection.storage import EncryptedFileSystemStorage

CHUNK = 500


def encrypted_columns() -> list[EncryptedTextField]:
    return _fields_of(EncryptedTextField)


def encrypted_file_fields() -> list[EncryptedFileField]:
    return _fields_of(EncryptedFileField)


def _fields_of(kind: type) -> list[Any]:
    return [
        f
        for model in apps.get_models()
        for f in model._meta.concrete_fields
        if isinstance(f, kind) and f.model is model
    ]


def storage_of(file_field: EncryptedFileField) -> EncryptedFileSystemStorage:
    storage = file_field.storage
    assert isinstance(storage, EncryptedFileSystemStorage), file_field
    return storage


def label(f: models.Field[Any, Any]) -> str:
    return f"{f.model._meta.db_table}.{f.column}"


def _names(f: models.Field[Any, Any]) -> tuple[str, str, str]:
    quote = connection.ops.quote_name
    pk = f.model._meta.pk
    assert pk is not None
    return quote(f.model._meta.db_table), quote(str(f.column)), quote(str(pk.column))


def stored_rows(
    f: models.Field[Any, Any], *, after: Any = None, limit: int = CHUNK, prefix_only: bool = False
) -> list[tuple[Any, str]]:
    """(primary key, stored text) of the rows whose column is not empty, by primary key,
    from after `after`: one page of a keyset walk."""
    table, column, pk = _names(f)
    value = f"SUBSTR({column}, 1, 24)" if prefix_only else column
    where = f"{column} <> ''" + (f" AND {pk} > %s" if after is not None else "")
    sql = f"SELECT {pk}, {value} FROM {table} WHERE {where} ORDER BY {pk} LIMIT {int(limit)}"  # nosec B608: quoted names from model metadata
    with connection.cursor() as cursor:
        cursor.execute(sql, [after] if after is not None else [])
        return list(cursor.fetchall())


def walk(
    f: models.Field[Any, Any], *, after: Any = None, prefix_only: bool = False
) -> Iterator[tuple[Any, str]]:
    while True:
        rows = stored_rows(f, after=after, prefix_only=prefix_only)
        yield from rows
        if len(rows) < CHUNK:
            return
        after = rows[-1][0]


def _tables() -> set[str]:
    return set(connection.introspection.table_names())


def encrypted_data_summary() -> str:
    """'' if the database holds no encrypted value or file, else how many (in words)."""
    tables = _tables()
    values = files = 0
    for f in [*encrypted_columns(), *encrypted_file_fields()]:
        if f.model._meta.db_table not in tables:
            continue
        table, column, _ = _names(f)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {column} <> ''")  # nosec B608: quoted names from model metadata
            count = int(cursor.fetchone()[0])
        if isinstance(f, EncryptedFileField):
            files += count
        else:
            values += count
    if not values and not files:
        return ""
    return f"{values} encrypted values and {files} encrypted files"


@dataclass
class Unreadable:
    """A value or file the keys do not read, and why."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class Reading:
    """What a check of the encrypted data found."""

    values: int = 0
    files: int = 0
    unreadable: list[Unreadable] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)
    legacy: int = 0  # format 1: bound to the column only, until the next rotation

    @property
    def ok(self) -> bool:
        return not self.unreadable and not self.missing_files


def read_everything() -> Reading:
    """Decrypt every encrypted value and every encrypted file (after a restore)."""
    reading = Reading()
    for column in encrypted_columns():
        for pk, token in walk(column):
            reading.values += 1
            _try_value(reading, column, pk, token)
    for file_field in encrypted_file_fields():
        for pk, name in walk(file_field):
            reading.files += 1
            _try_file(reading, file_field, pk, name)
    return reading


def _try_value(reading: Reading, column: EncryptedTextField, pk: Any, token: str) -> None:
    try:
        header = parse_token(token)[0]
        decrypt_value(token, value_binding(column, pk))
    except CryptoError as error:
        reading.unreadable.append(Unreadable(f"{label(column)} of row {pk}", str(error)))
        return
    reading.legacy += header.prefix != "hw2"


def _try_file(reading: Reading, file_field: EncryptedFileField, pk: Any, name: str) -> None:
    try:
        with file_field.attr_class(_Row(pk), file_field, name).open("rb"):  # type: ignore[arg-type]
            pass
    except FileNotFoundError:
        reading.missing_files.append(f"{name} ({label(file_field)} of row {pk})")
    except CryptoError as error:
        reading.unreadable.append(
            Unreadable(f"{name} ({label(file_field)} of row {pk})", str(error))
        )


class _Row:
    """Just enough of a model instance for a field file: its primary key."""

    def __init__(self, pk: Any) -> None:
        self.pk = pk


def read_sample(per_kind: int = 2) -> Reading:
    """A quick check at start: for each column, one value of each key version and format it
    holds; for each file field, the first and last few files. Enough to see a key file that
    is missing a version, or belongs to another installation."""
    reading = Reading()
    tables = _tables()
    for column in encrypted_columns():
        if column.model._meta.db_table not in tables:
            continue
        samples: dict[TokenHeader, Any] = {}
        for pk, prefix in walk(column, prefix_only=True):
            try:
                header = parse_token(prefix)[0]
            except CryptoError as error:
                reading.unreadable.append(Unreadable(f"{label(column)} of row {pk}", str(error)))
                continue
            samples.setdefault(header, pk)
        for pk in samples.values():
            token = stored_token(column, pk)
            reading.values += 1
            _try_value(reading, column, pk, token)
    for file_field in encrypted_file_fields():
        if file_field.model._meta.db_table not in tables:
            continue
        rows = stored_rows(file_field, limit=per_kind) + _last_rows(file_field, per_kind)
        for pk, name in dict(rows).items():
            reading.files += 1
            _try_file(reading, file_field, pk, name)
    return reading


def stored_token(f: models.Field[Any, Any], pk: Any) -> str:
    table, column, pk_column = _names(f)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {pk_column} = %s", [pk])  # nosec B608: quoted names from model metadata
        return str(cursor.fetchone()[0])


def _last_rows(f: models.Field[Any, Any], count: int) -> list[tuple[Any, str]]:
    table, column, pk = _names(f)
    sql = (
        f"SELECT {pk}, {column} FROM {table} WHERE {column} <> '' "  # nosec B608: quoted names
        f"ORDER BY {pk} DESC LIMIT {int(count)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return list(cursor.fetchall())
