"""Results reporting rules the API v2 JSON schema cannot express (research/standards.md §4.2–4.3).

Sources: PRS "Results Data Element Definitions for Interventional and Observational
Studies" (2023, adapted from 42 CFR Part 11) and the PRS review criteria they cite.
Each issue names the rule (the ``rule`` code below) and the path of the offending field.

======================  =================================================================
``flow.milestones``     every period has STARTED and COMPLETED for every group
``flow.counts``         counts are whole numbers; NOT COMPLETED = STARTED − COMPLETED; the
                        reasons not completed add up to it; a later period starts with the
                        previous period's COMPLETED
``groups.title``        arm/group titles are 4–62 characters
``groups.consistent``   the same arms, with the same titles, in every module
``baseline.required``   Age and Sex/Gender measures are present
``baseline.counts``     the Total group is the sum of the arms; baseline participants equal
                        the participants STARTED; category counts add up to the denominator
``measure.unit``        every measure has a unit of measure and known group ids
``outcome.primary``     at least one primary outcome has data
``outcome.registered``  primary/secondary outcome titles are registered outcomes
``outcome.text``        title and time frame present, ≤ 255 characters
``analysis``            compared groups exist (≥ 2); CI level, sides and limits together
``ae.threshold``        the Other-AE frequency threshold is a number in (0, 5]
``ae.counts``           affected ≤ at risk; term at-risk = group at-risk; group totals ≥
                        every term's affected count
``ae.other``            every Other AE exceeds the threshold in at least one group
``ae.organ``            organ systems from the registry's list; source vocabulary given
``hasResults``          ``hasResults`` is true exactly when a results section is present
``simulated``           simulated results say so in limitations and caveats
======================  =================================================================
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from oncotrial.core.errors import DomainError
from oncotrial.exports.ctgov.organ_systems import CTGOV_ORGAN_SYSTEMS
from oncotrial.exports.ctgov.results_common import NOT_ESTIMABLE, TITLE_MAX, TITLE_MIN

_NUMBER = re.compile(r"^[<>≤≥]?-?\d+(\.\d+)?$")
_WHOLE = re.compile(r"^\d+$")
MAX_TEXT = 255


@dataclass(frozen=True, slots=True)
class RuleIssue:
    path: str
    message: str
    rule: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message} [{self.rule}]"


def _list(node: Mapping[str, Any], key: str) -> list[Any]:
    value = node.get(key)
    return value if isinstance(value, list) else []


def _ids(groups: Sequence[Mapping[str, Any]]) -> list[str]:
    return [str(g.get("id")) for g in groups]


def _arm_titles(groups: Sequence[Mapping[str, Any]]) -> list[str]:
    return [str(g.get("title")) for g in groups]


def _groups(path: str, groups: Sequence[Mapping[str, Any]]) -> Iterator[RuleIssue]:
    ids = _ids(groups)
    if len(set(ids)) != len(ids):
        yield RuleIssue(f"{path}.groups", f"group ids repeat: {ids}", "groups.consistent")
    for i, g in enumerate(groups):
        title = str(g.get("title") or "")
        if not TITLE_MIN <= len(title) <= TITLE_MAX:
            yield RuleIssue(f"{path}.groups[{i}].title", f"{title!r} has {len(title)} characters; "
                            f"{TITLE_MIN}–{TITLE_MAX} allowed", "groups.title")


def _whole(value: object) -> int | None:
    return int(str(value)) if value is not None and _WHOLE.match(str(value)) else None


def _by_group(stats: Sequence[Mapping[str, Any]], key: str = "numSubjects") -> dict[str, int | None]:
    return {str(s.get("groupId")): _whole(s.get(key)) for s in stats}


def _flow(m: Mapping[str, Any]) -> Iterator[RuleIssue]:
    base = "resultsSection.participantFlowModule"
    groups = _list(m, "groups")
    yield from _groups(base, groups)
    ids = _ids(groups)
    previous: dict[str, int | None] | None = None
    periods = _list(m, "periods")
    if not periods:
        yield RuleIssue(f"{base}.periods", "no period", "flow.milestones")
    for p, period in enumerate(periods):
        path = f"{base}.periods[{p}]"
        milestones = {str(ms.get("type")): (j, _by_group(_list(ms, "achievements")))
                      for j, ms in enumerate(_list(period, "milestones"))}
        for j, ms in enumerate(_list(period, "milestones")):
            counts = _by_group(_list(ms, "achievements"))
            if set(counts) != set(ids):
                yield RuleIssue(f"{path}.milestones[{j}]", f"achievements for {sorted(counts)}, groups are "
                                f"{ids}", "flow.milestones")
            for gid, n in counts.items():
                if n is None:
                    yield RuleIssue(f"{path}.milestones[{j}]", f"{gid}: numSubjects is not a whole number",
                                    "flow.counts")
        for required in ("STARTED", "COMPLETED"):
            if required not in milestones:
                yield RuleIssue(f"{path}.milestones", f"no {required} milestone", "flow.milestones")
        if "STARTED" not in milestones or "COMPLETED" not in milestones:
            continue
        started, completed = milestones["STARTED"][1], milestones["COMPLETED"][1]
        reasons: dict[str, int] = dict.fromkeys(ids, 0)
        for drop in _list(period, "dropWithdraws"):
            for gid, n in _by_group(_list(drop, "reasons")).items():
                reasons[gid] = reasons.get(gid, 0) + (n or 0)
        for gid in ids:
            s, c = started.get(gid), completed.get(gid)
            if s is None or c is None:
                continue
            if c > s:
                yield RuleIssue(f"{path}.milestones", f"{gid}: COMPLETED {c} > STARTED {s}", "flow.counts")
            if "NOT COMPLETED" in milestones and milestones["NOT COMPLETED"][1].get(gid) != s - c:
                yield RuleIssue(f"{path}.milestones[{milestones['NOT COMPLETED'][0]}]",
                                f"{gid}: NOT COMPLETED is not STARTED − COMPLETED = {s - c}", "flow.counts")
            if reasons.get(gid, 0) != s - c:
                yield RuleIssue(f"{path}.dropWithdraws", f"{gid}: reasons not completed add up to "
                                f"{reasons.get(gid, 0)}, STARTED − COMPLETED is {s - c}", "flow.counts")
            if previous is not None and previous.get(gid) != s:
                yield RuleIssue(f"{path}.milestones", f"{gid}: STARTED {s} ≠ COMPLETED of the previous "
                                f"period {previous.get(gid)}", "flow.counts")
        previous = completed


def _measurements(classes: Sequence[Mapping[str, Any]]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for c, cls in enumerate(classes):
        for k, cat in enumerate(_list(cls, "categories")):
            for j, cell in enumerate(_list(cat, "measurements")):
                yield f"classes[{c}].categories[{k}].measurements[{j}]", cell


def _denoms(node: Mapping[str, Any]) -> dict[str, int | None]:
    denoms = _list(node, "denoms")
    return _by_group(_list(denoms[0], "counts"), "value") if denoms else {}


def _measure(path: str, measure: Mapping[str, Any], ids: Sequence[str], denoms: Mapping[str, int | None],
             *, exclusive: bool = False) -> Iterator[RuleIssue]:
    """Unit, group ids and numbers of one measure; ``exclusive``: count categories partition the group."""
    if not measure.get("unitOfMeasure"):
        yield RuleIssue(path, "no unitOfMeasure", "measure.unit")
    classes = _list(measure, "classes")
    for where, cell in _measurements(classes):
        if str(cell.get("groupId")) not in ids:
            yield RuleIssue(f"{path}.{where}", f"groupId {cell.get('groupId')!r} is not a group",
                            "measure.unit")
        value = str(cell.get("value"))
        if value != NOT_ESTIMABLE and not _NUMBER.match(value):
            yield RuleIssue(f"{path}.{where}.value", f"{value!r} is not a number", "measure.unit")
    if measure.get("paramType") != "COUNT_OF_PARTICIPANTS" or not denoms:
        return
    for c, cls in enumerate(classes):
        totals: dict[str, int] = {}
        for cat in _list(cls, "categories"):
            for cell in _list(cat, "measurements"):
                gid, n = str(cell.get("groupId")), _whole(cell.get("value")) or 0
                totals[gid] = totals.get(gid, 0) + n
                if n > (denoms.get(gid) or 0):
                    yield RuleIssue(f"{path}.classes[{c}]", f"{gid}: {n} participants > {denoms.get(gid)} "
                                    "analysed", "baseline.counts")
        for gid, total in totals.items():
            if exclusive and total != denoms.get(gid):
                yield RuleIssue(f"{path}.classes[{c}]", f"{gid}: categories add up to {total}, the "
                                f"denominator is {denoms.get(gid)}", "baseline.counts")


def _baseline(m: Mapping[str, Any], started: Mapping[str, int | None]) -> Iterator[RuleIssue]:
    base = "resultsSection.baselineCharacteristicsModule"
    groups = _list(m, "groups")
    yield from _groups(base, groups)
    ids = _ids(groups)
    denoms = _denoms(m)
    if set(denoms) != set(ids):
        yield RuleIssue(f"{base}.denoms", f"denominators for {sorted(denoms)}, groups are {ids}",
                        "baseline.counts")
    if len(ids) >= 2 and all(denoms.get(i) is not None for i in ids):
        arms = [denoms[i] or 0 for i in ids[:-1]]
        if sum(arms) != denoms[ids[-1]]:
            yield RuleIssue(f"{base}.denoms", f"Total {denoms[ids[-1]]} ≠ sum of the arms {sum(arms)}",
                            "baseline.counts")
        for i, (gid, n) in enumerate(zip(ids[:-1], arms, strict=True)):
            flow_n = list(started.values())[i] if i < len(started) else None
            if flow_n is not None and flow_n != n:
                yield RuleIssue(f"{base}.denoms", f"{gid}: {n} baseline participants, {flow_n} STARTED "
                                "in the participant flow", "baseline.counts")
    titles = [str(x.get("title", "")).lower() for x in _list(m, "measures")]
    for needed in ("age", "sex"):
        if not any(t.startswith(needed) for t in titles):
            yield RuleIssue(f"{base}.measures", f"no {needed.title()} measure (required)",
                            "baseline.required")
    for k, measure in enumerate(_list(m, "measures")):
        yield from _measure(f"{base}.measures[{k}]", measure, ids, denoms, exclusive=True)


def _analysis(path: str, a: Mapping[str, Any], ids: Sequence[str]) -> Iterator[RuleIssue]:
    compared = [str(g) for g in _list(a, "groupIds")]
    if len(compared) < 2 or not set(compared) <= set(ids):
        yield RuleIssue(f"{path}.groupIds", f"{compared} are not two or more of {list(ids)}", "analysis")
    ci = [a.get(k) for k in ("ciPctValue", "ciNumSides", "ciLowerLimit", "ciUpperLimit")]
    if any(v is not None for v in ci) and not all(v is not None for v in ci):
        yield RuleIssue(path, "CI level, sides and both limits go together", "analysis")
    for key in ("pValue", "paramValue", "ciLowerLimit", "ciUpperLimit"):
        value = a.get(key)
        if value is not None and value != NOT_ESTIMABLE and not _NUMBER.match(str(value)):
            yield RuleIssue(f"{path}.{key}", f"{value!r} is not a number", "analysis")
    if a.get("paramValue") is not None and not a.get("paramType"):
        yield RuleIssue(f"{path}.paramType", "an estimate needs its parameter type", "analysis")
    if a.get("pValue") is not None and not a.get("statisticalMethod"):
        yield RuleIssue(f"{path}.statisticalMethod", "a p-value needs its statistical method", "analysis")


def _outcomes(m: Mapping[str, Any], registered: set[str]) -> Iterator[RuleIssue]:
    base = "resultsSection.outcomeMeasuresModule.outcomeMeasures"
    measures = _list(m, "outcomeMeasures")
    if not any(x.get("type") == "PRIMARY" and any(True for _ in _measurements(_list(x, "classes")))
               for x in measures):
        yield RuleIssue(base, "no primary outcome with data", "outcome.primary")
    for k, x in enumerate(measures):
        path = f"{base}[{k}]"
        ids = _ids(_list(x, "groups"))
        yield from _groups(path, _list(x, "groups"))
        for key in ("title", "timeFrame"):
            text = str(x.get(key) or "")
            if not text or len(text) > MAX_TEXT:
                yield RuleIssue(f"{path}.{key}", f"{key} must be 1–{MAX_TEXT} characters", "outcome.text")
        if x.get("type") in ("PRIMARY", "SECONDARY") and registered and x.get("title") not in registered:
            yield RuleIssue(f"{path}.title", f"{x.get('title')!r} is not a registered outcome measure",
                            "outcome.registered")
        denoms = _denoms(x)
        if set(denoms) != set(ids):
            yield RuleIssue(f"{path}.denoms", f"participants analysed for {sorted(denoms)}, groups are {ids}",
                            "measure.unit")
        yield from _measure(path, x, ids, denoms)
        for j, a in enumerate(_list(x, "analyses")):
            yield from _analysis(f"{path}.analyses[{j}]", a, ids)


def _threshold(value: object) -> float | None:
    try:
        return float(str(value))
    except ValueError:
        return None


def _adverse(m: Mapping[str, Any]) -> Iterator[RuleIssue]:
    base = "resultsSection.adverseEventsModule"
    groups = _list(m, "eventGroups")
    yield from _groups(base.replace("Module", "Module.event"), groups)
    ids = _ids(groups)
    threshold = _threshold(m.get("frequencyThreshold"))
    if threshold is None or not 0 < threshold <= 5:
        yield RuleIssue(f"{base}.frequencyThreshold", f"{m.get('frequencyThreshold')!r} is not a number in "
                        "(0, 5]", "ae.threshold")
    if not m.get("timeFrame"):
        yield RuleIssue(f"{base}.timeFrame", "no time frame", "outcome.text")
    at_risk = {str(g.get("id")): g.get("seriousNumAtRisk") for g in groups}
    for i, g in enumerate(groups):
        for kind in ("deaths", "serious", "other"):
            affected, risk = g.get(f"{kind}NumAffected"), g.get(f"{kind}NumAtRisk")
            if affected is None or risk is None:
                yield RuleIssue(f"{base}.eventGroups[{i}]", f"{kind}NumAffected/{kind}NumAtRisk missing",
                                "ae.counts")
            elif affected > risk:
                yield RuleIssue(f"{base}.eventGroups[{i}]", f"{kind}: {affected} affected > {risk} at risk",
                                "ae.counts")
    for kind in ("serious", "other"):
        for k, event in enumerate(_list(m, f"{kind}Events")):
            path = f"{base}.{kind}Events[{k}]"
            if event.get("organSystem") not in CTGOV_ORGAN_SYSTEMS:
                yield RuleIssue(f"{path}.organSystem", f"{event.get('organSystem')!r} is not a registry "
                                "organ system", "ae.organ")
            if not event.get("sourceVocabulary"):
                yield RuleIssue(f"{path}.sourceVocabulary", "no source vocabulary", "ae.organ")
            frequencies = []
            for s in _list(event, "stats"):
                gid = str(s.get("groupId"))
                affected, risk = s.get("numAffected") or 0, s.get("numAtRisk") or 0
                if gid not in ids:
                    yield RuleIssue(f"{path}.stats", f"groupId {gid!r} is not an event group", "ae.counts")
                    continue
                if affected > risk or risk != at_risk.get(gid):
                    yield RuleIssue(f"{path}.stats", f"{gid}: {affected} affected of {risk} at risk; the "
                                    f"group has {at_risk.get(gid)} at risk", "ae.counts")
                group = groups[ids.index(gid)]
                if affected > (group.get(f"{kind}NumAffected") or 0):
                    yield RuleIssue(f"{path}.stats", f"{gid}: {affected} affected by this term > "
                                    f"{group.get(f'{kind}NumAffected')} in the group total", "ae.counts")
                frequencies.append(100.0 * affected / risk if risk else 0.0)
            if kind == "other" and threshold is not None and not any(f > threshold for f in frequencies):
                yield RuleIssue(path, f"{event.get('term')!r} does not exceed the {threshold:g}% threshold "
                                "in any group", "ae.other")


def _consistent(section: Mapping[str, Any]) -> Iterator[RuleIssue]:
    flow = _arm_titles(_list(section.get("participantFlowModule", {}), "groups"))
    baseline = _arm_titles(_list(section.get("baselineCharacteristicsModule", {}), "groups"))[:-1]
    events = _arm_titles(_list(section.get("adverseEventsModule", {}), "eventGroups"))
    outcomes = [_arm_titles(_list(x, "groups")) for x in
                _list(section.get("outcomeMeasuresModule", {}), "outcomeMeasures")]
    named = [("baselineCharacteristicsModule", baseline), ("adverseEventsModule", events),
             *((f"outcomeMeasuresModule.outcomeMeasures[{k}]", t) for k, t in enumerate(outcomes))]
    for name, titles in named:
        if titles != flow:
            yield RuleIssue(f"resultsSection.{name}", f"arms {titles} differ from the participant flow's "
                            f"{flow}", "groups.consistent")


def results_issues(study: Mapping[str, Any], *, simulated_label: str | None = None) -> tuple[RuleIssue, ...]:
    """Every business-rule issue of the study's ``resultsSection`` (empty: none)."""
    section = study.get("resultsSection")
    issues: list[RuleIssue] = []
    if bool(study.get("hasResults")) != isinstance(section, Mapping):
        issues.append(RuleIssue("hasResults", "must be true exactly when resultsSection is present",
                                "hasResults"))
    if not isinstance(section, Mapping):
        return tuple(issues)
    flow = section.get("participantFlowModule") or {}
    issues.extend(_flow(flow))
    periods = _list(flow, "periods")
    started: dict[str, int | None] = {}
    if periods:
        first = next((ms for ms in _list(periods[0], "milestones") if ms.get("type") == "STARTED"), None)
        started = _by_group(_list(first, "achievements")) if first else {}
    issues.extend(_baseline(section.get("baselineCharacteristicsModule") or {}, started))
    outcomes = study.get("protocolSection", {}).get("outcomesModule", {})
    registered = {o.get("measure") for key in ("primaryOutcomes", "secondaryOutcomes")
                  for o in outcomes.get(key, [])}
    issues.extend(_outcomes(section.get("outcomeMeasuresModule") or {}, {str(r) for r in registered if r}))
    issues.extend(_adverse(section.get("adverseEventsModule") or {}))
    issues.extend(_consistent(section))
    if simulated_label is not None:
        more = section.get("moreInfoModule") or {}
        caveats = (more.get("limitationsAndCaveats") or {}).get("description", "")
        if simulated_label not in str(caveats):
            issues.append(RuleIssue("resultsSection.moreInfoModule.limitationsAndCaveats.description",
                                    f"simulated results must say {simulated_label!r}", "simulated"))
    return tuple(issues)


def check_results(study: Mapping[str, Any], *, simulated_label: str | None = None) -> None:
    """Raise :class:`DomainError` naming the first business-rule issue, if any."""
    issues = results_issues(study, simulated_label=simulated_label)
    if issues:
        first = issues[0]
        more = f" ({len(issues) - 1} more issue(s))" if len(issues) > 1 else ""
        raise DomainError(first.path, first.message,
                          f"results that meet the ClinicalTrials.gov reporting rule {first.rule!r}" + more)
