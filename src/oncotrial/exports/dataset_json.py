"""CDISC Dataset-JSON 1.1 (one dataset per file), from the same dataset specification as XPT.

Structure (CDISC Dataset-JSON v1.1 specification; research/standards.md §6, odmlib's
``dataset_json_1_1`` model): file metadata (``datasetJSONCreationDateTime``,
``datasetJSONVersion`` "1.1.0", ``fileOID``, ``originator``, ``sourceSystem``,
``studyOID``), dataset metadata (``itemGroupOID``, ``records``, ``name``, ``label``),
``columns`` (``itemOID``, ``name``, ``label``, ``dataType``, ``targetDataType``,
``length``, ``displayFormat``, ``keySequence``) and ``rows`` (arrays in column order,
``null`` for missing). ADaM numeric dates are ``dataType`` "date" (ISO 8601 text) with
``targetDataType`` "integer" and ``displayFormat`` "DATE9.".

The official JSON schema is not available offline (standards.md names none), so
:data:`SCHEMA` transcribes its required keys, types and enumerations — stricter than the
official one, as it forbids extra keys — and :func:`check_dataset_json` adds the checks
a schema cannot express (row width, ``records`` = row count, each value's type).
The creation time is passed in: pure code reads no clock.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]

from oncotrial.core.errors import DomainError
from oncotrial.exports.adam.metadata import Dataset, VarType

VERSION = "1.1.0"
DATA_TYPES = ["string", "integer", "decimal", "float", "double", "boolean", "datetime", "date",
              "time", "URI"]
_TEXT = {"type": "string", "minLength": 1}
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "CDISC Dataset-JSON 1.1 (Oncotrial transcription, no extra keys)",
    "type": "object",
    "required": ["datasetJSONCreationDateTime", "datasetJSONVersion", "itemGroupOID", "records",
                 "name", "label", "columns", "rows"],
    "additionalProperties": False,
    "properties": {
        "datasetJSONCreationDateTime": {
            "type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)?$"},
        "datasetJSONVersion": {"type": "string", "pattern": r"^1\.1(\.\d+)?$"},
        "fileOID": _TEXT, "dbLastModifiedDateTime": {"type": "string"}, "originator": _TEXT,
        "sourceSystem": {"type": "object", "required": ["name", "version"], "additionalProperties": False,
                         "properties": {"name": _TEXT, "version": _TEXT}},
        "studyOID": _TEXT, "metaDataVersionOID": _TEXT, "metaDataRef": _TEXT, "itemGroupOID": _TEXT,
        "isReferenceData": {"type": "boolean"},
        "records": {"type": "integer", "minimum": 0},
        "name": {"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9_]*$"}, "label": _TEXT,
        "columns": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False,
            "required": ["itemOID", "name", "label", "dataType"],
            "properties": {
                "itemOID": _TEXT, "name": {"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9_]*$"},
                "label": _TEXT, "dataType": {"enum": DATA_TYPES},
                "targetDataType": {"enum": ["integer", "decimal"]},
                "length": {"type": "integer", "minimum": 1}, "displayFormat": _TEXT,
                "keySequence": {"type": "integer", "minimum": 1}}}},
        "rows": {"type": "array", "items": {"type": "array"}},
    },
}
_PYTHON_TYPES: dict[str, tuple[type, ...]] = {"string": (str,), "date": (str,), "integer": (int,),
                                              "double": (int, float), "decimal": (str,)}


def dataset_json(ds: Dataset, *, created: datetime, software_version: str = "0.1.0") -> dict[str, Any]:
    """The Dataset-JSON 1.1 document of ``ds`` (label says SIMULATED for simulated data)."""
    study = str(ds.rows[0]["STUDYID"]) if ds.rows else "UNKNOWN"
    keys = [v for v in ds.spec.variables if v.key]
    columns: list[dict[str, Any]] = []
    for var in ds.spec.variables:
        col: dict[str, Any] = {"itemOID": f"IT.{ds.name}.{var.name}", "name": var.name,
                               "label": var.label, "dataType": var.data_type}
        if var.is_date:
            col.update(targetDataType="integer", displayFormat="DATE9.")
        if var.type is VarType.CHAR:
            longest = max((len(str(v)) for v in ds.column(var.name) if v is not None), default=1)
            col["length"] = max(1, longest)
        if var in keys:
            col["keySequence"] = keys.index(var) + 1
        columns.append(col)
    rows = [[_json_value(row.get(v.name)) for v in ds.spec.variables] for row in ds.rows]
    return {
        "datasetJSONCreationDateTime": created.isoformat(timespec="seconds"),
        "datasetJSONVersion": VERSION, "fileOID": f"oncotrial.{study}.ADaM.{ds.name}",
        "originator": "Oncotrial", "sourceSystem": {"name": "Oncotrial", "version": software_version},
        "studyOID": study, "metaDataVersionOID": "MDV.ADaM", "itemGroupOID": f"IG.{ds.name}",
        "isReferenceData": False, "records": len(rows), "name": ds.name, "label": ds.label,
        "columns": columns, "rows": rows,
    }


def _json_value(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else (None if value == "" else value)


def check_dataset_json(doc: object) -> None:
    """Raise a DomainError at the first schema or structural problem of a Dataset-JSON document."""
    errors = sorted(jsonschema.Draft202012Validator(SCHEMA).iter_errors(doc), key=lambda e: list(e.path))
    if errors:
        path = "/".join(str(p) for p in errors[0].absolute_path) or "(root)"
        raise DomainError(f"dataset-json:{path}", errors[0].instance, errors[0].message)
    assert isinstance(doc, dict)
    columns, rows = doc["columns"], doc["rows"]
    if doc["records"] != len(rows):
        raise DomainError("dataset-json:records", doc["records"], f"the row count {len(rows)}")
    names = [c["name"] for c in columns]
    if len(set(names)) != len(names):
        raise DomainError("dataset-json:columns", names, "unique column names")
    for i, row in enumerate(rows):
        if len(row) != len(columns):
            raise DomainError(f"dataset-json:rows/{i}", len(row), f"{len(columns)} values")
        for col, value in zip(columns, row, strict=True):
            allowed = _PYTHON_TYPES.get(col["dataType"], (object,))
            if value is not None and (isinstance(value, bool) or not isinstance(value, allowed)):
                raise DomainError(f"dataset-json:rows/{i}/{col['name']}", value,
                                  f"a {col['dataType']} value or null")
            if col["dataType"] == "date" and value is not None:
                _iso_date(value, f"dataset-json:rows/{i}/{col['name']}")


def _iso_date(value: object, field: str) -> None:
    try:
        date.fromisoformat(str(value))
    except ValueError:
        raise DomainError(field, value, "an ISO 8601 date YYYY-MM-DD") from None


def write_dataset_json(ds: Dataset, folder: Path, *, created: datetime) -> Path:
    """Build, check and write ``<folder>/<name lower-case>.json``."""
    doc = dataset_json(ds, created=created)
    check_dataset_json(doc)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{ds.name.lower()}.json"
    path.write_text(json.dumps(doc, ensure_ascii=True, indent=1) + "\n", encoding="utf-8")
    return path
