"""Builders for dose-decision tests: the built-in protocol and one treatment day."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from oncotrial.core.dosing import AdverseEvent, AeCategory, DecisionRequest, Drug, DrugState, decide
from oncotrial.core.dosing.decision import DrugDecision
from oncotrial.core.protocol.model import Protocol
from oncotrial.core.units import SPECS, Measurand, Measurement, measure
from oncotrial.protocol_files import load_default_protocol

EXAMPLE_DOSE = Path(__file__).parents[2] / "docs" / "examples" / "dose.json"

NORMAL_LABS: dict[str, float] = {"NEUT": 3.0, "PLAT": 200.0, "BILI": 12.0, "ALB": 40.0}
"""Canonical units: 10^9/L, 10^9/L, µmol/L, g/L. Every HAIC and gemcitabine threshold passes."""


@cache
def protocol() -> Protocol:
    return load_default_protocol()


def lab(code: str, value: float) -> Measurement:
    measurand = Measurand(code)
    return measure(measurand, value, SPECS[measurand].canonical_unit)


def request(*, arm: str = "HAIC", cycle: int = 1, day: int = 1, height: float = 170.0,
            weight: float = 70.0, baseline: float | None = None, labs: dict[str, float] | None = None,
            aes: tuple[AdverseEvent, ...] = (), levels: dict[Drug, int] | None = None,
            **options: Any) -> DecisionRequest:
    values = dict(NORMAL_LABS if labs is None else labs)
    return DecisionRequest(
        arm=protocol().arm(arm), cycle=cycle, day=day,
        height=measure(Measurand.HEIGHT, height, "cm"),
        weight=measure(Measurand.WEIGHT, weight, "kg"),
        baseline_weight=measure(Measurand.WEIGHT, weight if baseline is None else baseline, "kg"),
        labs={Measurand(k): lab(k, v) for k, v in values.items()},
        adverse_events=aes,
        states={d: DrugState(level=lv) for d, lv in (levels or {}).items()},
        **options,
    )


def decision_for(drug: Drug, **kwargs: Any) -> DrugDecision:
    return decide(request(**kwargs)).for_drug(drug)


def ae(term: str, grade: int, category: str = "other", *related: Drug, **flags: Any) -> AdverseEvent:
    """An AE of ``category`` related to ``related`` drugs, with optional flags."""
    return AdverseEvent(term, grade, AeCategory(category), frozenset(related), **flags)


def example_dose() -> dict[str, Any]:
    """The documented SIMULATED example input (a fresh copy)."""
    return copy.deepcopy(json.loads(EXAMPLE_DOSE.read_text(encoding="utf-8")))
