"""A fully eligible SIMULATED candidate as plain data; tests change one field at a time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from oncotrial.core.eligibility.patient_data import candidate_from_data
from oncotrial.core.eligibility.rules import ScreeningContext
from oncotrial.core.eligibility.screening import ScreeningResult, screen
from oncotrial.protocol_files import load_default_protocol
from support.candidates import example_patient

SCREENING_DAY = date(2024, 3, 5)


@pytest.fixture(scope="session")
def protocol():  # type: ignore[no-untyped-def]
    return load_default_protocol()


@pytest.fixture
def patient() -> dict[str, Any]:
    return example_patient()


@pytest.fixture
def run_screen(protocol) -> Callable[..., ScreeningResult]:  # type: ignore[no-untyped-def]
    def run(data: dict[str, Any], on: date = SCREENING_DAY, lab_recency_days: int = 14
            ) -> ScreeningResult:
        context = ScreeningContext(on=on, lab_recency_days=lab_recency_days,
                                   imaging_recency_days=28)
        return screen(candidate_from_data(data), protocol.eligibility.criteria, context)
    return run
