"""Typed grading bands: intervals with explicit ends that cover [0, ∞) exactly once.

A grading table is data, never code (style guide §6 rule 5). Each grade is a
:class:`BandRule` whose two ends are :class:`Bound` values: an absolute number in the
measurand's canonical unit, or a multiple of the lower limit of normal (LLN), the upper
limit of normal (ULN) or the patient's baseline value. Which ends are included is
spelled out by :class:`Closed`.

A :class:`BandTable` is checked when it is built: its rules must be listed in ascending
order of value, start at 0 (included), end at ∞, share each end with the next rule with
exactly one of the two including it, and carry grades that move in one direction. When
the table is resolved for one patient (:meth:`BandTable.resolve`) the numeric bands are
checked again: they must cover [0, ∞) with no gap and no overlap. Bands that come out
empty for a given patient (for example CTCAE grade 1 "<LLN – 1.5 × 10⁹/L" at a site
whose LLN is 1.5 or lower) are dropped; that is how CTCAE reads, since its fixed
thresholds apply whatever the LLN.

Comparisons are made after rounding both the value and the resolved thresholds to
:data:`SIGNIFICANT_DIGITS` significant digits, so that binary representation error
(``3 * 0.7 == 2.0999999999999996``) cannot move a value across a boundary. pharmaverse
admiral does the same with ``signif(x, signif_dig)`` in its CTCAE grading code.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from oncotrial.core.errors import DomainError

SIGNIFICANT_DIGITS: Final = 12


def rounded(value: float) -> float:
    """``value`` rounded to :data:`SIGNIFICANT_DIGITS` significant digits (∞ and 0 unchanged)."""
    if value == 0 or not math.isfinite(value):
        return value
    return float(f"{value:.{SIGNIFICANT_DIGITS}g}")


class Reference(StrEnum):
    """What a band end is measured against."""

    ABSOLUTE = "absolute"
    LLN = "LLN"
    ULN = "ULN"
    BASELINE = "baseline"


class Direction(StrEnum):
    """Whether the grade rises as the value rises (``INCREASED``) or falls (``DECREASED``)."""

    INCREASED = "increased"
    DECREASED = "decreased"


class Closed(StrEnum):
    """Which ends of an interval are included: ``LEFT`` is [a, b), ``RIGHT`` is (a, b]."""

    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"
    NEITHER = "neither"

    @property
    def includes_lower(self) -> bool:
        return self in (Closed.LEFT, Closed.BOTH)

    @property
    def includes_upper(self) -> bool:
        return self in (Closed.RIGHT, Closed.BOTH)


@dataclass(frozen=True, slots=True)
class Bound:
    """One end of a band: ``factor`` alone, or ``factor × reference``, optionally clamped.

    ``floor`` and ``ceiling`` clamp the resolved value. They express CTCAE's reading that
    fixed thresholds win over the site's limits: grade 1 of "Neutrophil count decreased"
    is "<LLN – 1.5", so its upper end is the LLN but never below 1.5.
    """

    factor: float
    reference: Reference = Reference.ABSOLUTE
    floor: float | None = None
    ceiling: float | None = None

    def resolve(self, references: Mapping[Reference, float]) -> float | None:
        """The end in canonical units, or ``None`` when its reference is not known."""
        if self.reference is Reference.ABSOLUTE:
            value = self.factor
        else:
            known = references.get(self.reference)
            if known is None:
                return None
            value = self.factor * known
        if self.floor is not None:
            value = max(value, self.floor)
        if self.ceiling is not None:
            value = min(value, self.ceiling)
        return rounded(value)

    def __str__(self) -> str:
        if self.reference is Reference.ABSOLUTE:
            return "∞" if math.isinf(self.factor) else f"{self.factor:g}"
        text = str(self.reference) if self.factor == 1 else f"{self.factor:g}×{self.reference}"
        if self.floor is not None:
            text = f"max({text}, {self.floor:g})"
        if self.ceiling is not None:
            text = f"min({text}, {self.ceiling:g})"
        return text


ZERO: Final = Bound(0.0)
INFINITY: Final = Bound(math.inf)


def _interval(lower: object, upper: object, closed: Closed) -> str:
    left = "[" if closed.includes_lower else "("
    right = "]" if closed.includes_upper else ")"
    return f"{left}{lower}, {upper}{right}"


@dataclass(frozen=True, slots=True)
class Band:
    """A resolved band: ``grade`` applies to values in the interval from ``lower`` to ``upper``."""

    grade: int
    lower: float
    upper: float
    closed: Closed
    criterion: str
    basis: Reference

    def contains(self, value: float) -> bool:
        v = rounded(value)
        above = v >= self.lower if self.closed.includes_lower else v > self.lower
        below = v <= self.upper if self.closed.includes_upper else v < self.upper
        return above and below

    @property
    def is_empty(self) -> bool:
        if self.lower > self.upper:
            return True
        return self.lower == self.upper and self.closed is not Closed.BOTH

    def __str__(self) -> str:
        return f"grade {self.grade}: {_interval(f'{self.lower:g}', f'{self.upper:g}', self.closed)}"


@dataclass(frozen=True, slots=True)
class BandRule:
    """One grade of a table in symbolic form, with the criterion as CTCAE words it."""

    grade: int
    lower: Bound
    upper: Bound
    closed: Closed
    criterion: str

    @property
    def basis(self) -> Reference:
        """The reference this band depends on (``ABSOLUTE`` when it depends on none)."""
        for end in (self.lower, self.upper):
            if end.reference is not Reference.ABSOLUTE:
                return end.reference
        return Reference.ABSOLUTE

    def resolve(self, references: Mapping[Reference, float]) -> Band | None:
        lower = self.lower.resolve(references)
        upper = self.upper.resolve(references)
        if lower is None or upper is None:
            return None
        return Band(self.grade, lower, upper, self.closed, self.criterion, self.basis)

    def __str__(self) -> str:
        return f"grade {self.grade}: {_interval(self.lower, self.upper, self.closed)}"


def check_rules(name: str, direction: Direction, rules: Sequence[BandRule]) -> None:
    """Check a symbolic table: ordered, contiguous, from 0 to ∞, grades monotone."""
    field = f"grading_table[{name!r}]"
    if not rules:
        raise DomainError(field, rules, "at least one band")
    first, last = rules[0], rules[-1]
    if first.lower != ZERO or not first.closed.includes_lower:
        raise DomainError(field, str(first), "a first band starting at 0, included")
    if last.upper != INFINITY or last.closed.includes_upper:
        raise DomainError(field, str(last), "a last band ending at ∞, open")
    for below, above in itertools.pairwise(rules):
        if below.upper != above.lower:
            raise DomainError(field, f"{below}; {above}",
                              "consecutive bands sharing an end (no gap, no overlap)")
        if below.closed.includes_upper == above.closed.includes_lower:
            raise DomainError(field, f"{below}; {above}",
                              "a shared end included in exactly one of the two bands")
        rising = above.grade > below.grade
        if rising != (direction is Direction.INCREASED) or above.grade == below.grade:
            raise DomainError(field, f"{below}; {above}",
                              f"grades strictly monotone for a {direction} term")
    for rule in rules:
        if not 0 <= rule.grade <= 4:
            raise DomainError(field, str(rule), "lab grades between 0 and 4")


def check_cover(name: str, bands: Sequence[Band], *, complete: bool = True) -> None:
    """Check resolved bands: no overlap, and (``complete``) no gap over [0, ∞).

    With ``complete=False`` (a reference is missing, so some bands could not be
    resolved) gaps are allowed but overlaps are still refused.
    """
    field = f"grading_table[{name!r}].resolved"
    if any(band.is_empty for band in bands):
        raise DomainError(field, [str(b) for b in bands], "no empty band")
    if complete:
        if not bands:
            raise DomainError(field, [], "bands covering [0, ∞)")
        if bands[0].lower != 0 or not bands[0].closed.includes_lower:
            raise DomainError(field, str(bands[0]), "a first band starting at 0, included")
        if not math.isinf(bands[-1].upper) or bands[-1].closed.includes_upper:
            raise DomainError(field, str(bands[-1]), "a last band ending at ∞")
    for below, above in itertools.pairwise(bands):
        touching = below.upper == above.lower
        overlap = below.upper > above.lower or (
            touching and below.closed.includes_upper and above.closed.includes_lower)
        gap = below.upper < above.lower or (
            touching and not below.closed.includes_upper and not above.closed.includes_lower)
        if overlap or (complete and gap):
            raise DomainError(field, f"{below}; {above}", "bands with no gap and no overlap")


@dataclass(frozen=True, slots=True)
class BandTable:
    """The bands of one CTCAE term against one basis, in ascending order of value."""

    name: str
    direction: Direction
    rules: tuple[BandRule, ...]

    def __post_init__(self) -> None:
        check_rules(self.name, self.direction, self.rules)

    @property
    def references(self) -> frozenset[Reference]:
        """The references (LLN, ULN, baseline) some band of the table depends on."""
        return frozenset(
            end.reference for rule in self.rules for end in (rule.lower, rule.upper)
            if end.reference is not Reference.ABSOLUTE)

    def resolve(self, references: Mapping[Reference, float]) -> tuple[Band, ...]:
        """Numeric bands for one patient; bands needing a missing reference are left out."""
        resolved = (rule.resolve(references) for rule in self.rules)
        bands = tuple(b for b in resolved if b is not None and not b.is_empty)
        check_cover(self.name, bands, complete=self.references <= references.keys())
        return bands

    def find(self, value: float, references: Mapping[Reference, float]) -> Band | None:
        """The band holding ``value``, or ``None`` when that depends on a missing reference.

        A band found with a reference missing is certain: the rules that could not be
        resolved form runs whose outer ends belong to resolved neighbours (or are 0 and
        ∞), so whatever the missing reference is, they only share out the gap between
        the resolved bands (the cover test checks this for every table).
        """
        for band in self.resolve(references):
            if band.contains(value):
                return band
        return None
