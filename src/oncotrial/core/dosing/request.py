"""Everything the pre-treatment decision ("OK to treat today?") reads, validated once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from oncotrial.core.dosing.adverse_events import AdverseEvent
from oncotrial.core.dosing.body_size import BsaPolicy
from oncotrial.core.dosing.drugs import Drug, parse_drug
from oncotrial.core.dosing.rounding import RoundingRule
from oncotrial.core.errors import DomainError
from oncotrial.core.protocol.model import Arm
from oncotrial.core.units import Measurand, Measurement


@dataclass(frozen=True, slots=True)
class DrugState:
    """Where one drug stands before today's decision: its dose level, or discontinued."""

    level: int = 0
    discontinued: bool = False


def _empty() -> Mapping[Measurand, Measurement]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class DecisionRequest:
    """One treatment day of one patient.

    ``labs`` are today's results (canonical units), ``baseline_labs`` the pre-treatment
    ones (AST/ALT for immune hepatitis with liver tumour involvement), ``uln`` the site's
    upper limits of normal (canonical units). ``liver_tumour_involvement`` defaults to
    true: intrahepatic cholangiocarcinoma involves the liver [ASSUMP].
    ``max_chemotherapy_cycles`` is the protocol parameter (``None``: open-ended).
    ``starting_weight`` is the body weight at baseline, which fixes a weight-banded
    starting dose for the whole course (lenvatinib: 12 mg at ≥ 60 kg, 8 mg below; Lenvima
    SmPC §4.2 for HCC); ``None`` means ``baseline_weight`` (the BSA reference weight).
    """

    arm: Arm
    cycle: int
    day: int
    height: Measurement
    weight: Measurement
    baseline_weight: Measurement
    labs: Mapping[Measurand, Measurement] = field(default_factory=_empty)
    baseline_labs: Mapping[Measurand, Measurement] = field(default_factory=_empty)
    uln: Mapping[Measurand, float] = field(default_factory=lambda: MappingProxyType({}))
    adverse_events: tuple[AdverseEvent, ...] = ()
    states: Mapping[Drug, DrugState] = field(default_factory=lambda: MappingProxyType({}))
    haic_delay_days: int = 0
    haic_technically_feasible: bool = True
    liver_tumour_involvement: bool = True
    max_chemotherapy_cycles: int | None = None
    bsa_policy: BsaPolicy = field(default_factory=BsaPolicy)
    rounding: RoundingRule = field(default_factory=RoundingRule)
    starting_weight: Measurement | None = None

    def __post_init__(self) -> None:
        if isinstance(self.cycle, bool) or not isinstance(self.cycle, int) or self.cycle < 1:
            raise DomainError("cycle", self.cycle, "a cycle number ≥ 1")
        length = self.arm.cycle_length_days
        if isinstance(self.day, bool) or not isinstance(self.day, int) or not 1 <= self.day <= length:
            raise DomainError("day", self.day, f"a cycle day from 1 to {length}")
        limit = self.max_chemotherapy_cycles
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
            raise DomainError("max_chemotherapy_cycles", limit,
                              "a number of cycles ≥ 1, or none (open-ended)")
        arm_drugs = {parse_drug(r.drug, field=f"arms[{self.arm.code}].regimen") for r in self.arm.regimen}
        for drug in self.states:
            if drug not in arm_drugs:
                raise DomainError(f"current_levels.{drug}", drug,
                                  "a drug of arm " + self.arm.code + ": " + ", ".join(sorted(arm_drugs)))
        for i, ae in enumerate(self.adverse_events):
            outside = ae.related_to - arm_drugs
            if outside:
                raise DomainError(f"adverse_events[{i}].related_to", sorted(outside),
                                  "drugs of arm " + self.arm.code)

    def state(self, drug: Drug) -> DrugState:
        return self.states.get(drug, DrugState())
