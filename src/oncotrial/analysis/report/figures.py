"""The report's figures as inline SVG, drawn in forked worker processes.

Rendering dominates the report's time, so, as ``oncotrial analyze`` does
(:mod:`oncotrial.analysis.trial_report`), figures are drawn in parallel in processes forked
after matplotlib is imported (POSIX; sequential elsewhere or with ``parallel=False``).
Each SVG's ids are prefixed with the figure's name so that several figures can live in one
HTML page without clashing ids. With simulated data every figure carries
:data:`~oncotrial.analysis.plotting.SIMULATED_LABEL` (:func:`~oncotrial.analysis.plotting.style.finish`).
"""

from __future__ import annotations

import io
import multiprocessing
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from oncotrial.analysis.plotting import (
    plot_consort,
    plot_forest,
    plot_km,
    plot_spider,
    plot_swimmer,
    plot_waterfall,
    spider_series,
    survival_inputs,
    swimmer_lanes,
    waterfall_bars,
)
from oncotrial.analysis.plotting.style import format_p, journal_style
from oncotrial.analysis.report.numbers import ReportNumbers
from oncotrial.analysis.report.tumour import with_courses, with_target_changes
from oncotrial.core.endpoints.populations import intention_to_treat
from oncotrial.core.endpoints.protocol_settings import response_settings
from oncotrial.core.response.criteria import Criterion


@dataclass(frozen=True, slots=True)
class Figure:
    key: str
    title: str
    svg: str
    """Inline ``<svg>`` element (no XML declaration), ids prefixed with ``key``."""


Job = tuple[str, str, Callable[[], Any]]


def _km_jobs(numbers: ReportNumbers, arms: list[str], sim: bool) -> list[Job]:
    jobs: list[Job] = []
    for key, endpoint in numbers.endpoints.items():
        t, e, a = survival_inputs(endpoint.rows)
        stratified = endpoint.stratified_logrank
        cox = numbers.stratified_cox[key] or endpoint.cox
        ci = cox.confidence_intervals_.iloc[0]
        label = "Stratified HR" if numbers.stratified_cox[key] is not None else "HR"
        note = f"{label} {cox.hazard_ratios_.iloc[0]:.2f} (95% CI {ci.iloc[0]:.2f}–{ci.iloc[1]:.2f})"
        title = f"{endpoint.name}: Kaplan–Meier estimates by arm (ITT)"
        jobs.append(
            (
                f"km_{key}",
                title,
                partial(
                    plot_km,
                    t,
                    e,
                    a,
                    arm_order=arms,
                    title=title,
                    annotation=note,
                    p_value=(stratified or endpoint.logrank).p_value,
                    p_label="Stratified log-rank" if stratified is not None else "Log-rank",
                    ylabel="Overall survival" if key == "os" else "Progression-free survival",
                    simulated=sim,
                ),
            )
        )
    return jobs


def figure_jobs(numbers: ReportNumbers) -> list[Job]:
    """Each figure as (key, title, function that builds the matplotlib figure)."""
    data, sim = numbers.data, numbers.simulated
    arms = list(data.arms)
    records = list(intention_to_treat(data.patients))
    settings = response_settings(numbers.protocol)
    jobs: list[Job] = [
        (
            "consort",
            "CONSORT flow diagram",
            partial(plot_consort, numbers.consort, title="Participant flow (CONSORT 2010)", simulated=sim),
        )
    ]
    jobs += _km_jobs(numbers, arms, sim)
    analysis = numbers.analysis
    jobs.append(
        (
            "forest",
            "PFS hazard ratio by subgroup",
            partial(
                plot_forest,
                numbers.forest,
                favours=(f"Favours {analysis.experimental}", f"Favours {data.control_arm}"),
                title="PFS (RECIST 1.1) hazard ratio by subgroup (ITT)",
                simulated=sim,
                footnote=f"Cox proportional hazards, Efron ties, unstratified within subgroup levels. "
                f"Overall {format_p(float(analysis.pfs.cox.summary['p'].iloc[0]))}.",
            ),
        )
    )
    for criterion, key in ((Criterion.RECIST_1_1, "recist"), (Criterion.MRECIST, "mrecist")):
        bars = waterfall_bars(
            with_target_changes(records, numbers.extras, criterion),
            cutoff=data.cutoff,
            criterion=criterion,
            settings=settings,
        )
        if bars:
            title = f"Best change in target lesions ({criterion.value})"
            jobs.append(
                (
                    f"waterfall_{key}",
                    title,
                    partial(plot_waterfall, bars, by_arm=True, arm_order=arms, title=title, simulated=sim),
                )
            )
    series = spider_series(
        with_target_changes(records, numbers.extras, Criterion.RECIST_1_1),
        cutoff=data.cutoff,
        settings=settings,
    )
    if series:
        jobs.append(
            (
                "spider",
                "Target lesions over time (RECIST 1.1)",
                partial(
                    plot_spider,
                    series,
                    arm_order=arms,
                    title="Change in target lesions over time (RECIST 1.1)",
                    simulated=sim,
                ),
            )
        )
    lanes = swimmer_lanes(with_courses(records, numbers.extras), cutoff=data.cutoff)
    if lanes:
        jobs.append(
            (
                "swimmer",
                "Treatment duration and outcomes",
                partial(
                    plot_swimmer,
                    lanes,
                    arm_order=arms,
                    title="Treatment duration and responses (safety population)",
                    simulated=sim,
                ),
            )
        )
    return jobs


_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(url\(#|href="#)([^")]+)')


def inline_svg(svg: str, prefix: str) -> str:
    """The ``<svg>`` element of a matplotlib SVG file, its ids and references prefixed.

    A repeated id (a ``gid`` drawn once per panel) gets a ``-2``, ``-3``… suffix, so that
    every id of the page is unique; references point at the first occurrence.
    """
    seen: dict[str, int] = {}

    def rename(match: re.Match[str]) -> str:
        name = match.group(1)
        seen[name] = seen.get(name, 0) + 1
        suffix = "" if seen[name] == 1 else f"-{seen[name]}"
        return f'id="{prefix}-{name}{suffix}"'

    body = _ID.sub(rename, svg[svg.index("<svg") :])
    return _REF.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", body).strip()


def _svg_text(build: Callable[[], Any]) -> str:
    fig = build()
    buffer = io.StringIO()
    with journal_style():
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


_JOBS: list[Job] = []


def _render(index: int) -> str:
    return _svg_text(_JOBS[index][2])


def render_figures(numbers: ReportNumbers, *, parallel: bool = True) -> list[Figure]:
    """Draw every figure; in forked processes on a multi-core POSIX machine when ``parallel``."""
    global _JOBS
    import matplotlib.backends.backend_svg
    import matplotlib.figure  # noqa: F401

    _JOBS = figure_jobs(numbers)
    try:
        workers = min(len(_JOBS), os.cpu_count() or 1)
        if parallel and workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                svgs = pool.map(_render, range(len(_JOBS)))
        else:
            svgs = [_render(i) for i in range(len(_JOBS))]
        return [
            Figure(key, title, inline_svg(svg, f"fig-{key}"))
            for (key, title, _), svg in zip(_JOBS, svgs, strict=True)
        ]
    finally:
        _JOBS = []
