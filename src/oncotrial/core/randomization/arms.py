"""Arms, allocation ratio and the names of the randomization schemes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from oncotrial.core.errors import DomainError
from oncotrial.core.randomization import _records as rec
from oncotrial.core.randomization.strata import check_name


class Scheme(StrEnum):
    """Randomization schemes known to Oncotrial."""

    PERMUTED_BLOCKS = "permuted_blocks"
    MINIMIZATION = "minimization"
    COMPLETE = "complete_randomization"  # comparator in validation reports only


DEFAULT_ARMS: Final = ("HAIC", "GEMOX")
"""Arm codes of NCT07304388 (experimental first, then control)."""

DEFAULT_BLOCK_SIZES: Final = (2, 4)


def check_arms(arms: object, field: str = "arms") -> tuple[str, ...]:
    """At least two distinct arm codes, in their declared order."""
    if isinstance(arms, str | bytes) or not isinstance(arms, Sequence):
        raise DomainError(field, arms, "a sequence of at least two arm codes")
    codes = tuple(check_name(arm, f"{field}[{i}]") for i, arm in enumerate(arms))
    if len(codes) < 2 or len(set(codes)) != len(codes):
        raise DomainError(field, arms, "at least two distinct arm codes")
    return codes


@dataclass(frozen=True, slots=True)
class AllocationRatio:
    """Integer allocation weight per arm, arms in declared order: ``HAIC:GEMOX = 1:1``.

    The order of ``arms`` is part of the value: it fixes the order in which a block's
    arms are written before shuffling, hence the list a seed produces.
    """

    arms: tuple[str, ...]
    weights: tuple[int, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "arms", check_arms(self.arms, "ratio.arms"))
        if not isinstance(self.weights, tuple | list) or len(self.weights) != len(self.arms):
            expected = f"{len(self.arms)} integer weights, one per arm"
            raise DomainError("ratio.weights", self.weights, expected)
        for i, weight in enumerate(self.weights):
            rec.int_at(weight, f"ratio.weights[{i}]", minimum=1)
        object.__setattr__(self, "weights", tuple(self.weights))

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, int]) -> AllocationRatio:
        """Build from ``{"HAIC": 1, "GEMOX": 1}``; the mapping's order is the arm order."""
        return cls(tuple(mapping), tuple(mapping.values()))

    @classmethod
    def equal(cls, arms: Sequence[str] = DEFAULT_ARMS) -> AllocationRatio:
        """1:1 (or 1:1:1 …) allocation between ``arms``."""
        return cls(tuple(arms), tuple(1 for _ in arms))

    @property
    def total(self) -> int:
        """Sum of the weights: every block size must be a multiple of it."""
        return sum(self.weights)

    @property
    def is_equal(self) -> bool:
        return len(set(self.weights)) == 1

    def imbalance(self, counts: Sequence[int]) -> float:
        """``max(n_k / w_k) − min(n_k / w_k)``; with 1:1 this is ``|n_A − n_B|``."""
        scaled = [count / weight for count, weight in zip(counts, self.weights, strict=True)]
        return max(scaled) - min(scaled)

    def behind(self, counts: Sequence[int]) -> tuple[int, ...]:
        """Indices of the arms furthest behind their share (smallest ``n_k / w_k``)."""
        scaled = [count / weight for count, weight in zip(counts, self.weights, strict=True)]
        low = min(scaled)
        return tuple(i for i, value in enumerate(scaled) if value == low)

    def to_records(self) -> list[dict[str, object]]:
        """``[{"arm": "HAIC", "weight": 1}, {"arm": "GEMOX", "weight": 1}]`` (order kept)."""
        return [{"arm": a, "weight": w} for a, w in zip(self.arms, self.weights, strict=True)]

    @classmethod
    def from_records(cls, value: object, field: str = "ratio") -> AllocationRatio:
        """Inverse of :meth:`to_records`; raises :class:`DomainError` naming the field."""
        items = rec.list_at(value, field)
        arms: list[str] = []
        weights: list[int] = []
        for i, item in enumerate(items):
            path = rec.join(field, i)
            record = rec.mapping_at(item, path)
            arms.append(check_name(rec.get(record, "arm", path), rec.join(path, "arm")))
            weights.append(rec.int_at(rec.get(record, "weight", path), rec.join(path, "weight"), 1))
        return cls(check_arms(arms, field), tuple(weights))


DEFAULT_RATIO: Final = AllocationRatio(DEFAULT_ARMS, (1, 1))


def check_block_sizes(block_sizes: object, ratio: AllocationRatio) -> tuple[int, ...]:
    """Distinct positive multiples of ``ratio.total``, returned sorted ascending."""
    if isinstance(block_sizes, str | bytes) or not isinstance(block_sizes, Sequence):
        raise DomainError("block_sizes", block_sizes, "a sequence of block sizes")
    if not block_sizes:
        raise DomainError("block_sizes", block_sizes, "at least one block size")
    sizes = [rec.int_at(size, f"block_sizes[{i}]", 1) for i, size in enumerate(block_sizes)]
    ratio_text = ":".join(str(w) for w in ratio.weights)
    for i, size in enumerate(sizes):
        if size % ratio.total:
            raise DomainError(
                f"block_sizes[{i}]",
                size,
                f"a multiple of {ratio.total} (the sum of the allocation ratio {ratio_text})",
                suggestion=f"use block sizes such as {ratio.total} and {2 * ratio.total}.",
            )
    if len(set(sizes)) != len(sizes):
        raise DomainError("block_sizes", block_sizes, "distinct block sizes")
    return tuple(sorted(sizes))
