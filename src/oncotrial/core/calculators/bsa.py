"""Body surface area (BSA) from height and weight.

Four published height–weight formulas, height in cm and weight in kg, result in m²:

* **Mosteller** (default): BSA = √(H × W / 3600).
  Mosteller RD. Simplified calculation of body-surface area. N Engl J Med
  1987;317:1098.
* **DuBois & DuBois**: BSA = 0.007184 × H^0.725 × W^0.425.
  DuBois D, DuBois EF. A formula to estimate the approximate surface area if height
  and weight be known. Arch Intern Med 1916;17:863–871. It underestimates BSA in
  obesity by about 3–5 % (Verbraecken et al., Metabolism 2006;55:515).
* **Haycock**: BSA = 0.024265 × H^0.3964 × W^0.5378.
  Haycock GB, Schwartz GJ, Wisotsky DH. Geometric method for measuring body surface
  area: a height-weight formula validated in infants, children, and adults.
  J Pediatr 1978;93:62–66.
* **Gehan & George**: BSA = 0.0235 × H^0.42246 × W^0.51456.
  Gehan EA, George SL. Estimation of human body surface area from height and
  weight. Cancer Chemother Rep 1970;54:225–235.

Coefficients as tabulated by GlobalRPh (http://globalrph.com/bsa2.htm). The formula
is a parameter of every BSA-based dose; capping (e.g. at 2.0 m²) is a dosing policy
and is not applied here.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from oncotrial.core.errors import DomainError
from oncotrial.core.units import Measurand, Measurement, canonical_value


class BsaFormula(StrEnum):
    """Published BSA formula used for a calculation."""

    MOSTELLER = "mosteller"
    DU_BOIS = "du_bois"
    HAYCOCK = "haycock"
    GEHAN_GEORGE = "gehan_george"




def _height_weight(height: Measurement, weight: Measurement) -> tuple[float, float]:
    return (
        canonical_value(height, Measurand.HEIGHT, field="height"),
        canonical_value(weight, Measurand.WEIGHT, field="weight"),
    )


def bsa_mosteller(height: Measurement, weight: Measurement) -> float:
    """BSA (m²) by Mosteller: √(height[cm] × weight[kg] / 3600).

    Mosteller RD, N Engl J Med 1987;317:1098.

    Raises
    ------
    DomainError
        When ``height`` or ``weight`` is not a plausible measurement of that measurand.
    """
    h, w = _height_weight(height, weight)
    return math.sqrt(h * w / 3600.0)


def bsa_du_bois(height: Measurement, weight: Measurement) -> float:
    """BSA (m²) by DuBois & DuBois: 0.007184 × height[cm]^0.725 × weight[kg]^0.425.

    DuBois D, DuBois EF, Arch Intern Med 1916;17:863.

    Raises
    ------
    DomainError
        When ``height`` or ``weight`` is not a plausible measurement of that measurand.
    """
    h, w = _height_weight(height, weight)
    return 0.007184 * math.pow(h, 0.725) * math.pow(w, 0.425)


def bsa_haycock(height: Measurement, weight: Measurement) -> float:
    """BSA (m²) by Haycock: 0.024265 × height[cm]^0.3964 × weight[kg]^0.5378.

    Haycock GB, Schwartz GJ, Wisotsky DH, J Pediatr 1978;93:62.

    Raises
    ------
    DomainError
        When ``height`` or ``weight`` is not a plausible measurement of that measurand.
    """
    h, w = _height_weight(height, weight)
    return 0.024265 * math.pow(h, 0.3964) * math.pow(w, 0.5378)


def bsa_gehan_george(height: Measurement, weight: Measurement) -> float:
    """BSA (m²) by Gehan & George: 0.0235 × height[cm]^0.42246 × weight[kg]^0.51456.

    Gehan EA, George SL, Cancer Chemother Rep 1970;54:225.

    Raises
    ------
    DomainError
        When ``height`` or ``weight`` is not a plausible measurement of that measurand.
    """
    h, w = _height_weight(height, weight)
    return 0.0235 * math.pow(h, 0.42246) * math.pow(w, 0.51456)


BSA_FUNCTIONS: Final[MappingProxyType[BsaFormula, Callable[[Measurement, Measurement], float]]] = (
    MappingProxyType({
        BsaFormula.MOSTELLER: bsa_mosteller,
        BsaFormula.DU_BOIS: bsa_du_bois,
        BsaFormula.HAYCOCK: bsa_haycock,
        BsaFormula.GEHAN_GEORGE: bsa_gehan_george,
    })
)
"""The function implementing each formula."""


def body_surface_area(
    height: Measurement, weight: Measurement, formula: BsaFormula = BsaFormula.MOSTELLER
) -> float:
    """Body surface area in m² by the chosen published formula (Mosteller by default).

    Parameters
    ----------
    height:
        Standing height, a ``Measurement`` of :attr:`Measurand.HEIGHT` (any accepted unit).
    weight:
        Body weight, a ``Measurement`` of :attr:`Measurand.WEIGHT` (any accepted unit).
    formula:
        One of :class:`BsaFormula`; the string value (``"du_bois"``) is also accepted.

    Raises
    ------
    DomainError
        For a wrong or implausible measurement, or an unknown formula.
    """
    try:
        chosen = BsaFormula(formula)
    except ValueError:
        raise DomainError(
            "formula", formula, "one of " + ", ".join(f.value for f in BsaFormula)
        ) from None
    return BSA_FUNCTIONS[chosen](height, weight)
