"""Inserting many rows of a model at once, without a model instance per row.

Django's bulk_create builds an instance and prepares every value of every row through its
field (about 100 µs a row here); a hundred thousand children are a million rows. These
helpers take plain dicts (attribute name -> value), prepare only the values that need it
(dates, JSON), fill in the fields' defaults and auto_now times, and use the driver's
executemany. Ids are reserved first, so that rows can point at each other before they
are written and references can be numbered at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

from django.db import connection, models
from django.utils import timezone

CHUNK = 5000
# Values of these fields go to the driver as they are.
PLAIN = {
    "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField",
    "ForeignKey", "IntegerField", "OneToOneField", "PositiveIntegerField",
    "PositiveSmallIntegerField", "SmallIntegerField", "TextField",
}  # fmt: skip
_MISSING = object()


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys of `model`'s table, which no other writer will take.
    Call inside the transaction that inserts them."""
    assert connection.in_atomic_block, "reserve ids inside the inserting transaction"
    table = model._meta.db_table
    if count == 0:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the transaction holds the one write lock, so nobody else inserts until
        # it ends; explicit ids move the AUTOINCREMENT counter on.
        cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}")  # nosec B608: quoted table and column names only
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(highest, row[0] if row else 0) + 1
    return list(range(start, start + count))


def insert(model: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT every row (attribute name -> value; defaults fill the rest)."""
    if not rows:
        return
    pk = model._meta.pk
    assert pk is not None
    # Without ids in the rows, the database numbers them.
    with_ids = pk.attname in rows[0]
    fields = [f for f in model._meta.concrete_fields if with_ids or f is not pk]
    now = timezone.now()
    prepare = [_preparer(field) for field in fields]
    # Defaults are the same for every row: prepared once.
    fill = [
        _prepared(_filler(field, now), prep) for field, prep in zip(fields, prepare, strict=True)
    ]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # nosec B608: quoted table and column names only
    names = [f.attname for f in fields]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            values = [
                tuple(
                    _value(row, name, default, prep)
                    for name, default, prep in zip(names, fill, prepare, strict=True)
                )
                for row in rows[start : start + CHUNK]
            ]
            cursor.executemany(sql, values)


def _value(
    row: Mapping[str, Any], name: str, default: Any, prep: Callable[[Any], Any] | None
) -> Any:
    if name not in row:
        if default is _MISSING:
            raise KeyError(f"no value for {name}")
        return default
    value = row[name]
    return prep(value) if prep is not None and value is not None else value


def _prepared(value: Any, prep: Callable[[Any], Any] | None) -> Any:
    if value is _MISSING or value is None or prep is None:
        return value
    return prep(value)


def _filler(field: models.Field[Any, Any], now: Any) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    if field.has_default():
        return field.get_default()
    return None if field.null else _MISSING


def _preparer(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    kind = field.get_internal_type()
    if kind in PLAIN:
        return None
    # What DateField and DateTimeField.get_db_prep_value end with, minus their checks.
    if kind == "DateField":
        return connection.ops.adapt_datefield_value
    if kind == "DateTimeField":
        return connection.ops.adapt_datetimefield_value
    return partial(field.get_db_prep_save, connection=connection)
