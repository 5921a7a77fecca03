"""Inserting many rows of a model at once, without a model instance per row.

Django's bulk_create builds an instance and prepares every value of every row through its
field (about 100 µs a row here); a hundred thousand children are a million rows. These
helpers take plain dicts (attribute name -> value), prepare only the values that need it
(dates, JSON), fill in the fields' defaults and auto_now times, and hand them to the
database in one stream: COPY on PostgreSQL (psycopg's executemany there costs a round trip
a row), executemany on SQLite. Ids are reserved first, so that rows can point at each
other before they are written and references can be numbered at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import partial
from typing import Any

from django.db import connection, models
from django.utils import timezone

from homeward.audit.services import insert_rows

CHUNK = 5000
# SQLite's page cache while an import writes, in KiB (its default is 2,000).
SQLITE_CACHE_KIB = 256 * 1024
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


@contextmanager
def roomy_cache() -> Iterator[None]:
    """A larger SQLite page cache while it lasts. The indexes of a hundred thousand new rows
    (names, references, external ids, in no order) outgrow the default 2 MB, and then
    every insert reads back pages it wrote a moment ago: 100k rows took 14 times as long
    as 10k. The cache takes memory only as pages fill it."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {before}")


def insert(model: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT every row (attribute name -> value; fields no row names take their default).
    Every row names the same fields. PostgreSQL gets the rows by COPY, SQLite by one
    executemany a chunk."""
    if not rows:
        return
    pk = model._meta.pk
    assert pk is not None
    given = rows[0].keys()
    # Without ids in the rows, the database numbers them.
    fields = [f for f in model._meta.concrete_fields if f is not pk or pk.attname in given]
    now = timezone.now()
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        columns = [_column(field, chunk, given, now) for field in fields]
        insert_rows(
            model._meta.db_table, [f.column for f in fields], list(zip(*columns, strict=True))
        )


def _column(
    field: models.Field[Any, Any], rows: Sequence[Mapping[str, Any]], given: Any, now: Any
) -> Sequence[Any]:
    """One field's prepared values, row by row: a column is built faster than a row."""
    prep = _preparer(field)
    name = field.attname
    if name not in given:
        default = _prepared(_filler(field, now), prep)  # the same for every row
        if default is _MISSING:
            raise KeyError(f"no value for {name}")
        return [default] * len(rows)
    if prep is None:
        return [row[name] for row in rows]
    return [None if (value := row[name]) is None else prep(value) for row in rows]


def _prepared(value: Any, prep: Callable[[Any], Any] | None) -> Any:
    if value is _MISSING or value is None or prep is None:
        return value
    return prep(value)


def _filler(field: models.Field[Any, Any], now: Any) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    if field.has_default():
        return field.get_default()
    if field.null:
        return None
    # What a model instance is given: empty text for a text field left out.
    return "" if field.empty_strings_allowed and field.blank else _MISSING


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
