"""Labs and vital signs of the SIMULATED demo trial (:mod:`.demo_records`) [ASSUMP].

Neutrophils, platelets, haemoglobin, ALT, bilirubin and albumin at screening and on day 1 of
each cycle, graded with :mod:`oncotrial.core.grading.ctcae_v5`; weight and blood pressure at
the same visits, height at screening.
"""

from __future__ import annotations

import random
from datetime import date

from oncotrial.core.grading import ctcae_v5
from oncotrial.exports.clinical_records import LabResult, VitalSign
from oncotrial.exports.sdtm.demo_parts import _Parts

#: test code → (name, category, SI unit, collected unit, SI per collected unit, low, high (SI),
#: mean, sd (SI)). Reference ranges: typical adult ranges [ASSUMP: the site's own are not known].
LABS: dict[str, tuple[str, str, str, str, float, float, float, float, float]] = {
    "NEUT": ("Neutrophils", "HEMATOLOGY", "10^9/L", "10^9/L", 1.0, 1.8, 7.7, 4.0, 1.5),
    "PLAT": ("Platelets", "HEMATOLOGY", "10^9/L", "10^9/L", 1.0, 150.0, 400.0, 210.0, 70.0),
    "HGB": ("Hemoglobin", "HEMATOLOGY", "g/L", "g/dL", 10.0, 120.0, 160.0, 125.0, 15.0),
    "ALT": ("Alanine Aminotransferase", "CHEMISTRY", "U/L", "U/L", 1.0, 7.0, 40.0, 35.0, 18.0),
    "BILI": ("Bilirubin", "CHEMISTRY", "umol/L", "mg/dL", 17.104, 3.4, 20.5, 15.0, 6.0),
    "ALB": ("Albumin", "CHEMISTRY", "g/L", "g/L", 1.0, 35.0, 50.0, 38.0, 4.0),
}
_FLOOR = {"NEUT": 0.3, "PLAT": 15.0, "HGB": 65.0, "ALT": 8.0, "BILI": 4.0, "ALB": 22.0}


def _labs(pid: str, visit: str, on: date, baseline: bool, rng: random.Random, p: _Parts) -> None:
    for code, (name, cat, si_unit, unit, factor, low, high, mean, sd) in LABS.items():
        si = round(max(_FLOOR[code], rng.gauss(mean, sd)), 1)
        collected = round(si / factor, 2)
        p.labs.append(
            LabResult(
                pid,
                code,
                name,
                cat,
                collected,
                unit,
                si,
                si_unit,
                low,
                high,
                _grade(code, si, low, high),
                on,
                visit,
                baseline,
            )
        )


def _grade(code: str, si: float, low: float, high: float) -> int | None:
    """CTCAE v5.0 grade of a lab value (core grading; baseline-relative rules use a normal baseline)."""
    if code == "NEUT":
        return ctcae_v5.grade_neutrophil_count_decreased(si, lln=low).grade
    if code == "PLAT":
        return ctcae_v5.grade_platelet_count_decreased(si, lln=low).grade
    if code == "HGB":
        return ctcae_v5.grade_anemia(si, lln=low).grade
    if code == "ALT":
        return ctcae_v5.grade_alt_increased(si, uln=high, baseline=None).grade
    if code == "BILI":
        return ctcae_v5.grade_blood_bilirubin_increased(si, uln=high, baseline=None).grade
    return ctcae_v5.grade_hypoalbuminemia(si, lln=low).grade


def _vitals(
    pid: str,
    visit: str,
    on: date,
    baseline: bool,
    weight: float,
    rng: random.Random,
    p: _Parts,
    *,
    height: float | None = None,
) -> None:
    values = [
        ("WEIGHT", "Weight", round(weight + rng.gauss(0, 1.0), 1), "kg"),
        ("SYSBP", "Systolic Blood Pressure", float(round(rng.gauss(128, 12))), "mmHg"),
        ("DIABP", "Diastolic Blood Pressure", float(round(rng.gauss(80, 8))), "mmHg"),
    ]
    if height is not None:
        values.insert(0, ("HEIGHT", "Height", height, "cm"))
    for code, name, value, unit in values:
        p.vitals.append(VitalSign(pid, code, name, value, unit, on, visit, baseline))
