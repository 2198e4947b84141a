"""The eCRF records of one subject as :mod:`oncotrial.exports.clinical_records` parts.

Each function maps one form (``docs/crf.md``) and re-derives nothing: grades, responses and
doses are those core derived when the record was saved. Spellings follow CDISC SDTM
controlled terminology (CT 2015-12-18, ``shared/cdisc-core``): LBTESTCD/LBTEST, UNIT, LOC,
ROUTE, ACN, OUT, TRPROPRS. Where the form holds free text (lesion organ), the table below
maps the organs the eCRF uses; an organ not in it is exported upper-cased, unmapped, and
shows up in the SDTM codelist check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final

from oncotrial.core.grading.ctcae_v5_tables import SYSTEM_ORGAN_CLASS, Term
from oncotrial.core.protocol.model import Arm, DoseBasis, ScheduleType
from oncotrial.core.response.criteria import Criterion
from oncotrial.core.units import SPECS, Measurand, measure, to_canonical
from oncotrial.exports.clinical_records import (
    AdverseEvent,
    Causality,
    ConMed,
    Exposure,
    LabResult,
    Lesion,
    LesionMeasurement,
    LesionRole,
    TumourResponse,
    VitalSign,
)
from oncotrial.exports.sdtm.demo_records import EXTRA_SOC, ROUTES
from oncotrial.persistence.models import FormRecord
from oncotrial.services.trial_dataset import RELATED

SCREENING_VISIT: Final = ("SCR", 1, "SCREENING")

#: Measurand → (LBTESTCD, LBTEST, LBCAT, LBSPEC): CDISC CT C65047/C67154 (CA 19-9 is CA19_9AG).
LAB_TESTS: Final[dict[Measurand, tuple[str, str, str, str]]] = {
    Measurand.WBC: ("WBC", "Leukocytes", "HEMATOLOGY", "BLOOD"),
    Measurand.NEUTROPHILS: ("NEUT", "Neutrophils", "HEMATOLOGY", "BLOOD"),
    Measurand.PLATELETS: ("PLAT", "Platelets", "HEMATOLOGY", "BLOOD"),
    Measurand.HEMOGLOBIN: ("HGB", "Hemoglobin", "HEMATOLOGY", "BLOOD"),
    Measurand.ALBUMIN: ("ALB", "Albumin", "CHEMISTRY", "BLOOD"),
    Measurand.BILIRUBIN: ("BILI", "Bilirubin", "CHEMISTRY", "BLOOD"),
    Measurand.AST: ("AST", "Aspartate Aminotransferase", "CHEMISTRY", "BLOOD"),
    Measurand.ALT: ("ALT", "Alanine Aminotransferase", "CHEMISTRY", "BLOOD"),
    Measurand.ALP: ("ALP", "Alkaline Phosphatase", "CHEMISTRY", "BLOOD"),
    Measurand.GGT: ("GGT", "Gamma Glutamyl Transferase", "CHEMISTRY", "BLOOD"),
    Measurand.CREATININE: ("CREAT", "Creatinine", "CHEMISTRY", "BLOOD"),
    Measurand.PROTHROMBIN_TIME: ("PT", "Prothrombin Time", "COAGULATION", "BLOOD"),
    Measurand.INR: ("INR", "Prothrombin Intl. Normalized Ratio", "COAGULATION", "BLOOD"),
    Measurand.CA19_9: ("CA19_9AG", "Cancer Antigen 19-9", "CHEMISTRY", "BLOOD"),
    Measurand.CEA: ("CEA", "Carcinoembryonic Antigen", "CHEMISTRY", "BLOOD"),
    Measurand.URINE_PROTEIN_24H: ("PROT", "Protein", "URINALYSIS", "URINE"),
}
#: Accepted unit spelling (core.units) → CDISC UNIT (C71620); ASCII only.
CDISC_UNITS: Final[dict[str, str]] = {
    "10^9/L": "10^9/L", "x10^9/L": "10^9/L", "10*9/L": "10^9/L", "G/L": "10^9/L", "10^3/µL": "10^9/L",
    "10^3/mm³": "10^9/L", "cells/mm³": "cells/mm3", "/mm³": "cells/mm3", "cells/µL": "cells/uL",
    "/µL": "cells/uL", "µmol/L": "umol/L", "IU/L": "U/L", "s": "sec", "sec": "sec", "1": "RATIO",
    "INR": "RATIO", "µg/L": "ug/L", "g/24h": "g/(24.h)", "mg/24h": "mg/(24.h)", "°C": "C", "degC": "C",
    "bpm": "beats/min", "/min": "beats/min",
}
#: Vitals form field → (VSTESTCD, VSTEST, measurand or None). ECOG has no unit.
VITALS: Final[tuple[tuple[str, str, str, Measurand | None], ...]] = (
    ("height", "HEIGHT", "Height", Measurand.HEIGHT),
    ("weight", "WEIGHT", "Weight", Measurand.WEIGHT),
    ("systolic_bp", "SYSBP", "Systolic Blood Pressure", Measurand.SYSTOLIC_BP),
    ("diastolic_bp", "DIABP", "Diastolic Blood Pressure", Measurand.DIASTOLIC_BP),
    ("heart_rate", "HR", "Heart Rate", None),
    ("temperature", "TEMP", "Temperature", None),
)
ECOG: Final = ("ECOG", "ECOG Performance Status")
#: (organ as entered, lymph node) → CDISC LOC (C74456).
LOCATIONS: Final[dict[tuple[str, bool], str]] = {
    ("liver", False): "LIVER",
    ("lung", False): "LUNG",
    ("bone", False): "BONE",
    ("peritoneum", False): "PERITONEUM",
    ("retroperitoneum", False): "RETROPERITONEUM",
    ("retroperitoneum", True): "RETROPERITONEAL LYMPH NODE",
    ("hepatic hilum", True): "PORTA HEPATIS LYMPH NODE",
    ("hepatic hilum", False): "PORTA HEPATIS",
    ("abdominal lymph node", True): "ABDOMINAL LYMPH NODE",
}
METHODS: Final = {"ct": "CT SCAN", "mri": "MRI"}
ACTIONS: Final = {
    "withdrawn": "DRUG WITHDRAWN",
    "dose_reduced": "DOSE REDUCED",
    "interrupted": "DRUG INTERRUPTED",
    "none": "DOSE NOT CHANGED",
    "not_applicable": "NOT APPLICABLE",
}
"""eCRF action per drug → CDISC ACN (C66767), most consequential first."""
OUTCOMES: Final = {
    "recovered": "RECOVERED/RESOLVED",
    "recovering": "RECOVERING/RESOLVING",
    "not_recovered": "NOT RECOVERED/NOT RESOLVED",
    "recovered_with_sequelae": "RECOVERED/RESOLVED WITH SEQUELAE",
    "fatal": "FATAL",
    "unknown": "UNKNOWN",
}
CM_ROUTES: Final = {
    "oral": "ORAL", "iv": "INTRAVENOUS", "sc": "SUBCUTANEOUS", "im": "INTRAMUSCULAR",
    "topical": "TOPICAL", "inhaled": "RESPIRATORY (INHALATION)",
}
NON_TARGET_STATES: Final = {
    "absent": "ABSENT", "present": "PRESENT", "unequivocal_progression": "UNEQUIVOCAL PROGRESSION",
}
NEW_STATES: Final = {"unequivocal": "UNEQUIVOCAL PROGRESSION", "equivocal": "EQUIVOCAL"}
ROLES: Final = {"target": LesionRole.TARGET, "non_target": LesionRole.NON_TARGET, "new": LesionRole.NEW}
CRITERIA: Final = (("recist_1_1", Criterion.RECIST_1_1), ("mrecist", Criterion.MRECIST))
_DOSE_TEXT = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*([A-Za-z/%µ]+)\s*$")


def date_of(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def cdisc_unit(unit: str) -> str:
    """The CDISC UNIT spelling of an accepted unit (ASCII; ``µ`` → ``u``)."""
    return CDISC_UNITS.get(unit, unit.replace("µ", "u").replace("³", "3"))


def soc(term: str) -> str:
    """MedDRA SOC of a CTCAE v5.0 term (core tables, else the SDTM export's added terms)."""
    try:
        return SYSTEM_ORGAN_CLASS[Term(term)]
    except ValueError:
        return EXTRA_SOC.get(term, "General disorders and administration site conditions")


@dataclass(frozen=True, slots=True)
class Ranges:
    """A site's reference ranges in the canonical unit of each measurand."""

    by_measurand: dict[Measurand, tuple[float | None, float | None]] = field(default_factory=dict)

    @classmethod
    def of(cls, rows: list[tuple[str, float | None, float | None, str]]) -> Ranges:
        """From ``(test, lln, uln, unit)`` rows (``LabReferenceRange`` or the screening document)."""
        out: dict[Measurand, tuple[float | None, float | None]] = {}
        for test, lln, uln, unit in rows:
            try:
                m = Measurand(test)
                low = None if lln is None else to_canonical(m, float(lln), unit, field="reference_range")
                high = None if uln is None else to_canonical(m, float(uln), unit, field="reference_range")
            except (ValueError, ArithmeticError):
                continue
            out[m] = (low, high)
        return cls(out)

    def get(self, m: Measurand) -> tuple[float | None, float | None]:
        return self.by_measurand.get(m, (None, None))


def lab_result(
    pid: str, m: Measurand, value: float, unit: str, on: date, visit: str, *,
    ranges: Ranges, grade: int | None, baseline: bool,
) -> LabResult:
    """One analyte: collected value and unit, canonical (SI) value, site range, CTCAE v5.0 grade."""
    code, name, category, specimen = LAB_TESTS[m]
    si = measure(m, value, unit, field=code.lower())
    low, high = ranges.get(m)
    return LabResult(
        pid, code, name, category, float(value), cdisc_unit(si.original_unit), round(si.value, 6),
        cdisc_unit(SPECS[m].canonical_unit), low, high, grade, on, visit, baseline, specimen,
    )


def labs_of(pid: str, r: FormRecord, visit: str, ranges: Ranges) -> list[LabResult]:
    """Every analyte of a ``labs`` record with the grade core derived at entry."""
    from oncotrial.services.forms.definitions.labs import ANALYTES, FIELD_OF

    grades = r.derived.get("grades", {})
    on = date_of(r.data.get("collection_date")) or r.record_date
    out = []
    for m in ANALYTES:
        entry = r.data.get(FIELD_OF[m])
        if not isinstance(entry, dict) or on is None:
            continue
        grade = (grades.get(FIELD_OF[m]) or {}).get("grade")
        out.append(lab_result(pid, m, entry["value"], entry["unit"], on, visit, ranges=ranges,
                              grade=None if grade is None else int(grade), baseline=False))
    return out


def screening_labs(pid: str, document: dict[str, Any], on: date, ranges: Ranges) -> list[LabResult]:
    """The screening document's labs: the baseline (the ``labs`` form grades against them)."""
    out = []
    for row in document.get("labs") or []:
        try:
            m = Measurand(str(row.get("test")))
        except ValueError:
            continue
        if m not in LAB_TESTS:
            continue
        day = date_of(row.get("date")) or on
        out.append(lab_result(pid, m, row["value"], row["unit"], day, SCREENING_VISIT[0], ranges=ranges,
                              grade=None, baseline=True))
    return out


def vitals_of(pid: str, data: dict[str, Any], on: date, visit: str, *, baseline: bool) -> list[VitalSign]:
    """Body measurements in their canonical unit (kg, cm, mmHg), heart rate, temperature and ECOG."""
    out = []
    for name, code, label, m in VITALS:
        entry = data.get(name)
        if not isinstance(entry, dict):
            continue
        if m is not None:
            value, unit = measure(m, entry["value"], entry["unit"], field=name).value, SPECS[m].canonical_unit
        else:
            value, unit = float(entry["value"]), cdisc_unit(str(entry["unit"]))
        out.append(VitalSign(pid, code, label, round(value, 3), unit, on, visit, baseline))
    if data.get("ecog") is not None:
        out.append(VitalSign(pid, ECOG[0], ECOG[1], float(data["ecog"]), "", on, visit, baseline))
    return out


def exposures_of(
    pid: str, arm: Arm, rows: list[tuple[FormRecord, str]], last_dose: date | None
) -> list[Exposure]:
    """Each administered dose > 0 (``exposure`` records in date order, with their visit codes).

    ``dose``/``unit`` are the protocol's (mg/m² drugs: mg given ÷ the BSA the record used);
    ``collected_dose_mg`` is the mg given. A daily oral drug covers the days from its record
    to the day before the next ``exposure`` record (the last one: to the last dose date of
    the end-of-treatment record, else that day) [Oncotrial convention].
    """
    regimens = {r.drug: r for r in arm.regimen}
    dated = [(r, v, r.record_date) for r, v in rows if r.record_date is not None]
    out = []
    for i, (r, visit, on) in enumerate(dated):
        assert on is not None
        following = dated[i + 1][2] if i + 1 < len(dated) else None
        drugs = r.derived.get("drugs", {})
        for row in r.data.get("administered", []):
            given = float(row.get("dose_mg") or 0)
            regimen = regimens.get(row["drug"])
            if given <= 0 or regimen is None:
                continue
            info = drugs.get(row["drug"], {})
            daily = regimen.schedule.type is ScheduleType.DAILY
            end = on
            if daily:
                end = following - timedelta(days=1) if following else max(on, last_dose or on)
                end = max(end, on)
            per_m2 = regimen.dose.basis is DoseBasis.MG_PER_M2 and r.derived.get("bsa_m2")
            dose = round(given / float(r.derived["bsa_m2"]), 1) if per_m2 else given
            level = int(info.get("level") or 0)
            out.append(Exposure(
                pid, row["drug"], dose, "mg/m2" if per_m2 else "mg", ROUTES[regimen.route.value],
                "CAPSULE" if regimen.route.value == "oral" else "INJECTION", on, end,
                int(r.data.get("cycle") or 0), visit, given, "QD" if daily else "ONCE",
                f"PROTOCOL DOSE LEVEL {level}" if level < 0 else None,
            ))
    return out


def adverse_event_of(pid: str, r: FormRecord, cutoff: date) -> AdverseEvent | None:
    """An ``adverse_event`` record: CTCAE v5.0 term and grade, causality per drug, ACN and OUT."""
    data = r.data
    start = date_of(data.get("onset_date"))
    if start is None or start > cutoff:
        return None
    end = date_of(data.get("resolution_date"))
    causality = tuple(
        Causality(k.removeprefix("attribution_"), data[k] in RELATED)
        for k in sorted(data) if k.startswith("attribution_")
    )
    taken = {data[k] for k in data if k.startswith("action_")}
    action = next((ACTIONS[a] for a in ACTIONS if a in taken), "UNKNOWN")
    term = str(data["term"])
    return AdverseEvent(
        pid, term, term, soc(term), int(data["grade"]), bool(data.get("serious")), start,
        end if end is not None and end <= cutoff else None, causality, action,
        OUTCOMES.get(str(data.get("outcome")), "UNKNOWN"), bool(data.get("haic_related")),
    )


def con_med_of(pid: str, r: FormRecord) -> ConMed:
    data = r.data
    dose, unit = None, None
    match = _DOSE_TEXT.match(str(data.get("dose") or ""))
    if match:
        dose, unit = float(match.group(1).replace(",", ".")), cdisc_unit(match.group(2))
    return ConMed(
        pid, str(data["medication"]).upper(), "CONCOMITANT MEDICATION", str(data["indication"]), dose, unit,
        CM_ROUTES.get(str(data.get("route"))), None, date_of(data.get("start_date")),
        date_of(data.get("end_date")),
    )


@dataclass(slots=True)
class Tumours:
    """Lesions (first identification), measurements and time-point responses of one subject."""

    lesions: list[Lesion] = field(default_factory=list)
    measurements: list[LesionMeasurement] = field(default_factory=list)
    responses: list[TumourResponse] = field(default_factory=list)


def tumours_of(pid: str, scans: list[tuple[FormRecord, str]]) -> Tumours:
    """``tumour_assessment`` records (date order): the baseline scan (link group ``SCR``) and every
    later scan with the RECIST 1.1 and mRECIST responses core derived; a scan without derived
    responses is left out so that every TR link group has its RS records."""
    out = Tumours()
    seen: set[str] = set()
    for r, visit in scans:
        on = r.record_date
        baseline = bool(r.derived.get("baseline"))
        if on is None or (not baseline and "recist_1_1" not in r.derived):
            continue
        code = SCREENING_VISIT[0] if baseline else visit
        method = METHODS.get(str(r.data.get("modality")), "CT SCAN")
        for row in r.data.get("lesions", []):
            lid, kind, nodal = str(row["lesion_id"]), str(row["kind"]), bool(row.get("lymph_node"))
            if lid not in seen:
                seen.add(lid)
                organ = str(row.get("organ", "")).strip().lower()
                location = LOCATIONS.get((organ, nodal), organ.upper())
                out.lesions.append(Lesion(pid, lid, ROLES[kind], location, nodal, method, on, code))
            out.measurements.append(_measurement(pid, lid, kind, nodal, row, on, code, method))
        for key, criterion in CRITERIA:
            point = r.derived.get(key)
            if baseline or not point or not point.get("response"):
                continue
            out.responses.append(TumourResponse(
                pid, on, code, criterion, str(point.get("target_response") or "NE"),
                str(point.get("non_target_response") or "NA"),
                point.get("new_lesions") not in (None, "none"), str(point["response"]),
            ))
    return out


def _measurement(
    pid: str, lid: str, kind: str, nodal: bool, row: dict[str, Any], on: date, code: str, method: str
) -> LesionMeasurement:
    if kind == "target":
        longest = row.get("longest_diameter_mm")
        short = row.get("short_axis_mm")
        viable = row.get("viable_diameter_mm")
        if row.get("target_status") == "disappeared":
            longest, short = (None, 0.0) if nodal else (0.0, None)
        return LesionMeasurement(
            pid, lid, on, code, method,
            longest_diameter_mm=None if nodal or longest is None else float(longest),
            short_axis_mm=None if short is None else float(short),
            viable_diameter_mm=None if viable is None else float(viable),
        )
    states = NEW_STATES if kind == "new" else NON_TARGET_STATES
    status = row.get("new_status" if kind == "new" else "non_target_status")
    state = states.get(str(status), "PRESENT" if status is None else None)
    return LesionMeasurement(pid, lid, on, code, method, state=state)
