"""Forest plot of hazard ratios by subgroup, from precomputed rows.

The plot does not fit models: the caller passes one :class:`ForestRow` per subgroup level
(typically the Cox HR of PFS within the level, R ``coxph``) and, optionally, interaction
p-values per subgroup. The protocol's subgroups are ECOG performance status, extrahepatic
metastasis, CA19-9, HBV infection and Child–Pugh class (:data:`PROTOCOL_SUBGROUPS`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from oncotrial.analysis.plotting.style import ARM_COLORS, finish, format_p, journal_style, new_figure
from oncotrial.core.errors import DomainError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Subgroups pre-specified for the PFS forest plot of NCT07304388.
PROTOCOL_SUBGROUPS: tuple[str, ...] = ("ECOG", "Extrahepatic metastasis", "CA19-9", "HBV", "Child-Pugh")

#: Hazard-ratio axis ticks (log scale); the default axis runs between two of them.
NICE_TICKS: tuple[float, ...] = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0)


@dataclass(frozen=True, slots=True)
class ForestRow:
    """One line of the forest plot: a subgroup level (or all patients) and its hazard ratio.

    ``hr``, ``lower`` and ``upper`` are None when the HR is not estimable (drawn as "NE");
    ``subgroup`` groups consecutive rows under a bold heading (None: a row of its own, such
    as "All patients").
    """

    label: str
    n: int | None
    hr: float | None
    lower: float | None
    upper: float | None
    p: float | None = None
    subgroup: str | None = None

    def __post_init__(self) -> None:
        values = (self.hr, self.lower, self.upper)
        if any(v is not None and not (math.isfinite(v) and v > 0) for v in values):
            raise DomainError(f"forest row {self.label!r}", values, "positive finite HR and limits, or None",
                              "pass None for a hazard ratio that could not be estimated")
        if None not in values and not (self.lower <= self.hr <= self.upper):  # type: ignore[operator]
            raise DomainError(f"forest row {self.label!r}", values, "lower ≤ HR ≤ upper")


RowLike = ForestRow | tuple[str, int | None, float | None, float | None, float | None, float | None]


def _layout(rows: Sequence[ForestRow]) -> list[tuple[str, ForestRow | None]]:
    """Rows in drawing order, with a heading before each run of rows of one subgroup."""
    lines: list[tuple[str, ForestRow | None]] = []
    previous: str | None = None
    for row in rows:
        if row.subgroup is not None and row.subgroup != previous:
            lines.append((row.subgroup, None))
        lines.append((row.label, row))
        previous = row.subgroup
    return lines


def _hr_text(row: ForestRow) -> str:
    if row.hr is None or row.lower is None or row.upper is None:
        return "NE"
    return f"{row.hr:.2f} ({row.lower:.2f}–{row.upper:.2f})"


def _draw_rows(ax: Axes, lines: list[tuple[str, ForestRow | None]], xlim: tuple[float, float],
               color: str) -> None:
    largest = max((r.n or 0) for _, r in lines if r is not None) or 1
    for i, (_, row) in enumerate(lines):
        y = len(lines) - 1 - i
        if row is None or row.hr is None or row.lower is None or row.upper is None:
            continue
        lo, hi = max(row.lower, xlim[0]), min(row.upper, xlim[1])
        ax.plot([lo, hi], [y, y], color=color, linewidth=1.2, solid_capstyle="butt", gid=f"forest-ci-{i}")
        for end, clipped, marker in ((lo, row.lower < xlim[0], "<"), (hi, row.upper > xlim[1], ">")):
            if clipped:
                ax.plot([end], [y], marker=marker, color=color, markersize=4)
        size = 4.0 + 6.0 * math.sqrt((row.n or largest * 0.3) / largest)
        marker = "D" if row.subgroup is None else "s"
        ax.plot([row.hr], [y], marker=marker, markersize=size, color=color, linestyle="none",
                gid=f"forest-hr-{i}", zorder=3)


def plot_forest(
    rows: Sequence[RowLike],
    *,
    interaction_p: Mapping[str, float] | None = None,
    favours: tuple[str, str] = ("Favours HAIC + GEMOX", "Favours GEMOX"),
    xlabel: str = "Hazard ratio (95% CI)",
    xlim: tuple[float, float] | None = None,
    color: str = ARM_COLORS[0],
    title: str | None = None,
    footnote: str | None = None,
    simulated: bool = False,
    width: float = 7.0,
) -> Figure:
    """Forest plot of hazard ratios with their CIs on a log axis.

    Parameters
    ----------
    rows:
        :class:`ForestRow` objects, or tuples ``(label, n, hr, lower, upper, p)``, in display
        order. Marker areas grow with ``n``; CIs beyond ``xlim`` end in an arrow.
    interaction_p:
        p-value of the treatment-by-subgroup interaction, printed on the subgroup heading.
    favours:
        Labels under the axis, left (HR < 1) and right (HR > 1) of the line of no effect.
    """
    items = [r if isinstance(r, ForestRow) else ForestRow(*r) for r in rows]
    if not items:
        raise DomainError("rows", rows, "at least one forest row")
    lines = _layout(items)
    finite = [v for r in items for v in (r.lower, r.upper) if v is not None]
    if xlim is None:
        low, high = min([*finite, 0.5]), max([*finite, 2.0])
        xlim = (max([t for t in NICE_TICKS if t <= low], default=NICE_TICKS[0]),
                min([t for t in NICE_TICKS if t >= high], default=NICE_TICKS[-1]))
    interaction = dict(interaction_p or {})
    with journal_style():
        fig = new_figure(width, 1.3 + 0.24 * len(lines))
        grid = fig.add_gridspec(1, 3, width_ratios=[2.3, 2.4, 2.0], wspace=0.0)
        left = fig.add_subplot(grid[0], label="aux")
        ax = fig.add_subplot(grid[1])
        right = fig.add_subplot(grid[2], sharey=left, label="aux")
        for panel in (left, right):
            panel.set_axis_off()
        top = len(lines) - 0.5
        left.set_xlim(0, 1)
        left.text(0.0, top + 0.3, "Subgroup", fontweight="bold", va="bottom")
        left.text(0.98, top + 0.3, "n", fontweight="bold", va="bottom", ha="right")
        right.set_xlim(0, 1)
        right.text(0.05, top + 0.3, "HR (95% CI)", fontweight="bold", va="bottom")
        right.text(0.98, top + 0.3, "p", fontweight="bold", va="bottom", ha="right")
        for i, (label, row) in enumerate(lines):
            y = len(lines) - 1 - i
            if row is None:
                left.text(0.0, y, label, va="center", fontweight="bold", gid=f"forest-heading-{i}")
                if label in interaction:
                    right.text(0.98, y, f"interaction {format_p(interaction[label])}", va="center",
                               ha="right", fontsize=7.5, style="italic")
                continue
            indent = 0.05 if row.subgroup is not None else 0.0
            weight = "normal" if row.subgroup is not None else "bold"
            left.text(indent, y, label, va="center", fontweight=weight, gid=f"forest-label-{i}")
            left.text(0.98, y, "" if row.n is None else str(row.n), va="center", ha="right",
                      gid=f"forest-n-{i}")
            right.text(0.05, y, _hr_text(row), va="center", gid=f"forest-hrtext-{i}")
            if row.p is not None:
                right.text(0.98, y, format_p(row.p).removeprefix("p = ").removeprefix("p "), va="center",
                           ha="right", gid=f"forest-p-{i}")
        left.set_ylim(-1.2, len(lines) + 0.2)
        ax.set_xscale("log")
        ax.set_xlim(*xlim)
        ax.set_ylim(-1.2, len(lines) + 0.2)
        ticks = [t for t in NICE_TICKS if xlim[0] <= t <= xlim[1]]
        ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
        ax.minorticks_off()
        ax.vlines(1.0, -0.5, len(lines) - 0.5, color="#444444", linewidth=0.8, zorder=1)
        overall = next((r.hr for r in items if r.subgroup is None and r.hr is not None), None)
        if overall is not None:
            ax.vlines(overall, -0.5, len(lines) - 0.5, color=color, linewidth=0.8, linestyle="--", alpha=0.6,
                      zorder=1)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        _draw_rows(ax, lines, xlim, color)
        ax.set_xlabel(xlabel)
        # captions either side of HR = 1, wherever it falls on an asymmetric axis
        centre = float(np.interp(0.0, np.log(np.asarray(xlim)), [0.0, 1.0]))
        ax.text(centre - 0.03, -0.8, f"← {favours[0]}", transform=ax.get_yaxis_transform(), ha="right",
                va="center", fontsize=7.5, color="#333333", gid="forest-favours-left")
        ax.text(centre + 0.03, -0.8, f"{favours[1]} →", transform=ax.get_yaxis_transform(), ha="left",
                va="center", fontsize=7.5, color="#333333", gid="forest-favours-right")
        finish(fig, title=title, footnote=footnote, simulated=simulated)
    return fig
