"""Errors of the simulation layer (all are :class:`~oncotrial.core.errors.DomainError`)."""

from __future__ import annotations

from oncotrial.core.errors import DomainError


class ScenarioError(DomainError):
    """A scenario file does not match the scenario format; ``field`` is the full path of the bad value."""


class EngineUnavailableError(DomainError):
    """The requested simulation engine cannot run here (no GPU, missing package)."""
