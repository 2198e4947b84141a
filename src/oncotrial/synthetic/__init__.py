"""Seeded virtual patients for a SIMULATED NCT07304388 (pure: no database, no clock).

Every output carries :data:`SIMULATED_LABEL`. The generator builds, per candidate, a
screening document in the patient JSON format and, for each arm, a complete dated
script (labs per cycle, AEs, weights, scans, progression, withdrawal, surgery, death)
that a trial conductor replays through the application. Documentation:
docs/synthetic-patients.md. Sources: shared/research/clinical-content.md §2–§4.
"""

from oncotrial.synthetic.documents import assessment_document, screening_document
from oncotrial.synthetic.generator import (
    SyntheticCandidate,
    SyntheticTrial,
    generate_candidate,
    generate_trial,
    iter_candidates,
    trial_scenario,
)
from oncotrial.synthetic.labels import SIMULATED_LABEL
from oncotrial.synthetic.model import (
    AdverseEventScript,
    Attribution,
    BaselineProfile,
    CycleScript,
    Death,
    EndOfTreatment,
    EndReason,
    GradeChange,
    LabPanel,
    LabValue,
    LatentOutcome,
    Lesion,
    NewLesionObservation,
    NonTargetObservation,
    PatientScript,
    Progression,
    ProgressionMechanism,
    ReferenceRangeSpec,
    Relatedness,
    ScreenFailure,
    SiteRanges,
    TargetMeasurement,
    TumourScan,
    VitalSigns,
    Withdrawal,
    WithdrawalKind,
)
from oncotrial.synthetic.plan import ArmPlan, TrialPlan, make_plan
from oncotrial.synthetic.scenario import CONTROL_ARM, EXPERIMENTAL_ARM, ArmScenario, TrialScenario

__all__ = [
    "CONTROL_ARM",
    "EXPERIMENTAL_ARM",
    "SIMULATED_LABEL",
    "AdverseEventScript",
    "ArmPlan",
    "ArmScenario",
    "Attribution",
    "BaselineProfile",
    "CycleScript",
    "Death",
    "EndOfTreatment",
    "EndReason",
    "GradeChange",
    "LabPanel",
    "LabValue",
    "LatentOutcome",
    "Lesion",
    "NewLesionObservation",
    "NonTargetObservation",
    "PatientScript",
    "Progression",
    "ProgressionMechanism",
    "ReferenceRangeSpec",
    "Relatedness",
    "ScreenFailure",
    "SiteRanges",
    "SyntheticCandidate",
    "SyntheticTrial",
    "TargetMeasurement",
    "TrialPlan",
    "TrialScenario",
    "TumourScan",
    "VitalSigns",
    "Withdrawal",
    "WithdrawalKind",
    "assessment_document",
    "generate_candidate",
    "generate_trial",
    "iter_candidates",
    "make_plan",
    "screening_document",
    "trial_scenario",
]
