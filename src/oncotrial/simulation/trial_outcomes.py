"""A SIMULATED NCT07304388-shaped trial data file (docs/trial-data-format.md).

Outcomes are drawn from the calibration scenario of shared/research/clinical-content.md
§2.4 [ASSUMP]: PFS Weibull with shape 1.5 and a 6-month rate of 0.66 in the control
arm (GEMOX) and shape 2.07, scale 11.2 months in the experimental arm (HAIC; 6-month
rate ≈ 0.76); post-progression survival exponential with median 8 months; RECIST ORR
50 % vs 60 % (mRECIST +10 points); scans every 42 days. This is a quick generator for
exercising the analysis; the conducted simulated trial (virtual patients driven through
the real application) is a separate, later piece. Every document says SIMULATED.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from typing import Any

from oncotrial.core.randomization import derive_seed

DAYS_PER_MONTH = 30.4375
LABEL = "SIMULATED DATA: not results of NCT07304388"

#: arm → (Weibull shape, scale in months), ORR RECIST, ORR mRECIST
ARMS: dict[str, tuple[float, float, float, float]] = {
    # control: shape 1.5 with S(6) = 0.66 → scale = 6 / (-ln 0.66)^(1/1.5) ≈ 10.54 months
    "GEMOX": (1.5, 6.0 / (-math.log(0.66)) ** (1 / 1.5), 0.50, 0.60),
    "HAIC": (2.07, 11.2, 0.60, 0.70),
}
AE_TERMS: tuple[tuple[str, float, float], ...] = (
    # term, probability any grade, probability grade >= 3 given any
    ("Neutrophil count decreased", 0.55, 0.35), ("Platelet count decreased", 0.45, 0.25),
    ("Alanine aminotransferase increased", 0.40, 0.20), ("Hypertension", 0.35, 0.15),
    ("Fatigue", 0.50, 0.05), ("Peripheral sensory neuropathy", 0.40, 0.05),
    ("Proteinuria", 0.25, 0.08), ("Abdominal pain", 0.30, 0.05), ("Hypothyroidism", 0.15, 0.0),
)


def _weibull_months(rng: random.Random, shape: float, scale: float) -> float:
    value: float = scale * (-math.log(1.0 - rng.random())) ** (1.0 / shape)
    return value


def simulated_trial(*, patients: int = 120, seed: int = 20230801, start: date = date(2023, 8, 1),
                    accrual_months: float = 22.0, cutoff: date = date(2025, 6, 1)) -> dict[str, Any]:
    """A whole SIMULATED trial data document, reproducible from ``seed``."""
    rng = random.Random(derive_seed(seed, "trial_outcomes"))
    rows = []
    for i in range(patients):
        arm = "HAIC" if i % 2 == 0 else "GEMOX"  # alternating: the demo file needs balance only
        randomized = start + timedelta(days=int(rng.uniform(0, accrual_months) * DAYS_PER_MONTH))
        if randomized > cutoff:
            randomized = cutoff
        rows.append(_patient(i + 1, arm, randomized, cutoff, rng))
    return {"format": "oncotrial.trial_data", "trial": "NCT07304388", "simulated": True,
            "label": LABEL, "cutoff": cutoff.isoformat(), "arms": ["HAIC", "GEMOX"],
            "control_arm": "GEMOX", "patients": rows}


def _patient(n: int, arm: str, randomized: date, cutoff: date, rng: random.Random) -> dict[str, Any]:
    shape, scale, orr, orr_m = ARMS[arm]
    pfs_days = _weibull_months(rng, shape, scale) * DAYS_PER_MONTH
    os_days = pfs_days + rng.expovariate(math.log(2) / 8.0) * DAYS_PER_MONTH
    dies_first = rng.random() < 0.08  # death without documented progression
    death = randomized + timedelta(days=int(os_days if not dies_first else pfs_days))
    u = rng.random()
    best = "PR" if u < orr else "SD" if u < 0.9 else "PD"
    best = "CR" if best == "PR" and rng.random() < 0.05 else best
    best_m = "PR" if u < orr_m and best != "CR" else best
    depth = {"CR": -100.0, "PR": rng.uniform(-75, -31), "SD": rng.uniform(-29, 15),
             "PD": rng.uniform(21, 60)}[best]
    scans: list[dict[str, Any]] = []
    day = 42
    while True:
        on = randomized + timedelta(days=day + rng.randint(-3, 3))
        if on > cutoff or on > death:
            break
        progressed = day >= pfs_days or best == "PD"
        fraction = min(1.0, day / 84)
        change = round(depth * fraction, 1) if not progressed else round(max(depth, 0) + 25, 1)
        resp = "PD" if progressed else (best if day >= 84 or best == "SD" else "SD")
        resp_m = "PD" if progressed else (best_m if day >= 84 or best_m == "SD" else "SD")
        scans.append({"date": on.isoformat(), "recist": resp, "mrecist": resp_m,
                      "target_change_pct": change})
        if progressed:
            break
        day += 42
    first_dose = randomized + timedelta(days=rng.randint(1, 5))
    last_dose = min(cutoff, death, date.fromisoformat(str(scans[-1]["date"])) if scans else first_dose)
    last_dose = max(last_dose, first_dose)
    aes = []
    for term, p_any, p_severe in AE_TERMS:
        if term == "Abdominal pain" and arm == "HAIC":
            p_any = 0.55  # pain during intra-arterial oxaliplatin infusion
        if rng.random() < p_any:
            grade = rng.choice((3, 3, 4)) if rng.random() < p_severe else rng.choice((1, 1, 2))
            aes.append({"term": term, "grade": grade,
                        "start_date": (first_dose + timedelta(days=rng.randint(0, 120))).isoformat(),
                        "serious": grade >= 3 and rng.random() < 0.3, "related": True,
                        "led_to_discontinuation": grade >= 4 and rng.random() < 0.3})
    if arm == "HAIC" and rng.random() < 0.17:  # catheter series complication rate, §4.4
        term = rng.choice(("Puncture site hematoma", "Hepatic artery occlusion",
                           "Gastroduodenal ulcer", "Catheter dislocation"))
        aes.append({"term": term, "grade": rng.choice((1, 2, 2, 3)), "haic_procedure": True,
                    "start_date": (first_dose + timedelta(days=rng.randint(0, 90))).isoformat(),
                    "serious": False, "related": True, "led_to_discontinuation": False})
    cycles = max(1, (last_dose - first_dose).days // 21 + 1)
    planned = 1000.0 * 1.7 * 2 * cycles
    died = death <= cutoff
    return {
        "patient_id": f"SIM-{n:04d}", "arm": arm, "actual_arm": arm,
        "randomized_on": randomized.isoformat(), "first_dose_on": first_dose.isoformat(),
        "last_dose_on": last_dose.isoformat(),
        "baseline_scan_on": (randomized - timedelta(days=rng.randint(3, 20))).isoformat(),
        "scans": scans, "death_on": death.isoformat() if died else None,
        "last_known_alive_on": (death - timedelta(days=1) if died else cutoff).isoformat(),
        "adverse_events": aes,
        "exposure": [{"drug": "gemcitabine", "doses_given": 2 * cycles,
                      "delivered_mg": round(planned * rng.uniform(0.75, 1.0)),
                      "planned_mg": planned}],
        "attributes": {"ecog": rng.choice(("0", "0", "1")),
                       "extrahepatic_metastasis": rng.choice(("yes", "no")),
                       "ca19_9": "<=37" if rng.random() < 0.28 else ">37",
                       "hbv": "HBsAg+" if rng.random() < 0.42 else "HBsAg-",
                       "child_pugh": "A" if rng.random() < 0.92 else "B"},
    }
