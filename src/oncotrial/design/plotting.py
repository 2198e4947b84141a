"""Power-curve plot; matplotlib is imported inside the function, only when a plot is asked for."""

from __future__ import annotations

from pathlib import Path

from oncotrial.core.errors import DomainError
from oncotrial.design.power_curve import PowerCurve

FORMATS = (".svg", ".png", ".pdf")


def plot_power_curve(curve: PowerCurve, path: Path, target_power: float | None = None) -> Path:
    """Write ``curve`` to ``path`` (SVG, PNG or PDF, from the suffix) and return the path."""
    if path.suffix.lower() not in FORMATS:
        raise DomainError("--plot", str(path), "a file name ending in .svg, .png or .pdf")
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib import pyplot as plt
    except ImportError:  # pragma: no cover - depends on the installation
        raise DomainError("--plot", str(path), "matplotlib installed",
                          "pip install matplotlib (the [analysis] extra)") from None
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    try:
        for label, values in curve.series.items():
            ax.plot(curve.x, values, label=label, linewidth=1.8)
        ax.axvline(curve.planned_x, color="grey", linestyle=":", linewidth=1, label="planned effect")
        if target_power is not None:
            ax.axhline(target_power, color="grey", linestyle="--", linewidth=1,
                       label=f"power {target_power:.2f}")
        ax.set_xlabel(curve.x_label)
        ax.set_ylabel("probability of rejecting H0")
        ax.set_ylim(0, 1)
        ax.set_title(curve.title, fontsize=10)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="best")
        fig.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path)
    finally:
        plt.close(fig)
    return path
