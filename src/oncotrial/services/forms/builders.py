"""Short constructors for field declarations and helpers shared by the form definitions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from oncotrial.core.units import SPECS, Measurand
from oncotrial.persistence.models import FormRecord
from oncotrial.services.forms.spec import FieldError, FieldKind, FieldSpec
from oncotrial.services.forms.units import EXTRA


def integer(
    name: str,
    label: str,
    *,
    required: bool = False,
    minimum: float | None = None,
    maximum: float | None = None,
    help: str = "",
) -> FieldSpec:
    return FieldSpec(name, label, FieldKind.INTEGER, required, minimum=minimum, maximum=maximum, help=help)


def decimal(
    name: str,
    label: str,
    *,
    required: bool = False,
    minimum: float | None = None,
    maximum: float | None = None,
    help: str = "",
) -> FieldSpec:
    return FieldSpec(name, label, FieldKind.DECIMAL, required, minimum=minimum, maximum=maximum, help=help)


def text(
    name: str, label: str, *, required: bool = False, max_length: int = 500, help: str = ""
) -> FieldSpec:
    return FieldSpec(name, label, FieldKind.TEXT, required, max_length=max_length, help=help)


def day(name: str, label: str, *, required: bool = False, help: str = "") -> FieldSpec:
    return FieldSpec(name, label, FieldKind.DATE, required, help=help)


def boolean(name: str, label: str, *, required: bool = False, help: str = "") -> FieldSpec:
    return FieldSpec(name, label, FieldKind.BOOLEAN, required, help=help)


def choice(
    name: str,
    label: str,
    options: Sequence[tuple[str, str]] | Sequence[str],
    *,
    required: bool = False,
    help: str = "",
) -> FieldSpec:
    pairs = tuple((o, o.replace("_", " ")) if isinstance(o, str) else (o[0], o[1]) for o in options)
    return FieldSpec(name, label, FieldKind.CHOICE, required, choices=pairs, help=help)


def measurement(
    name: str, label: str, measurand: str, *, required: bool = False, help: str = ""
) -> FieldSpec:
    units = EXTRA[measurand].units if measurand in EXTRA else SPECS[Measurand(measurand)].accepted_units
    return FieldSpec(
        name, label, FieldKind.MEASUREMENT, required, units=units, measurand=measurand, help=help
    )


def table(
    name: str,
    label: str,
    columns: Sequence[FieldSpec],
    *,
    required: bool = False,
    max_rows: int = 50,
    help: str = "",
) -> FieldSpec:
    return FieldSpec(
        name, label, FieldKind.TABLE, required, columns=tuple(columns), max_rows=max_rows, help=help
    )


def as_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def record_date(record: FormRecord, field: str) -> date | None:
    return as_date(record.data.get(field)) if isinstance(record.data, dict) else None


def before(
    records: Sequence[FormRecord], field: str, on: date, *, inclusive: bool = True
) -> list[FormRecord]:
    """Records dated on or before ``on`` (strictly before unless ``inclusive``), oldest first."""
    dated = [
        (d, r.pk, r)
        for r in records
        if (d := record_date(r, field)) is not None and (d <= on if inclusive else d < on)
    ]
    return [r for _, _, r in sorted(dated, key=lambda t: (t[0], t[1]))]


def date_order(data: Mapping[str, Any], first: str, second: str, message: str) -> list[FieldError]:
    """An error on ``second`` when it is before ``first`` (both present)."""
    a, b = as_date(data.get(first)), as_date(data.get(second))
    if a is not None and b is not None and b < a:
        return [FieldError(second, data[second], message)]
    return []


def required_when(data: Mapping[str, Any], condition: bool, field: str, why: str) -> list[FieldError]:
    if condition and data.get(field) in (None, ""):
        return [FieldError(field, None, f"a value when {why}")]
    return []
