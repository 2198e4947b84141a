"""A simulation report: the scenario's operating characteristics (and under H0), three renderers."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any

from oncotrial.simulation.characteristics import SIMULATED_LABEL, OperatingCharacteristics


def _fmt(v: Any, digits: int = 4) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return "–" if math.isnan(v) else f"{v:.{digits}f}"
    return str(v)


def _pm(d: dict[str, float], digits: int = 4) -> str:
    return f"{_fmt(d['estimate'], digits)} ± {_fmt(d['mc_se'], digits)}"


@dataclass
class SimulationReport:
    """``main`` under the scenario; ``null`` under H0 (experimental arm = control arm) when asked."""

    main: OperatingCharacteristics
    null: OperatingCharacteristics | None = None

    @property
    def results(self) -> list[OperatingCharacteristics]:
        return [self.main] + ([self.null] if self.null is not None else [])

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"label": SIMULATED_LABEL, "power": self.main.rejection,
                               "main": self.main.to_dict()}
        if self.null is not None:
            out["type_i_error"] = self.null.rejection
            out["null"] = self.null.to_dict()
        return out

    def to_text(self) -> str:
        """Plain-text tables (the CLI prints a rich version of the same rows)."""
        lines = [SIMULATED_LABEL, ""]
        for oc in self.results:
            d = oc.to_dict()
            lines.append(f"Scenario: {oc.scenario.name} — {d['trials']:,} trials, engine {d['engine']}, "
                         f"{d['seconds']:.2f} s")
            lines.append(f"  P(reject H0) = {_pm(d['reject_h0'])}   (± Monte Carlo SE)")
            lines.append("  look  planned  efficacy z  P(reject)         P(futility)       "
                         "mean time  mean events")
            for lk in d["looks"]:
                lines.append(f"  {lk['look']:>4}  {lk['planned']:>7g}  {_fmt(lk['efficacy_z']):>10}  "
                             f"{_pm(lk['reject']):<16}  {_pm(lk['futility_stop']):<16}  "
                             f"{_fmt(lk['mean_time']['estimate'], 2):>9}  "
                             f"{_fmt(lk['mean_events']['estimate'], 1):>11}")
            e = d["expected"]
            lines.append(f"  expected events {_pm(e['events'], 2)}, "
                         f"duration {_pm(e['duration_months'], 2)} months, "
                         f"sample size {_pm(e['sample_size'], 2)}")
            for t in d["tests"]:
                lines.append(f"  {t['test']:<20} reject at stopping look {_pm(t['reject_at_stopping_look'])}"
                             + ("  (primary)" if t["primary"] else ""))
            hr = d["hazard_ratio"]
            if hr:
                lines.append(f"  HR estimate ({hr['source']}): median {_fmt(hr['median_hr'], 3)}, "
                             f"95% of trials in [{_fmt(hr['q025_hr'], 3)}, {_fmt(hr['q975_hr'], 3)}]")
            t = d["analysis_time"]
            lines.append(f"  final analysis time: median {_fmt(t['median'], 2)} months, "
                         f"95% in [{_fmt(t['q025'], 2)}, {_fmt(t['q975'], 2)}]")
            lines.append("")
        return "\n".join(lines)

    def to_html(self, plots: bool = True) -> str:
        """A standalone HTML page with tables and (optionally) embedded PNG plots."""
        return html_page([self], plots)

    def html_sections(self, plots: bool = True) -> list[str]:
        """The HTML of this report without the page around it."""
        from oncotrial.simulation.plotting import plot_analysis_time, plot_hazard_ratio, plot_stages

        parts: list[str] = []
        for oc in self.results:
            d = oc.to_dict()
            parts.append(f"<h2>{html.escape(oc.scenario.name)}</h2>")
            if oc.scenario.title:
                parts.append(f"<p>{html.escape(oc.scenario.title)}</p>")
            parts.append(f"<p>{d['trials']:,} trials, engine {d['engine']}; P(reject H0) = "
                         f"<b>{_pm(d['reject_h0'])}</b> (± Monte Carlo SE).</p>")
            parts.append(oc.summary.to_html(index=False, float_format=lambda x: f"{x:.4f}"))
            desc = d["scenario"]
            parts.append("<h3>Scenario</h3><ul>" + "".join(
                f"<li><b>{html.escape(k)}</b>: {html.escape(str(v))}</li>" for k, v in desc.items())
                + "</ul>")
            if plots:
                for img in (plot_hazard_ratio(oc), plot_analysis_time(oc)):
                    if img:
                        parts.append(f"<img alt='plot' src='data:image/png;base64,{img}'>")
        if plots:
            parts.append(f"<img alt='stages' src='data:image/png;base64,{plot_stages(self.results)}'>")
        return parts


def html_page(reports: list[SimulationReport], plots: bool = True) -> str:
    """One standalone HTML page for one or more reports (a scenario grid)."""
    parts = ["<!doctype html><html><head><meta charset='utf-8'><title>Oncotrial simulation</title>",
             "<style>body{font-family:sans-serif;max-width:960px;margin:2em auto}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}"
             ".banner{background:#fee;border:2px solid #c00;padding:.5em;font-weight:bold}"
             "</style></head><body>",
             f"<p class='banner'>{html.escape(SIMULATED_LABEL)}</p>"]
    for r in reports:
        parts.extend(r.html_sections(plots))
    parts.append("</body></html>")
    return "\n".join(parts)
