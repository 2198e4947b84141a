"""ADAE: one record per adverse event (ADaM OCCDS v1.1), CTCAE v5.0 term and grade.

``TRTA`` is the arm actually received (core.endpoints.populations.safety_arm), the arm
the safety summaries count under. ``AEDECOD`` carries the CTCAE term: no MedDRA coding
is shipped (licensing, research/standards.md §7).
"""

from __future__ import annotations

from oncotrial.core.endpoints.populations import safety_arm
from oncotrial.core.endpoints.records import AdverseEventRecord, PatientRecord
from oncotrial.core.endpoints.time_to_event import study_day
from oncotrial.core.endpoints.trial_data import TrialData
from oncotrial.exports.adam.metadata import Dataset, Row
from oncotrial.exports.adam.settings import AdamSettings
from oncotrial.exports.adam.spec import ADAE


def build_adae(data: TrialData, settings: AdamSettings) -> Dataset:
    rows: list[Row] = []
    for r in data.patients:
        events = sorted(r.adverse_events, key=lambda a: (a.start_date, a.term, -a.grade))
        rows.extend(_row(r, seq, ae, settings) for seq, ae in enumerate(events, start=1))
    return Dataset(ADAE, tuple(rows), settings.simulated)


def _relative_day(r: PatientRecord, ae: AdverseEventRecord) -> int | None:
    """ADaM relative day: no day 0 (the day before TRTSDT is -1)."""
    if r.first_dose_on is None:
        return None
    if ae.start_date >= r.first_dose_on:
        return study_day(r.first_dose_on, ae.start_date)
    return (ae.start_date - r.first_dose_on).days


def _row(r: PatientRecord, seq: int, ae: AdverseEventRecord, s: AdamSettings) -> Row:
    dosed = r.first_dose_on is not None
    emergent = r.first_dose_on is not None and ae.start_date >= r.first_dose_on
    return {
        "STUDYID": s.trial, "USUBJID": s.usubjid(r), "AESEQ": seq,
        "TRTA": safety_arm(r) if dosed else None, "SAFFL": "Y" if dosed else "N",
        "AETERM": ae.term, "AEDECOD": ae.term, "ASTDT": ae.start_date,
        "ASTDY": _relative_day(r, ae),
        "AETOXGR": str(ae.grade), "ATOXGR": str(ae.grade), "ATOXGRN": ae.grade,
        "AESER": "Y" if ae.serious else "N", "AREL": "RELATED" if ae.related else "NOT RELATED",
        "AEACN": "DRUG WITHDRAWN" if ae.led_to_discontinuation else None,
        "TRTEMFL": "Y" if emergent else None, "APROCFL": "Y" if ae.haic_procedure else None,
    }
