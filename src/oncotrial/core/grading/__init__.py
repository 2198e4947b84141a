"""Adverse-event grading: NCI CTCAE v5.0 (27 November 2017).

* :mod:`.bands`: typed intervals with explicit ends, checked for gaps and overlaps;
* :mod:`.ctcae_v5_tables`: the CTCAE v5.0 thresholds as data;
* :mod:`.ctcae_v5`: grading of laboratory values (counts, liver tests, creatinine, INR);
* :mod:`.ctcae_v5_clinical`: hypertension, proteinuria and investigator-assessed grades;
* :mod:`.worst_grade`: worst grade per term, per cycle and per patient.
"""

from oncotrial.core.grading.bands import Band, BandRule, BandTable, Bound, Closed, Reference
from oncotrial.core.grading.ctcae_v5 import (
    SOURCE,
    Basis,
    GradeResult,
    grade_alp_increased,
    grade_alt_increased,
    grade_anemia,
    grade_ast_increased,
    grade_blood_bilirubin_increased,
    grade_creatinine_increased,
    grade_ggt_increased,
    grade_hypoalbuminemia,
    grade_inr_increased,
    grade_measurement,
    grade_neutrophil_count_decreased,
    grade_platelet_count_decreased,
    grade_white_blood_cell_decreased,
    grade_with_baseline_rule,
)
from oncotrial.core.grading.ctcae_v5_clinical import (
    AntihypertensiveIntervention,
    Dipstick,
    grade_clinical,
    grade_hypertension,
    grade_proteinuria,
)
from oncotrial.core.grading.ctcae_v5_tables import MAX_GRADE, SYSTEM_ORGAN_CLASS, Term
from oncotrial.core.grading.worst_grade import GradedEvent, WorstGrade, WorstGrades, worst_grades

__all__ = [
    "MAX_GRADE",
    "SOURCE",
    "SYSTEM_ORGAN_CLASS",
    "AntihypertensiveIntervention",
    "Band",
    "BandRule",
    "BandTable",
    "Basis",
    "Bound",
    "Closed",
    "Dipstick",
    "GradeResult",
    "GradedEvent",
    "Reference",
    "Term",
    "WorstGrade",
    "WorstGrades",
    "grade_alp_increased",
    "grade_alt_increased",
    "grade_anemia",
    "grade_ast_increased",
    "grade_blood_bilirubin_increased",
    "grade_clinical",
    "grade_creatinine_increased",
    "grade_ggt_increased",
    "grade_hypertension",
    "grade_hypoalbuminemia",
    "grade_inr_increased",
    "grade_measurement",
    "grade_neutrophil_count_decreased",
    "grade_platelet_count_decreased",
    "grade_proteinuria",
    "grade_white_blood_cell_decreased",
    "grade_with_baseline_rule",
    "worst_grades",
]
