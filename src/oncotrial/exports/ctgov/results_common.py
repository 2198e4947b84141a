"""What every module of the ClinicalTrials.gov ``resultsSection`` shares: arm groups, number text, labels.

Group ids follow the registry's public records: ``FG000`` (participant flow), ``BG000``
(baseline), ``OG000`` (outcome measures), ``EG000`` (adverse events), numbered in the
order of the trial's arms. Arm/group titles must be 4–62 characters (PRS Results Data
Element Definitions, "Arm/Group Title"); the protocol's arm label is used without its
"Experimental:"/"Control:" prefix when it fits, else the arm code.

Numbers are strings in API v2 (``numSubjects``, measurement ``value``, ``pValue``;
research/standards.md §4.1); AE counts are integers. Not-estimable values are written
``NA`` with a comment, as the registry does.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from oncotrial.core.protocol.model import Protocol

JsonObject = dict[str, Any]

TITLE_MIN, TITLE_MAX = 4, 62
NOT_ESTIMABLE = "NA"
_PREFIX = re.compile(r"^(experimental|control|active comparator|comparator)\s*:\s*", re.IGNORECASE)


def simulated_label(nct_id: str) -> str:
    """The label every simulated output carries (project rule)."""
    return f"SIMULATED DATA: not results of {nct_id}"


@dataclass(frozen=True, slots=True)
class ArmGroup:
    """One arm as the results tables show it."""

    code: str
    title: str
    description: str


def arm_groups(arms: Sequence[str], protocol: Protocol | None, *, simulated: bool, nct_id: str
               ) -> tuple[ArmGroup, ...]:
    """The trial's arms (in the data's order) with registry titles and descriptions."""
    labels = {a.code: a.label for a in protocol.arms} if protocol else {}
    out = []
    for code in arms:
        label = labels.get(code, code)
        title = _PREFIX.sub("", label).strip()
        if not TITLE_MIN <= len(title) <= TITLE_MAX:
            title = code if len(code) >= TITLE_MIN else f"Arm {code}"
        description = label if label != title else f"Arm {code}"
        if simulated:
            description = f"{simulated_label(nct_id)}. {description}"
        out.append(ArmGroup(code, title, description))
    return tuple(out)


def group_id(prefix: str, index: int) -> str:
    """``FG000``, ``BG001``, ...: the registry's group id spelling."""
    return f"{prefix}{index:03d}"


def groups_json(prefix: str, groups: Sequence[ArmGroup]) -> list[JsonObject]:
    return [{"id": group_id(prefix, i), "title": g.title, "description": g.description}
            for i, g in enumerate(groups)]


def finite(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def number(value: object, digits: int) -> str:
    """A number as the registry's string, ``NA`` when not estimable (NaN, None, ±inf)."""
    if not finite(value):
        return NOT_ESTIMABLE
    assert isinstance(value, int | float)
    return f"{value:.{digits}f}"


def percent(value: object, digits: int = 1) -> str:
    """A proportion (0–1) written as a percentage string."""
    return number(value * 100.0 if finite(value) else value, digits)  # type: ignore[operator]


def p_value(value: float) -> str:
    """Two-sided p-value text: 3 decimals, ``<0.001`` below that (registry usage)."""
    if not finite(value):
        return NOT_ESTIMABLE
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def drop_empty(d: JsonObject) -> JsonObject:
    return {k: v for k, v in d.items() if v is not None and v != [] and v != {} and v != ""}
