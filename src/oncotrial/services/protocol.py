"""The protocol the services run on (the embedded default, loaded once)."""

from __future__ import annotations

from datetime import date
from functools import cache

from oncotrial.core.eligibility.rules import ScreeningContext
from oncotrial.core.protocol.model import Protocol
from oncotrial.protocol_files import load_default_protocol


@cache
def current_protocol() -> Protocol:
    return load_default_protocol()


def screening_context(protocol: Protocol, on: date) -> ScreeningContext:
    """The protocol's recency limits for screening on ``on``."""
    return ScreeningContext(
        on=on,
        lab_recency_days=int(str(protocol.assumption("lab_recency_days"))),
        imaging_recency_days=int(str(protocol.assumption("imaging_recency_days"))),
    )
