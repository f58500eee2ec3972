"""CSV for every API list: one row per item, nested objects flattened, formula-safe cells.

Kept apart from the views so DRF can import the renderer while it sets itself up.
"""

from __future__ import annotations

import csv
import io

from rest_framework.renderers import BaseRenderer

from pep_portal.platform.spreadsheets import escape_formula


def flatten(row: dict, prefix: str = "") -> dict:
    """{"nightly": {"gap": 1}} -> {"nightly_gap": 1}; lists of scalars joined with '; '."""
    flat: dict = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}_"))
        elif isinstance(value, list | tuple):
            flat[name] = "; ".join(
                str(v) if not isinstance(v, dict) else ", ".join(f"{k}={x}" for k, x in v.items())
                for v in value
            )
        else:
            flat[name] = value
    return flat


def serializer_columns(serializer, prefix: str = "") -> list[str]:
    """The CSV header a serializer's rows flatten to (nested serializers become name_field)."""
    from rest_framework import serializers

    columns = []
    for name, field in serializer.fields.items():
        if isinstance(field, serializers.Serializer):
            columns.extend(serializer_columns(field, f"{prefix}{name}_"))
        else:
            columns.append(f"{prefix}{name}")
    return columns


class CSVRenderer(BaseRenderer):
    """A list as CSV (UTF-8 with a byte-order mark, so Excel reads accents correctly)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"
    render_style = "text"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        renderer_context = renderer_context or {}
        view = renderer_context.get("view")
        if isinstance(data, dict) and "results" in data:
            rows = data["results"]
        elif isinstance(data, list):
            rows = data
        else:
            rows = [data]
        flat_rows = [flatten(r) if isinstance(r, dict) else {"value": r} for r in rows]
        header: list[str] = []
        if view is not None and hasattr(view, "csv_columns"):
            header = view.csv_columns()
        for row in flat_rows:  # anything the serializer did not name (never expected)
            header.extend(k for k, v in row.items() if k not in header and v is not None)
        out = io.StringIO()
        out.write("\ufeff")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([escape_formula(h) for h in header])
        for row in flat_rows:
            writer.writerow([_cell(row.get(h)) for h in header])
        return out.getvalue().encode("utf-8")


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape_formula(value)
