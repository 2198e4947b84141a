"""The application's data as the analysis inputs: ``TrialData`` and the report's ``ReportExtras``.

One reading of the database feeds the trial report, the registry results and the
exports, so that every output shows the same numbers. Each patient field says where it
comes from (all from stored records; nothing is re-derived differently here):

* arm: the allocation; randomization date: the treatment course, else the allocation day;
* first/last dose: the exposure records' ``administered`` rows;
* scans: ``tumour_assessment`` records, whose RECIST 1.1 and mRECIST responses core derived
  at entry; the baseline is the first scan;
* death: the ``death`` record; last known alive: the latest follow-up contact or any dated
  record, not after the data cut-off; new anticancer therapy: the follow-up record
  (conversion surgery included); consent withdrawal: the end-of-treatment reason;
* adverse events: ``adverse_event`` records (related = possible/probable/definite for any
  drug; led to discontinuation = a drug withdrawn); exposure: delivered vs protocol dose
  per drug (relative dose intensity);
* baseline characteristics: the eligible screening document.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from oncotrial.analysis.report_data import (
    BaselineCharacteristics,
    DoseRecord,
    ReportExtras,
    ScreeningLog,
    TreatmentCourse,
    TumourMeasurement,
)
from oncotrial.core.calculators.child_pugh import child_pugh_score
from oncotrial.core.eligibility.patient_data import candidate_from_data
from oncotrial.core.endpoints.trial_data import TrialData, trial_data_from_mapping
from oncotrial.core.errors import DomainError
from oncotrial.core.response.criteria import Criterion
from oncotrial.core.units import Measurand
from oncotrial.persistence.models import Allocation, FormRecord, Screening, Subject
from oncotrial.persistence.models import TreatmentCourse as CourseRow
from oncotrial.services import clock
from oncotrial.services.protocol import current_protocol
from oncotrial.services.simulated import SIMULATED_LABEL, study_state

RELATED = frozenset({"possible", "probable", "definite"})
EOT_LABELS = {
    "progression": "Disease progression",
    "toxicity": "Adverse event",
    "withdrawal_of_consent": "Withdrew consent",
    "death": "Death",
    "investigator_decision": "Physician decision",
    "lost_to_follow_up": "Lost to follow-up",
    "completed": "Completed",
    "other": "Other",
}


@dataclass(frozen=True, slots=True)
class TrialDataset:
    """The database as analysis inputs, with its data cut-off."""

    data: TrialData
    extras: ReportExtras
    document: dict[str, Any]
    """The ``oncotrial.trial_data`` document (``docs/trial-data-format.md``) ``data`` was parsed from."""


def _d(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _records_by_subject(subject_ids: Iterable[int]) -> dict[int, dict[str, list[FormRecord]]]:
    grouped: dict[int, dict[str, list[FormRecord]]] = defaultdict(lambda: defaultdict(list))
    rows = FormRecord.objects.filter(subject_id__in=list(subject_ids)).order_by("record_date", "id")
    for row in rows.only("id", "subject_id", "form_code", "data", "derived", "record_date").iterator(2000):
        grouped[row.subject_id][row.form_code].append(row)
    return grouped


def data_cutoff() -> date:
    state = study_state()
    return state.data_cutoff if state is not None and state.data_cutoff is not None else clock.today()


def trial_dataset(*, cutoff: date | None = None) -> TrialDataset:
    """Read every randomized subject (and the screening log) into the analysis inputs."""
    cutoff = cutoff or data_cutoff()
    state = study_state()
    simulated = bool(state and state.simulated)
    allocations = list(Allocation.objects.select_related("subject", "slot").order_by("subject__subject_id"))
    courses = {c.subject_id: c for c in CourseRow.objects.all()}
    screenings = _latest_screenings()
    records = _records_by_subject(a.subject_id for a in allocations)
    patients, baseline, doses, measurements, course_rows = [], [], [], [], []
    for allocation in allocations:
        subject = allocation.subject
        forms = records.get(subject.pk, {})
        course = courses.get(subject.pk)
        randomized = course.randomization_date if course else allocation.allocated_at.date()
        screening = screenings.get(subject.pk)
        patient, patient_doses = _patient(subject, allocation.slot.arm, randomized, forms, screening, cutoff)
        patients.append(patient)
        doses += patient_doses
        measurements += _measurements(subject.subject_id, forms)
        baseline.append(_baseline(subject, screening, allocation, randomized))
        course_rows.append(_course(subject.subject_id, course, forms, patient))
    document = trial_document(patients, cutoff=cutoff, simulated=simulated)
    data = trial_data_from_mapping(document)
    extras = ReportExtras(
        data_cutoff=cutoff,
        screening=_screening_log(screenings, {a.subject_id for a in allocations}),
        baseline=tuple(baseline),
        doses=tuple(doses),
        measurements=tuple(measurements),
        courses=tuple(course_rows),
        simulated=simulated,
        label=SIMULATED_LABEL if simulated else "",
    )
    return TrialDataset(data, extras, document)


def trial_document(patients: list[dict[str, Any]], *, cutoff: date, simulated: bool) -> dict[str, Any]:
    """The ``oncotrial.trial_data`` document (``docs/trial-data-format.md``) of ``patients``."""
    protocol = current_protocol()
    return {
        "format": "oncotrial.trial_data",
        "trial": protocol.identification.nct_id,
        "simulated": simulated,
        "label": SIMULATED_LABEL if simulated else "",
        "cutoff": cutoff.isoformat(),
        "arms": [arm.code for arm in protocol.arms],
        "control_arm": protocol.arms[-1].code,
        "patients": patients,
    }


def _latest_screenings() -> dict[int, Screening]:
    latest: dict[int, Screening] = {}
    for row in Screening.objects.order_by("subject_id", "id").iterator(2000):
        latest[row.subject_id] = row
    return latest


def _screening_log(screenings: dict[int, Screening], randomized: set[int]) -> ScreeningLog:
    """CONSORT: every screened subject; those not randomized by their first failed criterion."""
    excluded: Counter[str] = Counter()
    for subject_id, row in screenings.items():
        if subject_id in randomized:
            continue
        failed = [v for v in row.verdicts if v.get("passes") is False]
        if failed:
            excluded[f"{failed[0]['code']}: {failed[0]['text']}"] += 1
        elif row.status == "incomplete":
            excluded["Screening incomplete"] += 1
        else:
            excluded["Eligible, not randomized"] += 1
    return ScreeningLog(assessed=len(screenings), excluded=dict(excluded))


def _administered(forms: dict[str, list[FormRecord]]) -> list[tuple[FormRecord, dict[str, Any]]]:
    return [(r, row) for r in forms.get("exposure", []) for row in r.data.get("administered", [])]


def _patient(
    subject: Subject,
    arm: str,
    randomized: date,
    forms: dict[str, list[FormRecord]],
    screening: Screening | None,
    cutoff: date,
) -> tuple[dict[str, Any], list[DoseRecord]]:
    given = [(r, row) for r, row in _administered(forms) if float(row.get("dose_mg", 0)) > 0]
    dose_days = sorted({r.record_date for r, _ in given if r.record_date is not None})
    scans = forms.get("tumour_assessment", [])
    baseline_scan = next((s for s in scans if s.derived.get("baseline")), None)
    outcomes = []
    for s in scans:
        if s.derived.get("baseline") or "recist_1_1" not in s.derived or s.record_date is None:
            continue
        recist, mrecist = s.derived["recist_1_1"], s.derived.get("mrecist", {})
        scan: dict[str, Any] = {"date": s.record_date.isoformat(), "recist": recist["response"]}
        if mrecist.get("response"):
            scan["mrecist"] = mrecist["response"]
        change = recist.get("change_from_baseline_pct")
        if change is not None:
            scan["target_change_pct"] = max(-100.0, round(float(change), 2))
        outcomes.append(scan)
    death = next(iter(forms.get("death", [])), None)
    death_on = _d(death.data.get("death_date")) if death else None
    eot = next(iter(forms.get("end_of_treatment", [])), None)
    follow = forms.get("follow_up", [])
    therapy = [_d(f.data.get("subsequent_therapy_start")) for f in follow if f.data.get("subsequent_therapy")]
    therapy_on = min((t for t in therapy if t is not None), default=None)
    dated = [r.record_date for rows in forms.values() for r in rows if r.record_date is not None]
    alive = [_d(f.data.get("last_known_alive_date")) for f in follow]
    last_alive = max([d for d in [*dated, *alive] if d is not None and d <= cutoff], default=randomized)
    if death_on is not None:
        last_alive = death_on
    patient: dict[str, Any] = {
        "patient_id": subject.subject_id,
        "arm": arm,
        "actual_arm": arm,
        "randomized_on": randomized.isoformat(),
        "first_dose_on": dose_days[0].isoformat() if dose_days else None,
        "last_dose_on": dose_days[-1].isoformat() if dose_days else None,
        "eligible": screening is not None and screening.status == "eligible",
        "major_protocol_deviation": any(
            r.data.get("severity") == "major" for r in forms.get("deviation", [])
        ),
        "baseline_scan_on": baseline_scan.record_date.isoformat()
        if baseline_scan and baseline_scan.record_date
        else None,
        "scans": outcomes,
        "death_on": death_on.isoformat() if death_on else None,
        "last_known_alive_on": max(last_alive, randomized).isoformat(),
        "new_anticancer_therapy_on": therapy_on.isoformat() if therapy_on else None,
        "withdrew_consent_on": eot.data["eot_date"]
        if eot is not None and eot.data.get("reason") == "withdrawal_of_consent"
        else None,
        "adverse_events": [_adverse_event(r) for r in forms.get("adverse_event", [])],
        "exposure": [],
        "attributes": _attributes(screening),
    }
    doses, exposure = _doses(subject.subject_id, forms)
    patient["exposure"] = exposure
    return patient, doses


def _adverse_event(r: FormRecord) -> dict[str, Any]:
    data = r.data
    related = any(data.get(k) in RELATED for k in data if k.startswith("attribution_"))
    withdrawn = any(data.get(k) == "withdrawn" for k in data if k.startswith("action_"))
    return {
        "term": data["term"],
        "grade": data["grade"],
        "start_date": data["onset_date"],
        "serious": bool(data.get("serious")),
        "related": related,
        "led_to_discontinuation": withdrawn,
        "haic_procedure": bool(data.get("haic_related")),
    }


def _doses(
    patient_id: str, forms: dict[str, list[FormRecord]]
) -> tuple[list[DoseRecord], list[dict[str, Any]]]:
    """Every due administration (given, reduced or held) against its protocol dose, per drug."""
    doses: list[DoseRecord] = []
    totals: dict[str, dict[str, Any]] = {}
    for r in forms.get("exposure", []):
        if r.record_date is None or "administered" not in r.data:
            continue
        given = {row["drug"]: float(row["dose_mg"]) for row in r.data.get("administered", [])}
        for drug, info in r.derived.get("drugs", {}).items():
            if info.get("action") in {"not_due", "discontinue"} or info.get("protocol_dose_mg") is None:
                continue
            planned = float(info["protocol_dose_mg"])
            administered = given.get(drug, 0.0)
            doses.append(
                DoseRecord(patient_id, drug, int(r.data["cycle"]), r.record_date, planned, administered)
            )
            t = totals.setdefault(
                drug,
                {
                    "drug": drug,
                    "doses_given": 0,
                    "delivered_mg": 0.0,
                    "planned_mg": 0.0,
                    "first_dose": None,
                    "last_dose": None,
                },
            )
            t["planned_mg"] += planned
            if administered > 0:
                t["doses_given"] += 1
                t["delivered_mg"] += administered
                t["first_dose"] = t["first_dose"] or r.record_date.isoformat()
                t["last_dose"] = r.record_date.isoformat()
    exposure = [
        {**t, "delivered_mg": round(t["delivered_mg"], 3), "planned_mg": round(t["planned_mg"], 3)}
        for t in totals.values()
    ]
    return doses, exposure


def _attributes(screening: Screening | None) -> dict[str, str]:
    if screening is None:
        return {}
    data = screening.data
    attributes = {k: str(v) for k, v in (data.get("attributes") or {}).items()}
    if "ecog" in data:
        attributes["ecog"] = str(data["ecog"])
    return attributes


def _lab(candidate: Any, measurand: Measurand) -> Any:
    found = [m for m in candidate.labs if m.measurand is measurand]
    return found[-1] if found else None


def _baseline(
    subject: Subject, screening: Screening | None, allocation: Allocation, randomized: date
) -> BaselineCharacteristics:
    if screening is None:
        raise DomainError("subject", subject.subject_id, "a randomized subject with a stored screening")
    candidate = candidate_from_data(screening.data)
    birth = candidate.birth_date
    age = (randomized - birth).days / 365.25 if birth else float("nan")
    bili, alb, inr = (_lab(candidate, m) for m in (Measurand.BILIRUBIN, Measurand.ALBUMIN, Measurand.INR))
    score = None
    if bili is not None and alb is not None and candidate.ascites and candidate.encephalopathy:
        score = child_pugh_score(
            bilirubin=bili,
            albumin=alb,
            inr=inr,
            ascites=candidate.ascites,
            encephalopathy=candidate.encephalopathy,
        )
    ca199 = _lab(candidate, Measurand.CA19_9)
    attributes = screening.data.get("attributes") or {}
    return BaselineCharacteristics(
        patient_id=subject.subject_id,
        age_years=round(age, 1),
        sex="Female" if candidate.sex is not None and candidate.sex.value == "F" else "Male",
        ecog=int(candidate.ecog or 0),
        hbv=str(attributes.get("hbv", "HBsAg-")),
        child_pugh_class=score.child_pugh_class.value if score else "A",
        child_pugh_score=score.total if score else 5,
        ca19_9_u_per_ml=float(ca199.value) if ca199 is not None else float("nan"),
        extrahepatic_metastasis=str(attributes.get("extrahepatic_metastasis", "no")) == "yes",
        stratum=allocation.slot.stratum_key,
        weight_kg=float(candidate.weight.value) if candidate.weight else float("nan"),
        height_cm=float(candidate.height.value) if candidate.height else float("nan"),
    )


def _measurements(patient_id: str, forms: dict[str, list[FormRecord]]) -> list[TumourMeasurement]:
    out = []
    for s in forms.get("tumour_assessment", []):
        if s.record_date is None:
            continue
        d = s.derived
        if d.get("baseline"):
            for key, criterion in (
                ("recist_1_1_sum_mm", Criterion.RECIST_1_1),
                ("mrecist_sum_mm", Criterion.MRECIST),
            ):
                if d.get(key) is not None:
                    out.append(TumourMeasurement(patient_id, s.record_date, criterion, float(d[key]), True))
            continue
        for key, criterion in (("recist_1_1", Criterion.RECIST_1_1), ("mrecist", Criterion.MRECIST)):
            point = d.get(key) or {}
            if point.get("sum_mm") is not None:
                out.append(TumourMeasurement(patient_id, s.record_date, criterion, float(point["sum_mm"])))
    return out


def _course(
    patient_id: str, course: CourseRow | None, forms: dict[str, list[FormRecord]], patient: dict[str, Any]
) -> TreatmentCourse:
    eot = next(iter(forms.get("end_of_treatment", [])), None)
    started = course.start_date if course is not None and patient["first_dose_on"] else None
    ended = _d(eot.data.get("eot_date")) if eot else None
    reason = EOT_LABELS.get(str(eot.data.get("reason")), "Other") if eot else None
    follow = forms.get("follow_up", [])
    if patient["death_on"]:
        status = "died"
    elif patient["withdrew_consent_on"]:
        status = "withdrew consent"
    elif any(f.data.get("survival_status") == "lost_to_follow_up" for f in follow) or (
        eot is not None and eot.data.get("reason") == "lost_to_follow_up"
    ):
        status = "lost to follow-up"
    elif ended is not None or started is None:
        status = "in follow-up"
    else:
        status = "on treatment"
    if started is None and reason is None:
        reason = "Never treated"
    return TreatmentCourse(patient_id, started, ended, reason, status)
