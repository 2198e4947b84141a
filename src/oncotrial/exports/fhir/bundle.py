"""Clinical records → a FHIR R4 ``Bundle`` (type ``collection``) in mCODE style.

Resources: one ResearchStudy (the protocol: NCT identifier, phase, status, arms), per
subject a Patient (mCODE CancerPatient), a ResearchSubject (study, individual, assigned
and actual arm), the primary cancer Condition (mCODE PrimaryCancerCondition: SNOMED CT +
ICD-10 C22.1), CancerDiseaseStatus Observations (LOINC 97509-4) from the RECIST 1.1
time-point responses, ECOG (LOINC 89247-1) and CA19-9 (LOINC 24108-3) Observations when
the records hold them (test codes ``ECOG`` and ``CA199``), and one MedicationAdministration
per dose (RxNorm where known). Codes and sources: :mod:`.codes`.

Entries are addressed by ``urn:uuid:`` full URLs derived (UUID v5) from the study and the
record, so a bundle is reproducible and every reference points inside it
(:func:`oncotrial.exports.fhir.validation.unresolved_references` checks this). SIMULATED
records carry the label in ``Bundle.meta.tag`` and in every resource's ``meta.tag``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from oncotrial.core.response.criteria import Criterion
from oncotrial.exports.clinical_records import ClinicalRecords, Exposure, LabResult, Subject, TumourResponse
from oncotrial.exports.fhir.codes import (
    CA19_9_CODE,
    CONDITION_CATEGORY,
    CONDITION_CLINICAL,
    CONDITION_VERIFICATION,
    DISEASE_STATUS,
    DISEASE_STATUS_CODE,
    ECOG_ANSWERS,
    ECOG_CODE,
    EVIDENCE_TYPE,
    IMAGING_EVIDENCE,
    LOINC,
    NCT_SYSTEM,
    OBSERVATION_CATEGORY,
    PHASES,
    PRIMARY_CANCER,
    PROFILES,
    ROUTES,
    RXNORM,
    RXNORM_CODES,
    SNOMED,
    STUDY_PHASE,
    STUDY_STATUS,
    UCUM,
    coding,
    concept,
)

Resource = dict[str, Any]
_NAMESPACE = uuid.UUID("6f1c3d2e-8a4b-5c6d-9e0f-112233445566")
SIMULATED_TAG_SYSTEM = "https://oncotrial.example/fhir/tags"
ECOG_CODES = frozenset({"ECOG"})
CA19_9_CODES = frozenset({"CA199", "CA19_9", "CA19-9", "CA19_9AG"})


def full_url(study_id: str, kind: str, key: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{study_id}/{kind}/{key}')}"


class _Builder:
    def __init__(self, records: ClinicalRecords) -> None:
        self.r = records
        self.study_id = records.study.study_id
        self.tag = ([{"system": SIMULATED_TAG_SYSTEM, "code": "SIMULATED",
                      "display": records.study.label or "SIMULATED DATA"}] if records.study.simulated else [])
        self.entries: list[dict[str, Any]] = []

    def url(self, kind: str, key: str) -> str:
        return full_url(self.study_id, kind, key)

    def add(self, kind: str, key: str, resource: Resource, profile: str | None = None) -> str:
        url = self.url(kind, key)
        meta: dict[str, Any] = {}
        if profile:
            meta["profile"] = [profile]
        if self.tag:
            meta["tag"] = self.tag
        resource = {"resourceType": kind, "id": url.removeprefix("urn:uuid:"),
                    **({"meta": meta} if meta else {}), **resource}
        self.entries.append({"fullUrl": url, "resource": resource})
        return url

    def ref(self, kind: str, key: str, display: str | None = None) -> dict[str, str]:
        out = {"reference": self.url(kind, key)}
        if display:
            out["display"] = display
        return out


def _research_study(b: _Builder) -> None:
    p = b.r.study.protocol
    ident = p.identification
    b.add("ResearchStudy", "study", {
        "identifier": [{"system": NCT_SYSTEM, "value": ident.nct_id}],
        "title": ident.brief_title + (f" ({b.r.study.label})" if b.r.study.simulated and b.r.study.label
                                      else ""),
        "status": STUDY_STATUS.get(ident.overall_status or "", "active"),
        "phase": concept(coding(STUDY_PHASE, PHASES[p.design.phase], p.design.phase)),
        "condition": [PRIMARY_CANCER],
        "keyword": [{"text": k} for k in ident.keywords],
        "arm": [{"name": a.code, "type": {"text": a.type}, "description": a.label} for a in p.arms],
    })


def _patient(b: _Builder, s: Subject) -> None:
    gender = {"M": "male", "F": "female"}.get(s.sex, "unknown")
    identifier = [{"system": f"{NCT_SYSTEM}/{b.study_id}/subject", "value": s.subject_id}]
    resource: Resource = {"identifier": identifier, "gender": gender}
    if s.birth_date:
        resource["birthDate"] = s.birth_date.isoformat()
    if s.death_on:
        resource["deceasedDateTime"] = s.death_on.isoformat()
    b.add("Patient", s.subject_id, resource, PROFILES["Patient"])
    status = "off-study" if s.end_of_study_on and s.end_of_study_on <= b.r.study.cutoff else (
        "on-study-intervention" if s.first_dose_on and not s.last_dose_on else "on-study")
    subject: Resource = {
        "identifier": [{"system": f"{NCT_SYSTEM}/{b.study_id}/subject", "value": s.subject_id}],
        "status": status, "period": _period(s.randomized_on, s.end_of_study_on),
        "study": b.ref("ResearchStudy", "study"), "individual": b.ref("Patient", s.subject_id),
        "assignedArm": s.arm_planned}
    if s.arm_actual:
        subject["actualArm"] = s.arm_actual
    b.add("ResearchSubject", s.subject_id, subject)


def _period(start: date, end: date | None) -> dict[str, str]:
    out = {"start": start.isoformat()}
    if end:
        out["end"] = end.isoformat()
    return out


def _condition(b: _Builder, s: Subject) -> None:
    onset = next((m.start for m in b.r.medical_history
                  if m.subject_id == s.subject_id and m.category == "PRIMARY DIAGNOSIS" and m.start), None)
    resource: Resource = {
        "clinicalStatus": concept(coding(CONDITION_CLINICAL, "active", "Active")),
        "verificationStatus": concept(coding(CONDITION_VERIFICATION, "confirmed", "Confirmed")),
        "category": [concept(coding(CONDITION_CATEGORY, "problem-list-item", "Problem List Item"))],
        "code": PRIMARY_CANCER, "subject": b.ref("Patient", s.subject_id)}
    if onset:
        resource["onsetDateTime"] = onset.isoformat()
    b.add("Condition", s.subject_id, resource, PROFILES["Condition"])


def _category(code: str, display: str) -> list[dict[str, Any]]:
    return [concept(coding(OBSERVATION_CATEGORY, code, display))]


def _disease_status(b: _Builder, t: TumourResponse, n: int) -> None:
    if t.criterion is not Criterion.RECIST_1_1 or t.overall not in DISEASE_STATUS:
        return
    code, display = DISEASE_STATUS[t.overall]
    b.add("Observation", f"{t.subject_id}/status/{n}", {
        "extension": [{"url": EVIDENCE_TYPE, "valueCodeableConcept": IMAGING_EVIDENCE}],
        "status": "final", "category": _category("exam", "Exam"), "code": DISEASE_STATUS_CODE,
        "subject": b.ref("Patient", t.subject_id), "focus": [b.ref("Condition", t.subject_id)],
        "effectiveDateTime": t.scan_on.isoformat(),
        "valueCodeableConcept": concept(coding(SNOMED, code, display),
                                        text=f"RECIST 1.1 overall response {t.overall}"),
        "method": {"text": "RECIST 1.1 time-point response (investigator)"},
    }, PROFILES["CancerDiseaseStatus"])


def _ecog(b: _Builder, subject_id: str, on: date, score: float, n: int) -> None:
    if score not in ECOG_ANSWERS:
        return
    answer, display = ECOG_ANSWERS[int(score)]
    b.add("Observation", f"{subject_id}/ecog/{n}", {
        "status": "final", "category": _category("survey", "Survey"), "code": ECOG_CODE,
        "subject": b.ref("Patient", subject_id), "effectiveDateTime": on.isoformat(),
        "valueInteger": int(score),
        "interpretation": [concept(coding(LOINC, answer, display))],
    }, PROFILES["ECOG"])


def _ca19_9(b: _Builder, lab: LabResult, n: int) -> None:
    resource: Resource = {
        "status": "final", "category": _category("laboratory", "Laboratory"), "code": CA19_9_CODE,
        "subject": b.ref("Patient", lab.subject_id), "effectiveDateTime": lab.on.isoformat(),
        "valueQuantity": {"value": lab.si_value, "unit": lab.si_unit, "system": UCUM, "code": lab.si_unit}}
    if lab.high_si is not None:
        resource["referenceRange"] = [{"high": {"value": lab.high_si, "unit": lab.si_unit, "system": UCUM,
                                                "code": lab.si_unit}}]
    b.add("Observation", f"{lab.subject_id}/ca19-9/{n}", resource, PROFILES["CA19-9"])


def _administration(b: _Builder, e: Exposure, n: int) -> None:
    rxnorm = RXNORM_CODES.get(e.drug.lower())
    medication = concept(coding(RXNORM, rxnorm, e.drug), text=e.drug) if rxnorm else {"text": e.drug}
    dose = {"value": e.collected_dose_mg, "unit": "mg", "system": UCUM, "code": "mg"}
    dosage: dict[str, Any] = {"dose": dose,
                              "text": f"{e.dose:g} {e.unit} ({e.frequency}), cycle {e.cycle}"}
    if e.route in ROUTES:
        code, display = ROUTES[e.route]
        dosage["route"] = concept(coding(SNOMED, code, display), text=e.route)
    effective = ({"effectiveDateTime": e.start.isoformat()} if e.start == e.end
                 else {"effectivePeriod": {"start": e.start.isoformat(), "end": e.end.isoformat()}})
    b.add("MedicationAdministration", f"{e.subject_id}/dose/{n}", {
        "status": "completed", "medicationCodeableConcept": medication,
        "subject": b.ref("Patient", e.subject_id), **effective,
        "reasonReference": [b.ref("Condition", e.subject_id)], "dosage": dosage,
    }, PROFILES["MedicationAdministration"])


def _numbered(items: Iterable[Any]) -> Iterable[tuple[int, Any]]:
    return enumerate(items, start=1)


def build_bundle(records: ClinicalRecords) -> Resource:
    """The FHIR R4 collection Bundle of ``records`` (as JSON-ready dictionaries)."""
    b = _Builder(records)
    _research_study(b)
    for s in records.subjects:
        _patient(b, s)
        _condition(b, s)
    for n, t in _numbered(records.responses):
        _disease_status(b, t, n)
    for n, lab in _numbered(records.labs):
        if lab.test_code in CA19_9_CODES:
            _ca19_9(b, lab, n)
        elif lab.test_code in ECOG_CODES:
            _ecog(b, lab.subject_id, lab.on, lab.value, n)
    for n, v in _numbered(records.vitals):
        if v.test_code in ECOG_CODES:
            _ecog(b, v.subject_id, v.on, v.value, n)
    for n, e in _numbered(records.exposures):
        _administration(b, e, n)
    bundle: Resource = {"resourceType": "Bundle", "id": b.url("Bundle", "bundle").removeprefix("urn:uuid:"),
                        "type": "collection", "timestamp": f"{records.study.cutoff.isoformat()}T00:00:00Z",
                        "entry": b.entries}
    if b.tag:
        bundle["meta"] = {"tag": b.tag}
    return bundle
