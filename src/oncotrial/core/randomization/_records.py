"""Reading plain JSON-compatible dicts back into values, with errors that name the field."""

from __future__ import annotations

import math
from collections.abc import Mapping

from oncotrial.core.errors import DomainError


def join(path: str, key: str | int) -> str:
    """Dotted path of ``key`` inside ``path``: ``strata[0].slots``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def mapping_at(value: object, path: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise DomainError(path, value, "an object (a dict with string keys)")
    return value


def get(record: Mapping[str, object], key: str, path: str) -> object:
    if key not in record:
        raise DomainError(join(path, key), None, "a value (the key is missing)")
    return record[key]


def list_at(value: object, path: str) -> list[object]:
    if not isinstance(value, list | tuple):
        raise DomainError(path, value, "a list")
    return list(value)


def int_at(value: object, path: str, minimum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(path, value, "an integer")
    if minimum is not None and value < minimum:
        raise DomainError(path, value, f"an integer >= {minimum}")
    return value


def float_at(value: object, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise DomainError(path, value, "a finite number")
    return float(value)


def str_at(value: object, path: str) -> str:
    if not isinstance(value, str):
        raise DomainError(path, value, "a string")
    return value


def expect_constant(record: Mapping[str, object], key: str, constant: str | int, path: str) -> None:
    value = get(record, key, path)
    if value != constant or isinstance(value, bool):
        raise DomainError(join(path, key), value, repr(constant))
