"""Kaplan–Meier curves per arm with censor ticks, medians, CI bands and a numbers-at-risk table.

Curves, medians and their limits come from :class:`~oncotrial.analysis.kaplan_meier.KaplanMeierFitter`
(R ``survfit``; medians by ``quantile.survfit``); the numbers at risk under each x-axis tick
are R's ``summary(fit, times = ticks, extend = TRUE)$n.risk``, the number of patients whose
follow-up time is ≥ the tick; the optional p-value is R ``survdiff`` (log-rank).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from oncotrial.analysis.kaplan_meier import ConfType, KaplanMeierFitter, fit_by_group
from oncotrial.analysis.logrank import survdiff
from oncotrial.analysis.plotting.style import (
    DAYS_PER_MONTH,
    arm_colors,
    finish,
    format_p,
    format_time,
    journal_style,
    new_figure,
    time_ticks,
)
from oncotrial.analysis.survival_data import FloatArray
from oncotrial.core.endpoints.time_to_event import TimeToEvent
from oncotrial.core.errors import DomainError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


LegendCorner = Literal["upper right", "upper left", "lower left", "lower right"]


def survival_inputs(
    rows: Iterable[TimeToEvent], *, days_per_unit: float = DAYS_PER_MONTH,
) -> tuple[FloatArray, NDArray[np.bool_], list[str]]:
    """Durations (in months by default), event flags and arms from ADTTE-like rows, for :func:`plot_km`."""
    items = list(rows)
    durations = np.array([r.time_days / days_per_unit for r in items], dtype=np.float64)
    events = np.array([r.event for r in items], dtype=np.bool_)
    return durations, events, [r.arm for r in items]


def numbers_at_risk(fitter: KaplanMeierFitter, times: Sequence[float] | ArrayLike) -> NDArray[np.int64]:
    """Patients at risk at each time, as R ``summary(fit, times=, extend=TRUE)$n.risk`` (time ≥ t).

    ``times`` must be sorted and finite (x-axis ticks are).
    """
    t = np.asarray(times, dtype=np.float64)
    if t.size and (not np.all(np.isfinite(t)) or np.any(np.diff(t) < 0)):
        raise DomainError("times", times, "sorted finite times, such as the x-axis ticks")
    table = fitter.survival_at(t, extend=True)
    return np.asarray(table["n_risk"], dtype=np.int64)


def _legend_label(arm: str, km: KaplanMeierFitter, unit: str, medians: bool) -> str:
    events = int(km.n_event_.sum())
    label = f"{arm} (n = {km.n_}; {events} events)"
    if medians:
        lo, hi = km.median_confidence_interval_
        level = f"{km.conf_level:.0%}"
        median = format_time(km.median_survival_time_)
        label += (f"\nMedian {median}{'' if median == 'NR' else ' ' + unit} "
                  f"({level} CI {format_time(lo)}–{format_time(hi)})")
    return label


def _draw_curve(ax: Axes, arm: str, km: KaplanMeierFitter, color: str, *, bands: bool, label: str) -> None:
    x = np.concatenate(([0.0], km.timeline_))
    ax.step(x, np.concatenate(([1.0], km.survival_)), where="post", color=color, label=label,
            gid=f"km-curve-{arm}", zorder=3)
    censored = km.n_censor_ > 0
    ax.plot(km.timeline_[censored], km.survival_[censored], linestyle="none", marker="|", markersize=7,
            markeredgewidth=1.1, color=color, gid=f"km-censor-{arm}", zorder=4)
    if bands:
        ax.fill_between(x, np.concatenate(([1.0], km.lower_)), np.concatenate(([1.0], km.upper_)),
                        step="post", color=color, alpha=0.15, linewidth=0, gid=f"km-band-{arm}", zorder=2)
    median = km.median_survival_time_
    if np.isfinite(median):
        ax.plot([0.0, median], [0.5, 0.5], color="#777777", linestyle=":", linewidth=0.9, zorder=1)
        ax.plot([median, median], [0.0, 0.5], color=color, linestyle=":", linewidth=1.0,
                gid=f"km-median-{arm}", zorder=1)


def _draw_at_risk(ax: Axes, arms: list[str], curves: Mapping[str, KaplanMeierFitter], ticks: FloatArray,
                  colors: Mapping[str, str]) -> None:
    rows = len(arms)
    for i, arm in enumerate(arms):
        y = rows - 1 - i
        for k, (t, n) in enumerate(zip(ticks, numbers_at_risk(curves[arm], ticks), strict=True)):
            ax.text(t, y, str(int(n)), ha="center", va="center", fontsize=8, color=colors[arm],
                    gid=f"at-risk-{arm}-{k}")
    ax.set_ylim(-0.5, rows - 0.5)
    ax.set_yticks(range(rows), [arms[rows - 1 - j] for j in range(rows)])
    for tick_label, arm in zip(ax.get_yticklabels(), reversed(arms), strict=True):
        tick_label.set_color(colors[arm])
    ax.tick_params(axis="y", length=0, pad=14)  # clear of the half-width of the number at t = 0
    ax.tick_params(axis="x", which="both", bottom=False, labelbottom=False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title("Number at risk", loc="left", fontsize=8.5, fontweight="bold", pad=2)


def plot_km(
    durations: ArrayLike,
    events: ArrayLike | None,
    groups: ArrayLike | None = None,
    *,
    arm_order: Sequence[str] | None = None,
    colors: Mapping[str, str] | None = None,
    time_unit: str = "months",
    xlabel: str = "Months since randomization",
    ylabel: str = "Survival probability",
    tick_step: float | None = None,
    xmax: float | None = None,
    confidence_bands: bool = False,
    conf_type: ConfType = "log",
    conf_level: float = 0.95,
    medians: bool = True,
    at_risk: bool = True,
    logrank: bool = True,
    p_value: float | None = None,
    p_label: str = "Log-rank",
    annotation: str | None = None,
    legend_loc: LegendCorner = "upper right",
    title: str | None = None,
    footnote: str | None = None,
    simulated: bool = False,
    width: float = 7.0,
) -> Figure:
    """Kaplan–Meier curves per arm, journal style.

    Parameters
    ----------
    durations, events, groups:
        Follow-up time, event flag (1 = event) and arm per patient; ``groups=None`` draws one
        curve ("All patients"). See :func:`survival_inputs` for ADTTE rows.
    arm_order, colors:
        Order of the arms in the legend and the table (default: sorted) and their colours.
    tick_step, xmax:
        Spacing of the x-axis ticks (default: a "nice" step) and the end of the axis
        (default: the first tick after the longest follow-up).
    confidence_bands, conf_type, conf_level:
        Pointwise CI bands (R ``conf.type``); the level also applies to the median CIs.
    medians:
        Dotted lines to each median and the median with its CI in the legend ("NR" = not reached).
    at_risk:
        The numbers-at-risk table, one number under each x-axis tick (:func:`numbers_at_risk`).
    logrank, p_value, p_label:
        Print ``"<p_label> p = …"`` in a lower corner free of the legend: ``p_value`` if given (e.g. a
        stratified test), else the unstratified log-rank test of these data.
    annotation:
        Extra lines above the p-value, e.g. ``"HR 0.64 (95% CI 0.42–0.97)"``.
    legend_loc:
        Where the legend (arms, n, events, medians) goes inside the panel, e.g. ``"lower left"``
        for curves that stay high.
    title, footnote, simulated:
        See :func:`oncotrial.analysis.plotting.style.finish`.
    """
    labels = np.full(np.asarray(durations).shape, "All patients", dtype=object) if groups is None else groups
    fits = fit_by_group(durations, events, labels, conf_type=conf_type, conf_level=conf_level)
    curves = {str(k): v for k, v in fits.items()}
    arms = list(arm_order) if arm_order is not None else list(curves)
    if sorted(arms) != sorted(curves):
        raise DomainError("arm_order", arm_order, f"each of the arms {sorted(curves)} exactly once")
    palette = arm_colors(arms, colors)
    longest = float(max(km.timeline_[-1] for km in curves.values()))
    ticks = time_ticks(xmax if xmax is not None else longest, step=tick_step, covering=xmax is None)
    right = xmax if xmax is not None else max(float(ticks[-1]), longest)
    with journal_style():
        table_height = 0.27 * len(arms) + 0.3 if at_risk else 0.0
        legend_height = 0.32 * len(arms) * (2 if medians else 1)
        fig = new_figure(width, 3.6 + legend_height * 0.5 + table_height)
        if at_risk:
            grid = fig.add_gridspec(2, 1, height_ratios=[3.6 + legend_height * 0.5, table_height])
            ax = fig.add_subplot(grid[0])
            ax_risk = fig.add_subplot(grid[1], sharex=ax, label="aux")
        else:
            ax = fig.add_subplot()
        for arm in arms:
            _draw_curve(ax, arm, curves[arm], palette[arm], bands=confidence_bands,
                        label=_legend_label(arm, curves[arm], time_unit, medians))
        ax.set_xlim(0.0, right * 1.01)
        ax.set_xticks(ticks[ticks <= right + 1e-9])
        ax.set_ylim(0.0, 1.03)
        ax.set_yticks(np.linspace(0.0, 1.0, 5))
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.legend(loc=legend_loc, handlelength=1.6, labelspacing=0.7, borderaxespad=0.3)
        corner = [annotation] if annotation else []
        if logrank and len(arms) >= 2:
            p = p_value if p_value is not None else survdiff(durations, events, labels).p_value
            corner.append(f"{p_label} {format_p(p)}")
        if corner:
            x, ha = (0.98, "right") if legend_loc == "lower left" else (0.02, "left")
            ax.text(x, 0.03, "\n".join(corner), transform=ax.transAxes, ha=ha, va="bottom",
                    fontsize=8.5, gid="km-p-value", linespacing=1.4)
        if at_risk:
            _draw_at_risk(ax_risk, arms, curves, ticks[ticks <= right + 1e-9], palette)
        finish(fig, title=title, footnote=footnote, simulated=simulated)
    return fig
