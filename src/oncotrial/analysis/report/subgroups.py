"""PFS hazard ratios for the forest plot: the analysis's subgroups plus sex and age group.

Every HR is the analysis's own estimator (Cox, Efron ties, unstratified within the
subgroup level; :func:`oncotrial.analysis.trial_analysis.analyze_trial`, ``subgroups``);
sex and age group (< 65, ≥ 65 years), which TrialData does not carry, are fitted the same
way from the baseline characteristics. A level without events in both arms has no HR (NE).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from oncotrial.analysis.plotting.forest import ForestRow
from oncotrial.analysis.report.baseline import age_group
from oncotrial.analysis.report_data import BaselineCharacteristics, ReportExtras
from oncotrial.analysis.trial_analysis import TrialAnalysis, _arrays, _cox
from oncotrial.core.endpoints.time_to_event import TimeToEvent

EXTRA_SUBGROUPS: tuple[tuple[str, Callable[[BaselineCharacteristics], str]], ...] = (
    ("Sex", lambda b: b.sex),
    ("Age group", age_group),
)


def _finite(*values: Any) -> bool:
    return all(v is not None and math.isfinite(v) and v > 0 for v in values)


def _level(
    rows: Sequence[TimeToEvent], experimental: str
) -> tuple[float | None, float | None, float | None, float | None]:
    t, e, a = _arrays(rows)
    if len(set(a)) != 2 or not (e[a == experimental].any() and e[a != experimental].any()):
        return None, None, None, None
    fit = _cox(t, e, np.asarray(a == experimental), None)
    ci = fit.confidence_intervals_.iloc[0]
    return (
        float(fit.hazard_ratios_.iloc[0]),
        float(ci.iloc[0]),
        float(ci.iloc[1]),
        float(fit.summary["p"].iloc[0]),
    )


def extra_subgroups(analysis: TrialAnalysis, extras: ReportExtras) -> list[dict[str, Any]]:
    """Rows like ``analysis.subgroups`` (subgroup, level, n, hr, lower, upper, p) for sex and age."""
    baseline = {b.patient_id: b for b in extras.baseline}
    rows = analysis.pfs.rows
    out = []
    for name, get in EXTRA_SUBGROUPS:
        for level in sorted({get(baseline[r.patient_id]) for r in rows}):
            sub = [r for r in rows if get(baseline[r.patient_id]) == level]
            hr, lower, upper, p = _level(sub, analysis.experimental)
            out.append(
                {
                    "subgroup": name,
                    "level": level,
                    "n": len(sub),
                    "hr": hr,
                    "lower": lower,
                    "upper": upper,
                    "p": p,
                }
            )
    return out


def subgroup_table(analysis: TrialAnalysis, extras: ReportExtras) -> list[dict[str, Any]]:
    """Every subgroup row: the analysis's, then sex and age group."""
    own = [dict(r) for r in analysis.subgroups.to_dict("records")]
    return own + extra_subgroups(analysis, extras)


def forest_rows(analysis: TrialAnalysis, table: Sequence[dict[str, Any]]) -> list[ForestRow]:
    """The overall HR (analysis ``pfs.cox``) then one row per subgroup level."""
    cox = analysis.pfs.cox
    ci = cox.confidence_intervals_.iloc[0]
    rows = [
        ForestRow(
            "All patients",
            len(analysis.pfs.rows),
            float(cox.hazard_ratios_.iloc[0]),
            float(ci.iloc[0]),
            float(ci.iloc[1]),
            float(cox.summary["p"].iloc[0]),
        )
    ]
    for r in table:
        ok = _finite(r["hr"], r["lower"], r["upper"])
        rows.append(
            ForestRow(
                str(r["level"]),
                int(r["n"]),
                r["hr"] if ok else None,
                r["lower"] if ok else None,
                r["upper"] if ok else None,
                r["p"] if ok else None,
                str(r["subgroup"]),
            )
        )
    return rows
