"""Allocation from a pre-generated list: a pure function of list + history → next slot.

The history is the ordered sequence of slot ids already used (across all strata),
as recorded by the trial. :func:`next_slot` checks the whole history before answering,
so that an inconsistent history (a reused, unknown or skipped slot) is reported loudly
instead of being silently repaired.
"""

from __future__ import annotations

from collections.abc import Sequence

from oncotrial.core.errors import AllocationError
from oncotrial.core.randomization.permuted_blocks import AllocationList, Slot
from oncotrial.core.randomization.strata import Stratum, stratum_key


def check_history(allocation_list: AllocationList, used_slot_ids: Sequence[str]) -> dict[str, int]:
    """Check a history of used slot ids and return the number used per stratum key.

    Raises
    ------
    AllocationError
        ``used_slot_ids[i]`` names the offending entry: an id that is not in the list,
        an id used twice, or an id that is not the next unused slot of its stratum
        (slots of a stratum are used in sequence order 1, 2, 3, …; none is skipped).
    """
    if isinstance(used_slot_ids, str):
        raise AllocationError("used_slot_ids", used_slot_ids, "a sequence of slot ids")
    index = {slot.slot_id: slot for s in allocation_list.strata for slot in s.slots}
    used_per_stratum = {stratum_key(s.stratum): 0 for s in allocation_list.strata}
    seen: set[str] = set()
    for i, used in enumerate(used_slot_ids):
        field = f"used_slot_ids[{i}]"
        if used in seen:
            raise AllocationError(
                field,
                used,
                "a slot id not already used (each slot is allocated once)",
                suggestion="remove the duplicate entry from the allocation history.",
            )
        slot = index.get(used)
        if slot is None:
            raise AllocationError(
                field,
                used,
                "a slot id of this list",
                suggestion="check that the history belongs to this randomization list.",
            )
        key = stratum_key(slot.stratum)
        expected = used_per_stratum[key] + 1
        if slot.sequence != expected:
            raise AllocationError(
                field,
                used,
                f"the id of slot {expected} of stratum {key} (slots are used in order; "
                f"using slot {slot.sequence} skips slot {expected})",
                suggestion="investigate the allocation history; a slot was skipped.",
            )
        used_per_stratum[key] = expected
        seen.add(used)
    return used_per_stratum


def next_slot(
    allocation_list: AllocationList, used_slot_ids: Sequence[str], stratum: Stratum
) -> Slot:
    """The slot to allocate next in ``stratum``: the lowest unused sequence number.

    Parameters
    ----------
    allocation_list:
        The pre-generated list.
    used_slot_ids:
        Every slot id already allocated, in allocation order (all strata together).
    stratum:
        The new patient's stratum; the order of its ``(factor, level)`` pairs is ignored.

    Raises
    ------
    AllocationError
        ``stratum`` is not in the list or its slots are all used (field ``stratum``), or
        the history is inconsistent (field ``used_slot_ids[i]``, see :func:`check_history`).
    """
    target = allocation_list.stratum_list(stratum)
    used = check_history(allocation_list, used_slot_ids)[stratum_key(target.stratum)]
    if used >= len(target.slots):
        raise AllocationError(
            "stratum",
            stratum,
            f"a stratum with an unused slot; all {len(target.slots)} slots of "
            f"{stratum_key(target.stratum)} are used (list exhausted)",
            suggestion="generate a longer list with a new recorded seed for further patients.",
        )
    return target.slots[used]
