"""Spider plot: % change from baseline in the sum of target lesions over time, one line per patient.

Each line starts at 0 % at time 0 (randomization) and joins the patient's assessments
with a target-sum change (``ScanOutcome.target_change_pct``) up to the data cut-off or the
start of a new anticancer therapy. Dashed lines mark the RECIST 1.1 thresholds (−30 %, +20 %).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from oncotrial.analysis.plotting.style import (
    BOR_COLORS,
    BOR_ORDER,
    arm_colors,
    finish,
    journal_style,
    legend_right,
    new_figure,
    time_ticks,
)
from oncotrial.analysis.plotting.waterfall import PARTIAL_RESPONSE_PCT, PROGRESSION_PCT, last_evaluable_date
from oncotrial.core.endpoints.records import PatientRecord
from oncotrial.core.endpoints.response_endpoints import ResponseSettings, best_response
from oncotrial.core.errors import DomainError
from oncotrial.core.response.criteria import Criterion

if TYPE_CHECKING:
    from matplotlib.figure import Figure

DAYS_PER_WEEK = 7.0


@dataclass(frozen=True, slots=True)
class SpiderSeries:
    """One patient's target-sum changes (%) at times since randomization; the origin (0, 0) is implied."""

    patient_id: str
    times: tuple[float, ...]
    change_pct: tuple[float, ...]
    arm: str | None = None
    response: str | None = None

    def __post_init__(self) -> None:
        if len(self.times) != len(self.change_pct):
            raise DomainError(f"spider series {self.patient_id!r}", (self.times, self.change_pct),
                              "as many times as changes")


def spider_series(
    records: Iterable[PatientRecord], *, cutoff: date, criterion: Criterion = Criterion.RECIST_1_1,
    days_per_unit: float = DAYS_PER_WEEK, settings: ResponseSettings | None = None,
) -> list[SpiderSeries]:
    """Series of the patients with at least one post-baseline target-sum change (weeks by default)."""
    series = []
    for record in records:
        end = last_evaluable_date(record, cutoff)
        baseline = record.baseline_scan_on or record.randomized_on
        scans = sorted((s for s in record.scans
                        if s.target_change_pct is not None and baseline < s.scan_date <= end),
                       key=lambda s: s.scan_date)
        if not scans:
            continue
        bor = best_response(record, criterion=criterion, cutoff=cutoff, settings=settings)
        series.append(SpiderSeries(
            record.patient_id,
            tuple((s.scan_date - record.randomized_on).days / days_per_unit for s in scans),
            tuple(float(s.target_change_pct) for s in scans if s.target_change_pct is not None),
            record.arm, str(bor.response)))
    return series


def plot_spider(
    series: Sequence[SpiderSeries],
    *,
    color_by: Literal["arm", "response"] = "arm",
    arm_order: Sequence[str] | None = None,
    colors: Mapping[str, str] | None = None,
    xlabel: str = "Weeks since randomization",
    ylabel: str = "Change from baseline in\nsum of target lesions (%)",
    title: str | None = None,
    footnote: str | None = None,
    simulated: bool = False,
    width: float = 7.0,
) -> Figure:
    """Spider plot of % change over time, one line per patient.

    Parameters
    ----------
    series:
        One :class:`SpiderSeries` per patient (see :func:`spider_series`).
    color_by:
        Colour lines by ``"arm"`` (``arm_order`` and ``colors`` by arm) or by best overall
        ``"response"`` (``colors`` by response).
    """
    if not series:
        raise DomainError("series", series, "at least one patient with a post-baseline target-sum change")
    if color_by == "arm":
        keys = list(arm_order) if arm_order is not None else sorted({str(s.arm) for s in series})
        palette = arm_colors(keys, colors)
    elif color_by == "response":
        present = {str(s.response) for s in series}
        keys = [r for r in BOR_ORDER if r in present] + sorted(present - set(BOR_ORDER))
        palette = {**BOR_COLORS, **(colors or {})}
    else:
        raise DomainError("color_by", color_by, "'arm' or 'response'")
    with journal_style():
        fig = new_figure(width, 3.8)
        ax = fig.add_subplot()
        for s in series:
            key = str(s.arm) if color_by == "arm" else str(s.response)
            color = palette.get(key, "#999999")
            ax.plot((0.0, *s.times), (0.0, *s.change_pct), color=color, linewidth=1.0, alpha=0.85,
                    marker="o", markersize=2.5, gid=f"spider-{s.patient_id}", zorder=2)
            ax.plot([s.times[-1]], [s.change_pct[-1]], color=color, marker="o", markersize=4, zorder=3)
        for level, label in ((PROGRESSION_PCT, "+20%"), (PARTIAL_RESPONSE_PCT, "−30%")):
            ax.axhline(level, color="#444444", linewidth=0.8, linestyle="--", zorder=1)
            ax.text(1.0, level, f" {label}", transform=ax.get_yaxis_transform(), va="center", ha="left",
                    fontsize=7.5, color="#444444")
        ax.axhline(0.0, color="#444444", linewidth=0.6, zorder=1)
        last = max(s.times[-1] for s in series)
        ticks = time_ticks(last)
        ax.set_xticks(ticks)
        ax.set_xlim(0.0, max(float(ticks[-1]), last * 1.02))
        low = min(min(s.change_pct) for s in series)
        ax.set_ylim(bottom=min(-105.0, low - 5))
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        from matplotlib.lines import Line2D

        counts = {k: sum((str(s.arm) if color_by == "arm" else str(s.response)) == k for s in series)
                  for k in keys}
        handles = [Line2D([], [], color=palette.get(k, "#999999"), marker="o", markersize=4,
                          label=f"{k} (n = {counts[k]})") for k in keys if counts[k]]
        legend_right(ax, handles, title="Arm" if color_by == "arm" else "Best overall response",
                     gap_pt=30.0)
        finish(fig, title=title, footnote=footnote, simulated=simulated)
    return fig
