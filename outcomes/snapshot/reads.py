"""Reading a nightly part's rows into a DataFrame without building Python objects per row.

On PostgreSQL the query runs inside ``COPY (...) TO STDOUT`` and pandas parses the CSV in C
(pandas 3 parses floats exactly, so every value is the stored float); elsewhere (SQLite: tests
and the demo) a plain cursor's tuples become the frame. Either way the frame has the same
columns and dtypes: ``ints`` as int64, ``floats`` as float64 (NaN for NULL), the rest text (object dtype).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

import pandas as pd
from django.db import connection, models

NULL = "\\N"
# Sort memory for a part's read on PostgreSQL (SET LOCAL: this transaction only). The school
# read sorts each school's rows by measure for its latest years (a window): the biggest part's
# ~750,000 rows need ~40 MB a process, and the default 4 MB spilled them to temporary files
# (external merge, ~55 MB written and read back per part; issue 20).
READ_WORK_MEM = "64MB"


def table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def in_list(values: Iterable) -> tuple[str, list]:
    """``(%s, %s, ...)`` and its parameters, for ``IN`` on any database."""
    params = list(values)
    if not params:
        return "(NULL)", []
    return "(" + ", ".join(["%s"] * len(params)) + ")", params


def read_frame(
    sql: str,
    params: Sequence,
    columns: Sequence[str],
    *,
    ints: Sequence[str] = (),
    floats: Sequence[str] = (),
) -> pd.DataFrame:
    """The rows of ``sql`` (``%s`` parameters) as a frame named ``columns``."""
    texts = [c for c in columns if c not in ints and c not in floats]
    if connection.vendor == "postgresql":
        frame = _copy_out(sql, params, columns, texts)
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            frame = pd.DataFrame.from_records(cursor.fetchall(), columns=list(columns))
    for name in ints:
        frame[name] = frame[name].astype("int64")
    for name in floats:
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype("float64")
    for name in texts:  # plain Python strings (object dtype): cheaper than Arrow-backed text
        frame[name] = frame[name].fillna("").astype(object)
    return frame


def _copy_out(sql: str, params: Sequence, columns: Sequence[str], texts: list[str]):
    buf = io.BytesIO()
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg2's own cursor: mogrify and copy_expert
        if connection.in_atomic_block:  # a nightly part's transaction: SET LOCAL holds
            raw.execute(f"SET LOCAL work_mem = '{READ_WORK_MEM}'")
        query = raw.mogrify(sql, list(params)).decode()
        raw.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, NULL '{NULL}')", buf)
    buf.seek(0)
    if not buf.getbuffer().nbytes:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    return pd.read_csv(
        buf,
        names=list(columns),
        header=None,
        na_values=[NULL],
        keep_default_na=False,
        dtype={c: object for c in texts},
    )
