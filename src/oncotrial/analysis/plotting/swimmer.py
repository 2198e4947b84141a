"""Swimmer plot: treatment duration per patient by arm, with responses, progression and death.

Time 0 is randomization. A bar runs from the first to the last dose; a patient still on
treatment at the data cut-off (no last dose recorded, alive) gets a bar to the cut-off and
an arrow. Markers show the first assessment with a partial response (PR), the first with a
complete response (CR), the first with progressive disease (PD) under the chosen criterion,
and death, all up to the cut-off.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from oncotrial.analysis.plotting.style import (
    DAYS_PER_MONTH,
    arm_colors,
    finish,
    journal_style,
    legend_right,
    new_figure,
    time_ticks,
)
from oncotrial.core.endpoints.records import PatientRecord
from oncotrial.core.errors import DomainError
from oncotrial.core.response.criteria import Criterion, Response

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Marker style of each event: (label, marker, face colour, size).
EVENT_MARKERS: Mapping[str, tuple[str, str, str, float]] = {
    "first_pr": ("First PR", "^", "#F0E442", 6.0),
    "first_cr": ("First CR", "*", "#009E73", 9.0),
    "progression": ("Progression", "X", "#FFFFFF", 6.5),
    "death": ("Death", "s", "#000000", 5.0),
}


@dataclass(frozen=True, slots=True)
class SwimmerLane:
    """One patient's lane; times are in the plot's unit since randomization, None if no such event."""

    patient_id: str
    arm: str
    end: float
    start: float = 0.0
    ongoing: bool = False
    first_pr: float | None = None
    first_cr: float | None = None
    progression: float | None = None
    death: float | None = None

    def __post_init__(self) -> None:
        if not 0.0 <= self.start <= self.end:
            raise DomainError(f"swimmer lane {self.patient_id!r}", (self.start, self.end), "0 ≤ start ≤ end")

    def events(self) -> dict[str, float]:
        """The events this patient has, by key of :data:`EVENT_MARKERS`."""
        found = {"first_pr": self.first_pr, "first_cr": self.first_cr,
                 "progression": self.progression, "death": self.death}
        return {k: v for k, v in found.items() if v is not None}


def _first(record: PatientRecord, response: Response, criterion: Criterion, cutoff: date) -> date | None:
    return min((s.scan_date for s in record.scans
                if s.scan_date <= cutoff and s.responses.get(criterion) is response), default=None)


def swimmer_lanes(
    records: Iterable[PatientRecord], *, cutoff: date, criterion: Criterion = Criterion.RECIST_1_1,
    days_per_unit: float = DAYS_PER_MONTH,
) -> list[SwimmerLane]:
    """Lanes of the patients who received at least one dose (months since randomization by default)."""
    lanes = []
    for record in records:
        if record.first_dose_on is None or record.first_dose_on > cutoff:
            continue

        def since(day: date | None, origin: date = record.randomized_on) -> float | None:
            return None if day is None else (day - origin).days / days_per_unit

        death = record.death_on if record.death_on is not None and record.death_on <= cutoff else None
        ongoing = record.last_dose_on is None and death is None
        last = record.last_dose_on if record.last_dose_on is not None else (death or cutoff)
        start, end = since(record.first_dose_on), since(min(last, cutoff))
        assert start is not None and end is not None
        lanes.append(SwimmerLane(
            record.patient_id, record.arm, max(end, start), start, ongoing,
            since(_first(record, Response.PR, criterion, cutoff)),
            since(_first(record, Response.CR, criterion, cutoff)),
            since(_first(record, Response.PD, criterion, cutoff)), since(death)))
    return lanes


def lane_order(lanes: Iterable[SwimmerLane], arms: Sequence[str]) -> list[SwimmerLane]:
    """Lanes grouped by arm in ``arms`` order, longest treatment first within an arm (ties by id)."""
    rank = {arm: i for i, arm in enumerate(arms)}
    return sorted(lanes, key=lambda lane: (rank[lane.arm], -lane.end, lane.patient_id))


def _draw_lane(ax: Axes, y: float, lane: SwimmerLane, color: str, arrow: float) -> None:
    ax.barh(y, lane.end - lane.start, left=lane.start, height=0.62, color=color, linewidth=0,
            gid=f"swimmer-bar-{lane.patient_id}", zorder=2)
    if lane.ongoing:
        ax.annotate("", xy=(lane.end + arrow, y), xytext=(lane.end, y), zorder=3,
                    arrowprops={"arrowstyle": "-|>", "color": color, "linewidth": 1.2, "shrinkA": 0,
                                "shrinkB": 0, "mutation_scale": 8}, gid=f"swimmer-ongoing-{lane.patient_id}")
    for key, time in lane.events().items():
        _, marker, face, size = EVENT_MARKERS[key]
        ax.plot([time], [y], marker=marker, markersize=size, markerfacecolor=face, markeredgecolor="black",
                markeredgewidth=0.6, linestyle="none", zorder=4, gid=f"swimmer-{key}-{lane.patient_id}")


def plot_swimmer(
    lanes: Sequence[SwimmerLane],
    *,
    arm_order: Sequence[str] | None = None,
    colors: Mapping[str, str] | None = None,
    xlabel: str = "Months since randomization",
    show_ids: bool | None = None,
    title: str | None = None,
    footnote: str | None = None,
    simulated: bool = False,
    width: float = 7.0,
) -> Figure:
    """Swimmer plot of treatment duration per patient, grouped by arm (longest at the top of each arm).

    Parameters
    ----------
    lanes:
        One :class:`SwimmerLane` per treated patient (see :func:`swimmer_lanes`).
    arm_order, colors:
        Order of the arm blocks from the top (default: sorted) and bar colours by arm.
    show_ids:
        Label lanes with patient ids (default: when there are at most 60 lanes).
    """
    if not lanes:
        raise DomainError("lanes", lanes, "at least one treated patient")
    arms = list(arm_order) if arm_order is not None else sorted({lane.arm for lane in lanes})
    missing = sorted({lane.arm for lane in lanes} - set(arms))
    if missing:
        raise DomainError("arm_order", arm_order, f"every arm of the lanes, including {missing}")
    ordered = lane_order(lanes, arms)
    palette = arm_colors(arms, colors)
    show = len(ordered) <= 60 if show_ids is None else show_ids
    rows: list[float] = []
    y, previous = 0.0, ordered[0].arm
    for lane in ordered:  # top to bottom, with a one-lane gap between arms
        if lane.arm != previous:
            y += 1.0
            previous = lane.arm
        rows.append(y)
        y += 1.0
    longest = max(max([lane.end, *lane.events().values()]) for lane in ordered)
    arrow = 0.04 * longest
    with journal_style():
        fig = new_figure(width, 1.4 + 0.16 * y)
        ax = fig.add_subplot()
        for row, lane in zip(rows, ordered, strict=True):
            _draw_lane(ax, row, lane, palette[lane.arm], arrow)
        ax.set_ylim(y - 0.4, -0.6)
        ax.set_xticks(time_ticks(longest + arrow))
        ax.set_xlim(0.0, longest + 2 * arrow)
        ax.set_yticks(rows, [lane.patient_id for lane in ordered] if show else [""] * len(rows))
        ax.tick_params(axis="y", length=0, labelsize=6.5 if len(rows) > 30 else 8)
        ax.set_xlabel(xlabel)
        ax.set_ylabel("Patients")
        ax.spines["left"].set_visible(False)
        ax.grid(axis="x", color="#DDDDDD", linewidth=0.5, zorder=0)
        ax.set_axisbelow(True)
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch

        handles: list[Patch | Line2D] = [Patch(facecolor=palette[a], label=a) for a in arms]
        used = {key for lane in ordered for key in lane.events()}
        for key, (label, marker, face, size) in EVENT_MARKERS.items():
            if key in used:
                handles.append(Line2D([], [], marker=marker, markersize=size, markerfacecolor=face,
                                      markeredgecolor="black", markeredgewidth=0.6, linestyle="none",
                                      label=label))
        if any(lane.ongoing for lane in ordered):
            handles.append(Line2D([], [], marker=r"$\rightarrow$", markersize=10, color="#333333",
                                  linestyle="none", label="On treatment at cut-off"))
        legend_right(ax, handles)
        finish(fig, title=title, footnote=footnote, simulated=simulated)
    return fig
