"""SAS XPORT version 5 files (one dataset per ``.xpt``), written with pyreadstat.

Constraints (CDISC KB "A Short History of CDISC and SAS Transport Files"; FDA Study Data
Technical Conformance Guide; research/standards.md §1.4): dataset name ≤ 8, variable
names ≤ 8 (upper-case letters, digits, underscore, not starting with a digit), labels
≤ 40, character values ≤ 200 bytes, ASCII only. pyreadstat 1.3.7 silently truncates
long labels and writes 201-byte values and non-ASCII text, so :func:`check_xpt` runs
first and raises a :class:`DomainError` naming the dataset, variable and row.
ADaM dates are numeric SAS dates (days since 1960-01-01) with format ``DATE9.``.
"""

from __future__ import annotations

import math
import re
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pyreadstat

from oncotrial.core.errors import DomainError
from oncotrial.exports.adam.metadata import Dataset, Value, VarType

NAME = re.compile(r"^[A-Z][A-Z0-9_]{0,7}$")
MAX_LABEL = 40
MAX_VALUE_BYTES = 200


def _ascii(text: str) -> bool:
    return text.isascii()


def xpt_problems(ds: Dataset) -> list[DomainError]:
    """Every XPORT v5 violation of ``ds``, each naming ``DATASET.VARIABLE[row]``."""
    out: list[DomainError] = []
    if not NAME.match(ds.name):
        out.append(DomainError(f"{ds.name}", ds.name, "a dataset name of 1-8 upper-case letters, "
                                                      "digits or underscores"))
    if len(ds.label) > MAX_LABEL or not _ascii(ds.label):
        out.append(DomainError(f"{ds.name}.label", ds.label, "an ASCII dataset label of ≤ 40 characters"))
    for var in ds.spec.variables:
        where = f"{ds.name}.{var.name}"
        if not NAME.match(var.name):
            out.append(DomainError(where, var.name, "a variable name of 1-8 upper-case letters, "
                                                    "digits or underscores, not starting with a digit"))
        if len(var.label) > MAX_LABEL or not _ascii(var.label):
            out.append(DomainError(f"{where}.label", var.label, "an ASCII label of ≤ 40 characters"))
        if var.type is VarType.CHAR and var.length > MAX_VALUE_BYTES:
            out.append(DomainError(f"{where}.length", var.length, "a declared length ≤ 200"))
    for i, row in enumerate(ds.rows):
        for name, value in row.items():
            if isinstance(value, str) and (not _ascii(value) or len(value.encode()) > MAX_VALUE_BYTES):
                out.append(DomainError(f"{ds.name}.{name}[{i}]", value,
                                       "ASCII text of ≤ 200 bytes",
                                       "split longer text into numbered variables (e.g. AETERM1) "
                                       "or transliterate non-ASCII characters"))
    return out


def check_xpt(ds: Dataset) -> None:
    """Raise the first XPORT v5 violation (the message counts the others)."""
    problems = xpt_problems(ds)
    if problems:
        first = problems[0]
        more = f" ({len(problems) - 1} more problem(s) in {ds.name})" if len(problems) > 1 else ""
        raise DomainError(first.field, first.value, first.expected + more, first.suggestion)


def to_frame(ds: Dataset) -> pd.DataFrame:
    """The dataset as a DataFrame in spec order: missing text "", missing numbers NaN."""
    columns: dict[str, list[Any]] = {}
    for var in ds.spec.variables:
        values = ds.column(var.name)
        if var.type is VarType.CHAR:
            columns[var.name] = ["" if v is None else v for v in values]
        elif var.is_date:
            columns[var.name] = list(values)
        else:
            columns[var.name] = [math.nan if v is None else float(v) for v in values]  # type: ignore[arg-type]
    return pd.DataFrame(columns, columns=list(ds.spec.names))


def write_xpt(ds: Dataset, folder: Path) -> Path:
    """Check, then write ``<folder>/<name lower-case>.xpt`` (XPORT version 5)."""
    check_xpt(ds)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{ds.name.lower()}.xpt"
    formats = {v.name: v.display_format for v in ds.spec.variables if v.display_format}
    pyreadstat.write_xport(to_frame(ds), str(path), table_name=ds.name, file_label=ds.label,
                           column_labels=[v.label for v in ds.spec.variables],
                           file_format_version=5, variable_format=formats)
    return path


def read_xpt(path: Path) -> tuple[str, str, dict[str, str], list[dict[str, Value]]]:
    """Name, label, variable labels and rows of an XPT file (missing values as None)."""
    frame, meta = pyreadstat.read_xport(str(path))
    rows = [{k: _cell(v) for k, v in rec.items()} for rec in frame.to_dict(orient="records")]
    labels = {str(k): str(v) for k, v in meta.column_names_to_labels.items()}
    return str(meta.table_name), str(meta.file_label), labels, rows


def _cell(value: object) -> Value:
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        day: date = value.date()
        return day
    if isinstance(value, date | str | int | float):
        return value
    raise DomainError("xpt cell", value, "text, a number or a date")


def verify_xpt(ds: Dataset, path: Path) -> None:
    """Read ``path`` back and raise a DomainError at the first value that differs from ``ds``."""
    name, label, labels, rows = read_xpt(path)
    if (name, label) != (ds.name, ds.label):
        raise DomainError(f"{path}", (name, label), f"dataset {ds.name} labelled {ds.label!r}")
    for var in ds.spec.variables:
        if labels.get(var.name) != var.label:
            raise DomainError(f"{path}:{var.name}.label", labels.get(var.name), repr(var.label))
    if len(rows) != len(ds.rows):
        raise DomainError(f"{path}", len(rows), f"{len(ds.rows)} records")
    for i, (want, got) in enumerate(zip(ds.rows, rows, strict=True)):
        for var in ds.spec.variables:
            expected = want.get(var.name)
            expected = float(expected) if isinstance(expected, int) else expected
            if got.get(var.name) != (None if expected == "" else expected):
                raise DomainError(f"{path}:{ds.name}.{var.name}[{i}]", got.get(var.name),
                                  f"{expected!r} as built")
