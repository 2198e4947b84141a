"""The shared look of every Oncotrial figure: fonts, colours, title, footnote, SIMULATED label, saving.

Every figure function builds its :class:`~matplotlib.figure.Figure` inside
:func:`journal_style`, then calls :func:`finish` to add the title, the footnote and (for
simulated data) the label :data:`SIMULATED_LABEL`, and returns the figure; :func:`save`
writes it as SVG (text kept as text, so it stays editable and searchable) and PNG (200 dpi).

Figures are created with :class:`matplotlib.figure.Figure` directly, not through
``pyplot``, so they never enter pyplot's global figure registry and need no interactive
backend. matplotlib is imported inside the functions (style guide rule 8).

Colours follow the Okabe–Ito palette, which stays distinguishable with colour-vision
deficiency (Okabe & Ito, *Color Universal Design*, 2008).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from oncotrial.analysis.survival_data import FloatArray
from oncotrial.core.errors import DomainError

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

#: Shown on every figure drawn from simulated data (``simulated=True``).
SIMULATED_LABEL = "SIMULATED DATA: not results of NCT07304388"

#: Okabe–Ito colours for treatment arms, in order of appearance.
ARM_COLORS: tuple[str, ...] = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")

#: Best overall response colours, keyed by the CDISC spellings of
#: :class:`~oncotrial.core.response.criteria.Response`.
BOR_COLORS: Mapping[str, str] = {
    "CR": "#009E73",
    "PR": "#56B4E9",
    "SD": "#E69F00",
    "NON-CR/NON-PD": "#F0E442",
    "PD": "#D55E00",
    "NE": "#999999",
    "MISSING": "#999999",
}

#: Order of the BOR categories in legends.
BOR_ORDER: tuple[str, ...] = ("CR", "PR", "SD", "NON-CR/NON-PD", "PD", "NE", "MISSING")

#: Days per month for converting study days (365.25 / 12, as ADaM ``AVAL`` in months).
DAYS_PER_MONTH = 365.25 / 12

PNG_DPI = 200

JOURNAL_RC: Mapping[RcKeyType, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["Arial", "Helvetica", "Liberation Sans", "DejaVu Sans"],
    "font.size": 9.0,
    "axes.titlesize": 10.0,
    "axes.labelsize": 9.0,
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 8.5,
    "legend.fontsize": 8.0,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.linewidth": 0.8,
    "lines.linewidth": 1.4,
    "xtick.major.width": 0.8,
    "ytick.major.width": 0.8,
    "svg.fonttype": "none",
    "svg.hashsalt": "oncotrial",
    "pdf.fonttype": 42,
    "figure.dpi": 100,
    "savefig.dpi": PNG_DPI,
}

_INCH = 72.0  # points per inch


@contextmanager
def journal_style() -> Iterator[None]:
    """Apply :data:`JOURNAL_RC` for the duration of the block (figure building and saving)."""
    import matplotlib as mpl

    with mpl.rc_context(dict(JOURNAL_RC)):
        yield


def new_figure(width: float, height: float) -> Figure:
    """An empty figure of ``width`` × ``height`` inches with constrained layout, outside pyplot."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def arm_colors(arms: list[str] | tuple[str, ...], colors: Mapping[str, str] | None = None) -> dict[str, str]:
    """Colour of each arm: ``colors`` where given, else :data:`ARM_COLORS` in order."""
    given = dict(colors or {})
    return {arm: given.get(arm, ARM_COLORS[i % len(ARM_COLORS)]) for i, arm in enumerate(arms)}


def format_p(p: float) -> str:
    """A p-value as journals print it: ``p < 0.001`` or ``p = 0.034``."""
    if math.isnan(p):
        return "p = NA"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def format_time(value: float, decimals: int = 1) -> str:
    """A time such as a median or a CI limit; ``NR`` (not reached) when missing."""
    return "NR" if value is None or math.isnan(value) else f"{value:.{decimals}f}"


def time_ticks(xmax: float, *, step: float | None = None, covering: bool = True) -> FloatArray:
    """x-axis ticks from 0: every ``step``, or a "nice" step (1, 2, 3, 5 or 6 × 10^k).

    With ``covering`` the last tick is the first one ≥ ``xmax``; otherwise ticks stop at ``xmax``.
    """
    if not np.isfinite(xmax) or xmax <= 0:
        xmax = 1.0
    if step is None:
        from matplotlib.ticker import MaxNLocator

        candidates = MaxNLocator(nbins=8, steps=[1, 2, 3, 5, 6, 10]).tick_values(0.0, xmax)
        positive = np.diff(candidates)
        step = float(positive[0]) if positive.size else xmax
    if step <= 0:
        raise DomainError("tick_step", step, "a positive time step")
    count = int(np.ceil(xmax / step - 1e-9)) if covering else int(np.floor(xmax / step + 1e-9))
    return np.arange(count + 1, dtype=np.float64) * step


def legend_right(ax: Axes, handles: Sequence[Artist], *, title: str | None = None,
                 gap_pt: float = 6.0) -> None:
    """A legend ``gap_pt`` points right of ``ax``, top-aligned with it (constrained layout makes room)."""
    from matplotlib.transforms import ScaledTranslation

    shift = ScaledTranslation(gap_pt / _INCH, 0.0, ax.figure.dpi_scale_trans)
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0),
              bbox_transform=ax.transAxes + shift, borderaxespad=0.0, title=title, title_fontsize=8,
              alignment="left")


def _wrap(text: str, width_in: float, fontsize: float) -> list[str]:
    chars = max(20, int(width_in * _INCH / (0.52 * fontsize)))
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(textwrap.wrap(paragraph, chars) or [""])
    return lines


def _watermark(ax: Axes) -> None:
    ax.text(0.5, 0.5, "SIMULATED", transform=ax.transAxes, ha="center", va="center", rotation=30,
            fontsize=40, color="#B00020", alpha=0.07, fontweight="bold", zorder=0, gid="simulated-watermark",
            clip_on=True, in_layout=False)  # never moves the layout nor leaks outside the panel


_BANNER_IN = 0.34
_TITLE_LINE_IN = 0.21
_FOOT_LINE_IN = 0.135


def reserved_height(width: float, *, title: str | None = None, footnote: str | None = None,
                    simulated: bool = False) -> tuple[float, float]:
    """Inches that :func:`finish` keeps free above (label, title) and below (footnote) the panels."""
    top = 0.06 + (_BANNER_IN if simulated else 0.0)
    if title:
        top += _TITLE_LINE_IN * len(_wrap(title, width - 0.3, 11.0)) + 0.06
    bottom = 0.04
    if footnote:
        bottom += _FOOT_LINE_IN * len(_wrap(footnote, width - 0.2, 7.5)) + 0.08
    return top, bottom


def finish(fig: Figure, *, title: str | None = None, footnote: str | None = None,
           simulated: bool = False) -> Figure:
    """Add the title, footnote and SIMULATED label, reserving room for them in the layout.

    The label :data:`SIMULATED_LABEL` sits in a red box above the title, and a faint
    "SIMULATED" watermark crosses every data panel (axes whose label is not ``"aux"``),
    so that a crop of the panel alone still carries the warning.
    """
    width, height = fig.get_size_inches()
    if simulated:
        fig.text(0.5, 1 - 0.08 / height, SIMULATED_LABEL, ha="center", va="top", fontsize=9,
                 fontweight="bold", color="#B00020", gid="simulated-label",
                 bbox={"boxstyle": "round,pad=0.3", "facecolor": "#FDECEA", "edgecolor": "#B00020",
                       "linewidth": 1.0})
        for ax in fig.axes:
            if ax.get_label() != "aux":
                _watermark(ax)
    if title:
        y = 0.06 + (_BANNER_IN if simulated else 0.0)
        fig.text(0.5, 1 - y / height, "\n".join(_wrap(title, width - 0.3, 11.0)), ha="center", va="top",
                 fontsize=11, fontweight="bold", gid="figure-title", linespacing=1.25)
    if footnote:
        fig.text(0.1 / width, 0.05 / height, "\n".join(_wrap(footnote, width - 0.2, 7.5)), ha="left",
                 va="bottom", fontsize=7.5, color="#333333", gid="figure-footnote", linespacing=1.3)
    top, bottom = reserved_height(width, title=title, footnote=footnote, simulated=simulated)
    rect = (0.0, bottom / height, 1.0, 1.0 - (top + bottom) / height)  # (left, bottom, width, height)
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        engine.set(rect=rect)
    return fig


def save(fig: Figure, path_stem: str | Path) -> tuple[Path, Path]:
    """Write ``<path_stem>.svg`` and ``<path_stem>.png`` (200 dpi); return both paths.

    Parent folders are created. The SVG keeps text as ``<text>`` elements (not outlines)
    and carries no date, so the same figure gives the same file.
    """
    stem = Path(path_stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    svg, png = Path(f"{stem}.svg"), Path(f"{stem}.png")
    with journal_style():
        fig.savefig(svg, format="svg", metadata={"Date": None})
        fig.savefig(png, format="png", dpi=PNG_DPI, facecolor="white")
    return svg, png
