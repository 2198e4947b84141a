"""Journal-quality figures of the trial: KM curves, forest, waterfall, spider, swimmer and CONSORT.

Each ``plot_*`` function returns a :class:`matplotlib.figure.Figure` (built outside pyplot)
and takes ``title``, ``footnote`` and ``simulated``; :func:`save` writes SVG and PNG. With
``simulated=True`` the figure carries the label :data:`SIMULATED_LABEL`. matplotlib is
imported only inside the functions, so importing this package does not load it
(style guide rule 8).
"""

from oncotrial.analysis.plotting.consort import ArmFlow, ConsortCounts, plot_consort
from oncotrial.analysis.plotting.forest import PROTOCOL_SUBGROUPS, ForestRow, plot_forest
from oncotrial.analysis.plotting.km import numbers_at_risk, plot_km, survival_inputs
from oncotrial.analysis.plotting.spider import SpiderSeries, plot_spider, spider_series
from oncotrial.analysis.plotting.style import SIMULATED_LABEL, save
from oncotrial.analysis.plotting.swimmer import SwimmerLane, plot_swimmer, swimmer_lanes
from oncotrial.analysis.plotting.waterfall import WaterfallBar, plot_waterfall, waterfall_bars

__all__ = [
    "PROTOCOL_SUBGROUPS",
    "SIMULATED_LABEL",
    "ArmFlow",
    "ConsortCounts",
    "ForestRow",
    "SpiderSeries",
    "SwimmerLane",
    "WaterfallBar",
    "numbers_at_risk",
    "plot_consort",
    "plot_forest",
    "plot_km",
    "plot_spider",
    "plot_swimmer",
    "plot_waterfall",
    "save",
    "spider_series",
    "survival_inputs",
    "swimmer_lanes",
    "waterfall_bars",
]
