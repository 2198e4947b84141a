"""The pre-treatment decision: "OK to treat today?", per drug, with the rules that fired.

For one treatment day (:class:`~.request.DecisionRequest`) every table row that applies
to each drug is evaluated (:mod:`.drug_rules`); the most severe outcome decides:
discontinue > hold > reduce > give. Then:

* a **reduction** (today, or on resuming after a hold) moves one rung down the drug's
  ladder (:mod:`.levels`), once per decision however many rules ask for it [ASSUMP];
  when there is no lower rung the drug is **discontinued** (ladder exhausted);
* a **fraction** (gemcitabine 75 %) scales today's dose only; the lowest one applies;
* a gemcitabine **day-1 delay** delays the cycle: oxaliplatin is delayed too (BC Cancer
  [STD]) and toripalimab moves with the cycle (cycle-relative calendar [ASSUMP]);
  lenvatinib, taken daily, is not affected;
* a drug with no dose today is **not due**, unless a rule holds or stops it.

Doses are computed with :func:`.doses.calculate_dose`, so a dose is never above the
protocol dose at the same BSA (every level and fraction is ≤ the starting one).
"""

from __future__ import annotations

from dataclasses import dataclass

from oncotrial.core.dosing import drug_rules, tables
from oncotrial.core.dosing.body_size import DosingBsa, dosing_bsa
from oncotrial.core.dosing.doses import (
    CalculatedDose,
    calculate_dose,
    full_dose,
    regimen_drug,
    regimen_ladder,
)
from oncotrial.core.dosing.drugs import Drug
from oncotrial.core.dosing.haic import SWITCH_NOTE, TECHNICAL_FEASIBILITY
from oncotrial.core.dosing.levels import Ladder
from oncotrial.core.dosing.request import DecisionRequest
from oncotrial.core.dosing.table_types import Action, FiredRule, Outcome
from oncotrial.core.protocol.model import DrugRegimen, Route

DAY_ONE_TABLES = frozenset({tables.GEMCITABINE_D1_ANC.name, tables.GEMCITABINE_D1_PLATELETS.name})
HAIC_STOP_TABLES = frozenset({tables.HAIC_DELAY_DAYS.name, TECHNICAL_FEASIBILITY})
CYCLE_DELAY_SOURCE = {
    Drug.OXALIPLATIN: "BC Cancer: platinum delayed with gemcitabine; clinical-content.md §4.2 [STD]",
    Drug.TORIPALIMAB: "cycle-relative scheduling: day-1 drugs move with the cycle [ASSUMP]",
}


@dataclass(frozen=True, slots=True)
class DrugDecision:
    """The decision for one drug: the action, the level, today's dose and the rules."""

    drug: Drug
    route: Route
    action: Action
    level: int | None
    dose: CalculatedDose | None
    protocol_dose: CalculatedDose
    deciding: tuple[FiredRule, ...]
    rules: tuple[FiredRule, ...]

    @property
    def summary(self) -> str:
        if self.action in (Action.GIVE, Action.REDUCE) and self.dose is not None:
            return f"{self.action.value}: {self.dose.describe()}"
        if self.action is Action.HOLD:
            return f"hold; resume at level {self.level}"
        if self.action is Action.NOT_DUE:
            return f"not due today (level {self.level})"
        return "discontinue"


@dataclass(frozen=True, slots=True)
class TreatmentDecision:
    """The decision for every drug of the arm on one treatment day."""

    arm: str
    cycle: int
    day: int
    bsa: DosingBsa
    drugs: tuple[DrugDecision, ...]
    cycle_delayed: bool
    notes: tuple[str, ...]

    def for_drug(self, drug: Drug) -> DrugDecision:
        return next(d for d in self.drugs if d.drug is drug)


def _rules_for(drug: Drug, regimen: DrugRegimen, req: DecisionRequest, due: bool) -> list[FiredRule]:
    if drug is Drug.GEMCITABINE:
        return drug_rules.gemcitabine_rules(regimen, req, due=due)
    if drug is Drug.OXALIPLATIN:
        return drug_rules.oxaliplatin_rules(regimen, req, due=due)
    if drug is Drug.LENVATINIB:
        return drug_rules.lenvatinib_rules(req)
    return drug_rules.toripalimab_rules(req)


def _no_rule(drug: Drug, regimen: DrugRegimen) -> FiredRule:
    return FiredRule(drug, "no modification", "no dose-modification row applies",
                     Outcome(Action.GIVE, "give the full dose of the current level"),
                     regimen.source or "protocol regimen")


def _decide_drug(regimen: DrugRegimen, ladder: Ladder, rules: list[FiredRule], not_due: FiredRule | None,
                 req: DecisionRequest, bsa: DosingBsa) -> DrugDecision:
    drug = regimen_drug(regimen)
    state = req.state(drug)
    ceiling = full_dose(regimen, bsa, rounding=req.rounding)
    if state.discontinued:
        stopped = FiredRule(drug, "current state", "discontinued before today",
                            Outcome(Action.DISCONTINUE, "already discontinued"), "current_levels")
        return DrugDecision(drug, regimen.route, Action.DISCONTINUE, None, None, ceiling, (stopped,),
                            (stopped,))
    current = ladder.at(state.level, field=f"current_levels.{drug.value}")
    evaluated = rules or [_no_rule(drug, regimen)]
    worst = max(evaluated, key=lambda r: r.outcome.severity)
    action = worst.outcome.action
    deciding = sorted((r for r in evaluated if r.outcome.action is action or (
        action is Action.HOLD and r.outcome.action is Action.REDUCE and r.outcome.step_down)),
        key=lambda r: r.outcome.severity, reverse=True)
    level = current
    if action in (Action.REDUCE, Action.HOLD) and any(r.outcome.step_down for r in deciding):
        lower = ladder.below(current.level)
        if lower is None:
            exhausted = FiredRule(drug, ladder.name, f"no level below {current.describe()}",
                                  Outcome(Action.DISCONTINUE, "reduction ladder exhausted: discontinue"),
                                  ladder.source)
            return DrugDecision(drug, regimen.route, Action.DISCONTINUE, None, None, ceiling,
                                (exhausted, *deciding), (*evaluated, exhausted))
        level = lower
    all_rules = tuple(evaluated) if not_due is None else (*evaluated, not_due)
    if not_due is not None and action in (Action.GIVE, Action.REDUCE):
        return DrugDecision(drug, regimen.route, Action.NOT_DUE, level.level, None, ceiling,
                            (not_due,), all_rules)
    if action in (Action.HOLD, Action.DISCONTINUE):
        shown = level.level if action is Action.HOLD else None
        return DrugDecision(drug, regimen.route, action, shown, None, ceiling, tuple(deciding), all_rules)
    fraction = min((r.outcome.fraction for r in deciding if r.outcome.action is action), default=1.0)
    dose = calculate_dose(regimen, level, bsa, rounding=req.rounding, fraction=fraction,
                          source=ladder.source)
    return DrugDecision(drug, regimen.route, action, level.level, dose, ceiling, tuple(deciding), all_rules)


def _cycle_delay(drug: Drug, gem_rules: list[FiredRule]) -> FiredRule | None:
    delay = next((r for r in gem_rules if r.table in DAY_ONE_TABLES and r.outcome.action is Action.HOLD),
                 None)
    if delay is None or drug not in CYCLE_DELAY_SOURCE:
        return None
    return FiredRule(drug, "cycle delay", f"gemcitabine day-1 delay ({delay.condition})",
                     Outcome(Action.HOLD, "cycle delayed: give with the delayed day 1"),
                     CYCLE_DELAY_SOURCE[drug])


def decide(req: DecisionRequest) -> TreatmentDecision:
    """Decide give / reduce / hold / discontinue for every drug of ``req.arm`` today.

    Raises
    ------
    DomainError
        For invalid measurements, a level outside a drug's ladder, or a lab a rule needs
        that is missing (``labs.NEUT`` on a gemcitabine day, ``labs.ALB`` before HAIC …).
    """
    bsa = dosing_bsa(req.height, req.baseline_weight, req.weight, req.bsa_policy)
    plans = []
    for regimen in req.arm.regimen:
        drug = regimen_drug(regimen)
        not_due = drug_rules.schedule_rule(drug, regimen, req)
        plans.append((regimen, drug, not_due, _rules_for(drug, regimen, req, not_due is None)))
    gem_rules = next((rules for _, drug, _, rules in plans if drug is Drug.GEMCITABINE), [])
    decisions = []
    band_weight = bsa.reference_weight_kg if req.starting_weight is None else req.starting_weight.value
    for regimen, drug, not_due, rules in plans:
        delay = _cycle_delay(drug, gem_rules) if not_due is None else None
        ladder = regimen_ladder(regimen, band_weight)
        decisions.append(_decide_drug(regimen, ladder, [*rules, *([delay] if delay else [])],
                                      not_due, req, bsa))
    delayed = any(r.table in DAY_ONE_TABLES and r.outcome.action is Action.HOLD for r in gem_rules)
    notes = []
    haic_stop = any(d.route is Route.HEPATIC_ARTERIAL_INFUSION
                    and d.action in (Action.HOLD, Action.DISCONTINUE)
                    and any(r.table in HAIC_STOP_TABLES for r in d.deciding) for d in decisions)
    if haic_stop:
        notes.append(SWITCH_NOTE)
    if delayed:
        notes.append("gemcitabine day-1 counts delay the cycle: every later cycle shifts (calendar)")
    return TreatmentDecision(req.arm.code, req.cycle, req.day, bsa, tuple(decisions), delayed, tuple(notes))
