"""Latent per-patient outcomes: PFS time, response and withdrawal, coupled across arms.

The uniforms come from the patient's LATENT stream and are shared by both arms
(common random numbers): the same patient has a longer PFS in the experimental arm
when its scale is longer, and a responder in the control arm is a responder in the
experimental arm when that arm's response probability is higher. The conductor uses
only the script of the arm the application randomized the patient to.

* PFS: T = λ(−ln(1−u))^(1/k) days, Weibull k and λ from
  :func:`oncotrial.synthetic.plan.make_plan` (clinical-content.md §2.4).
* Response (RECIST 1.1 and mRECIST), given no PD at the first scan: a Gaussian copula
  with correlation ρ = 0.5 [ASSUMP] links later progression with response: with v the
  conditional PFS rank, z = −ρ·Φ⁻¹(v) + √(1−ρ²)·ε and the patient responds when
  Φ(z) < P(responder | no PD at scan 1). mRECIST responders include every RECIST
  responder (mRECIST ORR ≥ RECIST ORR, §2.4).
* Depth of the best change in the sum of diameters [ASSUMP]: RECIST responders
  −33 % to −78 % (CR −100 %); mRECIST-only responders −5 % to −27 % RECIST and −35 %
  to −80 % viable; others −25 % to +12 % RECIST.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

from oncotrial.synthetic.calibration import ImagingSchedule
from oncotrial.synthetic.draws import Draws
from oncotrial.synthetic.plan import ArmPlan

_N = NormalDist()
MAX_SCANS = 120


@dataclass(frozen=True, slots=True)
class SharedLatent:
    u_pfs: float
    u_dwp: float
    eps_response: float
    u_cr: float
    u_depth: float
    u_mdepth: float
    u_pps: float
    u_surgery: float
    u_surgery_delay: float
    u_fatal: float
    u_withdraw: float
    u_withdraw_time: float
    randomization_offset_days: int
    first_dose_offset_days: int
    scan_jitter: tuple[int, ...]


def shared_latent(d: Draws, imaging: ImagingSchedule) -> SharedLatent:
    return SharedLatent(
        u_pfs=d.random(),
        u_dwp=d.random(),
        eps_response=d.normal(),
        u_cr=d.random(),
        u_depth=d.random(),
        u_mdepth=d.random(),
        u_pps=d.random(),
        u_surgery=d.random(),
        u_surgery_delay=d.random(),
        u_fatal=d.random(),
        u_withdraw=d.random(),
        u_withdraw_time=d.random(),
        randomization_offset_days=d.integer(1, 3),
        first_dose_offset_days=d.integer(1, 5),
        scan_jitter=tuple(
            d.integer(-imaging.window_minus_days, imaging.window_plus_days) for _ in range(MAX_SCANS)
        ),
    )


@dataclass(frozen=True, slots=True)
class ArmLatent:
    pfs_days: float
    death_without_progression: bool
    recist_responder: bool
    mrecist_responder: bool
    complete_response: bool
    recist_depth: float
    mrecist_depth: float


def _cdf(t: float, shape: float, scale: float) -> float:
    return 1.0 - math.exp(-((t / scale) ** shape))


def arm_latent(arm: ArmPlan, s: SharedLatent, first_scan_day: int, correlation: float) -> ArmLatent:
    sc = arm.scenario
    k, lam = sc.pfs_weibull_shape, arm.pfs_scale_days
    pfs = max(1.0, lam * (-math.log(1.0 - s.u_pfs)) ** (1.0 / k))
    dwp = s.u_dwp < sc.death_without_progression_fraction
    reaches_scan = pfs > first_scan_day and (not dwp or math.floor(pfs) > first_scan_day)
    responder = m_responder = False
    if reaches_scan:
        f1 = _cdf(first_scan_day, k, lam)
        v = min(max((_cdf(pfs, k, lam) - f1) / (1.0 - f1), 1e-12), 1 - 1e-12)
        z = -correlation * _N.inv_cdf(v) + math.sqrt(1 - correlation**2) * s.eps_response
        u_r = _N.cdf(z)
        responder = u_r < arm.responder_probability
        m_responder = u_r < arm.mrecist_responder_probability
    cr = responder and s.u_cr < sc.complete_response_fraction
    if cr:
        depth, mdepth = -1.0, -1.0
    elif responder:
        depth = -0.33 - 0.45 * s.u_depth
        mdepth = max(min(depth - 0.05 - 0.25 * s.u_mdepth, -0.38), -1.0)
    elif m_responder:
        depth = -0.05 - 0.22 * s.u_depth
        mdepth = -0.38 - 0.42 * s.u_mdepth
    else:
        depth = -0.25 + 0.37 * s.u_depth
        mdepth = max(depth - 0.08 * s.u_mdepth, -0.26)
    return ArmLatent(pfs, dwp, responder, m_responder, cr, depth, mdepth)
