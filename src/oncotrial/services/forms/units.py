"""Vital signs that core's :mod:`oncotrial.core.units` does not cover: heart rate and temperature.

Same policy as core: the unit is always required, spellings are a closed list, values
outside a wide physiological plausibility range are rejected, never corrected. Ranges
are an Oncotrial assumption (they catch unit and typing slips, not disease):

* heart rate: 20–250 beats/min;
* body temperature: 25–45 °C (°F is not accepted: the conversion is affine, not a factor,
  and no site in the trial records °F).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

from oncotrial.core.errors import ImplausibleValueError, UnitError


@dataclass(frozen=True, slots=True)
class ExtraMeasurand:
    name: str
    units: tuple[str, ...]
    low: float
    high: float


EXTRA: Final[dict[str, ExtraMeasurand]] = {
    "HR": ExtraMeasurand("heart rate", ("beats/min", "bpm", "/min"), 20.0, 250.0),
    "TEMP": ExtraMeasurand("body temperature", ("°C", "C", "degC"), 25.0, 45.0),
}


def extra_unit(code: str, unit: object, *, field: str) -> str:
    """The accepted spelling of ``unit`` for ``code`` or :class:`UnitError`."""
    spec = EXTRA[code]
    expected = f"a unit of {spec.name}: one of {', '.join(spec.units)}"
    if not isinstance(unit, str) or not unit.strip():
        raise UnitError(f"{field}.unit", unit, expected, "every measured value must carry its unit.")
    found = next((u for u in spec.units if u.casefold() == unit.strip().casefold()), None)
    if found is None:
        raise UnitError(f"{field}.unit", unit, expected)
    return spec.units[0]


def extra_value(code: str, value: object, unit: object, *, field: str) -> tuple[float, str]:
    """Validate a heart rate or temperature; return the value and the accepted unit spelling."""
    spec = EXTRA[code]
    spelled = extra_unit(code, unit, field=field)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ImplausibleValueError(f"{field}.value", value, "a finite number")
    if not spec.low <= value <= spec.high:
        raise ImplausibleValueError(
            f"{field}.value",
            value,
            f"a plausible {spec.name} in [{spec.low:g}, {spec.high:g}] {spec.units[0]}",
        )
    return float(value), spelled
