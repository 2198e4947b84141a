"""Target-lesion response at one time point (RECIST 1.1 and mRECIST).

RECIST 1.1 (Eisenhauer et al., Eur J Cancer 2009;45:228–247):

* §4.3.1 CR: all non-nodal targets disappeared and every target node has a short
  axis < 10 mm (so the sum may be > 0 at CR); PR: sum ≥ 30 % below the baseline
  sum; PD: sum ≥ 20 % above the nadir (smallest sum on study, baseline included)
  *and* ≥ 5 mm above it; SD otherwise (EORTC clarification: shrinkage is judged
  against baseline, growth against the nadir).
* §4.3.2 a target too small to measure counts 5 mm unless a value was measured
  (EORTC clarification); a disappeared target 0 mm; a split lesion the sum of its
  fragments; coalesced lesions: the combined diameter on one, 0 on the others.
* §4.4.2 when a target is not assessed the response is NE, unless the sum of the
  assessed targets already meets PD.

mRECIST (Lencioni & Llovet, Semin Liver Dis 2010;30:52–60): the same arithmetic on
the longest *viable* (arterially enhancing) diameters; CR is the disappearance of
intratumoral arterial enhancement in all targets (viable diameter 0). Nodal targets
keep the RECIST 1.1 short-axis rule (Oncotrial assumption, see ``baseline``).

Oncotrial reading of §4.3.1: when every non-nodal target is 0 and every target node is
below 10 mm the target response is CR even if the sum rose by 20 % and 5 mm over the
nadir: nodes below 10 mm are normal by definition (§4.2), so they are not disease.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from oncotrial.core.response.baseline import TargetLesion
from oncotrial.core.response.criteria import (
    Criterion,
    ResponseRules,
    TargetResponse,
    to_mm,
)
from oncotrial.core.response.lesions import LesionStatus, TargetReading


def lesion_value(
    reading: TargetReading | None, *, is_lymph_node: bool, rules: ResponseRules
) -> Decimal | None:
    """Value in mm that one target contributes to the sum; ``None`` when not assessed.

    RECIST 1.1 uses ``diameter_mm`` (longest diameter, or short axis for a node);
    mRECIST uses the viable diameter for non-nodal lesions, and a present lesion
    without a viable measurement is not assessed under mRECIST.
    """
    if reading is None or reading.status is LesionStatus.NOT_ASSESSED:
        return None
    if reading.status in (LesionStatus.DISAPPEARED, LesionStatus.COALESCED):
        return Decimal(0)
    if rules.criterion is Criterion.MRECIST and not is_lymph_node:
        single, fragments = reading.viable_diameter_mm, reading.viable_fragments_mm
    else:
        single, fragments = reading.diameter_mm, reading.fragments_mm
    if single is not None:
        return to_mm(single)
    if fragments:
        return sum((to_mm(f) for f in fragments), Decimal(0))
    if reading.status is LesionStatus.TOO_SMALL:
        return rules.too_small_default_mm
    return None


def meets_progression(sum_mm: Decimal, nadir_mm: Decimal, rules: ResponseRules) -> bool:
    """Whether ``sum_mm`` is PD against ``nadir_mm``: +20 % and (when set) +5 mm."""
    increase = sum_mm - nadir_mm
    if increase <= 0 or increase < rules.pd_min_increase * nadir_mm:
        return False
    floor = rules.pd_min_absolute_increase_mm
    return floor is None or increase >= floor


def meets_partial_response(sum_mm: Decimal, baseline_sum_mm: Decimal, rules: ResponseRules) -> bool:
    """Whether ``sum_mm`` is at least 30 % below ``baseline_sum_mm``."""
    return baseline_sum_mm - sum_mm >= rules.pr_min_decrease * baseline_sum_mm


def classify_sum(
    sum_mm: float | Decimal,
    *,
    baseline_sum_mm: float | Decimal,
    nadir_mm: float | Decimal,
    rules: ResponseRules,
) -> TargetResponse:
    """PD, PR or SD from the sums alone (no CR check), RECIST 1.1 §4.3.1.

    PD is tested first against the nadir; PR against baseline; SD otherwise.
    """
    total, base, nadir = to_mm(sum_mm), to_mm(baseline_sum_mm), to_mm(nadir_mm)
    if meets_progression(total, nadir, rules):
        return TargetResponse.PD
    if meets_partial_response(total, base, rules):
        return TargetResponse.PR
    return TargetResponse.SD


@dataclass(frozen=True, slots=True)
class TargetAssessment:
    """Target response at one time point with the numbers behind it."""

    response: TargetResponse
    sum_mm: Decimal | None
    """Sum of the assessed targets (all of them when ``not_assessed`` is empty)."""
    not_assessed: tuple[str, ...]


def is_complete_response(
    targets: Sequence[TargetLesion], values: Sequence[Decimal], rules: ResponseRules
) -> bool:
    """All non-nodal targets at 0 and every nodal target below 10 mm (§4.3.1)."""
    return all(
        (value < rules.node_normal_below_mm) if target.is_lymph_node else value == 0
        for target, value in zip(targets, values, strict=True)
    )


def assess_targets(
    targets: Sequence[TargetLesion],
    values: Sequence[Decimal | None],
    *,
    nadir_mm: Decimal | None,
    rules: ResponseRules,
) -> TargetAssessment:
    """Target response from per-target values (``None`` = not assessed).

    ``nadir_mm`` is the smallest complete sum before this time point, baseline
    included.
    """
    if not targets:
        return TargetAssessment(TargetResponse.NOT_APPLICABLE, None, ())
    base = sum((t.baseline_mm for t in targets), Decimal(0))
    nadir = base if nadir_mm is None else nadir_mm
    missing = tuple(t.lesion_id for t, v in zip(targets, values, strict=True) if v is None)
    assessed = [v for v in values if v is not None]
    total = sum(assessed, Decimal(0))
    if missing:
        # §4.4.2: the assessed targets alone already meet PD, so PD; otherwise NE.
        response = TargetResponse.PD if meets_progression(total, nadir, rules) else TargetResponse.NE
        return TargetAssessment(response, total, missing)
    if is_complete_response(targets, assessed, rules):
        return TargetAssessment(TargetResponse.CR, total, ())
    return TargetAssessment(classify_sum(total, baseline_sum_mm=base, nadir_mm=nadir, rules=rules), total, ())
