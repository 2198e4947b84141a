"""Measured quantities with units: accepted units, conversions and plausible ranges.

Every lab value and body measurement entering the core carries a unit. The unit is
checked against a closed list of spellings for that measurand and the value is
converted to one canonical unit (SI where clinical practice uses it). Values outside
a physiologically plausible range are rejected: nothing is guessed, and a missing
unit is never assumed.

Conversion factors (sources):

* haemoglobin and albumin: 1 g/dL = 10 g/L (definition of the units);
* cell counts: 1 cell/mm³ = 1 cell/µL = 10⁻³ × 10⁹/L (1 mm³ = 1 µL = 10⁻⁶ L);
* total bilirubin: 1 mg/dL = 17.104 µmol/L (molar mass 584.66 g/mol; SI conversion
  tables, e.g. AMA Manual of Style, SI conversion table);
* creatinine: 1 mg/dL = 88.42 µmol/L (molar mass 113.12 g/mol; same tables; the
  rounded 88.4 is used by Cockcroft–Gault worked examples and differs by 0.02 %);
* prothrombin time in seconds and INR (dimensionless) are not interconvertible.

The plausible ranges are deliberately wide (they catch unit slips such as g/dL
entered as g/L and typing errors, not clinical abnormality) and are documented as
an Oncotrial assumption.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from oncotrial.core.errors import ImplausibleValueError, UnitError


class Measurand(StrEnum):
    """What is measured. Lab codes follow common CDISC LBTESTCD spellings."""

    WBC = "WBC"
    NEUTROPHILS = "NEUT"
    PLATELETS = "PLAT"
    HEMOGLOBIN = "HGB"
    ALBUMIN = "ALB"
    BILIRUBIN = "BILI"
    AST = "AST"
    ALT = "ALT"
    ALP = "ALP"
    GGT = "GGT"
    CREATININE = "CREAT"
    PROTHROMBIN_TIME = "PT"
    INR = "INR"
    CA19_9 = "CA19_9"
    CEA = "CEA"
    URINE_PROTEIN_24H = "PROT24H"
    WEIGHT = "WEIGHT"
    HEIGHT = "HEIGHT"
    SYSTOLIC_BP = "SYSBP"
    DIASTOLIC_BP = "DIABP"


@dataclass(frozen=True, slots=True)
class MeasurandSpec:
    """Canonical unit, accepted spellings with factors to canonical, plausible range."""

    name: str
    canonical_unit: str
    factors: MappingProxyType[str, float]
    plausible_low: float
    plausible_high: float

    @property
    def accepted_units(self) -> tuple[str, ...]:
        return tuple(self.factors)


def _spec(
    name: str, canonical: str, factors: dict[str, float], low: float, high: float
) -> MeasurandSpec:
    return MeasurandSpec(name, canonical, MappingProxyType(factors), low, high)


_CELLS = {"10^9/L": 1.0, "x10^9/L": 1.0, "10*9/L": 1.0, "G/L": 1.0, "10^3/µL": 1.0,
          "10^3/mm³": 1.0, "cells/mm³": 1e-3, "/mm³": 1e-3, "cells/µL": 1e-3, "/µL": 1e-3}
_ENZYME = {"U/L": 1.0, "IU/L": 1.0}

SPECS: Final[MappingProxyType[Measurand, MeasurandSpec]] = MappingProxyType({
    Measurand.WBC: _spec("white blood cell count", "10^9/L", _CELLS, 0.0, 1000.0),
    Measurand.NEUTROPHILS: _spec("absolute neutrophil count", "10^9/L", _CELLS, 0.0, 500.0),
    Measurand.PLATELETS: _spec("platelet count", "10^9/L", _CELLS, 0.0, 5000.0),
    Measurand.HEMOGLOBIN: _spec("haemoglobin", "g/L", {"g/L": 1.0, "g/dL": 10.0}, 10.0, 260.0),
    Measurand.ALBUMIN: _spec("albumin", "g/L", {"g/L": 1.0, "g/dL": 10.0}, 5.0, 80.0),
    Measurand.BILIRUBIN: _spec(
        "total bilirubin", "µmol/L", {"µmol/L": 1.0, "mg/dL": 17.104}, 0.0, 1500.0),
    Measurand.AST: _spec("aspartate aminotransferase", "U/L", _ENZYME, 0.0, 50000.0),
    Measurand.ALT: _spec("alanine aminotransferase", "U/L", _ENZYME, 0.0, 50000.0),
    Measurand.ALP: _spec("alkaline phosphatase", "U/L", _ENZYME, 0.0, 20000.0),
    Measurand.GGT: _spec("gamma-glutamyl transferase", "U/L", _ENZYME, 0.0, 20000.0),
    Measurand.CREATININE: _spec(
        "serum creatinine", "µmol/L", {"µmol/L": 1.0, "mg/dL": 88.42}, 5.0, 3000.0),
    Measurand.PROTHROMBIN_TIME: _spec("prothrombin time", "s", {"s": 1.0, "sec": 1.0}, 5.0, 200.0),
    Measurand.INR: _spec("international normalized ratio", "1", {"1": 1.0, "INR": 1.0}, 0.5, 20.0),
    Measurand.CA19_9: _spec("CA 19-9", "U/mL", {"U/mL": 1.0, "kU/L": 1.0}, 0.0, 1e7),
    Measurand.CEA: _spec("carcinoembryonic antigen", "ng/mL", {"ng/mL": 1.0, "µg/L": 1.0}, 0.0, 1e5),
    Measurand.URINE_PROTEIN_24H: _spec(
        "urine protein per 24 h", "g/24h", {"g/24h": 1.0, "mg/24h": 1e-3}, 0.0, 50.0),
    Measurand.WEIGHT: _spec("body weight", "kg", {"kg": 1.0, "g": 1e-3, "lb": 0.45359237}, 20.0, 350.0),
    Measurand.HEIGHT: _spec("height", "cm", {"cm": 1.0, "m": 100.0, "in": 2.54}, 100.0, 250.0),
    Measurand.SYSTOLIC_BP: _spec("systolic blood pressure", "mmHg", {"mmHg": 1.0}, 40.0, 300.0),
    Measurand.DIASTOLIC_BP: _spec("diastolic blood pressure", "mmHg", {"mmHg": 1.0}, 20.0, 200.0),
})


def _normalize_unit(unit: str) -> str:
    """Fold harmless spelling differences: case, spaces, micro signs, superscripts."""
    folded = unit.strip().lower().replace(" ", "")
    for old, new in (("μ", "u"), ("µ", "u"), ("×", "x"), ("³", "3"), ("⁹", "9"),
                     ("^", ""), ("*", ""), ("mcl", "ul")):
        folded = folded.replace(old, new)
    return folded


_LOOKUP: Final[dict[Measurand, dict[str, str]]] = {
    m: {_normalize_unit(u): u for u in spec.factors} for m, spec in SPECS.items()
}


def accepted_unit(measurand: Measurand, unit: object, *, field: str) -> str:
    """Return the accepted spelling of ``unit`` for ``measurand`` or raise :class:`UnitError`."""
    spec = SPECS[measurand]
    expected = f"a unit of {spec.name}: one of {', '.join(spec.accepted_units)}"
    if not isinstance(unit, str) or not unit.strip():
        raise UnitError(f"{field}.unit", unit, expected,
                        "every measured value must carry its unit; none is assumed.")
    found = _LOOKUP[measurand].get(_normalize_unit(unit))
    if found is None:
        raise UnitError(f"{field}.unit", unit, expected)
    return found


def to_canonical(measurand: Measurand, value: object, unit: object, *, field: str) -> float:
    """Convert ``value`` in ``unit`` to the canonical unit and check plausibility."""
    spelled = accepted_unit(measurand, unit, field=field)
    spec = SPECS[measurand]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ImplausibleValueError(f"{field}.value", value, "a finite number")
    canonical = float(value) * spec.factors[spelled]
    if not spec.plausible_low <= canonical <= spec.plausible_high:
        low = spec.plausible_low / spec.factors[spelled]
        high = spec.plausible_high / spec.factors[spelled]
        raise ImplausibleValueError(
            f"{field}.value", value,
            f"a plausible {spec.name} in [{low:g}, {high:g}] {spelled}",
            "check the value and its unit; implausible values are rejected, never corrected.",
        )
    return canonical


def from_canonical(measurand: Measurand, value: float, unit: str) -> float:
    """Express a canonical value in another accepted unit (for display and exports)."""
    spelled = accepted_unit(measurand, unit, field=str(measurand))
    return value / SPECS[measurand].factors[spelled]


@dataclass(frozen=True, slots=True)
class Measurement:
    """A value in the canonical unit of its measurand, with what was originally entered.

    Build it with :func:`measure`, which validates; the constructor only stores.
    """

    measurand: Measurand
    value: float
    original_value: float
    original_unit: str
    collected_on: date | None = None

    @property
    def unit(self) -> str:
        return SPECS[self.measurand].canonical_unit

    def in_unit(self, unit: str) -> float:
        return from_canonical(self.measurand, self.value, unit)


def measure(
    measurand: Measurand,
    value: object,
    unit: object,
    *,
    collected_on: date | None = None,
    field: str | None = None,
) -> Measurement:
    """Validate and convert one measured value.

    Raises :class:`UnitError` for a missing or unknown unit and
    :class:`ImplausibleValueError` for a non-numeric or implausible value.
    """
    where = field or str(measurand)
    canonical = to_canonical(measurand, value, unit, field=where)
    spelled = accepted_unit(measurand, unit, field=where)
    assert isinstance(value, int | float)
    return Measurement(measurand, canonical, float(value), spelled, collected_on)


def parse_measurand(code: object, *, field: str) -> Measurand:
    """Read a measurand code such as ``"ALT"`` or raise :class:`UnitError` naming the codes."""
    try:
        return Measurand(str(code))
    except ValueError:
        raise UnitError(field, code, "one of " + ", ".join(m.value for m in Measurand)) from None


def canonical_value(value: object, measurand: Measurand, *, field: str) -> float:
    """The canonical value of a validated :class:`Measurement` of ``measurand``.

    Calculators take Measurements so that units are checked once, at entry; this
    rejects a bare number or a measurement of the wrong quantity, naming the field,
    and re-checks plausibility for hand-built Measurements.
    """
    spec = SPECS[measurand]
    if not isinstance(value, Measurement):
        raise ImplausibleValueError(field, value, f"a Measurement of {spec.name} (build it with measure())")
    if value.measurand is not measurand:
        raise ImplausibleValueError(
            field, str(value.measurand), f"a measurement of {spec.name} ({measurand.value})")
    return to_canonical(measurand, value.value, spec.canonical_unit, field=field)
