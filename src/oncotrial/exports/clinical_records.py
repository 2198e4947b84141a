"""A trial's collected data, neutral and typed: the contract between the application and exports.

The application (database) and the SIMULATED demo generator fill :class:`ClinicalRecords`;
every tabulation export (CDISC SDTM, and later ODM/FHIR) reads only this. Values are
already in the vocabulary of the standards where one exists, so that an export maps
fields, never re-interprets them:

* text codes use CDISC SDTM controlled terminology spellings (SEX ``M``/``F``; ROUTE
  ``INTRAVENOUS``; ACN ``DOSE REDUCED``; OUT ``RECOVERED/RESOLVED``; units ``mg/m2``,
  ``10^9/L``, ``umol/L``); ASCII only (FDA Study Data Technical Conformance Guide);
* adverse events are CTCAE v5.0 terms and grades, the CTCAE term doubling as the
  MedDRA-like preferred term (CTCAE v5.0 terms are MedDRA 20.1 LLTs);
* tumour assessments carry lesion identifiers that stay constant across scans
  (CDISC TU/TR link, SDTMIG v3.4 §6.3.9) and responses per criterion (RECIST 1.1,
  Eisenhauer 2009; mRECIST, Lencioni & Llovet 2010);
* dates are calendar dates (ISO 8601 in every export).

All classes are frozen dataclasses; collections are tuples.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from oncotrial.core.protocol.model import Protocol
from oncotrial.core.response.criteria import Criterion

__all__ = [
    "AdverseEvent",
    "BestResponse",
    "Causality",
    "ClinicalRecords",
    "ConMed",
    "Criterion",
    "DispositionCategory",
    "DispositionEvent",
    "Exposure",
    "LabResult",
    "Lesion",
    "LesionMeasurement",
    "LesionRole",
    "MedicalHistory",
    "Site",
    "Study",
    "Subject",
    "TumourResponse",
    "Visit",
    "VitalSign",
    "clinical_records_from_simulated_demo",
]


class DispositionCategory(StrEnum):
    """CDISC codelist DSCAT (C74558)."""

    PROTOCOL_MILESTONE = "PROTOCOL MILESTONE"
    DISPOSITION_EVENT = "DISPOSITION EVENT"
    OTHER_EVENT = "OTHER EVENT"


class LesionRole(StrEnum):
    """RECIST 1.1 role of a lesion (CDISC codelist TUIDRS, C123650)."""

    TARGET = "TARGET"
    NON_TARGET = "NON-TARGET"
    NEW = "NEW"


@dataclass(frozen=True, slots=True)
class Study:
    """The trial: its protocol (arms, schedule, eligibility, design) and the data cut-off."""

    study_id: str
    protocol: Protocol
    cutoff: date
    simulated: bool
    label: str | None = None
    """Free text shown with every export (``SIMULATED DATA: …`` for simulated trials)."""


@dataclass(frozen=True, slots=True)
class Site:
    code: str
    name: str
    country: str
    """ISO 3166-1 alpha-3 (SDTM COUNTRY), e.g. ``CHN``."""


@dataclass(frozen=True, slots=True)
class DispositionEvent:
    """A protocol milestone or disposition event (SDTM DS)."""

    term: str
    """Verbatim, e.g. ``Disease progression``."""
    decoded: str
    """Controlled term: PROTMLST (``RANDOMIZED``) or NCOMPLT (``PROGRESSIVE DISEASE``, ``DEATH``)."""
    category: DispositionCategory
    on: date
    subcategory: str | None = None
    """``END OF TREATMENT`` / ``END OF STUDY`` for disposition events."""


@dataclass(frozen=True, slots=True)
class Subject:
    """One randomized (or screened) subject: demographics, arm and key dates."""

    subject_id: str
    site_code: str
    sex: str
    age_years: int
    race: str
    ethnicity: str
    country: str
    arm_planned: str
    """Arm code of the protocol the subject was randomized to."""
    arm_actual: str | None
    """Arm code actually received; None when never treated."""
    informed_consent_on: date
    randomized_on: date
    first_dose_on: date | None
    last_dose_on: date | None
    end_of_study_on: date | None
    """End of participation (death, withdrawal, completion); None while on study."""
    death_on: date | None
    last_known_alive_on: date
    disposition: tuple[DispositionEvent, ...]
    birth_date: date | None = None


@dataclass(frozen=True, slots=True)
class Visit:
    """A visit that took place. ``number`` orders visits (SDTM VISITNUM) and matches the
    planned visit of the same ``code`` in the trial design."""

    subject_id: str
    code: str
    number: int
    name: str
    on: date


@dataclass(frozen=True, slots=True)
class Exposure:
    """One administration (or one continuous period for daily oral drugs) of a study drug.

    ``dose``/``unit`` are as the protocol prescribes them (``mg/m2`` or ``mg``: SDTM EX);
    ``collected_dose_mg`` is the amount actually given (SDTM EC).
    """

    subject_id: str
    drug: str
    dose: float
    unit: str
    route: str
    dose_form: str
    start: date
    end: date
    cycle: int
    visit_code: str
    collected_dose_mg: float
    frequency: str
    """CDISC FREQ: ``ONCE`` or ``QD``."""
    adjustment_reason: str | None = None


@dataclass(frozen=True, slots=True)
class Causality:
    """Investigator's attribution of an adverse event to one study drug."""

    drug: str
    related: bool


@dataclass(frozen=True, slots=True)
class AdverseEvent:
    subject_id: str
    term: str
    """CTCAE v5.0 term as reported."""
    decoded: str
    """MedDRA-like preferred term: the CTCAE v5.0 term."""
    body_system: str
    """MedDRA system organ class of the CTCAE term."""
    grade: int
    serious: bool
    start: date
    end: date | None
    causality: tuple[Causality, ...]
    action: str
    """CDISC ACN for the study treatment."""
    outcome: str
    """CDISC OUT."""
    haic_procedure: bool = False

    @property
    def related(self) -> bool:
        return any(c.related for c in self.causality)


@dataclass(frozen=True, slots=True)
class LabResult:
    """One laboratory result, as collected and in SI units with the site's reference range (SI)."""

    subject_id: str
    test_code: str
    test_name: str
    category: str
    value: float
    unit: str
    si_value: float
    si_unit: str
    low_si: float | None
    high_si: float | None
    ctcae_grade: int | None
    on: date
    visit_code: str
    baseline: bool
    """The last value before the first dose (SDTMIG v3.4 --LOBXFL)."""
    specimen: str = "BLOOD"


@dataclass(frozen=True, slots=True)
class VitalSign:
    subject_id: str
    test_code: str
    test_name: str
    value: float
    unit: str
    on: date
    visit_code: str
    baseline: bool


@dataclass(frozen=True, slots=True)
class ConMed:
    subject_id: str
    name: str
    category: str
    indication: str
    dose: float | None
    unit: str | None
    route: str | None
    frequency: str | None
    start: date | None
    end: date | None


@dataclass(frozen=True, slots=True)
class MedicalHistory:
    subject_id: str
    term: str
    category: str
    """e.g. ``PRIMARY DIAGNOSIS`` or ``GENERAL MEDICAL HISTORY``."""
    start: date | None
    ongoing: bool


@dataclass(frozen=True, slots=True)
class Lesion:
    """A lesion as identified (SDTM TU): at baseline (target/non-target) or when new."""

    subject_id: str
    lesion_id: str
    """Constant over the study: ``T01``, ``NT01``, ``NEW01`` (TULNKID = TRLNKID)."""
    role: LesionRole
    location: str
    """CDISC LOC, e.g. ``LIVER``."""
    nodal: bool
    method: str
    """CDISC METHOD: ``CT SCAN`` or ``MRI``."""
    identified_on: date
    visit_code: str
    evaluator: str = "INVESTIGATOR"


@dataclass(frozen=True, slots=True)
class LesionMeasurement:
    """One lesion at one scan (SDTM TR).

    Target lesions: ``longest_diameter_mm`` (non-nodal, RECIST 1.1) or ``short_axis_mm``
    (nodal), and ``viable_diameter_mm`` (mRECIST: longest diameter of the arterially
    enhancing part). Non-target and new lesions: ``state`` (CDISC TRPROPRS: ``PRESENT``,
    ``ABSENT``, ``UNEQUIVOCAL PROGRESSION``).
    """

    subject_id: str
    lesion_id: str
    scan_on: date
    visit_code: str
    method: str
    longest_diameter_mm: float | None = None
    short_axis_mm: float | None = None
    viable_diameter_mm: float | None = None
    state: str | None = None


@dataclass(frozen=True, slots=True)
class TumourResponse:
    """Time-point responses of one scan under one criterion (CDISC ONCRSR values)."""

    subject_id: str
    scan_on: date
    visit_code: str
    criterion: Criterion
    target: str
    non_target: str
    new_lesions: bool
    overall: str
    evaluator: str = "INVESTIGATOR"


@dataclass(frozen=True, slots=True)
class BestResponse:
    """Best overall response of a subject under one criterion (``on`` = date of the scan)."""

    subject_id: str
    criterion: Criterion
    response: str
    on: date | None
    evaluator: str = "INVESTIGATOR"


@dataclass(frozen=True, slots=True)
class ClinicalRecords:
    """Everything collected in one trial, up to ``study.cutoff``."""

    study: Study
    sites: tuple[Site, ...]
    subjects: tuple[Subject, ...]
    visits: tuple[Visit, ...] = ()
    exposures: tuple[Exposure, ...] = ()
    adverse_events: tuple[AdverseEvent, ...] = ()
    labs: tuple[LabResult, ...] = ()
    vitals: tuple[VitalSign, ...] = ()
    con_meds: tuple[ConMed, ...] = ()
    medical_history: tuple[MedicalHistory, ...] = ()
    lesions: tuple[Lesion, ...] = ()
    measurements: tuple[LesionMeasurement, ...] = ()
    responses: tuple[TumourResponse, ...] = ()
    best_responses: tuple[BestResponse, ...] = ()

    def subject(self, subject_id: str) -> Subject:
        for s in self.subjects:
            if s.subject_id == subject_id:
                return s
        raise KeyError(subject_id)


def clinical_records_from_simulated_demo(
    seed: int = 20230801, *, patients: int = 120, protocol: Protocol | None = None
) -> ClinicalRecords:
    """The SIMULATED demo trial (the one ``oncotrial analyze --simulated-demo`` analyses) as
    :class:`ClinicalRecords`, completed deterministically from ``seed``; see
    :mod:`oncotrial.exports.sdtm.demo_records`."""
    from oncotrial.exports.sdtm.demo_records import simulated_clinical_records

    return simulated_clinical_records(seed, patients=patients, protocol=protocol)
