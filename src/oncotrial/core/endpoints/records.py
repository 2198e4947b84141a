"""What the endpoint derivations read for one randomized patient.

Dates are calendar dates; every derivation also takes the data cut-off date and
ignores anything recorded after it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from oncotrial.core.response.criteria import Criterion, Response


@dataclass(frozen=True, slots=True)
class ScanOutcome:
    """One tumour assessment: its overall response under each criterion.

    ``adequate`` is False for a scan that could not be evaluated (overall NE), which
    does not count as an adequate assessment for PFS censoring (FDA 2018 guidance).
    ``target_change_pct`` is the % change of the target sum from baseline (RECIST 1.1),
    used for waterfall plots.
    """

    scan_date: date
    responses: Mapping[Criterion, Response]
    target_change_pct: float | None = None

    def response(self, criterion: Criterion) -> Response:
        return self.responses[criterion]

    def adequate(self, criterion: Criterion) -> bool:
        return self.responses[criterion] not in (Response.NE, Response.MISSING)


@dataclass(frozen=True, slots=True)
class AdverseEventRecord:
    term: str
    grade: int
    start_date: date
    serious: bool = False
    related: bool = False
    led_to_discontinuation: bool = False
    cycle: int | None = None
    haic_procedure: bool = False
    """A complication of the HAIC procedure (access site, hepatic artery, catheter, non-target
    perfusion, infusion-related), clinical-content.md §4.4."""


@dataclass(frozen=True, slots=True)
class ExposureRecord:
    """Delivered versus planned cumulative dose of one drug (for relative dose intensity)."""

    drug: str
    doses_given: int
    delivered_mg: float
    planned_mg: float
    first_dose: date | None
    last_dose: date | None


def _empty_scans() -> tuple[ScanOutcome, ...]:
    return ()


@dataclass(frozen=True, slots=True)
class PatientRecord:
    """Everything the endpoint derivations need for one randomized patient."""

    patient_id: str
    arm: str
    randomized_on: date
    actual_arm: str | None = None
    """Arm actually received (safety population); None when never dosed."""
    first_dose_on: date | None = None
    last_dose_on: date | None = None
    eligible: bool = True
    major_protocol_deviation: bool = False
    baseline_scan_on: date | None = None
    scans: tuple[ScanOutcome, ...] = field(default_factory=_empty_scans)
    death_on: date | None = None
    last_known_alive_on: date | None = None
    new_anticancer_therapy_on: date | None = None
    """Start of any new anticancer therapy, conversion surgery included."""
    withdrew_consent_on: date | None = None
    adverse_events: tuple[AdverseEventRecord, ...] = ()
    exposure: tuple[ExposureRecord, ...] = ()
    attributes: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
