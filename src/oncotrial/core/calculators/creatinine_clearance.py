"""Creatinine clearance by Cockcroft–Gault, with ideal and adjusted body weight.

Formula (Cockcroft DW, Gault MH. Prediction of creatinine clearance from serum
creatinine. Nephron 1976;16:31–41)::

    CrCl (mL/min) = (140 − age[years]) × weight[kg] / (72 × SCr[mg/dL])   × 0.85 if female

Serum creatinine arrives as a :class:`Measurement` in µmol/L and is converted with
1 mg/dL = 88.42 µmol/L (see :mod:`oncotrial.core.units`; the rounded 88.4 of many
worked examples differs by 0.02 %).

Weight basis (a local policy, hence a parameter):

* ``actual`` (default): the measured body weight;
* ``ideal``: Devine ideal body weight, 50 kg (men) or 45.5 kg (women) + 2.3 kg per
  inch of height over 5 ft (Devine BJ, Drug Intell Clin Pharm 1974;8:650). It is not
  defined below 5 ft (152.4 cm) and such heights are rejected;
* ``adjusted``: IBW + 0.4 × (actual − IBW) when actual weight exceeds IBW, otherwise
  the actual weight (the usual convention, e.g. http://rxkinetics.com/online_crcl.html
  and https://creatinineclearance.com/calc/clinical/cc-000018/).

Optionally the creatinine is floored at 1 mg/dL before use (off by default).

**This is not the renal entry criterion of NCT07304388**, which is serum creatinine
≤ 1.5 × ULN of the site laboratory. CrCl serves renal dose adjustment and reporting.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from oncotrial.core.choices import parse_choice
from oncotrial.core.errors import DomainError
from oncotrial.core.units import SPECS, Measurand, Measurement, canonical_value

AGE_MIN_YEARS: Final = 18.0
AGE_MAX_YEARS: Final = 120.0
FEMALE_FACTOR: Final = 0.85
CREATININE_FLOOR_MG_DL: Final = 1.0
ADJUSTMENT_FACTOR: Final = 0.4
DEVINE_HEIGHT_BASE_IN: Final = 60.0
DEVINE_KG_PER_IN: Final = 2.3
CM_PER_IN: Final = 2.54


class Sex(StrEnum):
    """Sex as used by the equation (the 0.85 factor and the Devine base weight)."""

    MALE = "male"
    FEMALE = "female"


class WeightBasis(StrEnum):
    ACTUAL = "actual"
    IDEAL = "ideal"
    ADJUSTED = "adjusted"


DEVINE_BASE_KG: Final = MappingProxyType({Sex.MALE: 50.0, Sex.FEMALE: 45.5})


@dataclass(frozen=True, slots=True)
class CreatinineClearance:
    """Estimated CrCl with every input actually used, for audit and display."""

    ml_per_min: float
    sex: Sex
    age_years: float
    weight_basis: WeightBasis
    weight_kg: float
    creatinine_mg_dl: float
    creatinine_floored: bool






def check_age(age_years: object, *, field: str = "age_years") -> float:
    """Return the age as a float when it is a number of years in [18, 120]."""
    expected = f"an age in years in [{AGE_MIN_YEARS:g}, {AGE_MAX_YEARS:g}]"
    if isinstance(age_years, bool) or not isinstance(age_years, int | float):
        raise DomainError(field, age_years, expected)
    if not math.isfinite(age_years) or not AGE_MIN_YEARS <= age_years <= AGE_MAX_YEARS:
        raise DomainError(field, age_years, expected)
    return float(age_years)


def ideal_body_weight_devine(height: Measurement, sex: Sex) -> float:
    """Devine ideal body weight (kg): 50 (men) or 45.5 (women) + 2.3 per inch over 60 in.

    Devine BJ. Gentamicin therapy. Drug Intell Clin Pharm 1974;8:650–655.

    Raises
    ------
    DomainError
        For a wrong measurement, an unknown sex, or a height below 5 ft (152.4 cm),
        where the formula is not defined.
    """
    chosen = parse_choice(Sex, sex, "sex")
    inches = round(canonical_value(height, Measurand.HEIGHT, field="height") / CM_PER_IN, 9)
    if inches < DEVINE_HEIGHT_BASE_IN:
        raise DomainError(
            "height", height.original_value, "a height of at least 60 in (152.4 cm) for Devine IBW",
            "use weight_basis='actual' for shorter patients.",
        )
    return DEVINE_BASE_KG[chosen] + DEVINE_KG_PER_IN * (inches - DEVINE_HEIGHT_BASE_IN)


def adjusted_body_weight(weight: Measurement, height: Measurement, sex: Sex) -> float:
    """Adjusted body weight (kg): IBW + 0.4 × (actual − IBW), or actual when actual ≤ IBW."""
    actual = canonical_value(weight, Measurand.WEIGHT, field="weight")
    ideal = ideal_body_weight_devine(height, sex)
    if actual <= ideal:
        return actual
    return ideal + ADJUSTMENT_FACTOR * (actual - ideal)


def _dosing_weight(
    basis: WeightBasis, weight: Measurement, height: Measurement | None, sex: Sex
) -> float:
    actual = canonical_value(weight, Measurand.WEIGHT, field="weight")
    if basis is WeightBasis.ACTUAL:
        return actual
    if height is None:
        raise DomainError("height", None, f"a height measurement for weight_basis={basis.value!r}")
    if basis is WeightBasis.IDEAL:
        return ideal_body_weight_devine(height, sex)
    return adjusted_body_weight(weight, height, sex)


def creatinine_clearance_cockcroft_gault(
    *,
    age_years: float,
    weight: Measurement,
    creatinine: Measurement,
    sex: Sex,
    height: Measurement | None = None,
    weight_basis: WeightBasis = WeightBasis.ACTUAL,
    floor_creatinine: bool = False,
) -> CreatinineClearance:
    """Cockcroft–Gault CrCl (mL/min) = (140 − age) × weight / (72 × SCr[mg/dL]) × 0.85 if female.

    Parameters
    ----------
    age_years:
        Age in years, in [18, 120].
    weight, creatinine:
        Body weight and serum creatinine as ``Measurement`` objects (any accepted unit).
    sex:
        :class:`Sex` (or its string value).
    height:
        Required for the ``ideal`` and ``adjusted`` weight bases.
    weight_basis:
        :class:`WeightBasis`: ``actual`` (default), ``ideal`` (Devine) or ``adjusted``.
    floor_creatinine:
        Raise a creatinine below 1 mg/dL to 1 mg/dL before use (default off).

    Raises
    ------
    DomainError
        For a wrong, implausible or missing input.
    """
    age = check_age(age_years)
    chosen_sex = parse_choice(Sex, sex, "sex")
    basis = parse_choice(WeightBasis, weight_basis, "weight_basis")
    if not isinstance(floor_creatinine, bool):
        raise DomainError("floor_creatinine", floor_creatinine, "True or False")
    scr_umol_l = canonical_value(creatinine, Measurand.CREATININE, field="creatinine")
    scr = scr_umol_l / SPECS[Measurand.CREATININE].factors["mg/dL"]
    floored = floor_creatinine and scr < CREATININE_FLOOR_MG_DL
    if floored:
        scr = CREATININE_FLOOR_MG_DL
    kg = _dosing_weight(basis, weight, height, chosen_sex)
    crcl = (140.0 - age) * kg / (72.0 * scr)
    if chosen_sex is Sex.FEMALE:
        crcl *= FEMALE_FACTOR
    return CreatinineClearance(
        ml_per_min=crcl, sex=chosen_sex, age_years=age, weight_basis=basis, weight_kg=kg,
        creatinine_mg_dl=scr, creatinine_floored=floored,
    )
