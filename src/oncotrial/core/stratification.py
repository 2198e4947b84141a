"""The stratum a candidate falls in, from the protocol's stratification factors."""

from __future__ import annotations

from collections.abc import Sequence

from oncotrial.core.eligibility.patient import Candidate
from oncotrial.core.errors import DomainError
from oncotrial.core.protocol.model import Protocol, StratificationFactor
from oncotrial.core.randomization import (
    AllocationList,
    AllocationRatio,
    MinimizationDesign,
    generate_permuted_block_list,
)
from oncotrial.core.randomization.strata import Factors, Stratum, build_strata


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


def randomization_factors(protocol: Protocol) -> Factors:
    """The protocol's stratification factors in the randomization package's form."""
    return tuple((f.code, f.levels) for f in protocol.stratification.factors)


def allocation_ratio(protocol: Protocol) -> AllocationRatio:
    """The allocation ratio from the arms' weights, in the protocol's arm order."""
    return AllocationRatio.from_mapping(protocol.allocation_ratio)


def allocation_list_for(protocol: Protocol, seed: int, per_stratum: int) -> AllocationList:
    """Pre-generate the protocol's stratified permuted-block list from ``seed``."""
    return generate_permuted_block_list(
        build_strata(randomization_factors(protocol)), per_stratum, seed,
        ratio=allocation_ratio(protocol), block_sizes=protocol.randomization.block_sizes)


def minimization_design_for(protocol: Protocol) -> MinimizationDesign:
    """The protocol's Pocock–Simon design (factors, arms, probability p)."""
    return MinimizationDesign(factors=randomization_factors(protocol),
                              arms=tuple(protocol.allocation_ratio),
                              p=protocol.randomization.minimization_probability)
