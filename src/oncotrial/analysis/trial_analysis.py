"""Every endpoint of a trial data file, computed with the R-identical estimators.

:func:`analyze_trial` derives the ADTTE/ADRS-like rows from the records
(:mod:`oncotrial.core.endpoints`) and applies the estimators: Kaplan–Meier medians,
(stratified) log-rank, Cox HR, the 6-month PFS rate (KM landmark, with its binary
sensitivity analysis), RMST, ORR/DCR under RECIST 1.1 and mRECIST, DoR, safety and dose
intensity. Stratified analyses use the protocol's stratification factors when the
records carry them as attributes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from oncotrial.analysis.cox import CoxPH
from oncotrial.analysis.kaplan_meier import KaplanMeierFitter
from oncotrial.analysis.landmark import LandmarkComparison, compare_landmark_survival
from oncotrial.analysis.logrank import LogRankResult, survdiff
from oncotrial.analysis.proportions import binomial_ci, fisher_exact, mantel_haenszel, risk_difference_ci
from oncotrial.analysis.rmst import RMSTComparison, compare_rmst
from oncotrial.core.endpoints.populations import intention_to_treat, per_protocol, safety_population
from oncotrial.core.endpoints.protocol_settings import landmark_days as protocol_landmark
from oncotrial.core.endpoints.protocol_settings import pfs_censoring, response_settings
from oncotrial.core.endpoints.records import PatientRecord
from oncotrial.core.endpoints.response_endpoints import (
    ResponseSettings,
    best_response,
    duration_of_response,
    is_disease_control,
    is_objective_response,
)
from oncotrial.core.endpoints.safety import ArmSafety, dose_intensities, summarise_safety
from oncotrial.core.endpoints.time_to_event import (
    PfsCensoring,
    TimeToEvent,
    overall_survival,
    progression_free_survival,
)
from oncotrial.core.endpoints.trial_data import TrialData
from oncotrial.core.protocol.model import Protocol
from oncotrial.core.response.criteria import Criterion

DAYS_PER_MONTH = 30.4375
SUBGROUPS = {"ecog": "ECOG", "extrahepatic_metastasis": "Extrahepatic metastasis",
             "ca19_9": "CA19-9 (U/mL)", "hbv": "HBV", "child_pugh": "Child-Pugh"}


@dataclass(frozen=True, slots=True)
class SurvivalEndpoint:
    name: str
    rows: tuple[TimeToEvent, ...]
    medians: pd.DataFrame
    logrank: LogRankResult
    stratified_logrank: LogRankResult | None
    cox: CoxPH


@dataclass(frozen=True, slots=True)
class RateEndpoint:
    name: str
    criterion: Criterion
    counts: pd.DataFrame
    difference: Any
    fisher: Any
    cmh: Any | None


@dataclass(frozen=True, slots=True)
class TrialAnalysis:
    data: TrialData
    experimental: str
    populations: dict[str, int]
    pfs: SurvivalEndpoint
    pfs_mrecist: SurvivalEndpoint
    os: SurvivalEndpoint
    pfs6: LandmarkComparison
    pfs6_binary: pd.DataFrame
    rmst: RMSTComparison
    rates: tuple[RateEndpoint, ...]
    dor: pd.DataFrame
    safety: tuple[ArmSafety, ...]
    dose_intensity: pd.DataFrame
    subgroups: pd.DataFrame
    landmark_days: int


def _strata(records: Sequence[PatientRecord], factors: Sequence[str]) -> list[str] | None:
    present = [f for f in factors if all(f in r.attributes for r in records)]
    if not present:
        return None
    return [";".join(f"{f}={r.attributes[f]}" for f in present) for r in records]


def _arrays(rows: Sequence[TimeToEvent]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (np.array([r.time_days for r in rows], dtype=float),
            np.array([r.event for r in rows], dtype=bool), np.array([r.arm for r in rows]))


def _medians(rows: Sequence[TimeToEvent], arms: Sequence[str]) -> pd.DataFrame:
    t, e, a = _arrays(rows)
    out = []
    for arm in arms:
        km = KaplanMeierFitter().fit(t[a == arm] / DAYS_PER_MONTH, e[a == arm])
        low, high = km.median_confidence_interval_
        out.append({"arm": arm, "n": int((a == arm).sum()), "events": int(e[a == arm].sum()),
                    "median_months": km.median_survival_time_, "lower": low, "upper": high})
    return pd.DataFrame(out)


def _cox(t: np.ndarray, e: np.ndarray, treated: np.ndarray, strata: list[str] | None) -> CoxPH:
    return CoxPH(ties="efron").fit(t, e, pd.DataFrame({"treatment": treated.astype(float)}),
                                   strata=strata)


def _survival(name: str, rows: Sequence[TimeToEvent], arms: Sequence[str], experimental: str,
              strata: list[str] | None) -> SurvivalEndpoint:
    t, e, a = _arrays(rows)
    return SurvivalEndpoint(
        name=name, rows=tuple(rows), medians=_medians(rows, arms),
        logrank=survdiff(t, e, a),
        stratified_logrank=None if strata is None else survdiff(t, e, a, strata=strata),
        cox=_cox(t, e, a == experimental, None))


def _rate(name: str, criterion: Criterion, flags: dict[str, list[bool]], arms: Sequence[str],
          experimental: str, control: str, strata: list[str] | None,
          records: Sequence[PatientRecord]) -> RateEndpoint:
    counts = []
    for arm in arms:
        x, n = sum(flags[arm]), len(flags[arm])
        ci = binomial_ci(x, n, method="clopper-pearson")
        counts.append({"arm": arm, "responders": x, "n": n, "rate": ci.estimate,
                       "lower": ci.lower, "upper": ci.upper})
    xe, ne = sum(flags[experimental]), len(flags[experimental])
    xc, nc = sum(flags[control]), len(flags[control])
    cmh = None
    if strata is not None:
        levels = sorted(set(strata))
        by = {s: {experimental: [0, 0], control: [0, 0]} for s in levels}
        flat = {r.patient_id: f for arm in arms for r, f in zip(
            [r for r in records if r.arm == arm], flags[arm], strict=True)}
        for r, s in zip(records, strata, strict=True):
            by[s][r.arm][0] += int(flat[r.patient_id])
            by[s][r.arm][1] += 1
        usable = [s for s in levels if by[s][experimental][1] and by[s][control][1]]
        if len(usable) >= 1:
            cmh = mantel_haenszel([by[s][experimental][0] for s in usable],
                                  [by[s][experimental][1] for s in usable],
                                  [by[s][control][0] for s in usable],
                                  [by[s][control][1] for s in usable], strata=usable,
                                  labels=(experimental, control))
    return RateEndpoint(
        name=name, criterion=criterion, counts=pd.DataFrame(counts),
        difference=risk_difference_ci(xe, ne, xc, nc, method="newcombe",
                                      labels=(experimental, control)),
        fisher=fisher_exact(xe, ne, xc, nc, labels=(experimental, control)), cmh=cmh)


def _binary_landmark(rows: Sequence[TimeToEvent], arms: Sequence[str], landmark: int) -> pd.DataFrame:
    """6-month PFS as a binary outcome; patients censored before the landmark shown explicitly."""
    out = []
    for arm in arms:
        mine = [r for r in rows if r.arm == arm]
        free = sum(1 for r in mine if r.time_days > landmark)
        failed = sum(1 for r in mine if r.event and r.time_days <= landmark)
        unknown = len(mine) - free - failed
        complete = binomial_ci(free, free + failed) if free + failed else None
        worst = binomial_ci(free, len(mine))
        out.append({"arm": arm, "n": len(mine), "progression_free": free, "progressed_or_died": failed,
                    "censored_before_landmark": unknown,
                    "rate_excluding_censored": complete.estimate if complete else float("nan"),
                    "rate_censored_as_failure": worst.estimate,
                    "lower_censored_as_failure": worst.lower, "upper_censored_as_failure": worst.upper})
    return pd.DataFrame(out)


def _subgroups(rows: Sequence[TimeToEvent], records: Sequence[PatientRecord], experimental: str
               ) -> pd.DataFrame:
    """PFS HR (Cox, Efron) by subgroup level, for the forest plot."""
    by_id = {r.patient_id: r for r in records}
    out = []
    for factor in SUBGROUPS:
        levels = sorted({by_id[r.patient_id].attributes.get(factor, "") for r in rows} - {""})
        for level in levels:
            sub = [r for r in rows if by_id[r.patient_id].attributes.get(factor) == level]
            t, e, a = _arrays(sub)
            row: dict[str, Any] = {"subgroup": SUBGROUPS[factor], "level": level, "n": len(sub),
                                   "hr": None, "lower": None, "upper": None, "p": None}
            both = len(set(a)) == 2 and e[a == experimental].any() and e[a != experimental].any()
            if both:
                fit = _cox(t, e, a == experimental, None)
                ci = fit.confidence_intervals_.iloc[0]
                row.update(hr=float(fit.hazard_ratios_.iloc[0]), lower=float(ci.iloc[0]),
                           upper=float(ci.iloc[1]), p=float(fit.summary["p"].iloc[0]))
            out.append(row)
    return pd.DataFrame(out)


def _dose_intensity(data: TrialData) -> pd.DataFrame:
    arm = {p.patient_id: p.actual_arm or p.arm for p in data.patients}
    rows = [{"arm": arm[d.patient_id], "drug": d.drug, "rdi": d.relative_dose_intensity}
            for d in dose_intensities(data.patients) if d.relative_dose_intensity is not None]
    if not rows:
        return pd.DataFrame()
    frame = pd.DataFrame(rows)
    return (frame.groupby(["arm", "drug"])["rdi"]
            .agg(patients="count", median_rdi="median", mean_rdi="mean").reset_index())


def analyze_trial(data: TrialData, *, protocol: Protocol | None = None,
                  stratification: Sequence[str] | None = None) -> TrialAnalysis:
    """Run every endpoint on the ITT population (safety on the safety population).

    With a ``protocol``, the landmark, the BOR settings, the PFS censoring rules and the
    stratification factors come from it; without one, the FDA/RECIST defaults apply.
    """
    landmark_days = protocol_landmark(protocol) if protocol else 183
    response = response_settings(protocol) if protocol else ResponseSettings()
    censoring = pfs_censoring(protocol) if protocol else PfsCensoring()
    if stratification is None:
        stratification = (tuple(f.attribute for f in protocol.stratification.factors) if protocol
                          else ("extrahepatic_metastasis", "ecog"))
    records = intention_to_treat(data.patients)
    arms = data.arms
    control = data.control_arm
    experimental = next(a for a in arms if a != control)
    strata = _strata(records, stratification)
    cut = data.cutoff
    pfs_rows = [progression_free_survival(r, criterion=Criterion.RECIST_1_1, cutoff=cut,
                                          rules=censoring) for r in records]
    pfs_m_rows = [progression_free_survival(r, criterion=Criterion.MRECIST, cutoff=cut,
                                            rules=censoring) for r in records]
    os_rows = [overall_survival(r, cutoff=cut) for r in records]
    t, e, a = _arrays(pfs_rows)
    rates = []
    for criterion in (Criterion.RECIST_1_1, Criterion.MRECIST):
        bors = {arm: [best_response(r, criterion=criterion, cutoff=cut, settings=response)
                      for r in records if r.arm == arm] for arm in arms}
        for name, test in (("ORR", is_objective_response), ("DCR", is_disease_control)):
            flags = {arm: [test(b) for b in bors[arm]] for arm in arms}
            rates.append(_rate(name, criterion, flags, arms, experimental, control, strata, records))
    dor_rows = [d for r in records
                if (d := duration_of_response(r, criterion=Criterion.RECIST_1_1, cutoff=cut,
                                              settings=response, rules=censoring)) is not None]
    return TrialAnalysis(
        data=data, experimental=experimental,
        populations={"ITT": len(records), "per-protocol": len(per_protocol(data.patients)),
                     "safety": len(safety_population(data.patients))},
        pfs=_survival("PFS (RECIST 1.1)", pfs_rows, arms, experimental, strata),
        pfs_mrecist=_survival("PFS (mRECIST)", pfs_m_rows, arms, experimental, strata),
        os=_survival("OS", os_rows, arms, experimental, strata),
        pfs6=compare_landmark_survival(t, e, a, landmark=float(landmark_days), control=control),
        pfs6_binary=_binary_landmark(pfs_rows, arms, landmark_days),
        rmst=compare_rmst(t / DAYS_PER_MONTH, e, a, control=control),
        rates=tuple(rates), dor=_medians(dor_rows, arms) if dor_rows else pd.DataFrame(),
        safety=summarise_safety(data.patients), dose_intensity=_dose_intensity(data),
        subgroups=_subgroups(pfs_rows, records, experimental),
        landmark_days=landmark_days)
