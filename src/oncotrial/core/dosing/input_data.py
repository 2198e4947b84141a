"""Build a :class:`~.request.DecisionRequest` from plain data (docs/dose-input.md).

Every measured value carries its unit; unknown fields, unknown drugs and units, and
implausible values are refused with an error naming the field (e.g.
``adverse_events[0].related_to[1]``). Nothing is assumed when absent, except the
documented defaults (level 0, HAIC delay 0, liver involvement true, Mosteller BSA,
no cap, 10 % recompute threshold, nearest 1 mg).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from oncotrial.core.calculators.bsa import BsaFormula
from oncotrial.core.dosing.adverse_events import AdverseEvent, AeCategory, ImmuneMediated
from oncotrial.core.dosing.body_size import BsaPolicy
from oncotrial.core.dosing.drugs import Drug, parse_drug
from oncotrial.core.dosing.request import DecisionRequest, DrugState
from oncotrial.core.dosing.rounding import DoseBanding, RoundingMode, RoundingRule
from oncotrial.core.errors import DomainError
from oncotrial.core.protocol.model import Protocol
from oncotrial.core.protocol.reader import Reader
from oncotrial.core.reference_ranges import reference_range
from oncotrial.core.units import Measurand, Measurement, measure, parse_measurand

FIELDS = frozenset({
    "arm", "cycle", "day", "height", "weight", "baseline_weight", "labs", "baseline_labs",
    "reference_ranges", "adverse_events", "current_levels", "haic", "liver_tumour_involvement",
    "max_chemotherapy_cycles", "bsa", "rounding", "patient_id", "simulated", "comment",
})
AE_FIELDS = frozenset({
    "term", "grade", "category", "related_to", "immune_mediated", "persistent", "occurrence",
    "life_threatening", "acted_on", "steroid_days", "prednisone_mg_per_day",
})
DISCONTINUED = "discontinued"


def dose_request_from_data(data: Mapping[str, object] | object, protocol: Protocol) -> DecisionRequest:
    """Validate a dose-input document against ``protocol`` and return the request."""
    r = Reader(data, "")
    r.reject_unknown(FIELDS)
    codes = tuple(a.code for a in protocol.arms)
    arm = protocol.arm(r.choice("arm", codes))
    if r.has("max_chemotherapy_cycles"):
        limit: int | None = r.integer("max_chemotherapy_cycles", minimum=1)
    else:
        limit = _protocol_limit(protocol)
    haic = r.child("haic") if r.has("haic") else Reader({}, "haic")
    haic.reject_unknown({"delay_days", "technically_feasible"})
    return DecisionRequest(
        arm=arm,
        cycle=r.integer("cycle", minimum=1),
        day=r.integer("day", minimum=1, maximum=arm.cycle_length_days),
        height=_body(r, "height", Measurand.HEIGHT),
        weight=_body(r, "weight", Measurand.WEIGHT),
        baseline_weight=_body(r, "baseline_weight", Measurand.WEIGHT),
        labs=_labs(r, "labs"),
        baseline_labs=_labs(r, "baseline_labs"),
        uln=_uln(r),
        adverse_events=tuple(_ae(x) for x in r.items("adverse_events", allow_empty=True))
        if r.has("adverse_events") else (),
        states=_states(r),
        haic_delay_days=haic.integer("delay_days", minimum=0, default=0),
        haic_technically_feasible=haic.boolean("technically_feasible", default=True),
        liver_tumour_involvement=r.boolean("liver_tumour_involvement", default=True),
        max_chemotherapy_cycles=limit,
        bsa_policy=_bsa(r),
        rounding=_rounding(r),
    )


def _protocol_limit(protocol: Protocol) -> int | None:
    try:
        value = protocol.assumption("max_chemotherapy_cycles")
    except KeyError:
        return None
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise DomainError("protocol.assumptions.max_chemotherapy_cycles", value, "a number ≥ 1 or null")
    return value


def _body(r: Reader, key: str, measurand: Measurand) -> Measurement:
    b = r.child(key)
    b.reject_unknown({"value", "unit", "date"})
    return measure(measurand, b.raw("value"), b.raw("unit") if b.has("unit") else None,
                   collected_on=b.optional_date("date"), field=b.path)


def _labs(r: Reader, key: str) -> Mapping[Measurand, Measurement]:
    if not r.has(key):
        return MappingProxyType({})
    found: dict[Measurand, Measurement] = {}
    for x in r.items(key, allow_empty=True):
        x.reject_unknown({"test", "value", "unit", "date"})
        measurand = parse_measurand(x.raw("test"), field=f"{x.path}.test")
        if measurand in found:
            raise DomainError(f"{x.path}.test", measurand.value, "one result per test")
        found[measurand] = measure(measurand, x.raw("value"), x.raw("unit") if x.has("unit") else None,
                                   collected_on=x.optional_date("date"), field=f"{x.path}({measurand.value})")
    return MappingProxyType(found)


def _uln(r: Reader) -> Mapping[Measurand, float]:
    if not r.has("reference_ranges"):
        return MappingProxyType({})
    limits: dict[Measurand, float] = {}
    for x in r.items("reference_ranges", allow_empty=True):
        x.reject_unknown({"test", "lln", "uln", "unit"})
        measurand = parse_measurand(x.raw("test"), field=f"{x.path}.test")
        found = reference_range(measurand, x.raw("lln") if x.has("lln") else None,
                                x.raw("uln") if x.has("uln") else None,
                                x.raw("unit") if x.has("unit") else None, field=x.path)
        if found.uln is not None:
            limits[measurand] = found.uln
    return MappingProxyType(limits)


def _ae(x: Reader) -> AdverseEvent:
    x.reject_unknown(AE_FIELDS)
    related = frozenset(parse_drug(d.value, field=d.path) for d in x.items("related_to", allow_empty=True)) \
        if x.has("related_to") else frozenset()
    return AdverseEvent(
        term=x.string("term"),
        grade=x.integer("grade", minimum=0, maximum=5),
        category=AeCategory(x.choice("category", tuple(c.value for c in AeCategory), default="other")),
        related_to=related,
        immune_mediated=ImmuneMediated(x.choice("immune_mediated", tuple(i.value for i in ImmuneMediated),
                                                default="no")),
        persistent=x.boolean("persistent", default=False),
        occurrence=x.integer("occurrence", minimum=1, default=1),
        life_threatening=x.boolean("life_threatening") if x.has("life_threatening") else None,
        acted_on=x.boolean("acted_on", default=False),
        steroid_days=x.integer("steroid_days", minimum=0) if x.has("steroid_days") else None,
        prednisone_mg_per_day=x.number("prednisone_mg_per_day", minimum=0, maximum=2000)
        if x.has("prednisone_mg_per_day") else None,
    )


def _states(r: Reader) -> Mapping[Drug, DrugState]:
    if not r.has("current_levels"):
        return MappingProxyType({})
    states: dict[Drug, DrugState] = {}
    for name, x in r.entries("current_levels"):
        drug = parse_drug(name, field=x.path)
        if x.value == DISCONTINUED:
            states[drug] = DrugState(discontinued=True)
            continue
        level = x.value
        if isinstance(level, bool) or not isinstance(level, int) or level > 0:
            raise DomainError(x.path, level, 'a dose level 0, -1, -2 … or "discontinued"')
        states[drug] = DrugState(level=level)
    return MappingProxyType(states)


def _bsa(r: Reader) -> BsaPolicy:
    if not r.has("bsa"):
        return BsaPolicy()
    b = r.child("bsa")
    b.reject_unknown({"formula", "cap_m2", "recompute_threshold_percent"})
    return BsaPolicy(
        formula=BsaFormula(b.choice("formula", tuple(f.value for f in BsaFormula), default="mosteller")),
        cap_m2=b.number("cap_m2", minimum=1, maximum=3) if b.has("cap_m2") else None,
        recompute_threshold=b.number("recompute_threshold_percent", minimum=1, maximum=50) / 100
        if b.has("recompute_threshold_percent") else 0.10,
    )


def _positive_mg(d: Reader) -> float:
    value = d.value
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1e6:
        raise DomainError(d.path, value, "a positive dose in mg")
    return float(value)


def _rounding(r: Reader) -> RoundingRule:
    if not r.has("rounding"):
        return RoundingRule()
    x = r.child("rounding")
    x.reject_unknown({"increment_mg", "mode", "banding"})
    banding = None
    if x.has("banding"):
        b = x.child("banding")
        b.reject_unknown({"doses_mg", "max_deviation_percent"})
        doses = tuple(_positive_mg(d) for d in b.items("doses_mg"))
        deviation = b.number("max_deviation_percent", minimum=0.1, maximum=10) / 100 \
            if b.has("max_deviation_percent") else 0.05
        banding = DoseBanding(doses, deviation)
    return RoundingRule(
        increment_mg=x.number("increment_mg", strictly_positive=True) if x.has("increment_mg") else 1.0,
        mode=RoundingMode(x.choice("mode", tuple(m.value for m in RoundingMode), default="nearest")),
        banding=banding,
    )
