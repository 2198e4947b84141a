"""Kaplan–Meier figure: curves, censor ticks, medians, p-value and the numbers-at-risk table."""

from __future__ import annotations

import struct
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from oncotrial.analysis.kaplan_meier import KaplanMeierFitter
from oncotrial.analysis.logrank import survdiff
from oncotrial.analysis.plotting import SIMULATED_LABEL, numbers_at_risk, plot_km, save
from oncotrial.analysis.plotting.style import format_p
from oncotrial.core.errors import DomainError

matplotlib.use("Agg")

ARMS = ("HAIC + GEMOX", "GEMOX")
Trial = tuple[np.ndarray, np.ndarray, np.ndarray]


@pytest.fixture(scope="module")
def trial() -> Trial:
    """Two arms, times on a half-month grid so that ties occur and some ticks hit event times."""
    rng = np.random.default_rng(20240611)
    n = 40
    arms = np.repeat(np.array(ARMS, dtype=object), n)
    latent = np.concatenate([rng.exponential(9.0, n), rng.exponential(5.0, n)])
    censor = rng.uniform(2.0, 20.0, 2 * n)
    time = np.round(np.minimum(latent, censor) * 2) / 2
    event = (latent <= censor).astype(int)
    time[:3] = [3.0, 6.0, 6.0]  # exactly on ticks (step 3)
    return time, event, arms


def xs(line: Artist) -> list[float]:
    assert isinstance(line, Line2D)
    return [float(v) for v in np.asarray(line.get_xdata(), dtype=float)]


def ys(line: Artist) -> list[float]:
    assert isinstance(line, Line2D)
    return [float(v) for v in np.asarray(line.get_ydata(), dtype=float)]


def by_gid(fig: Figure, prefix: str) -> list[Artist]:
    return list(fig.findobj(lambda a: (a.get_gid() or "").startswith(prefix)))


def png_size(path: Path) -> tuple[int, int]:
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return width, height


def test_numbers_at_risk_under_each_tick_count_patients_still_followed(trial: Trial, tmp_path: Path) -> None:
    time, event, arms = trial
    fig = plot_km(time, event, arms, arm_order=list(ARMS), tick_step=3.0)
    main = fig.axes[0]
    ticks = [t for t in main.get_xticks() if main.get_xlim()[0] <= t <= main.get_xlim()[1]]
    assert ticks[:4] == [0.0, 3.0, 6.0, 9.0]
    assert ticks[-1] >= time.max()  # the axis runs past the longest follow-up
    for arm in ARMS:
        drawn = sorted((t for t in by_gid(fig, f"at-risk-{arm}-") if isinstance(t, Text)),
                       key=lambda t: t.get_position()[0])
        assert [t.get_position()[0] for t in drawn] == ticks
        expected = [int(np.sum(time[arms == arm] >= t)) for t in ticks]  # R summary(times=)$n.risk
        assert [int(t.get_text()) for t in drawn] == expected
        assert expected[0] == 40 and expected[-1] == 0
    save(fig, tmp_path / "km")
    svg = (tmp_path / "km.svg").read_text()
    assert "Number at risk" in svg


def test_at_risk_numbers_line_up_with_the_ticks_on_the_page(trial: Trial) -> None:
    time, event, arms = trial
    fig = plot_km(time, event, arms, tick_step=3.0)
    fig.draw_without_rendering()  # runs the layout
    main, table = fig.axes
    assert table.get_xlim() == main.get_xlim()
    tick_px = [main.transData.transform((t, 0))[0] for t in main.get_xticks()]
    for text in by_gid(fig, "at-risk-GEMOX-"):
        assert isinstance(text, Text)
        x_px = text.get_window_extent().x0 + text.get_window_extent().width / 2
        assert min(abs(x_px - p) for p in tick_px) < 1.0  # centred under a tick, within a pixel


def test_numbers_at_risk_match_counting_at_arbitrary_times(trial: Trial) -> None:
    time, event, _ = trial
    km = KaplanMeierFitter().fit(time, event)
    times = [0.0, 0.5, 3.0, 6.0, 7.25, float(time.max()), float(time.max()) + 1]
    assert list(numbers_at_risk(km, times)) == [int(np.sum(time >= t)) for t in times]
    with pytest.raises(DomainError):
        numbers_at_risk(km, [3.0, 1.0])


def test_curves_censor_ticks_and_medians_come_from_the_fitter(trial: Trial) -> None:
    time, event, arms = trial
    fig = plot_km(time, event, arms, arm_order=list(ARMS), confidence_bands=True)
    legend = fig.axes[0].get_legend()
    assert legend is not None
    labels = [t.get_text() for t in legend.get_texts()]
    for arm, label in zip(ARMS, labels, strict=True):
        mask = arms == arm
        km = KaplanMeierFitter().fit(time[mask], event[mask])
        curve = by_gid(fig, f"km-curve-{arm}")[0]
        assert isinstance(curve, Line2D)
        np.testing.assert_allclose(xs(curve), np.concatenate(([0.0], km.timeline_)))
        np.testing.assert_allclose(ys(curve), np.concatenate(([1.0], km.survival_)))
        censor = by_gid(fig, f"km-censor-{arm}")[0]
        assert isinstance(censor, Line2D)
        np.testing.assert_array_equal(xs(censor), np.unique(time[mask & (event == 0)]))
        median = float(km.quantiles([0.5])["time"].iloc[0])
        line = by_gid(fig, f"km-median-{arm}")[0]
        assert isinstance(line, Line2D)
        assert list(xs(line)) == [median, median]
        assert label.startswith(f"{arm} (n = {mask.sum()}; {int(event[mask].sum())} events)")
        assert f"Median {median:.1f} months" in label
        assert by_gid(fig, f"km-band-{arm}")


def test_log_rank_p_value_is_printed_in_the_corner(trial: Trial) -> None:
    time, event, arms = trial
    fig = plot_km(time, event, arms, annotation="HR 0.61 (95% CI 0.40–0.93)")
    corner = by_gid(fig, "km-p-value")[0]
    assert isinstance(corner, Text)
    p = survdiff(time, event, arms).p_value
    assert corner.get_text() == f"HR 0.61 (95% CI 0.40–0.93)\nLog-rank {format_p(p)}"
    given = plot_km(time, event, arms, p_value=0.0004, p_label="Stratified log-rank")
    text = by_gid(given, "km-p-value")[0]
    assert isinstance(text, Text) and text.get_text() == "Stratified log-rank p < 0.001"
    assert not by_gid(plot_km(time, event, arms, logrank=False), "km-p-value")


def test_median_not_reached_reads_nr() -> None:
    fig = plot_km([1, 2, 3, 4, 5, 6], [1, 0, 0, 0, 0, 0], at_risk=False)
    assert len(fig.axes) == 1
    legend = fig.axes[0].get_legend()
    assert legend is not None
    assert "Median NR (95% CI" in legend.get_texts()[0].get_text()
    assert not by_gid(fig, "km-p-value")  # one curve: nothing to compare


def test_km_figure_is_saved_as_svg_and_200_dpi_png_with_the_simulated_label(
    trial: Trial, tmp_path: Path,
) -> None:
    time, event, arms = trial
    fig = plot_km(time, event, arms, title="PFS, ITT population", footnote="Simulated cohort.",
                  simulated=True)
    svg, png = save(fig, tmp_path / "figures" / "km_pfs")
    assert svg.name == "km_pfs.svg" and png.name == "km_pfs.png"
    text = svg.read_text()
    assert SIMULATED_LABEL in text and "PFS, ITT population" in text and "Simulated cohort." in text
    width, height = fig.get_size_inches()
    assert png_size(png) == (round(width * 200), round(height * 200))
    plain = tmp_path / "plain"
    save(plot_km(time, event, arms), plain)
    assert SIMULATED_LABEL not in Path(f"{plain}.svg").read_text()


def test_an_arm_order_that_misses_an_arm_is_rejected(trial: Trial) -> None:
    time, event, arms = trial
    with pytest.raises(DomainError, match="arm_order"):
        plot_km(time, event, arms, arm_order=["GEMOX"])
