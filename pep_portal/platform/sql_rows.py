"""Hot, fixed-shape reads written once as SQL (issue 20).

Django builds and compiles a queryset's SQL anew on every request; for the few reads a
page runs on every request whose shape never changes (the school page's), that costs more
CPU than the database takes to answer. Such a read is written here as SQL with
parameters, in the dialect SQLite and PostgreSQL share (tests run on both), and its
columns are converted exactly as the ORM converts a model field's (dates, decimals, JSON,
booleans on SQLite): :func:`rows`."""

from __future__ import annotations

from django.db import connections, router
from django.db.models import Field, Model


def columns(model: type[Model], alias: str) -> str:
    """Every concrete column of ``model`` in field order, as ``alias."column"``."""
    return ", ".join(f'{alias}."{f.column}"' for f in model._meta.concrete_fields)


def rows(model: type[Model], sql: str, params: list, fields: list[Field | None]) -> list[tuple]:
    """``sql``'s rows (read on ``model``'s database), column i converted as the ORM
    converts ``fields[i]`` (None: as the database gives it)."""
    connection = connections[router.db_for_read(model)]
    converters = []
    for i, field in enumerate(fields):
        if field is None:
            continue
        col = field.get_col(field.model._meta.db_table)
        found = [*connection.ops.get_db_converters(col), *col.get_db_converters(connection)]
        if found:
            converters.append((i, col, found))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    if not converters:
        return fetched
    out = []
    for row in fetched:
        values = list(row)
        for i, col, found in converters:
            value = values[i]
            for convert in found:
                value = convert(value, col, connection)
            values[i] = value
        out.append(tuple(values))
    return out


def instances(db: str, row: tuple, models: tuple[type[Model], ...]) -> list:
    """The row's columns (each model's :func:`columns` in turn) split into one instance per
    model, as the ORM makes them (None where the model's first column, its key, is NULL: an
    outer join that found nothing)."""
    out = []
    at = 0
    for model in models:
        names = attnames(model)
        values = row[at : at + len(names)]
        at += len(names)
        out.append(None if values[0] is None else model.from_db(db, names, values))
    return out


def model_fields(model: type[Model]) -> list[Field]:
    return list(model._meta.concrete_fields)


def attnames(model: type[Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]
