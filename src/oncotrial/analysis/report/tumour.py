"""Target-lesion % change per criterion from the tumour measurements, for waterfall and spider plots.

% change of an assessment = 100 × (sum − baseline sum) / baseline sum (RECIST 1.1 §4.3.1;
mRECIST uses the viable-tumour sums, Lencioni & Llovet 2010). Patients are returned as
records whose scans carry these changes, so that the plotting module's own selection rules
(up to progression, the cut-off or a new anticancer therapy) apply unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from oncotrial.analysis.report_data import ReportExtras
from oncotrial.core.endpoints.records import PatientRecord
from oncotrial.core.response.criteria import Criterion


def with_target_changes(
    records: Sequence[PatientRecord], extras: ReportExtras, criterion: Criterion
) -> list[PatientRecord]:
    """``records`` with each scan's ``target_change_pct`` computed from the ``criterion`` sums."""
    baseline: dict[str, float] = {}
    sums: dict[tuple[str, date], float] = {}
    for m in extras.measurements:
        if m.criterion is not criterion:
            continue
        if m.is_baseline:
            baseline[m.patient_id] = m.sum_mm
        else:
            sums[(m.patient_id, m.scan_date)] = m.sum_mm
    out = []
    for r in records:
        base = baseline.get(r.patient_id)

        def change(on: date, pid: str = r.patient_id, base: float | None = base) -> float | None:
            value = sums.get((pid, on))
            if base is None or base <= 0 or value is None:
                return None
            return 100.0 * (value - base) / base

        out.append(
            replace(r, scans=tuple(replace(s, target_change_pct=change(s.scan_date)) for s in r.scans))
        )
    return out


def with_courses(records: Sequence[PatientRecord], extras: ReportExtras) -> list[PatientRecord]:
    """``records`` with treatment start and end from the courses (None end: on treatment), for the swimmer."""
    course = {c.patient_id: c for c in extras.courses}
    return [
        replace(r, first_dose_on=course[r.patient_id].started_on, last_dose_on=course[r.patient_id].ended_on)
        if r.patient_id in course
        else r
        for r in records
    ]
