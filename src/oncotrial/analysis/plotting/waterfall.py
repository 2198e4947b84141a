"""Waterfall plot: best % change from baseline in the sum of target lesions, one bar per patient.

The best change is the smallest post-baseline value of ``ScanOutcome.target_change_pct``
(the largest shrinkage, or the smallest growth when none shrank) up to the first
progression, the data cut-off or the start of a new anticancer therapy, whichever is first
(RECIST 1.1 §4.4.3). Bars are
sorted from the largest growth (left) to the largest shrinkage (right) and coloured by the
best overall response; dashed lines mark the RECIST 1.1 thresholds, −30 % (partial
response) and +20 % (progression; RECIST 1.1 §4.3.1).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from oncotrial.analysis.plotting.style import (
    BOR_COLORS,
    BOR_ORDER,
    finish,
    journal_style,
    legend_right,
    new_figure,
)
from oncotrial.core.endpoints.records import PatientRecord
from oncotrial.core.endpoints.response_endpoints import ResponseSettings, best_response
from oncotrial.core.errors import DomainError
from oncotrial.core.response.criteria import Criterion, Response

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: RECIST 1.1 thresholds on the change of the target sum, in %.
PARTIAL_RESPONSE_PCT = -30.0
PROGRESSION_PCT = 20.0


@dataclass(frozen=True, slots=True)
class WaterfallBar:
    """One patient's best % change of the target sum and best overall response (CDISC spelling)."""

    patient_id: str
    best_change_pct: float
    response: str
    arm: str | None = None


def last_evaluable_date(record: PatientRecord, cutoff: date) -> date:
    """The cut-off, or the start of a new anticancer therapy if earlier (RECIST 1.1 §4.4.3)."""
    therapy = record.new_anticancer_therapy_on
    return therapy if therapy is not None and therapy < cutoff else cutoff


def waterfall_bars(
    records: Iterable[PatientRecord], *, cutoff: date, criterion: Criterion = Criterion.RECIST_1_1,
    settings: ResponseSettings | None = None,
) -> list[WaterfallBar]:
    """One bar per patient with at least one post-baseline target-sum change; others are left out."""
    bars = []
    for record in records:
        end = last_evaluable_date(record, cutoff)
        progression = min((s.scan_date for s in record.scans if s.responses.get(criterion) is Response.PD),
                          default=end)
        end = min(end, progression)
        baseline = record.baseline_scan_on or record.randomized_on
        changes = [s.target_change_pct for s in record.scans
                   if s.target_change_pct is not None and baseline < s.scan_date <= end]
        if not changes:
            continue
        bor = best_response(record, criterion=criterion, cutoff=cutoff, settings=settings)
        bars.append(WaterfallBar(record.patient_id, min(changes), str(bor.response), record.arm))
    return bars


def sorted_bars(bars: Iterable[WaterfallBar]) -> list[WaterfallBar]:
    """Largest growth first, largest shrinkage last; ties by patient id (a stable, repeatable order)."""
    return sorted(bars, key=lambda b: (-b.best_change_pct, b.patient_id))


def _draw_panel(ax: Axes, bars: list[WaterfallBar], cap: float | None, palette: Mapping[str, str]) -> None:
    heights = [b.best_change_pct if cap is None else min(b.best_change_pct, cap) for b in bars]
    container = ax.bar(range(len(bars)), heights, width=0.82, linewidth=0,
                       color=[palette.get(b.response, palette["NE"]) for b in bars], zorder=2)
    for patch, bar in zip(container.patches, bars, strict=True):
        patch.set_gid(f"waterfall-bar-{bar.patient_id}")
        if cap is not None and bar.best_change_pct > cap:
            ax.text(patch.get_x() + patch.get_width() / 2, cap + 2, f"{bar.best_change_pct:.0f}%",
                    ha="center", va="bottom", rotation=90, fontsize=6.5)
    ax.axhline(0.0, color="#444444", linewidth=0.8, zorder=3)
    for level, label in ((PROGRESSION_PCT, "+20%"), (PARTIAL_RESPONSE_PCT, "−30%")):
        ax.axhline(level, color="#444444", linewidth=0.8, linestyle="--", zorder=1,
                   gid=f"waterfall-ref-{level:g}")
        ax.text(1.0, level, f" {label}", transform=ax.get_yaxis_transform(), va="center", ha="left",
                fontsize=7.5, color="#444444")
    ax.set_xlim(-0.7, max(len(bars), 1) - 0.3)
    ax.set_xticks([])
    ax.spines["bottom"].set_visible(False)


def plot_waterfall(
    bars: Sequence[WaterfallBar],
    *,
    by_arm: bool = False,
    arm_order: Sequence[str] | None = None,
    cap: float | None = 100.0,
    ylabel: str = "Best change from baseline in\nsum of target lesions (%)",
    colors: Mapping[str, str] | None = None,
    title: str | None = None,
    footnote: str | None = None,
    simulated: bool = False,
    width: float = 7.0,
) -> Figure:
    """Waterfall of best % change, bars coloured by best overall response.

    Parameters
    ----------
    bars:
        One :class:`WaterfallBar` per patient (see :func:`waterfall_bars`); drawn in the order of
        :func:`sorted_bars`.
    by_arm:
        One panel per arm side by side, sharing the y axis (``arm_order`` sets the order).
    cap:
        Bars above this % are cut at it and labelled with their value (None: no cap).
    colors:
        Overrides of :data:`~oncotrial.analysis.plotting.style.BOR_COLORS` by response.
    """
    if not bars:
        raise DomainError("bars", bars, "at least one patient with a post-baseline target-sum change")
    palette = {**BOR_COLORS, **(colors or {})}
    if by_arm:
        arms = list(arm_order) if arm_order is not None else sorted({str(b.arm) for b in bars})
        panels = [(arm, sorted_bars(b for b in bars if str(b.arm) == arm)) for arm in arms]
        panels = [(arm, items) for arm, items in panels if items]
    else:
        panels = [("", sorted_bars(bars))]
    top = max(b.best_change_pct for b in bars)
    upper = max(PROGRESSION_PCT, top if cap is None else min(top, cap)) + (22 if cap and top > cap else 8)
    with journal_style():
        fig = new_figure(width, 3.6)
        grid = fig.add_gridspec(1, len(panels), width_ratios=[max(len(items), 3) for _, items in panels])
        first: Axes | None = None
        for k, (arm, items) in enumerate(panels):
            ax = fig.add_subplot(grid[k], sharey=first)
            first = first or ax
            _draw_panel(ax, items, cap, palette)
            ax.set_xlabel(f"Patients (n = {len(items)})")
            if arm:
                ax.set_title(arm, fontsize=9, fontweight="bold")
            if k == 0:
                ax.set_ylabel(ylabel)
            else:
                ax.tick_params(axis="y", labelleft=False)
        assert first is not None
        first.set_ylim(-105.0, upper)
        first.set_yticks([-100, -50, -30, 0, 20, 50, 100] if upper > 100 else [-100, -50, -30, 0, 20, 50])
        from matplotlib.patches import Patch

        present = [r for r in BOR_ORDER if any(b.response == r for b in bars)]
        present += sorted({b.response for b in bars} - set(present))
        counts = {r: sum(b.response == r for b in bars) for r in present}
        handles = [Patch(facecolor=palette.get(r, palette["NE"]), label=f"{r} (n = {counts[r]})")
                   for r in present]
        legend_right(ax, handles, title="Best overall response", gap_pt=30.0)
        finish(fig, title=title, footnote=footnote, simulated=simulated)
    return fig
