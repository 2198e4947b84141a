"""ADSL: one record per subject (ADaMIG v1.3 §3.2), from the core records and populations.

Analysis variables (arms, dates, population flags, death, strata) come from the trial
data the report analyses. With the clinical records (the contract the SDTM export reads)
ADSL also carries the demographics (SDTM DM) and the end of study (SDTM DS); matching is by
subject identifier (``Subject.subject_id`` = ``PatientRecord.patient_id``).
"""

from __future__ import annotations

from oncotrial.core.endpoints.populations import per_protocol, safety_arm, safety_population
from oncotrial.core.endpoints.records import PatientRecord
from oncotrial.core.endpoints.time_to_event import overall_survival
from oncotrial.core.endpoints.trial_data import TrialData
from oncotrial.core.errors import DomainError
from oncotrial.exports.adam.metadata import Dataset, Row, Value
from oncotrial.exports.adam.settings import AdamSettings, stratum
from oncotrial.exports.adam.spec import adsl_spec
from oncotrial.exports.clinical_records import ClinicalRecords, Subject

GERIATRIC_AGE = 65
"""ICH E7 (Studies in Support of Special Populations: Geriatrics): 65 years and over."""

NO_RECORDS_NOTE = ("AGE, SEX, RACE, ETHNIC, COUNTRY, EOSSTT, EOSDT and DCSREAS are not in ADSL: "
                   "a trial data file carries no demographics or disposition (pass the clinical records).")


def build_adsl(data: TrialData, settings: AdamSettings, records: ClinicalRecords | None = None) -> Dataset:
    safety = {r.patient_id for r in safety_population(data.patients)}
    pp = {r.patient_id for r in per_protocol(data.patients)}
    subjects = _subjects(data, records)
    rows = tuple(_row(r, settings, r.patient_id in safety, r.patient_id in pp, subjects)
                 for r in data.patients)
    notes = () if records is not None else (NO_RECORDS_NOTE,)
    spec = adsl_spec(settings.factors, records=records is not None)
    return Dataset(spec, tuple({name: row.get(name) for name in spec.names} for row in rows),
                   settings.simulated, notes)


def _subjects(data: TrialData, records: ClinicalRecords | None) -> dict[str, Subject] | None:
    if records is None:
        return None
    if records.study.study_id != data.trial:
        raise DomainError("records.study.study_id", records.study.study_id,
                          f"the trial of the trial data ({data.trial})",
                          "export the clinical records and the trial data of the same trial")
    return {s.subject_id: s for s in records.subjects}


def _row(r: PatientRecord, s: AdamSettings, dosed: bool, pp: bool,
         subjects: dict[str, Subject] | None) -> Row:
    died = r.death_on if r.death_on is not None and r.death_on <= s.cutoff else None
    actual = safety_arm(r) if dosed else None
    subject = subjects.get(r.patient_id) if subjects is not None else None
    row: dict[str, Value] = {
        "STUDYID": s.trial, "USUBJID": s.usubjid(r), "SUBJID": r.patient_id,
        "SITEID": subject.site_code if subject else r.attributes.get("site", s.single_site),
        "ARMCD": r.arm, "ARM": r.arm,
        "ACTARMCD": actual or "NOTTRT", "ACTARM": actual or "Not Treated",
        "TRT01P": r.arm, "TRT01A": actual,
        "RANDDT": r.randomized_on, "TRTSDT": r.first_dose_on, "TRTEDT": r.last_dose_on,
        "ITTFL": "Y", "SAFFL": "Y" if dosed else "N", "PPROTFL": "Y" if pp else "N",
        "DTHFL": "Y" if died else None, "DTHDT": died,
        "LSTALVDT": overall_survival(r, cutoff=s.cutoff).date,
        "STRATAR": stratum(r, s.factors),
    }
    if subject is not None:
        row.update(demographics(subject))
        row.update(end_of_study(subject))
    for i, f in enumerate(s.factors, start=1):
        row[f"STRAT{i}R"] = r.attributes.get(f.attribute)
    return row


def demographics(subject: Subject) -> dict[str, Value]:
    """AGE, AGEU, AGEGR1(N), SEX, RACE, ETHNIC, COUNTRY of one subject (SDTM DM values)."""
    older = subject.age_years >= GERIATRIC_AGE
    return {"AGE": subject.age_years, "AGEU": "YEARS", "AGEGR1": ">=65" if older else "<65",
            "AGEGR1N": 2 if older else 1, "SEX": subject.sex, "RACE": subject.race,
            "ETHNIC": subject.ethnicity, "COUNTRY": subject.country}


def end_of_study(subject: Subject) -> dict[str, Value]:
    """EOSSTT, EOSDT, DCSREAS from the END OF STUDY disposition event (SDTM DS, NCOMPLT terms)."""
    event = next((e for e in subject.disposition if e.subcategory == "END OF STUDY"), None)
    if event is None:
        return {"EOSSTT": "ONGOING", "EOSDT": None, "DCSREAS": None}
    completed = event.decoded == "COMPLETED"
    return {"EOSSTT": "COMPLETED" if completed else "DISCONTINUED", "EOSDT": event.on,
            "DCSREAS": None if completed else event.decoded}
