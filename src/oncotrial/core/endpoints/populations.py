"""Analysis populations (ICH E9 §5.2).

* ITT (full analysis set): every randomized patient, analysed by randomized arm.
* Per-protocol: randomized, eligible, dosed at least once, no major protocol deviation.
* Safety: every patient who received at least one dose, analysed by the arm actually
  received.
"""

from __future__ import annotations

from collections.abc import Sequence

from oncotrial.core.endpoints.records import PatientRecord


def intention_to_treat(records: Sequence[PatientRecord]) -> tuple[PatientRecord, ...]:
    return tuple(records)


def per_protocol(records: Sequence[PatientRecord]) -> tuple[PatientRecord, ...]:
    return tuple(r for r in records
                 if r.eligible and r.first_dose_on is not None and not r.major_protocol_deviation)


def safety_population(records: Sequence[PatientRecord]) -> tuple[PatientRecord, ...]:
    return tuple(r for r in records if r.first_dose_on is not None)


def safety_arm(record: PatientRecord) -> str:
    """The arm a patient is summarised under for safety: the one actually received."""
    return record.actual_arm or record.arm
