"""The worked example drives the core rules: no double allocation, no skipped slot."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from oncotrial.core.protocol.parse import parse_protocol
from oncotrial.core.randomization import Scheme, check_history
from oncotrial.protocol_files import default_protocol_text, load_default_protocol
from oncotrial.simulation.screening_demo import run_screening_demo

PROTOCOL = load_default_protocol()


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_eligible_candidates_take_consecutive_slots_of_their_stratum(seed):
    demo = run_screening_demo(PROTOCOL, 50, seed)
    assert demo.allocation_list is not None
    # check_history raises on a reused, unknown or skipped slot
    counts = check_history(demo.allocation_list, [r.slot_id for r in demo.randomized])
    assert sum(counts.values()) == len(demo.randomized)
    assert len(demo.randomized) == sum(s.eligible for s in demo.screenings)


def test_the_same_seed_gives_the_same_demo():
    assert run_screening_demo(PROTOCOL, 25, 9).to_dict() == run_screening_demo(PROTOCOL, 25, 9).to_dict()


def test_a_minimization_protocol_is_randomized_by_minimization():
    data = yaml.safe_load(default_protocol_text())
    data["randomization"]["scheme"] = "minimization"
    demo = run_screening_demo(parse_protocol(data), 60, 1)
    assert demo.scheme is Scheme.MINIMIZATION
    arms = [r.arm for r in demo.randomized]
    # with p = 0.8 the two arms stay close overall (not a certainty in general; for this
    # seed the overall difference is small): a sanity check that both arms are used
    assert set(arms) == {"HAIC", "GEMOX"}
    assert abs(arms.count("HAIC") - arms.count("GEMOX")) <= 4


def test_every_document_is_labelled_simulated():
    data = run_screening_demo(PROTOCOL, 5, 1).to_dict()
    assert data["simulated"] is True
    assert data["label"] == "SIMULATED DATA: not results of NCT07304388"
