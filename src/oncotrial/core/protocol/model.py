"""Typed protocol model. Built only through :func:`oncotrial.core.protocol.parse.parse_protocol`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from oncotrial.core.eligibility.rules import Rule


class Route(StrEnum):
    IV = "iv"
    ORAL = "oral"
    HEPATIC_ARTERIAL_INFUSION = "hepatic_arterial_infusion"


class DoseBasis(StrEnum):
    MG_PER_M2 = "mg_per_m2"
    FLAT_MG = "flat_mg"
    WEIGHT_BANDED_MG = "weight_banded_mg"


class ScheduleType(StrEnum):
    CYCLE_DAYS = "cycle_days"
    DAILY = "daily"


class CriterionKind(StrEnum):
    INCLUSION = "inclusion"
    EXCLUSION = "exclusion"


@dataclass(frozen=True, slots=True)
class WeightBand:
    """``amount`` mg applies to weights in [min_kg, below_kg)."""

    min_kg: float | None
    below_kg: float | None
    amount_mg: float


@dataclass(frozen=True, slots=True)
class Dose:
    basis: DoseBasis
    amount: float | None  # mg/m² or mg; None for weight-banded doses
    bands: tuple[WeightBand, ...] = ()
    assumption: str | None = None

    @property
    def unit(self) -> str:
        return "mg/m²" if self.basis is DoseBasis.MG_PER_M2 else "mg"

    def describe(self) -> str:
        if self.basis is DoseBasis.WEIGHT_BANDED_MG:
            parts = []
            for b in self.bands:
                if b.min_kg is not None and b.below_kg is None:
                    parts.append(f"{b.amount_mg:g} mg if ≥{b.min_kg:g} kg")
                elif b.below_kg is not None and b.min_kg is None:
                    parts.append(f"{b.amount_mg:g} mg if <{b.below_kg:g} kg")
                else:
                    parts.append(f"{b.amount_mg:g} mg if {b.min_kg:g}–<{b.below_kg:g} kg")
            return ", ".join(parts)
        assert self.amount is not None
        return f"{self.amount:g} {self.unit}"


@dataclass(frozen=True, slots=True)
class Schedule:
    type: ScheduleType
    days: tuple[int, ...] = ()

    def describe(self, cycle_length_days: int) -> str:
        if self.type is ScheduleType.DAILY:
            return "once daily, continuously"
        days = ", ".join(str(d) for d in self.days)
        return f"day {days} of each {cycle_length_days}-day cycle"


@dataclass(frozen=True, slots=True)
class DrugRegimen:
    drug: str
    route: Route
    dose: Dose
    schedule: Schedule
    infusion_minutes: int | None
    infusion_minutes_assumption: str | None
    source: str | None


@dataclass(frozen=True, slots=True)
class Arm:
    code: str
    label: str
    type: str
    allocation_weight: int
    cycle_length_days: int
    regimen: tuple[DrugRegimen, ...]

    def drug(self, name: str) -> DrugRegimen | None:
        return next((r for r in self.regimen if r.drug == name), None)


@dataclass(frozen=True, slots=True)
class Assessment:
    code: str
    name: str
    anchor: str  # "randomization" or "cycle_day"
    interval_days: int | None
    cycle_days: tuple[int, ...]
    window_minus_days: int
    window_plus_days: int
    assumption: str | None


@dataclass(frozen=True, slots=True)
class Assumption:
    """A value the registry record leaves open, with why this default was chosen."""

    name: str
    value: object
    rationale: str


@dataclass(frozen=True, slots=True)
class Criterion:
    code: str
    kind: CriterionKind
    text: str
    rule: Rule
    interpretation: str | None = None


@dataclass(frozen=True, slots=True)
class Eligibility:
    minimum_age_years: int
    sex: str
    healthy_volunteers: bool
    criteria: tuple[Criterion, ...]

    @property
    def inclusions(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.kind is CriterionKind.INCLUSION)

    @property
    def exclusions(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.kind is CriterionKind.EXCLUSION)


@dataclass(frozen=True, slots=True)
class StratificationFactor:
    code: str
    label: str
    attribute: str
    levels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Stratification:
    factors: tuple[StratificationFactor, ...]
    assumption: str | None


@dataclass(frozen=True, slots=True)
class RandomizationSettings:
    scheme: str  # "permuted_blocks" or "minimization"
    block_sizes: tuple[int, ...]
    minimization_probability: float
    assumption: str | None


@dataclass(frozen=True, slots=True)
class Endpoint:
    code: str
    type: str  # "primary" or "secondary"
    title: str
    description: str | None
    criteria: str | None
    time_frame: str | None
    source: str | None


@dataclass(frozen=True, slots=True)
class Site:
    code: str
    name: str
    city: str | None
    country: str | None


@dataclass(frozen=True, slots=True)
class Identification:
    nct_id: str
    org_study_id: str | None
    brief_title: str
    acronym: str | None
    conditions: tuple[str, ...]
    keywords: tuple[str, ...]
    sponsor: str
    responsible_party: str | None
    sites: tuple[Site, ...]
    registry_last_updated: date | None
    overall_status: str | None
    source: str | None


@dataclass(frozen=True, slots=True)
class Design:
    study_type: str
    phase: str
    allocation: str
    intervention_model: str
    primary_purpose: str
    masking: str
    target_enrollment: int
    start_date: date | None
    completion_date: date | None


@dataclass(frozen=True, slots=True)
class Protocol:
    schema_version: int
    identification: Identification
    design: Design
    arms: tuple[Arm, ...]
    assessments: tuple[Assessment, ...]
    assumptions: tuple[Assumption, ...]
    eligibility: Eligibility
    stratification: Stratification
    randomization: RandomizationSettings
    endpoints: tuple[Endpoint, ...]

    def arm(self, code: str) -> Arm:
        for a in self.arms:
            if a.code == code:
                return a
        raise KeyError(code)

    def assumption(self, name: str) -> object:
        for a in self.assumptions:
            if a.name == name:
                return a.value
        raise KeyError(name)

    @property
    def allocation_ratio(self) -> dict[str, int]:
        return {a.code: a.allocation_weight for a in self.arms}

    @property
    def primary_endpoints(self) -> tuple[Endpoint, ...]:
        return tuple(e for e in self.endpoints if e.type == "primary")

    @property
    def secondary_endpoints(self) -> tuple[Endpoint, ...]:
        return tuple(e for e in self.endpoints if e.type == "secondary")
