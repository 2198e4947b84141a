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
from oncotrial.core.protocol.model import Arm, Protocol
from oncotrial.core.randomization import derive_seed
from oncotrial.core.response.criteria import Criterion, Response
from oncotrial.core.units import Measurand, measure
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
from oncotrial.exports.sdtm.demo_adverse_events import CAUSES, EXTRA_SOC, _adverse_events
from oncotrial.exports.sdtm.demo_exposures import ROUTES, _cycle_exposures
from oncotrial.exports.sdtm.demo_labs_vitals import LABS, _labs, _vitals
from oncotrial.exports.sdtm.demo_parts import _Parts
from oncotrial.exports.sdtm.demo_tumours import _tumours, consistent_change
from oncotrial.exports.sdtm.demo_visits import CYCLE_DAYS, SCREENING, cycle_visit, scan_visit
from oncotrial.simulation.trial_outcomes import LABEL, simulated_trial

__all__ = [
    "CAUSES",
    "COUNTRY",
    "CYCLE_DAYS",
    "EXTRA_SOC",
    "LABS",
    "ROUTES",
    "SCREENING",
    "consistent_change",
    "cycle_visit",
    "scan_visit",
    "simulated_clinical_records",
]

COUNTRY = {"China": "CHN"}


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
