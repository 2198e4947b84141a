"""Dose calculation and dose modification for NCT07304388 (issue 3 §2).

* :mod:`.drugs`: the study drugs;
* :mod:`.rounding`: rounding rule (nearest 1 mg by default) and optional 5 % dose banding;
* :mod:`.body_size`: the BSA used for dosing (≥10 % weight rule, optional cap);
* :mod:`.levels`: dose levels and reduction ladders;
* :mod:`.doses`: starting dose and dose at a level from the protocol regimen;
* :mod:`.table_types` and :mod:`.tables`: every dose-modification table, as typed data;
* :mod:`.adverse_events`: AEs with grade, category, attribution and immune-mediated flag;
* :mod:`.haic`: HAIC suspension and stop rules;
* :mod:`.request`, :mod:`.drug_rules`, :mod:`.decision`: "OK to treat today?";
* :mod:`.course`: the ledger that refuses a dose without an authorising decision;
* :mod:`.input_data`: the JSON input of ``oncotrial dose`` (docs/dose-input.md).
"""

from oncotrial.core.dosing.adverse_events import AdverseEvent, AeCategory, ImmuneMediated
from oncotrial.core.dosing.body_size import BsaPolicy, DosingBsa, dosing_bsa, weight_change
from oncotrial.core.dosing.course import CourseStatus, DrugCourse
from oncotrial.core.dosing.decision import DrugDecision, TreatmentDecision, decide
from oncotrial.core.dosing.doses import (
    CalculatedDose,
    calculate_dose,
    full_dose,
    regimen_ladder,
    starting_amount,
)
from oncotrial.core.dosing.drugs import Drug, parse_drug
from oncotrial.core.dosing.haic import HaicAssessment, assess_haic
from oncotrial.core.dosing.input_data import dose_request_from_data
from oncotrial.core.dosing.levels import LADDERS, DoseLevel, Frequency, Ladder, ladder_for
from oncotrial.core.dosing.request import DecisionRequest, DrugState
from oncotrial.core.dosing.rounding import DoseBanding, RoundedDose, RoundingMode, RoundingRule, round_dose
from oncotrial.core.dosing.table_types import Action, FiredRule, Outcome

__all__ = [
    "LADDERS",
    "Action",
    "AdverseEvent",
    "AeCategory",
    "BsaPolicy",
    "CalculatedDose",
    "CourseStatus",
    "DecisionRequest",
    "DoseBanding",
    "DoseLevel",
    "DosingBsa",
    "Drug",
    "DrugCourse",
    "DrugDecision",
    "DrugState",
    "FiredRule",
    "Frequency",
    "HaicAssessment",
    "ImmuneMediated",
    "Ladder",
    "Outcome",
    "RoundedDose",
    "RoundingMode",
    "RoundingRule",
    "TreatmentDecision",
    "assess_haic",
    "calculate_dose",
    "decide",
    "dose_request_from_data",
    "dosing_bsa",
    "full_dose",
    "ladder_for",
    "parse_drug",
    "regimen_ladder",
    "round_dose",
    "starting_amount",
    "weight_change",
]
