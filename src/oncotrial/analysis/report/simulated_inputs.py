"""SIMULATED report inputs: the ``oncotrial analyze --simulated-demo`` trial plus seeded extras.

The trial comes from :func:`oncotrial.simulation.trial_outcomes.simulated_trial`; the
extras are drawn from ``derive_seed(seed, "report_extras")`` so the same seed gives the
same report. Doses follow the protocol's regimen (oxaliplatin 85 mg/m² day 1, gemcitabine
1000 mg/m² days 1 and 8, toripalimab 240 mg day 1, lenvatinib 12 mg/day at ≥ 60 kg else
8 mg/day; 21-day cycles; BSA by Mosteller); the trial file's exposure is replaced by the
sums of these doses, so the analysis and the report read one set of doses. Tumour sums
reproduce each scan's ``target_change_pct`` (RECIST 1.1) and are placed in the range of each
scan's mRECIST response (mRECIST). Screening failures use the protocol's criteria.
SIMULATED DATA: not results of NCT07304388.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from oncotrial.analysis.report_data import (
    SIMULATED_LABEL,
    BaselineCharacteristics,
    DoseRecord,
    ReportExtras,
    ScreeningLog,
    TreatmentCourse,
    TumourMeasurement,
)
from oncotrial.core.calculators.bsa import bsa_mosteller
from oncotrial.core.endpoints.trial_data import TrialData, trial_data_from_mapping
from oncotrial.core.randomization import derive_seed
from oncotrial.core.response.criteria import Criterion
from oncotrial.core.units import Measurand, measure
from oncotrial.simulation.trial_outcomes import simulated_trial

CYCLE_DAYS = 21
#: Screen-failure reasons (protocol criteria) and their relative frequency [ASSUMP].
SCREEN_FAILURES: tuple[tuple[str, float], ...] = (
    ("Not meeting inclusion criteria: ECOG performance status > 1", 0.15),
    ("Not meeting inclusion criteria: Child-Pugh class C", 0.10),
    ("Not meeting inclusion criteria: inadequate bone marrow, hepatic or renal function", 0.25),
    ("Meeting exclusion criteria: prior anticancer therapy", 0.15),
    ("Meeting exclusion criteria: other (malignancy, infection, bleeding)", 0.10),
    ("Declined to participate", 0.20),
    ("Other reasons", 0.05),
)
SCREEN_FAILURE_RATE = 0.2


def _baseline(p: dict[str, Any], rng: random.Random) -> BaselineCharacteristics:
    attrs = p["attributes"]
    ecog = int(attrs["ecog"])
    extra = attrs["extrahepatic_metastasis"] == "yes"
    ca = rng.uniform(2.0, 37.0) if attrs["ca19_9"] == "<=37" else 37.0 + math.exp(rng.gauss(5.0, 1.4))
    cp_class = attrs["child_pugh"]
    return BaselineCharacteristics(
        patient_id=p["patient_id"],
        age_years=float(round(min(80.0, max(28.0, rng.gauss(58.0, 9.0))))),
        sex="Male" if rng.random() < 0.55 else "Female",
        ecog=ecog,
        hbv=attrs["hbv"],
        child_pugh_class=cp_class,
        child_pugh_score=rng.choice((5, 5, 6)) if cp_class == "A" else rng.choice((7, 7, 8)),
        ca19_9_u_per_ml=round(ca, 1),
        extrahepatic_metastasis=extra,
        stratum=f"extrahepatic_metastasis={attrs['extrahepatic_metastasis']};ecog={ecog}",
        weight_kg=round(min(110.0, max(40.0, rng.gauss(63.0, 10.0))), 1),
        height_cm=round(min(190.0, max(145.0, rng.gauss(165.0, 7.0))), 1),
    )


def _doses(p: dict[str, Any], b: BaselineCharacteristics, rng: random.Random) -> list[DoseRecord]:
    bsa = bsa_mosteller(
        measure(Measurand.HEIGHT, b.height_cm, "cm"), measure(Measurand.WEIGHT, b.weight_kg, "kg")
    )
    first, last = date.fromisoformat(p["first_dose_on"]), date.fromisoformat(p["last_dose_on"])
    lenvatinib = 12.0 if b.weight_kg >= 60 else 8.0
    level = 1.0  # chemotherapy dose level (−20 % per reduction) [ASSUMP]
    out: list[DoseRecord] = []
    cycle = 1
    while cycle == 1 or first + timedelta(days=CYCLE_DAYS * (cycle - 1)) <= last:
        day1 = first + timedelta(days=CYCLE_DAYS * (cycle - 1))
        if cycle > 1 and level > 0.6 and rng.random() < 0.07:
            level -= 0.2
        if cycle > 1 and lenvatinib > 4 and rng.random() < 0.05:
            lenvatinib -= 4.0
        gem8 = 0.0 if rng.random() < 0.08 else 1000 * bsa * level
        planned = (
            ("oxaliplatin", day1, 85 * bsa, 85 * bsa * level),
            ("gemcitabine", day1, 1000 * bsa, 1000 * bsa * level),
            ("gemcitabine", day1 + timedelta(days=7), 1000 * bsa, gem8),
            ("toripalimab", day1, 240.0, 0.0 if rng.random() < 0.03 else 240.0),
            (
                "lenvatinib",
                day1,
                21 * (12.0 if b.weight_kg >= 60 else 8.0),
                21 * lenvatinib - rng.choice((0, 0, 0, 1, 2)) * lenvatinib,
            ),
        )
        out += [
            DoseRecord(p["patient_id"], drug, cycle, on, round(plan), round(given))
            for drug, on, plan, given in planned
        ]
        cycle += 1
    return out


def _exposure(doses: list[DoseRecord]) -> list[dict[str, Any]]:
    by_drug: dict[str, list[DoseRecord]] = defaultdict(list)
    for d in doses:
        by_drug[d.drug].append(d)
    out = []
    for drug, items in sorted(by_drug.items()):
        given = [d.given_on for d in items if d.administered_mg > 0]
        out.append(
            {
                "drug": drug,
                "doses_given": len(given),
                "delivered_mg": sum(d.administered_mg for d in items),
                "planned_mg": sum(d.planned_mg for d in items),
                "first_dose": min(given).isoformat() if given else None,
                "last_dose": max(given).isoformat() if given else None,
            }
        )
    return out


def _mrecist_change(recist_change: float, response: str, rng: random.Random) -> float:
    """A viable-tumour change in the range of the scan's mRECIST response (EASL/mRECIST thresholds)."""
    if response == "CR":
        return -100.0
    if response == "PR":
        return max(-99.0, min(recist_change - rng.uniform(5, 20), -30.0 - rng.uniform(0, 35)))
    if response == "PD":
        return max(recist_change, 20.0 + rng.uniform(1, 30))
    return min(19.0, max(-29.0, recist_change - rng.uniform(0, 10)))


def _measurements(p: dict[str, Any], rng: random.Random) -> list[TumourMeasurement]:
    pid = p["patient_id"]
    recist_base = round(rng.uniform(35.0, 160.0), 1)
    viable_base = round(recist_base * rng.uniform(0.55, 0.9), 1)
    baseline_on = date.fromisoformat(p["baseline_scan_on"])
    out = [
        TumourMeasurement(pid, baseline_on, Criterion.RECIST_1_1, recist_base, is_baseline=True),
        TumourMeasurement(pid, baseline_on, Criterion.MRECIST, viable_base, is_baseline=True),
    ]
    for scan in p["scans"]:
        on = date.fromisoformat(scan["date"])
        change = float(scan["target_change_pct"])
        out.append(
            TumourMeasurement(pid, on, Criterion.RECIST_1_1, round(recist_base * (1 + change / 100), 1))
        )
        m = _mrecist_change(change, scan["mrecist"], rng)
        out.append(TumourMeasurement(pid, on, Criterion.MRECIST, round(viable_base * (1 + m / 100), 1)))
    return out


def _course(p: dict[str, Any], cutoff: date, rng: random.Random) -> TreatmentCourse:
    died = p["death_on"] is not None
    progressed = any(s["recist"] == "PD" for s in p["scans"])
    stopped_for_ae = any(a.get("led_to_discontinuation") for a in p["adverse_events"])
    start = date.fromisoformat(p["first_dose_on"])
    if not died and not progressed and not stopped_for_ae and rng.random() < 0.85:
        return TreatmentCourse(p["patient_id"], start, None, None, "on treatment")
    if progressed:
        reason = "Disease progression"
    elif died:
        reason = "Death"
    elif stopped_for_ae:
        reason = "Adverse event"
    else:
        reason = rng.choice(("Withdrew consent", "Physician decision", "Patient decision"))
    if died:
        status = "died"
    elif reason == "Withdrew consent":
        status = "withdrew consent"
    else:
        status = "lost to follow-up" if rng.random() < 0.03 else "in follow-up"
    return TreatmentCourse(
        p["patient_id"], start, min(date.fromisoformat(p["last_dose_on"]), cutoff), reason, status
    )


def _screening(randomized: int, rng: random.Random) -> ScreeningLog:
    assessed = round(randomized / (1 - SCREEN_FAILURE_RATE))
    counts = dict.fromkeys((r for r, _ in SCREEN_FAILURES), 0)
    reasons, weights = zip(*SCREEN_FAILURES, strict=True)
    for reason in rng.choices(reasons, weights=weights, k=assessed - randomized):
        counts[reason] += 1
    return ScreeningLog(assessed, {r: n for r, n in counts.items() if n})


def simulated_inputs(seed: int, *, patients: int = 120) -> tuple[TrialData, ReportExtras]:
    """The SIMULATED trial of ``seed`` and its extras (see the module docstring)."""
    raw = simulated_trial(patients=patients, seed=seed)
    rng = random.Random(derive_seed(seed, "report_extras"))
    cutoff = date.fromisoformat(raw["cutoff"])
    baseline, doses, measurements, courses = [], [], [], []
    for p in raw["patients"]:
        b = _baseline(p, rng)
        mine = _doses(p, b, rng)
        p["exposure"] = _exposure(mine)
        baseline.append(b)
        doses += mine
        measurements += _measurements(p, rng)
        courses.append(_course(p, cutoff, rng))
    extras = ReportExtras(
        data_cutoff=cutoff,
        screening=_screening(len(raw["patients"]), rng),
        baseline=tuple(baseline),
        doses=tuple(doses),
        measurements=tuple(measurements),
        courses=tuple(courses),
        simulated=True,
        label=SIMULATED_LABEL,
    )
    return trial_data_from_mapping(raw), extras
