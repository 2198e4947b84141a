"""The trial data file read by ``oncotrial analyze`` (format: docs/trial-data-format.md).

One JSON document: trial identification, data cut-off, a ``simulated`` flag and one
entry per randomized patient. Parsed into :class:`~.records.PatientRecord` values with
errors that name the field path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from oncotrial.core.endpoints.records import (
    AdverseEventRecord,
    ExposureRecord,
    PatientRecord,
    ScanOutcome,
)
from oncotrial.core.errors import DomainError
from oncotrial.core.protocol.reader import Reader
from oncotrial.core.response.criteria import Criterion, Response

PATIENT_FIELDS = frozenset({
    "patient_id", "arm", "randomized_on", "actual_arm", "first_dose_on", "last_dose_on",
    "eligible", "major_protocol_deviation", "baseline_scan_on", "scans", "death_on",
    "last_known_alive_on", "new_anticancer_therapy_on", "withdrew_consent_on",
    "adverse_events", "exposure", "attributes",
})


@dataclass(frozen=True, slots=True)
class TrialData:
    trial: str
    cutoff: date
    simulated: bool
    arms: tuple[str, ...]
    control_arm: str
    patients: tuple[PatientRecord, ...]


def trial_data_from_mapping(data: Mapping[str, object] | object) -> TrialData:
    """Validate a trial data document and return its records."""
    r = Reader(data, "")
    r.reject_unknown({"format", "trial", "cutoff", "simulated", "label", "arms", "control_arm",
                      "patients"})
    arms = r.strings("arms")
    control = r.choice("control_arm", arms)
    patients = tuple(_patient(p, arms) for p in r.items("patients"))
    seen: set[str] = set()
    for i, p in enumerate(patients):
        if p.patient_id in seen:
            raise DomainError(f"patients[{i}].patient_id", p.patient_id, "a unique patient id")
        seen.add(p.patient_id)
    return TrialData(r.string("trial"), r.date("cutoff"), r.boolean("simulated"), arms, control,
                     patients)


def _patient(r: Reader, arms: tuple[str, ...]) -> PatientRecord:
    r.reject_unknown(PATIENT_FIELDS)
    randomized = r.date("randomized_on")
    scans = tuple(_scan(s, randomized) for s in r.items("scans", allow_empty=True)) \
        if r.has("scans") else ()
    return PatientRecord(
        patient_id=r.string("patient_id"), arm=r.choice("arm", arms), randomized_on=randomized,
        actual_arm=r.choice("actual_arm", arms) if r.has("actual_arm") else None,
        first_dose_on=r.optional_date("first_dose_on"), last_dose_on=r.optional_date("last_dose_on"),
        eligible=r.boolean("eligible", default=True),
        major_protocol_deviation=r.boolean("major_protocol_deviation", default=False),
        baseline_scan_on=r.optional_date("baseline_scan_on"), scans=scans,
        death_on=r.optional_date("death_on"),
        last_known_alive_on=r.optional_date("last_known_alive_on"),
        new_anticancer_therapy_on=r.optional_date("new_anticancer_therapy_on"),
        withdrew_consent_on=r.optional_date("withdrew_consent_on"),
        adverse_events=tuple(_ae(a) for a in r.items("adverse_events", allow_empty=True))
        if r.has("adverse_events") else (),
        exposure=tuple(_exposure(e) for e in r.items("exposure", allow_empty=True))
        if r.has("exposure") else (),
        attributes=MappingProxyType({k: v.as_string() for k, v in r.entries("attributes")})
        if r.has("attributes") else MappingProxyType({}),
    )


RESPONSES = tuple(x.value for x in Response)


def _scan(r: Reader, randomized: date) -> ScanOutcome:
    r.reject_unknown({"date", "recist", "mrecist", "target_change_pct"})
    on = r.date("date")
    if on < randomized:
        raise DomainError(f"{r.path}.date", on.isoformat(),
                          f"a date on or after randomization ({randomized})")
    change = r.number("target_change_pct", minimum=-100) if r.has("target_change_pct") else None
    return ScanOutcome(on, MappingProxyType({
        Criterion.RECIST_1_1: Response(r.choice("recist", RESPONSES)),
        Criterion.MRECIST: Response(r.choice("mrecist", RESPONSES)),
    }), change)


def _ae(r: Reader) -> AdverseEventRecord:
    r.reject_unknown({"term", "grade", "start_date", "serious", "related",
                      "led_to_discontinuation", "cycle", "haic_procedure"})
    return AdverseEventRecord(
        term=r.string("term"), grade=r.integer("grade", minimum=1, maximum=5),
        start_date=r.date("start_date"), serious=r.boolean("serious", default=False),
        related=r.boolean("related", default=False),
        led_to_discontinuation=r.boolean("led_to_discontinuation", default=False),
        cycle=r.integer("cycle", minimum=1) if r.has("cycle") else None,
        haic_procedure=r.boolean("haic_procedure", default=False))


def _exposure(r: Reader) -> ExposureRecord:
    r.reject_unknown({"drug", "doses_given", "delivered_mg", "planned_mg", "first_dose",
                      "last_dose"})
    return ExposureRecord(
        drug=r.string("drug"), doses_given=r.integer("doses_given", minimum=0),
        delivered_mg=r.number("delivered_mg", minimum=0), planned_mg=r.number("planned_mg", minimum=0),
        first_dose=r.optional_date("first_dose"), last_dose=r.optional_date("last_dose"))
