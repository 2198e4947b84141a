"""``baselineCharacteristicsModule``: baseline measures per arm and in total (API v2).

PRS Results Data Element Definitions (2023), "Baseline Characteristics": the overall
number of baseline participants per arm and in total, the required measures **Age** and
**Sex/Gender** (race and ethnicity when collected), and any baseline measure used in the
primary analysis (here the stratification factors). Counts are participants
(``COUNT_OF_PARTICIPANTS``); age is the median with the full range, in years.

Population: ITT, by randomized arm. Per-subject age and sex come from the baseline
subjects given by the caller (the database or the conducted simulation); the trial data
file itself carries only the stratification attributes, so without subjects the module
lacks Age and Sex and :func:`~oncotrial.exports.ctgov.results_rules.check_results`
reports it.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from oncotrial.analysis.trial_analysis import TrialAnalysis
from oncotrial.core.endpoints.records import PatientRecord
from oncotrial.exports.ctgov.results_common import (
    ArmGroup,
    JsonObject,
    drop_empty,
    group_id,
    groups_json,
    number,
)

#: Attribute → measure title (the stratification and subgroup factors of the analysis).
ATTRIBUTE_MEASURES = {
    "ecog": "ECOG performance status", "extrahepatic_metastasis": "Extrahepatic metastasis",
    "ca19_9": "CA19-9 (U/mL)", "hbv": "Hepatitis B surface antigen", "child_pugh": "Child-Pugh class",
}
SEXES = ("Female", "Male")


@dataclass(frozen=True, slots=True)
class BaselineSubject:
    """Demographics of one randomized participant."""

    patient_id: str
    age_years: float
    sex: str  # "Female" or "Male"
    race: str | None = None
    ethnicity: str | None = None


def _counts_measure(title: str, per_group: Sequence[Sequence[str]], description: str | None = None
                    ) -> JsonObject:
    categories = sorted({v for values in per_group for v in values})
    return drop_empty({
        "title": title, "description": description, "paramType": "COUNT_OF_PARTICIPANTS",
        "unitOfMeasure": "Participants",
        "classes": [{"categories": [
            {"title": c, "measurements": [{"groupId": group_id("BG", i),
                                           "value": str(sum(v == c for v in values))}
                                          for i, values in enumerate(per_group)]}
            for c in categories]}],
    })


def _age_measure(per_group: Sequence[Sequence[float]]) -> JsonObject:
    def cell(i: int, ages: Sequence[float]) -> JsonObject:
        return {"groupId": group_id("BG", i), "value": number(statistics.median(ages), 1),
                "lowerLimit": number(min(ages), 0), "upperLimit": number(max(ages), 0)}
    return {"title": "Age, Continuous", "paramType": "MEDIAN", "dispersionType": "FULL_RANGE",
            "unitOfMeasure": "years",
            "classes": [{"categories": [{"measurements": [cell(i, ages) for i, ages in enumerate(per_group)
                                                          if ages]}]}]}


def baseline_characteristics(analysis: TrialAnalysis, groups: Sequence[ArmGroup], *,
                             subjects: Mapping[str, BaselineSubject] | None = None,
                             label: str | None = None) -> JsonObject:
    """The ``baselineCharacteristicsModule``: arms then a Total group."""
    data = analysis.data
    by_arm: list[list[PatientRecord]] = [[p for p in data.patients if p.arm == g.code] for g in groups]
    columns = [*by_arm, list(data.patients)]  # the last column is the Total group
    total = ArmGroup("TOTAL", "Total", "All randomized participants")
    measures: list[JsonObject] = []
    if subjects:
        missing = [p.patient_id for p in data.patients if p.patient_id not in subjects]
        if not missing:
            measures.append(_age_measure([[subjects[p.patient_id].age_years for p in col]
                                          for col in columns]))
            measures.append(_counts_measure("Sex: Female, Male",
                                            [[subjects[p.patient_id].sex for p in col] for col in columns]))
            for attr, title in (("race", "Race (NIH/OMB)"), ("ethnicity", "Ethnicity (NIH/OMB)")):
                values = [[getattr(subjects[p.patient_id], attr) or "Unknown or Not Reported" for p in col]
                          for col in columns]
                if any(getattr(s, attr) for s in subjects.values()):
                    measures.append(_counts_measure(title, values))
    for attr, title in ATTRIBUTE_MEASURES.items():
        if data.patients and all(attr in p.attributes for p in data.patients):
            measures.append(_counts_measure(title, [[p.attributes[attr] for p in col] for col in columns],
                                            "Stratification/subgroup factor at randomization"))
    population = "Randomized participants (intention-to-treat population), by randomized arm."
    return drop_empty({
        "populationDescription": f"{label}. {population}" if label else population,
        "groups": groups_json("BG", [*groups, total]),
        "denoms": [{"units": "Participants",
                    "counts": [{"groupId": group_id("BG", i), "value": str(len(col))}
                               for i, col in enumerate(columns)]}],
        "measures": measures,
    })
