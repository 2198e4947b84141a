"""``outcomeMeasuresModule``: each registered outcome with its data and statistical analyses (API v2).

Every number is taken from :func:`oncotrial.analysis.trial_analysis.analyze_trial`
(no estimate is recomputed here); only the text formatting is ours
(:mod:`.results_common`). Outcomes follow the protocol's endpoints (codes ``PFS6``,
``ORR_MRECIST``, ``ORR_RECIST``, ``DCR``, ``PFS``, ``OS``, ``DOR``, ``SAFETY``) with their
titles and time frames, so that the results match the registered ``outcomesModule``.

* PFS6 (primary): Kaplan–Meier 6-month PFS rate per arm with its 95 % log-log CI; the
  analysis is the difference experimental − control with its Wald 95 % CI and two-sided
  Z-test p (Klein & Moeschberger §7.8; :mod:`oncotrial.analysis.landmark`).
* ORR / DCR: percentage of participants with the Clopper–Pearson 95 % CI; the analysis is
  the risk difference with the Newcombe hybrid-score CI and Fisher's exact p.
* PFS / OS: median (months) with the Brookmeyer–Crowley 95 % CI; the analysis is the Cox
  HR (Efron ties) with its 95 % CI and the (stratified, when the strata are recorded)
  log-rank p.
* DoR: median (months) among responders per RECIST 1.1.
* SAFETY: participants with TEAEs (CTCAE v5.0) in the safety population, by arm received.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from oncotrial.analysis.trial_analysis import RateEndpoint, SurvivalEndpoint, TrialAnalysis
from oncotrial.core.protocol.model import Endpoint, Protocol
from oncotrial.core.response.criteria import Criterion
from oncotrial.exports.ctgov.results_common import (
    NOT_ESTIMABLE,
    ArmGroup,
    JsonObject,
    drop_empty,
    group_id,
    groups_json,
    number,
    p_value,
    percent,
)

ITT = "Intention-to-treat population: all randomized participants, analysed by randomized arm."
SAFETY = "Safety population: participants who received at least one dose, analysed by arm received."
Builder = Callable[[TrialAnalysis, Sequence[ArmGroup], Endpoint], JsonObject]


def _denoms(counts: Sequence[int]) -> list[JsonObject]:
    return [{"units": "Participants",
             "counts": [{"groupId": group_id("OG", i), "value": str(n)} for i, n in enumerate(counts)]}]


def _cell(i: int, value: str, lower: str | None = None, upper: str | None = None) -> JsonObject:
    cell: JsonObject = {"groupId": group_id("OG", i), "value": value}
    if lower is not None:
        cell["lowerLimit"] = lower
    if upper is not None:
        cell["upperLimit"] = upper
    if NOT_ESTIMABLE in (value, lower, upper):
        cell["comment"] = "NA: not estimable (too few events at the data cut-off)"
    return cell


def _row(frame: pd.DataFrame, arm: str) -> Any:
    match = frame[frame["arm"] == arm]
    return None if match.empty else match.iloc[0]


def _measure(endpoint: Endpoint, outcome_type: str, groups: Sequence[ArmGroup], *, param: str,
             dispersion: str, unit: str, population: str, denoms: Sequence[int],
             categories: list[JsonObject], analyses: list[JsonObject]) -> JsonObject:
    return drop_empty({
        "type": outcome_type, "title": endpoint.title, "description": endpoint.description,
        "populationDescription": population, "reportingStatus": "POSTED", "paramType": param,
        "dispersionType": dispersion, "unitOfMeasure": unit, "timeFrame": endpoint.time_frame,
        "groups": groups_json("OG", groups), "denoms": _denoms(denoms),
        "classes": [{"categories": categories}], "analyses": analyses,
    })


def _all_groups(groups: Sequence[ArmGroup]) -> list[str]:
    return [group_id("OG", i) for i in range(len(groups))]


def _pfs6(a: TrialAnalysis, groups: Sequence[ArmGroup], e: Endpoint) -> JsonObject:
    lm = a.pfs6
    cells = [_cell(i, percent(lm.arms.loc[g.code, "survival"]), percent(lm.arms.loc[g.code, "lower_loglog"]),
                   percent(lm.arms.loc[g.code, "upper_loglog"])) for i, g in enumerate(groups)]
    analysis = drop_empty({
        "groupIds": _all_groups(groups), "nonInferiorityType": "SUPERIORITY",
        "pValue": p_value(lm.p_value), "statisticalMethod": "Z-test of Kaplan-Meier rates",
        "statisticalComment": f"Two-sided; Greenwood standard errors; landmark {a.landmark_days} days.",
        "paramType": "Difference in 6-month PFS rate (percentage points)",
        "paramValue": percent(lm.difference), "ciPctValue": "95", "ciNumSides": "TWO_SIDED",
        "ciLowerLimit": percent(lm.lower), "ciUpperLimit": percent(lm.upper),
        "estimateComment": f"{lm.experimental} minus {lm.control}; Wald interval.",
    })
    return _measure(e, "PRIMARY", groups, param="NUMBER", dispersion="CONFIDENCE_95",
                    unit="percentage of participants", population=ITT,
                    denoms=[int(lm.arms.loc[g.code, "n"]) for g in groups],
                    categories=[{"measurements": cells}], analyses=[analysis])


def _rate_endpoint(a: TrialAnalysis, name: str, criterion: Criterion) -> RateEndpoint:
    return next(r for r in a.rates if r.name == name and r.criterion is criterion)


def _rate(name: str, criterion: Criterion, outcome_type: str = "SECONDARY") -> Builder:
    def build(a: TrialAnalysis, groups: Sequence[ArmGroup], e: Endpoint) -> JsonObject:
        r = _rate_endpoint(a, name, criterion)
        rows = [_row(r.counts, g.code) for g in groups]
        cells = [_cell(i, percent(row["rate"]), percent(row["lower"]), percent(row["upper"]))
                 for i, row in enumerate(rows)]
        d = r.difference
        analysis = drop_empty({
            "groupIds": _all_groups(groups), "nonInferiorityType": "SUPERIORITY",
            "pValue": p_value(r.fisher.p_value), "statisticalMethod": "Fisher Exact",
            "paramType": "Risk Difference (RD)", "paramValue": percent(d.difference),
            "ciPctValue": "95", "ciNumSides": "TWO_SIDED", "ciLowerLimit": percent(d.lower),
            "ciUpperLimit": percent(d.upper),
            "estimateComment": f"{d.labels[0]} minus {d.labels[1]}, percentage points; Newcombe "
                               "hybrid-score interval.",
        })
        return _measure(e, outcome_type, groups, param="NUMBER", dispersion="CONFIDENCE_95",
                        unit="percentage of participants", population=ITT,
                        denoms=[int(row["n"]) for row in rows],
                        categories=[{"measurements": cells}], analyses=[analysis])
    return build


def _hazard_ratio(a: TrialAnalysis, s: SurvivalEndpoint, groups: Sequence[ArmGroup]) -> JsonObject:
    ci = s.cox.confidence_intervals_.iloc[0]
    test = s.stratified_logrank or s.logrank
    stratified = s.stratified_logrank is not None
    return drop_empty({
        "groupIds": _all_groups(groups), "nonInferiorityType": "SUPERIORITY",
        "pValue": p_value(test.p_value),
        "statisticalMethod": "Log Rank",
        "statisticalComment": ("Log-rank test stratified by the randomization factors"
                               if stratified else "Unstratified log-rank test"),
        "paramType": "Hazard Ratio (HR)", "paramValue": number(float(s.cox.hazard_ratios_.iloc[0]), 2),
        "ciPctValue": "95", "ciNumSides": "TWO_SIDED",
        "ciLowerLimit": number(float(ci.iloc[0]), 2), "ciUpperLimit": number(float(ci.iloc[1]), 2),
        "estimateComment": f"Cox proportional hazards (Efron ties), {a.experimental} versus "
                           f"{a.data.control_arm}; HR < 1 favours {a.experimental}.",
    })


def _median(medians: pd.DataFrame, groups: Sequence[ArmGroup]) -> tuple[list[JsonObject], list[int]]:
    cells, denoms = [], []
    for i, g in enumerate(groups):
        row = _row(medians, g.code)
        if row is None:
            denoms.append(0)
            continue
        denoms.append(int(row["n"]))
        cells.append(_cell(i, number(row["median_months"], 1), number(row["lower"], 1),
                           number(row["upper"], 1)))
    return cells, denoms


def _survival(pick: Callable[[TrialAnalysis], SurvivalEndpoint]) -> Builder:
    def build(a: TrialAnalysis, groups: Sequence[ArmGroup], e: Endpoint) -> JsonObject:
        s = pick(a)
        cells, denoms = _median(s.medians, groups)
        return _measure(e, "SECONDARY", groups, param="MEDIAN", dispersion="CONFIDENCE_95",
                        unit="months", population=ITT, denoms=denoms,
                        categories=[{"measurements": cells}], analyses=[_hazard_ratio(a, s, groups)])
    return build


def _dor(a: TrialAnalysis, groups: Sequence[ArmGroup], e: Endpoint) -> JsonObject:
    cells, denoms = _median(a.dor, groups) if not a.dor.empty else ([], [0] * len(groups))
    return _measure(e, "SECONDARY", groups, param="MEDIAN", dispersion="CONFIDENCE_95", unit="months",
                    population="Participants with an objective response per RECIST 1.1 (ITT population).",
                    denoms=denoms, categories=[{"measurements": cells}], analyses=[])


def _safety(a: TrialAnalysis, groups: Sequence[ArmGroup], e: Endpoint) -> JsonObject:
    arms = {s.arm: s for s in a.safety}
    rows = (("Any treatment-emergent adverse event", "any_ae"), ("Grade 3 or higher", "grade_3_or_more"),
            ("Serious", "serious"), ("Leading to discontinuation", "led_to_discontinuation"),
            ("Grade 5 (fatal)", "fatal"), ("HAIC procedure complication", "haic_procedure_complications"))
    categories = [{"title": title, "measurements": [
        {"groupId": group_id("OG", i), "value": str(getattr(arms[g.code], attr))}
        for i, g in enumerate(groups) if g.code in arms]} for title, attr in rows]
    return _measure(e, "SECONDARY", groups, param="COUNT_OF_PARTICIPANTS", dispersion="NA",
                    unit="Participants", population=SAFETY,
                    denoms=[arms[g.code].patients if g.code in arms else 0 for g in groups],
                    categories=categories, analyses=[])


BUILDERS: dict[str, Builder] = {
    "PFS6": _pfs6, "ORR_MRECIST": _rate("ORR", Criterion.MRECIST),
    "ORR_RECIST": _rate("ORR", Criterion.RECIST_1_1),
    "DCR": _rate("DCR", Criterion.RECIST_1_1), "PFS": _survival(lambda a: a.pfs),
    "OS": _survival(lambda a: a.os), "DOR": _dor, "SAFETY": _safety,
}
#: Analysed by the SAP but not registered as an outcome: posted as OTHER_PRE_SPECIFIED.
EXTRA = (
    (Endpoint("DCR_MRECIST", "secondary", "Disease control rate (CR + PR + SD) per mRECIST",
              "Proportion with best overall response CR, PR or SD per mRECIST", "mRECIST",
              "up to 24 months", None), _rate("DCR", Criterion.MRECIST, "OTHER_PRE_SPECIFIED")),
    (Endpoint("PFS_MRECIST", "secondary", "Progression-free survival per mRECIST", None, "mRECIST",
              "up to 24 months", None), _survival(lambda a: a.pfs_mrecist)),
)


def default_endpoints() -> tuple[Endpoint, ...]:
    """The built-in protocol's endpoints (used when no protocol is given)."""
    from oncotrial.protocol_files import load_default_protocol
    return load_default_protocol().endpoints


def outcome_measures(analysis: TrialAnalysis, groups: Sequence[ArmGroup], protocol: Protocol | None,
                     *, label: str | None = None) -> tuple[JsonObject, tuple[str, ...]]:
    """The ``outcomeMeasuresModule`` and the endpoint codes that have no results builder."""
    endpoints = protocol.endpoints if protocol else default_endpoints()
    measures, skipped = [], []
    for endpoint in endpoints:
        build = BUILDERS.get(endpoint.code)
        if build is None:
            skipped.append(endpoint.code)
            continue
        measures.append(build(analysis, groups, endpoint))
    for endpoint, build in EXTRA:
        measure = build(analysis, groups, endpoint)
        measure["type"] = "OTHER_PRE_SPECIFIED"
        measures.append(measure)
    if label:
        for m in measures:
            m["populationDescription"] = f"{label}. {m['populationDescription']}"
    return {"outcomeMeasures": measures}, tuple(skipped)
