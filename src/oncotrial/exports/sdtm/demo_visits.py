"""Planned visits of the SIMULATED demo trial (:mod:`.demo_records`) [ASSUMP].

Screening, then day 1 and day 8 of each 21-day cycle (visit number 10·cycle + day), and the
on-study tumour assessments (visit number 1000 + index). The trial design domains
(:mod:`.trial_design`) use the same codes.
"""

from __future__ import annotations

CYCLE_DAYS = 21
SCREENING = ("SCR", 1, "SCREENING")


def cycle_visit(cycle: int, day: int) -> tuple[str, int, str]:
    """Code, number and name of the planned visit on ``day`` of ``cycle`` (number 10·cycle + day)."""
    return f"C{cycle}D{day}", 10 * cycle + day, f"CYCLE {cycle} DAY {day}"


def scan_visit(index: int) -> tuple[str, int, str]:
    """Code, number and name of the ``index``-th on-study tumour assessment (number 1000 + index)."""
    return f"TA{index}", 1000 + index, f"TUMOR ASSESSMENT {index}"
