"""Generic eCRF pages: posted inputs ↔ a form's data, from its declaration (``FormSpec``).

Input names mirror the data paths: ``weight.value``/``weight.unit`` for a measurement,
``lesions.2.longest_diameter_mm`` for a table cell. Empty inputs are left out (never
guessed); every rule and check runs in the service.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from oncotrial.services.forms import FieldKind, FieldSpec, FormSpec

BLANK_TABLE_ROWS: Final = 3
_INDEX = re.compile(r"\[(\d+)\]")


def _text(post: Mapping[str, str], key: str) -> str:
    return (post.get(key) or "").strip()


def _field_value(field: FieldSpec, post: Mapping[str, str], prefix: str) -> object | None:
    name = prefix + field.name
    if field.kind is FieldKind.MEASUREMENT:
        value, unit = _text(post, f"{name}.value"), _text(post, f"{name}.unit")
        return {"value": value, "unit": unit} if value else None
    if field.kind is FieldKind.BOOLEAN:
        raw = _text(post, name)
        if raw in {"yes", "no"}:
            return raw == "yes"
        return raw or None  # anything else goes to the form's validation, which names it
    if field.kind is FieldKind.TABLE:
        return None
    raw = _text(post, name)
    return raw or None


def post_to_data(spec: FormSpec, post: Mapping[str, str]) -> dict[str, Any]:
    """The data dict of ``spec`` from the posted inputs (table rows that are all empty are dropped)."""
    data: dict[str, Any] = {}
    for field in spec.fields:
        if field.kind is FieldKind.TABLE:
            rows = []
            for i in range(field.max_rows):
                prefix = f"{field.name}.{i}."
                if not any(k.startswith(prefix) for k in post):
                    break
                row = {c.name: v for c in field.columns if (v := _field_value(c, post, prefix)) is not None}
                if row:
                    rows.append(row)
            if rows:
                data[field.name] = rows
            continue
        value = _field_value(field, post, "")
        if value is not None:
            data[field.name] = value
    return data


def input_name(path: str, spec: FormSpec) -> str:
    """The input an error path points at: ``lesions[1].ld`` → ``lesions.1.ld``; a measurement → its value."""
    name = _INDEX.sub(r".\1", path)
    kinds = {f.name: f.kind for f in spec.fields}
    if kinds.get(name) is FieldKind.MEASUREMENT:
        return f"{name}.value"
    return name


def data_to_inputs(spec: FormSpec, data: Mapping[str, Any]) -> dict[str, str]:
    """Input values for showing saved ``data`` in the form."""
    values: dict[str, str] = {}

    def put(field: FieldSpec, value: Any, prefix: str) -> None:
        name = prefix + field.name
        if field.kind is FieldKind.MEASUREMENT and isinstance(value, Mapping):
            values[f"{name}.value"] = str(value.get("value", ""))
            values[f"{name}.unit"] = str(value.get("unit", ""))
        elif field.kind is FieldKind.BOOLEAN:
            values[name] = "" if value is None else ("yes" if value else "no")
        elif value is not None:
            values[name] = str(value)

    for field in spec.fields:
        value = data.get(field.name)
        if field.kind is FieldKind.TABLE:
            for i, row in enumerate(value or []):
                for column in field.columns:
                    put(column, row.get(column.name), f"{field.name}.{i}.")
        else:
            put(field, value, "")
    return values


@dataclass(frozen=True, slots=True)
class TableView:
    field: FieldSpec
    rows: range


def table_views(spec: FormSpec, data: Mapping[str, Any]) -> dict[str, TableView]:
    """How many rows each table shows: the saved rows plus a few blank ones."""
    views = {}
    for field in spec.fields:
        if field.kind is FieldKind.TABLE:
            saved = len(data.get(field.name) or [])
            views[field.name] = TableView(field, range(min(field.max_rows, saved + BLANK_TABLE_ROWS)))
    return views
