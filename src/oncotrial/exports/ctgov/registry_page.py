"""An accessible HTML fragment of a study JSON, in the spirit of clinicaltrials.gov's record page.

:func:`render_registry_page` renders an API v2 study (``protocolSection`` and, when
present, ``resultsSection``): basic information, design, arms and interventions,
eligibility, outcome measures, sponsors and locations, then "Study Results"
(participant flow, baseline characteristics, outcome measures with their statistical
analyses, adverse events). It returns a fragment (an ``<article>``, no ``<html>``
wrapper) with semantic headings (h2 per section, h3/h4 below), tables with captions
and header scopes, and every text escaped. Results that are SIMULATED carry a
prominent banner (``role="alert"``) at the top of the page and of the results.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from oncotrial.exports.ctgov.results_common import simulated_label

Json = Mapping[str, Any]
_LABELS = {"NA": "Not applicable", "NONE": "None (Open Label)"}


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _words(value: object) -> str:
    """``ACTIVE_COMPARATOR`` → ``Active comparator`` (registry enumerations in words)."""
    text = str(value)
    if text in _LABELS:
        return _LABELS[text]
    return text.replace("_", " ").capitalize() if text.isupper() else text


def _get(node: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node


def _dl(rows: Iterable[tuple[str, object]]) -> str:
    items = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows if v not in (None, "", []))
    return f"<dl>{items}</dl>" if items else ""


def _section(key: str, title: str, body: str, level: int = 2) -> str:
    if not body:
        return ""
    return (f'<section aria-labelledby="{key}"><h{level} id="{key}">{_e(title)}</h{level}>'
            f"{body}</section>")


def _table(caption: str, head: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A table whose first column is a row header."""
    th = "".join(f'<th scope="col">{_e(h)}</th>' for h in head)
    body = "".join("<tr>" + f'<th scope="row">{_e(r[0])}</th>' + "".join(f"<td>{_e(c)}</td>" for c in r[1:])
                   + "</tr>" for r in rows)
    return f"<table><caption>{_e(caption)}</caption><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _date(struct: Any) -> str | None:
    value = _get(struct, "date")
    return None if value is None else str(value)


# --- protocol section -------------------------------------------------------------------------

def _overview(p: Json) -> str:
    ident, status = p.get("identificationModule", {}), p.get("statusModule", {})
    cond = p.get("conditionsModule", {})
    summary = _get(p, "descriptionModule", "briefSummary")
    return _section("overview", "Study Overview", (f"<p>{_e(summary)}</p>" if summary else "") + _dl([
        ("ClinicalTrials.gov ID", ident.get("nctId")),
        ("Official title", ident.get("officialTitle")), ("Acronym", ident.get("acronym")),
        ("Organization study ID", _get(ident, "orgStudyIdInfo", "id")),
        ("Overall status", _words(status.get("overallStatus", ""))),
        ("Study start", _date(status.get("startDateStruct"))),
        ("Primary completion", _date(status.get("primaryCompletionDateStruct"))),
        ("Study completion", _date(status.get("completionDateStruct"))),
        ("Last update posted", _date(status.get("lastUpdatePostDateStruct"))),
        ("Conditions", ", ".join(cond.get("conditions", []))),
        ("Keywords", ", ".join(cond.get("keywords", []))),
    ]))


def _design(p: Json) -> str:
    d = p.get("designModule", {})
    info = d.get("designInfo", {})
    enrollment = d.get("enrollmentInfo", {})
    return _section("design", "Study Design", _dl([
        ("Study type", _words(d.get("studyType", ""))),
        ("Phase", ", ".join(_words(x) for x in d.get("phases", []))),
        ("Allocation", _words(info.get("allocation", ""))),
        ("Intervention model", _words(info.get("interventionModel", ""))),
        ("Primary purpose", _words(info.get("primaryPurpose", ""))),
        ("Masking", _words(_get(info, "maskingInfo", "masking") or "")),
        ("Enrollment", f"{enrollment['count']} participants" + (
            f" ({_words(enrollment['type'])})" if enrollment.get("type") else "")
         if enrollment.get("count") is not None else None),
    ]))


def _arms(p: Json) -> str:
    module = p.get("armsInterventionsModule", {})
    interventions = {f"{_words(i.get('type', ''))}: {i.get('name')}": i
                     for i in module.get("interventions", [])}
    rows = []
    for arm in module.get("armGroups", []):
        label = f"{arm.get('label')} ({_words(arm.get('type', ''))})" if arm.get("type") else arm.get("label")
        names = arm.get("interventionNames", [])
        rows.append((label, arm.get("description", ""), "; ".join(names)))
    table = _table("Participant groups (arms) and their interventions",
                   ["Participant group/arm", "Description", "Intervention/treatment"], rows) if rows else ""
    details = "".join(f"<h3>{_e(name)}</h3><p>{_e(i.get('description', ''))}</p>"
                      for name, i in interventions.items())
    return _section("arms", "Arms and Interventions", table + details)


def _criteria_html(text: str) -> str:
    """The registry's Markdown criteria (``Inclusion Criteria:``, ``* `` bullets) as headings and lists."""
    out, items = [], []
    for raw in text.splitlines():
        line = re.sub(r"\\([<>])", r"\1", raw.strip())
        if not line:
            continue
        if line.startswith(("* ", "- ")):
            items.append(f"<li>{_e(line[2:].strip())}</li>")
            continue
        if items:
            out.append(f"<ul>{''.join(items)}</ul>")
            items = []
        out.append(f"<h3>{_e(line.rstrip(':'))}</h3>" if line.endswith(":") else f"<p>{_e(line)}</p>")
    if items:
        out.append(f"<ul>{''.join(items)}</ul>")
    return "".join(out)


def _eligibility(p: Json) -> str:
    e = p.get("eligibilityModule", {})
    volunteers = e.get("healthyVolunteers")
    facts = _dl([("Minimum age", e.get("minimumAge")), ("Maximum age", e.get("maximumAge")),
                 ("Sexes eligible", _words(e.get("sex", "")) if e.get("sex") else None),
                 ("Accepts healthy volunteers",
                  None if volunteers is None else ("Yes" if volunteers else "No"))])
    return _section("eligibility", "Eligibility Criteria",
                    facts + _criteria_html(str(e.get("eligibilityCriteria", ""))))


def _outcomes(p: Json) -> str:
    module = p.get("outcomesModule", {})
    parts = []
    for key, title in (("primaryOutcomes", "Primary outcome measures"),
                       ("secondaryOutcomes", "Secondary outcome measures"),
                       ("otherOutcomes", "Other outcome measures")):
        rows = [(o.get("measure"), o.get("description", ""), o.get("timeFrame", ""))
                for o in module.get(key, [])]
        if rows:
            parts.append(_table(title, ["Outcome measure", "Measure description", "Time frame"], rows))
    return _section("outcomes", "Outcome Measures", "".join(parts))


def _sponsors(p: Json) -> str:
    s = p.get("sponsorCollaboratorsModule", {})
    party = s.get("responsibleParty", {})
    investigator = ", ".join(x for x in (party.get("investigatorFullName"), party.get("investigatorTitle"))
                             if x)
    return _section("sponsors", "Sponsors and Collaborators", _dl([
        ("Lead sponsor", _get(s, "leadSponsor", "name")),
        ("Collaborators", ", ".join(c.get("name", "") for c in s.get("collaborators", []))),
        ("Responsible party", _words(party.get("type", "")) + (f": {investigator}" if investigator else "")
         if party else None),
    ]))


def _locations(p: Json) -> str:
    rows = [(x.get("facility"), ", ".join(v for v in (x.get("city"), x.get("state"), x.get("country")) if v))
            for x in _get(p, "contactsLocationsModule", "locations") or []]
    table = _table("Study sites", ["Facility", "Location"], rows) if rows else ""
    return _section("locations", "Locations", table)


# --- results section --------------------------------------------------------------------------

def _group_titles(groups: Sequence[Json]) -> tuple[list[str], list[str]]:
    return [str(g.get("id")) for g in groups], [str(g.get("title")) for g in groups]


def _by_group(stats: Sequence[Json], ids: Sequence[str], key: str) -> list[object]:
    values = {str(s.get("groupId")): s.get(key) for s in stats}
    return [values.get(i, "") for i in ids]


def _flow(m: Json) -> str:
    ids, titles = _group_titles(m.get("groups", []))
    parts = [f"<p>{_e(m[k])}</p>" for k in ("recruitmentDetails", "preAssignmentDetails") if m.get(k)]
    for period in m.get("periods", []):
        rows = [(ms.get("type"), *_by_group(ms.get("achievements", []), ids, "numSubjects"))
                for ms in period.get("milestones", [])]
        parts.append(_table(f"{period.get('title', 'Period')}: milestones (participants)",
                            ["Milestone", *titles], rows))
        reasons = [(d.get("type"), *_by_group(d.get("reasons", []), ids, "numSubjects"))
                   for d in period.get("dropWithdraws", [])]
        if reasons:
            parts.append(_table(f"{period.get('title', 'Period')}: reasons not completed",
                                ["Reason", *titles], reasons))
    return _section("results-flow", "Participant Flow", "".join(parts), 3)


def _cell(cell: Json) -> str:
    value = str(cell.get("value", ""))
    if cell.get("spread"):
        value += f" ({cell['spread']})"
    if cell.get("lowerLimit") is not None or cell.get("upperLimit") is not None:
        value += f" ({cell.get('lowerLimit', 'NA')} to {cell.get('upperLimit', 'NA')})"
    return value


def _measure_rows(measure: Json, ids: Sequence[str]) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for cls in measure.get("classes", []):
        for cat in cls.get("categories", []):
            cells = {str(c.get("groupId")): _cell(c) for c in cat.get("measurements", [])}
            title = cat.get("title") or cls.get("title") or measure.get("title")
            rows.append((title, *[cells.get(i, "") for i in ids]))
    return rows


def _describe(measure: Json) -> str:
    kind = _words(measure.get("paramType", ""))
    dispersion = measure.get("dispersionType")
    spread = f", {_words(dispersion)}" if dispersion and dispersion != "NA" else ""
    return f"{kind}{spread}; unit: {measure.get('unitOfMeasure', '')}"


def _denoms_row(node: Json, ids: Sequence[str]) -> tuple[object, ...]:
    denoms = node.get("denoms", [])
    counts = denoms[0].get("counts", []) if denoms else []
    return ("Participants analysed", *_by_group(counts, ids, "value"))


def _baseline(m: Json) -> str:
    ids, titles = _group_titles(m.get("groups", []))
    parts = [f"<p>{_e(m['populationDescription'])}</p>" if m.get("populationDescription") else "",
             _table("Overall number of baseline participants", ["", *titles], [_denoms_row(m, ids)])]
    for measure in m.get("measures", []):
        parts.append(_table(f"{measure.get('title')} ({_describe(measure)})", ["", *titles],
                            _measure_rows(measure, ids)))
    return _section("results-baseline", "Baseline Characteristics", "".join(parts), 3)


def _analysis(a: Json, titles: Mapping[str, str]) -> str:
    ci = None
    if a.get("ciPctValue"):
        sides = _words(a.get("ciNumSides", ""))
        ci = f"{a['ciPctValue']}% CI ({sides}): {a.get('ciLowerLimit')} to {a.get('ciUpperLimit')}"
    return "<li>" + _dl([
        ("Comparison", " vs ".join(titles.get(str(g), str(g)) for g in a.get("groupIds", []))),
        ("Hypothesis", _words(a.get("nonInferiorityType", "")) if a.get("nonInferiorityType") else None),
        ("Estimation parameter", a.get("paramType")), ("Estimated value", a.get("paramValue")),
        ("Confidence interval", ci), ("Estimation comments", a.get("estimateComment")),
        ("P-value", a.get("pValue")), ("Statistical method", a.get("statisticalMethod")),
        ("Comments", a.get("statisticalComment")),
    ]) + "</li>"


def _outcome_results(m: Json) -> str:
    parts = []
    for k, measure in enumerate(m.get("outcomeMeasures", [])):
        ids, titles = _group_titles(measure.get("groups", []))
        body = _dl([("Type", _words(measure.get("type", ""))), ("Description", measure.get("description")),
                    ("Time frame", measure.get("timeFrame")),
                    ("Population", measure.get("populationDescription")),
                    ("Measure", _describe(measure))])
        body += _table(str(measure.get("title")), ["", *titles],
                       [_denoms_row(measure, ids), *_measure_rows(measure, ids)])
        analyses = measure.get("analyses", [])
        if analyses:
            names = dict(zip(ids, titles, strict=True))
            body += ("<h5>Statistical analysis</h5><ul>" + "".join(_analysis(a, names) for a in analyses)
                     + "</ul>")
        parts.append(f'<section aria-labelledby="outcome-{k}"><h4 id="outcome-{k}">{_e(measure.get("title"))}'
                     f"</h4>{body}</section>")
    return _section("results-outcomes", "Outcome Measures", "".join(parts), 3)


def _ae_table(caption: str, events: Sequence[Json], ids: Sequence[str], titles: Sequence[str]) -> str:
    def cell(stats: Sequence[Json], gid: str) -> str:
        s = next((x for x in stats if str(x.get("groupId")) == gid), None)
        if s is None:
            return ""
        risk = s.get("numAtRisk") or 0
        pct = f" ({100 * (s.get('numAffected') or 0) / risk:.1f}%)" if risk else ""
        return f"{s.get('numAffected')}/{risk}{pct}"
    rows = [(f"{e.get('term')} ({e.get('organSystem')})", *[cell(e.get("stats", []), g) for g in ids])
            for e in events]
    return _table(caption, ["Term (organ system)", *titles], rows) if rows else f"<p>{_e(caption)}: none.</p>"


def _adverse(m: Json) -> str:
    groups = m.get("eventGroups", [])
    ids, titles = _group_titles(groups)
    facts = _dl([("Time frame", m.get("timeFrame")), ("Description", m.get("description")),
                 ("Frequency threshold for other adverse events", f"{m.get('frequencyThreshold')}%"),
                 ("All-cause mortality", m.get("allCauseMortalityComment"))])
    totals = _table("All-cause mortality and totals (affected / at risk)", ["", *titles], [
        (name, *[f"{g.get(f'{key}NumAffected')}/{g.get(f'{key}NumAtRisk')}" for g in groups])
        for name, key in (("All-cause mortality", "deaths"), ("Serious adverse events", "serious"),
                          ("Other (not including serious) adverse events", "other"))])
    return _section("results-ae", "Adverse Events", facts + totals
                    + _ae_table("Serious adverse events", m.get("seriousEvents", []), ids, titles)
                    + _ae_table("Other (not including serious) adverse events", m.get("otherEvents", []),
                                ids, titles), 3)


def _banner(text: str) -> str:
    return f'<p class="simulated-banner" role="alert"><strong>{_e(text)}</strong></p>'


def is_simulated(study: Json) -> bool:
    """True when the results say they are SIMULATED (their limitations and caveats)."""
    caveats = _get(study, "resultsSection", "moreInfoModule", "limitationsAndCaveats", "description")
    return "SIMULATED DATA" in str(caveats or "")


def render_registry_page(study: Json, *, simulated: bool | None = None) -> str:
    """The HTML fragment of ``study`` (an API v2 study JSON); ``simulated`` overrides detection."""
    p = study.get("protocolSection", {})
    nct = _get(p, "identificationModule", "nctId") or "this study"
    sim = is_simulated(study) if simulated is None else simulated
    banner = _banner(simulated_label(nct)) if sim else ""
    title = _get(p, "identificationModule", "briefTitle") or nct
    results = study.get("resultsSection")
    results_html = ""
    if isinstance(results, Mapping):
        caveats = _get(results, "moreInfoModule", "limitationsAndCaveats", "description")
        body = (banner + (f"<p>{_e(caveats)}</p>" if caveats else "")
                + _flow(results.get("participantFlowModule", {}))
                + _baseline(results.get("baselineCharacteristicsModule", {}))
                + _outcome_results(results.get("outcomeMeasuresModule", {}))
                + _adverse(results.get("adverseEventsModule", {})))
        results_html = _section("results", "Study Results", body)
    else:
        results_html = _section("results", "Study Results", "<p>No results posted.</p>")
    return (f'<article class="registry-record" aria-labelledby="record-title">{banner}'
            f'<h1 id="record-title">{_e(title)}</h1><p class="nct-id">{_e(nct)}</p>'
            + _overview(p) + _design(p) + _arms(p) + _eligibility(p) + _outcomes(p) + _sponsors(p)
            + _locations(p) + results_html + "</article>")
