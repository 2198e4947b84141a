"""Read and validate scenario files; every error names the full path of the bad field.

The format is documented in ``docs/simulation.md``; the built-in scenarios live in
``oncotrial/simulation/scenarios/*.yaml``. Parsing reuses :class:`oncotrial.core.protocol.reader.Reader`.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
import math
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from oncotrial.core.errors import DomainError
from oncotrial.core.protocol.reader import Reader
from oncotrial.core.randomization.minimization import ImbalanceMethod, MinimizationDesign
from oncotrial.simulation.distributions import (
    DistributionKind,
    EventDistribution,
    rate_from_survival,
    weibull_scale_from_survival,
)
from oncotrial.simulation.errors import ScenarioError
from oncotrial.simulation.maxcombo_design import ArmLaw, Planning
from oncotrial.simulation.outcome_calibration import response_multipliers
from oncotrial.simulation.scenario import (
    MINIMIZATION_ARMS,
    Accrual,
    AccrualTiming,
    Allocation,
    AllocationMethod,
    Analysis,
    CutKind,
    Response,
    Scenario,
    StatTest,
    Stratum,
)
from oncotrial.simulation.scenario_bounds import read_bounds
from oncotrial.simulation.scenario_outcomes import read_overall_survival, read_response
from oncotrial.simulation.strata_calibration import calibrate_strata

FORMAT = "oncotrial.simulation_scenario"
_TOP = {"format", "version", "name", "title", "simulated", "notes", "seed", "replications", "patients",
        "accrual", "allocation", "strata", "calibrate_strata", "control", "experimental", "dropout",
        "analysis", "bounds", "grid", "check_null", "response", "overall_survival"}


def builtin_names() -> list[str]:
    """Names of the scenarios shipped with Oncotrial."""
    folder = resources.files("oncotrial.simulation") / "scenarios"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def load_builtin(name: str) -> dict[str, Any]:
    """Raw data of a built-in scenario."""
    if name not in builtin_names():
        raise ScenarioError("--builtin", name, "one of " + ", ".join(builtin_names()))
    text = (resources.files("oncotrial.simulation") / "scenarios" / f"{name}.yaml").read_text("utf-8")
    return _yaml(text, f"builtin {name}")


def load_file(path: Path) -> dict[str, Any]:
    """Raw data of a scenario file (YAML or JSON)."""
    if not path.is_file():
        raise ScenarioError("scenario", str(path), "an existing YAML file")
    return _yaml(path.read_text("utf-8"), str(path))


def _yaml(text: str, where: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScenarioError(where, "unreadable YAML", "a well-formed YAML document", str(exc)) from None
    if not isinstance(data, dict):
        raise ScenarioError(where, data, "a mapping of scenario fields")
    return data


def expand_grid(data: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The scenarios of the ``grid`` (cartesian product of dotted-path overrides), or just ``data``."""
    grid = data.get("grid")
    base = {k: v for k, v in data.items() if k != "grid"}
    if not grid:
        return [(str(base.get("name", "scenario")), base)]
    r = Reader(grid, "grid", ScenarioError)
    axes = [(str(path), r.items(str(path))) for path in r.mapping()]
    out = []
    for combo in itertools.product(*(vals for _, vals in axes)):
        d = copy.deepcopy(base)
        labels = []
        for (path, _), value in zip(axes, combo, strict=True):
            _set_path(d, path, value.value, f"grid.{path}")
            labels.append(f"{path}={value.value}")
        d["name"] = f"{base.get('name', 'scenario')} [{', '.join(labels)}]"
        out.append((d["name"], d))
    return out


def _set_path(d: dict[str, Any], path: str, value: object, where: str) -> None:
    keys = path.split(".")
    node: Any = d
    for k in keys[:-1]:
        if not isinstance(node, dict) or k not in node or not isinstance(node[k], dict):
            raise ScenarioError(where, path, "a dotted path to an existing field of the scenario")
        node = node[k]
    node[keys[-1]] = value


def parse_scenario(data: Mapping[str, Any]) -> Scenario:
    """Validate ``data`` (one scenario, no grid) and build the :class:`Scenario`."""
    r = Reader(data, "", ScenarioError)
    r.reject_unknown(_TOP)
    if r.has("format") and r.string("format") != FORMAT:
        raise ScenarioError("format", r.raw("format"), FORMAT)
    n = r.integer("patients", minimum=4, maximum=1024)
    accrual = read_accrual(r.child("accrual"), n)  # fields are checked in the order of the documentation
    allocation = read_allocation(r.child("allocation")) if r.has("allocation") else Allocation()
    strata = read_strata(r)
    if allocation.method is AllocationMethod.MINIMIZATION:
        allocation = with_minimization(r.child("allocation"), allocation, strata)
    control = read_distribution(r.child("control"), None)
    experimental = read_distribution(r.child("experimental"), control)
    dropout = read_dropout(r) if r.has("dropout") else (0.0, 0.0)
    analysis = read_analysis(r.child("analysis"), n)
    if r.boolean("calibrate_strata", default=True) and len(strata) > 1:
        strata = calibrate_strata(strata, control, analysis.landmark)
    response = read_response(r.child("response")) if r.has("response") else None
    os_ = read_overall_survival(r.child("overall_survival"), (control, experimental), strata, response,
                                analysis.landmark) if r.has("overall_survival") else None
    resp = response or Response((0.0, 0.0), 1.0)
    multipliers = response_multipliers(resp, (control, experimental), strata, analysis.landmark)
    planning = Planning(n, accrual, control, strata, resp.orr[0], multipliers[0],
                        dropout[0], allocation.experimental_fraction, analysis.cut, analysis.looks,
                        ArmLaw(experimental, resp.orr[1], multipliers[1], dropout[1]))
    bounds = read_bounds(r.child("bounds"), analysis, planning)
    needs = {StatTest.ORR: response, StatTest.OS_LOGRANK: os_}
    for test, given in needs.items():
        if test in analysis.tests and given is None:
            raise ScenarioError("analysis.tests", test.value,
                                "tests whose outcome the scenario defines ('orr' needs 'response', "
                                "'os_logrank' needs 'overall_survival')")
    return Scenario(
        name=r.string("name", default="scenario"), patients=n, accrual=accrual, allocation=allocation,
        control=control, experimental=experimental, analysis=analysis, bounds=bounds, strata=strata,
        dropout=dropout, seed=r.integer("seed", minimum=0, maximum=2**64 - 1, default=20240101),
        replications=r.integer("replications", minimum=1, default=10_000),
        title=r.string("title", default=""), simulated=r.boolean("simulated", default=True),
        check_null=r.boolean("check_null", default=False),
        notes=r.strings("notes") if r.has("notes") else (), response=response, overall_survival=os_)


def read_accrual(r: Reader, n: int) -> Accrual:
    r.reject_unknown({"duration", "pieces", "timing"})
    timing = AccrualTiming(r.choice("timing", [t.value for t in AccrualTiming], default="random"))
    if r.has("duration") == r.has("pieces"):
        raise ScenarioError(r.path + ".duration", r.value, "either 'duration' (uniform) or 'pieces'")
    if r.has("duration"):
        return Accrual((r.number("duration", strictly_positive=True),), (1.0,), timing)
    ends, rates, last = [], [], 0.0
    for p in r.items("pieces"):
        p.reject_unknown({"until", "rate"})
        end = p.number("until", strictly_positive=True)
        if end <= last:
            raise ScenarioError(p.path + ".until", end, f"a time after {last:g} (pieces in order)")
        ends.append(end)
        rates.append(p.number("rate", minimum=0.0))
        last = end
    if sum(rates) <= 0:
        raise ScenarioError(r.path + ".pieces", rates, "at least one positive rate")
    return Accrual(tuple(ends), tuple(rates), timing)


def read_allocation(r: Reader) -> Allocation:
    r.reject_unknown({"method", "ratio", "block_sizes", "p", "imbalance", "factor_weights"})
    method = AllocationMethod(r.choice("method", [m.value for m in AllocationMethod]))
    ratio = r.integers("ratio", minimum=1, maximum=10) if r.has("ratio") else (1, 1)
    if len(ratio) != 2:
        raise ScenarioError(r.path + ".ratio", list(ratio), "two whole numbers: [experimental, control]")
    sizes = r.integers("block_sizes", minimum=2, maximum=12) if r.has("block_sizes") else (sum(ratio) * 2,)
    for s in sizes:
        if s % sum(ratio):
            raise ScenarioError(r.path + ".block_sizes", list(sizes),
                                f"multiples of {sum(ratio)} (the ratio sum)")
    return Allocation(method, (ratio[0], ratio[1]), tuple(sorted(sizes)))


def with_minimization(r: Reader, allocation: Allocation, strata: tuple[Stratum, ...]) -> Allocation:
    """Core's :class:`MinimizationDesign` over the strata's factors (or over the strata themselves)."""
    if allocation.ratio != (1, 1):
        raise ScenarioError(r.path + ".ratio", list(allocation.ratio), "[1, 1] (minimization balances 1:1)")
    if strata[0].levels:
        codes = [code for code, _ in strata[0].levels]
        factors = tuple((c, tuple(dict.fromkeys(dict(st.levels)[c] for st in strata))) for c in codes)
    elif len(strata) > 1:
        factors = (("stratum", tuple(st.name for st in strata)),)
    else:
        raise ScenarioError(r.path + ".method", "minimization",
                            "another method, or strata (with 'levels') to minimize over")
    weights = tuple(float(w) for w in _floats(r, "factor_weights")) if r.has("factor_weights") else None
    try:
        design = MinimizationDesign(
            factors=factors, arms=MINIMIZATION_ARMS,
            p=r.number("p", minimum=0.0, maximum=1.0) if r.has("p") else 0.8,
            method=ImbalanceMethod(r.choice("imbalance", [m.value for m in ImbalanceMethod],
                                            default="range")),
            factor_weights=weights)
    except DomainError as exc:
        raise ScenarioError(f"{r.path}.{exc.field}", exc.value, exc.expected) from None
    return dataclasses.replace(allocation, minimization=design)


def read_strata(r: Reader) -> tuple[Stratum, ...]:
    if not r.has("strata"):
        return (Stratum("all", 1.0, 1.0),)
    out = []
    for s in r.items("strata"):
        s.reject_unknown({"name", "prevalence", "hazard_multiplier", "levels"})
        levels: tuple[tuple[str, str], ...] = ()
        if s.has("levels"):
            lv = s.child("levels")
            levels = tuple((str(code), lv.string(str(code))) for code in lv.mapping())
        out.append(Stratum(s.string("name"), s.number("prevalence", strictly_positive=True),
                           s.number("hazard_multiplier", strictly_positive=True)
                           if s.has("hazard_multiplier") else 1.0, levels))
    codes = {tuple(c for c, _ in st.levels) for st in out}
    if len(codes) > 1:
        raise ScenarioError("strata", [dict(st.levels) for st in out],
                            "the same factors (levels keys) in every stratum, or none")
    total = sum(s.prevalence for s in out)
    if abs(total - 1.0) > 1e-9:
        raise ScenarioError("strata", total, "prevalences that sum to 1")
    if len(out) > 16:
        raise ScenarioError("strata", len(out), "at most 16 strata")
    return tuple(out)


def read_dropout(r: Reader) -> tuple[float, float]:
    d = r.child("dropout")
    m = d.mapping()
    if "control" in m or "experimental" in m:
        d.reject_unknown({"control", "experimental"})
        return (_dropout_rate(d.child("control")) if d.has("control") else 0.0,
                _dropout_rate(d.child("experimental")) if d.has("experimental") else 0.0)
    rate = _dropout_rate(d)
    return rate, rate


def _dropout_rate(r: Reader) -> float:
    r.reject_unknown({"rate", "probability", "by"})
    if r.has("rate"):
        return r.number("rate", minimum=0.0)
    p = r.number("probability", minimum=0.0, maximum=0.999)
    return rate_from_survival(1.0 - p, r.number("by", strictly_positive=True)) if p > 0 else 0.0


_DIST_KEYS = {"distribution", "median", "rate", "survival", "starts", "rates", "hazard_ratios", "shape",
              "scale", "cure_fraction", "hazard_ratio"}


def read_distribution(r: Reader, control: EventDistribution | None) -> EventDistribution:
    """An arm's event-time distribution; the experimental arm may be ``hazard_ratio`` × control."""
    r.reject_unknown(_DIST_KEYS)
    cure = r.number("cure_fraction", minimum=0.0, maximum=0.99) if r.has("cure_fraction") else None
    if not r.has("distribution"):
        if control is None or not r.has("hazard_ratio"):
            raise ScenarioError(r.path + ".distribution", None,
                                "exponential, piecewise_exponential or weibull"
                                + ("" if control is None
                                   else " (or only 'hazard_ratio' relative to control)"))
        d = control.with_hazard_ratio(r.number("hazard_ratio", strictly_positive=True))
        return _with_cure(d, cure)
    kind = DistributionKind(r.choice("distribution", [k.value for k in DistributionKind]))
    if kind is DistributionKind.EXPONENTIAL:
        rate = _exponential_rate(r)
        d = EventDistribution(kind, (0.0,), (rate,))
    elif kind is DistributionKind.WEIBULL:
        shape = r.number("shape", strictly_positive=True)
        d = EventDistribution(kind, shape=shape, scale=_weibull_scale(r, shape))
    else:
        d = _piecewise(r, control)
    if r.has("hazard_ratio") and kind is not DistributionKind.PIECEWISE_EXPONENTIAL:
        d = d.with_hazard_ratio(r.number("hazard_ratio", strictly_positive=True))
    return _with_cure(d, cure)


def _with_cure(d: EventDistribution, cure: float | None) -> EventDistribution:
    if cure is None:
        return d
    return EventDistribution(d.kind, d.starts, d.rates, d.shape, d.scale, cure)


def _exponential_rate(r: Reader) -> float:
    given = [k for k in ("median", "rate", "survival") if r.has(k)]
    if len(given) != 1:
        raise ScenarioError(r.path + ".median", given or None, "exactly one of median, rate, survival")
    if given[0] == "median":
        return math.log(2) / r.number("median", strictly_positive=True)
    if given[0] == "rate":
        return r.number("rate", strictly_positive=True)
    s = r.child("survival")
    s.reject_unknown({"at", "probability"})
    return rate_from_survival(s.number("probability", minimum=1e-9, maximum=1 - 1e-9),
                              s.number("at", strictly_positive=True))


def _weibull_scale(r: Reader, shape: float) -> float:
    given = [k for k in ("scale", "median", "survival") if r.has(k)]
    if len(given) != 1:
        raise ScenarioError(r.path + ".scale", given or None, "exactly one of scale, median, survival")
    if given[0] == "scale":
        return r.number("scale", strictly_positive=True)
    if given[0] == "median":
        return weibull_scale_from_survival(0.5, r.number("median", strictly_positive=True), shape)
    s = r.child("survival")
    s.reject_unknown({"at", "probability"})
    return weibull_scale_from_survival(s.number("probability", minimum=1e-9, maximum=1 - 1e-9),
                                       s.number("at", strictly_positive=True), shape)


def _piecewise(r: Reader, control: EventDistribution | None) -> EventDistribution:
    starts = _floats(r, "starts")
    if starts[0] != 0.0 or any(b <= a for a, b in itertools.pairwise(starts)):
        raise ScenarioError(r.path + ".starts", list(starts), "increasing times starting at 0")
    if r.has("rates") == r.has("hazard_ratios"):
        raise ScenarioError(r.path + ".rates", None,
                            "either 'rates' or 'hazard_ratios' (relative to control)")
    key = "rates" if r.has("rates") else "hazard_ratios"
    values = _floats(r, key)
    if len(values) != len(starts) or any(v < 0 for v in values):
        raise ScenarioError(f"{r.path}.{key}", list(values),
                            f"{len(starts)} non-negative numbers (one per start)")
    if key == "rates":
        return EventDistribution(DistributionKind.PIECEWISE_EXPONENTIAL, starts, values)
    if control is None or control.kind is DistributionKind.WEIBULL:
        raise ScenarioError(f"{r.path}.hazard_ratios", list(values),
                            "'rates' here (hazard ratios need an exponential or piecewise control arm)")
    union = tuple(sorted(set(starts) | set(control.starts)))
    rates = tuple(control.hazard_at(s) * values[max(i for i, b in enumerate(starts) if b <= s)]
                  for s in union)
    return EventDistribution(DistributionKind.PIECEWISE_EXPONENTIAL, union, rates)


def _floats(r: Reader, key: str) -> tuple[float, ...]:
    out = []
    for x in r.items(key):
        v = x.value
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise ScenarioError(x.path, v, "a number")
        out.append(float(v))
    return tuple(out)


def read_analysis(r: Reader, n: int) -> Analysis:
    r.reject_unknown({"cut", "looks", "tests", "landmark", "fleming_harrington", "rmst_tau", "maxcombo"})
    cut = CutKind(r.choice("cut", [c.value for c in CutKind]))
    looks = _floats(r, "looks")
    if any(b <= a for a, b in itertools.pairwise(looks)) or looks[0] <= 0:
        raise ScenarioError(r.path + ".looks", list(looks), "positive, strictly increasing values")
    if cut is CutKind.EVENTS and any(x != int(x) or x > n for x in looks):
        raise ScenarioError(r.path + ".looks", list(looks),
                            f"whole numbers of events, at most {n} (patients)")
    if len(looks) > 10:
        raise ScenarioError(r.path + ".looks", list(looks), "at most 10 looks")
    tests = tuple(StatTest(t.as_string()) if t.as_string() in set(StatTest) else _bad_test(t)
                  for t in r.items("tests")) if r.has("tests") else (StatTest.LOGRANK,)
    if len(set(tests)) != len(tests):
        raise ScenarioError(r.path + ".tests", [t.value for t in tests], "each test once")
    rho, gamma = 0.0, 1.0
    if r.has("fleming_harrington"):
        fh = r.child("fleming_harrington")
        fh.reject_unknown({"rho", "gamma"})
        rho, gamma = fh.number("rho", minimum=0.0, maximum=5.0), fh.number("gamma", minimum=0.0, maximum=5.0)
    landmark = r.number("landmark", strictly_positive=True) if r.has("landmark") else 6.0
    tau = r.number("rmst_tau", strictly_positive=True) if r.has("rmst_tau") else 12.0
    sided = 1
    if r.has("maxcombo"):
        mc = r.child("maxcombo")
        mc.reject_unknown({"sided"})
        sided = mc.integer("sided", minimum=1, maximum=2) if mc.has("sided") else 1
        if StatTest.MAXCOMBO not in tests:
            raise ScenarioError(r.path + ".maxcombo", mc.value,
                                "no value unless 'maxcombo' is one of the tests")
    return Analysis(cut, looks, tests, landmark, rho, gamma, tau, sided)


def _bad_test(t: Reader) -> StatTest:
    raise ScenarioError(t.path, t.value, "one of " + ", ".join(k.value for k in StatTest))
