"""SIMULATED screening candidates for the worked example (``make run``, ``oncotrial demo``).

Candidates are plain documents in the patient JSON format (docs/patient-format.md),
drawn from a seeded ``random.Random``. Distributions are the generator defaults of
shared/research/clinical-content.md §2.5 (age, sex, weight, ECOG, extrahepatic
disease), with a few deliberate out-of-range values so that roughly one candidate in
five fails screening for a reason taken from the actual criteria. This is a
demonstration generator, not the calibrated patient simulator of the trial
simulation; every document it makes says ``"simulated": true``.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

SITE_RANGES: dict[str, Any] = {
    "site_id": "SYSUCC",
    "ranges": [
        {"test": "BILI", "lln": 3.4, "uln": 20.5, "unit": "µmol/L"},
        {"test": "AST", "lln": 15, "uln": 40, "unit": "U/L"},
        {"test": "ALT", "lln": 9, "uln": 50, "unit": "U/L"},
        {"test": "CREAT", "lln": 57, "uln": 111, "unit": "µmol/L"},
        {"test": "ALB", "lln": 40, "uln": 55, "unit": "g/L"},
        {"test": "NEUT", "lln": 1.8, "uln": 6.3, "unit": "10^9/L"},
        {"test": "PLAT", "lln": 125, "uln": 350, "unit": "10^9/L"},
        {"test": "WBC", "lln": 3.5, "uln": 9.5, "unit": "10^9/L"},
        {"test": "HGB", "lln": 130, "uln": 175, "unit": "g/L"},
    ],
}

#: (probability, what goes wrong): each candidate draws at most one failure.
FAILURES: tuple[tuple[float, str], ...] = (
    (0.04, "ecog_2"), (0.03, "platelets_low"), (0.03, "bilirubin_high"),
    (0.03, "albumin_low"), (0.03, "inr_high"), (0.03, "prior_therapy"),
    (0.01, "gi_bleed_recent"), (0.01, "other_malignancy"), (0.01, "no_measurable_disease"),
)


def _failure(rng: random.Random) -> str | None:
    u = rng.random()
    for p, name in FAILURES:
        if u < p:
            return name
        u -= p
    return None


def simulated_candidate(index: int, screening_day: date, rng: random.Random) -> dict[str, Any]:
    """One SIMULATED candidate document screened on ``screening_day``."""
    fail = _failure(rng)
    male = rng.random() < 0.60
    age = min(80, max(18, round(rng.gauss(57, 10))))
    birth = screening_day - timedelta(days=365 * age + rng.randrange(0, 365))
    weight = round(rng.gauss(65, 10) if male else rng.gauss(56, 8), 1)
    height = round(rng.gauss(168, 6) if male else rng.gauss(157, 5))
    lab_day = (screening_day - timedelta(days=rng.randrange(0, 5))).isoformat()
    img_day = (screening_day - timedelta(days=rng.randrange(3, 20))).isoformat()
    ecog = 2 if fail == "ecog_2" else (0 if rng.random() < 0.55 else 1)

    def lab(test: str, value: float, unit: str) -> dict[str, Any]:
        return {"test": test, "value": round(value, 2), "unit": unit, "date": lab_day}

    labs = [
        lab("WBC", rng.uniform(3.2, 9.5), "10^9/L"),
        lab("NEUT", rng.uniform(1.9, 6.0), "10^9/L"),
        lab("HGB", rng.uniform(10.0, 15.5), "g/dL"),
        lab("PLAT", rng.uniform(40, 70) if fail == "platelets_low" else rng.uniform(110, 320), "10^9/L"),
        lab("ALB", rng.uniform(26, 29.5) if fail == "albumin_low" else rng.uniform(32, 46), "g/L"),
        lab("BILI", rng.uniform(62, 90) if fail == "bilirubin_high" else rng.uniform(6, 40), "µmol/L"),
        lab("AST", rng.uniform(18, 110), "U/L"),
        lab("ALT", rng.uniform(12, 120), "U/L"),
        lab("CREAT", rng.uniform(50, 105), "µmol/L"),
        lab("PT", rng.uniform(11, 14.5), "s"),
        lab("INR", rng.uniform(1.27, 1.45) if fail == "inr_high" else rng.uniform(0.9, 1.2), "INR"),
        lab("CA19_9", rng.lognormvariate(4.4, 1.6), "U/mL"),
    ]
    liver_mm = 8 if fail == "no_measurable_disease" else round(rng.lognormvariate(4.3, 0.35))
    lesions = [{"id": "T1", "organ": "liver", "lymph_node": False,
                "longest_diameter_mm": liver_mm, "slice_thickness_mm": 5, "date": img_day}]
    extrahepatic = rng.random() < 0.48
    if extrahepatic and fail != "no_measurable_disease":
        lesions.append({"id": "N1", "organ": "lymph node", "lymph_node": True,
                        "short_axis_mm": round(rng.uniform(15, 30)), "slice_thickness_mm": 5,
                        "date": img_day})
    bleed = ({"present": True, "date": (screening_day - timedelta(days=10)).isoformat()}
             if fail == "gi_bleed_recent" else False)
    return {
        "simulated": True,
        "comment": "SIMULATED DATA: not a participant of NCT07304388",
        "patient_id": f"SIM-{index:04d}",
        "site_id": "SYSUCC",
        "birth_date": birth.isoformat(),
        "sex": "M" if male else "F",
        "ecog": ecog,
        "weight": {"value": weight, "unit": "kg", "date": lab_day},
        "height": {"value": height, "unit": "cm"},
        "consent_date": (screening_day - timedelta(days=rng.randrange(1, 7))).isoformat(),
        "labs": labs,
        "reference_ranges": SITE_RANGES,
        "lesions": lesions,
        "ascites": "mild" if rng.random() < 0.08 else "none",
        "encephalopathy": "none",
        "facts": {
            "histology_confirmed_icc": True, "unresectable_by_mdt": True,
            "other_malignancy": fail == "other_malignancy",
            "prior_anticancer_therapy": fail == "prior_therapy",
            "allergy_to_study_drugs": False, "uncontrolled_comorbidity": False,
            "active_infection": False, "pregnancy_or_lactation": False,
            "refuses_study_procedures": False, "gi_bleeding": bleed,
        },
        "numbers": {"life_expectancy_months": round(rng.uniform(6, 24))},
        "attributes": {"extrahepatic_metastasis": extrahepatic},
    }
