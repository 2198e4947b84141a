"""CONSORT flow diagram from counts."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from oncotrial.analysis.plotting import SIMULATED_LABEL, ArmFlow, ConsortCounts, plot_consort, save
from oncotrial.core.errors import DomainError

matplotlib.use("Agg")

COUNTS = ConsortCounts(
    assessed=168,
    excluded={"Did not meet inclusion criteria": 31, "Declined to participate": 9, "Other reasons": 2},
    randomized=126,
    arms=[
        ArmFlow("HAIC + GEMOX", allocated=63, analysed=62, received=61,
                not_received={"Withdrew consent": 1, "Deteriorated before treatment": 1},
                discontinued={"Disease progression": 40, "Adverse event": 6}, lost_to_follow_up=1,
                excluded_from_analysis={"Withdrew consent before treatment": 1}),
        ArmFlow("GEMOX", allocated=63, analysed=63, received=63,
                discontinued={"Disease progression": 51, "Adverse event": 4}, lost_to_follow_up=0),
    ],
)


def box(fig: Figure, gid: str) -> str:
    found = [a for a in fig.findobj(Text) if a.get_gid() == gid]
    assert len(found) == 1, gid
    return " ".join(found[0].get_text().split())  # undo line wrapping


def test_every_box_states_its_counts() -> None:
    fig = plot_consort(COUNTS)
    assert box(fig, "consort-assessed") == "Assessed for eligibility (n = 168)"
    excluded = box(fig, "consort-excluded")
    assert excluded.startswith("Excluded (n = 42)")
    assert "Did not meet inclusion criteria (n = 31)" in excluded and "Other reasons (n = 2)" in excluded
    assert box(fig, "consort-randomized") == "Randomized (n = 126)"
    haic = box(fig, "consort-allocated-HAIC + GEMOX")
    assert haic.startswith("Allocated to HAIC + GEMOX (n = 63)")
    assert "Received allocated intervention (n = 61)" in haic
    assert "Did not receive allocated intervention (n = 2)" in haic and "Withdrew consent (n = 1)" in haic
    follow_up = box(fig, "consort-followup-GEMOX")
    assert "Lost to follow-up (n = 0)" in follow_up
    assert "Discontinued intervention (n = 55)" in follow_up and "Disease progression (n = 51)" in follow_up
    assert box(fig, "consort-analysed-HAIC + GEMOX").startswith("Analysed (n = 62)")
    assert "Excluded from analysis (n = 1)" in box(fig, "consort-analysed-HAIC + GEMOX")


def test_wrapping_never_splits_a_count() -> None:
    fig = plot_consort(COUNTS, width=4.5)
    for text in fig.findobj(Text):
        for line in text.get_text().splitlines():
            assert not line.rstrip().endswith("(n") and not line.lstrip().startswith("= ")


def test_counts_that_do_not_add_up_are_rejected() -> None:
    with pytest.raises(DomainError, match="assessed − excluded"):
        plot_consort(ConsortCounts(168, {"Declined": 9}, 126, COUNTS.arms))
    with pytest.raises(DomainError, match="allocations summing"):
        plot_consort(ConsortCounts(168, COUNTS.excluded, 126, COUNTS.arms[:1]))
    bad_arm = ArmFlow("GEMOX", allocated=63, analysed=60)
    with pytest.raises(DomainError, match="analysed"):
        plot_consort(ConsortCounts(168, COUNTS.excluded, 126, [COUNTS.arms[0], bad_arm]))


def test_consort_svg_carries_counts_and_the_simulated_label(tmp_path: Path) -> None:
    svg, png = save(plot_consort(COUNTS, title="Patient flow", simulated=True), tmp_path / "consort")
    text = svg.read_text()
    assert "Randomized (n = 126)" in text and SIMULATED_LABEL in text
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
