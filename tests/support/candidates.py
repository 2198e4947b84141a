"""Helpers for tests that edit a candidate document one field at a time."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from oncotrial.core.eligibility.screening import ScreeningResult, Verdict

EXAMPLE_PATIENT = Path(__file__).parents[2] / "docs" / "examples" / "patient.json"


def example_patient() -> dict[str, Any]:
    """The documented, fully eligible SIMULATED example candidate."""
    return copy.deepcopy(json.loads(EXAMPLE_PATIENT.read_text(encoding="utf-8")))


def set_lab(data: dict[str, Any], test: str, value: float, unit: str) -> None:
    """Replace the value of ``test`` (keeping its date), or add it dated 2024-03-04."""
    for lab in data["labs"]:
        if lab["test"] == test:
            lab["value"], lab["unit"] = value, unit
            return
    data["labs"].append({"test": test, "value": value, "unit": unit, "date": "2024-03-04"})


def verdict(result: ScreeningResult, code: str) -> Verdict:
    return next(v for v in result.verdicts if v.code == code)
