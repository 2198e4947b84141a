"""The lab panel a site draws for a treatment day, from the patient's script.

A script draws its panels for the nominal days; when a delay moves a day, or a cycle is
retried with the recheck labs, the conductor adjusts the draw as a site would.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from oncotrial.core.units import Measurand
from oncotrial.synthetic.labs import URINE_PROTEIN_BANDS
from oncotrial.synthetic.model import PatientScript, lab


def dated(panel: Any, nominal: date, on: date) -> Any:
    """The panel drawn for a treatment day that moved from ``nominal`` to ``on``.

    Scripts date their draws 0–3 days before the nominal day; the site draws the same
    interval before the actual day, so the result is as recent as the protocol requires.
    """
    lead = max(0, (nominal - panel.collected_on).days)
    drawn = on - timedelta(days=lead)
    if drawn == panel.collected_on:
        return panel
    return replace(
        panel, collected_on=drawn, values=tuple(replace(v, collected_on=drawn) for v in panel.values)
    )


def with_urine_protein(panel: Any, script: PatientScript | None, on: date) -> Any:
    """A moved treatment day's draw, with the 24-h urine protein while proteinuria is active.

    The script drew its panel for the nominal day; when a delay moves the day into a
    proteinuria episode, the site measures the urine protein that the lenvatinib rule needs.
    The value is the middle of the generator's band for that day's grade (deterministic).
    """
    if script is None or any(v.test is Measurand.URINE_PROTEIN_24H for v in panel.values):
        return panel
    grade = max(  # core counts an AE as active through its resolution day
        (
            max(ae.grade_on(on), ae.grade_on(on - timedelta(days=1)))
            for ae in script.adverse_events
            if ae.term == "Proteinuria"
        ),
        default=0,
    )
    if grade == 0:
        return panel
    low, high = URINE_PROTEIN_BANDS[min(grade, 3)]
    return replace(
        panel, values=(*panel.values, lab(Measurand.URINE_PROTEIN_24H, (low + high) / 2, panel.collected_on))
    )


def merged(recheck: Any, day1: Any) -> Any:
    """The recheck draw plus the day-1 tests it does not repeat (urine protein, tumour markers)."""
    have = {v.test for v in recheck.values}
    extra = tuple(replace(v, collected_on=recheck.collected_on) for v in day1.values if v.test not in have)
    return replace(recheck, values=recheck.values + extra)
