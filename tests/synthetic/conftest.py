"""Shared fixtures of the synthetic-patient tests (protocol loaded from the package file)."""

from __future__ import annotations

from datetime import date

import pytest

from oncotrial.core.protocol.model import Protocol
from oncotrial.protocol_files import default_protocol_text, load_protocol_text
from oncotrial.synthetic import TrialScenario


@pytest.fixture(scope="session")
def protocol() -> Protocol:
    return load_protocol_text(default_protocol_text())


@pytest.fixture(scope="session")
def long_follow_up() -> TrialScenario:
    """Every outcome observed: accrual in a year, cut-off in 2045, no withdrawals."""
    return TrialScenario(
        seed=7,
        expected_candidates=100_000,
        accrual_days=365,
        cutoff=date(2045, 1, 1),
        consent_withdrawal_probability=0.0,
        loss_to_follow_up_probability=0.0,
    )
