"""Insert many rows without a model instance per row.

bulk_create builds a model and prepares every field of every row in Python;
for the hundreds of thousands of readings and diary scores of a registry that
is most of the time spent. This takes tuples in a given field order, prepares
only the fields whose database form differs from the Python value (dates,
decimals, JSON), and sends them with executemany. Every NOT NULL field must be
given: defaults and auto_now are not applied.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice

from django.db import connections, models, router

_PREPARED = (models.DateTimeField, models.DateField, models.DecimalField, models.JSONField)


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence],
    *,
    batch_size: int = 5000,
    replace_on: Sequence[str] = (),
) -> int:
    """Insert the rows; with `replace_on` (the fields of a unique constraint), a row that
    collides with a stored one replaces its other fields instead (INSERT ... ON CONFLICT DO
    UPDATE, which SQLite and PostgreSQL both speak)."""
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    concrete = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in concrete)}) "
        f"VALUES ({', '.join(['%s'] * len(concrete))})"
    )
    if replace_on:
        keys = [meta.get_field(name).column for name in replace_on]
        updates = [f.column for f in concrete if f.column not in keys]
        sql += f" ON CONFLICT ({', '.join(map(quote, keys))}) DO UPDATE SET " + ", ".join(
            f"{quote(c)} = excluded.{quote(c)}" for c in updates
        )
    prepared = [
        (index, field) for index, field in enumerate(concrete) if isinstance(field, _PREPARED)
    ]
    count = 0
    cache: dict = {}
    iterator = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(islice(iterator, batch_size)):
            if prepared:
                batch = [_prepare(row, prepared, connection, cache) for row in batch]
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _prepare(row: Sequence, prepared, connection, cache: dict) -> list:
    """Prepare the values that need it; equal values (a timestamp, an empty list) once."""
    values = list(row)
    for index, field in prepared:
        value = values[index]
        try:
            key = (index, tuple(value) if isinstance(value, list) else value)
            hash(key)
        except TypeError:
            values[index] = field.get_db_prep_save(value, connection)
            continue
        if key not in cache:
            cache[key] = field.get_db_prep_save(value, connection)
        values[index] = cache[key]
    return values
