"""Screen failures that fail one *actual* protocol criterion, chosen by its rule type.

The failing value is derived from the criterion's own rule (threshold, operator, ULN
multiple, allowed values, fact name) in the protocol the caller loaded, so a changed
protocol file changes the failures. Each mutator changes only what its criterion
reads, and keeps the Child-Pugh inputs away from class C unless Child-Pugh is the
criterion, so that the candidate fails *only* the intended criterion (verified
against the core engine by :func:`oncotrial.synthetic.verification.screen_candidate`).

Failing values [ASSUMP]: a lab "≥/> threshold" gets 60–93 % of the threshold; a lab
"</≤ threshold" 102–125 % of it; "< k × ULN" gets 104–140 % of k × ULN; ECOG one above
the highest allowed (15 %: two above); Child-Pugh C = albumin 30.5–34.8 g/L +
bilirubin 34.5–50.5 µmol/L + INR < 1.7 + moderate–severe ascites + grade 1–2
encephalopathy (2+2+1+3+2 = 10 points); no measurable disease = every lesion below
the RECIST 1.1 limits; a dated history inside its window; a number fact 25–75 % of
its threshold; an attestation not given (resectable disease, other histology).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from oncotrial.core.eligibility.comparison import Operator
from oncotrial.core.eligibility.rules import (
    Attestation,
    ChildPughClassIn,
    ConditionPresent,
    ConditionWithin,
    EcogIn,
    LabThreshold,
    LabUlnMultiple,
    MeasurableLesions,
    MinimumAge,
    NumberFact,
)
from oncotrial.core.protocol.model import Criterion
from oncotrial.core.units import Measurand
from oncotrial.synthetic.draws import Draws
from oncotrial.synthetic.lesions import baseline_lesions
from oncotrial.synthetic.model import BaselineProfile, LabPanel, ScreenFailure, lab

M = Measurand
_CHILD_PUGH_LABS = (M.ALBUMIN, M.BILIRUBIN, M.INR)


def supported(criterion: Criterion) -> bool:
    """Whether a failure can be generated for this criterion's rule type."""
    return isinstance(
        criterion.rule,
        LabThreshold
        | LabUlnMultiple
        | EcogIn
        | ChildPughClassIn
        | MeasurableLesions
        | Attestation
        | ConditionWithin
        | NumberFact
        | MinimumAge,
    )


def _set_labs(b: BaselineProfile, values: dict[Measurand, float]) -> BaselineProfile:
    on = b.lab_date
    digits = {
        M.HEMOGLOBIN: 0,
        M.PLATELETS: 0,
        M.AST: 0,
        M.ALT: 0,
        M.CREATININE: 0,
        M.ALBUMIN: 1,
        M.BILIRUBIN: 1,
        M.PROTHROMBIN_TIME: 1,
    }
    new = tuple(
        lab(v.test, values[v.test], on, digits.get(v.test, 2)) if v.test in values else v
        for v in b.labs.values
    )
    return replace(b, labs=LabPanel(on, new))


def _cp_class_a_inputs(b: BaselineProfile, d: Draws, keep: Measurand | None) -> dict[Measurand, float]:
    """Child-Pugh lab inputs worth 1 point each (except ``keep``), so another failure stays alone."""
    values: dict[Measurand, float] = {}
    if keep is not M.ALBUMIN:
        values[M.ALBUMIN] = d.uniform(36.0, 45.0)
    if keep is not M.BILIRUBIN:
        values[M.BILIRUBIN] = d.uniform(5.0, min(30.0, 0.95 * b.ranges.uln(M.BILIRUBIN)))
    if keep is not M.INR:
        values[M.INR] = min(b.labs.value(M.INR), 1.2)
    return values


def _fail_lab(b: BaselineProfile, d: Draws, m: Measurand, value: float) -> BaselineProfile:
    values = {m: value}
    if m in _CHILD_PUGH_LABS or m is M.PROTHROMBIN_TIME:
        values.update(_cp_class_a_inputs(b, d, m))
        b = replace(b, ascites="none", encephalopathy="none")
    if m is M.WBC:
        values[M.NEUTROPHILS] = value * d.uniform(0.45, 0.65)
    return _set_labs(b, values)


def _fact(b: BaselineProfile, name: str, present: bool, on: date | None) -> BaselineProfile:
    facts = [f for f in b.facts if f[0] != name]
    facts.append((name, present, on))
    return replace(b, facts=tuple(facts))


def apply_failure(
    b: BaselineProfile, criterion: Criterion, d: Draws, *, screening_date: date
) -> tuple[BaselineProfile, ScreenFailure]:
    """Alter ``b`` so that it fails ``criterion`` (and nothing else)."""
    rule = criterion.rule
    if isinstance(rule, LabThreshold):
        if rule.operator in (Operator.GE, Operator.GT):
            value = rule.threshold * d.uniform(0.60, 0.93)
        else:
            value = rule.threshold * d.uniform(1.02, 1.25)
        b = _fail_lab(b, d, rule.measurand, value)
        why = f"{rule.measurand.value} {b.labs.value(rule.measurand):g} fails {rule.describe()}"
    elif isinstance(rule, LabUlnMultiple):
        value = b.ranges.uln(rule.measurand) * rule.multiple * d.uniform(1.04, 1.40)
        b = _fail_lab(b, d, rule.measurand, value)
        why = f"{rule.measurand.value} {b.labs.value(rule.measurand):g} fails {rule.describe()}"
    elif isinstance(rule, EcogIn):
        ecog = max(rule.allowed) + (2 if d.bernoulli(0.15) else 1)
        b = replace(b, ecog=min(ecog, 4))
        why = f"ECOG {b.ecog}"
    elif isinstance(rule, ChildPughClassIn):
        if "C" in rule.allowed:
            raise ValueError(f"{criterion.code}: Child-Pugh C is allowed; no failure can be generated")
        uln = b.ranges.uln(M.BILIRUBIN)
        b = _set_labs(
            b,
            {
                M.ALBUMIN: d.uniform(30.5, 34.8),
                M.BILIRUBIN: d.uniform(34.5, min(50.5, 2.9 * uln)),
                M.INR: min(b.labs.value(M.INR), 1.2),
            },
        )
        b = replace(b, ascites="moderate_severe", encephalopathy="grade_1_2", child_pugh_score=10)
        why = "Child-Pugh C (10 points: albumin 2, bilirubin 2, INR 1, ascites 3, encephalopathy 2)"
    elif isinstance(rule, MeasurableLesions):
        lesions = baseline_lesions(
            d,
            imaged_on=b.imaging_date,
            regional_nodes=b.regional_lymph_node_metastasis,
            distant=b.extrahepatic_metastasis,
            measurable=False,
        )
        b = replace(b, lesions=lesions)
        why = "no RECIST 1.1 measurable lesion (infiltrative disease, every lesion below 10 mm)"
    elif isinstance(rule, ConditionWithin):
        on = screening_date - timedelta(days=d.integer(1, max(1, rule.days - 1)))
        b = _fact(b, rule.fact, True, on)
        why = f"{rule.fact} on {on.isoformat()}"
    elif isinstance(rule, ConditionPresent):
        b = _fact(b, rule.fact, True, None)
        if rule.fact == "prior_anticancer_therapy":
            b = replace(b, disease_status="recurrent")
        why = f"{rule.fact} present"
    elif isinstance(rule, Attestation):
        b = _fact(b, rule.fact, False, None)
        if rule.fact == "unresectable_by_mdt":
            b = replace(b, resectable_by_mdt=True)
        if rule.fact == "histology_confirmed_icc":
            b = replace(b, histology="combined hepatocellular-cholangiocarcinoma")
        why = f"{rule.fact} not attested"
    elif isinstance(rule, NumberFact):
        if rule.operator in (Operator.LT, Operator.LE):
            value = round(rule.threshold * d.uniform(0.25, 0.75), 1)
        else:
            value = round(rule.threshold * d.uniform(1.3, 2.0) + 1.0, 1)
        b = replace(b, numbers=(*(n for n in b.numbers if n[0] != rule.fact), (rule.fact, value)))
        why = f"{rule.fact} = {value:g}"
    elif isinstance(rule, MinimumAge):
        age = rule.years - d.integer(1, 2)
        birth = screening_date - timedelta(days=365 * age + age // 4 + d.integer(10, 355))
        b = replace(b, age_years=age, birth_date=birth)
        why = f"age {age}"
    else:
        raise ValueError(f"{criterion.code}: no failure generator for rule {type(rule).__name__}")
    return b, ScreenFailure(criterion.code, f"{criterion.code} ({criterion.text}): {why}")


def enforce_lab_criteria(b: BaselineProfile, criteria: tuple[Criterion, ...]) -> BaselineProfile:
    """Move any screening lab that fails a lab criterion just inside its limit (eligible candidates)."""
    values: dict[Measurand, float] = {}
    for c in criteria:
        rule = c.rule
        if isinstance(rule, LabThreshold):
            limit, m = rule.threshold, rule.measurand
        elif isinstance(rule, LabUlnMultiple):
            limit, m = rule.multiple * b.ranges.uln(rule.measurand), rule.measurand
        else:
            continue
        current = values.get(m, b.labs.value(m))
        if not rule.operator.holds(current, limit):
            values[m] = limit * (1.03 if rule.operator in (Operator.GE, Operator.GT) else 0.97)
    return _set_labs(b, values) if values else b
