"""next_slot_after: list + (used count, highest used sequence) of a stratum → its next slot, in O(1)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncotrial.core.errors import AllocationError
from oncotrial.core.randomization import (
    DEFAULT_FACTORS,
    AllocationList,
    build_strata,
    generate_permuted_block_list,
    next_slot,
    next_slot_after,
)

STRATA = build_strata(DEFAULT_FACTORS)
YES_0, YES_1, NO_0, NO_1 = STRATA
PER_STRATUM = 6


@pytest.fixture(scope="module")
def small_list() -> AllocationList:
    allocation_list = generate_permuted_block_list(STRATA, PER_STRATUM, seed=2024, block_sizes=(2,))
    assert all(len(s.slots) == PER_STRATUM for s in allocation_list.strata)
    return allocation_list


def test_an_empty_stratum_gets_its_first_slot(small_list: AllocationList) -> None:
    slot = next_slot_after(small_list, NO_1, 0, 0)
    assert slot == small_list.strata[3].slots[0]
    assert slot.sequence == 1


def test_k_used_slots_without_gap_give_slot_k_plus_1(small_list: AllocationList) -> None:
    slot = next_slot_after(small_list, YES_1, 3, 3)
    assert slot == small_list.strata[1].slots[3]
    assert slot.sequence == 4


def test_the_last_slot_of_a_stratum_is_still_allocated(small_list: AllocationList) -> None:
    size = len(small_list.strata[0].slots)
    slot = next_slot_after(small_list, YES_0, size - 1, size - 1)
    assert slot == small_list.strata[0].slots[-1]
    assert slot.sequence == size


def test_an_exhausted_stratum_raises_naming_the_stratum(small_list: AllocationList) -> None:
    size = len(small_list.strata[2].slots)
    with pytest.raises(AllocationError) as caught:
        next_slot_after(small_list, NO_0, size, size)
    assert caught.value.field == "stratum"
    assert "list exhausted" in str(caught.value)
    assert next_slot_after(small_list, YES_0, 0, 0).sequence == 1  # other strata are unaffected


def test_a_highest_sequence_above_the_count_is_a_skipped_slot(small_list: AllocationList) -> None:
    with pytest.raises(AllocationError) as caught:
        next_slot_after(small_list, YES_0, 2, 3)  # e.g. slots 1 and 3 used: slot 2 skipped
    assert caught.value.field == "highest_used"
    assert caught.value.value == 3
    assert "slot 3 was skipped" in str(caught.value)


def test_a_highest_sequence_below_the_count_is_refused(small_list: AllocationList) -> None:
    with pytest.raises(AllocationError) as caught:
        next_slot_after(small_list, YES_0, 3, 2)
    assert caught.value.field == "highest_used"


def test_a_gap_is_detected_even_in_the_last_slot(small_list: AllocationList) -> None:
    size = len(small_list.strata[0].slots)
    with pytest.raises(AllocationError) as caught:
        next_slot_after(small_list, YES_0, size - 1, size)  # slot 1..size with one missing
    assert caught.value.field == "highest_used"


@pytest.mark.parametrize(
    ("used", "highest", "field"),
    [
        (-1, 0, "used"),
        (PER_STRATUM + 1, PER_STRATUM + 1, "used"),
        (True, 1, "used"),
        (0, -1, "highest_used"),
        (1, 1.0, "highest_used"),
        (2, PER_STRATUM + 1, "highest_used"),
    ],
)
def test_counts_outside_the_stratum_are_refused_naming_the_field(
    small_list: AllocationList, used: object, highest: object, field: str
) -> None:
    with pytest.raises(AllocationError) as caught:
        next_slot_after(small_list, YES_0, used, highest)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert f"[0, {PER_STRATUM}]" in str(caught.value)


def test_an_unknown_stratum_raises(small_list: AllocationList) -> None:
    with pytest.raises(AllocationError) as caught:
        next_slot_after(small_list, (("extrahepatic_metastasis", "yes"), ("ecog", "2")), 0, 0)
    assert caught.value.field == "stratum"


@settings(max_examples=60, deadline=None)
@given(used_sequences=st.sets(st.integers(1, PER_STRATUM), max_size=PER_STRATUM))
def test_it_answers_only_when_the_used_slots_are_a_prefix_and_then_names_the_lowest_unused(
    used_sequences: set[int],
) -> None:
    allocation_list = generate_permuted_block_list(STRATA, PER_STRATUM, seed=11, block_sizes=(2,))
    slots = allocation_list.strata[0].slots
    used, highest = len(used_sequences), max(used_sequences, default=0)
    lowest_unused = min(set(range(1, PER_STRATUM + 2)) - used_sequences)
    if used_sequences != set(range(1, used + 1)):
        with pytest.raises(AllocationError, match="highest_used"):
            next_slot_after(allocation_list, YES_0, used, highest)
    elif used == PER_STRATUM:
        with pytest.raises(AllocationError, match="exhausted"):
            next_slot_after(allocation_list, YES_0, used, highest)
    else:
        slot = next_slot_after(allocation_list, YES_0, used, highest)
        assert slot.sequence == lowest_unused
        assert slot == slots[lowest_unused - 1]
        history = [slots[s - 1].slot_id for s in sorted(used_sequences)]
        assert slot == next_slot(allocation_list, history, YES_0)  # same answer as the full check
