"""The stratum a candidate falls in, from the protocol's stratification factors."""

from __future__ import annotations

from collections.abc import Sequence

from oncotrial.core.eligibility.patient import Candidate
from oncotrial.core.errors import DomainError
from oncotrial.core.protocol.model import StratificationFactor

Stratum = tuple[tuple[str, str], ...]


def stratum_of(candidate: Candidate, factors: Sequence[StratificationFactor]) -> Stratum:
    """Return ``((factor code, level), ...)`` in factor order.

    A factor reads ``candidate.attributes[factor.attribute]``; the attribute ``ecog``
    falls back to the recorded ECOG status. A missing value or one outside the
    factor's levels raises :class:`DomainError`: a patient is never put in a
    guessed stratum.
    """
    out = []
    for f in factors:
        value = candidate.attributes.get(f.attribute)
        if value is None and f.attribute == "ecog" and candidate.ecog is not None:
            value = str(candidate.ecog)
        if value is None:
            raise DomainError(f"attributes.{f.attribute}", None,
                              f"one of {', '.join(f.levels)} for stratification factor {f.code}")
        if value not in f.levels:
            raise DomainError(f"attributes.{f.attribute}", value,
                              f"one of {', '.join(f.levels)} for stratification factor {f.code}")
        out.append((f.code, value))
    return tuple(out)


def stratum_label(stratum: Stratum) -> str:
    return " / ".join(f"{code}={level}" for code, level in stratum)
