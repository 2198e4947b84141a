"""Conversions between storage rows and core values."""

from __future__ import annotations

import hashlib
import json

from oncotrial.core.randomization import AllocationList as CoreAllocationList
from oncotrial.core.randomization import stratum_key
from oncotrial.persistence.models import AllocationList, AllocationSlot


def list_digest(core_list: CoreAllocationList) -> str:
    """SHA-256 of the list's canonical JSON (what an auditor recomputes from the file)."""
    text = json.dumps(core_list.to_dict(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def slots_from_domain(record: AllocationList, core_list: CoreAllocationList) -> list[AllocationSlot]:
    return [
        AllocationSlot(
            allocation_list=record,
            slot_id=slot.slot_id,
            stratum_key=stratum_key(s.stratum),
            sequence=slot.sequence,
            block=slot.block,
            block_size=slot.block_size,
            arm=slot.arm,
        )
        for s in core_list.strata
        for slot in s.slots
    ]


def allocation_list_to_domain(record: AllocationList) -> CoreAllocationList:
    """The core list stored in ``record`` (checked again by ``AllocationList.from_dict``)."""
    content = record.content
    if not isinstance(content, dict):
        raise TypeError(f"allocation list {record.pk}: stored content is not an object")
    return CoreAllocationList.from_dict(content)
