"""Check entered values against a :class:`FormSpec` and normalise them for storage.

Every field is checked and every problem is reported (not only the first). Accepted
input is what a web form, a JSON API or the conductor sends: numbers as numbers or
decimal strings, dates as :class:`datetime.date` or ISO ``YYYY-MM-DD`` strings,
booleans as ``true/false`` (or ``yes/no``, ``1/0``). Stored values are JSON: integers,
floats, ISO date strings, choice codes, booleans, ``{"value": float, "unit": str}`` for
measurements and lists of row objects for tables. Empty values (``None``, ``""``) are
absent. A missing unit, an unknown unit or an implausible measured value is an error,
never a guess (core :mod:`oncotrial.core.units`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Any

from oncotrial.core.errors import DomainError
from oncotrial.core.units import Measurand, accepted_unit, measure
from oncotrial.services.forms.spec import FieldError, FieldKind, FieldSpec, FormSpec
from oncotrial.services.forms.units import EXTRA, extra_unit, extra_value

_TRUE = frozenset({"true", "yes", "y", "1", "on"})
_FALSE = frozenset({"false", "no", "n", "0", "off"})


class _BadValueError(Exception):
    def __init__(self, message: str) -> None:
        self.message = message


def is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value: object) -> float:
    if isinstance(value, bool):
        raise _BadValueError("a number (true/false is not a number)")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().replace(",", "."))
        except ValueError:
            raise _BadValueError("a number") from None
    else:
        raise _BadValueError("a number")
    if not math.isfinite(number):
        raise _BadValueError("a finite number")
    return number


def _bounds(spec: FieldSpec, number: float) -> None:
    if spec.minimum is not None and number < spec.minimum:
        raise _BadValueError(f"a value ≥ {spec.minimum:g}" + _range_text(spec))
    if spec.maximum is not None and number > spec.maximum:
        raise _BadValueError(f"a value ≤ {spec.maximum:g}" + _range_text(spec))


def _range_text(spec: FieldSpec) -> str:
    low = "" if spec.minimum is None else f"{spec.minimum:g}"
    high = "" if spec.maximum is None else f"{spec.maximum:g}"
    return f" (accepted range [{low}, {high}])" if low and high else ""


def _integer(spec: FieldSpec, value: object) -> int:
    number = _number(value)
    if not number.is_integer():
        raise _BadValueError("a whole number")
    _bounds(spec, number)
    return int(number)


def _decimal(spec: FieldSpec, value: object) -> float:
    number = _number(value)
    _bounds(spec, number)
    return number


def _text(spec: FieldSpec, value: object) -> str:
    if not isinstance(value, str):
        raise _BadValueError("text")
    text = value.strip()
    if len(text) > spec.max_length:
        raise _BadValueError(f"text of at most {spec.max_length} characters")
    return text


def parse_date(value: object) -> date:
    """A date from a :class:`date` or an ISO ``YYYY-MM-DD`` string."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _BadValueError("a date as YYYY-MM-DD")


def _date(spec: FieldSpec, value: object, today: date) -> str:
    day = parse_date(value)
    if not spec.allow_future and day > today:
        raise _BadValueError(f"a date not after today ({today.isoformat()})")
    if day.year < 1900:
        raise _BadValueError("a date from 1900 on")
    return day.isoformat()


def _choice(spec: FieldSpec, value: object) -> str:
    code = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else None
    if code is None or code not in spec.choice_codes:
        raise _BadValueError("one of " + ", ".join(spec.choice_codes))
    return code


def _boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise _BadValueError("true or false")


def _measurement(
    spec: FieldSpec, value: object, path: str, errors: list[FieldError]
) -> dict[str, Any] | None:
    if not isinstance(value, Mapping):
        errors.append(
            FieldError(
                path, value, f'a measurement {{"value": number, "unit": one of {", ".join(spec.units)}}}'
            )
        )
        return None
    unknown = sorted(set(value) - {"value", "unit"})
    if unknown:
        errors.append(FieldError(f"{path}.{unknown[0]}", value[unknown[0]], "only value and unit"))
        return None
    raw, unit = value.get("value"), value.get("unit")
    try:
        number = _number(raw)
    except _BadValueError as bad:
        errors.append(FieldError(f"{path}.value", raw, bad.message))
        number = None
    if is_empty(unit):
        errors.append(
            FieldError(
                f"{path}.unit",
                unit,
                "a unit (one of " + ", ".join(spec.units) + "); a value without its unit is never accepted",
            )
        )
        return None
    assert spec.measurand is not None
    try:
        if spec.measurand in EXTRA:
            extra_unit(spec.measurand, unit, field=path)
            if number is None:
                return None
            shown, spelled = extra_value(spec.measurand, number, unit, field=path)
            return {"value": shown, "unit": spelled}
        measurand = Measurand(spec.measurand)
        accepted_unit(measurand, unit, field=path)
        if number is None:
            return None
        m = measure(measurand, number, unit, field=path)
    except DomainError as err:
        errors.append(FieldError(err.field, err.value, err.expected))
        return None
    return {"value": m.original_value, "unit": m.original_unit}


def clean_value(spec: FieldSpec, value: object, path: str, errors: list[FieldError], today: date) -> object:
    """The stored form of one non-empty value, or ``None`` after appending its error."""
    try:
        if spec.kind is FieldKind.INTEGER:
            return _integer(spec, value)
        if spec.kind is FieldKind.DECIMAL:
            return _decimal(spec, value)
        if spec.kind is FieldKind.TEXT:
            return _text(spec, value)
        if spec.kind is FieldKind.DATE:
            return _date(spec, value, today)
        if spec.kind is FieldKind.CHOICE:
            return _choice(spec, value)
        if spec.kind is FieldKind.BOOLEAN:
            return _boolean(value)
        if spec.kind is FieldKind.MEASUREMENT:
            return _measurement(spec, value, path, errors)
        return _table(spec, value, path, errors, today)
    except _BadValueError as bad:
        errors.append(FieldError(path, value, bad.message))
        return None


def _table(spec: FieldSpec, value: object, path: str, errors: list[FieldError], today: date) -> object:
    if not isinstance(value, list | tuple):
        raise _BadValueError("a list of rows (objects with " + ", ".join(c.name for c in spec.columns) + ")")
    if len(value) > spec.max_rows:
        raise _BadValueError(f"at most {spec.max_rows} rows")
    rows = []
    for i, row in enumerate(value):
        where = f"{path}[{i}]"
        if not isinstance(row, Mapping):
            errors.append(FieldError(where, row, "a row object"))
            continue
        rows.append(clean_fields(spec.columns, row, errors, today, prefix=f"{where}."))
    return rows


def clean_fields(
    specs: tuple[FieldSpec, ...],
    data: Mapping[str, object],
    errors: list[FieldError],
    today: date,
    *,
    prefix: str = "",
) -> dict[str, Any]:
    """Check ``data`` against ``specs``; append every problem to ``errors``."""
    known = {s.name for s in specs}
    for key in data:
        if key not in known:
            errors.append(
                FieldError(
                    f"{prefix}{key}", data[key], "a field of this form: " + ", ".join(s.name for s in specs)
                )
            )
    cleaned: dict[str, Any] = {}
    for s in specs:
        raw = data.get(s.name)
        path = f"{prefix}{s.name}"
        if is_empty(raw) or (s.kind is FieldKind.TABLE and isinstance(raw, list | tuple) and not raw):
            if s.required:
                errors.append(FieldError(path, raw, f"a value ({s.label} is required)"))
            continue
        value = clean_value(s, raw, path, errors, today)
        if value is not None:
            cleaned[s.name] = value
    return cleaned


def clean_form(
    spec: FormSpec, data: Mapping[str, object], today: date
) -> tuple[dict[str, Any], list[FieldError]]:
    """The stored form of ``data`` and every field error (empty when valid)."""
    errors: list[FieldError] = []
    if not isinstance(data, Mapping):
        return {}, [FieldError("data", data, f"an object with the fields of form {spec.code!r}")]
    return clean_fields(spec.fields, data, errors, today), errors
