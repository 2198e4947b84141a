"""The label every SIMULATED artefact of the virtual-patient generator carries."""

from __future__ import annotations

from typing import Final

SIMULATED_LABEL: Final = "SIMULATED DATA: not results of NCT07304388"
