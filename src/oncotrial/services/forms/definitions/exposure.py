"""``exposure``: one treatment day: core's dose decision per drug, then what was administered.

Derived (core :func:`oncotrial.core.dosing.decide`, clinical-content.md §4; protocol
NCT07304388 regimen): for every drug of the subject's arm, the action (give, reduce,
hold, discontinue, not due), the dose level, the prescribed dose and the table rows that
decided it (``rules``, each with its source). The decision reads:

* the arm (randomization) and ``cycle``/``day``;
* the latest ``vitals`` on or before the administration date: height, weight and the
  reference weight of the ≥10 % BSA rule (clinical-content.md §3.6);
* the latest ``labs`` within the protocol's pre-cycle lab window (``PRE_CYCLE_LABS``:
  3 days before the treatment day), the site's ULNs and the screening labs as baseline;
* the adverse events ongoing that day, with their per-drug attribution and immune flag
  (an AE that began before the previous treatment day was already acted on);
* each drug's level after the previous treatment day (``levels_after``);
* the HAIC delay so far and whether repeat catheterisation is feasible.

``administered`` (doses actually given) may be saved only after a pharmacist verified the
prescription (:func:`oncotrial.services.record_states.do_verify_dose`); a change of the
derived prescription voids that verification.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from types import MappingProxyType
from typing import Any, Final

from oncotrial.core.calendar import protocol_chemotherapy_limit
from oncotrial.core.dosing import (
    Action,
    AdverseEvent,
    AeCategory,
    DecisionRequest,
    Drug,
    DrugState,
    ImmuneMediated,
    decide,
)
from oncotrial.core.errors import DomainError
from oncotrial.core.units import Measurand, measure
from oncotrial.persistence.models import FormRecord
from oncotrial.services.forms.builders import (
    as_date,
    before,
    boolean,
    choice,
    day,
    decimal,
    integer,
    table,
    text,
)
from oncotrial.services.forms.context import FormContext
from oncotrial.services.forms.definitions import labs
from oncotrial.services.forms.definitions.adverse_event import related_drugs
from oncotrial.services.forms.spec import Check, FieldError, FormSpec, Severity

CODE = "exposure"
DRUGS: Final = tuple(d.value for d in Drug)
DISCONTINUED: Final = "discontinued"
DOSE_TOLERANCE: Final = 0.05
"""Administered dose differing from the prescribed one by more than 5 % opens a query [ASSUMP]."""


def _lab_window_days(ctx: FormContext) -> int:
    found = next((a for a in ctx.protocol.assessments if a.code == "PRE_CYCLE_LABS"), None)
    return 3 if found is None else int(found.window_minus_days)


LOOKBACK_DAYS: Final = 60
"""Vitals and the previous treatment day are almost always within two months; else all are read."""


def _vitals(ctx: FormContext, on: Any) -> FormRecord:
    """The latest vitals record on or before ``on`` with a BSA (weight and height)."""
    usable: list[FormRecord] = []
    for lookback in (LOOKBACK_DAYS, None):
        since = None if lookback is None else on - timedelta(days=lookback)
        dated = before(ctx.records("vitals", since=since, until=on), "assessment_date", on)
        usable = [r for r in dated if r.derived.get("bsa_m2")]
        if usable:
            break
    if not usable:
        raise DomainError(
            "administration_date",
            on.isoformat(),
            "a date on or after a vitals record with weight and height (the dose needs the BSA)",
        )
    return usable[-1]


def _labs(ctx: FormContext, on: Any) -> tuple[FormRecord | None, dict[Measurand, Any]]:
    start = on - timedelta(days=_lab_window_days(ctx))
    found = [
        r
        for r in before(ctx.records("labs", since=start, until=on), "collection_date", on)
        if (d := as_date(r.data.get("collection_date"))) is not None and d >= start
    ]
    if not found:
        return None, {}
    return found[-1], labs.measurements(found[-1].data)


def _adverse_events(ctx: FormContext, on: Any, previous_day: Any) -> tuple[AdverseEvent, ...]:
    events = []
    for r in ctx.records("adverse_event"):
        onset, resolved = as_date(r.data.get("onset_date")), as_date(r.data.get("resolution_date"))
        if onset is None or onset > on or (resolved is not None and resolved < on):
            continue
        events.append(
            AdverseEvent(
                term=str(r.data["term"]),
                grade=int(r.data["grade"]),
                category=AeCategory(r.data.get("category", "other")),
                related_to=frozenset(Drug(d) for d in related_drugs(r.data)),
                immune_mediated=ImmuneMediated(r.data.get("immune_related", "no")),
                occurrence=int(r.data.get("occurrence", 1)),
                acted_on=previous_day is not None and onset < previous_day,
            )
        )
    return tuple(events)


def _previous(ctx: FormContext, on: Any) -> FormRecord | None:
    """The latest exposure record before ``on`` (dose levels carry over from it)."""
    for lookback in (LOOKBACK_DAYS, None):
        since = None if lookback is None else on - timedelta(days=lookback)
        earlier = before(ctx.records(CODE, since=since, until=on), "administration_date", on, inclusive=False)
        if earlier:
            return earlier[-1]
    return None


def _states(previous: FormRecord | None) -> Mapping[Drug, DrugState]:
    if previous is None:
        return MappingProxyType({})
    states = {}
    for name, level in previous.derived.get("levels_after", {}).items():
        states[Drug(name)] = (
            DrugState(discontinued=True) if level == DISCONTINUED else DrugState(level=int(level))
        )
    return MappingProxyType(states)


def derive(ctx: FormContext, data: Mapping[str, Any]) -> dict[str, Any]:
    if ctx.arm is None:
        raise DomainError(
            "subject", ctx.subject.subject_id, "a randomized subject (the dose decision needs the arm)"
        )
    on = as_date(data["administration_date"])
    assert on is not None
    recent = (on - timedelta(days=LOOKBACK_DAYS), on)
    ctx.preload(  # one query for the windows read below (same rows as separate reads)
        {
            "vitals": recent,
            "labs": (on - timedelta(days=_lab_window_days(ctx)), on),
            CODE: recent,
            "adverse_event": (None, None),
        }
    )
    vitals = _vitals(ctx, on)
    labs_record, today_labs = _labs(ctx, on)
    previous = _previous(ctx, on)
    previous_day = None if previous is None else as_date(previous.data.get("administration_date"))
    ranges = ctx.reference_ranges
    uln = {m: r.uln for m, r in ranges.ranges.items() if r.uln is not None}
    request = DecisionRequest(
        arm=ctx.protocol.arm(ctx.arm),
        cycle=int(data["cycle"]),
        day=int(data["day"]),
        height=measure(Measurand.HEIGHT, vitals.derived["height_cm"], "cm"),
        weight=measure(Measurand.WEIGHT, vitals.derived["weight_kg"], "kg"),
        baseline_weight=measure(Measurand.WEIGHT, vitals.derived["reference_weight_kg"], "kg"),
        starting_weight=ctx.screening_measurement("weight", Measurand.WEIGHT),
        labs=MappingProxyType(today_labs),
        baseline_labs=MappingProxyType(dict(ctx.baseline_labs)),
        uln=MappingProxyType(uln),
        adverse_events=_adverse_events(ctx, on, previous_day),
        states=_states(previous),
        haic_delay_days=int(data.get("haic_delay_days", 0)),
        haic_technically_feasible=bool(data.get("haic_technically_feasible", True)),
        max_chemotherapy_cycles=protocol_chemotherapy_limit(ctx.protocol),
    )
    decision = decide(request)
    drugs: dict[str, Any] = {}
    prescription: dict[str, Any] = {}
    levels_after: dict[str, Any] = dict(previous.derived.get("levels_after", {})) if previous else {}
    for d in decision.drugs:
        dose_mg = None if d.dose is None else d.dose.dose_mg
        drugs[d.drug.value] = {
            "action": d.action.value,
            "level": d.level,
            "prescribed_dose_mg": dose_mg,
            "summary": d.summary,
            "protocol_dose_mg": d.protocol_dose.dose_mg,
            "route": d.route.value,
            "rules": [
                {
                    "table": r.table,
                    "condition": r.condition,
                    "outcome": r.outcome.text,
                    "action": r.outcome.action.value,
                    "source": r.source,
                    "adverse_event": r.adverse_event,
                    "text": r.describe(),
                }
                for r in d.deciding
            ],
        }
        prescription[d.drug.value] = [d.action.value, d.level, dose_mg]
        if d.action is Action.DISCONTINUE:
            levels_after[d.drug.value] = DISCONTINUED
        elif d.level is not None:
            levels_after[d.drug.value] = d.level
    return {
        "arm": decision.arm,
        "bsa_m2": round(decision.bsa.bsa_m2, 4),
        "bsa_rule": decision.bsa.rule,
        "cycle_delayed": decision.cycle_delayed,
        "notes": list(decision.notes),
        "drugs": drugs,
        "prescription": prescription,
        "levels_after": levels_after,
        "vitals_record": vitals.pk,
        "labs_record": None if labs_record is None else labs_record.pk,
        "source": "core dosing decide(): clinical-content.md §4; protocol NCT07304388",
    }


def _rows(ctx: FormContext, data: Mapping[str, Any]) -> list[FieldError]:
    errors: list[FieldError] = []
    seen: set[str] = set()
    for i, row in enumerate(data.get("administered", [])):
        drug = row.get("drug")
        if drug in seen:
            errors.append(FieldError(f"administered[{i}].drug", drug, "one row per drug"))
        seen.add(drug)
        if row.get("interrupted") is True and not row.get("interruption_reason"):
            errors.append(
                FieldError(
                    f"administered[{i}].interruption_reason",
                    None,
                    "a reason when the administration was interrupted",
                )
            )
    visit = ctx.visit
    if (
        visit is not None
        and visit.cycle is not None
        and visit.day is not None
        and (data.get("cycle"), data.get("day")) != (visit.cycle, visit.day)
    ):
        errors.append(
            FieldError(
                "cycle", data.get("cycle"), f"cycle {visit.cycle} day {visit.day} (the visit {visit.code})"
            )
        )
    return errors


def administered_warnings(data: Mapping[str, Any], derived: Mapping[str, Any]) -> list[FieldError]:
    """Doses given that differ from the prescription by > 5 %, or given while held/discontinued."""
    warnings = []
    drugs = derived.get("drugs", {})
    for i, row in enumerate(data.get("administered", [])):
        decided = drugs.get(row.get("drug"), {})
        given, prescribed = row.get("dose_mg"), decided.get("prescribed_dose_mg")
        path = f"administered[{i}].dose_mg"
        if given is None:
            continue
        if prescribed is None and given > 0:
            warnings.append(
                FieldError(
                    path,
                    given,
                    f"a dose given although the decision was "
                    f"{decided.get('action', 'unknown')}: please confirm",
                )
            )
        elif prescribed and abs(given - prescribed) > DOSE_TOLERANCE * prescribed:
            warnings.append(
                FieldError(
                    path, given, f"a dose within 5 % of the prescribed {prescribed:g} mg: please confirm"
                )
            )
    return warnings


FORM = FormSpec(
    code=CODE,
    title="Study drug exposure",
    visit_bound=True,
    repeating=False,
    date_field="administration_date",
    pharmacist_fields=("administered",),
    fields=(
        day("administration_date", "Treatment date", required=True),
        integer("cycle", "Cycle", required=True, minimum=1, maximum=200),
        integer("day", "Cycle day", required=True, minimum=1, maximum=21),
        integer("haic_delay_days", "Days HAIC has been delayed so far", minimum=0, maximum=365),
        boolean("haic_technically_feasible", "Repeat catheterisation technically feasible"),
        table(
            "administered",
            "Doses administered (after pharmacist verification)",
            (
                choice("drug", "Drug", DRUGS, required=True),
                decimal("dose_mg", "Dose given (mg)", required=True, minimum=0, maximum=5000),
                boolean("interrupted", "Infusion interrupted or drug paused"),
                text("interruption_reason", "Reason of the interruption", max_length=300),
                integer("infusion_minutes", "Infusion duration (min)", minimum=0, maximum=720),
            ),
            max_rows=len(DRUGS),
        ),
        text("comment", "Comment", max_length=2000),
    ),
    derive=derive,
    checks=(
        Check("exposure_rows", Severity.HARD, "one row per drug; interruption reasons; visit day", _rows),
    ),
    derived_warnings=(("exposure_dose_differs", administered_warnings),),
)
