"""Reading a categorical value (a StrEnum member or its text) with a clear error."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from oncotrial.core.errors import DomainError

E = TypeVar("E", bound=StrEnum)


def parse_choice(enum: type[E], value: object, field: str) -> E:
    """Return ``value`` as a member of ``enum`` or raise DomainError listing the members."""
    if isinstance(value, enum):
        return value
    expected = "one of " + ", ".join(m.value for m in enum)
    if not isinstance(value, str):
        raise DomainError(field, value, expected)
    try:
        return enum(value)
    except ValueError:
        raise DomainError(field, value, expected) from None
