"""Value rows with columns of other tables LEFT JOINed in the same query.

An API page shows each row beside figures from tables it has no relation to (the nightly
snapshot's rows, matched on several columns). Django cannot join those, so a page used to
cost a second query per table and a Python merge of the two lists. Here the page's own SQL
(whatever filters, ordering, cursor and slice the view applied) is wrapped in one statement:

    SELECT p.*, j.a, j.b FROM (<the page's SQL>) p
    LEFT JOIN <table> j ON j.x = p.x AND ... AND j.run_id = %s [AND p.kind = %s]
    ORDER BY <the page's ordering>

so the database matches the rows by index and Python only turns tuples into dicts. Columns
are converted as Django would (the backend's and the fields' converters), so a row reads
the same on SQLite as on PostgreSQL.

    rows = with_left_joins(Result.objects.values("id", "la_id", ...), LeftJoin(...))

``.page_ids_first()`` makes the page's SQL two-step, still one statement: the slice's keys
by a subquery of the filters, ordering and slice alone, then the rows for those keys
(``WHERE pk IN (SELECT pk ... LIMIT n)``), for pages an index of (filter column, key) finds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, Q, QuerySet
from django.db.models.query import BaseIterable, ValuesIterable
from django.db.models.sql.where import WhereNode


@dataclass(frozen=True)
class LeftJoin:
    """A table joined onto each row: ``on`` pairs (its field, the row's value name),
    ``fixed`` (its field, a constant), ``when`` (the row's value name, a constant: rows that
    do not match get nulls), and the ``columns`` added to each row as ``<prefix><field>``."""

    model: type[Model]
    prefix: str
    on: tuple[tuple[str, str], ...]
    columns: tuple[str, ...]
    fixed: tuple[tuple[str, Any], ...] = ()
    when: tuple[tuple[str, Any], ...] = ()


class JoinedValuesIterable(BaseIterable):
    """Yields a dict per row: the values() names, then each join's prefixed columns."""

    def __iter__(self) -> Iterator[dict]:
        queryset = self.queryset
        query = queryset.query
        connection = connections[queryset.db]
        compiler = query.get_compiler(queryset.db)
        if queryset.ids_first and query.is_sliced:
            # The slice's keys first (its filters, ordering and slice, selecting the key
            # alone), then its rows by key alone: the filters are not applied twice, so the
            # planner expects a page of rows, not the filters' estimate of it (a few).
            page_keys = queryset.values_list("pk")
            query = query.clone()
            query.clear_limits()
            query.where = WhereNode()
            query.add_q(Q(pk__in=page_keys))
            compiler = query.get_compiler(queryset.db)
        try:
            inner_sql, inner_params = compiler.as_sql(with_col_aliases=True)
        except EmptyResultSet:
            return
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        inner = compiler.select[: compiler.col_count]
        alias_of = {name: select[2] for name, select in zip(names, inner, strict=True)}
        qn = connection.ops.quote_name

        def outer(name: str) -> str:
            return f"p.{qn(alias_of[name])}"

        columns = [f"p.{qn(select[2])}" for select in inner]
        expressions = [select[0] for select in inner]
        joins, params = [], list(inner_params)
        for n, join in enumerate(queryset.left_joins):
            alias = f"j{n}"
            meta = join.model._meta
            for field_name in join.columns:
                field = meta.get_field(field_name)
                columns.append(f"{alias}.{qn(field.column)}")
                expressions.append(field.get_col(alias))
                names.append(f"{join.prefix}{field_name}")
            conditions = [
                f"{alias}.{qn(meta.get_field(field).column)} = {outer(name)}"
                for field, name in join.on
            ]
            for field, value in join.fixed:
                conditions.append(f"{alias}.{qn(meta.get_field(field).column)} = %s")
                params.append(value)
            for name, value in join.when:
                conditions.append(f"{outer(name)} = %s")
                params.append(value)
            joins.append(f"LEFT JOIN {qn(meta.db_table)} {alias} ON {' AND '.join(conditions)}")
        order = ", ".join(
            f"{outer(o.lstrip('-'))} {'DESC' if o.startswith('-') else 'ASC'}"
            for o in query.order_by
        )
        sql = f"SELECT {', '.join(columns)} FROM ({inner_sql}) p {' '.join(joins)}"
        if order:
            sql += f" ORDER BY {order}"
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        converters = compiler.get_converters(expressions)
        if converters:
            rows = compiler.apply_converters(rows, converters)
        for row in rows:
            yield dict(zip(names, row, strict=True))


class JoinedValuesQuerySet(QuerySet):
    left_joins: tuple[LeftJoin, ...] = ()
    ids_first = False

    def _clone(self):
        clone = super()._clone()
        clone.left_joins = self.left_joins
        clone.ids_first = self.ids_first
        return clone

    def page_ids_first(self) -> JoinedValuesQuerySet:
        """Once sliced, find the slice's primary keys in a subquery of their own (the
        filters, ordering and slice; no columns), then read only those rows: for a page of
        rows spread through a big table, an index holding the filter's column and the key
        finds the page without visiting the rows it skips (``WHERE pk IN (SELECT pk ...
        ORDER BY ... LIMIT n)``). Same rows, same order, for filters on the model's own
        columns and single-valued relations (the rows are read by key, joined as the values
        need: a filter across a many-valued relation would repeat them)."""
        clone = self._chain()
        clone.ids_first = True
        return clone


def with_left_joins(queryset: QuerySet, *joins: LeftJoin) -> QuerySet:
    """A values() queryset whose rows also carry the joined columns (filter, order and slice
    it as usual; an ordering must name values the rows have)."""
    if not issubclass(queryset._iterable_class, ValuesIterable):
        raise TypeError("with_left_joins() needs a values() queryset")
    clone = queryset._chain()
    clone.__class__ = JoinedValuesQuerySet
    clone.left_joins = joins
    clone._iterable_class = JoinedValuesIterable
    return clone
