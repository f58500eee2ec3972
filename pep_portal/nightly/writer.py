"""Writing snapshot rows fast: PostgreSQL COPY for big frames, bulk_create elsewhere."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pandas as pd
from django.db import connection, models


def _column_values(model, frame: pd.DataFrame) -> tuple[list[str], pd.DataFrame]:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    out = pd.DataFrame(index=frame.index)
    for f in fields:
        if f.attname in frame.columns:
            series = frame[f.attname]
        elif f.name in frame.columns:
            series = frame[f.name]
        else:  # not computed by the step: the field's default (Django's, not the database's)
            series = pd.Series([f.get_default()] * len(frame), index=frame.index, dtype=object)
        if isinstance(f, models.JSONField):
            series = series.map(lambda v: json.dumps(v, separators=(",", ":")))
        elif isinstance(f, models.BooleanField):
            series = series.astype("boolean")
        elif isinstance(f, models.IntegerField | models.ForeignKey):
            series = pd.to_numeric(series, errors="coerce").round().astype("Int64")
        elif isinstance(f, models.FloatField):
            series = pd.to_numeric(series, errors="coerce").astype(float)
        elif isinstance(f, models.CharField):
            series = series.fillna("").astype(str)
        out[f.column] = series
    return [f.column for f in fields], out


def write_frame(model, frame: pd.DataFrame) -> int:
    """Insert one row per frame row (columns named as the model's fields). Returns the count."""
    if frame.empty:
        return 0
    columns, values = _column_values(model, frame)
    if connection.vendor == "postgresql":
        buf = io.StringIO()
        values.to_csv(buf, index=False, header=False, na_rep="\\N", quoting=csv.QUOTE_MINIMAL)
        buf.seek(0)
        table = connection.ops.quote_name(model._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f"COPY {table} ({cols}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buf
            )
        return len(values)
    attnames = {f.column: f.attname for f in model._meta.concrete_fields}
    objs = []
    for record in values.itertuples(index=False, name=None):
        kwargs = {}
        for col, v in zip(columns, record, strict=True):
            if v is pd.NA or (isinstance(v, float) and np.isnan(v)):
                v = None
            elif isinstance(v, np.generic):
                v = v.item()
            kwargs[attnames[col]] = v
        objs.append(model(**kwargs))
    for f in model._meta.concrete_fields:
        if isinstance(f, models.JSONField):
            for obj in objs:
                setattr(obj, f.attname, json.loads(getattr(obj, f.attname)))
    model.objects.bulk_create(objs, batch_size=1000)
    return len(objs)
