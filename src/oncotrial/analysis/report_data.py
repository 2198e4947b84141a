"""What the trial report needs beyond :class:`~oncotrial.core.endpoints.trial_data.TrialData`.

:class:`ReportExtras` carries the CONSORT screening log, baseline characteristics, every
administered dose, tumour measurements, treatment courses and the data cut-off. The
application fills it from its database; :func:`simulated_report_inputs` builds a SIMULATED
pair (TrialData, ReportExtras) for demonstrations and tests.

Conventions:

* RECIST 1.1 (Eisenhauer et al., *Eur J Cancer* 2009;45:228, §3.3): the target sum is the
  sum of the longest diameters of non-nodal target lesions plus the short axes of target
  nodes, in mm. mRECIST (Lencioni & Llovet, *Semin Liver Dis* 2010;30:52): the sum of
  the longest diameters of the viable (arterially enhancing) part of the target lesions.
* Relative dose intensity (RDI) = delivered / planned cumulative dose per drug over the
  treatment period (the definition of :mod:`oncotrial.core.endpoints.safety`).
* AE seriousness, the HAIC procedure-complication flag and fatal outcome (CTCAE v5.0
  grade 5) are already in :class:`~oncotrial.core.endpoints.records.AdverseEventRecord`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from oncotrial.core.endpoints.trial_data import TrialData
from oncotrial.core.errors import DomainError
from oncotrial.core.response.criteria import Criterion

SIMULATED_LABEL = "SIMULATED DATA: not results of NCT07304388"

#: Accepted values of :attr:`TreatmentCourse.status_at_cutoff`.
COURSE_STATUSES: tuple[str, ...] = (
    "on treatment",
    "in follow-up",
    "lost to follow-up",
    "withdrew consent",
    "died",
)


def _no_counts() -> Mapping[str, int]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class ScreeningLog:
    """CONSORT enrolment: patients assessed for eligibility and those not randomized, by reason.

    ``assessed − Σ excluded`` must equal the number randomized (the TrialData patients).
    """

    assessed: int
    excluded: Mapping[str, int] = field(default_factory=_no_counts)


@dataclass(frozen=True, slots=True)
class BaselineCharacteristics:
    """One randomized patient at baseline (ITT), as collected at screening.

    ``hbv`` uses the vocabulary of the TrialData attribute (``"HBsAg+"``/``"HBsAg-"``);
    ``stratum`` is the randomization stratum label.
    """

    patient_id: str
    age_years: float
    sex: str
    """``"Female"`` or ``"Male"``."""
    ecog: int
    """ECOG performance status 0–2."""
    hbv: str
    child_pugh_class: str
    """``"A"``, ``"B"`` or ``"C"``."""
    child_pugh_score: int
    ca19_9_u_per_ml: float
    """CA19-9 in U/mL (the upper limit of normal is 37 U/mL)."""
    extrahepatic_metastasis: bool
    stratum: str
    weight_kg: float
    height_cm: float


@dataclass(frozen=True, slots=True)
class DoseRecord:
    """One planned administration of one drug (oral daily drugs: one record per cycle).

    ``administered_mg`` is 0 for an omitted (held) dose.
    """

    patient_id: str
    drug: str
    cycle: int
    given_on: date
    planned_mg: float
    administered_mg: float


@dataclass(frozen=True, slots=True)
class TumourMeasurement:
    """The target-lesion sum of one assessment under one criterion, in mm.

    The baseline assessment has ``is_baseline=True``; post-baseline ``scan_date`` values are
    the dates of the TrialData scans.
    """

    patient_id: str
    scan_date: date
    criterion: Criterion
    sum_mm: float
    is_baseline: bool = False


@dataclass(frozen=True, slots=True)
class TreatmentCourse:
    """A patient's study treatment: start, end and why it ended, and status at the cut-off.

    ``started_on`` None: never treated (``end_reason`` then says why); ``ended_on`` None:
    still on treatment at the data cut-off.
    """

    patient_id: str
    started_on: date | None
    ended_on: date | None
    end_reason: str | None
    status_at_cutoff: str
    """One of :data:`COURSE_STATUSES`."""


@dataclass(frozen=True, slots=True)
class ReportExtras:
    """Everything the report reads that :class:`TrialData` does not hold."""

    data_cutoff: date
    screening: ScreeningLog
    baseline: tuple[BaselineCharacteristics, ...]
    doses: tuple[DoseRecord, ...]
    measurements: tuple[TumourMeasurement, ...]
    courses: tuple[TreatmentCourse, ...]
    simulated: bool = False
    label: str = ""
    """Shown on every page and figure; :data:`SIMULATED_LABEL` for simulated data."""


def _unknown_ids(name: str, ids: list[str], known: set[str]) -> None:
    for i, pid in enumerate(ids):
        if pid not in known:
            raise DomainError(f"extras.{name}[{i}].patient_id", pid, "a patient of the trial data")


def check_report_inputs(data: TrialData, extras: ReportExtras) -> None:
    """Raise :class:`DomainError` unless ``extras`` fits ``data`` (same cut-off, same patients)."""
    if extras.data_cutoff != data.cutoff:
        raise DomainError(
            "extras.data_cutoff",
            extras.data_cutoff.isoformat(),
            f"the trial data cut-off {data.cutoff.isoformat()}",
        )
    known = {p.patient_id for p in data.patients}
    for name, ids in (
        ("baseline", [b.patient_id for b in extras.baseline]),
        ("courses", [c.patient_id for c in extras.courses]),
    ):
        _unknown_ids(name, ids, known)
        twice = [pid for pid, n in Counter(ids).items() if n > 1]
        if twice:
            raise DomainError(f"extras.{name}", twice[0], "one entry per patient")
        missing = sorted(known - set(ids))
        if missing:
            raise DomainError(
                f"extras.{name}",
                f"{len(ids)} patients",
                f"one entry per randomized patient; missing {missing[:5]}",
            )
    _unknown_ids("doses", [d.patient_id for d in extras.doses], known)
    _unknown_ids("measurements", [m.patient_id for m in extras.measurements], known)
    for i, c in enumerate(extras.courses):
        if c.status_at_cutoff not in COURSE_STATUSES:
            raise DomainError(
                f"extras.courses[{i}].status_at_cutoff",
                c.status_at_cutoff,
                f"one of {', '.join(COURSE_STATUSES)}",
            )
        if c.ended_on is not None and c.end_reason is None:
            raise DomainError(f"extras.courses[{i}].end_reason", None, "a reason when treatment ended")
    for i, d in enumerate(extras.doses):
        if d.planned_mg < 0 or d.administered_mg < 0:
            raise DomainError(f"extras.doses[{i}]", (d.planned_mg, d.administered_mg), "doses ≥ 0 mg")
    if extras.screening.assessed < len(data.patients):
        raise DomainError(
            "extras.screening.assessed",
            extras.screening.assessed,
            f"at least the {len(data.patients)} randomized patients",
        )


def simulated_report_inputs(seed: int = 20230801, *, patients: int = 120) -> tuple[TrialData, ReportExtras]:
    """A SIMULATED trial (``oncotrial analyze --simulated-demo``'s generator) with seeded extras.

    SIMULATED DATA: not results of NCT07304388.
    """
    from oncotrial.analysis.report.simulated_inputs import simulated_inputs

    return simulated_inputs(seed, patients=patients)
