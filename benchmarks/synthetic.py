"""Benchmark of the SIMULATED virtual-patient generator (prints figures; asserts nothing on time).

Usage: ``.venv/bin/python benchmarks/synthetic.py [PATIENTS] [SITES]`` (default 10,000 and 50).

Figures: time to generate the candidates (baseline, screening document data, intended
failure) until PATIENTS are eligible; time to build every eligible patient's full
script in one arm (alternating, as a 1:1 randomization would); peak traced memory of
the lazy iteration; screen-failure rate; core-engine screening time on a sample.
SIMULATED DATA: not results of NCT07304388.
"""

from __future__ import annotations

import sys
import time
import tracemalloc

from oncotrial.protocol_files import default_protocol_text, load_protocol_text
from oncotrial.synthetic import SIMULATED_LABEL, iter_candidates, make_plan, trial_scenario
from oncotrial.synthetic.verification import check_candidate


def main(patients: int = 10_000, sites: int = 50) -> None:
    print(SIMULATED_LABEL)
    protocol = load_protocol_text(default_protocol_text())
    plan = make_plan(protocol, trial_scenario(patients=patients, sites=sites, seed=1))
    arms = plan.arm_codes

    t0 = time.perf_counter()
    candidates = eligible = cycles = scans = aes = 0
    script_seconds = 0.0
    for c in iter_candidates(plan):
        candidates += 1
        if not c.eligible:
            continue
        t1 = time.perf_counter()
        s = c.script(arms[eligible % len(arms)])
        script_seconds += time.perf_counter() - t1
        cycles += len(s.cycles)
        scans += len(s.scans)
        aes += len(s.adverse_events)
        eligible += 1
        if eligible >= patients:
            break
    total = time.perf_counter() - t0

    tracemalloc.start()  # memory of the lazy iteration, measured apart (tracing slows Python down)
    for i, c in enumerate(iter_candidates(plan)):
        if i >= 1000:
            break
        if c.eligible:
            c.script(arms[i % len(arms)])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    t2 = time.perf_counter()
    plan_only = 0
    for c in iter_candidates(plan):
        plan_only += c.eligible
        if plan_only >= patients:
            break
    candidates_only = time.perf_counter() - t2

    sample = 500
    t3 = time.perf_counter()
    for i, c in enumerate(iter_candidates(plan)):
        if i >= sample:
            break
        check_candidate(c)
    screened = time.perf_counter() - t3

    print(f"patients (eligible) {eligible:,} of {candidates:,} candidates over {sites} sites; "
          f"screen failures {1 - eligible / candidates:.1%}")
    print(f"candidates only (baseline + intended screening outcome): {candidates_only:.2f} s")
    print(f"candidates + one full script each: {total:.2f} s (scripts {script_seconds:.2f} s, "
          f"{1000 * script_seconds / eligible:.2f} ms per script)")
    print(f"scripted: {cycles:,} cycles, {scans:,} scans, {aes:,} adverse events")
    print(f"peak traced memory while iterating over 1,000 candidates with scripts: {peak / 2**20:.1f} MiB")
    print(f"core eligibility check of {sample} candidates: {screened:.2f} s")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*args)
