"""A worked example on SIMULATED candidates: screen each one, randomize the eligible.

This drives the pure core exactly as the trial application will: the eligibility
engine on every candidate, the stratum from the protocol's factors, and the next slot
of the pre-generated list from the allocation history (or Pocock–Simon minimization
when the protocol says so). Reproducible from ``seed``. SIMULATED DATA: not results of
NCT07304388.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from oncotrial.core.eligibility.patient_data import candidate_from_data
from oncotrial.core.eligibility.rules import ScreeningContext
from oncotrial.core.eligibility.screening import ScreeningResult, screen
from oncotrial.core.protocol.model import Protocol
from oncotrial.core.randomization import (
    AllocationList,
    Scheme,
    derive_seed,
    generate_minimization_draws,
    minimization_assign,
    next_slot,
)
from oncotrial.core.randomization.strata import Stratum, stratum_key
from oncotrial.core.stratification import (
    allocation_list_for,
    minimization_design_for,
    stratum_of,
)
from oncotrial.simulation.screening_candidates import simulated_candidate


@dataclass(frozen=True, slots=True)
class Randomized:
    patient_id: str
    day: date
    stratum: Stratum
    arm: str
    slot_id: str


@dataclass(frozen=True, slots=True)
class ScreeningDemo:
    seed: int
    scheme: Scheme
    screenings: tuple[ScreeningResult, ...]
    randomized: tuple[Randomized, ...]
    allocation_list: AllocationList | None

    @property
    def exclusion_reasons(self) -> Counter[str]:
        """Screen failures by criterion (a candidate can fail several)."""
        return Counter(v.code for r in self.screenings for v in r.failed)

    def to_dict(self) -> dict[str, object]:
        return {
            "simulated": True,
            "label": "SIMULATED DATA: not results of NCT07304388",
            "seed": self.seed,
            "scheme": self.scheme.value,
            "assessed": len(self.screenings),
            "eligible": sum(r.eligible for r in self.screenings),
            "excluded_by_criterion": dict(sorted(self.exclusion_reasons.items())),
            "screenings": [r.to_dict() for r in self.screenings],
            "randomized": [
                {"patient_id": r.patient_id, "date": r.day.isoformat(),
                 "stratum": stratum_key(r.stratum), "arm": r.arm, "slot": r.slot_id}
                for r in self.randomized
            ],
        }


def run_screening_demo(protocol: Protocol, patients: int, seed: int,
                       start: date = date(2023, 8, 1)) -> ScreeningDemo:
    """Screen ``patients`` SIMULATED candidates from ``start`` and randomize the eligible."""
    rng = random.Random(derive_seed(seed, "candidates"))
    lab_days = int(str(protocol.assumption("lab_recency_days")))
    img_days = int(str(protocol.assumption("imaging_recency_days")))
    scheme = Scheme(protocol.randomization.scheme)
    per_stratum = protocol.design.target_enrollment
    lst = allocation_list_for(protocol, derive_seed(seed, "list"), per_stratum) \
        if scheme is Scheme.PERMUTED_BLOCKS else None
    design = minimization_design_for(protocol)
    draws = generate_minimization_draws(max(patients, 1), derive_seed(seed, "minimization"))
    screenings: list[ScreeningResult] = []
    randomized: list[Randomized] = []
    used: list[str] = []
    history: list[tuple[dict[str, str], str]] = []
    day = start
    for i in range(1, patients + 1):
        day += timedelta(days=rng.randrange(2, 9))
        candidate = candidate_from_data(simulated_candidate(i, day, rng))
        result = screen(candidate, protocol.eligibility.criteria,
                        ScreeningContext(day, lab_days, img_days))
        screenings.append(result)
        if not result.eligible:
            continue
        stratum = stratum_of(candidate, protocol.stratification.factors)
        if lst is not None:
            slot = next_slot(lst, used, stratum)
            used.append(slot.slot_id)
            arm, slot_id = slot.arm, slot.slot_id
        else:
            levels = dict(stratum)
            assignment = minimization_assign(design, history, levels, draws)
            history.append((levels, assignment.arm))
            arm, slot_id = assignment.arm, f"minimization/{assignment.sequence:04d}"
        randomized.append(Randomized(candidate.patient_id, day, stratum, arm, slot_id))
    return ScreeningDemo(seed, scheme, tuple(screenings), tuple(randomized), lst)
