"""Threshold comparisons with an explicit operator, exact at the boundary."""

from __future__ import annotations

from enum import StrEnum


class Operator(StrEnum):
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="

    def holds(self, value: float, threshold: float) -> bool:
        """Compare, treating values equal to within 1e-9 (relative) as equal.

        Unit conversion (2000 cells/mm³ → 2.0 × 10⁹/L) can leave a binary rounding
        residue; a value exactly at a threshold must fall on the side the protocol
        text says, whatever unit it was entered in.
        """
        equal = abs(value - threshold) <= 1e-9 * max(1.0, abs(threshold))
        if self is Operator.LT:
            return value < threshold and not equal
        if self is Operator.LE:
            return value < threshold or equal
        if self is Operator.GT:
            return value > threshold and not equal
        return value > threshold or equal

    @property
    def symbol(self) -> str:
        return {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}[self.value]
