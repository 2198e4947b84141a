"""Lesions and tumour responses of the SIMULATED demo trial (:mod:`.demo_records`) [ASSUMP].

Two non-nodal target lesions and one non-target lesion per subject whose sum follows the
generator's ``target_change_pct``, moved into the band of the recorded response where the
generator's early scans disagree (:func:`consistent_change`), viable diameters in the band of
the mRECIST response, and a new lesion at each progression, so every time-point response
follows RECIST 1.1 Table 1 from the measurements.
"""

from __future__ import annotations

import random
from datetime import date

from oncotrial.core.endpoints.records import PatientRecord
from oncotrial.core.response.criteria import Criterion
from oncotrial.exports.clinical_records import Lesion, LesionMeasurement, LesionRole, TumourResponse
from oncotrial.exports.sdtm.demo_parts import _Parts
from oncotrial.exports.sdtm.demo_visits import SCREENING, scan_visit


def _tumours(r: PatientRecord, cutoff: date, rng: random.Random, p: _Parts) -> None:
    """Lesions whose sums give the recorded responses (RECIST 1.1 §4.3; mRECIST viable sum)."""
    pid, base_on = r.patient_id, r.baseline_scan_on
    assert base_on is not None
    method = "CT SCAN" if rng.random() < 0.6 else "MRI"
    targets = {"T01": round(rng.uniform(30, 80)), "T02": round(rng.uniform(15, 40))}
    locations = {"T01": "LIVER", "T02": rng.choice(("LIVER", "LUNG")), "NT01": "ABDOMINAL LYMPH NODE"}
    for lid, loc in locations.items():
        role = LesionRole.TARGET if lid in targets else LesionRole.NON_TARGET
        p.lesions.append(
            Lesion(pid, lid, role, loc, loc.endswith("LYMPH NODE"), method, base_on, SCREENING[0])
        )
    for lid, ld in targets.items():
        p.measurements.append(
            LesionMeasurement(
                pid,
                lid,
                base_on,
                SCREENING[0],
                method,
                longest_diameter_mm=float(ld),
                viable_diameter_mm=float(ld),
            )
        )
    p.measurements.append(LesionMeasurement(pid, "NT01", base_on, SCREENING[0], method, state="PRESENT"))
    new_count = 0
    for j, scan in enumerate(sorted(r.scans, key=lambda s: s.scan_date), start=1):
        if scan.scan_date > cutoff:
            break
        visit = scan_visit(j)[0]
        responses = {c: scan.response(c).value for c in (Criterion.RECIST_1_1, Criterion.MRECIST)}
        pct = consistent_change(scan.target_change_pct or 0.0, responses[Criterion.RECIST_1_1])
        viable_pct = consistent_change(pct, responses[Criterion.MRECIST])
        for lid, ld in targets.items():
            p.measurements.append(
                LesionMeasurement(
                    pid,
                    lid,
                    scan.scan_date,
                    visit,
                    method,
                    longest_diameter_mm=round(ld * (1 + pct / 100), 1),
                    viable_diameter_mm=round(ld * (1 + viable_pct / 100), 1),
                )
            )
        pd = responses[Criterion.RECIST_1_1] == "PD"
        cr = responses[Criterion.RECIST_1_1] == "CR"
        p.measurements.append(
            LesionMeasurement(pid, "NT01", scan.scan_date, visit, method, state="ABSENT" if cr else "PRESENT")
        )
        if pd:
            new_count += 1
            lid = f"NEW{new_count:02d}"
            p.lesions.append(Lesion(pid, lid, LesionRole.NEW, "LIVER", False, method, scan.scan_date, visit))
            p.measurements.append(
                LesionMeasurement(pid, lid, scan.scan_date, visit, method, state="UNEQUIVOCAL PROGRESSION")
            )
        for criterion, overall in responses.items():
            target = overall
            non_target = "CR" if overall == "CR" else "NON-CR/NON-PD"
            p.responses.append(
                TumourResponse(pid, scan.scan_date, visit, criterion, target, non_target, pd, overall)
            )


def consistent_change(pct: float, response: str) -> float:
    """The % change of the target sum from baseline, moved into the band of ``response``
    (RECIST 1.1 §4.3.1: CR = all targets gone, PR ≤ −30 %, SD between). The generator's early
    scans report SD with a change already beyond −30 %; the measurements follow the response.
    PD changes are ≥ +25 % from baseline (≥ +20 % and ≥ 5 mm over the nadir) as generated."""
    if response == "CR":
        return -100.0
    if response == "PR":
        return min(max(pct, -95.0), -30.0)
    if response == "SD":
        return min(max(pct, -29.0), 15.0)
    return pct
