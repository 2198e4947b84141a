"""The collected-data parts of the SIMULATED demo trial while :mod:`.demo_records` builds them."""

from __future__ import annotations

from oncotrial.exports.clinical_records import (
    AdverseEvent,
    BestResponse,
    ConMed,
    Exposure,
    LabResult,
    Lesion,
    LesionMeasurement,
    MedicalHistory,
    Subject,
    TumourResponse,
    Visit,
    VitalSign,
)


class _Parts:
    def __init__(self) -> None:
        self.subjects: list[Subject] = []
        self.visits: list[Visit] = []
        self.exposures: list[Exposure] = []
        self.aes: list[AdverseEvent] = []
        self.labs: list[LabResult] = []
        self.vitals: list[VitalSign] = []
        self.cms: list[ConMed] = []
        self.mhs: list[MedicalHistory] = []
        self.lesions: list[Lesion] = []
        self.measurements: list[LesionMeasurement] = []
        self.responses: list[TumourResponse] = []
        self.best: list[BestResponse] = []
