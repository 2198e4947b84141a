"""Tumour measurements at each scan, built so that RECIST 1.1 reads the intended response.

Scans are protocol IMAGING time points (every ``interval`` days ± window from
randomization, jitters shared across arms). The first scan on or after the latent
PFS time T shows progression (RECIST 1.1 §4.3: PD on targets, non-targets or a new
lesion); no earlier scan meets any PD condition.

Target path [ASSUMP]: the relative change of the RECIST sum from baseline is
c₁ = 0.8·depth at scan 1 (responders at least −32 %, so that they read PR there) and
depth from scan 2, plus ±3 % noise from scan 3; every pre-PD sum stays ≤ 1.12 × the
nadir so far (PD needs +20 %); non-responders stay above −28 %, responders below −31 %.
Each target scales by (1 + c·hᵢ) with per-lesion heterogeneity hᵢ ∈ [0.8, 1.2]
renormalized so the sum is exact. A complete response makes every non-nodal target
disappear, target nodes 5–9.5 mm and every non-target absent.

mRECIST (Lencioni & Llovet 2010): the viable diameters of liver targets are scaled so
that the mRECIST sum (viable liver diameters + nodal short axes + other non-nodal
diameters) follows its own depth; viable ≤ longest diameter; viable diameters never
grow before progression.

Progression scan [ASSUMP]: a new unequivocal lesion (55 %, always after a CR or
from a nadir < 20 mm), else target growth to max(1.25–1.6 × nadir, nadir + 6 mm)
(RECIST needs +20 % and +5 mm), or (10 % of the rest, when non-targets exist)
unequivocal progression of a non-target lesion.
"""

from __future__ import annotations

from datetime import date, timedelta

from oncotrial.synthetic.draws import Draws
from oncotrial.synthetic.latent import ArmLatent
from oncotrial.synthetic.model import (
    Lesion,
    NewLesionObservation,
    NonTargetObservation,
    ProgressionMechanism,
    TargetMeasurement,
    TumourScan,
)

NEW_LESION_ORGANS = (("liver", 0.6), ("lung", 0.2), ("peritoneum", 0.1), ("bone", 0.1))


def _r(x: float) -> float:
    return round(max(x, 0.0), 1)


class _Targets:
    """Baseline targets and the per-lesion heterogeneity of their change."""

    def __init__(self, lesions: tuple[Lesion, ...], d: Draws) -> None:
        self.targets = [x for x in lesions if x.is_target]
        self.sizes = [x.size_mm for x in self.targets]
        self.baseline = sum(self.sizes)
        raw = [d.uniform(0.8, 1.2) for _ in self.targets]
        norm = self.baseline / sum(s * h for s, h in zip(self.sizes, raw, strict=True))
        self.h = [h * norm for h in raw]
        self.viable0 = [x.viable_diameter_mm or 0.0 for x in self.targets]
        self.is_liver = [x.organ == "liver" and not x.is_lymph_node for x in self.targets]
        self.liver_viable0 = sum(v for v, liver in zip(self.viable0, self.is_liver, strict=True) if liver)
        self.mrecist0 = sum(
            (v if liver else s) for v, s, liver in zip(self.viable0, self.sizes, self.is_liver, strict=True)
        )

    def measure(self, change: float, complete: bool, d: Draws) -> list[float]:
        if complete:
            return [_r(d.uniform(5.0, 9.5)) if x.is_lymph_node else 0.0 for x in self.targets]
        return [_r(s * max(1.0 + change * h, 0.02)) for s, h in zip(self.sizes, self.h, strict=True)]

    def viable_factor(self, values: list[float], m_change: float) -> float:
        """g such that liver viable diameters × g make the mRECIST sum follow ``m_change``."""
        if self.liver_viable0 <= 0:
            return 1.0
        rest = sum(v for v, liver in zip(values, self.is_liver, strict=True) if not liver)
        g = (self.mrecist0 * (1.0 + m_change) - rest) / self.liver_viable0
        cap = min(
            (
                v / v0
                for v, v0, liver in zip(values, self.viable0, self.is_liver, strict=True)
                if liver and v0 > 0
            ),
            default=1.0,
        )
        return min(max(g, 0.0), cap)

    def readings(
        self, values: list[float], g: float, complete: bool
    ) -> tuple[tuple[TargetMeasurement, ...], float]:
        out = []
        msum = 0.0
        for x, v, v0, liver in zip(self.targets, values, self.viable0, self.is_liver, strict=True):
            if x.is_lymph_node:
                out.append(TargetMeasurement(x.lesion_id, "present", v, None))
                msum += v
                continue
            viable = 0.0 if complete else (_r(min(v0 * g, v)) if liver else v)
            status = "disappeared" if v == 0.0 else "present"
            out.append(TargetMeasurement(x.lesion_id, status, v, viable))
            msum += viable
        return tuple(out), round(msum, 1)


def tumour_scans(
    lesions: tuple[Lesion, ...],
    latent: ArmLatent,
    *,
    randomized: date,
    interval: int,
    jitter: tuple[int, ...],
    stop_before_day: int,
    d: Draws,
) -> tuple[tuple[TumourScan, ...], ProgressionMechanism | None]:
    """Scans from randomization until PD (included) or the first day with no more imaging."""
    t = _Targets(lesions, d)
    non_targets = [x for x in lesions if not x.is_target]
    scans: list[TumourScan] = []
    nadir = t.baseline
    m_nadir = t.mrecist0
    change = 0.0
    g_prev = 1.0
    values = list(t.sizes)
    complete_seen = False
    for k in range(1, len(jitter) + 1):
        day = k * interval + jitter[k - 1]
        if day >= stop_before_day:
            break
        on = randomized + timedelta(days=day)
        if day >= latent.pfs_days and not latent.death_without_progression:
            scan, mech = _progression_scan(
                t, non_targets, k, on, values, g_prev, nadir, m_nadir, complete_seen, d
            )
            scans.append(scan)
            return tuple(scans), mech
        complete = latent.complete_response and k >= 2
        change = _pre_pd_change(latent, k, change, nadir, t.baseline, d)
        values = t.measure(change, complete, d)
        m_change = (
            latent.mrecist_depth
            if k >= 2
            else (
                min(0.8 * latent.mrecist_depth, -0.36)
                if latent.mrecist_responder
                else 0.8 * latent.mrecist_depth
            )
        )
        g = min(t.viable_factor(values, m_change), g_prev)
        readings, msum = t.readings(values, g, complete)
        total = round(sum(values), 1)
        nadir = min(nadir, total)
        m_nadir = min(m_nadir, msum)
        g_prev = g
        complete_seen = complete_seen or complete
        scans.append(
            TumourScan(
                k, on, readings, _non_targets(non_targets, change, complete, latent), (), total, msum, False
            )
        )
    return tuple(scans), None


def _pre_pd_change(
    latent: ArmLatent, k: int, previous: float, nadir: float, baseline: float, d: Draws
) -> float:
    depth = latent.recist_depth
    if latent.complete_response:
        return -1.0 if k >= 2 else min(0.8 * depth, -0.5)
    if k == 1:
        c = min(0.8 * depth, -0.32) if latent.recist_responder else 0.8 * depth
    elif k == 2:
        c = depth
    else:
        c = depth + d.uniform(-0.03, 0.03)
    c = min(c, 1.12 * nadir / baseline - 1.0)
    if latent.recist_responder:
        return min(c, -0.31)
    return max(c, -0.28)


def _non_targets(
    non_targets: list[Lesion], change: float, complete: bool, latent: ArmLatent
) -> tuple[NonTargetObservation, ...]:
    out = []
    for x in non_targets:
        if complete:
            out.append(
                NonTargetObservation(
                    x.lesion_id,
                    "absent",
                    _r(8.0) if x.is_lymph_node else None,
                    False if x.organ == "liver" else None,
                )
            )
            continue
        sa = _r(x.size_mm * (1.0 + 0.5 * change)) if x.is_lymph_node else None
        enhancing = (latent.mrecist_depth > -0.6) if x.organ == "liver" else None
        out.append(NonTargetObservation(x.lesion_id, "present", sa, enhancing))
    return tuple(out)


def _progression_scan(
    t: _Targets,
    non_targets: list[Lesion],
    k: int,
    on: date,
    values: list[float],
    g_prev: float,
    nadir: float,
    m_nadir: float,
    complete_seen: bool,
    d: Draws,
) -> tuple[TumourScan, ProgressionMechanism]:
    u = d.random()
    if complete_seen or nadir < 20.0 or u < 0.55:
        mech = ProgressionMechanism.NEW_LESION
    elif non_targets and u > 0.955:
        mech = ProgressionMechanism.NON_TARGET_PROGRESSION
    else:
        mech = ProgressionMechanism.TARGET_GROWTH
    new: tuple[NewLesionObservation, ...] = ()
    progressing_nt: str | None = None
    current = list(values)
    g = g_prev
    if mech is ProgressionMechanism.TARGET_GROWTH:
        goal = max(nadir * d.uniform(1.25, 1.6), nadir + 6.0)
        factor = goal / max(sum(values), 1e-9)
        current = [_r(v * factor) for v in values]
        while round(sum(current), 1) < goal:  # rounding must not undo the growth
            current[0] = _r(current[0] + 0.1)
        g = min(
            max(g_prev, 0.2) * factor,
            min(
                (
                    c / v0
                    for c, v0, liver in zip(current, t.viable0, t.is_liver, strict=True)
                    if liver and v0 > 0
                ),
                default=1.0,
            ),
        )
    elif mech is ProgressionMechanism.NEW_LESION:
        organ = NEW_LESION_ORGANS[d.choice([w for _, w in NEW_LESION_ORGANS])][0]
        new = (NewLesionObservation("N1", organ, "unequivocal", _r(d.uniform(10.0, 25.0))),)
    else:
        progressing_nt = non_targets[d.integer(0, len(non_targets) - 1)].lesion_id
    readings, msum = t.readings(current, g, False)
    nts = []
    for x in non_targets:
        status = "unequivocal_progression" if x.lesion_id == progressing_nt else "present"
        nts.append(
            NonTargetObservation(
                x.lesion_id,
                status,
                _r(x.size_mm) if x.is_lymph_node else None,
                True if x.organ == "liver" else None,
            )
        )
    del m_nadir
    return TumourScan(k, on, readings, tuple(nts), new, round(sum(current), 1), msum, True), mech
