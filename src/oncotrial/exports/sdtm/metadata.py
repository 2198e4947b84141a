"""Typed SDTM metadata: variables with their SDTMIG core status and role, domain specifications.

One :class:`DomainSpec` per domain drives the XPT and Dataset-JSON writers (through
:meth:`DomainSpec.dataset_spec`, the shared :mod:`oncotrial.exports.adam.metadata` types),
Define-XML (:mod:`oncotrial.exports.define_xml`) and our structural checks
(:mod:`.checks`) — research/standards.md §9, "keep one metadata source".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from oncotrial.exports.adam.metadata import DatasetSpec, Origin, Variable, VarType


class Core(StrEnum):
    """SDTMIG v3.4 §4.1.5: Req (never null), Exp (present, may be null), Perm (may be omitted)."""

    REQ = "Req"
    EXP = "Exp"
    PERM = "Perm"


class SdtmOrigin(StrEnum):
    """Define-XML 2.1 ``def:Origin/@Type``."""

    COLLECTED = "Collected"
    DERIVED = "Derived"
    ASSIGNED = "Assigned"
    PROTOCOL = "Protocol"


@dataclass(frozen=True, slots=True)
class SdtmVariable:
    """One SDTM variable: name (≤ 8), label (≤ 40), type, maximum length, core, role, origin and
    the codelist (a key of :data:`.spec.CODELISTS`) its values must come from."""

    name: str
    label: str
    type: VarType
    length: int
    core: Core
    role: str
    origin: SdtmOrigin
    codelist: str | None = None
    decimal: bool = False

    def variable(self, key: bool) -> Variable:
        """The writer-facing :class:`Variable` (Req ⇒ ``required``)."""
        origin = Origin.DERIVED if self.origin is SdtmOrigin.DERIVED else Origin.ASSIGNED
        return Variable(
            self.name,
            self.label,
            self.type,
            self.length,
            origin,
            "",
            None,
            required=self.core is Core.REQ,
            key=key,
            decimal=self.decimal,
        )


@dataclass(frozen=True, slots=True)
class DomainSpec:
    """A domain: name, label (≤ 30 so that ``SIMULATED `` still fits in 40), observation class,
    structure (one record per …), key variables and variables in SDTMIG order."""

    name: str
    label: str
    observation_class: str
    structure: str
    keys: tuple[str, ...]
    variables: tuple[SdtmVariable, ...]

    def variable(self, name: str) -> SdtmVariable:
        return next(v for v in self.variables if v.name == name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.variables)

    def dataset_spec(self) -> DatasetSpec:
        return DatasetSpec(
            self.name,
            self.label,
            self.observation_class,
            self.structure,
            tuple(v.variable(v.name in self.keys) for v in self.variables),
        )
