"""Turn registry eligibility clauses into protocol rules, only where the wording is unambiguous.

A clause is coded when it matches one of a few fixed forms (a lab threshold with its
unit, a multiple of the upper limit of normal, ECOG, Child-Pugh class, measurable
disease, minimum age, life expectancy in months, informed consent) and the rule it
gives is accepted by :func:`oncotrial.core.eligibility.rule_data.rule_from_data`
(known test, accepted unit, plausible threshold). Anything else stays text with the
reason it was not coded: nothing is guessed. A bullet packing several conditions
("Adequate bone marrow function(white blood cell count ≥2,000cells/mm3, hemoglobin
> 9.0 g/dL, ...)") gives one criterion per condition, its text prefixed by the
heading ("Adequate bone marrow function: hemoglobin > 9.0 g/dL").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from oncotrial.core.eligibility.rule_data import rule_from_data
from oncotrial.core.errors import DomainError, ProtocolError
from oncotrial.core.protocol.reader import Reader
from oncotrial.core.units import Measurand, accepted_unit
from oncotrial.exports.ctgov.criteria_text import parenthesised_groups, split_top_level

RuleData = dict[str, Any]


@dataclass(frozen=True, slots=True)
class CodedClause:
    """One criterion drafted from the registry text: a rule, or the reason there is none."""

    text: str
    rule: RuleData | None
    reason: str | None = None
    interpretation: str | None = None


class NotCodedError(Exception):
    """The clause does not match a fixed form; ``str(exc)`` says why."""


_M = Measurand
LAB_NAMES: dict[str, tuple[Measurand, ...]] = {
    **dict.fromkeys(("white blood cell count", "white blood cells", "wbc", "leukocyte count",
                     "leukocytes", "white blood cell"), (_M.WBC,)),
    **dict.fromkeys(("absolute neutrophil count", "anc", "neutrophil count", "neutrophils"),
                    (_M.NEUTROPHILS,)),
    **dict.fromkeys(("platelet count", "platelets", "plt", "platelet"), (_M.PLATELETS,)),
    **dict.fromkeys(("hemoglobin", "haemoglobin", "hb", "hgb"), (_M.HEMOGLOBIN,)),
    **dict.fromkeys(("albumin", "serum albumin"), (_M.ALBUMIN,)),
    **dict.fromkeys(("total bilirubin", "bilirubin", "serum bilirubin", "tbil"), (_M.BILIRUBIN,)),
    **dict.fromkeys(("aspartate transaminase", "aspartate aminotransferase", "ast"), (_M.AST,)),
    **dict.fromkeys(("alanine transaminase", "alanine aminotransferase", "alt"), (_M.ALT,)),
    **dict.fromkeys(("aspartate and alanine transaminases", "aspartate and alanine aminotransferases",
                     "ast and alt", "ast/alt", "alt and ast", "alt/ast"), (_M.AST, _M.ALT)),
    **dict.fromkeys(("alkaline phosphatase", "alp"), (_M.ALP,)),
    **dict.fromkeys(("creatinine", "serum creatinine"), (_M.CREATININE,)),
    **dict.fromkeys(("pt", "prothrombin time"), (_M.PROTHROMBIN_TIME,)),
    **dict.fromkeys(("inr", "international normalized ratio"), (_M.INR,)),
}
_DIMENSIONLESS = {_M.INR}

_OPERATORS = {
    "≥": ">=", ">=": ">=", "=>": ">=", "≤": "<=", "<=": "<=", "=<": "<=", ">": ">", "<": "<",
    "less than": "<", "lower than": "<", "below": "<", "more than": ">", "greater than": ">",
    "higher than": ">", "above": ">", "at least": ">=", "no less than": ">=", "not less than": ">=",
    "at most": "<=", "no more than": "<=", "not more than": "<=", "not exceeding": "<=",
}
_OP = "(?P<op>" + "|".join(sorted((re.escape(k) for k in _OPERATORS), key=len, reverse=True)) + ")"
_NUM = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_NAME = r"(?P<name>[A-Za-z][A-Za-z0-9 /\-]*?)"
_COMPARISON = re.compile(r"[<>≤≥]|\b(?:less|more|greater|lower|higher) than\b|\bat (?:least|most)\b"
                         r"|upper limit of|\bULN\b", re.IGNORECASE)

_LAB = re.compile(rf"^{_NAME}\s*(?:(?:of|is|was)\s+)?{_OP}\s*{_NUM}\s*(?P<unit>[^\s,;()].*)?$", re.I)
_ULN = re.compile(rf"^{_NAME}\s*(?:(?:of|is|was)\s+)?{_OP}\s*(?P<num>\d+(?:\.\d+)?)\s*(?:times|x|×|-fold)\s*"
                  r"(?:the\s+)?(?:upper limits? of (?:the\s+)?normal|ULN)(?:\s*\(ULN\))?$", re.I)
_ECOG = re.compile(r"^(?:ECOG|Eastern Cooperative Oncology Group)(?:\s+performance status|\s+PS)?"
                   rf"(?:\s+score)?\s*(?:of\s+)?(?:(?P<a>[0-5])\s*(?:-|–|to|or)\s*(?P<b>[0-5])|{_OP}\s*(?P<n>[0-5])"
                   r"|(?P<single>[0-5]))$", re.I)
_CHILD_PUGH = re.compile(r"^Child[- ]Pugh(?:\s+(?:class|grade|score))?\s*"
                         r"(?P<classes>[ABC](?:\s*(?:,|or|and|/)\s*[ABC])*)$", re.I)
_MEASURABLE = re.compile(r"^(?:at least|≥|>=)\s*(?P<n>one|two|three|\d+)\s+measurable\s+"
                         r"(?:disease|lesions?|tumou?r lesions?|target lesions?)\b(?P<rest>.*)$", re.I)
_AGE = re.compile(r"^(?:minimum (?:eligible )?age|age)\s*:?\s*(?:(?P<op>≥|>=|>|at least)\s*)?"
                  r"(?P<n>\d+)\s*years?(?:\s+(?:or|and) (?:older|above))?$", re.I)
_LIFE = re.compile(rf"^life expectancy\s*(?:(?:of|is)\s+)?{_OP}\s*(?P<num>\d+(?:\.\d+)?)\s*months?$", re.I)
_CONSENT = re.compile(r"^(?:(?:written|signed|voluntary|voluntarily|give|given|provide|provided|"
                      r"willing|able|to|and)\s+)*informed consent(?:\s+form)?(?:\s+signed)?$", re.I)
_WORDS = {"one": 1, "two": 2, "three": 3}


def code_fragment(fragment: str) -> list[CodedClause]:
    """Code one ``;``-separated part of a registry bullet into one or more criteria."""
    groups, tail = parenthesised_groups(fragment)
    if not any(_COMPARISON.search(g.content) for g in groups):
        return [_code_atomic(fragment)]
    out: list[CodedClause] = []
    carried = ""
    for g in groups:
        if not _COMPARISON.search(g.content):
            carried += f"{g.heading}({g.content})"
            continue
        heading = _heading(carried + g.heading)
        carried = ""
        for item in split_top_level(g.content, ","):
            out.extend(_code_item(item, heading))
    rest = _heading(carried + tail)
    if rest:
        out.append(_code_atomic(rest))
    return out


def _heading(text: str) -> str:
    text = re.sub(r"^(?:and|or|,|;)\s+", "", text.strip(" ,;"), flags=re.I)
    return text.strip()


def _code_item(item: str, heading: str) -> list[CodedClause]:
    text = f"{heading}: {item}" if heading else item
    try:
        return [CodedClause(text, rule, None, note) for rule, note in code_clause(item)]
    except NotCodedError as why:
        return [CodedClause(text, None, str(why))]


def _code_atomic(fragment: str) -> CodedClause:
    """A clause on its own; ``Heading: clause`` (Oncotrial's own export) is read after the colon."""
    candidates = [fragment]
    if ": " in fragment:
        candidates.insert(0, fragment.rsplit(": ", 1)[1])
    reason = ""
    for candidate in candidates:
        try:
            coded = code_clause(candidate)
        except NotCodedError as why:
            reason = reason or str(why)
            continue
        if len(coded) == 1:
            return CodedClause(fragment, coded[0][0], None, coded[0][1])
        reason = "the clause names several tests; split it into one criterion per test"
    return CodedClause(fragment, None, reason)


def code_clause(clause: str) -> list[tuple[RuleData, str | None]]:
    """The rules a single clause states, each with an interpretation note; raise NotCodedError."""
    clause = " ".join(clause.split())
    for coder in _CODERS:
        coded = coder(clause)
        if coded is not None:
            for rule, _ in coded:
                _check(rule)
            return coded
    raise NotCodedError("matches none of the fixed forms Oncotrial codes; write the rule by hand")


def _check(rule: RuleData) -> None:
    try:
        rule_from_data(Reader(rule, "rule", ProtocolError))
    except DomainError as exc:
        raise NotCodedError(f"the coded rule {rule} is not accepted: {exc}") from None


def _number(text: str) -> int | float:
    value = float(text.replace(",", ""))
    return int(value) if value.is_integer() and "." not in text else value


def _lab_names(name: str) -> tuple[Measurand, ...]:
    key = " ".join(name.lower().split())
    found = LAB_NAMES.get(key) or LAB_NAMES.get(key.removeprefix("serum "))
    if found is None:
        raise NotCodedError(f"{name.strip()!r} is not a laboratory test Oncotrial codes "
                       f"(known: {', '.join(sorted({m.value for ms in LAB_NAMES.values() for m in ms}))})")
    return found


def _uln(clause: str) -> list[tuple[RuleData, str | None]] | None:
    m = _ULN.match(clause)
    if m is None:
        return None
    tests = _lab_names(m["name"])
    note = "one registry clause for two tests, coded as one rule per test" if len(tests) > 1 else None
    return [({"type": "lab_uln", "test": t.value, "operator": _OPERATORS[m["op"].lower()],
              "multiple": _number(m["num"])}, note) for t in tests]


def _lab(clause: str) -> list[tuple[RuleData, str | None]] | None:
    m = _LAB.match(clause)
    if m is None:
        return None
    tests = _lab_names(m["name"])
    unit_text = (m["unit"] or "").strip()
    out: list[tuple[RuleData, str | None]] = []
    for test in tests:
        if not unit_text and test not in _DIMENSIONLESS:
            raise NotCodedError(f"the threshold of {m['name'].strip()!r} has no unit; none is assumed")
        try:
            unit = accepted_unit(test, unit_text or "1", field="rule")
        except DomainError as exc:
            raise NotCodedError(str(exc)) from None
        out.append(({"type": "lab", "test": test.value, "operator": _OPERATORS[m["op"].lower()],
                     "value": _number(m["num"]), "unit": unit}, None))
    return out


def _ecog(clause: str) -> list[tuple[RuleData, str | None]] | None:
    m = _ECOG.match(clause)
    if m is None:
        return None
    if m["a"] is not None:
        low, high = int(m["a"]), int(m["b"])
        if low > high:
            raise NotCodedError(f"ECOG range {low}-{high} runs backwards")
        allowed = list(range(low, high + 1))
    elif m["n"] is not None:
        n, op = int(m["n"]), _OPERATORS[m["op"].lower()]
        allowed = [g for g in range(6) if _compare(g, op, n)]
    else:
        allowed = [int(m["single"])]
    return [({"type": "ecog", "allowed": allowed}, None)]


def _compare(a: int, op: str, b: int) -> bool:
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def _child_pugh(clause: str) -> list[tuple[RuleData, str | None]] | None:
    m = _CHILD_PUGH.match(clause)
    if m is None:
        return None
    classes = sorted(set(re.findall(r"[ABC]", m["classes"].upper())))
    return [({"type": "child_pugh_class", "allowed": classes}, None)]


def _measurable(clause: str) -> list[tuple[RuleData, str | None]] | None:
    m = _MEASURABLE.match(clause)
    if m is None:
        return None
    n = _WORDS.get(m["n"].lower()) or int(m["n"])
    rest = m["rest"]
    note = None if re.search(r"RECIST\s*v?1\.1", rest) and "mRECIST" not in rest else \
        "measurability is checked per RECIST 1.1"
    return [({"type": "measurable_lesions", "minimum": n}, note)]


def _age(clause: str) -> list[tuple[RuleData, str | None]] | None:
    m = _AGE.match(clause)
    if m is None:
        return None
    op = ">" if m["op"] == ">" else ">="
    return [({"type": "age", "operator": op, "years": int(m["n"])}, None)]


def _life_expectancy(clause: str) -> list[tuple[RuleData, str | None]] | None:
    m = _LIFE.match(clause)
    if m is None:
        return None
    return [({"type": "number_fact", "fact": "life_expectancy_months",
              "operator": _OPERATORS[m["op"].lower()], "value": _number(m["num"])}, None)]


def _consent(clause: str) -> list[tuple[RuleData, str | None]] | None:
    return [({"type": "consent"}, None)] if _CONSENT.match(clause) else None


_CODERS: tuple[Callable[[str], list[tuple[RuleData, str | None]] | None], ...] = (
    _consent, _ecog, _child_pugh, _measurable, _age, _life_expectancy, _uln, _lab,
)
