"""next_slot: list + history of used slot ids → the next slot of a stratum."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncotrial.core.errors import AllocationError, DomainError
from oncotrial.core.randomization import (
    DEFAULT_FACTORS,
    AllocationList,
    build_strata,
    generate_permuted_block_list,
    next_slot,
)

STRATA = build_strata(DEFAULT_FACTORS)
YES_0, YES_1, NO_0, NO_1 = STRATA


@pytest.fixture(scope="module")
def small_list() -> AllocationList:
    return generate_permuted_block_list(STRATA, 4, seed=2024, block_sizes=(2, 4))


def ids(allocation_list: AllocationList, stratum_index: int, *sequences: int) -> list[str]:
    slots = allocation_list.strata[stratum_index].slots
    return [slots[s - 1].slot_id for s in sequences]


def test_first_allocation_in_a_stratum_is_its_first_slot(small_list: AllocationList) -> None:
    slot = next_slot(small_list, [], YES_1)
    assert slot == small_list.strata[1].slots[0]
    assert slot.sequence == 1


def test_next_slot_is_the_lowest_unused_sequence_of_that_stratum(
    small_list: AllocationList,
) -> None:
    history = ids(small_list, 0, 1, 2) + ids(small_list, 2, 1) + ids(small_list, 0, 3)
    assert next_slot(small_list, history, YES_0).sequence == 4
    assert next_slot(small_list, history, NO_0).sequence == 2
    assert next_slot(small_list, history, NO_1).sequence == 1


def test_order_of_the_pairs_in_the_stratum_does_not_matter(small_list: AllocationList) -> None:
    reversed_stratum = tuple(reversed(NO_1))
    assert next_slot(small_list, [], reversed_stratum) == small_list.strata[3].slots[0]


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32), order_seed=st.integers(0, 2**32), n=st.integers(1, 12))
def test_sequential_allocation_uses_every_slot_exactly_once(
    seed: int, order_seed: int, n: int
) -> None:
    allocation_list = generate_permuted_block_list(STRATA, n, seed)
    remaining = {s.stratum: len(s.slots) for s in allocation_list.strata}
    arrivals = [stratum for stratum, count in remaining.items() for _ in range(count)]
    random.Random(order_seed).shuffle(arrivals)
    used: list[str] = []
    for stratum in arrivals:
        used.append(next_slot(allocation_list, used, stratum).slot_id)
    every_id = [slot.slot_id for s in allocation_list.strata for slot in s.slots]
    assert len(used) == len(set(used))
    assert sorted(used) == sorted(every_id)
    for stratum in STRATA:
        with pytest.raises(AllocationError, match="exhausted"):
            next_slot(allocation_list, used, stratum)


def test_exhausted_stratum_raises_naming_the_stratum(small_list: AllocationList) -> None:
    count = len(small_list.strata[0].slots)
    history = ids(small_list, 0, *range(1, count + 1))
    with pytest.raises(AllocationError) as caught:
        next_slot(small_list, history, YES_0)
    assert caught.value.field == "stratum"
    assert "stratum: got" in str(caught.value)
    assert "list exhausted" in str(caught.value)
    assert next_slot(small_list, history, YES_1).sequence == 1  # other strata are unaffected


def test_unknown_stratum_raises(small_list: AllocationList) -> None:
    with pytest.raises(AllocationError) as caught:
        next_slot(small_list, [], (("extrahepatic_metastasis", "yes"), ("ecog", "2")))
    assert caught.value.field == "stratum"
    with pytest.raises(AllocationError, match="stratum"):
        next_slot(small_list, [], (("extrahepatic_metastasis", "yes"),))


def test_reused_slot_raises_naming_the_history_entry(small_list: AllocationList) -> None:
    first = ids(small_list, 0, 1)[0]
    with pytest.raises(AllocationError) as caught:
        next_slot(small_list, [first, first], YES_1)
    assert caught.value.field == "used_slot_ids[1]"
    assert "used_slot_ids[1]" in str(caught.value)
    assert "already used" in str(caught.value)


def test_skipped_slot_raises_naming_the_history_entry(small_list: AllocationList) -> None:
    history = ids(small_list, 0, 1, 3)
    with pytest.raises(AllocationError) as caught:
        next_slot(small_list, history, YES_1)  # even when asking for another stratum
    assert caught.value.field == "used_slot_ids[1]"
    assert "skips slot 2" in str(caught.value)


def test_slot_used_before_its_predecessor_counts_as_a_skip(small_list: AllocationList) -> None:
    with pytest.raises(AllocationError, match=r"used_slot_ids\[0\]"):
        next_slot(small_list, ids(small_list, 2, 2, 1), NO_0)


def test_unknown_slot_id_raises(small_list: AllocationList) -> None:
    history = [*ids(small_list, 0, 1), "ecog=0/0001"]
    with pytest.raises(AllocationError) as caught:
        next_slot(small_list, history, YES_0)
    assert caught.value.field == "used_slot_ids[1]"
    assert "2024" not in str(caught.value)  # the seed is confidential: never in messages


def test_a_string_is_not_accepted_as_the_history(small_list: AllocationList) -> None:
    with pytest.raises(AllocationError, match="used_slot_ids"):
        next_slot(small_list, "extrahepatic_metastasis=yes;ecog=0/0001", YES_0)


def test_a_malformed_stratum_is_rejected_naming_the_stratum(small_list: AllocationList) -> None:
    with pytest.raises(DomainError) as caught:
        next_slot(small_list, [], "extrahepatic_metastasis=yes;ecog=0")  # type: ignore[arg-type]
    assert caught.value.field == "stratum"
