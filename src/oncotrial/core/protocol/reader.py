"""A typed view over nested mappings that names the exact path of every bad field.

Protocol files, patient files and allocation lists arrive as plain JSON/YAML data.
:class:`Reader` pulls typed values out of them and raises
:class:`~oncotrial.core.errors.DomainError` (or the subclass passed as ``error``)
whose field is the full path, e.g. ``arms[1].regimen[0].dose.amount``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import TypeVar

from oncotrial.core.errors import DomainError

E = TypeVar("E", bound=DomainError)


class Reader:
    """Read typed values from ``data`` at ``path``; unknown keys are rejected on request."""

    __slots__ = ("_data", "error", "path")

    def __init__(self, data: object, path: str, error: type[DomainError] = DomainError) -> None:
        self._data = data
        self.path = path
        self.error = error

    # navigation ---------------------------------------------------------------------------
    def _where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def mapping(self) -> Mapping[str, object]:
        if not isinstance(self._data, Mapping):
            raise self.error(self.path or "<root>", self._data, "a mapping of named fields")
        return self._data

    def has(self, key: str) -> bool:
        return key in self.mapping() and self.mapping()[key] is not None

    def raw(self, key: str) -> object:
        data = self.mapping()
        if key not in data:
            raise self.error(self._where(key), None, "a value (the field is required)")
        return data[key]

    def child(self, key: str) -> Reader:
        return Reader(self.raw(key), self._where(key), self.error)

    def items(self, key: str, *, allow_empty: bool = False) -> list[Reader]:
        value = self.raw(key)
        if isinstance(value, str | bytes) or not isinstance(value, Sequence):
            raise self.error(self._where(key), value, "a list")
        if not value and not allow_empty:
            raise self.error(self._where(key), value, "a non-empty list")
        return [Reader(v, f"{self._where(key)}[{i}]", self.error) for i, v in enumerate(value)]

    def entries(self, key: str) -> list[tuple[str, Reader]]:
        value = self.child(key).mapping()
        return [(str(k), Reader(v, f"{self._where(key)}.{k}", self.error)) for k, v in value.items()]

    def reject_unknown(self, allowed: set[str] | frozenset[str]) -> None:
        unknown = sorted(set(self.mapping()) - set(allowed))
        if unknown:
            raise self.error(
                self._where(unknown[0]), self.mapping()[unknown[0]],
                "no such field here; allowed fields are " + ", ".join(sorted(allowed)),
            )

    # scalars ------------------------------------------------------------------------------
    def string(self, key: str, *, default: str | None = None) -> str:
        if default is not None and not self.has(key):
            return default
        value = self.raw(key)
        if not isinstance(value, str) or not value.strip():
            raise self.error(self._where(key), value, "a non-empty text")
        return value

    def optional_string(self, key: str) -> str | None:
        return self.string(key) if self.has(key) else None

    def choice(self, key: str, options: Sequence[str], *, default: str | None = None) -> str:
        if default is not None and not self.has(key):
            return default
        value = self.raw(key)
        if value not in options:
            raise self.error(self._where(key), value, "one of " + ", ".join(options))
        assert isinstance(value, str)
        return value

    def boolean(self, key: str, *, default: bool | None = None) -> bool:
        if default is not None and not self.has(key):
            return default
        value = self.raw(key)
        if not isinstance(value, bool):
            raise self.error(self._where(key), value, "true or false")
        return value

    def integer(self, key: str, *, minimum: int | None = None, maximum: int | None = None,
                default: int | None = None) -> int:
        if default is not None and not self.has(key):
            return default
        value = self.raw(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(self._where(key), value, "a whole number" + _bounds(minimum, maximum))
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            raise self.error(self._where(key), value, "a whole number" + _bounds(minimum, maximum))
        return value

    def number(self, key: str, *, minimum: float | None = None, maximum: float | None = None,
               strictly_positive: bool = False) -> float:
        value = self.raw(key)
        expected = "a positive number" if strictly_positive else "a number" + _bounds(minimum, maximum)
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise self.error(self._where(key), value, expected)
        if strictly_positive and value <= 0:
            raise self.error(self._where(key), value, expected)
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            raise self.error(self._where(key), value, expected)
        return float(value)

    def date(self, key: str) -> dt.date:
        value = self.raw(key)
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise self.error(self._where(key), value, "a date as YYYY-MM-DD")

    def optional_date(self, key: str) -> dt.date | None:
        return self.date(key) if self.has(key) else None

    def strings(self, key: str) -> tuple[str, ...]:
        return tuple(r.as_string() for r in self.items(key))

    def integers(self, key: str, *, minimum: int | None = None, maximum: int | None = None
                 ) -> tuple[int, ...]:
        out: list[int] = []
        for r in self.items(key):
            v = r._data
            if isinstance(v, bool) or not isinstance(v, int) or \
                    (minimum is not None and v < minimum) or (maximum is not None and v > maximum):
                raise self.error(r.path, v, "a whole number" + _bounds(minimum, maximum))
            out.append(v)
        return tuple(out)

    def as_string(self) -> str:
        if isinstance(self._data, bool) or not isinstance(self._data, str | int | float):
            raise self.error(self.path, self._data, "a text")
        return str(self._data)

    @property
    def value(self) -> object:
        return self._data


def _bounds(minimum: float | None, maximum: float | None) -> str:
    if minimum is not None and maximum is not None:
        return f" in [{minimum:g}, {maximum:g}]"
    if minimum is not None:
        return f" >= {minimum:g}"
    if maximum is not None:
        return f" <= {maximum:g}"
    return ""
