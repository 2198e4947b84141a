"""The trial report (issue 7 §3) as one self-contained HTML page and its PDF.

* :func:`render_report_html` → the report as an HTML fragment (``<style>`` + ``<div
  class="oncotrial-report">``) for the web application to serve live;
* :func:`write_report` → ``report.html`` (complete page, figures inline as SVG, no
  external resource) and ``report.pdf`` (Chromium headless), with timings.

With simulated data the label "SIMULATED DATA: not results of NCT07304388" appears at the
top and bottom of the page, in the header and footer of every printed page (CSS page-margin
boxes) and on every figure.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from oncotrial.analysis.report.efficacy_sections import (
    primary_section,
    response_section,
    subgroup_section,
    survival_section,
)
from oncotrial.analysis.report.figures import Figure, render_figures
from oncotrial.analysis.report.markup import esc, num, stat
from oncotrial.analysis.report.numbers import ReportNumbers, report_numbers
from oncotrial.analysis.report.pdf import html_to_pdf
from oncotrial.analysis.report.trial_sections import (
    baseline_section,
    consort_section,
    exposure_section,
    safety_section,
)
from oncotrial.analysis.report_data import SIMULATED_LABEL, ReportExtras
from oncotrial.core.endpoints.trial_data import TrialData
from oncotrial.core.protocol.model import Protocol

CSS = """
.oncotrial-report{font-family:"DejaVu Sans","Liberation Sans",Arial,sans-serif;font-size:10pt;color:#222;
 max-width:1100px;margin:0 auto;line-height:1.35}
.oncotrial-report h1{font-size:17pt;margin:.4em 0}
.oncotrial-report h2{font-size:13.5pt;border-bottom:2px solid #ccc;margin-top:1.4em;break-after:avoid}
.oncotrial-report h3{font-size:11pt;margin:1em 0 .3em;break-after:avoid}
.oncotrial-report table{border-collapse:collapse;margin:.3em 0 .4em;font-size:8.5pt}
.oncotrial-report th,.oncotrial-report td{border:1px solid #bbb;padding:2px 6px;vertical-align:top}
.oncotrial-report th{background:#eee;text-align:center}
.oncotrial-report td.num{text-align:right;white-space:nowrap}
.oncotrial-report td.label{text-align:left}
.oncotrial-report tr{break-inside:avoid}
.oncotrial-report p.method{font-size:8pt;color:#444;margin:.2em 0 .9em}
.oncotrial-report p.result{margin:.3em 0}
.oncotrial-report figure{margin:.8em 0;break-inside:avoid;text-align:center}
.oncotrial-report figure svg{width:100%;max-width:700px;height:auto}
.oncotrial-report figcaption{font-size:8.5pt;color:#333}
.oncotrial-report .sim-banner{background:#b00020;color:#fff;font-weight:bold;text-align:center;padding:4px;
 font-size:10pt;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.oncotrial-report nav ol{columns:2;font-size:9pt}
@media print{
 .oncotrial-report{max-width:none}
 .oncotrial-report section{break-before:page}
 .oncotrial-report section:first-of-type{break-before:auto}
 .oncotrial-report nav{display:none}
 .oncotrial-report figure svg{width:auto;max-width:100%;max-height:225mm}
}
"""

SECTIONS = (
    ("consort", "Participant flow"),
    ("baseline", "Baseline characteristics"),
    ("primary", "Primary endpoint"),
    ("survival", "PFS and OS"),
    ("response", "Tumour response"),
    ("subgroups", "PFS by subgroup"),
    ("exposure", "Exposure"),
    ("safety", "Safety"),
)


@dataclass(frozen=True)
class ReportFiles:
    """What :func:`write_report` wrote, and seconds spent per step."""

    html: Path
    pdf: Path | None
    timings: dict[str, float] = field(default_factory=dict)


def _figure_html(figures: list[Figure]) -> dict[str, str]:
    return {
        f.key: (
            f'<figure id="figure-{esc(f.key)}" data-figure="{esc(f.key)}">{f.svg}'
            f"<figcaption>Figure {i}. {esc(f.title)}</figcaption></figure>"
        )
        for i, f in enumerate(figures, start=1)
    }


def _banner(numbers: ReportNumbers) -> str:
    label = numbers.extras.label or SIMULATED_LABEL
    return f'<div class="sim-banner">{esc(label)}</div>' if numbers.simulated else ""


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3c ") + '"'


def page_css(numbers: ReportNumbers) -> str:
    """Print layout: A4, and a running header and footer (CSS page-margin boxes) on every page.

    With simulated data both carry the SIMULATED label; otherwise the trial and data cut-off.
    """
    data = numbers.data
    head = (
        (numbers.extras.label or SIMULATED_LABEL)
        if numbers.simulated
        else f"{data.trial}: data cut-off {data.cutoff.isoformat()}"
    )
    colours = "background:#b00020;color:#fff;" if numbers.simulated else "color:#555;"
    return (
        "@page{size:A4;margin:19mm 11mm 17mm 11mm;"
        f"@top-center{{content:{_css_string(head)};{colours}font:bold 10pt sans-serif;width:100%;"
        "height:8mm;margin-top:6mm;-webkit-print-color-adjust:exact;print-color-adjust:exact}"
        f'@bottom-center{{content:{_css_string(head)} "  \\2014  page " counter(page) " of " '
        f"counter(pages);color:{'#b00020' if numbers.simulated else '#555'};font:bold 8.5pt sans-serif}}}}"
    )


def _front(numbers: ReportNumbers) -> str:
    data, a = numbers.data, numbers.analysis
    pops = a.populations
    factors = ", ".join(numbers.stratification) or "none"
    cut = data.cutoff.isoformat()
    return (
        f"<h1>{esc(data.trial)}: trial report</h1>"
        f'<p id="data-cut" class="result"><b>Data cut-off: <span data-stat="data_cutoff" data-value="{cut}">'
        f"{cut}</span>.</b> Every assessment, event, dose and adverse event after this date is ignored; "
        f"patients without an event are censored at their last assessment or last contact on or before "
        f"it. Populations: ITT {num('population.itt', pops['ITT'])}, per-protocol "
        f"{num('population.per_protocol', pops['per-protocol'])}, safety "
        f"{num('population.safety', pops['safety'])}. Analyses as specified in the protocol "
        f"{esc(numbers.protocol.identification.nct_id)}: primary landmark day "
        f"{stat('landmark_days', a.landmark_days, str(a.landmark_days))}, stratification factors "
        f"{esc(factors)}. Estimators are numerically identical to R <code>survival</code> and base R; "
        "two-sided tests, 95% confidence intervals, no adjustment for multiplicity.</p>"
        + "<nav><ol>"
        + "".join(f'<li><a href="#{k}">{esc(t)}</a></li>' for k, t in SECTIONS)
        + "</ol></nav>"
    )


def assemble(numbers: ReportNumbers, figures: list[Figure]) -> str:
    """The report fragment from computed numbers and rendered figures."""
    figs = _figure_html(figures)
    banner = _banner(numbers)
    body = "".join(
        (
            banner,
            _front(numbers),
            consort_section(numbers, figs),
            baseline_section(numbers),
            primary_section(numbers),
            survival_section(numbers, figs),
            response_section(numbers, figs),
            subgroup_section(numbers, figs),
            exposure_section(numbers),
            safety_section(numbers),
            banner,
        )
    )
    simulated = ' data-simulated="true"' if numbers.simulated else ""
    return f'<style>{CSS}{page_css(numbers)}</style><div class="oncotrial-report"{simulated}>{body}</div>'


def render_report_html(
    data: TrialData, extras: ReportExtras, *, protocol: Protocol | None = None, parallel: bool = True
) -> str:
    """The report as an HTML fragment (CSS + body) for the web application."""
    numbers = report_numbers(data, extras, protocol=protocol)
    return assemble(numbers, render_figures(numbers, parallel=parallel))


def page(fragment: str, title: str) -> str:
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>'
        f"</head><body>{fragment}</body></html>"
    )


def write_report(
    data: TrialData,
    extras: ReportExtras,
    out_dir: Path,
    *,
    pdf: bool = True,
    protocol: Protocol | None = None,
) -> ReportFiles:
    """Write ``report.html`` (self-contained) and, with ``pdf``, ``report.pdf`` to ``out_dir``."""
    timings: dict[str, float] = {}
    start = time.perf_counter()
    numbers = report_numbers(data, extras, protocol=protocol)
    timings["analysis"] = time.perf_counter() - start
    mark = time.perf_counter()
    figures = render_figures(numbers)
    timings["figures"] = time.perf_counter() - mark
    mark = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    title = f"{data.trial} trial report" + (f" ({SIMULATED_LABEL})" if numbers.simulated else "")
    html_file = out_dir / "report.html"
    html_file.write_text(page(assemble(numbers, figures), title), encoding="utf-8")
    timings["html"] = time.perf_counter() - mark
    pdf_file = None
    if pdf:
        mark = time.perf_counter()
        pdf_file = html_to_pdf(html_file, out_dir / "report.pdf")
        timings["pdf"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - start
    return ReportFiles(html_file, pdf_file, timings)
