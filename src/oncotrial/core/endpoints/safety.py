"""Safety summaries per arm: worst CTCAE grade by term, grade ≥ 3, serious AEs, AEs that
led to discontinuation, deaths, HAIC procedure complications, exposure and relative
dose intensity.

Counting follows the usual TEAE table convention: only treatment-emergent AEs (onset on
or after the first dose; ICH E3 §12.2) count, each patient once per term at their worst
grade (CTCAE v5.0), and once per row for "any" rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from oncotrial.core.endpoints.populations import safety_arm, safety_population
from oncotrial.core.endpoints.records import AdverseEventRecord, PatientRecord


@dataclass(frozen=True, slots=True)
class TermSummary:
    term: str
    arm: str
    patients_any_grade: int
    patients_grade_3_or_more: int
    worst_grade_counts: tuple[int, int, int, int, int]
    """Patients whose worst grade for the term is 1, 2, 3, 4, 5."""


@dataclass(frozen=True, slots=True)
class ArmSafety:
    arm: str
    patients: int
    any_ae: int
    grade_3_or_more: int
    serious: int
    led_to_discontinuation: int
    fatal: int
    deaths: int
    """Patients who died (any cause) in the safety population."""
    haic_procedure_complications: int
    terms: tuple[TermSummary, ...]


def treatment_emergent(record: PatientRecord) -> tuple[AdverseEventRecord, ...]:
    """AEs starting on or after the first dose (none for a patient never dosed)."""
    first = record.first_dose_on
    if first is None:
        return ()
    return tuple(ae for ae in record.adverse_events if ae.start_date >= first)


def summarise_safety(records: Sequence[PatientRecord]) -> tuple[ArmSafety, ...]:
    """Per-arm safety summary over the safety population, terms sorted by frequency."""
    by_arm: dict[str, list[PatientRecord]] = defaultdict(list)
    for r in safety_population(records):
        by_arm[safety_arm(r)].append(replace(r, adverse_events=treatment_emergent(r)))
    out = []
    for arm in sorted(by_arm):
        patients = by_arm[arm]
        worst: dict[str, list[int]] = defaultdict(list)
        for p in patients:
            per_term: dict[str, int] = {}
            for ae in p.adverse_events:
                per_term[ae.term] = max(per_term.get(ae.term, 0), ae.grade)
            for term, grade in per_term.items():
                worst[term].append(grade)
        terms = []
        for term, grades in worst.items():
            counts = tuple(sum(1 for g in grades if g == k) for k in range(1, 6))
            terms.append(TermSummary(term, arm, len(grades), sum(1 for g in grades if g >= 3),
                                     (counts[0], counts[1], counts[2], counts[3], counts[4])))
        terms.sort(key=lambda t: (-t.patients_any_grade, t.term))
        out.append(ArmSafety(
            arm=arm, patients=len(patients),
            any_ae=sum(1 for p in patients if p.adverse_events),
            grade_3_or_more=sum(1 for p in patients if any(a.grade >= 3 for a in p.adverse_events)),
            serious=sum(1 for p in patients if any(a.serious for a in p.adverse_events)),
            led_to_discontinuation=sum(1 for p in patients
                                       if any(a.led_to_discontinuation for a in p.adverse_events)),
            fatal=sum(1 for p in patients if any(a.grade == 5 for a in p.adverse_events)),
            deaths=sum(1 for p in patients if p.death_on is not None),
            haic_procedure_complications=sum(
                1 for p in patients if any(a.haic_procedure for a in p.adverse_events)),
            terms=tuple(terms)))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class DoseIntensity:
    patient_id: str
    drug: str
    doses_given: int
    delivered_mg: float
    planned_mg: float

    @property
    def relative_dose_intensity(self) -> float | None:
        """Delivered / planned cumulative dose over the treatment period (None if nothing planned)."""
        return None if self.planned_mg <= 0 else self.delivered_mg / self.planned_mg


def dose_intensities(records: Sequence[PatientRecord]) -> tuple[DoseIntensity, ...]:
    return tuple(DoseIntensity(r.patient_id, e.drug, e.doses_given, e.delivered_mg, e.planned_mg)
                 for r in safety_population(records) for e in r.exposure)
