"""The scenario joined with the protocol: schedules, criteria and calibrated arm parameters.

The protocol (``oncotrial.core.protocol.model.Protocol``, loaded by the caller) gives
the arms and their drugs, the cycle length, the IMAGING schedule (every 42 days ± 7
from randomization), the PFS landmark (183 days), the screening recency windows and the
eligibility criteria. The scenario gives the clinical assumptions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

from oncotrial.core.protocol.model import Criterion, Protocol, Route
from oncotrial.synthetic.calibration import (
    DAYS_PER_MONTH,
    ImagingSchedule,
    first_scan_survival,
    solve_pfs_scale,
    weibull_scale_for_median,
    weibull_survival,
)
from oncotrial.synthetic.scenario import ArmScenario, TrialScenario


@dataclass(frozen=True, slots=True)
class ArmPlan:
    """One arm's protocol facts and calibrated outcome parameters.

    ``responder_probability`` is P(RECIST responder | no PD at the first scan) =
    ORR / P(T > first scan), so that the ORR over all randomized patients is the
    target; likewise for mRECIST. ``surgery_probability`` is P(conversion surgery |
    RECIST responder still progression-free about 25 days after the 3rd scan), solved so
    that the conversion-surgery rate over all randomized patients is the target.
    """

    code: str
    scenario: ArmScenario
    cycle_length_days: int
    drugs: tuple[str, ...]
    has_haic: bool
    pfs_scale_days: float
    pps_scale_days: float
    responder_probability: float
    mrecist_responder_probability: float
    surgery_probability: float


@dataclass(frozen=True, slots=True)
class TrialPlan:
    scenario: TrialScenario
    imaging: ImagingSchedule
    landmark_days: int
    lab_recency_days: int
    imaging_recency_days: int
    criteria: tuple[Criterion, ...]
    arms: tuple[ArmPlan, ...]

    def arm(self, code: str) -> ArmPlan:
        for a in self.arms:
            if a.code == code:
                return a
        raise KeyError(f"arm {code!r}: expected one of {', '.join(a.code for a in self.arms)}")

    @property
    def arm_codes(self) -> tuple[str, ...]:
        return tuple(a.code for a in self.arms)


SURGERY_SCAN = 3  # conversion surgery is considered after the 3rd scan (≈ 18 weeks) [ASSUMP]


def _responder_free_share(p: float, rho: float, still_free: float, steps: int = 400) -> float:
    """P(responder and T > t | T > first scan) under the Gaussian copula of :mod:`.latent`.

    With v the conditional PFS rank (uniform), P(responder | v) =
    Φ((Φ⁻¹(p) + ρ·Φ⁻¹(v)) / √(1 − ρ²)); T > t means v > 1 − still_free. Midpoint rule.
    """
    if p >= 1.0:
        return still_free
    n = NormalDist()
    zp, s = n.inv_cdf(p), math.sqrt(1.0 - rho**2)
    low = 1.0 - still_free
    width = still_free / steps
    return sum(n.cdf((zp + rho * n.inv_cdf(low + (i + 0.5) * width)) / s) for i in range(steps)) * width


def _int_assumption(protocol: Protocol, name: str, default: int) -> int:
    try:
        value = protocol.assumption(name)
    except KeyError:
        return default
    return default if value is None else int(str(value))


def make_plan(protocol: Protocol, scenario: TrialScenario) -> TrialPlan:
    """Join ``scenario`` with ``protocol``; every protocol arm needs a scenario arm."""
    imaging_assessment = next(
        (a for a in protocol.assessments if a.anchor == "randomization" and a.interval_days), None
    )
    if imaging_assessment is None or imaging_assessment.interval_days is None:
        raise ValueError(
            "protocol: expected an assessment anchored to randomization with interval_days (tumour imaging)"
        )
    imaging = ImagingSchedule(
        imaging_assessment.interval_days,
        imaging_assessment.window_minus_days,
        imaging_assessment.window_plus_days,
    )
    landmark = _int_assumption(protocol, "pfs_landmark_days", 183)
    arms = []
    for arm in protocol.arms:
        sc = scenario.arm(arm.code)
        scale = solve_pfs_scale(
            sc.pfs_6m_target, sc.pfs_weibull_shape, imaging, landmark, sc.death_without_progression_fraction
        )
        alive_first = first_scan_survival(scale, sc.pfs_weibull_shape, imaging)
        responder = min(1.0, sc.orr_recist / alive_first)
        surgery_day = SURGERY_SCAN * imaging.interval_days + 25
        free_at_surgery = alive_first * _responder_free_share(
            responder,
            scenario.response_pfs_correlation,
            weibull_survival(surgery_day, sc.pfs_weibull_shape, scale) / alive_first,
        )
        arms.append(
            ArmPlan(
                code=arm.code,
                scenario=sc,
                cycle_length_days=arm.cycle_length_days,
                drugs=tuple(r.drug for r in arm.regimen),
                has_haic=any(r.route is Route.HEPATIC_ARTERIAL_INFUSION for r in arm.regimen),
                pfs_scale_days=scale,
                pps_scale_days=weibull_scale_for_median(
                    sc.pps_median_months * DAYS_PER_MONTH, sc.pps_weibull_shape
                ),
                responder_probability=responder,
                mrecist_responder_probability=min(1.0, sc.orr_mrecist / alive_first),
                surgery_probability=min(1.0, sc.conversion_surgery_rate / max(free_at_surgery, 1e-9)),
            )
        )
    return TrialPlan(
        scenario=scenario,
        imaging=imaging,
        landmark_days=landmark,
        lab_recency_days=_int_assumption(protocol, "lab_recency_days", 14),
        imaging_recency_days=_int_assumption(protocol, "imaging_recency_days", 28),
        criteria=protocol.eligibility.criteria,
        arms=tuple(arms),
    )
