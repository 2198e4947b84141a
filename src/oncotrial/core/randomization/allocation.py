"""Allocation from a pre-generated list: a pure function of list + history → next slot.

The history is the ordered sequence of slot ids already used (across all strata),
as recorded by the trial. :func:`next_slot` checks the whole history before answering,
so that an inconsistent history (a reused, unknown or skipped slot) is reported loudly
instead of being silently repaired; it is the full audit (O(history)).

:func:`next_slot_after` answers the same question in constant time from two numbers
that a database returns in one aggregate query: how many slots of the stratum are used
and the highest sequence number used. Slots of a stratum carry distinct sequence numbers
1…n (the list format checks it) and each slot is used at most once (a unique constraint
of the store), so the used sequences are exactly 1…k, with no gap, if and only if their
count equals their maximum k (k distinct integers in [1, k] are all of them). The next
slot is then slot k + 1. Allocation follows the pre-generated sequence, in order, one slot
per participant (ICH E9 §2.3.3, randomization; CONSORT 2010 items 8–10).
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


def next_slot_after(allocation_list: AllocationList, stratum: Stratum, used: int, highest_used: int) -> Slot:
    """The slot to allocate next in ``stratum``, given its ``used`` count and ``highest_used`` sequence.

    Constant time: for use under a lock, where the caller's store guarantees that each
    slot is used at most once (see the module docstring). ``highest_used`` is 0 when no
    slot of the stratum is used. The answer equals :func:`next_slot` on any consistent
    history with these numbers.

    Raises
    ------
    AllocationError
        ``stratum`` is not in the list or its slots are all used (field ``stratum``);
        ``used`` is not an integer in [0, slots of the stratum] (field ``used``);
        ``highest_used`` differs from ``used``: a slot was skipped (higher) or the
        history is not of this list (lower) (field ``highest_used``).
    """
    target = allocation_list.stratum_list(stratum)
    key = stratum_key(target.stratum)
    size = len(target.slots)
    for field, value in (("used", used), ("highest_used", highest_used)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= size:
            raise AllocationError(
                field,
                value,
                f"an integer in [0, {size}] (stratum {key} has {size} slots)",
                suggestion="investigate the allocation history; it does not belong to this list.",
            )
    if highest_used != used:
        problem = (
            f"slot {used + 1} was skipped or a slot was used out of order"
            if highest_used > used
            else "the history has fewer slots than its count (not this list's history)"
        )
        raise AllocationError(
            "highest_used",
            highest_used,
            f"{used}, the number of used slots of stratum {key} (slots are used in order "
            f"1, 2, 3, …; {problem})",
            suggestion="investigate the allocation history with a full check (check_history).",
        )
    if used == size:
        raise AllocationError(
            "stratum",
            stratum,
            f"a stratum with an unused slot; all {size} slots of {key} are used (list exhausted)",
            suggestion="generate a longer list with a new recorded seed for further patients.",
        )
    return target.slots[used]
