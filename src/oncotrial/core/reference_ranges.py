"""Laboratory reference ranges (LLN/ULN) per site and per test.

Criteria written as multiples of the upper limit of normal ("total bilirubin
< 3 × ULN") and CTCAE grades use the range of the laboratory that produced the
value. Ranges are data supplied per site; the core never assumes one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from oncotrial.core.errors import DomainError
from oncotrial.core.units import Measurand, to_canonical


@dataclass(frozen=True, slots=True)
class ReferenceRange:
    """Lower and upper limits of normal in the measurand's canonical unit."""

    measurand: Measurand
    lln: float | None
    uln: float | None


def reference_range(
    measurand: Measurand, lln: object, uln: object, unit: object, *, field: str
) -> ReferenceRange:
    """Validate a site's range (in any accepted unit) and convert it to canonical units."""
    low = None if lln is None else to_canonical(measurand, lln, unit, field=f"{field}.lln")
    high = None if uln is None else to_canonical(measurand, uln, unit, field=f"{field}.uln")
    if low is None and high is None:
        raise DomainError(field, None, "at least one of lln and uln")
    if low is not None and high is not None and not low < high:
        raise DomainError(field, (lln, uln), "lln strictly below uln")
    if high is not None and high <= 0:
        raise DomainError(f"{field}.uln", uln, "a positive upper limit of normal")
    return ReferenceRange(measurand, low, high)


@dataclass(frozen=True, slots=True)
class SiteReferenceRanges:
    """All reference ranges in force at one site."""

    site_id: str
    ranges: Mapping[Measurand, ReferenceRange] = field(
        default_factory=lambda: MappingProxyType({})
    )

    def get(self, measurand: Measurand) -> ReferenceRange | None:
        return self.ranges.get(measurand)

    def uln(self, measurand: Measurand) -> float | None:
        found = self.ranges.get(measurand)
        return None if found is None else found.uln

    def lln(self, measurand: Measurand) -> float | None:
        found = self.ranges.get(measurand)
        return None if found is None else found.lln
