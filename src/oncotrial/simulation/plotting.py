"""Plots of simulated operating characteristics (matplotlib is imported inside each function)."""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING, Any

import numpy as np

from oncotrial.simulation.accumulator import LOG_HR_BINS, TIME_BINS

if TYPE_CHECKING:
    from oncotrial.simulation.characteristics import OperatingCharacteristics


def _figure(width: float = 6.0, height: float = 3.2) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib import pyplot as plt

    return plt.subplots(figsize=(width, height), dpi=110)


def _png(fig: Any) -> str:
    from matplotlib import pyplot as plt

    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def plot_stages(results: list[OperatingCharacteristics]) -> str:
    """Bar chart of efficacy and futility stops by look (base64 PNG)."""
    fig, ax = _figure()
    k = results[0].acc.k_max
    width = 0.8 / (2 * len(results))
    for i, oc in enumerate(results):
        n = max(oc.trials, 1)
        x = np.arange(k) + i * 2 * width
        ax.bar(x, oc.acc.reject / n, width, label=f"reject: {oc.scenario.name}")
        ax.bar(x + width, oc.acc.futility / n, width, label=f"futility: {oc.scenario.name}", alpha=0.6)
    ax.set_xticks(np.arange(k) + width * (len(results) - 0.5))
    ax.set_xticklabels([f"look {j + 1}" for j in range(k)])
    ax.set_ylabel("probability")
    ax.set_title("Stopping by look (SIMULATED)")
    ax.legend(fontsize=7)
    return _png(fig)


def plot_hazard_ratio(oc: OperatingCharacteristics) -> str | None:
    """Histogram of the HR estimate at the stopping look (base64 PNG), or None without one."""
    if oc.acc.hr_test < 0:
        return None
    fig, ax = _figure()
    counts = oc.acc.log_hr_hist[1:-1].reshape(-1, 8).sum(axis=1)
    edges = np.exp(LOG_HR_BINS[::8])
    keep = counts > 0
    if keep.any():
        lo, hi = np.flatnonzero(keep)[[0, -1]]
        ax.stairs(counts[lo: hi + 1] / max(oc.trials, 1), edges[lo: hi + 2], fill=True, alpha=0.7)
    ax.set_xscale("log")
    ax.set_xlabel("estimated hazard ratio (experimental / control)")
    ax.set_ylabel("share of trials")
    ax.set_title("HR estimate at the stopping look (SIMULATED)")
    return _png(fig)


def plot_analysis_time(oc: OperatingCharacteristics) -> str:
    """Histogram of the calendar time of the stopping look (base64 PNG)."""
    fig, ax = _figure()
    counts = oc.acc.time_hist[1:-1].reshape(-1, 20).sum(axis=1)
    edges = TIME_BINS[::20]
    keep = np.flatnonzero(counts > 0)
    if keep.size:
        lo, hi = keep[0], keep[-1]
        ax.stairs(counts[lo: hi + 1] / max(oc.trials, 1), edges[lo: hi + 2], fill=True, alpha=0.7)
    ax.set_xlabel("months from first patient in")
    ax.set_ylabel("share of trials")
    ax.set_title("Time of the final analysis (SIMULATED)")
    return _png(fig)
