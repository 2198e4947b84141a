"""The shared figure style: lazy matplotlib, SIMULATED label, title and footnote, saving."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import matplotlib
import pytest
from matplotlib.text import Text

from oncotrial.analysis.plotting import SIMULATED_LABEL, save
from oncotrial.analysis.plotting.style import (
    finish,
    format_p,
    format_time,
    journal_style,
    new_figure,
    time_ticks,
)
from oncotrial.core.errors import DomainError

matplotlib.use("Agg")


def test_importing_the_plotting_package_does_not_load_matplotlib() -> None:
    code = ("import sys, oncotrial.analysis.plotting; "
            "sys.exit(any(m == 'matplotlib' or m.startswith('matplotlib.') for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def _figure(**kwargs: object):  # type: ignore[no-untyped-def]
    with journal_style():
        fig = new_figure(5.0, 3.0)
        ax = fig.add_subplot()
        ax.plot([0, 1], [0, 1])
        return finish(fig, **kwargs)


def test_simulated_figures_carry_the_label_above_the_title_and_a_watermark(tmp_path: Path) -> None:
    fig = _figure(title="A title", footnote="A footnote. " * 20, simulated=True)
    fig.draw_without_rendering()  # runs the layout
    label = next(t for t in fig.findobj(Text) if t.get_gid() == "simulated-label")
    title = next(t for t in fig.findobj(Text) if t.get_gid() == "figure-title")
    footnote = next(t for t in fig.findobj(Text) if t.get_gid() == "figure-footnote")
    assert label.get_text() == SIMULATED_LABEL == "SIMULATED DATA: not results of NCT07304388"
    axes_box = fig.axes[0].get_tightbbox()
    assert axes_box is not None
    assert label.get_window_extent().y0 > title.get_window_extent().y1  # label above title
    assert title.get_window_extent().y0 > axes_box.y1  # title clear of the panel and its labels
    assert footnote.get_window_extent().y1 < axes_box.y0  # footnote clear of the panel and its labels
    assert len(footnote.get_text().splitlines()) > 1  # long footnotes wrap
    assert any(t.get_gid() == "simulated-watermark" for t in fig.axes[0].texts)
    svg, png = save(fig, tmp_path / "nested" / "figure")
    assert svg.exists() and png.exists()
    assert f">{SIMULATED_LABEL}<" in svg.read_text()  # kept as text, not outlines


def test_real_data_figures_have_no_simulated_label(tmp_path: Path) -> None:
    svg, _ = save(_figure(title="Real"), tmp_path / "real")
    assert "SIMULATED" not in svg.read_text()


def test_saving_twice_gives_identical_svg(tmp_path: Path) -> None:
    first, _ = save(_figure(title="Same"), tmp_path / "a")
    second, _ = save(_figure(title="Same"), tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()


def test_numbers_are_formatted_as_journals_print_them() -> None:
    assert format_p(0.0004) == "p < 0.001" and format_p(0.0342) == "p = 0.034"
    assert format_time(float("nan")) == "NR" and format_time(5.26) == "5.3"


def test_time_ticks_cover_the_follow_up_with_a_round_step() -> None:
    assert list(time_ticks(19.2)) == [0, 3, 6, 9, 12, 15, 18, 21]
    assert list(time_ticks(19.2, step=6.0, covering=False)) == [0, 6, 12, 18]
    with pytest.raises(DomainError):
        time_ticks(10.0, step=0.0)
