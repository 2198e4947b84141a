"""Rounding a calculated dose to the dose that is prepared.

Oxaliplatin and gemcitabine are dosed in mg/m² × BSA (registry record NCT07304388).
The prepared dose is the calculated dose rounded by a configurable rule (issue 3 §2):

* the default is the **nearest 1 mg**, halves rounded up (ties are rare and the rule
  is stated so that two implementations agree); ``increment_mg`` and
  :class:`RoundingMode` change this (e.g. nearest 5 mg, or always down);
* optional **dose banding**: the calculated dose is replaced by the nearest dose of a
  list of standard (pre-filled) doses when that band dose lies within ``max_deviation``
  (default 5 %) of the calculated dose. This is the NHS national dose-banding
  convention of a maximum 5 % variance [ASSUMP: the band list itself is local pharmacy
  data, none is shipped]. When no band dose is close enough the increment rule applies.

Comparisons are made after rounding to 12 significant digits
(:func:`oncotrial.core.grading.bands.rounded`) so that binary representation error
cannot move a dose across a rounding or banding boundary.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from oncotrial.core.errors import DomainError
from oncotrial.core.grading.bands import rounded


class RoundingMode(StrEnum):
    """How a dose is brought to a multiple of the increment."""

    NEAREST = "nearest"
    """Nearest multiple, halves up."""
    DOWN = "down"
    """Largest multiple not above the calculated dose."""


@dataclass(frozen=True, slots=True)
class DoseBanding:
    """Standard doses (mg) and the largest accepted relative deviation from the calculated dose."""

    doses_mg: tuple[float, ...]
    max_deviation: float = 0.05

    def __post_init__(self) -> None:
        doses = self.doses_mg
        if not doses or any(isinstance(d, bool) or not isinstance(d, int | float)
                            or not math.isfinite(d) or d <= 0 for d in doses):
            raise DomainError("rounding.banding.doses_mg", doses, "a non-empty list of positive doses")
        if list(doses) != sorted(set(doses)):
            raise DomainError("rounding.banding.doses_mg", doses, "doses in ascending order, each once")
        dev = self.max_deviation
        if isinstance(dev, bool) or not isinstance(dev, int | float) or not 0 < dev <= 0.1:
            raise DomainError("rounding.banding.max_deviation", dev, "a fraction in (0, 0.1]",
                              "dose banding accepts at most a few per cent (5 % is usual).")


@dataclass(frozen=True, slots=True)
class RoundingRule:
    """The configurable rounding rule; the default is the nearest 1 mg without banding."""

    increment_mg: float = 1.0
    mode: RoundingMode = RoundingMode.NEAREST
    banding: DoseBanding | None = None

    def __post_init__(self) -> None:
        inc = self.increment_mg
        if isinstance(inc, bool) or not isinstance(inc, int | float) or not math.isfinite(inc) \
                or not 0 < inc <= 50:
            raise DomainError("rounding.increment_mg", inc, "a positive number of mg up to 50")
        if not isinstance(self.mode, RoundingMode):
            raise DomainError("rounding.mode", self.mode,
                              "one of " + ", ".join(m.value for m in RoundingMode))

    def describe(self) -> str:
        text = f"{self.mode.value} {self.increment_mg:g} mg"
        if self.banding is not None:
            text += f", banded within {self.banding.max_deviation:.0%}"
        return text


@dataclass(frozen=True, slots=True)
class RoundedDose:
    """A calculated dose and the dose prepared from it, with how it was obtained."""

    calculated_mg: float
    dose_mg: float
    method: str

    @property
    def deviation(self) -> float:
        """(prepared − calculated) / calculated; 0 for a zero dose."""
        if self.calculated_mg == 0:
            return 0.0
        return (self.dose_mg - self.calculated_mg) / self.calculated_mg


def to_increment(calculated_mg: float, increment_mg: float, mode: RoundingMode) -> float:
    """``calculated_mg`` brought to a multiple of ``increment_mg`` by ``mode``."""
    steps = rounded(calculated_mg / increment_mg)
    whole = math.floor(steps + 0.5) if mode is RoundingMode.NEAREST else math.floor(steps)
    return rounded(whole * increment_mg)


def round_dose(calculated_mg: float, rule: RoundingRule | None = None) -> RoundedDose:
    """Round a calculated dose (mg) by ``rule`` (default: nearest 1 mg, no banding).

    Raises
    ------
    DomainError
        For a negative or non-finite calculated dose.
    """
    rule = rule or RoundingRule()
    if isinstance(calculated_mg, bool) or not isinstance(calculated_mg, int | float) \
            or not math.isfinite(calculated_mg) or calculated_mg < 0:
        raise DomainError("calculated_mg", calculated_mg, "a finite dose ≥ 0 mg")
    if rule.banding is not None and calculated_mg > 0:
        band = min(rule.banding.doses_mg, key=lambda d: (abs(d - calculated_mg), d))
        deviation = rounded(abs(band - calculated_mg) / calculated_mg)
        if deviation <= rule.banding.max_deviation:
            return RoundedDose(calculated_mg, float(band),
                               f"dose band {band:g} mg ({(band - calculated_mg) / calculated_mg:+.1%})")
    dose = to_increment(calculated_mg, rule.increment_mg, rule.mode)
    return RoundedDose(calculated_mg, dose, f"{rule.mode.value} {rule.increment_mg:g} mg")
