"""The BSA used for dosing: recomputed on a ≥10 % weight change, optionally capped.

Sources (clinical-content.md §3.6):

* the BSA formula is a parameter of every dose calculation, Mosteller by default
  [STD] (:mod:`oncotrial.core.calculators.bsa`);
* ASCO (Griggs 2012, update 2021) recommends full weight-based doses on actual body
  weight, so there is **no cap by default**; many institutions cap BSA at 2.0 m² [LIT],
  so a cap is an option (``cap_m2``) [ASSUMP: a protocol parameter];
* the BSA is **recomputed when the weight changes by ≥10 % from the reference weight**
  (common practice) [ASSUMP]. Below that threshold the BSA of the reference weight is
  kept, so small fluctuations do not change the dose. The reference weight is the
  baseline weight unless the caller re-baselines after a recomputation.

Exactly 10 % recomputes (the threshold is "≥10 %"). The comparison is made on values
rounded to 12 significant digits, so 63 kg against a 70 kg baseline is exactly 10 %.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from oncotrial.core.calculators.bsa import BsaFormula, body_surface_area
from oncotrial.core.errors import DomainError
from oncotrial.core.grading.bands import rounded
from oncotrial.core.units import SPECS, Measurand, Measurement, measure, to_canonical

SOURCE = "clinical-content.md §3.6 (BSA formula [STD]; cap [LIT/ASSUMP]; ≥10 % weight rule [ASSUMP])"


@dataclass(frozen=True, slots=True)
class BsaPolicy:
    """Formula, optional cap (m²) and the relative weight change that triggers recomputation."""

    formula: BsaFormula = BsaFormula.MOSTELLER
    cap_m2: float | None = None
    recompute_threshold: float = 0.10

    def __post_init__(self) -> None:
        try:
            BsaFormula(self.formula)
        except ValueError:
            raise DomainError("bsa.formula", self.formula,
                              "one of " + ", ".join(f.value for f in BsaFormula)) from None
        cap = self.cap_m2
        if cap is not None and (isinstance(cap, bool) or not isinstance(cap, int | float)
                                or not math.isfinite(cap) or not 1.0 <= cap <= 3.0):
            raise DomainError("bsa.cap_m2", cap, "a BSA cap in [1, 3] m², or none",
                              "2.0 m² is the usual institutional cap.")
        t = self.recompute_threshold
        if isinstance(t, bool) or not isinstance(t, int | float) or not 0 < t < 1:
            raise DomainError("bsa.recompute_threshold", t, "a fraction in (0, 1), e.g. 0.10")


@dataclass(frozen=True, slots=True)
class DosingBsa:
    """The BSA a dose is calculated with, and why it is that one."""

    bsa_m2: float
    uncapped_m2: float
    formula: BsaFormula
    height_cm: float
    reference_weight_kg: float
    current_weight_kg: float
    weight_used_kg: float
    weight_change: float
    recomputed: bool
    capped: bool
    rule: str
    source: str = SOURCE


def _weight(value: object, field: str) -> float:
    if not isinstance(value, Measurement) or value.measurand is not Measurand.WEIGHT:
        raise DomainError(field, value, "a Measurement of body weight (build it with measure())")
    return to_canonical(Measurand.WEIGHT, value.value, SPECS[Measurand.WEIGHT].canonical_unit,
                        field=field)


def weight_change(reference_kg: float, current_kg: float) -> float:
    """Signed relative change (current − reference) / reference, rounded to 12 digits."""
    return rounded((current_kg - reference_kg) / reference_kg)


def dosing_bsa(height: Measurement, reference_weight: Measurement,
               current_weight: Measurement | None = None,
               policy: BsaPolicy | None = None) -> DosingBsa:
    """BSA (m²) for dosing from height and weight, applying the ≥10 % rule and the cap.

    Parameters
    ----------
    height:
        Height measurement (any accepted unit).
    reference_weight:
        The weight the current BSA was computed from: baseline, or the weight of the
        last recomputation.
    current_weight:
        Today's weight; ``None`` means no new weight, so the reference weight is used.
    policy:
        Formula, cap and threshold (default: Mosteller, no cap, 10 %).

    Raises
    ------
    DomainError
        For a missing, negative or implausible height or weight (the field is named).
    """
    policy = policy or BsaPolicy()
    ref = _weight(reference_weight, "baseline_weight")
    now = ref if current_weight is None else _weight(current_weight, "weight")
    change = weight_change(ref, now)
    recomputed = abs(change) >= policy.recompute_threshold
    used = now if recomputed else ref
    used_weight = measure(Measurand.WEIGHT, used, "kg", field="weight")
    uncapped = body_surface_area(height, used_weight, BsaFormula(policy.formula))
    capped = policy.cap_m2 is not None and uncapped > policy.cap_m2
    bsa = policy.cap_m2 if capped and policy.cap_m2 is not None else uncapped
    why = (f"weight changed {change:+.1%} from the reference weight: BSA recomputed"
           if recomputed else
           f"weight change {change:+.1%} is below {policy.recompute_threshold:.0%}: "
           "BSA of the reference weight kept")
    if capped:
        why += f"; capped at {policy.cap_m2:g} m²"
    return DosingBsa(bsa, uncapped, BsaFormula(policy.formula), height.value, ref, now, used,
                     change, recomputed, capped, why)
