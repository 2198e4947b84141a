"""The application's database as :class:`~oncotrial.exports.clinical_records.ClinicalRecords`.

The standards exports (SDTM, ADaM, Define-XML, ODM, FHIR) read only ``ClinicalRecords``; this
module fills it from the stored eCRF records, the screening documents, consents,
allocations, treatment courses and visits, with the conventions of
:mod:`oncotrial.services.trial_dataset` (same arm, randomization, first/last dose, death and
last-known-alive dates, so that SDTM, ADaM and the report agree). Every randomized subject is
exported; records dated after the data cut-off are left out.

* visits: screening (``SCR``, the screening date) and every cycle-day (``C{c}D{d}``, VISITNUM
  10·c + d) and imaging visit (``IMG{k}``, VISITNUM 1000 + k) that took place; a record at an
  unscheduled, end-of-treatment or follow-up visit (or without a visit) keeps a visit code
  (``UNS`` + date for none) but has no planned VISITNUM;
* medical history: the screening document (primary diagnosis when histology confirmed ICC;
  chronic hepatitis B when HBsAg+; ascites, hepatic encephalopathy when present);
* disposition (CDISC DSDECOD): informed consent, randomization, end of treatment with its
  reason (NCOMPLT), end of study at death, withdrawal of consent or loss to follow-up;
* race is not collected: ``ASIAN`` for sites in China [ASSUMP], ethnicity ``NOT REPORTED``;
  country from the protocol's site list (the first site's country for a site the protocol does
  not list) [ASSUMP];
* best overall response per criterion from core ``best_response`` with the protocol's
  settings, as ADaM ADRS derives it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any, Final

from oncotrial.core.endpoints.protocol_settings import response_settings
from oncotrial.core.endpoints.response_endpoints import best_response
from oncotrial.core.endpoints.trial_data import trial_data_from_mapping
from oncotrial.core.protocol.model import Protocol
from oncotrial.core.response.criteria import Criterion
from oncotrial.exports.clinical_records import (
    BestResponse,
    ClinicalRecords,
    ConMed,
    DispositionCategory,
    DispositionEvent,
    MedicalHistory,
    Site,
    Study,
    Subject,
    Visit,
)
from oncotrial.persistence.models import Allocation, Consent, FormRecord, LabReferenceRange, Screening
from oncotrial.persistence.models import Site as SiteRow
from oncotrial.persistence.models import TreatmentCourse as CourseRow
from oncotrial.persistence.models import Visit as VisitRow
from oncotrial.services.clinical_records_forms import (
    SCREENING_VISIT,
    Ranges,
    Tumours,
    adverse_event_of,
    con_med_of,
    date_of,
    exposures_of,
    labs_of,
    screening_labs,
    tumours_of,
    vitals_of,
)
from oncotrial.services.protocol import current_protocol
from oncotrial.services.simulated import SIMULATED_LABEL, study_state
from oncotrial.services.trial_dataset import _latest_screenings, _patient, data_cutoff, trial_document

COUNTRIES: Final = {"China": "CHN"}
"""Protocol site country → ISO 3166-1 alpha-3 (SDTM COUNTRY)."""
ASSUMED_RACE: Final = {"CHN": "ASIAN"}
"""Race when the screening document has none (the eCRF does not collect it) [ASSUMP: every site
of NCT07304388 is in China]; ADaM ADSL requires RACE."""
EOT_DECODES: Final = {
    "progression": ("Disease progression", "PROGRESSIVE DISEASE"),
    "toxicity": ("Adverse event", "ADVERSE EVENT"),
    "withdrawal_of_consent": ("Withdrew consent", "WITHDRAWAL BY SUBJECT"),
    "death": ("Death", "DEATH"),
    "investigator_decision": ("Physician decision", "PHYSICIAN DECISION"),
    "lost_to_follow_up": ("Lost to follow-up", "LOST TO FOLLOW-UP"),
    "completed": ("Completed treatment", "COMPLETED"),
    "other": ("Other", "OTHER"),
}
"""End-of-treatment reason (eCRF) → (DSTERM, DSDECOD in CDISC NCOMPLT C66727)."""


class _Parts:
    def __init__(self) -> None:
        self.subjects: list[Subject] = []
        self.visits: list[Visit] = []
        self.exposures: list[Any] = []
        self.aes: list[Any] = []
        self.labs: list[Any] = []
        self.vitals: list[Any] = []
        self.cms: list[ConMed] = []
        self.mhs: list[MedicalHistory] = []
        self.tumours = Tumours()
        self.best: list[BestResponse] = []


def clinical_records_from_database(*, cutoff: date | None = None) -> ClinicalRecords:
    """Every randomized subject's collected data up to ``cutoff`` (default: the study's data
    cut-off, else today), labelled SIMULATED when the database is."""
    protocol = current_protocol()
    cutoff = cutoff or data_cutoff()
    state = study_state()
    simulated = bool(state and state.simulated)
    allocations = list(Allocation.objects.select_related("subject", "subject__site", "slot")
                       .order_by("subject__subject_id"))
    courses = {c.subject_id: c for c in CourseRow.objects.all()}
    screenings = _latest_screenings()
    consents: dict[int, date] = {}
    for subject_id, day in Consent.objects.order_by("consent_date").values_list("subject_id", "consent_date"):
        consents.setdefault(subject_id, day)
    visits = _visits_by_subject()
    site_ranges = _site_ranges()
    forms_by_subject = _records_by_subject()
    parts = _Parts()
    patients: list[dict[str, Any]] = []
    for allocation in allocations:
        subject = allocation.subject
        course = courses.get(subject.pk)
        randomized = course.randomization_date if course else allocation.allocated_at.date()
        screening = screenings.get(subject.pk)
        forms = {code: [r for r in rows if r.record_date is None or r.record_date <= cutoff]
                 for code, rows in forms_by_subject.get(subject.pk, {}).items()}
        patient, _ = _patient(subject, allocation.slot.arm, randomized, forms, screening, cutoff)
        patients.append(patient)
        ranges = site_ranges.get(subject.site_id) or _document_ranges(screening)
        _subject(protocol, subject.subject_id, subject.site.code, allocation.slot.arm, patient, forms,
                 screening, consents.get(subject.pk), visits.get(subject.pk, {}), ranges, cutoff, parts)
    _best_responses(protocol, patients, cutoff, simulated, parts)
    sites = tuple(Site(s.code, s.name, _country(protocol, s.code)) for s in SiteRow.objects.order_by("code"))
    return ClinicalRecords(
        Study(protocol.identification.nct_id, protocol, cutoff, simulated,
              SIMULATED_LABEL if simulated else None),
        sites, tuple(parts.subjects), tuple(parts.visits), tuple(parts.exposures), tuple(parts.aes),
        tuple(parts.labs), tuple(parts.vitals), tuple(parts.cms), tuple(parts.mhs),
        tuple(parts.tumours.lesions), tuple(parts.tumours.measurements), tuple(parts.tumours.responses),
        tuple(parts.best),
    )


def _records_by_subject() -> dict[int, dict[str, list[FormRecord]]]:
    """Every form record by subject and form, in date order (as ``trial_dataset`` reads them)."""
    grouped: dict[int, dict[str, list[FormRecord]]] = defaultdict(lambda: defaultdict(list))
    fields = ("id", "subject_id", "visit_id", "form_code", "data", "derived", "record_date")
    for row in FormRecord.objects.order_by("record_date", "id").only(*fields).iterator(2000):
        grouped[row.subject_id][row.form_code].append(row)
    return grouped


def _visits_by_subject() -> dict[int, dict[int, VisitRow]]:
    out: dict[int, dict[int, VisitRow]] = defaultdict(dict)
    for v in VisitRow.objects.exclude(actual_date=None).iterator(2000):
        out[v.subject_id][v.pk] = v
    return out


def _site_ranges() -> dict[int, Ranges]:
    rows: dict[int, list[tuple[str, float | None, float | None, str]]] = defaultdict(list)
    for r in LabReferenceRange.objects.all():
        rows[r.site_id].append((r.test, r.lln, r.uln, r.unit))
    return {site: Ranges.of(found) for site, found in rows.items()}


def _document_ranges(screening: Screening | None) -> Ranges:
    ranges = ((screening.data if screening else {}).get("reference_ranges") or {}).get("ranges") or []
    return Ranges.of([(str(r.get("test")), r.get("lln"), r.get("uln"), str(r.get("unit"))) for r in ranges])


def _country(protocol: Protocol, site_code: str) -> str:
    sites = protocol.identification.sites
    found = next((s for s in sites if s.code == site_code), sites[0] if sites else None)
    country = found.country if found is not None else None
    return COUNTRIES.get(country or "", (country or "CHN")[:3].upper())


def visit_of(v: VisitRow) -> tuple[int, str] | None:
    """VISITNUM and VISIT of a planned cycle-day or imaging visit (as the SDTM trial design)."""
    if v.kind == "cycle" and v.cycle is not None and v.day is not None:
        return 10 * v.cycle + v.day, f"CYCLE {v.cycle} DAY {v.day}"
    if v.kind == "assessment" and v.code.startswith("IMG") and v.code[3:].isdigit():
        return 1000 + int(v.code[3:]), f"TUMOR ASSESSMENT {int(v.code[3:])}"
    return None


def _code(r: FormRecord, visits: dict[int, VisitRow]) -> str:
    visit = visits.get(r.visit_id) if r.visit_id else None
    if visit is not None:
        return str(visit.code)
    return f"UNS{r.record_date.isoformat() if r.record_date else r.pk}"


def _subject(
    protocol: Protocol, pid: str, site: str, arm_code: str, patient: dict[str, Any],
    forms: dict[str, list[FormRecord]], screening: Screening | None, consented: date | None,
    visits: dict[int, VisitRow], ranges: Ranges, cutoff: date, p: _Parts,
) -> None:
    document: dict[str, Any] = screening.data if screening is not None else {}
    randomized = date.fromisoformat(patient["randomized_on"])
    screened_on = screening.screened_on if screening is not None else randomized
    consent = consented or date_of(document.get("consent_date")) or screened_on
    p.visits.append(Visit(pid, SCREENING_VISIT[0], SCREENING_VISIT[1], SCREENING_VISIT[2], screened_on))
    for v in sorted(visits.values(), key=lambda v: (v.actual_date, v.code)):
        planned = visit_of(v)
        if planned is not None and v.actual_date is not None and v.actual_date <= cutoff:
            p.visits.append(Visit(pid, v.code, planned[0], planned[1], v.actual_date))
    p.labs += screening_labs(pid, document, screened_on, ranges)
    for r in forms.get("labs", []):
        p.labs += labs_of(pid, r, _code(r, visits), ranges)
    first_vitals = True
    for r in forms.get("vitals", []):
        on = date_of(r.data.get("assessment_date")) or r.record_date
        if on is not None:
            p.vitals += vitals_of(pid, r.data, on, _code(r, visits), baseline=first_vitals)
            first_vitals = False
    eot = next(iter(forms.get("end_of_treatment", [])), None)
    arm = protocol.arm(arm_code)
    p.exposures += exposures_of(pid, arm, [(r, _code(r, visits)) for r in forms.get("exposure", [])],
                                date_of(eot.data.get("last_dose_date")) if eot else None)
    p.aes += [a for r in forms.get("adverse_event", []) if (a := adverse_event_of(pid, r, cutoff))]
    p.cms += [con_med_of(pid, r) for r in forms.get("conmed", [])]
    p.cms += _subsequent_therapies(pid, forms.get("follow_up", []))
    p.mhs += _medical_history(pid, document)
    tumours = tumours_of(pid, [(r, _code(r, visits)) for r in forms.get("tumour_assessment", [])])
    p.tumours.lesions += tumours.lesions
    p.tumours.measurements += tumours.measurements
    p.tumours.responses += tumours.responses
    p.subjects.append(_subject_row(pid, site, arm_code, patient, document, consent, randomized,
                                   eot, forms, _country(protocol, site)))


def _subject_row(
    pid: str, site: str, arm: str, patient: dict[str, Any], document: dict[str, Any], consent: date,
    randomized: date, eot: FormRecord | None, forms: dict[str, list[FormRecord]], country: str,
) -> Subject:
    death = date_of(patient.get("death_on"))
    birth = date_of(document.get("birth_date"))
    age = 0
    if birth is not None:
        age = consent.year - birth.year - ((consent.month, consent.day) < (birth.month, birth.day))
    events, end_of_study = _disposition(consent, randomized, eot, forms, death)
    first = date_of(patient.get("first_dose_on"))
    return Subject(
        pid, site, str(document.get("sex") or "U"), age,
        str(document.get("race") or ASSUMED_RACE.get(country, "")), "NOT REPORTED", country, arm,
        arm if first is not None else None, consent, randomized, first, date_of(patient.get("last_dose_on")),
        end_of_study, death, date.fromisoformat(patient["last_known_alive_on"]), tuple(events), birth,
    )


def _disposition(
    consent: date, randomized: date, eot: FormRecord | None, forms: dict[str, list[FormRecord]],
    death: date | None,
) -> tuple[list[DispositionEvent], date | None]:
    milestone, disposition = DispositionCategory.PROTOCOL_MILESTONE, DispositionCategory.DISPOSITION_EVENT
    events = [
        DispositionEvent("Informed consent obtained", "INFORMED CONSENT OBTAINED", milestone, consent),
        DispositionEvent("Randomized", "RANDOMIZED", milestone, randomized),
    ]
    reason = str(eot.data.get("reason")) if eot is not None else None
    eot_on = date_of(eot.data.get("eot_date")) if eot is not None else None
    if reason is not None and eot_on is not None:
        term, decoded = EOT_DECODES.get(reason, EOT_DECODES["other"])
        detail = str(eot.data.get("reason_detail") or "") if eot is not None else ""
        events.append(
            DispositionEvent(detail[:200] or term, decoded, disposition, eot_on, "END OF TREATMENT")
        )
    lost = next((date_of(f.data.get("contact_date")) for f in forms.get("follow_up", [])
                 if f.data.get("survival_status") == "lost_to_follow_up"), None)
    end: tuple[str, str, date] | None = None
    if death is not None:
        end = ("Death", "DEATH", death)
    elif reason == "withdrawal_of_consent" and eot_on is not None:
        end = ("Withdrew consent", "WITHDRAWAL BY SUBJECT", eot_on)
    elif lost is not None:
        end = ("Lost to follow-up", "LOST TO FOLLOW-UP", lost)
    if end is None:
        return events, None
    events.append(DispositionEvent(end[0], end[1], disposition, end[2], "END OF STUDY"))
    return events, end[2]


def _medical_history(pid: str, document: dict[str, Any]) -> list[MedicalHistory]:
    facts = document.get("facts") or {}
    attributes = document.get("attributes") or {}
    out = []
    if facts.get("histology_confirmed_icc"):
        out.append(MedicalHistory(pid, "Intrahepatic cholangiocarcinoma", "PRIMARY DIAGNOSIS", None, True))
    if attributes.get("hbv") == "HBsAg+":
        out.append(MedicalHistory(pid, "Chronic hepatitis B", "GENERAL MEDICAL HISTORY", None, True))
    if document.get("ascites") not in (None, "none"):
        out.append(MedicalHistory(pid, "Ascites", "GENERAL MEDICAL HISTORY", None, True))
    if document.get("encephalopathy") not in (None, "none"):
        out.append(MedicalHistory(pid, "Hepatic encephalopathy", "GENERAL MEDICAL HISTORY", None, True))
    return out


def _subsequent_therapies(pid: str, follow: list[FormRecord]) -> list[ConMed]:
    out = []
    for f in follow:
        name = f.data.get("subsequent_therapy_name")
        if f.data.get("subsequent_therapy") and name:
            start = date_of(f.data.get("subsequent_therapy_start"))
            out.append(ConMed(pid, str(name).upper(), "SUBSEQUENT ANTICANCER THERAPY", "Intrahepatic "
                              "cholangiocarcinoma", None, None, None, None, start, None))
    return out


def _best_responses(
    protocol: Protocol, patients: list[dict[str, Any]], cutoff: date, simulated: bool, p: _Parts
) -> None:
    data = trial_data_from_mapping(trial_document(patients, cutoff=cutoff, simulated=simulated))
    settings = response_settings(protocol)
    for record in data.patients:
        for criterion in (Criterion.RECIST_1_1, Criterion.MRECIST):
            bor = best_response(record, criterion=criterion, cutoff=data.cutoff, settings=settings)
            p.best.append(BestResponse(record.patient_id, criterion, bor.response.value, bor.scan_date))
