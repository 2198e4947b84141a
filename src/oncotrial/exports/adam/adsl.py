"""ADSL: one record per subject (ADaMIG v1.3 §3.2), from the core records and populations."""

from __future__ import annotations

from oncotrial.core.endpoints.populations import per_protocol, safety_arm, safety_population
from oncotrial.core.endpoints.records import PatientRecord
from oncotrial.core.endpoints.time_to_event import overall_survival
from oncotrial.core.endpoints.trial_data import TrialData
from oncotrial.exports.adam.metadata import Dataset, Row, Value
from oncotrial.exports.adam.settings import AdamSettings, stratum
from oncotrial.exports.adam.spec import adsl_spec


def build_adsl(data: TrialData, settings: AdamSettings) -> Dataset:
    safety = {r.patient_id for r in safety_population(data.patients)}
    pp = {r.patient_id for r in per_protocol(data.patients)}
    rows = tuple(_row(r, settings, r.patient_id in safety, r.patient_id in pp) for r in data.patients)
    return Dataset(adsl_spec(settings.factors), rows, settings.simulated)


def _row(r: PatientRecord, s: AdamSettings, dosed: bool, pp: bool) -> Row:
    died = r.death_on if r.death_on is not None and r.death_on <= s.cutoff else None
    actual = safety_arm(r) if dosed else None
    row: dict[str, Value] = {
        "STUDYID": s.trial, "USUBJID": s.usubjid(r), "SUBJID": r.patient_id,
        "SITEID": r.attributes.get("site", s.single_site), "ARMCD": r.arm, "ARM": r.arm,
        "ACTARMCD": actual or "NOTTRT", "ACTARM": actual or "Not Treated",
        "TRT01P": r.arm, "TRT01A": actual,
        "RANDDT": r.randomized_on, "TRTSDT": r.first_dose_on, "TRTEDT": r.last_dose_on,
        "ITTFL": "Y", "SAFFL": "Y" if dosed else "N", "PPROTFL": "Y" if pp else "N",
        "DTHFL": "Y" if died else None, "DTHDT": died,
        "LSTALVDT": overall_survival(r, cutoff=s.cutoff).date,
        "STRATAR": stratum(r, s.factors),
    }
    for i, f in enumerate(s.factors, start=1):
        row[f"STRAT{i}R"] = r.attributes.get(f.attribute)
    return row
