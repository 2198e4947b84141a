"""Stratified permuted-block randomization lists with randomly varying block sizes.

A list is generated in advance for every stratum, reproducibly from one seed:

1. the stratum's sub-seed is ``derive_seed(seed, "permuted_blocks", stratum_key(stratum))``
   (SHA-256, see :mod:`.seeds`) and the stratum's generator is ``random.Random(sub_seed)``;
2. blocks are appended until the stratum has at least ``slots_per_stratum`` slots; for each
   block the size is ``rng.choice(block_sizes)`` (sizes sorted ascending), the block holds
   ``weight × size / sum(weights)`` copies of each arm written in the ratio's arm order,
   and ``rng.shuffle`` permutes them.

Every block is kept whole, so a stratum may hold a few more slots than requested. The
same seed, strata, ratio and block sizes give identical lists (and identical
``to_dict()`` output): ``random.Random`` with an integer seed, ``choice`` and ``shuffle``
are stable across CPython versions since 3.2.

Reference: Rosenberger & Lachin, *Randomization in Clinical Trials*, 2nd ed. (2016), §3.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from oncotrial.core.errors import AllocationError, DomainError
from oncotrial.core.randomization import _records as rec
from oncotrial.core.randomization.arms import (
    DEFAULT_BLOCK_SIZES,
    DEFAULT_RATIO,
    AllocationRatio,
    Scheme,
    check_block_sizes,
)
from oncotrial.core.randomization.seeds import check_seed, derive_seed
from oncotrial.core.randomization.strata import (
    Stratum,
    check_stratum,
    same_stratum,
    stratum_key,
)

LIST_FORMAT: Final = "oncotrial.randomization_list"
LIST_VERSION: Final = 1


@dataclass(frozen=True, slots=True)
class Slot:
    """One pre-generated allocation: the ``sequence``-th slot (1-based) of its stratum."""

    slot_id: str
    stratum: Stratum
    sequence: int
    block: int
    block_size: int
    arm: str


@dataclass(frozen=True, slots=True)
class StratumList:
    """The slots of one stratum, in sequence order."""

    stratum: Stratum
    slots: tuple[Slot, ...]


@dataclass(frozen=True, slots=True)
class AllocationList:
    """A complete stratified permuted-block list and the parameters that produced it."""

    scheme: Scheme
    seed: int
    block_sizes: tuple[int, ...]
    ratio: AllocationRatio
    slots_per_stratum: int
    strata: tuple[StratumList, ...]

    def stratum_list(self, stratum: Stratum) -> StratumList:
        """The list of ``stratum`` (pair order ignored) or :class:`AllocationError`."""
        stratum = check_stratum(stratum)
        for candidate in self.strata:
            if same_stratum(candidate.stratum, stratum):
                return candidate
        known = " | ".join(stratum_key(s.stratum) for s in self.strata)
        raise AllocationError("stratum", stratum, f"one of the list's strata: {known}")

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-compatible form (see the module docstring of :mod:`.randomization`)."""
        return {
            "format": LIST_FORMAT,
            "version": LIST_VERSION,
            "scheme": self.scheme.value,
            "seed": self.seed,
            "block_sizes": list(self.block_sizes),
            "ratio": self.ratio.to_records(),
            "slots_per_stratum": self.slots_per_stratum,
            "strata": [
                {
                    "stratum": [[code, level] for code, level in s.stratum],
                    "slots": [
                        {
                            "slot_id": slot.slot_id,
                            "sequence": slot.sequence,
                            "block": slot.block,
                            "block_size": slot.block_size,
                            "arm": slot.arm,
                        }
                        for slot in s.slots
                    ],
                }
                for s in self.strata
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> AllocationList:
        """Read :meth:`to_dict` output back, checking every field and every block."""
        record = rec.mapping_at(data, "allocation_list")
        rec.expect_constant(record, "format", LIST_FORMAT, "")
        rec.expect_constant(record, "version", LIST_VERSION, "")
        rec.expect_constant(record, "scheme", Scheme.PERMUTED_BLOCKS.value, "")
        seed = check_seed(rec.get(record, "seed", ""), "seed")
        ratio = AllocationRatio.from_records(rec.get(record, "ratio", ""), "ratio")
        block_sizes = check_block_sizes(rec.get(record, "block_sizes", ""), ratio)
        wanted = rec.int_at(rec.get(record, "slots_per_stratum", ""), "slots_per_stratum", 1)
        raw_strata = rec.list_at(rec.get(record, "strata", ""), "strata")
        if not raw_strata:
            raise DomainError("strata", raw_strata, "at least one stratum")
        strata: list[StratumList] = []
        for i, raw in enumerate(raw_strata):
            path = f"strata[{i}]"
            item = rec.mapping_at(raw, path)
            stratum = check_stratum(rec.get(item, "stratum", path), f"{path}.stratum")
            if any(same_stratum(stratum, s.stratum) for s in strata):
                raise DomainError(f"{path}.stratum", stratum, "a stratum not already listed")
            if strata and [c for c, _ in stratum] != [c for c, _ in strata[0].stratum]:
                raise DomainError(f"{path}.stratum", stratum, "the same factors as strata[0]")
            raw_slots = rec.list_at(rec.get(item, "slots", path), f"{path}.slots")
            slots = tuple(
                _read_slot(raw_slot, stratum, f"{path}.slots[{j}]")
                for j, raw_slot in enumerate(raw_slots)
            )
            _check_blocks(slots, ratio, block_sizes, wanted, f"{path}.slots")
            strata.append(StratumList(stratum, slots))
        return cls(Scheme.PERMUTED_BLOCKS, seed, block_sizes, ratio, wanted, tuple(strata))


def slot_id(stratum: Stratum, sequence: int) -> str:
    """Stable id of a slot: ``"extrahepatic_metastasis=yes;ecog=0/0007"``."""
    return f"{stratum_key(stratum)}/{sequence:04d}"


def stratum_slots(
    stratum: Stratum,
    n_slots: int,
    rng: random.Random,
    ratio: AllocationRatio,
    block_sizes: Sequence[int],
) -> tuple[Slot, ...]:
    """Whole permuted blocks for one stratum until at least ``n_slots`` slots exist.

    ``ratio`` and ``block_sizes`` must already be checked (:func:`.check_block_sizes`).
    """
    slots: list[Slot] = []
    block = 0
    while len(slots) < n_slots:
        size = rng.choice(block_sizes)
        block += 1
        per_unit = size // ratio.total
        arms = [
            arm
            for arm, weight in zip(ratio.arms, ratio.weights, strict=True)
            for _ in range(weight * per_unit)
        ]
        rng.shuffle(arms)
        for arm in arms:
            sequence = len(slots) + 1
            slots.append(Slot(slot_id(stratum, sequence), stratum, sequence, block, size, arm))
    return tuple(slots)


def generate_permuted_block_list(
    strata: Sequence[Stratum],
    slots_per_stratum: int,
    seed: int,
    *,
    ratio: AllocationRatio = DEFAULT_RATIO,
    block_sizes: Sequence[int] = DEFAULT_BLOCK_SIZES,
) -> AllocationList:
    """Generate a stratified permuted-block list (see the module docstring for the algorithm).

    Parameters
    ----------
    strata:
        The strata, usually :func:`.build_strata` of the factors; ``[()]`` for none.
    slots_per_stratum:
        Minimum number of slots in every stratum (whole blocks are kept).
    seed:
        Integer in ``[0, 2**64)``; the same seed gives the same list.
    ratio, block_sizes:
        Allocation ratio (default HAIC:GEMOX 1:1) and the block sizes drawn with equal
        probability (default 2 and 4); each size must be a multiple of ``ratio.total``.

    Raises
    ------
    DomainError
        If a parameter is not acceptable; the error names the field.
    """
    check_seed(seed)
    rec.int_at(slots_per_stratum, "slots_per_stratum", 1)
    sizes = check_block_sizes(block_sizes, ratio)
    checked = [check_stratum(s, f"strata[{i}]") for i, s in enumerate(strata)]
    if not checked:
        raise DomainError("strata", strata, "at least one stratum (use [()] for none)")
    for i, stratum in enumerate(checked):
        if any(same_stratum(stratum, other) for other in checked[:i]):
            raise DomainError(f"strata[{i}]", stratum, "a stratum not already listed")
    lists = tuple(
        StratumList(
            stratum,
            stratum_slots(stratum, slots_per_stratum, stratum_rng(seed, stratum), ratio, sizes),
        )
        for stratum in checked
    )
    return AllocationList(Scheme.PERMUTED_BLOCKS, seed, sizes, ratio, slots_per_stratum, lists)


def stratum_rng(seed: int, stratum: Stratum) -> random.Random:
    """The generator of one stratum: ``Random(derive_seed(seed, "permuted_blocks", key))``."""
    return random.Random(derive_seed(seed, Scheme.PERMUTED_BLOCKS.value, stratum_key(stratum)))


def reproduces_from_seed(allocation_list: AllocationList) -> bool:
    """Whether regenerating from the recorded seed and parameters gives exactly this list."""
    again = generate_permuted_block_list(
        [s.stratum for s in allocation_list.strata],
        allocation_list.slots_per_stratum,
        allocation_list.seed,
        ratio=allocation_list.ratio,
        block_sizes=allocation_list.block_sizes,
    )
    return again == allocation_list


def _read_slot(raw: object, stratum: Stratum, path: str) -> Slot:
    item = rec.mapping_at(raw, path)
    return Slot(
        slot_id=rec.str_at(rec.get(item, "slot_id", path), f"{path}.slot_id"),
        stratum=stratum,
        sequence=rec.int_at(rec.get(item, "sequence", path), f"{path}.sequence", 1),
        block=rec.int_at(rec.get(item, "block", path), f"{path}.block", 1),
        block_size=rec.int_at(rec.get(item, "block_size", path), f"{path}.block_size", 1),
        arm=rec.str_at(rec.get(item, "arm", path), f"{path}.arm"),
    )


def _check_blocks(
    slots: tuple[Slot, ...],
    ratio: AllocationRatio,
    block_sizes: tuple[int, ...],
    wanted: int,
    path: str,
) -> None:
    """Sequences 1..n, derived ids, whole blocks numbered 1.. with the ratio's composition."""
    if len(slots) < wanted:
        raise DomainError(path, len(slots), f"at least slots_per_stratum = {wanted} slots")
    start = 0
    for j, slot in enumerate(slots):
        here = f"{path}[{j}]"
        if slot.sequence != j + 1:
            raise DomainError(f"{here}.sequence", slot.sequence, f"{j + 1} (no gap, in order)")
        if slot.slot_id != slot_id(slot.stratum, slot.sequence):
            raise DomainError(f"{here}.slot_id", slot.slot_id, repr(slot_id(slot.stratum, j + 1)))
        if slot.arm not in ratio.arms:
            raise DomainError(f"{here}.arm", slot.arm, "one of " + ", ".join(ratio.arms))
        if slot.block_size not in block_sizes:
            raise DomainError(f"{here}.block_size", slot.block_size, f"one of {block_sizes}")
        first = slots[start]
        if slot.block != first.block or slot.block_size != first.block_size:
            raise DomainError(f"{here}.block", slot.block, f"block {first.block} still open")
        if j + 1 - start == slot.block_size:  # the block is complete: check it
            expected_block = slots[start - 1].block + 1 if start else 1
            if first.block != expected_block:
                raise DomainError(f"{path}[{start}].block", first.block, str(expected_block))
            arms = [s.arm for s in slots[start : j + 1]]
            for arm, weight in zip(ratio.arms, ratio.weights, strict=True):
                share = weight * slot.block_size // ratio.total
                if arms.count(arm) != share:
                    raise DomainError(
                        f"{path}[{start}:{j + 1}].arm", arms, f"{share} × {arm} in this block"
                    )
            start = j + 1
    if start != len(slots):
        raise DomainError(f"{path}[{start}:]", len(slots) - start, "whole blocks only")
