"""The SIMULATED demo trial as :class:`~oncotrial.exports.clinical_records.ClinicalRecords`.

Outcomes (arm, randomization, scans with RECIST 1.1 / mRECIST responses and target
change, death, adverse events) come unchanged from
:func:`oncotrial.simulation.trial_outcomes.simulated_trial`, the generator behind
``oncotrial analyze --simulated-demo`` and ``oncotrial export adam --simulated-demo``.
What that generator does not produce is added here, deterministically from the seed
(``derive_seed(seed, "clinical_records", subject)``), all of it [ASSUMP] and SIMULATED:

* demographics (age 35-78, 70 % male, Asian, China: the single site is in Guangzhou);
* one 21-day cycle per 21 days between first and last dose; per cycle the protocol
  regimen of the subject's arm (day 1 oxaliplatin and toripalimab, days 1 and 8
  gemcitabine, lenvatinib daily by weight band) with an occasional 20 % reduction;
* labs (neutrophils, platelets, haemoglobin, ALT, bilirubin, albumin) at screening and
  on day 1 of each cycle, graded with :mod:`oncotrial.core.grading.ctcae_v5`; vitals;
* two non-nodal target lesions and one non-target lesion per subject whose sum follows
  the generator's ``target_change_pct``, moved into the band of the recorded response
  where the generator's early scans disagree (:func:`consistent_change`), viable
  diameters in the band of the mRECIST response, and a new lesion at each progression,
  so every time-point response follows RECIST 1.1 Table 1 from the measurements;
* adverse events after the cut-off or after death are left out (the generator draws
  onsets up to 120 days after the first dose regardless of either).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from oncotrial.core.calculators.bsa import body_surface_area
from oncotrial.core.endpoints.protocol_settings import response_settings
from oncotrial.core.endpoints.records import PatientRecord
from oncotrial.core.endpoints.response_endpoints import best_response
from oncotrial.core.endpoints.trial_data import trial_data_from_mapping
from oncotrial.core.grading import ctcae_v5
from oncotrial.core.grading.ctcae_v5_tables import SYSTEM_ORGAN_CLASS, Term
from oncotrial.core.protocol.model import Arm, DoseBasis, Protocol, ScheduleType
from oncotrial.core.randomization import derive_seed
from oncotrial.core.response.criteria import Criterion, Response
from oncotrial.core.units import Measurand, measure
from oncotrial.exports.clinical_records import (
    AdverseEvent,
    BestResponse,
    Causality,
    ClinicalRecords,
    ConMed,
    DispositionCategory,
    DispositionEvent,
    Exposure,
    LabResult,
    Lesion,
    LesionMeasurement,
    LesionRole,
    MedicalHistory,
    Site,
    Study,
    Subject,
    TumourResponse,
    Visit,
    VitalSign,
)
from oncotrial.simulation.trial_outcomes import LABEL, simulated_trial

CYCLE_DAYS = 21
SCREENING = ("SCR", 1, "SCREENING")
COUNTRY = {"China": "CHN"}
ROUTES = {"iv": "INTRAVENOUS", "oral": "ORAL", "hepatic_arterial_infusion": "INTRA-ARTERIAL"}

#: MedDRA SOC of the simulated terms the core grading tables do not carry (CTCAE v5.0 SOC of
#: the term; HAIC complications [ASSUMP]: the SOC of the closest CTCAE v5.0 term).
EXTRA_SOC: dict[str, str] = {
    "Fatigue": "General disorders and administration site conditions",
    "Peripheral sensory neuropathy": "Nervous system disorders",
    "Abdominal pain": "Gastrointestinal disorders",
    "Hypothyroidism": "Endocrine disorders",
    "Puncture site hematoma": "Injury, poisoning and procedural complications",
    "Hepatic artery occlusion": "Vascular disorders",
    "Gastroduodenal ulcer": "Gastrointestinal disorders",
    "Catheter dislocation": "Injury, poisoning and procedural complications",
    "Alanine aminotransferase increased": "Investigations",
}
#: The drugs an AE term is attributed to when the generator says "related" [ASSUMP].
CAUSES: dict[str, tuple[str, ...]] = {
    "Neutrophil count decreased": ("gemcitabine", "oxaliplatin"),
    "Platelet count decreased": ("gemcitabine", "oxaliplatin"),
    "Peripheral sensory neuropathy": ("oxaliplatin",),
    "Hypertension": ("lenvatinib",),
    "Proteinuria": ("lenvatinib",),
    "Hypothyroidism": ("toripalimab", "lenvatinib"),
}

#: test code → (name, category, SI unit, collected unit, SI per collected unit, low, high (SI),
#: mean, sd (SI)). Reference ranges: typical adult ranges [ASSUMP: the site's own are not known].
LABS: dict[str, tuple[str, str, str, str, float, float, float, float, float]] = {
    "NEUT": ("Neutrophils", "HEMATOLOGY", "10^9/L", "10^9/L", 1.0, 1.8, 7.7, 4.0, 1.5),
    "PLAT": ("Platelets", "HEMATOLOGY", "10^9/L", "10^9/L", 1.0, 150.0, 400.0, 210.0, 70.0),
    "HGB": ("Hemoglobin", "HEMATOLOGY", "g/L", "g/dL", 10.0, 120.0, 160.0, 125.0, 15.0),
    "ALT": ("Alanine Aminotransferase", "CHEMISTRY", "U/L", "U/L", 1.0, 7.0, 40.0, 35.0, 18.0),
    "BILI": ("Bilirubin", "CHEMISTRY", "umol/L", "mg/dL", 17.104, 3.4, 20.5, 15.0, 6.0),
    "ALB": ("Albumin", "CHEMISTRY", "g/L", "g/L", 1.0, 35.0, 50.0, 38.0, 4.0),
}
_FLOOR = {"NEUT": 0.3, "PLAT": 15.0, "HGB": 65.0, "ALT": 8.0, "BILI": 4.0, "ALB": 22.0}


def simulated_clinical_records(
    seed: int = 20230801, *, patients: int = 120, protocol: Protocol | None = None
) -> ClinicalRecords:
    """The SIMULATED demo trial of ``seed`` with every collected-data part filled in."""
    if protocol is None:
        from oncotrial.protocol_files import load_default_protocol

        protocol = load_default_protocol()
    raw = simulated_trial(patients=patients, seed=seed)
    data = trial_data_from_mapping(raw)
    site = protocol.identification.sites[0]
    sites = tuple(
        Site(s.code, s.name, COUNTRY.get(s.country or "", "CHN")) for s in protocol.identification.sites
    )
    parts = _Parts()
    settings = response_settings(protocol)
    for record in data.patients:
        rng = random.Random(derive_seed(seed, "clinical_records", record.patient_id))
        _subject(record, protocol.arm(record.arm), site.code, data.cutoff, rng, parts)
        for criterion in (Criterion.RECIST_1_1, Criterion.MRECIST):
            bor = best_response(record, criterion=criterion, cutoff=data.cutoff, settings=settings)
            parts.best.append(BestResponse(record.patient_id, criterion, bor.response.value, bor.scan_date))
    study = Study(data.trial, protocol, data.cutoff, simulated=True, label=LABEL)
    return ClinicalRecords(
        study,
        sites,
        tuple(parts.subjects),
        tuple(parts.visits),
        tuple(parts.exposures),
        tuple(parts.aes),
        tuple(parts.labs),
        tuple(parts.vitals),
        tuple(parts.cms),
        tuple(parts.mhs),
        tuple(parts.lesions),
        tuple(parts.measurements),
        tuple(parts.responses),
        tuple(parts.best),
    )


class _Parts:
    def __init__(self) -> None:
        self.subjects: list[Subject] = []
        self.visits: list[Visit] = []
        self.exposures: list[Exposure] = []
        self.aes: list[AdverseEvent] = []
        self.labs: list[LabResult] = []
        self.vitals: list[VitalSign] = []
        self.cms: list[ConMed] = []
        self.mhs: list[MedicalHistory] = []
        self.lesions: list[Lesion] = []
        self.measurements: list[LesionMeasurement] = []
        self.responses: list[TumourResponse] = []
        self.best: list[BestResponse] = []


def cycle_visit(cycle: int, day: int) -> tuple[str, int, str]:
    """Code, number and name of the planned visit on ``day`` of ``cycle`` (number 10·cycle + day)."""
    return f"C{cycle}D{day}", 10 * cycle + day, f"CYCLE {cycle} DAY {day}"


def scan_visit(index: int) -> tuple[str, int, str]:
    """Code, number and name of the ``index``-th on-study tumour assessment (number 1000 + index)."""
    return f"TA{index}", 1000 + index, f"TUMOR ASSESSMENT {index}"


def _subject(r: PatientRecord, arm: Arm, site: str, cutoff: date, rng: random.Random, p: _Parts) -> None:
    pid = r.patient_id
    assert r.first_dose_on is not None and r.last_dose_on is not None and r.baseline_scan_on is not None
    screening_on = r.baseline_scan_on
    consent = screening_on - timedelta(days=rng.randint(1, 7))
    died = r.death_on if r.death_on is not None and r.death_on <= cutoff else None
    sex = "M" if rng.random() < 0.7 else "F"
    weight = round(rng.gauss(66.0 if sex == "M" else 56.0, 9.0), 1)
    height = round(rng.gauss(169.0 if sex == "M" else 158.0, 6.0), 1)
    bsa = body_surface_area(measure(Measurand.HEIGHT, height, "cm"), measure(Measurand.WEIGHT, weight, "kg"))
    # visits
    p.visits.append(Visit(pid, SCREENING[0], SCREENING[1], SCREENING[2], screening_on))
    cycles = max(1, (r.last_dose_on - r.first_dose_on).days // CYCLE_DAYS + 1)
    for k in range(1, cycles + 1):
        d1 = r.first_dose_on + timedelta(days=CYCLE_DAYS * (k - 1))
        for day in (1, 8):
            on = d1 + timedelta(days=day - 1)
            if on <= r.last_dose_on or day == 1:
                code, number, name = cycle_visit(k, day)
                p.visits.append(Visit(pid, code, number, name, on))
        _cycle_exposures(pid, arm, k, d1, r.last_dose_on, bsa, weight, rng, p)
        _labs(pid, cycle_visit(k, 1)[0], d1, False, rng, p)
        _vitals(pid, cycle_visit(k, 1)[0], d1, False, weight, rng, p)
    _labs(pid, SCREENING[0], screening_on, True, rng, p)
    _vitals(pid, SCREENING[0], screening_on, True, weight, rng, p, height=height)
    for j, scan in enumerate(sorted(r.scans, key=lambda s: s.scan_date), start=1):
        if scan.scan_date <= cutoff:
            code, number, name = scan_visit(j)
            p.visits.append(Visit(pid, code, number, name, scan.scan_date))
    _tumours(r, cutoff, rng, p)
    _adverse_events(r, arm, cutoff, died, rng, p)
    # history and con-meds
    p.mhs.append(
        MedicalHistory(
            pid,
            "Intrahepatic cholangiocarcinoma",
            "PRIMARY DIAGNOSIS",
            screening_on - timedelta(days=rng.randint(10, 60)),
            True,
        )
    )
    if r.attributes.get("hbv") == "HBsAg+":
        p.mhs.append(
            MedicalHistory(
                pid,
                "Chronic hepatitis B",
                "GENERAL MEDICAL HISTORY",
                consent - timedelta(days=rng.randint(365, 7300)),
                True,
            )
        )
        p.cms.append(
            ConMed(
                pid,
                "ENTECAVIR",
                "CONCOMITANT MEDICATION",
                "Chronic hepatitis B",
                0.5,
                "mg",
                "ORAL",
                "QD",
                consent,
                None,
            )
        )
    p.cms.append(
        ConMed(
            pid,
            "ONDANSETRON",
            "CONCOMITANT MEDICATION",
            "Prophylaxis of nausea",
            8.0,
            "mg",
            "INTRAVENOUS",
            "ONCE",
            r.first_dose_on,
            r.first_dose_on,
        )
    )
    # subject and disposition
    events = [
        DispositionEvent(
            "Informed consent obtained",
            "INFORMED CONSENT OBTAINED",
            DispositionCategory.PROTOCOL_MILESTONE,
            consent,
        ),
        DispositionEvent("Randomized", "RANDOMIZED", DispositionCategory.PROTOCOL_MILESTONE, r.randomized_on),
    ]
    progressed = any(
        s.response(Criterion.RECIST_1_1) is Response.PD for s in r.scans if s.scan_date <= cutoff
    )
    if progressed:
        events.append(
            DispositionEvent(
                "Disease progression",
                "PROGRESSIVE DISEASE",
                DispositionCategory.DISPOSITION_EVENT,
                r.last_dose_on,
                "END OF TREATMENT",
            )
        )
    elif died:
        events.append(
            DispositionEvent(
                "Death", "DEATH", DispositionCategory.DISPOSITION_EVENT, died, "END OF TREATMENT"
            )
        )
    # The study completed at the cut-off (protocol completion date): everyone alive completed it.
    end_of_study = died or cutoff
    events.append(
        DispositionEvent("Death", "DEATH", DispositionCategory.DISPOSITION_EVENT, died, "END OF STUDY")
        if died
        else DispositionEvent(
            "Completed study", "COMPLETED", DispositionCategory.DISPOSITION_EVENT, cutoff, "END OF STUDY"
        )
    )
    alive = r.last_known_alive_on or cutoff
    p.subjects.append(
        Subject(
            pid,
            site,
            sex,
            rng.randint(35, 78),
            "ASIAN",
            "NOT HISPANIC OR LATINO",
            "CHN",
            r.arm,
            r.actual_arm,
            consent,
            r.randomized_on,
            r.first_dose_on,
            r.last_dose_on,
            end_of_study,
            died,
            min(alive, cutoff),
            tuple(events),
        )
    )


def _cycle_exposures(
    pid: str, arm: Arm, k: int, d1: date, last: date, bsa: float, weight: float, rng: random.Random, p: _Parts
) -> None:
    reduced = k > 1 and rng.random() < 0.12
    for regimen in arm.regimen:
        form = "CAPSULE" if regimen.route.value == "oral" else "INJECTION"
        route = ROUTES[regimen.route.value]
        if regimen.schedule.type is ScheduleType.DAILY:
            band = next(
                b
                for b in regimen.dose.bands
                if (b.min_kg is None or weight >= b.min_kg) and (b.below_kg is None or weight < b.below_kg)
            )
            end = min(d1 + timedelta(days=CYCLE_DAYS - 1), last)
            p.exposures.append(
                Exposure(
                    pid,
                    regimen.drug,
                    band.amount_mg,
                    "mg",
                    route,
                    form,
                    d1,
                    end,
                    k,
                    cycle_visit(k, 1)[0],
                    band.amount_mg,
                    "QD",
                )
            )
            continue
        for day in regimen.schedule.days:
            on = d1 + timedelta(days=day - 1)
            if on > last:
                continue
            assert regimen.dose.amount is not None
            factor = 0.8 if reduced and regimen.drug in ("gemcitabine", "oxaliplatin") else 1.0
            dose = round(regimen.dose.amount * factor, 1)
            given = dose * bsa if regimen.dose.basis is DoseBasis.MG_PER_M2 else dose
            unit = "mg/m2" if regimen.dose.basis is DoseBasis.MG_PER_M2 else "mg"
            p.exposures.append(
                Exposure(
                    pid,
                    regimen.drug,
                    dose,
                    unit,
                    route,
                    form,
                    on,
                    on,
                    k,
                    cycle_visit(k, day)[0],
                    round(given, 1),
                    "ONCE",
                    "ADVERSE EVENT" if factor < 1 else None,
                )
            )


def _labs(pid: str, visit: str, on: date, baseline: bool, rng: random.Random, p: _Parts) -> None:
    for code, (name, cat, si_unit, unit, factor, low, high, mean, sd) in LABS.items():
        si = round(max(_FLOOR[code], rng.gauss(mean, sd)), 1)
        collected = round(si / factor, 2)
        p.labs.append(
            LabResult(
                pid,
                code,
                name,
                cat,
                collected,
                unit,
                si,
                si_unit,
                low,
                high,
                _grade(code, si, low, high),
                on,
                visit,
                baseline,
            )
        )


def _grade(code: str, si: float, low: float, high: float) -> int | None:
    """CTCAE v5.0 grade of a lab value (core grading; baseline-relative rules use a normal baseline)."""
    if code == "NEUT":
        return ctcae_v5.grade_neutrophil_count_decreased(si, lln=low).grade
    if code == "PLAT":
        return ctcae_v5.grade_platelet_count_decreased(si, lln=low).grade
    if code == "HGB":
        return ctcae_v5.grade_anemia(si, lln=low).grade
    if code == "ALT":
        return ctcae_v5.grade_alt_increased(si, uln=high, baseline=None).grade
    if code == "BILI":
        return ctcae_v5.grade_blood_bilirubin_increased(si, uln=high, baseline=None).grade
    return ctcae_v5.grade_hypoalbuminemia(si, lln=low).grade


def _vitals(
    pid: str,
    visit: str,
    on: date,
    baseline: bool,
    weight: float,
    rng: random.Random,
    p: _Parts,
    *,
    height: float | None = None,
) -> None:
    values = [
        ("WEIGHT", "Weight", round(weight + rng.gauss(0, 1.0), 1), "kg"),
        ("SYSBP", "Systolic Blood Pressure", float(round(rng.gauss(128, 12))), "mmHg"),
        ("DIABP", "Diastolic Blood Pressure", float(round(rng.gauss(80, 8))), "mmHg"),
    ]
    if height is not None:
        values.insert(0, ("HEIGHT", "Height", height, "cm"))
    for code, name, value, unit in values:
        p.vitals.append(VitalSign(pid, code, name, value, unit, on, visit, baseline))


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


def _adverse_events(
    r: PatientRecord, arm: Arm, cutoff: date, died: date | None, rng: random.Random, p: _Parts
) -> None:
    last_day = min(cutoff, died) if died else cutoff
    drugs = tuple(reg.drug for reg in arm.regimen)
    for ae in r.adverse_events:
        if ae.start_date > last_day:
            continue
        end: date | None = ae.start_date + timedelta(days=rng.randint(3, 40))
        if end is not None and end > last_day:
            end = None
        causes = CAUSES.get(ae.term, ("oxaliplatin",) if ae.haic_procedure else drugs)
        causality = tuple(Causality(d, ae.related and d in causes) for d in drugs)
        if ae.led_to_discontinuation:
            action = "DRUG WITHDRAWN"
        elif ae.grade >= 3:
            action = rng.choice(("DOSE REDUCED", "DRUG INTERRUPTED"))
        else:
            action = "DOSE NOT CHANGED"
        outcome = "RECOVERED/RESOLVED" if end is not None else "NOT RECOVERED/NOT RESOLVED"
        p.aes.append(
            AdverseEvent(
                r.patient_id,
                ae.term,
                ae.term,
                _soc(ae.term),
                ae.grade,
                ae.serious,
                ae.start_date,
                end,
                causality,
                action,
                outcome,
                ae.haic_procedure,
            )
        )
        if ae.term == "Hypertension" and ae.grade >= 2:
            p.cms.append(
                ConMed(
                    r.patient_id,
                    "AMLODIPINE",
                    "CONCOMITANT MEDICATION",
                    "Hypertension",
                    5.0,
                    "mg",
                    "ORAL",
                    "QD",
                    ae.start_date,
                    end,
                )
            )


def _soc(term: str) -> str:
    try:
        return SYSTEM_ORGAN_CLASS[Term(term)]
    except ValueError:
        return EXTRA_SOC.get(term, "General disorders and administration site conditions")
