"""Throughput of the pure clinical core: screening, list generation, allocation, report.

Prints figures; asserts nothing (speed targets are reported, never timed in tests).
Run: ``.venv/bin/python benchmarks/bench_core.py``.
"""

from __future__ import annotations

import random
import time
from datetime import date

from oncotrial.core.eligibility.patient_data import candidate_from_data
from oncotrial.core.eligibility.rules import ScreeningContext
from oncotrial.core.eligibility.screening import screen
from oncotrial.core.randomization import build_validation_report, next_slot
from oncotrial.core.stratification import (
    allocation_list_for,
    allocation_ratio,
    randomization_factors,
    stratum_of,
)
from oncotrial.protocol_files import load_default_protocol
from oncotrial.simulation.screening_candidates import simulated_candidate


def _rate(label: str, n: int, seconds: float, unit: str) -> None:
    print(f"{label:<58} {n:>7} {unit} in {seconds:7.3f} s  = {n / seconds:12,.0f} {unit}/s")


def main() -> None:
    protocol = load_default_protocol()
    day = date(2024, 3, 5)
    rng = random.Random(1)
    docs = [simulated_candidate(i, day, rng) for i in range(2000)]
    t = time.perf_counter()
    candidates = [candidate_from_data(d) for d in docs]
    _rate("parse + validate SIMULATED patient documents", len(docs), time.perf_counter() - t,
          "patients")
    context = ScreeningContext(day, 14, 28)
    t = time.perf_counter()
    results = [screen(c, protocol.eligibility.criteria, context) for c in candidates]
    _rate("screen (26 criteria each)", len(results), time.perf_counter() - t, "patients")

    t = time.perf_counter()
    lst = allocation_list_for(protocol, 20230801, 1000)
    _rate("generate stratified permuted-block list (4 strata)", 4000, time.perf_counter() - t,
          "slots")
    eligible = [c for c, r in zip(candidates, results, strict=True) if r.eligible][:1000]
    used: list[str] = []
    t = time.perf_counter()
    for c in eligible:
        used.append(next_slot(lst, used, stratum_of(c, protocol.stratification.factors)).slot_id)
    _rate("next_slot from the full history (pure, O(history))", len(eligible),
          time.perf_counter() - t, "allocations")

    t = time.perf_counter()
    build_validation_report(seed=1, factors=randomization_factors(protocol),
                            ratio=allocation_ratio(protocol), block_sizes=(2, 4), n_trials=1000,
                            n_patients=120)
    _rate("validation report, 3 schemes x 1000 trials x 120 patients", 3000,
          time.perf_counter() - t, "trials")


if __name__ == "__main__":
    main()
