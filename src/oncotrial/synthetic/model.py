"""The generator's output: frozen, slotted, typed values a trial conductor replays.

Every value is SIMULATED (:data:`~oncotrial.synthetic.labels.SIMULATED_LABEL`). Lab
values are in the canonical unit of :mod:`oncotrial.core.units` and carry that unit.
Dates are ``datetime.date``. Nothing here is random: the values are produced by
:mod:`oncotrial.synthetic.course` and :mod:`oncotrial.synthetic.generator`.

Scheduling convention: cycle *k* is scripted at its *nominal* dates (first dose +
21·(k−1) days, day 8 = day 1 + 7). A conductor that delays a cycle (a dose decision of
the core) shifts that cycle and the later ones by its accumulated delay and uses the
cycle's ``recheck_labs`` for the repeat count before the delayed day 1. Imaging stays
anchored to randomization (protocol IMAGING assessment), as in the core calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from oncotrial.core.units import SPECS, Measurand


class EndReason(StrEnum):
    """Why protocol treatment ended."""

    PROGRESSION = "progression"
    DEATH = "death"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    LOST_TO_FOLLOW_UP = "lost_to_follow_up"
    CONVERSION_SURGERY = "conversion_surgery"


class WithdrawalKind(StrEnum):
    CONSENT_WITHDRAWN = "consent_withdrawn"
    LOST_TO_FOLLOW_UP = "lost_to_follow_up"


class Relatedness(StrEnum):
    RELATED = "related"
    POSSIBLY_RELATED = "possibly_related"
    NOT_RELATED = "not_related"


class ProgressionMechanism(StrEnum):
    """How RECIST 1.1 progression shows on the progression scan."""

    NEW_LESION = "new_lesion"
    TARGET_GROWTH = "target_growth"
    NON_TARGET_PROGRESSION = "non_target_progression"


@dataclass(frozen=True, slots=True)
class LabValue:
    """One laboratory result in the canonical unit of ``test`` (``unit`` says which)."""

    test: Measurand
    value: float
    unit: str
    collected_on: date

    def as_dict(self) -> dict[str, object]:
        """The ``{test, value, unit, date}`` shape of docs/patient-format.md and dose-input.md."""
        return {
            "test": self.test.value,
            "value": self.value,
            "unit": self.unit,
            "date": self.collected_on.isoformat(),
        }


def lab(test: Measurand, value: float, on: date, digits: int = 2) -> LabValue:
    """A :class:`LabValue` in the canonical unit of ``test``, rounded to ``digits``."""
    return LabValue(test, round(value, digits), SPECS[test].canonical_unit, on)


@dataclass(frozen=True, slots=True)
class LabPanel:
    """The results of one blood draw (and urine collection) on ``collected_on``."""

    collected_on: date
    values: tuple[LabValue, ...]

    def get(self, test: Measurand) -> LabValue | None:
        return next((v for v in self.values if v.test is test), None)

    def value(self, test: Measurand) -> float:
        found = self.get(test)
        if found is None:
            raise KeyError(test.value)
        return found.value

    def as_dicts(self) -> list[dict[str, object]]:
        return [v.as_dict() for v in self.values]


@dataclass(frozen=True, slots=True)
class ReferenceRangeSpec:
    """A site's LLN/ULN for one test, in the test's canonical unit."""

    test: Measurand
    lln: float | None
    uln: float | None
    unit: str

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"test": self.test.value, "unit": self.unit}
        if self.lln is not None:
            out["lln"] = self.lln
        if self.uln is not None:
            out["uln"] = self.uln
        return out


@dataclass(frozen=True, slots=True)
class SiteRanges:
    site_id: str
    ranges: tuple[ReferenceRangeSpec, ...]

    def uln(self, test: Measurand) -> float:
        return _limit(self, test, "uln")

    def lln(self, test: Measurand) -> float:
        return _limit(self, test, "lln")

    def as_dict(self) -> dict[str, object]:
        return {"site_id": self.site_id, "ranges": [r.as_dict() for r in self.ranges]}


def _limit(ranges: SiteRanges, test: Measurand, which: str) -> float:
    for r in ranges.ranges:
        if r.test is test:
            value = r.lln if which == "lln" else r.uln
            if value is not None:
                return value
    raise KeyError(f"{ranges.site_id}: no {which} for {test.value}")


@dataclass(frozen=True, slots=True)
class Lesion:
    """A baseline lesion (RECIST 1.1 §3–4; mRECIST viable diameter for liver lesions).

    Non-nodal lesions carry ``longest_diameter_mm``; lymph nodes ``short_axis_mm``.
    ``viable_diameter_mm`` is the arterially enhancing diameter (mRECIST), ``None`` for
    nodes. ``is_target`` follows RECIST 1.1 target selection (≤ 5, ≤ 2 per organ, all
    nodes one organ); non-targets include non-measurable lesions.
    """

    lesion_id: str
    organ: str
    is_lymph_node: bool
    is_target: bool
    longest_diameter_mm: float | None
    short_axis_mm: float | None
    viable_diameter_mm: float | None
    slice_thickness_mm: float
    imaged_on: date

    @property
    def size_mm(self) -> float:
        value = self.short_axis_mm if self.is_lymph_node else self.longest_diameter_mm
        assert value is not None
        return value


@dataclass(frozen=True, slots=True)
class TargetMeasurement:
    """A target lesion at a scan: ``status`` as in docs/recist-input.md."""

    lesion_id: str
    status: str  # "present" or "disappeared"
    diameter_mm: float
    viable_diameter_mm: float | None


@dataclass(frozen=True, slots=True)
class NonTargetObservation:
    lesion_id: str
    status: str  # "present", "absent", "unequivocal_progression"
    short_axis_mm: float | None
    enhancing: bool | None


@dataclass(frozen=True, slots=True)
class NewLesionObservation:
    lesion_id: str
    organ: str
    status: str  # "unequivocal"
    longest_diameter_mm: float


@dataclass(frozen=True, slots=True)
class TumourScan:
    """One post-baseline CT/MRI (protocol IMAGING, every 6 weeks ± window)."""

    number: int
    scan_date: date
    targets: tuple[TargetMeasurement, ...]
    non_targets: tuple[NonTargetObservation, ...]
    new_lesions: tuple[NewLesionObservation, ...]
    recist_sum_mm: float
    mrecist_sum_mm: float
    is_progression: bool


@dataclass(frozen=True, slots=True)
class VitalSigns:
    measured_on: date
    weight_kg: float
    systolic_bp_mmhg: int
    diastolic_bp_mmhg: int


@dataclass(frozen=True, slots=True)
class CycleScript:
    """What the patient's body shows around one treatment cycle (nominal dates).

    ``labs_day1`` is drawn within the protocol's −3..0-day window before day 1 and
    includes CA19-9, CEA and 24-h urine protein; ``labs_day8`` before day 8;
    ``recheck_labs`` is the repeat draw 5 days after ``labs_day1`` (grades ≤ 1), for a
    conductor whose dose decision delayed the cycle. Draws that would fall after the end of
    treatment, death, withdrawal or cut-off are None. ``haic_technically_feasible``
    is False from the cycle after a hepatic-artery occlusion (experimental arm; §4.4).
    """

    cycle: int
    day1_date: date
    day8_date: date
    labs_day1: LabPanel
    labs_day8: LabPanel | None
    recheck_labs: LabPanel | None
    vitals: VitalSigns
    haic_technically_feasible: bool | None


@dataclass(frozen=True, slots=True)
class Attribution:
    drug: str
    relatedness: Relatedness


@dataclass(frozen=True, slots=True)
class GradeChange:
    """From ``on`` the AE has CTCAE grade ``grade`` (0 = resolved)."""

    on: date
    grade: int


@dataclass(frozen=True, slots=True)
class AdverseEventScript:
    """One AE episode, CTCAE v5.0 term and grades, with its course over time.

    ``grade`` is the worst grade of the episode; ``course`` lists every grade change
    (the last entry is grade 0 on ``resolution_date`` when it resolved before death,
    withdrawal or cut-off; otherwise ``resolution_date`` is None). ``category`` is an
    :class:`oncotrial.core.dosing.adverse_events.AeCategory` value, so the AE can be
    passed to the dose decision. ``source`` is ``lab`` (graded from the scripted lab
    values), ``clinical`` or ``haic_procedure``.
    """

    ae_id: str
    term: str
    category: str
    grade: int
    onset_date: date
    resolution_date: date | None
    course: tuple[GradeChange, ...]
    serious: bool
    attribution: tuple[Attribution, ...]
    immune_mediated: str  # "no", "suspected", "yes"
    source: str
    cycle: int | None
    fatal: bool

    @property
    def related_to(self) -> tuple[str, ...]:
        """Drugs with a related or possibly related attribution (dose-input ``related_to``)."""
        return tuple(a.drug for a in self.attribution if a.relatedness is not Relatedness.NOT_RELATED)

    def grade_on(self, day: date) -> int:
        """The current grade on ``day`` (0 before onset and after resolution)."""
        current = 0
        for change in self.course:
            if change.on <= day:
                current = change.grade
        return current


@dataclass(frozen=True, slots=True)
class Progression:
    """RECIST 1.1 progression: ``scan_date`` is the scan where PD is first shown."""

    scan_date: date
    scan_number: int
    mechanism: ProgressionMechanism


@dataclass(frozen=True, slots=True)
class Withdrawal:
    on: date
    kind: WithdrawalKind


@dataclass(frozen=True, slots=True)
class Death:
    on: date
    cause: str


@dataclass(frozen=True, slots=True)
class EndOfTreatment:
    on: date
    reason: EndReason


@dataclass(frozen=True, slots=True)
class LatentOutcome:
    """The generator's hidden truth for one arm (for calibration, never for the conductor).

    ``pfs_days`` is the latent progression-or-death time from randomization (the scan
    that shows PD is the first on or after it); ``death_without_progression`` says the
    event is a death; ``os_days`` the latent death time. ``recist_responder`` /
    ``mrecist_responder`` and ``complete_response`` are the intended best responses.
    """

    pfs_days: float
    death_without_progression: bool
    os_days: float
    recist_responder: bool
    mrecist_responder: bool
    complete_response: bool
    recist_depth: float
    mrecist_depth: float


@dataclass(frozen=True, slots=True)
class PatientScript:
    """A randomized patient's complete, dated script in one arm, up to the data cut-off.

    Everything after ``death``, ``withdrawal`` or ``cutoff`` is absent. ``scans`` stop at
    progression (the PD scan is the last), at conversion surgery, death or withdrawal.
    ``follow_up_dates`` are survival-status contacts after the end of treatment (every
    ``follow_up_interval_days``); ``safety_follow_up_date`` is 30 days after the end of
    treatment (protocol SAFETY window).
    """

    label: str
    patient_id: str
    site_id: str
    arm: str
    randomization_date: date
    first_dose_date: date
    cycles: tuple[CycleScript, ...]
    scans: tuple[TumourScan, ...]
    adverse_events: tuple[AdverseEventScript, ...]
    progression: Progression | None
    conversion_surgery_date: date | None
    withdrawal: Withdrawal | None
    death: Death | None
    end_of_treatment: EndOfTreatment | None
    safety_follow_up_date: date | None
    follow_up_dates: tuple[date, ...]
    last_contact_date: date
    cutoff: date
    latent: LatentOutcome

    @property
    def pfs_event_date(self) -> date | None:
        """Progression scan date, else death date (RECIST 1.1 PFS event), else None."""
        if self.progression is not None:
            return self.progression.scan_date
        return self.death.on if self.death is not None else None


@dataclass(frozen=True, slots=True)
class ScreenFailure:
    """The protocol criterion a screen failure was generated to fail, and why."""

    criterion_code: str
    reason: str


@dataclass(frozen=True, slots=True)
class BaselineProfile:
    """A candidate's physiology and history at screening (before any failure is applied).

    ``labs`` is the screening panel (canonical units, dated ``lab_date``); ``ranges`` the
    site's reference ranges; ``lesions`` the baseline imaging (dated ``imaging_date``).
    ``child_pugh_score`` is the score the inputs were built to give (Pugh 1973 cut-offs).
    ``facts`` and ``numbers`` use the names of docs/patient-format.md; a fact with a
    date is ``(name, present, date)``.
    """

    sex: str
    birth_date: date
    age_years: int
    weight_kg: float
    height_cm: float
    ecog: int
    hbsag_positive: bool
    anti_hcv_positive: bool
    ascites: str
    encephalopathy: str
    child_pugh_score: int
    extrahepatic_metastasis: bool
    regional_lymph_node_metastasis: bool
    macrovascular_invasion: bool
    disease_status: str
    systolic_bp_mmhg: int
    diastolic_bp_mmhg: int
    consent_date: date
    lab_date: date
    imaging_date: date
    labs: LabPanel
    ranges: SiteRanges
    lesions: tuple[Lesion, ...]
    facts: tuple[tuple[str, bool, date | None], ...]
    numbers: tuple[tuple[str, float], ...]
    histology: str
    resectable_by_mdt: bool

    @property
    def targets(self) -> tuple[Lesion, ...]:
        return tuple(x for x in self.lesions if x.is_target)
