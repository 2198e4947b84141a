"""Forest plot of hazard ratios by subgroup, drawn from precomputed rows."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
import pytest
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from oncotrial.analysis.plotting import PROTOCOL_SUBGROUPS, SIMULATED_LABEL, ForestRow, plot_forest, save
from oncotrial.core.errors import DomainError

matplotlib.use("Agg")

ROWS = [
    ForestRow("All patients", 120, 0.62, 0.41, 0.93, 0.021),
    ForestRow("0", 70, 0.55, 0.32, 0.95, 0.03, "ECOG"),
    ForestRow("1", 50, 0.75, 0.40, 1.40, 0.37, "ECOG"),
    ForestRow("Yes", 40, 0.80, 0.40, 1.62, None, "Extrahepatic metastasis"),
    ForestRow("No", 80, 0.52, 0.31, 0.88, 0.01, "Extrahepatic metastasis"),
    ForestRow("≥ 37 U/mL", 75, 0.66, 0.39, 1.10, 0.11, "CA19-9"),
    ForestRow("< 37 U/mL", 45, 0.58, 0.28, 1.20, 0.14, "CA19-9"),
    ForestRow("Positive", 12, 0.40, 0.03, 5.10, 0.48, "HBV"),
    ForestRow("Negative", 108, 0.64, 0.42, 0.98, 0.04, "HBV"),
    ForestRow("A", 110, 0.61, 0.40, 0.93, 0.02, "Child-Pugh"),
    ForestRow("B7", 10, None, None, None, None, "Child-Pugh"),
]


def xs(line: Artist) -> list[float]:
    assert isinstance(line, Line2D)
    return [float(v) for v in np.asarray(line.get_xdata(), dtype=float)]


def by_gid(fig: Figure, prefix: str) -> list[Artist]:
    return list(fig.findobj(lambda a: (a.get_gid() or "").startswith(prefix)))


def texts(fig: Figure, prefix: str) -> list[str]:
    return [a.get_text() for a in by_gid(fig, prefix) if isinstance(a, Text)]


def test_every_estimable_row_has_a_marker_at_its_hr_and_a_ci_line() -> None:
    fig = plot_forest(ROWS, xlim=(0.1, 10.0))
    markers = [a for a in by_gid(fig, "forest-hr-") if isinstance(a, Line2D)]
    assert [float(xs(m)[0]) for m in markers] == [r.hr for r in ROWS if r.hr is not None]
    ci = [a for a in by_gid(fig, "forest-ci-") if isinstance(a, Line2D)]
    clipped = [(max(r.lower, 0.1), min(r.upper, 10.0)) for r in ROWS
               if r.lower is not None and r.upper is not None]
    assert [tuple(float(x) for x in xs(line)) for line in ci] == clipped
    assert fig.axes[1].get_xscale() == "log"


def test_subgroups_get_headings_and_rows_print_n_hr_ci_and_p() -> None:
    fig = plot_forest(ROWS, interaction_p={"ECOG": 0.42})
    assert texts(fig, "forest-heading-") == list(PROTOCOL_SUBGROUPS)
    assert texts(fig, "forest-label-") == [r.label for r in ROWS]
    assert texts(fig, "forest-n-") == [str(r.n) for r in ROWS]
    hr = texts(fig, "forest-hrtext-")
    assert hr[0] == "0.62 (0.41–0.93)" and hr[-1] == "NE"
    assert texts(fig, "forest-p-")[:2] == ["0.021", "0.030"]
    every = [t.get_text() for t in fig.findobj(Text)]
    assert "interaction p = 0.420" in every
    assert any(t.startswith("← Favours HAIC + GEMOX") for t in every)


def test_rows_may_be_plain_tuples_and_are_validated() -> None:
    fig = plot_forest([("All patients", 100, 0.7, 0.5, 0.98, 0.04),
                       ("Not estimable", 3, None, None, None, None)])
    assert len([a for a in by_gid(fig, "forest-hr-") if isinstance(a, Line2D)]) == 1
    with pytest.raises(DomainError, match="lower ≤ HR ≤ upper"):
        ForestRow("bad", 10, 0.5, 0.6, 0.9)
    with pytest.raises(DomainError, match="positive finite"):
        ForestRow("bad", 10, -1.0, 0.6, 0.9)
    with pytest.raises(DomainError):
        plot_forest([])


def test_forest_is_saved_with_the_simulated_label(tmp_path: Path) -> None:
    svg, png = save(plot_forest(ROWS, title="PFS by subgroup", simulated=True), tmp_path / "forest")
    text = svg.read_text()
    assert SIMULATED_LABEL in text and "0.55 (0.32–0.95)" in text and png.stat().st_size > 10_000
