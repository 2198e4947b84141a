"""Properties of the dose decision that must hold for every input.

* the dose never exceeds the protocol dose (same BSA and rounding rule);
* reductions are monotone: a decision never raises the dose level, and worse counts or a
  higher AE grade never give a larger dose today;
* toripalimab is never reduced;
* a hold is never followed by a dose without a new decision (:class:`DrugCourse`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncotrial.core.dosing import (
    Action,
    AdverseEvent,
    AeCategory,
    BsaPolicy,
    CourseStatus,
    DecisionRequest,
    DoseBanding,
    Drug,
    DrugCourse,
    DrugState,
    ImmuneMediated,
    RoundingRule,
    decide,
)
from oncotrial.core.dosing.decision import DrugDecision
from oncotrial.core.errors import DomainError
from oncotrial.core.units import Measurand, measure
from support.dose_inputs import lab, protocol

DRUGS = list(Drug)
LOWEST = {Drug.OXALIPLATIN: -1, Drug.GEMCITABINE: -1, Drug.TORIPALIMAB: 0}


@st.composite
def adverse_events(draw: st.DrawFn) -> AdverseEvent:
    return AdverseEvent(
        term="event", grade=draw(st.integers(0, 5)), category=draw(st.sampled_from(list(AeCategory))),
        related_to=frozenset(draw(st.sets(st.sampled_from(DRUGS), max_size=2))),
        immune_mediated=draw(st.sampled_from(list(ImmuneMediated))), persistent=draw(st.booleans()),
        occurrence=draw(st.integers(1, 3)), life_threatening=draw(st.sampled_from([None, True, False])),
        acted_on=draw(st.booleans()), steroid_days=draw(st.none() | st.integers(0, 120)),
        prednisone_mg_per_day=draw(st.none() | st.floats(0, 60)))


@st.composite
def requests(draw: st.DrawFn) -> DecisionRequest:
    arm = protocol().arm(draw(st.sampled_from(["HAIC", "GEMOX"])))
    baseline = draw(st.floats(40, 120))
    levels = {d: DrugState(level=draw(st.integers(LOWEST.get(d, -3 if baseline >= 60 else -2), 0)))
              for d in DRUGS}
    values = {"NEUT": draw(st.floats(0, 10)), "PLAT": draw(st.floats(0, 500)),
              "BILI": draw(st.floats(1, 100)), "ALB": draw(st.floats(15, 55)),
              "PROT24H": draw(st.floats(0, 6)), "ALT": draw(st.floats(5, 800)),
              "AST": draw(st.floats(5, 800))}
    rounding = draw(st.sampled_from([RoundingRule(), RoundingRule(5.0), RoundingRule(
        banding=DoseBanding(tuple(float(x) for x in range(50, 4001, 50))))]))
    return DecisionRequest(
        arm=arm, cycle=draw(st.integers(1, 10)), day=draw(st.sampled_from([1, 8, 15])),
        height=measure(Measurand.HEIGHT, draw(st.floats(140, 200)), "cm"),
        weight=measure(Measurand.WEIGHT, baseline * draw(st.floats(0.8, 1.2)), "kg"),
        baseline_weight=measure(Measurand.WEIGHT, baseline, "kg"),
        labs={Measurand(k): lab(k, v) for k, v in values.items()},
        baseline_labs={Measurand.ALT: lab("ALT", draw(st.floats(5, 250))), Measurand.AST: lab("AST", 30)},
        uln={Measurand.ALT: 40.0, Measurand.AST: 40.0, Measurand.BILIRUBIN: 20.0},
        adverse_events=tuple(draw(st.lists(adverse_events(), max_size=4))),
        states=levels, haic_delay_days=draw(st.integers(0, 40)),
        haic_technically_feasible=draw(st.booleans()),
        liver_tumour_involvement=draw(st.booleans()),
        max_chemotherapy_cycles=draw(st.none() | st.integers(1, 8)),
        bsa_policy=BsaPolicy(cap_m2=draw(st.sampled_from([None, 2.0]))), rounding=rounding)


def _today(d: DrugDecision) -> float:
    return d.dose.dose_mg if d.dose is not None else 0.0


@settings(max_examples=300, deadline=None)
@given(requests())
def test_the_dose_never_exceeds_the_protocol_dose(req: DecisionRequest):
    for d in decide(req).drugs:
        if d.dose is None:
            assert d.action in (Action.HOLD, Action.DISCONTINUE, Action.NOT_DUE)
            continue
        assert d.action in (Action.GIVE, Action.REDUCE)
        assert d.dose.amount <= d.protocol_dose.amount and d.dose.fraction <= 1
        if req.rounding.banding is None:
            assert d.dose.dose_mg <= d.protocol_dose.dose_mg
        else:
            assert d.dose.dose_mg <= d.protocol_dose.calculated_mg * 1.05 + 1e-9


@settings(max_examples=300, deadline=None)
@given(requests())
def test_a_decision_never_raises_the_level_and_never_reduces_toripalimab(req: DecisionRequest):
    for d in decide(req).drugs:
        if d.level is not None:
            assert d.level <= req.state(d.drug).level
        if d.drug is Drug.TORIPALIMAB:
            assert d.action is not Action.REDUCE and d.level in (0, None)
            assert d.dose is None or d.dose.dose_mg == 240


@settings(max_examples=200, deadline=None)
@given(requests(), st.floats(0, 3), st.floats(0, 3), st.floats(0, 200), st.floats(0, 200))
def test_lower_counts_never_give_more_gemcitabine(req: DecisionRequest, anc_a: float, anc_b: float,
                                                   plt_a: float, plt_b: float):
    def gem(anc: float, plt: float) -> float:
        labs = {**req.labs, Measurand.NEUTROPHILS: lab("NEUT", anc), Measurand.PLATELETS: lab("PLAT", plt)}
        return _today(decide(replace(req, labs=labs, adverse_events=())).for_drug(Drug.GEMCITABINE))

    low = gem(min(anc_a, anc_b), min(plt_a, plt_b))
    assert low <= gem(max(anc_a, anc_b), max(plt_a, plt_b))


@settings(max_examples=300, deadline=None)
@given(requests(), adverse_events(), st.sampled_from(DRUGS))
def test_a_higher_grade_never_gives_a_larger_dose(req: DecisionRequest, event: AdverseEvent, drug: Drug):
    if event.grade == 5:
        return
    worse = replace(event, grade=event.grade + 1)
    milder_req = replace(req, adverse_events=(event,), rounding=RoundingRule())
    worse_req = replace(milder_req, adverse_events=(worse,))
    milder, worsened = decide(milder_req).for_drug(drug), decide(worse_req).for_drug(drug)
    assert _today(worsened) <= _today(milder)
    assert worsened.action.rank >= milder.action.rank or milder.action is Action.NOT_DUE


# --- the course ledger --------------------------------------------------------------------
_DAY0 = date(2024, 3, 4)


@settings(max_examples=300, deadline=None)
@given(requests(), st.lists(st.tuples(st.sampled_from(["decide", "dose"]), st.floats(0.1, 3000)),
                            max_size=12), st.sampled_from(DRUGS))
def test_a_hold_is_never_followed_by_a_dose_without_a_new_decision(req: DecisionRequest, steps, drug: Drug):
    course = DrugCourse(drug)
    last_decision: DrugDecision | None = None
    for i, (kind, mg) in enumerate(steps):
        on = _DAY0 + timedelta(days=i)
        if kind == "decide":
            decision = decide(replace(req, cycle=1 + i)).for_drug(drug)
            try:
                course = course.record_decision(decision, on)
            except DomainError:
                assert course.status is CourseStatus.DISCONTINUED
                continue
            if decision.action is not Action.NOT_DUE:
                last_decision = decision
            continue
        authorised = (last_decision is not None and course.status is CourseStatus.ACTIVE
                      and last_decision.action in (Action.GIVE, Action.REDUCE)
                      and last_decision.dose is not None and mg <= last_decision.dose.dose_mg)
        try:
            course = course.record_dose(on, mg)
            assert authorised
        except DomainError:
            assert not authorised


def _decision(action: Action, dose: float | None = None) -> DrugDecision:
    base = decide(_plain()).for_drug(Drug.LENVATINIB)
    if dose is None:
        return replace(base, action=action, dose=None, level=0 if action is Action.HOLD else None)
    return replace(base, action=action)


def _plain() -> DecisionRequest:
    from support.dose_inputs import request
    return request()


def test_after_a_hold_a_dose_needs_a_new_give_decision():
    course = DrugCourse(Drug.LENVATINIB).record_decision(_decision(Action.GIVE, 12), _DAY0)
    course = course.record_dose(_DAY0, 12)
    course = course.record_decision(_decision(Action.HOLD), _DAY0 + timedelta(days=1))
    with pytest.raises(DomainError, match="held"):
        course.record_dose(_DAY0 + timedelta(days=1), 12)
    course = course.record_decision(_decision(Action.GIVE, 12), _DAY0 + timedelta(days=5))
    assert course.record_dose(_DAY0 + timedelta(days=5), 12).status is CourseStatus.ACTIVE


def test_no_dose_before_any_decision_and_none_above_the_authorised_dose():
    with pytest.raises(DomainError):
        DrugCourse(Drug.LENVATINIB).record_dose(_DAY0, 12)
    course = DrugCourse(Drug.LENVATINIB).record_decision(_decision(Action.GIVE, 12), _DAY0)
    with pytest.raises(DomainError) as err:
        course.record_dose(_DAY0, 24)
    assert err.value.field == "dose.dose_mg"


def test_a_discontinued_drug_cannot_be_resumed_and_dates_go_forward():
    course = DrugCourse(Drug.LENVATINIB).record_decision(_decision(Action.DISCONTINUE), _DAY0)
    with pytest.raises(DomainError):
        course.record_decision(_decision(Action.GIVE, 12), _DAY0 + timedelta(days=1))
    active = DrugCourse(Drug.LENVATINIB).record_decision(_decision(Action.GIVE, 12), _DAY0)
    with pytest.raises(DomainError) as err:
        active.record_dose(_DAY0 - timedelta(days=1), 12)
    assert err.value.field == "dose.date"
