"""The rules of each drug applied to one treatment day: every table row that applies.

Each function returns the :class:`~.table_types.FiredRule` of every table evaluated for
one drug; :mod:`.decision` combines them. Drug-specific readings:

* lenvatinib: a grade 4 laboratory abnormality judged not life-threatening
  (``life_threatening`` false) is managed as grade 3 (LENVIMA HCC table footnote [STD]);
  the proteinuria rule reads today's urine protein (g/24 h);
* toripalimab: immune hepatitis is decided on AST/ALT and bilirubin as multiples of
  ULN (LOQTORZI table 2), with or without tumour involvement of the liver; the
  12-week corticosteroid rule applies to immune AEs with ``steroid_days``;
* gemcitabine: counts on day 1 (delay) and day 8 (omit) decide; haematological AEs
  add nothing ("adjust only for the day the CBC is drawn", BC Cancer);
* oxaliplatin: AE tables, plus the HAIC criteria when it is given intra-arterially.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from oncotrial.core.dosing import tables
from oncotrial.core.dosing.adverse_events import AdverseEvent, AeCategory
from oncotrial.core.dosing.drugs import Drug
from oncotrial.core.dosing.haic import assess_haic, required_lab
from oncotrial.core.dosing.request import DecisionRequest
from oncotrial.core.dosing.table_types import Action, FiredRule, GradeTable, Outcome, ValueBand, ValueTable
from oncotrial.core.errors import DomainError
from oncotrial.core.protocol.model import DrugRegimen, Route
from oncotrial.core.units import Measurand


def without_step(outcome: Outcome) -> Outcome:
    """The outcome for an AE already acted on: it may hold or stop, never step down again."""
    if outcome.step_down == 0:
        return outcome
    if outcome.action is Action.REDUCE:
        return Outcome(Action.GIVE, "already reduced for this adverse event: give the current level")
    return replace(outcome, step_down=0, text=outcome.text + " (level already reduced for this AE)")


def grade_rule(drug: Drug, table: GradeTable, ae: AdverseEvent, *, grade: int | None = None,
               note: str = "") -> FiredRule:
    """The row of ``table`` for ``ae`` (persistent and recurrent variants applied)."""
    g = ae.grade if grade is None else grade
    band = table.find(g)
    outcome = band.outcome
    variants = [v for v, on in ((band.persistent, ae.persistent), (band.recurrent, ae.recurrent))
                if v is not None and on]
    if variants:
        outcome = max(variants, key=lambda o: o.severity)
    if ae.acted_on:
        outcome = without_step(outcome)
    flags = "".join(f", {f}" for f, on in (("persistent", ae.persistent),
                                            (f"occurrence {ae.occurrence}", ae.recurrent),
                                            ("already acted on", ae.acted_on)) if on)
    condition = f"{ae.term} grade {ae.grade}{flags}{note} in {band.interval()}"
    return FiredRule(drug, table.name, condition, outcome, table.source, ae.term)


def value_rule(drug: Drug, table: ValueTable, value: float, *, ae: AdverseEvent | None = None,
               shown: str | None = None) -> FiredRule:
    band: ValueBand = table.find(value)
    outcome = band.recurrent if band.recurrent is not None and ae is not None and ae.recurrent \
        else band.outcome
    if ae is not None and ae.acted_on:
        outcome = without_step(outcome)
    text = shown or f"{value:g} {table.unit}"
    return FiredRule(drug, table.name, f"{table.quantity} {text} in {band.interval()}", outcome,
                     table.source, ae.term if ae else None)


def schedule_rule(drug: Drug, regimen: DrugRegimen, req: DecisionRequest) -> FiredRule | None:
    """A NOT_DUE rule when the drug has no dose today, else ``None``."""
    limit = req.max_chemotherapy_cycles
    if drug.is_chemotherapy and limit is not None and req.cycle > limit:
        return FiredRule(drug, "maximum chemotherapy cycles", f"cycle {req.cycle} > {limit}",
                         Outcome(Action.NOT_DUE, "protocol maximum number of chemotherapy cycles reached"),
                         "protocol parameter max_chemotherapy_cycles")
    if regimen.schedule.days and req.day not in regimen.schedule.days:
        days = ", ".join(str(d) for d in regimen.schedule.days)
        return FiredRule(drug, "schedule", f"day {req.day} is not a dosing day (days {days})",
                         Outcome(Action.NOT_DUE, "no dose scheduled today"), regimen.source or "protocol")
    return None


def _ae_rules(drug: Drug, req: DecisionRequest,
              by_category: Mapping[AeCategory, GradeTable | None], default: GradeTable) -> list[FiredRule]:
    rules: list[FiredRule] = []
    for ae in req.adverse_events:
        if not ae.concerns(drug):
            continue
        table = by_category.get(ae.category, default)
        if table is not None:
            rules.append(grade_rule(drug, table, ae))
    return rules


def gemcitabine_rules(regimen: DrugRegimen, req: DecisionRequest, *, due: bool) -> list[FiredRule]:
    drug = Drug.GEMCITABINE
    rules = _ae_rules(drug, req, tables.GEMCITABINE_BY_CATEGORY, tables.CHEMO_NON_HAEMATOLOGICAL)
    if due:
        first_day = req.day == regimen.schedule.days[0]
        anc_table, plt_table = ((tables.GEMCITABINE_D1_ANC, tables.GEMCITABINE_D1_PLATELETS) if first_day
                                else (tables.GEMCITABINE_D8_ANC, tables.GEMCITABINE_D8_PLATELETS))
        why = f"for the gemcitabine day-{req.day} thresholds"
        rules.append(value_rule(drug, anc_table, required_lab(req.labs, Measurand.NEUTROPHILS, why)))
        rules.append(value_rule(drug, plt_table, required_lab(req.labs, Measurand.PLATELETS, why)))
    return rules


def oxaliplatin_rules(regimen: DrugRegimen, req: DecisionRequest, *, due: bool) -> list[FiredRule]:
    rules = _ae_rules(Drug.OXALIPLATIN, req, tables.OXALIPLATIN_BY_CATEGORY,
                      tables.CHEMO_NON_HAEMATOLOGICAL)
    if due and regimen.route is Route.HEPATIC_ARTERIAL_INFUSION:
        rules.extend(assess_haic(req.labs, delay_days=req.haic_delay_days,
                                 technically_feasible=req.haic_technically_feasible).rules)
    return rules


def lenvatinib_rules(req: DecisionRequest) -> list[FiredRule]:
    drug = Drug.LENVATINIB
    rules: list[FiredRule] = []
    proteinuria_ae: AdverseEvent | None = None
    for ae in req.adverse_events:
        if not ae.concerns(drug):
            continue
        if ae.category is AeCategory.PROTEINURIA:
            proteinuria_ae = ae
            continue
        table = tables.LENVATINIB_BY_CATEGORY.get(ae.category, tables.LENVATINIB_GENERAL)
        if ae.grade == 4 and ae.life_threatening is False:
            rules.append(grade_rule(drug, table, ae, grade=3,
                                    note=" (not life-threatening: managed as grade 3)"))
        else:
            rules.append(grade_rule(drug, table, ae))
    protein = req.labs.get(Measurand.URINE_PROTEIN_24H)
    if proteinuria_ae is not None and protein is None:
        required_lab(req.labs, Measurand.URINE_PROTEIN_24H, "for the lenvatinib proteinuria rule (2 g/24 h)")
    if protein is not None:
        rules.append(value_rule(drug, tables.LENVATINIB_PROTEINURIA, protein.value, ae=proteinuria_ae))
    return rules


def _uln_ratio(req: DecisionRequest, measurand: Measurand, *, baseline: bool) -> float | None:
    labs = req.baseline_labs if baseline else req.labs
    value, uln = labs.get(measurand), req.uln.get(measurand)
    return None if value is None or uln is None else value.value / uln


def _hepatitis_rules(req: DecisionRequest, ae: AdverseEvent) -> list[FiredRule]:
    drug = Drug.TORIPALIMAB
    where = "baseline_labs" if req.liver_tumour_involvement else "labs"
    ratios = [r for m in (Measurand.ALT, Measurand.AST)
              if (r := _uln_ratio(req, m, baseline=False)) is not None]
    bili = _uln_ratio(req, Measurand.BILIRUBIN, baseline=False)
    if not ratios or bili is None:
        missing = "labs.BILI" if ratios else "labs.ALT"
        raise DomainError(missing, None, "today's AST or ALT and total bilirubin with their ULN "
                          "(reference_ranges): required for immune-mediated hepatitis")
    ratio = max(ratios)
    liver = False
    transaminase = tables.TORIPALIMAB_HEPATITIS_NO_LIVER_AST_ALT
    if req.liver_tumour_involvement:
        base = [r for m in (Measurand.ALT, Measurand.AST)
                if (r := _uln_ratio(req, m, baseline=True)) is not None]
        if not base:
            raise DomainError(f"{where}.ALT", None, "the baseline AST or ALT with its ULN: required for "
                              "immune-mediated hepatitis with tumour involvement of the liver")
        transaminase = tables.TORIPALIMAB_HEPATITIS_LIVER_BY_BASELINE.select(max(base))
        liver = max(base) > 1
    bilirubin = (tables.TORIPALIMAB_HEPATITIS_LIVER_BILIRUBIN if liver
                 else tables.TORIPALIMAB_HEPATITIS_NO_LIVER_BILIRUBIN)
    return [value_rule(drug, transaminase, ratio, ae=ae, shown=f"AST/ALT {ratio:.3g}"),
            value_rule(drug, bilirubin, bili, ae=ae, shown=f"bilirubin {bili:.3g}")]


def toripalimab_rules(req: DecisionRequest) -> list[FiredRule]:
    drug = Drug.TORIPALIMAB
    rules: list[FiredRule] = []
    for ae in req.adverse_events:
        if not ae.concerns(drug):
            continue
        if ae.category is AeCategory.HEPATITIS and ae.grade > 0:
            rules.extend(_hepatitis_rules(req, ae))
        else:
            table = tables.TORIPALIMAB_BY_CATEGORY.get(ae.category, tables.TORIPALIMAB_OTHER_IMMUNE)
            rules.append(grade_rule(drug, table, ae))
        if ae.steroid_days is not None and ae.immune:
            days = value_rule(drug, tables.TORIPALIMAB_STEROID_DAYS, ae.steroid_days, ae=ae)
            if ae.grade >= 2 or days.outcome.action is Action.GIVE:
                rules.append(days)
            if ae.prednisone_mg_per_day is not None and days.outcome.action is not Action.GIVE:
                rules.append(value_rule(drug, tables.TORIPALIMAB_PREDNISONE, ae.prednisone_mg_per_day, ae=ae))
    return rules
