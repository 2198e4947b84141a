"""Write a trial analysis as an HTML summary with SVG/PNG figures (``oncotrial analyze``).

Tables come from :func:`oncotrial.analysis.trial_analysis.analyze_trial`; figures from
:mod:`oncotrial.analysis.plotting`. A SIMULATED data file is labelled on the page and on
every figure.
"""

from __future__ import annotations

import html
import multiprocessing
import os
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from oncotrial.analysis.plotting import (
    SIMULATED_LABEL,
    ArmFlow,
    ConsortCounts,
    ForestRow,
    plot_consort,
    plot_forest,
    plot_km,
    plot_spider,
    plot_swimmer,
    plot_waterfall,
    save,
    spider_series,
    survival_inputs,
    swimmer_lanes,
    waterfall_bars,
)
from oncotrial.analysis.trial_analysis import SurvivalEndpoint, TrialAnalysis

CSS = """body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #bbb;padding:3px 8px;
text-align:right}th{background:#eee}.sim{background:#b00020;color:#fff;padding:.5em 1em;
font-weight:bold}img{max-width:100%}h2{border-bottom:2px solid #ddd}"""


def _table(df: pd.DataFrame, digits: int = 3) -> str:
    return str(df.to_html(index=False, float_format=lambda v: f"{v:.{digits}f}", na_rep="NE",
                          border=0))


def _figure_jobs(result: TrialAnalysis) -> list[tuple[str, Callable[[], Any]]]:
    """Each figure as (file stem, function that builds it)."""
    data, sim = result.data, result.data.simulated
    arms = list(data.arms)
    jobs: list[tuple[str, Callable[[], Any]]] = []
    for key, endpoint in (("km_pfs", result.pfs), ("km_os", result.os)):
        t, e, a = survival_inputs(endpoint.rows)
        jobs.append((key, partial(plot_km, t, e, a, arm_order=arms, title=f"{endpoint.name} by arm",
                                  p_value=endpoint.logrank.p_value, simulated=sim)))
    rows = [ForestRow(f"{r.level}", int(r.n), r.hr, r.lower, r.upper, r.p, r.subgroup)
            for r in result.subgroups.itertuples()]
    if rows:
        jobs.append(("forest_pfs", partial(
            plot_forest, rows, favours=(f"Favours {result.experimental}", f"Favours {data.control_arm}"),
            title="PFS hazard ratio by subgroup", simulated=sim)))
    bars = waterfall_bars(data.patients, cutoff=data.cutoff)
    if bars:
        jobs.append(("waterfall", partial(plot_waterfall, bars, by_arm=True, arm_order=arms,
                                          title="Best change in target lesions (RECIST 1.1)",
                                          simulated=sim)))
    series = spider_series(data.patients, cutoff=data.cutoff)
    if series:
        jobs.append(("spider", partial(plot_spider, series, arm_order=arms,
                                       title="Target lesions over time", simulated=sim)))
    lanes = swimmer_lanes(data.patients, cutoff=data.cutoff)
    if lanes:
        jobs.append(("swimmer", partial(plot_swimmer, lanes, arm_order=arms,
                                        title="Treatment and outcomes", simulated=sim)))
    flows = [ArmFlow(arm, sum(p.arm == arm for p in data.patients),
                     sum(p.arm == arm for p in data.patients),
                     received=sum(p.arm == arm and p.first_dose_on is not None for p in data.patients),
                     not_received={"Never treated": sum(p.arm == arm and p.first_dose_on is None
                                                        for p in data.patients)})
             for arm in arms]
    n = len(data.patients)
    jobs.append(("consort", partial(plot_consort, ConsortCounts(n, {}, n, flows),
                                    title="Participant flow (ITT)", simulated=sim)))
    return jobs


_JOBS: list[tuple[str, Callable[[], Any]]] = []


def _render(index: int, out: Path) -> str:
    name, build = _JOBS[index]
    svg, _png = save(build(), out / name)
    return svg.name


def _figures(result: TrialAnalysis, out: Path) -> dict[str, str]:
    """Render every figure (SVG + PNG). Rendering dominates the report's time, so on a
    multi-core POSIX machine the figures are drawn in forked worker processes, which
    inherit the already-imported matplotlib and the data."""
    global _JOBS
    _JOBS = _figure_jobs(result)
    workers = min(len(_JOBS), os.cpu_count() or 1)
    try:
        if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                names = pool.starmap(_render, [(i, out) for i in range(len(_JOBS))])
        else:
            names = [_render(i, out) for i in range(len(_JOBS))]
        return {job[0]: name for job, name in zip(_JOBS, names, strict=True)}
    finally:
        _JOBS = []


def _survival_html(s: SurvivalEndpoint) -> str:
    cox = s.cox.summary.reset_index()
    parts = [f"<h3>{html.escape(s.name)}</h3>", _table(s.medians),
             f"<p>Log-rank χ² = {s.logrank.chisq:.3f}, p = {s.logrank.p_value:.4f}"]
    if s.stratified_logrank is not None:
        parts.append(f"; stratified log-rank χ² = {s.stratified_logrank.chisq:.3f}, "
                     f"p = {s.stratified_logrank.p_value:.4f}")
    parts.append("</p>" + _table(cox))
    return "".join(parts)


def write_report(result: TrialAnalysis, out: Path) -> Path:
    """Write ``index.html``, the figures and CSV tables to ``out``; return the HTML path."""
    out.mkdir(parents=True, exist_ok=True)
    data = result.data
    figures = _figures(result, out)
    banner = f'<p class="sim">{SIMULATED_LABEL}</p>' if data.simulated else ""
    rates = "".join(
        f"<h3>{r.name} per {r.criterion.value}</h3>{_table(r.counts)}"
        f"<p>Difference {html.escape(r.difference.labels[0])} − {html.escape(r.difference.labels[1])}: "
        f"{r.difference.difference:.3f} (95% CI {r.difference.lower:.3f} to {r.difference.upper:.3f}, "
        f"Newcombe); Fisher p = {r.fisher.p_value:.4f}"
        + (f"; CMH p = {r.cmh.p_value:.4f}" if r.cmh is not None else "") + "</p>"
        for r in result.rates)
    safety = "".join(
        f"<h3>{html.escape(s.arm)} (n = {s.patients})</h3><p>any AE {s.any_ae}, grade ≥ 3 "
        f"{s.grade_3_or_more}, serious {s.serious}, leading to discontinuation "
        f"{s.led_to_discontinuation}, fatal AE {s.fatal}, deaths {s.deaths}, HAIC procedure "
        f"complications {s.haic_procedure_complications}</p>"
        + _table(pd.DataFrame([{"term": t.term, "any grade": t.patients_any_grade,
                                "grade ≥ 3": t.patients_grade_3_or_more} for t in s.terms]))
        for s in result.safety)
    dor = _table(result.dor) if not result.dor.empty else "<p>No responders.</p>"
    figs = "".join(f'<h3>{name.replace("_", " ")}</h3><img src="{src}" alt="{name}">'
                   for name, src in figures.items())
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(data.trial)}
analysis</title><style>{CSS}</style></head><body>{banner}
<h1>{html.escape(data.trial)}: analysis at data cut-off {data.cutoff}</h1>{banner}
<p>Populations: {", ".join(f"{k} {v}" for k, v in result.populations.items())}.
Estimators are numerically identical to R survival (survfit, survdiff, coxph) and base R
(binom.test, fisher.test, mantelhaen.test). Times in months (30.4375 days).</p>
<h2>Primary endpoint: {result.landmark_days}-day (6-month) PFS rate, RECIST 1.1</h2>
{_table(result.pfs6.arms.reset_index())}
<p>Difference {result.pfs6.difference:.3f} (95% CI {result.pfs6.lower:.3f} to {result.pfs6.upper:.3f}),
z = {result.pfs6.z:.3f}, p = {result.pfs6.p_value:.4f} (Greenwood SE).</p>
<h3>Binary sensitivity analysis (patients censored before 6 months shown explicitly)</h3>
{_table(result.pfs6_binary)}
<h2>Time-to-event endpoints</h2>{_survival_html(result.pfs)}{_survival_html(result.pfs_mrecist)}
{_survival_html(result.os)}<h3>RMST (PFS, months)</h3>{_table(result.rmst.arms.reset_index())}
{_table(result.rmst.contrasts.reset_index())}
<h3>Duration of response (RECIST 1.1, months)</h3>{dor}
<h2>Response</h2>{rates}<h2>Safety (CTCAE v5.0, safety population)</h2>{safety}
<h3>Exposure: relative dose intensity (delivered / planned cumulative dose)</h3>
{_table(result.dose_intensity) if not result.dose_intensity.empty else "<p>No exposure data.</p>"}
<h2>Figures</h2>{figs}{banner}</body></html>"""
    target = out / "index.html"
    target.write_text(page, encoding="utf-8")
    return target
