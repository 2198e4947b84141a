"""Build eligibility rules from protocol data (``rule: {type: lab, ...}``)."""

from __future__ import annotations

from collections.abc import Callable

from oncotrial.core.eligibility.comparison import Operator
from oncotrial.core.eligibility.rules import (
    Attestation,
    ChildPughClassIn,
    ConditionPresent,
    ConditionWithin,
    ConsentGiven,
    EcogIn,
    LabThreshold,
    LabUlnMultiple,
    MeasurableLesions,
    MinimumAge,
    NumberFact,
    Rule,
)
from oncotrial.core.protocol.reader import Reader
from oncotrial.core.units import parse_measurand, to_canonical

OPERATORS = tuple(o.value for o in Operator)


def _lab(r: Reader) -> Rule:
    r.reject_unknown({"type", "test", "operator", "value", "unit"})
    measurand = parse_measurand(r.raw("test"), field=f"{r.path}.test")
    threshold = to_canonical(measurand, r.raw("value"), r.raw("unit"), field=r.path)
    return LabThreshold(measurand, Operator(r.choice("operator", OPERATORS)), threshold)


def _lab_uln(r: Reader) -> Rule:
    r.reject_unknown({"type", "test", "operator", "multiple"})
    measurand = parse_measurand(r.raw("test"), field=f"{r.path}.test")
    return LabUlnMultiple(measurand, Operator(r.choice("operator", OPERATORS)),
                          r.number("multiple", strictly_positive=True))


def _attestation(r: Reader) -> Rule:
    r.reject_unknown({"type", "fact"})
    return Attestation(r.string("fact"))


def _condition(r: Reader) -> Rule:
    r.reject_unknown({"type", "fact"})
    return ConditionPresent(r.string("fact"))


def _condition_within(r: Reader) -> Rule:
    r.reject_unknown({"type", "fact", "days"})
    return ConditionWithin(r.string("fact"), r.integer("days", minimum=1))


def _number_fact(r: Reader) -> Rule:
    r.reject_unknown({"type", "fact", "operator", "value"})
    return NumberFact(r.string("fact"), Operator(r.choice("operator", OPERATORS)), r.number("value"))


def _age(r: Reader) -> Rule:
    r.reject_unknown({"type", "operator", "years"})
    return MinimumAge(Operator(r.choice("operator", OPERATORS)),
                      r.integer("years", minimum=0, maximum=120))


def _ecog(r: Reader) -> Rule:
    r.reject_unknown({"type", "allowed"})
    return EcogIn(r.integers("allowed", minimum=0, maximum=5))


def _child_pugh(r: Reader) -> Rule:
    r.reject_unknown({"type", "allowed"})
    allowed = r.strings("allowed")
    for i, a in enumerate(allowed):
        if a not in ("A", "B", "C"):
            raise r.error(f"{r.path}.allowed[{i}]", a, "one of A, B, C")
    return ChildPughClassIn(allowed)


def _measurable(r: Reader) -> Rule:
    r.reject_unknown({"type", "minimum"})
    return MeasurableLesions(r.integer("minimum", minimum=1))


def _consent(r: Reader) -> Rule:
    r.reject_unknown({"type"})
    return ConsentGiven()


RULE_TYPES: dict[str, Callable[[Reader], Rule]] = {
    "lab": _lab,
    "lab_uln": _lab_uln,
    "attestation": _attestation,
    "condition": _condition,
    "condition_within": _condition_within,
    "number_fact": _number_fact,
    "age": _age,
    "ecog": _ecog,
    "child_pugh_class": _child_pugh,
    "measurable_lesions": _measurable,
    "consent": _consent,
}


def rule_from_data(r: Reader) -> Rule:
    """Build the rule described at ``r`` or raise a DomainError naming the bad field."""
    kind = r.choice("type", tuple(RULE_TYPES))
    return RULE_TYPES[kind](r)
