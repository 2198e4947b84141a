"""Stratification factors and strata.

A *factor* is a code with its levels, ``("ecog", ("0", "1"))``. A *stratum* is one
level of every factor, written as a tuple of ``(factor code, level)`` pairs in factor
order: ``(("extrahepatic_metastasis", "yes"), ("ecog", "0"))``. The strata of a design
are the cartesian product of the factor levels (first factor varies slowest). With no
factors there is one stratum, the empty tuple (unstratified randomization).

The default factors follow clinical-content.md §5 (recommended for NCT07304388, an
Oncotrial assumption since the registry record does not state them): extrahepatic
metastasis (yes/no) × ECOG performance status (0/1).

Codes and levels are non-empty strings without ``;`` or ``/`` and without surrounding
whitespace; codes also exclude ``=``. These characters build stratum keys and slot ids,
which therefore stay unambiguous (a level may read ``>=200``).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Final, TypeAlias

from oncotrial.core.errors import DomainError

Stratum: TypeAlias = tuple[tuple[str, str], ...]
Factors: TypeAlias = tuple[tuple[str, tuple[str, ...]], ...]

DEFAULT_FACTORS: Final[Factors] = (
    ("extrahepatic_metastasis", ("yes", "no")),
    ("ecog", ("0", "1")),
)

_RESERVED: Final = ";/"


def check_name(value: object, field: str, *, level: bool = False) -> str:
    """Return ``value`` if it is usable as a factor code or arm code (or, if ``level``, a level)."""
    reserved = _RESERVED if level else _RESERVED + "="
    if (
        not isinstance(value, str)
        or not value
        or value != value.strip()
        or any(ch in reserved for ch in value)
    ):
        shown = ", ".join(repr(ch) for ch in reserved)
        raise DomainError(field, value, f"a non-empty string without {shown} or outer spaces")
    return value


def check_factors(factors: object, field: str = "factors") -> Factors:
    """Validate ``(code, levels)`` pairs and return them as tuples.

    Codes must be unique; each factor needs at least two distinct levels.
    """
    if isinstance(factors, str | bytes) or not isinstance(factors, Sequence):
        raise DomainError(field, factors, "a sequence of (factor code, levels) pairs")
    checked: list[tuple[str, tuple[str, ...]]] = []
    seen: set[str] = set()
    for i, item in enumerate(factors):
        path = f"{field}[{i}]"
        if isinstance(item, str | bytes) or not isinstance(item, Sequence) or len(item) != 2:
            raise DomainError(path, item, "a pair (factor code, levels)")
        code = check_name(item[0], f"{path}.code")
        if code in seen:
            raise DomainError(f"{path}.code", code, "a factor code not already used")
        seen.add(code)
        raw_levels = item[1]
        if isinstance(raw_levels, str | bytes) or not isinstance(raw_levels, Sequence):
            raise DomainError(f"{path}.levels", raw_levels, "a sequence of level names")
        levels = tuple(
            check_name(name, f"{path}.levels[{j}]", level=True)
            for j, name in enumerate(raw_levels)
        )
        if len(levels) < 2 or len(set(levels)) != len(levels):
            raise DomainError(
                f"{path}.levels",
                raw_levels,
                "at least two distinct levels",
                suggestion="drop a factor that has a single level.",
            )
        checked.append((code, levels))
    return tuple(checked)


def build_strata(factors: Sequence[tuple[str, Sequence[str]]]) -> tuple[Stratum, ...]:
    """All strata of ``factors``: the cartesian product of their levels, first factor slowest.

    >>> build_strata([("metastasis", ("yes", "no")), ("ecog", ("0", "1"))])[1]
    (('metastasis', 'yes'), ('ecog', '1'))
    """
    checked = check_factors(factors)
    per_factor = [[(code, level) for level in levels] for code, levels in checked]
    return tuple(tuple(combination) for combination in itertools.product(*per_factor))


def stratum_key(stratum: Stratum) -> str:
    """Readable, unambiguous key: ``"extrahepatic_metastasis=yes;ecog=0"`` (``"*"`` if empty)."""
    if not stratum:
        return "*"
    return ";".join(f"{code}={level}" for code, level in stratum)


def check_stratum(stratum: object, field: str = "stratum") -> Stratum:
    """Validate a stratum given as a sequence of ``(code, level)`` pairs; return it as tuples."""
    if isinstance(stratum, str | bytes) or not isinstance(stratum, Sequence):
        raise DomainError(field, stratum, "a sequence of (factor code, level) pairs")
    pairs: list[tuple[str, str]] = []
    for i, pair in enumerate(stratum):
        if isinstance(pair, str | bytes) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise DomainError(f"{field}[{i}]", pair, "a pair (factor code, level)")
        code = check_name(pair[0], f"{field}[{i}][0]")
        pairs.append((code, check_name(pair[1], f"{field}[{i}][1]", level=True)))
    if len({code for code, _ in pairs}) != len(pairs):
        raise DomainError(field, stratum, "each factor code at most once")
    return tuple(pairs)


def same_stratum(a: Stratum, b: Stratum) -> bool:
    """Whether two strata name the same levels, whatever the order of the pairs."""
    return len(a) == len(b) and dict(a) == dict(b)


def check_levels(factors: Factors, levels: object, field: str) -> dict[str, str]:
    """Validate a patient's levels (a mapping factor code → level) against ``factors``."""
    if not isinstance(levels, Mapping):
        raise DomainError(field, levels, "a mapping of factor code to level")
    known = {code for code, _ in factors}
    for code in levels:
        if code not in known:
            names = ", ".join(c for c, _ in factors)
            raise DomainError(f"{field}[{code!r}]", code, f"one of the factors {names}")
    checked: dict[str, str] = {}
    for code, allowed in factors:
        if code not in levels:
            raise DomainError(f"{field}[{code!r}]", None, "a level (the factor is missing)")
        level = levels[code]
        if level not in allowed:
            raise DomainError(f"{field}[{code!r}]", level, "one of " + ", ".join(allowed))
        checked[code] = level
    return checked
