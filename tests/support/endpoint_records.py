"""Builders for endpoint tests: randomization on 2024-01-01, cut-off 2025-01-01."""

from __future__ import annotations

from datetime import date, timedelta

from oncotrial.core.endpoints.records import PatientRecord, ScanOutcome
from oncotrial.core.response.criteria import Criterion, Response

R = date(2024, 1, 1)
CUT = date(2025, 1, 1)
RECIST = Criterion.RECIST_1_1


def scan(day: int, recist: str, mrecist: str | None = None) -> ScanOutcome:
    """A scan ``day`` days after randomization with its RECIST (and mRECIST) response."""
    return ScanOutcome(R + timedelta(days=day),
                       {Criterion.RECIST_1_1: Response(recist),
                        Criterion.MRECIST: Response(mrecist or recist)})


def patient(pid: str = "SIM-1", **fields: object) -> PatientRecord:
    """A randomized, dosed patient with a baseline scan; ``fields`` override anything."""
    base: dict[str, object] = {"patient_id": pid, "arm": "HAIC", "randomized_on": R,
                               "baseline_scan_on": R, "first_dose_on": R + timedelta(days=2),
                               "last_known_alive_on": date(2024, 12, 1)}
    base.update(fields)
    return PatientRecord(**base)  # type: ignore[arg-type]
