"""Tumour response assessment: RECIST 1.1 and mRECIST, side by side.

Sources
-------
* RECIST 1.1: Eisenhauer EA et al. New response evaluation criteria in solid
  tumours: revised RECIST guideline (version 1.1). Eur J Cancer 2009;45:228–247.
* EORTC RECIST working group, RECIST 1.1 FAQ and clarifications (recist.eortc.org),
  and Schwartz LH et al., RECIST 1.1 — update and clarification, Eur J Cancer
  2016;62:132–137.
* mRECIST: Lencioni R, Llovet JM. Modified RECIST (mRECIST) assessment for
  hepatocellular carcinoma. Semin Liver Dis 2010;30:52–60.

The package is pure (standard library only). Bad input raises
:class:`oncotrial.core.errors.DomainError`; clinical outcomes (PD, NE, ...) are
return values.
"""

from oncotrial.core.response.assessment import (
    Assessment,
    AssessmentSettings,
    CriterionAssessment,
    assess,
    assess_criterion,
)
from oncotrial.core.response.baseline import Baseline, CriterionBaseline, check_baseline
from oncotrial.core.response.best_response import (
    BestOverallResponse,
    Confirmation,
    ResponseAt,
    best_overall_response,
    pfs_event_date,
)
from oncotrial.core.response.criteria import (
    Criterion,
    NewLesionStatus,
    NonTargetResponse,
    Response,
    ResponseRules,
    TargetResponse,
    mrecist_rules,
    recist_1_1_rules,
)
from oncotrial.core.response.json_format import assess_from_dict
from oncotrial.core.response.json_output import assessment_to_dict
from oncotrial.core.response.lesions import (
    BaselineLesion,
    LesionStatus,
    NewLesion,
    NonTargetReading,
    NonTargetStatus,
    Scan,
    TargetReading,
)
from oncotrial.core.response.measurability import Measurability, baseline_measurability
from oncotrial.core.response.overall import overall_response
from oncotrial.core.response.target import assess_targets, classify_sum
from oncotrial.core.response.timeline import TimePoint, assess_time_points

__all__ = [
    "Assessment",
    "AssessmentSettings",
    "Baseline",
    "BaselineLesion",
    "BestOverallResponse",
    "Confirmation",
    "Criterion",
    "CriterionAssessment",
    "CriterionBaseline",
    "LesionStatus",
    "Measurability",
    "NewLesion",
    "NewLesionStatus",
    "NonTargetReading",
    "NonTargetResponse",
    "NonTargetStatus",
    "Response",
    "ResponseAt",
    "ResponseRules",
    "Scan",
    "TargetReading",
    "TargetResponse",
    "TimePoint",
    "assess",
    "assess_criterion",
    "assess_from_dict",
    "assess_targets",
    "assess_time_points",
    "assessment_to_dict",
    "baseline_measurability",
    "best_overall_response",
    "check_baseline",
    "classify_sum",
    "mrecist_rules",
    "overall_response",
    "pfs_event_date",
    "recist_1_1_rules",
]
