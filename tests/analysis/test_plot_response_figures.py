"""Waterfall, spider and swimmer plots, derived from patient records."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from matplotlib.artist import Artist
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Annotation, Text

from oncotrial.analysis.plotting import (
    SIMULATED_LABEL,
    SwimmerLane,
    WaterfallBar,
    plot_spider,
    plot_swimmer,
    plot_waterfall,
    save,
    spider_series,
    swimmer_lanes,
    waterfall_bars,
)
from oncotrial.analysis.plotting.style import ARM_COLORS, BOR_COLORS
from oncotrial.core.endpoints.records import PatientRecord, ScanOutcome
from oncotrial.core.errors import DomainError
from oncotrial.core.response.criteria import Criterion, Response

matplotlib.use("Agg")

RAND = date(2025, 1, 6)
CUTOFF = date(2025, 12, 31)
MONTH = 365.25 / 12
A, B = "HAIC + GEMOX", "GEMOX"


def xs(line: Artist) -> list[float]:
    assert isinstance(line, Line2D)
    return [float(v) for v in np.asarray(line.get_xdata(), dtype=float)]


def ys(line: Artist) -> list[float]:
    assert isinstance(line, Line2D)
    return [float(v) for v in np.asarray(line.get_ydata(), dtype=float)]


def day(n: int) -> date:
    return RAND + timedelta(days=n)


def scan(n: int, response: Response, change: float | None) -> ScanOutcome:
    return ScanOutcome(day(n), {Criterion.RECIST_1_1: response, Criterion.MRECIST: response}, change)


def patient(pid: str, arm: str, scans: list[ScanOutcome], **kwargs: object) -> PatientRecord:
    base: dict[str, object] = {"first_dose_on": day(2), "baseline_scan_on": day(-7)}
    base.update(kwargs)
    return PatientRecord(pid, arm, RAND, scans=tuple(scans), **base)


R = Response
RECORDS = [
    patient("P01", A, [scan(42, R.PR, -35.0), scan(84, R.PR, -48.0), scan(126, R.PR, -40.0)]),  # ongoing
    patient("P02", A, [scan(42, R.PR, -60.0), scan(84, R.CR, -100.0), scan(126, R.CR, -100.0)],
            last_dose_on=day(150)),
    patient("P03", B, [scan(49, R.SD, -10.0), scan(91, R.PD, 25.0), scan(133, R.PD, -15.0)],
            last_dose_on=day(90), death_on=day(200)),
    patient("P04", B, [scan(49, R.PD, 30.0)], last_dose_on=day(45), death_on=day(120)),
    patient("P05", B, [scan(49, R.NE, None)], last_dose_on=day(60)),
    patient("P06", A, [scan(49, R.PD, 150.0)], last_dose_on=day(47)),
    patient("P07", A, [scan(49, R.SD, -20.0), scan(100, R.PR, -50.0)], last_dose_on=day(58),
            new_anticancer_therapy_on=day(60)),
    patient("P08", B, [scan(49, R.SD, 5.0)], first_dose_on=None),
]


def by_gid(fig: Figure, prefix: str) -> list[Artist]:
    return list(fig.findobj(lambda a: (a.get_gid() or "").startswith(prefix)))


def test_waterfall_bars_take_the_best_change_before_progression_or_new_therapy() -> None:
    bars = {b.patient_id: b for b in waterfall_bars(RECORDS, cutoff=CUTOFF)}
    assert set(bars) == {"P01", "P02", "P03", "P04", "P06", "P07", "P08"}  # P05: no measured change
    assert {k: (b.best_change_pct, b.response) for k, b in bars.items()} == {
        "P01": (-48.0, "PR"), "P02": (-100.0, "CR"),
        "P03": (-10.0, "SD"),  # the −15 % after progression does not count
        "P04": (30.0, "PD"), "P06": (150.0, "PD"),
        "P07": (-20.0, "SD"),  # the PR after the new therapy does not count
        "P08": (5.0, "SD"),
    }


def test_waterfall_is_sorted_and_coloured_by_best_overall_response(tmp_path: Path) -> None:
    bars = waterfall_bars(RECORDS, cutoff=CUTOFF)
    fig = plot_waterfall(bars, cap=100.0, simulated=True)
    patches = [p for p in fig.axes[0].patches if (p.get_gid() or "").startswith("waterfall-bar-")]
    assert all(isinstance(p, Rectangle) for p in patches)
    left_to_right = sorted(patches, key=lambda p: p.get_x())
    order = [str(p.get_gid()).removeprefix("waterfall-bar-") for p in left_to_right]
    assert order == ["P06", "P04", "P08", "P03", "P07", "P01", "P02"]
    heights = [p.get_height() for p in left_to_right]
    assert heights == [100.0, 30.0, 5.0, -10.0, -20.0, -48.0, -100.0]  # +150 % is cut at the cap
    response = {b.patient_id: b.response for b in bars}
    for p in patches:
        assert p.get_facecolor() == to_rgba(BOR_COLORS[response[str(p.get_gid())[14:]]])
    references = sorted(float(ys(line)[0]) for line in by_gid(fig, "waterfall-ref-")
                        if isinstance(line, Line2D))
    assert references == [-30.0, 20.0]
    labels = [t.get_text() for t in fig.findobj(Text)]
    assert "150%" in labels and "PD (n = 2)" in labels and "SD (n = 3)" in labels
    svg, _ = save(fig, tmp_path / "waterfall")
    assert SIMULATED_LABEL in svg.read_text()


def test_waterfall_by_arm_draws_one_sorted_panel_per_arm() -> None:
    fig = plot_waterfall(waterfall_bars(RECORDS, cutoff=CUTOFF), by_arm=True, arm_order=[A, B])
    panels = [ax for ax in fig.axes if ax.patches]
    assert [ax.get_title() for ax in panels] == [A, B]
    for ax in panels:
        heights = [p.get_height() for p in sorted(ax.patches, key=lambda p: p.get_x())]
        assert heights == sorted(heights, reverse=True)
    assert len(panels[0].patches) == 4 and len(panels[1].patches) == 3
    with pytest.raises(DomainError):
        plot_waterfall([])


def test_spider_draws_one_line_per_measured_patient_from_the_origin() -> None:
    series = spider_series(RECORDS, cutoff=CUTOFF)
    assert [s.patient_id for s in series] == ["P01", "P02", "P03", "P04", "P06", "P07", "P08"]
    p03 = series[2]
    assert p03.times == (7.0, 13.0, 19.0) and p03.change_pct == (-10.0, 25.0, -15.0)
    assert series[5].times == (7.0,)  # P07: nothing after the new therapy
    fig = plot_spider(series, arm_order=[A, B])
    lines = {str(a.get_gid()).removeprefix("spider-"): a for a in by_gid(fig, "spider-")}
    assert set(lines) == {s.patient_id for s in series}
    line = lines["P03"]
    assert isinstance(line, Line2D)
    assert list(xs(line)) == [0.0, 7.0, 13.0, 19.0]
    assert list(ys(line)) == [0.0, -10.0, 25.0, -15.0]
    assert to_rgba(line.get_color()) == to_rgba(ARM_COLORS[1])  # GEMOX is the second arm
    by_response = plot_spider(series, color_by="response")
    p02 = next(a for a in by_gid(by_response, "spider-P02") if isinstance(a, Line2D))
    assert to_rgba(p02.get_color()) == to_rgba(BOR_COLORS["CR"])


def test_swimmer_lanes_hold_treatment_time_events_and_ongoing_status() -> None:
    lanes = {lane.patient_id: lane for lane in swimmer_lanes(RECORDS, cutoff=CUTOFF)}
    assert "P08" not in lanes  # never dosed
    p01, p02, p03 = lanes["P01"], lanes["P02"], lanes["P03"]
    assert p01.ongoing and p01.end == pytest.approx((CUTOFF - RAND).days / MONTH)
    assert p01.first_pr == pytest.approx(42 / MONTH) and p01.first_cr is None
    assert not p02.ongoing and p02.end == pytest.approx(150 / MONTH)
    assert (p02.first_pr, p02.first_cr) == (pytest.approx(42 / MONTH), pytest.approx(84 / MONTH))
    assert p03.start == pytest.approx(2 / MONTH) and p03.end == pytest.approx(90 / MONTH)
    assert p03.progression == pytest.approx(91 / MONTH) and p03.death == pytest.approx(200 / MONTH)
    assert not any(lane.ongoing for k, lane in lanes.items() if k != "P01")


def test_swimmer_groups_lanes_by_arm_with_bars_markers_and_arrows(tmp_path: Path) -> None:
    lanes = swimmer_lanes(RECORDS, cutoff=CUTOFF)
    fig = plot_swimmer(lanes, arm_order=[A, B], title="Swimmer", simulated=True)
    bars = {str(a.get_gid()).removeprefix("swimmer-bar-"): a for a in by_gid(fig, "swimmer-bar-")
            if isinstance(a, Rectangle)}
    assert set(bars) == {lane.patient_id for lane in lanes}
    top_to_bottom = sorted(bars, key=lambda k: bars[k].get_y())
    assert top_to_bottom == ["P01", "P02", "P07", "P06", "P03", "P05", "P04"]  # arm A first, longest first
    for lane in lanes:
        bar = bars[lane.patient_id]
        assert bar.get_x() == pytest.approx(lane.start)
        assert bar.get_width() == pytest.approx(lane.end - lane.start)
    arrows = [a for a in by_gid(fig, "swimmer-ongoing-") if isinstance(a, Annotation)]
    assert [str(a.get_gid()) for a in arrows] == ["swimmer-ongoing-P01"]
    death = next(a for a in by_gid(fig, "swimmer-death-P04") if isinstance(a, Line2D))
    assert float(xs(death)[0]) == pytest.approx(120 / MONTH)
    assert float(ys(death)[0]) == pytest.approx(bars["P04"].get_y() + 0.31)
    assert by_gid(fig, "swimmer-first_cr-P02") and by_gid(fig, "swimmer-progression-P03")
    svg, _ = save(fig, tmp_path / "swimmer")
    assert SIMULATED_LABEL in svg.read_text() and "On treatment at cut-off" in svg.read_text()


def test_swimmer_rejects_an_impossible_lane() -> None:
    with pytest.raises(DomainError):
        SwimmerLane("X", A, end=1.0, start=2.0)
    with pytest.raises(DomainError, match="arm_order"):
        plot_swimmer([SwimmerLane("X", A, end=1.0)], arm_order=[B])


def test_waterfall_bar_order_breaks_ties_by_patient_id() -> None:
    fig = plot_waterfall([WaterfallBar("B", -40.0, "PR"), WaterfallBar("A", -40.0, "PR")])
    patches = sorted(fig.axes[0].patches, key=lambda p: p.get_x())
    assert [p.get_gid() for p in patches] == ["waterfall-bar-A", "waterfall-bar-B"]
