"""Doses of each drug from the protocol regimen, at a dose level.

* **mg/m²** (oxaliplatin 85, gemcitabine 1000; registry record): dose = level amount ×
  fraction × BSA, rounded by the :class:`~.rounding.RoundingRule` (default nearest 1 mg).
* **flat mg** (toripalimab 240 mg; registry record): the level amount, never scaled.
* **weight-banded mg** (lenvatinib; protocol file reading of "12 mg (or 8 mg)" as the
  HCC label rule, clinical-content.md §4.1 [STD]): 12 mg if ≥60 kg, else 8 mg, chosen
  from the **baseline** weight; "dose adjustments are based only on toxicities observed
  and not on body weight changes during treatment" (LENVIMA HCC SmPC §4.2). The bands are
  the protocol's :class:`~oncotrial.core.protocol.model.WeightBand` ([min_kg, below_kg)).

The starting amount selects the reduction ladder (:mod:`.levels`); a level outside the
ladder is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from oncotrial.core.dosing.body_size import DosingBsa
from oncotrial.core.dosing.drugs import Drug, parse_drug
from oncotrial.core.dosing.levels import DoseLevel, Frequency, Ladder, ladder_for
from oncotrial.core.dosing.rounding import RoundingRule, round_dose
from oncotrial.core.errors import DomainError
from oncotrial.core.protocol.model import DoseBasis, DrugRegimen, Route


@dataclass(frozen=True, slots=True)
class CalculatedDose:
    """The dose of one drug at one level (and fraction) for one patient."""

    drug: Drug
    route: Route
    level: int
    amount: float
    unit: str
    fraction: float
    frequency: Frequency
    bsa_m2: float | None
    calculated_mg: float
    dose_mg: float
    rounding: str
    source: str

    def describe(self) -> str:
        share = "" if self.fraction == 1 else f" × {self.fraction:.0%}"
        per = f" × {self.bsa_m2:.2f} m²" if self.bsa_m2 is not None else ""
        return (f"{self.dose_mg:g} mg {self.frequency.value} "
                f"({self.amount:g} {self.unit}{share}{per}; level {self.level})")


def regimen_drug(regimen: DrugRegimen) -> Drug:
    return parse_drug(regimen.drug, field=f"regimen[{regimen.drug}].drug")


def starting_amount(regimen: DrugRegimen, baseline_weight_kg: float) -> float:
    """The protocol starting amount (mg/m² or mg); weight bands use the baseline weight."""
    dose = regimen.dose
    if dose.basis is DoseBasis.WEIGHT_BANDED_MG:
        for band in dose.bands:
            above = band.min_kg is None or baseline_weight_kg >= band.min_kg
            below = band.below_kg is None or baseline_weight_kg < band.below_kg
            if above and below:
                return band.amount_mg
        raise DomainError("baseline_weight", baseline_weight_kg,
                          f"a weight covered by the {regimen.drug} weight bands ({dose.describe()})")
    if dose.amount is None:
        raise DomainError(f"regimen[{regimen.drug}].dose.amount", None, "a dose amount")
    return dose.amount


def regimen_ladder(regimen: DrugRegimen, baseline_weight_kg: float) -> Ladder:
    """The reduction ladder that starts at this patient's protocol starting dose."""
    return ladder_for(regimen_drug(regimen), starting_amount(regimen, baseline_weight_kg))


def calculate_dose(regimen: DrugRegimen, level: DoseLevel, bsa: DosingBsa, *,
                   rounding: RoundingRule | None = None, fraction: float = 1.0,
                   source: str = "") -> CalculatedDose:
    """The dose of ``regimen``'s drug at ``level`` (and ``fraction`` of it) for a BSA.

    Raises
    ------
    DomainError
        For a fraction outside (0, 1] (a dose is never scaled up).
    """
    drug = regimen_drug(regimen)
    if isinstance(fraction, bool) or not isinstance(fraction, int | float) or not 0 < fraction <= 1:
        raise DomainError(f"{drug.value}.fraction", fraction, "a fraction of the level dose in (0, 1]")
    if regimen.dose.basis is DoseBasis.MG_PER_M2:
        calculated = level.amount * fraction * bsa.bsa_m2
        rounded = round_dose(calculated, rounding)
        return CalculatedDose(drug, regimen.route, level.level, level.amount, level.unit, fraction,
                              level.frequency, bsa.bsa_m2, calculated, rounded.dose_mg, rounded.method,
                              source or (regimen.source or ""))
    amount = level.amount * fraction
    return CalculatedDose(drug, regimen.route, level.level, level.amount, level.unit, fraction,
                          level.frequency, None, amount, amount, "flat dose, not rounded",
                          source or (regimen.source or ""))


def full_dose(regimen: DrugRegimen, bsa: DosingBsa, *,
              rounding: RoundingRule | None = None) -> CalculatedDose:
    """The protocol dose (level 0, 100 %) at this BSA, the ceiling of every other dose."""
    ladder = regimen_ladder(regimen, bsa.reference_weight_kg)
    return calculate_dose(regimen, ladder.starting, bsa, rounding=rounding)
