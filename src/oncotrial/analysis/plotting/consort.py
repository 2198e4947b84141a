"""CONSORT 2010 flow diagram of a two-or-more-arm parallel trial, from counts.

Boxes follow the CONSORT 2010 template (Schulz, Altman & Moher, *BMJ* 2010;340:c332, Figure 1):
Enrollment (assessed for eligibility, excluded with reasons, randomized), Allocation,
Follow-up (discontinued intervention with reasons) and Analysis (analysed, excluded from
analysis with reasons). The counts are checked to add up before anything is drawn.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from oncotrial.analysis.plotting.style import finish, journal_style, new_figure, reserved_height
from oncotrial.core.errors import DomainError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text

FONT_SIZE = 8.0
_LINE_IN = FONT_SIZE * 1.3 / 72.0  # height of one text line, inches
_PAD_IN = 0.5 * FONT_SIZE / 72.0  # box padding (boxstyle pad 0.5 × font size), inches
_PAD_PT = 0.5 * FONT_SIZE
_GAP_IN = 0.32  # vertical gap between rows, inches


def _no_reasons() -> Mapping[str, int]:
    return {}


@dataclass(frozen=True)
class ArmFlow:
    """Counts for one arm, from allocation to analysis; reasons map to patient counts."""

    arm: str
    allocated: int
    analysed: int
    received: int | None = None
    not_received: Mapping[str, int] = field(default_factory=_no_reasons)
    discontinued: Mapping[str, int] = field(default_factory=_no_reasons)
    lost_to_follow_up: int | None = None
    excluded_from_analysis: Mapping[str, int] = field(default_factory=_no_reasons)
    ongoing: int | None = None
    """Patients still receiving the intervention at the data cut-off (None: not shown)."""


@dataclass(frozen=True)
class ConsortCounts:
    """The whole flow: assessed, excluded with reasons, randomized, and one :class:`ArmFlow` per arm."""

    assessed: int
    excluded: Mapping[str, int]
    randomized: int
    arms: Sequence[ArmFlow]

    def check(self) -> None:
        """Raise :class:`DomainError` unless the counts add up at every step."""
        excluded = sum(self.excluded.values())
        if self.assessed - excluded != self.randomized:
            raise DomainError("consort.randomized", self.randomized,
                              f"assessed − excluded = {self.assessed} − {excluded} "
                              f"= {self.assessed - excluded}",
                              "list every reason for exclusion, with 'Other reasons' for the rest")
        if sum(a.allocated for a in self.arms) != self.randomized:
            raise DomainError("consort.arms[].allocated", [a.allocated for a in self.arms],
                              f"allocations summing to the {self.randomized} randomized")
        for a in self.arms:
            if a.received is not None and a.received + sum(a.not_received.values()) != a.allocated:
                raise DomainError(f"consort.arms[{a.arm!r}].received", a.received,
                                  f"received + not received = allocated ({a.allocated})")
            if (a.ongoing is not None and a.received is not None
                    and a.ongoing + sum(a.discontinued.values()) != a.received):
                raise DomainError(f"consort.arms[{a.arm!r}].ongoing", a.ongoing,
                                  f"on treatment + discontinued = received ({a.received})")
            if a.analysed + sum(a.excluded_from_analysis.values()) != a.allocated:
                raise DomainError(f"consort.arms[{a.arm!r}].analysed", a.analysed,
                                  f"analysed + excluded from analysis = allocated ({a.allocated})")


def _wrap(text: str, chars: int, *, initial_indent: str = "", subsequent_indent: str = "") -> list[str]:
    """Wrap ``text`` without ever splitting a count "(n = k)" across lines."""
    glued = re.sub(r"\(n = (\d+)\)", lambda m: f"(n\x00=\x00{m.group(1)})", text)
    return [line.replace("\x00", " ") for line in textwrap.wrap(
        glued, chars, initial_indent=initial_indent, subsequent_indent=subsequent_indent)]


def _lines(header: str, items: Sequence[tuple[str, int | None, Mapping[str, int]]], chars: int) -> str:
    """A box text: header, then "• item (n = k)" with "– reason (n = j)" sub-items, wrapped."""
    out = _wrap(header, chars)
    for label, count, reasons in items:
        if count is None:
            continue
        out += _wrap(f"• {label} (n = {count})", chars, subsequent_indent="   ")
        for reason, n in reasons.items():
            out += _wrap(f"– {reason} (n = {n})", chars, initial_indent="   ", subsequent_indent="     ")
    return "\n".join(out)


def _box(ax: Axes, x: float, y: float, text: str, gid: str, *, ha: str = "center", va: str = "top") -> Text:
    """A boxed text; with ``va="top"`` the box top (padding included) is at ``y``."""
    return ax.text(x, y - _PAD_IN if va == "top" else y, text, ha=ha, va=va, multialignment="left",
                   fontsize=FONT_SIZE, gid=gid, linespacing=1.3,
                   bbox={"boxstyle": "square,pad=0.5", "facecolor": "white", "edgecolor": "#333333",
                         "linewidth": 0.8})


@dataclass(frozen=True)
class _Edge:
    """A point on a box: a fraction of its text's extent, offset in points (to the padded edge)."""

    box: Text
    fraction: tuple[float, float]
    offset: tuple[float, float]


Anchor = tuple[float, float] | _Edge


def _arrow(ax: Axes, start: Anchor, end: Anchor, *, head: bool = True) -> None:
    """A connector between data points and box edges.

    Box ends are placed relative to the drawn text, so arrows meet the box edges exactly
    whatever the rendered text height.
    """
    from matplotlib.text import OffsetFrom

    def where(anchor: Anchor) -> tuple[tuple[float, float], str | OffsetFrom]:
        if isinstance(anchor, _Edge):
            return anchor.offset, OffsetFrom(anchor.box, anchor.fraction, unit="points")
        return anchor, "data"

    (x0, c0), (x1, c1) = where(start), where(end)
    ax.annotate("", xy=x1, xycoords=c1, xytext=x0, textcoords=c0, arrowprops={
        "arrowstyle": "-|>" if head else "-", "color": "#333333", "linewidth": 0.8, "shrinkA": 0,
        "shrinkB": 0, "mutation_scale": 8})


def _below(box: Text) -> _Edge:
    return _Edge(box, (0.5, 0.0), (0.0, -_PAD_PT))


def _above(box: Text) -> _Edge:
    return _Edge(box, (0.5, 1.0), (0.0, _PAD_PT))


def _height(text: str) -> float:
    return (text.count("\n") + 1) * _LINE_IN + 2 * _PAD_IN


def plot_consort(
    counts: ConsortCounts,
    *,
    title: str | None = None,
    footnote: str | None = None,
    simulated: bool = False,
    width: float = 7.0,
) -> Figure:
    """CONSORT flow diagram; every box states its count as "(n = k)"."""
    counts.check()
    k = len(counts.arms)
    column = (1.0 - 0.16) / k  # arm columns share the width right of the stage labels
    centres = [0.16 + column * (i + 0.5) for i in range(k)]
    trunk = (centres[0] + centres[-1]) / 2
    chars = max(24, int(column * width * 72 / (0.55 * FONT_SIZE)) - 4)
    excl_chars = max(24, int((0.98 - trunk - 0.06) * width * 72 / (0.55 * FONT_SIZE)) - 2)
    assessed = f"Assessed for eligibility (n = {counts.assessed})"
    excluded = _lines(f"Excluded (n = {sum(counts.excluded.values())})",
                      [(r, n, {}) for r, n in counts.excluded.items()], excl_chars)
    randomized = f"Randomized (n = {counts.randomized})"
    allocation = [_lines(f"Allocated to {a.arm} (n = {a.allocated})",
                         [("Received allocated intervention", a.received, {}),
                          ("Did not receive allocated intervention",
                           sum(a.not_received.values()) if a.received is not None else None, a.not_received)],
                         chars) for a in counts.arms]
    follow_up = [_lines("Follow-up", [
        ("On treatment at data cut-off", a.ongoing, {}),
        ("Lost to follow-up", a.lost_to_follow_up, {}),
        ("Discontinued intervention", sum(a.discontinued.values()), a.discontinued)], chars)
        for a in counts.arms]
    analysis = [_lines(f"Analysed (n = {a.analysed})",
                       [("Excluded from analysis", sum(a.excluded_from_analysis.values()),
                         a.excluded_from_analysis)], chars) for a in counts.arms]
    rows = [_height(assessed), _height(excluded), _height(randomized), max(map(_height, allocation)),
            max(map(_height, follow_up)), max(map(_height, analysis))]
    content = sum(rows) + _GAP_IN * (len(rows) + 1)
    top_in, bottom_in = reserved_height(width, title=title, footnote=footnote, simulated=simulated)
    with journal_style():
        fig = new_figure(width, content + top_in + bottom_in + 0.1)
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.set_xlim(0.0, 1.0)
        ax.set_ylim(0.0, content)  # one y unit = one inch
        tops, y = [], content - _GAP_IN
        for h in rows:
            tops.append(y)
            y -= h + _GAP_IN
        box_assessed = _box(ax, trunk, tops[0], assessed, "consort-assessed")
        middle = tops[1] - rows[1] / 2
        box_excluded = _box(ax, trunk + 0.06, middle, excluded, "consort-excluded", ha="left", va="center")
        box_randomized = _box(ax, trunk, tops[2], randomized, "consort-randomized")
        _arrow(ax, _below(box_assessed), _above(box_randomized))
        _arrow(ax, (trunk, middle), _Edge(box_excluded, (0.0, 0.5), (-_PAD_PT, 0.0)))
        split = tops[3] + _GAP_IN / 2
        _arrow(ax, _below(box_randomized), (trunk, split), head=False)
        _arrow(ax, (centres[0], split), (centres[-1], split), head=False)
        for i, arm in enumerate(counts.arms):
            x = centres[i]
            box_allocated = _box(ax, x, tops[3], allocation[i], f"consort-allocated-{arm.arm}")
            box_follow_up = _box(ax, x, tops[4], follow_up[i], f"consort-followup-{arm.arm}")
            box_analysed = _box(ax, x, tops[5], analysis[i], f"consort-analysed-{arm.arm}")
            _arrow(ax, (x, split), _above(box_allocated))
            _arrow(ax, _below(box_allocated), _above(box_follow_up))
            _arrow(ax, _below(box_follow_up), _above(box_analysed))
        for stage, row in (("Enrollment", 0), ("Allocation", 3), ("Follow-up", 4), ("Analysis", 5)):
            ax.text(0.0, tops[row] - rows[row] / 2, stage, ha="left", va="center", fontsize=FONT_SIZE,
                    fontweight="bold", gid=f"consort-stage-{stage}",
                    bbox={"boxstyle": "round,pad=0.4", "facecolor": "#D6EAF8", "edgecolor": "#5DADE2"})
        finish(fig, title=title, footnote=footnote, simulated=simulated)
    return fig
