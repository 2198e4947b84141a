"""Build a :class:`~oncotrial.core.protocol.model.Protocol` from plain data, validating it.

Every problem raises :class:`~oncotrial.core.errors.ProtocolError` naming the field
path, the value found and what is accepted. Unknown fields are rejected so that a
misspelt key is never silently ignored.
"""

from __future__ import annotations

from collections.abc import Mapping

from oncotrial.core.eligibility.rule_data import rule_from_data
from oncotrial.core.errors import DomainError, ProtocolError
from oncotrial.core.protocol.model import (
    Arm,
    Assessment,
    Assumption,
    Criterion,
    CriterionKind,
    Design,
    Dose,
    DoseBasis,
    DrugRegimen,
    Eligibility,
    Endpoint,
    Identification,
    Protocol,
    RandomizationSettings,
    Route,
    Schedule,
    ScheduleType,
    Site,
    Stratification,
    StratificationFactor,
    WeightBand,
)
from oncotrial.core.protocol.reader import Reader

SCHEMA_VERSION = 1

#: Parameters the software needs and the registry record may leave open.
REQUIRED_ASSUMPTIONS = (
    "max_chemotherapy_cycles", "sd_minimum_days", "response_confirmation_required",
    "response_confirmation_min_days", "pfs_landmark_days", "lab_recency_days",
    "imaging_recency_days",
)


def parse_protocol(data: Mapping[str, object] | object) -> Protocol:
    """Validate ``data`` (as loaded from YAML/JSON/TOML) and return the typed protocol."""
    try:
        return _protocol(data)
    except ProtocolError:
        raise
    except DomainError as exc:  # e.g. a unit error inside an eligibility rule
        raise ProtocolError(exc.field, exc.value, exc.expected, exc.suggestion) from exc


def _protocol(data: object) -> Protocol:
    r = Reader(data, "", ProtocolError)
    r.reject_unknown({"schema_version", "identification", "design", "arms", "assessments",
                      "assumptions", "eligibility", "stratification", "randomization",
                      "endpoints"})
    version = r.integer("schema_version", minimum=SCHEMA_VERSION, maximum=SCHEMA_VERSION)
    arms = tuple(_arm(a) for a in r.items("arms"))
    _unique([a.code for a in arms], "arms", "code")
    if len(arms) < 2:
        raise ProtocolError("arms", len(arms), "at least two arms for a randomized trial")
    randomization = _randomization(r.child("randomization"), arms)
    endpoints = tuple(_endpoint(e) for e in r.items("endpoints"))
    _unique([e.code for e in endpoints], "endpoints", "code")
    if not any(e.type == "primary" for e in endpoints):
        raise ProtocolError("endpoints", [e.code for e in endpoints], "at least one primary endpoint")
    return Protocol(
        schema_version=version,
        identification=_identification(r.child("identification")),
        design=_design(r.child("design")),
        arms=arms,
        assessments=tuple(_assessment(a) for a in r.items("assessments")),
        assumptions=_assumptions(r),
        eligibility=_eligibility(r.child("eligibility")),
        stratification=_stratification(r.child("stratification")),
        randomization=randomization,
        endpoints=endpoints,
    )


def _unique(values: list[str], path: str, key: str) -> None:
    seen: set[str] = set()
    for i, v in enumerate(values):
        if v in seen:
            raise ProtocolError(f"{path}[{i}].{key}", v, f"a {key} not used earlier in {path}")
        seen.add(v)


def _identification(r: Reader) -> Identification:
    r.reject_unknown({"nct_id", "org_study_id", "brief_title", "acronym", "conditions",
                      "keywords", "sponsor", "responsible_party", "sites",
                      "registry_last_updated", "overall_status", "source"})
    nct = r.string("nct_id")
    if not (nct.startswith("NCT") and len(nct) == 11 and nct[3:].isdigit()):
        raise ProtocolError(f"{r.path}.nct_id", nct, "NCT followed by 8 digits")
    sites = tuple(
        Site(s.string("code"), s.string("name"), s.optional_string("city"),
             s.optional_string("country"))
        for s in (r.items("sites") if r.has("sites") else [])
    )
    return Identification(
        nct_id=nct, org_study_id=r.optional_string("org_study_id"),
        brief_title=r.string("brief_title"), acronym=r.optional_string("acronym"),
        conditions=r.strings("conditions"),
        keywords=r.strings("keywords") if r.has("keywords") else (),
        sponsor=r.string("sponsor"), responsible_party=r.optional_string("responsible_party"),
        sites=sites, registry_last_updated=r.optional_date("registry_last_updated"),
        overall_status=r.optional_string("overall_status"), source=r.optional_string("source"),
    )


def _design(r: Reader) -> Design:
    r.reject_unknown({"study_type", "phase", "allocation", "intervention_model",
                      "primary_purpose", "masking", "target_enrollment", "start_date",
                      "completion_date"})
    return Design(
        study_type=r.choice("study_type", ("INTERVENTIONAL",)),
        phase=r.choice("phase", ("EARLY_PHASE1", "PHASE1", "PHASE1_PHASE2", "PHASE2",
                                 "PHASE2_PHASE3", "PHASE3", "PHASE4")),
        allocation=r.choice("allocation", ("RANDOMIZED",)),
        intervention_model=r.choice("intervention_model", ("PARALLEL", "CROSSOVER", "FACTORIAL")),
        primary_purpose=r.string("primary_purpose"),
        masking=r.choice("masking", ("NONE", "SINGLE", "DOUBLE", "TRIPLE", "QUADRUPLE")),
        target_enrollment=r.integer("target_enrollment", minimum=2),
        start_date=r.optional_date("start_date"),
        completion_date=r.optional_date("completion_date"),
    )


def _dose(r: Reader) -> Dose:
    r.reject_unknown({"basis", "amount", "bands", "assumption"})
    basis = DoseBasis(r.choice("basis", tuple(b.value for b in DoseBasis)))
    if basis is not DoseBasis.WEIGHT_BANDED_MG:
        if r.has("bands"):
            raise ProtocolError(f"{r.path}.bands", r.raw("bands"),
                                "no weight bands unless basis is weight_banded_mg")
        return Dose(basis, r.number("amount", strictly_positive=True),
                    assumption=r.optional_string("assumption"))
    if r.has("amount"):
        raise ProtocolError(f"{r.path}.amount", r.raw("amount"),
                            "no amount for a weight-banded dose (give it per band)")
    bands = []
    for b in r.items("bands"):
        b.reject_unknown({"min_kg", "below_kg", "amount"})
        low = b.number("min_kg", minimum=0) if b.has("min_kg") else None
        high = b.number("below_kg", strictly_positive=True) if b.has("below_kg") else None
        bands.append(WeightBand(low, high, b.number("amount", strictly_positive=True)))
    _check_weight_bands(bands, f"{r.path}.bands")
    return Dose(basis, None, tuple(bands), r.optional_string("assumption"))


def _check_weight_bands(bands: list[WeightBand], path: str) -> None:
    """Weight bands must cover [0, ∞) kg exactly once: no gap, no overlap."""
    ordered = sorted(bands, key=lambda b: b.min_kg or 0.0)
    edge = 0.0
    for b in ordered:
        low = b.min_kg or 0.0
        if low != edge:
            raise ProtocolError(path, [(x.min_kg, x.below_kg) for x in bands],
                                f"bands covering all weights exactly once (gap or overlap at {edge:g} kg)")
        if b.below_kg is None:
            edge = float("inf")
            continue
        if b.below_kg <= low:
            raise ProtocolError(path, (b.min_kg, b.below_kg), "below_kg greater than min_kg")
        edge = b.below_kg
    if edge != float("inf"):
        raise ProtocolError(path, [(x.min_kg, x.below_kg) for x in bands],
                            f"bands covering all weights (nothing covers ≥{edge:g} kg)")


def _regimen(r: Reader, cycle_length: int) -> DrugRegimen:
    r.reject_unknown({"drug", "route", "dose", "schedule", "infusion_minutes",
                      "infusion_minutes_assumption", "source"})
    s = r.child("schedule")
    s.reject_unknown({"type", "days"})
    stype = ScheduleType(s.choice("type", tuple(t.value for t in ScheduleType)))
    days = s.integers("days", minimum=1, maximum=cycle_length) if stype is ScheduleType.CYCLE_DAYS else ()
    if len(set(days)) != len(days):
        raise ProtocolError(f"{s.path}.days", list(days), "distinct cycle days")
    route = Route(r.choice("route", tuple(x.value for x in Route)))
    infusion = r.integer("infusion_minutes", minimum=1, maximum=24 * 60) \
        if r.has("infusion_minutes") else None
    return DrugRegimen(
        drug=r.string("drug"), route=route, dose=_dose(r.child("dose")),
        schedule=Schedule(stype, tuple(sorted(days))), infusion_minutes=infusion,
        infusion_minutes_assumption=r.optional_string("infusion_minutes_assumption"),
        source=r.optional_string("source"),
    )


def _arm(r: Reader) -> Arm:
    r.reject_unknown({"code", "label", "type", "allocation_weight", "cycle_length_days", "regimen"})
    cycle = r.integer("cycle_length_days", minimum=1, maximum=365)
    regimen = tuple(_regimen(x, cycle) for x in r.items("regimen"))
    _unique([x.drug for x in regimen], f"{r.path}.regimen", "drug")
    return Arm(
        code=r.string("code"), label=r.string("label"),
        type=r.choice("type", ("EXPERIMENTAL", "ACTIVE_COMPARATOR", "PLACEBO_COMPARATOR",
                               "NO_INTERVENTION", "OTHER")),
        allocation_weight=r.integer("allocation_weight", minimum=1, maximum=10),
        cycle_length_days=cycle, regimen=regimen,
    )


def _assessment(r: Reader) -> Assessment:
    r.reject_unknown({"code", "name", "anchor", "interval_days", "cycle_days",
                      "window_minus_days", "window_plus_days", "assumption"})
    anchor = r.choice("anchor", ("randomization", "cycle_day"))
    interval = r.integer("interval_days", minimum=1) if anchor == "randomization" else None
    cycle_days = r.integers("cycle_days", minimum=1) if anchor == "cycle_day" else ()
    return Assessment(
        code=r.string("code"), name=r.string("name"), anchor=anchor, interval_days=interval,
        cycle_days=cycle_days, window_minus_days=r.integer("window_minus_days", minimum=0),
        window_plus_days=r.integer("window_plus_days", minimum=0),
        assumption=r.optional_string("assumption"),
    )


def _assumptions(r: Reader) -> tuple[Assumption, ...]:
    out = []
    for name, a in r.entries("assumptions"):
        a.reject_unknown({"value", "rationale"})
        out.append(Assumption(name, a.raw("value"), a.string("rationale")))
    names = {a.name for a in out}
    for required in REQUIRED_ASSUMPTIONS:
        if required not in names:
            raise ProtocolError(f"assumptions.{required}", None,
                                "a value with its rationale (null allowed where open-ended)")
    checks = {"sd_minimum_days": 1, "response_confirmation_min_days": 1, "pfs_landmark_days": 1,
              "lab_recency_days": 0, "imaging_recency_days": 0}
    for item in out:
        value = Reader({"value": item.value}, f"assumptions.{item.name}", ProtocolError)
        if item.name in checks:
            value.integer("value", minimum=checks[item.name])
        if item.name == "max_chemotherapy_cycles" and item.value is not None:
            value.integer("value", minimum=1)
        if item.name in ("response_confirmation_required", "pfs_censor_without_adequate_assessment",
                         "pfs_censor_at_new_anticancer_therapy"):
            value.boolean("value")
        if item.name == "pfs_max_missed_assessments" and item.value is not None:
            value.integer("value", minimum=1)
    return tuple(out)


def _eligibility(r: Reader) -> Eligibility:
    r.reject_unknown({"minimum_age_years", "sex", "healthy_volunteers", "criteria"})
    criteria = []
    for c in r.items("criteria"):
        c.reject_unknown({"code", "kind", "text", "rule", "interpretation"})
        criteria.append(Criterion(
            code=c.string("code"),
            kind=CriterionKind(c.choice("kind", tuple(k.value for k in CriterionKind))),
            text=c.string("text"), rule=rule_from_data(c.child("rule")),
            interpretation=c.optional_string("interpretation"),
        ))
    _unique([c.code for c in criteria], f"{r.path}.criteria", "code")
    return Eligibility(
        minimum_age_years=r.integer("minimum_age_years", minimum=0, maximum=120),
        sex=r.choice("sex", ("ALL", "FEMALE", "MALE")),
        healthy_volunteers=r.boolean("healthy_volunteers"), criteria=tuple(criteria),
    )


def _stratification(r: Reader) -> Stratification:
    r.reject_unknown({"factors", "assumption"})
    factors = []
    for f in r.items("factors", allow_empty=True):
        f.reject_unknown({"code", "label", "attribute", "levels"})
        levels = f.strings("levels")
        if len(levels) < 2 or len(set(levels)) != len(levels):
            raise ProtocolError(f"{f.path}.levels", list(levels), "at least two distinct levels")
        factors.append(StratificationFactor(f.string("code"), f.string("label"),
                                            f.string("attribute"), levels))
    _unique([f.code for f in factors], f"{r.path}.factors", "code")
    return Stratification(tuple(factors), r.optional_string("assumption"))


def _randomization(r: Reader, arms: tuple[Arm, ...]) -> RandomizationSettings:
    r.reject_unknown({"scheme", "block_sizes", "minimization_probability", "assumption"})
    scheme = r.choice("scheme", ("permuted_blocks", "minimization"))
    sizes = r.integers("block_sizes", minimum=1)
    total = sum(a.allocation_weight for a in arms)
    for i, size in enumerate(sizes):
        if size % total:
            raise ProtocolError(f"{r.path}.block_sizes[{i}]", size,
                                f"a multiple of the allocation ratio total {total}")
    p = r.number("minimization_probability", minimum=0.5, maximum=1.0)
    return RandomizationSettings(scheme, tuple(sizes), p, r.optional_string("assumption"))


def _endpoint(r: Reader) -> Endpoint:
    r.reject_unknown({"code", "type", "title", "description", "criteria", "time_frame", "source"})
    return Endpoint(
        code=r.string("code"), type=r.choice("type", ("primary", "secondary")),
        title=r.string("title"), description=r.optional_string("description"),
        criteria=r.optional_string("criteria"), time_frame=r.optional_string("time_frame"),
        source=r.optional_string("source"),
    )
