"""Baseline characteristics by randomized arm (ITT): n (%) for categories, median (IQR) for numbers.

Quartiles are R's default ``quantile(type = 7)`` (linear interpolation; NumPy's default).
Percentages use the arm's ITT size as denominator.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from oncotrial.analysis.report_data import BaselineCharacteristics, ReportExtras
from oncotrial.core.endpoints.trial_data import TrialData

AGE_CUT_YEARS = 65.0
CA19_9_ULN = 37.0


@dataclass(frozen=True, slots=True)
class Continuous:
    key: str
    label: str
    values: dict[str, tuple[float, float, float, int]]
    """arm → (median, Q1, Q3, n)."""


@dataclass(frozen=True, slots=True)
class Categorical:
    key: str
    label: str
    levels: tuple[str, ...]
    counts: dict[str, dict[str, int]]
    """arm → level → patients."""


Row = Continuous | Categorical


def age_group(b: BaselineCharacteristics) -> str:
    return "< 65 years" if b.age_years < AGE_CUT_YEARS else "≥ 65 years"


CATEGORIES: tuple[tuple[str, str, Callable[[BaselineCharacteristics], str]], ...] = (
    ("age_group", "Age group", age_group),
    ("sex", "Sex", lambda b: b.sex),
    ("ecog", "ECOG performance status", lambda b: str(b.ecog)),
    ("hbv", "HBV infection (HBsAg)", lambda b: b.hbv),
    ("child_pugh", "Child–Pugh class", lambda b: b.child_pugh_class),
    ("ca19_9_group", "CA19-9", lambda b: "> 37 U/mL" if b.ca19_9_u_per_ml > CA19_9_ULN else "≤ 37 U/mL"),
    ("extrahepatic", "Extrahepatic metastasis", lambda b: "Yes" if b.extrahepatic_metastasis else "No"),
    ("stratum", "Randomization stratum", lambda b: b.stratum),
)
NUMBERS: tuple[tuple[str, str, Callable[[BaselineCharacteristics], float]], ...] = (
    ("age", "Age, years", lambda b: b.age_years),
    ("ca19_9", "CA19-9, U/mL", lambda b: b.ca19_9_u_per_ml),
    ("child_pugh_score", "Child–Pugh score", lambda b: float(b.child_pugh_score)),
    ("weight", "Weight, kg", lambda b: b.weight_kg),
)


def by_arm(data: TrialData, extras: ReportExtras) -> dict[str, list[BaselineCharacteristics]]:
    arm = {p.patient_id: p.arm for p in data.patients}
    out: dict[str, list[BaselineCharacteristics]] = {a: [] for a in data.arms}
    for b in extras.baseline:
        out[arm[b.patient_id]].append(b)
    return out


def _quartiles(values: Sequence[float]) -> tuple[float, float, float, int]:
    if not values:
        return (float("nan"),) * 3 + (0,)
    q1, med, q3 = np.percentile(np.asarray(values, dtype=float), [25, 50, 75])
    return float(med), float(q1), float(q3), len(values)


def baseline_rows(data: TrialData, extras: ReportExtras) -> list[Row]:
    groups = by_arm(data, extras)
    rows: list[Row] = []
    for key, label, get in NUMBERS[:1]:
        rows.append(Continuous(key, label, {a: _quartiles([get(b) for b in groups[a]]) for a in data.arms}))
    for key, label, cat in CATEGORIES:
        levels = tuple(sorted({cat(b) for b in extras.baseline}))
        rows.append(
            Categorical(
                key,
                label,
                levels,
                {a: {lv: sum(cat(b) == lv for b in groups[a]) for lv in levels} for a in data.arms},
            )
        )
    for key, label, get in NUMBERS[1:]:
        rows.append(Continuous(key, label, {a: _quartiles([get(b) for b in groups[a]]) for a in data.arms}))
    return rows
