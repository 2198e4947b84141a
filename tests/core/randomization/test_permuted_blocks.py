"""Stratified permuted-block lists: balance, reproducibility, plain-dict round trip."""

from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from oncotrial.core.errors import DomainError
from oncotrial.core.randomization import (
    DEFAULT_FACTORS,
    AllocationList,
    AllocationRatio,
    build_strata,
    generate_permuted_block_list,
    reproduces_from_seed,
    stratum_key,
)

STRATA = build_strata(DEFAULT_FACTORS)
seeds = st.integers(min_value=0, max_value=2**64 - 1)
block_size_sets = st.sets(st.sampled_from([2, 4, 6, 8]), min_size=1).map(sorted)


def flip_arm(slot: dict[str, object]) -> None:
    slot["arm"] = "GEMOX" if slot["arm"] == "HAIC" else "HAIC"


def canonical_bytes(allocation_list: AllocationList) -> bytes:
    return json.dumps(allocation_list.to_dict(), sort_keys=True, separators=(",", ":")).encode()


def test_strata_are_the_cartesian_product_of_levels_first_factor_slowest() -> None:
    assert STRATA == (
        (("extrahepatic_metastasis", "yes"), ("ecog", "0")),
        (("extrahepatic_metastasis", "yes"), ("ecog", "1")),
        (("extrahepatic_metastasis", "no"), ("ecog", "0")),
        (("extrahepatic_metastasis", "no"), ("ecog", "1")),
    )
    assert build_strata([]) == ((),)
    assert stratum_key(STRATA[0]) == "extrahepatic_metastasis=yes;ecog=0"


def test_factor_with_a_single_level_or_a_reserved_character_is_rejected() -> None:
    with pytest.raises(DomainError, match=r"factors\[0\]\.levels"):
        build_strata([("ecog", ("0",))])
    with pytest.raises(DomainError, match=r"factors\[1\]\.code"):
        build_strata([("ecog", ("0", "1")), ("ecog", ("0", "1"))])
    with pytest.raises(DomainError, match=r"factors\[0\]\.levels\[1\]"):
        build_strata([("ca19_9", ("<=37", ">37/mL"))])
    with pytest.raises(DomainError, match=r"factors\[0\]\.code"):
        build_strata([("ca19_9=", ("<=37", ">37"))])
    assert len(build_strata([("ca19_9", ("<=37", ">37"))])) == 2


def test_every_stratum_holds_whole_blocks_reaching_the_requested_slots() -> None:
    allocation_list = generate_permuted_block_list(STRATA, 120, seed=7)
    assert [s.stratum for s in allocation_list.strata] == list(STRATA)
    for stratum_list in allocation_list.strata:
        slots = stratum_list.slots
        assert 120 <= len(slots) < 124
        assert [slot.sequence for slot in slots] == list(range(1, len(slots) + 1))
        assert {slot.block_size for slot in slots} <= {2, 4}
        assert all(slot.stratum == stratum_list.stratum for slot in slots)
    ids = [slot.slot_id for s in allocation_list.strata for slot in s.slots]
    assert len(ids) == len(set(ids))
    assert ids[0] == "extrahepatic_metastasis=yes;ecog=0/0001"


@settings(max_examples=60, deadline=None)
@given(seed=seeds, sizes=block_size_sets, n=st.integers(min_value=1, max_value=60))
def test_within_stratum_imbalance_never_exceeds_half_the_largest_block(
    seed: int, sizes: list[int], n: int
) -> None:
    allocation_list = generate_permuted_block_list(STRATA, n, seed, block_sizes=sizes)
    for stratum_list in allocation_list.strata:
        difference = 0
        for slot in stratum_list.slots:
            difference += 1 if slot.arm == "HAIC" else -1
            assert abs(difference) <= max(sizes) // 2
        assert difference == 0  # the list ends on a whole block


@settings(max_examples=60, deadline=None)
@given(seed=seeds, sizes=block_size_sets, n=st.integers(min_value=1, max_value=60))
def test_each_complete_block_is_exactly_balanced(seed: int, sizes: list[int], n: int) -> None:
    allocation_list = generate_permuted_block_list(STRATA, n, seed, block_sizes=sizes)
    for stratum_list in allocation_list.strata:
        blocks: dict[int, list[str]] = {}
        for slot in stratum_list.slots:
            blocks.setdefault(slot.block, []).append(slot.arm)
            assert slot.block_size in sizes
        assert list(blocks) == list(range(1, len(blocks) + 1))
        for arms in blocks.values():
            assert arms.count("HAIC") == arms.count("GEMOX")


def test_unequal_ratio_gives_blocks_in_that_ratio() -> None:
    ratio = AllocationRatio.from_mapping({"HAIC": 2, "GEMOX": 1})
    allocation_list = generate_permuted_block_list(
        [()], 30, seed=3, ratio=ratio, block_sizes=(3, 6)
    )
    slots = allocation_list.strata[0].slots
    for block in {slot.block for slot in slots}:
        arms = [slot.arm for slot in slots if slot.block == block]
        assert arms.count("HAIC") == 2 * arms.count("GEMOX")


@settings(max_examples=25, deadline=None)
@given(seed=seeds)
def test_the_same_seed_gives_byte_identical_lists(seed: int) -> None:
    first = generate_permuted_block_list(STRATA, 20, seed)
    second = generate_permuted_block_list(list(STRATA), 20, seed, block_sizes=(4, 2))
    assert first == second
    assert canonical_bytes(first) == canonical_bytes(second)


@settings(max_examples=25, deadline=None)
@given(seed=seeds, other=seeds)
def test_different_seeds_give_different_lists(seed: int, other: int) -> None:
    assume(seed != other)
    first = generate_permuted_block_list(STRATA, 20, seed)
    assert first != generate_permuted_block_list(STRATA, 20, other)


def test_list_for_a_recorded_seed_never_changes() -> None:
    # Golden value: SHA-256 sub-seeds, random.Random(int), choice and shuffle are stable, so
    # this list must stay the same across Python versions and machines.
    allocation_list = generate_permuted_block_list(STRATA, 8, seed=12345)
    digest = hashlib.sha256(canonical_bytes(allocation_list)).hexdigest()
    assert digest == "8651641ef3f86ac2285fd11b6a402a16b69f2b131a3198ce1e446a02d9cc74b4"
    first = allocation_list.strata[0].slots
    assert "".join(slot.arm[0] for slot in first) == "GHHGHHGG"


def test_strata_differ_within_one_list() -> None:
    allocation_list = generate_permuted_block_list(STRATA, 40, seed=1)
    sequences = {tuple(slot.arm for slot in s.slots[:40]) for s in allocation_list.strata}
    assert len(sequences) == len(STRATA)


def test_plain_dict_round_trip_through_json_gives_the_same_list() -> None:
    allocation_list = generate_permuted_block_list(STRATA, 12, seed=99)
    data = json.loads(json.dumps(allocation_list.to_dict()))
    assert data["scheme"] == "permuted_blocks"
    assert data["seed"] == 99
    assert data["block_sizes"] == [2, 4]
    assert data["ratio"] == [{"arm": "HAIC", "weight": 1}, {"arm": "GEMOX", "weight": 1}]
    again = AllocationList.from_dict(data)
    assert again == allocation_list
    assert reproduces_from_seed(again)


def test_a_list_edited_by_hand_is_read_but_does_not_reproduce_from_its_seed() -> None:
    generated = generate_permuted_block_list([()], 4, seed=5, block_sizes=(4,))
    data = json.loads(json.dumps(generated.to_dict()))
    slots = data["strata"][0]["slots"]
    for slot in slots:  # another balanced block: swap the two arms everywhere
        flip_arm(slot)
    edited = AllocationList.from_dict(data)
    assert [slot.arm for slot in edited.strata[0].slots] == [slot["arm"] for slot in slots]
    assert not reproduces_from_seed(edited)


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (lambda d: d.pop("seed"), "seed"),
        (lambda d: d.update(seed=-1), "seed"),
        (lambda d: d.update(format="other"), "format"),
        (lambda d: d.update(scheme="minimization"), "scheme"),
        (lambda d: d.update(block_sizes=[2, 3]), "block_sizes[1]"),
        (lambda d: d.update(slots_per_stratum="4"), "slots_per_stratum"),
        (lambda d: d["ratio"][0].update(weight=0), "ratio[0].weight"),
        (lambda d: d["strata"][1].update(stratum=d["strata"][0]["stratum"]), "strata[1].stratum"),
        (lambda d: d["strata"][0]["slots"][0].update(arm="SORAFENIB"), "strata[0].slots[0].arm"),
        (lambda d: d["strata"][0]["slots"][1].update(sequence=3), "strata[0].slots[1].sequence"),
        (lambda d: d["strata"][0]["slots"][0].update(slot_id="x"), "strata[0].slots[0].slot_id"),
        (lambda d: d["strata"][0]["slots"].pop(), "strata[0].slots"),
        (lambda d: flip_arm(d["strata"][0]["slots"][0]), "strata[0].slots[0:"),
    ],
)
def test_from_dict_rejects_bad_input_naming_the_field(edit: object, field: str) -> None:
    data = json.loads(json.dumps(generate_permuted_block_list(STRATA, 4, 11).to_dict()))
    edit(data)  # type: ignore[operator]
    with pytest.raises(DomainError) as caught:
        AllocationList.from_dict(data)
    assert caught.value.field.startswith(field)
    assert field in str(caught.value)


def test_block_size_that_is_not_a_multiple_of_the_ratio_sum_is_rejected() -> None:
    with pytest.raises(DomainError) as caught:
        generate_permuted_block_list(STRATA, 10, seed=1, block_sizes=(2, 3))
    assert caught.value.field == "block_sizes[1]"
    assert "multiple of 2" in str(caught.value)
    ratio = AllocationRatio.from_mapping({"HAIC": 2, "GEMOX": 1})
    with pytest.raises(DomainError, match=r"block_sizes\[0\].*multiple of 3"):
        generate_permuted_block_list(STRATA, 10, seed=1, ratio=ratio, block_sizes=(4,))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"seed": -5}, "seed"),
        ({"seed": True}, "seed"),
        ({"seed": 2**64}, "seed"),
        ({"slots_per_stratum": 0}, "slots_per_stratum"),
        ({"block_sizes": ()}, "block_sizes"),
        ({"block_sizes": (2, 2)}, "block_sizes"),
        ({"strata": []}, "strata"),
        ({"strata": [STRATA[0], STRATA[0]]}, "strata[1]"),
    ],
)
def test_bad_generation_parameters_are_rejected(kwargs: dict[str, object], field: str) -> None:
    arguments: dict[str, object] = {"strata": STRATA, "slots_per_stratum": 4, "seed": 1}
    arguments.update(kwargs)
    with pytest.raises(DomainError) as caught:
        generate_permuted_block_list(**arguments)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_ratio_needs_two_distinct_arms_and_positive_integer_weights() -> None:
    with pytest.raises(DomainError, match=r"ratio\.arms"):
        AllocationRatio(("HAIC",), (1,))
    with pytest.raises(DomainError, match=r"ratio.weights\[1\]"):
        AllocationRatio(("HAIC", "GEMOX"), (1, 1.5))  # type: ignore[arg-type]
