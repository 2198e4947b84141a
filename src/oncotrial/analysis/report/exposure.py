"""Exposure in the safety population: cycles started and dose modifications from the dose records.

A cycle counts as received when at least one dose of any drug was administered in it.
A dose is *omitted* when nothing was administered and *reduced* when less than planned
(more than 1 % below, to ignore rounding to whole mg). The relative dose intensity per drug
(delivered / planned cumulative dose) is the analysis's own
(:func:`oncotrial.analysis.trial_analysis.analyze_trial`, ``dose_intensity``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from oncotrial.analysis.report_data import ReportExtras
from oncotrial.core.endpoints.populations import safety_arm, safety_population
from oncotrial.core.endpoints.trial_data import TrialData

REDUCED_BELOW = 0.99


@dataclass(frozen=True, slots=True)
class CycleSummary:
    arm: str
    patients: int
    median: float
    q1: float
    q3: float
    minimum: int
    maximum: int


@dataclass(frozen=True, slots=True)
class DrugModifications:
    arm: str
    drug: str
    planned: int
    administered: int
    reduced: int
    omitted: int


def cycles_received(data: TrialData, extras: ReportExtras) -> list[CycleSummary]:
    treated = {p.patient_id: safety_arm(p) for p in safety_population(data.patients)}
    cycles: dict[str, set[int]] = defaultdict(set)
    for d in extras.doses:
        if d.patient_id in treated and d.administered_mg > 0:
            cycles[d.patient_id].add(d.cycle)
    out = []
    for arm in data.arms:
        counts = [len(cycles[pid]) for pid, a in treated.items() if a == arm]
        if not counts:
            continue
        q1, med, q3 = np.percentile(np.asarray(counts, dtype=float), [25, 50, 75])
        out.append(CycleSummary(arm, len(counts), float(med), float(q1), float(q3), min(counts), max(counts)))
    return out


def dose_modifications(data: TrialData, extras: ReportExtras) -> list[DrugModifications]:
    treated = {p.patient_id: safety_arm(p) for p in safety_population(data.patients)}
    tally: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for d in extras.doses:
        if d.patient_id not in treated:
            continue
        row = tally[(treated[d.patient_id], d.drug)]
        row[0] += 1
        row[1] += d.administered_mg > 0
        row[2] += 0 < d.administered_mg < REDUCED_BELOW * d.planned_mg
        row[3] += d.administered_mg == 0
    return [
        DrugModifications(arm, drug, *tally[(arm, drug)])
        for arm in data.arms
        for drug in sorted({k[1] for k in tally})
        if (arm, drug) in tally
    ]
