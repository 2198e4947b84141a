"""Seeded, per-patient reproducibility of the SIMULATED trial."""

from __future__ import annotations

import itertools

from oncotrial.synthetic import (
    SIMULATED_LABEL,
    generate_candidate,
    generate_trial,
    iter_candidates,
    make_plan,
    trial_scenario,
)


def _fingerprint(trial):  # type: ignore[no-untyped-def]
    return [(c.screening_document(), c.script("HAIC") if c.eligible else None) for c in trial.candidates[:25]]


def test_the_same_seed_gives_an_identical_trial(protocol):
    a = generate_trial(protocol, patients=30, seed=11)
    b = generate_trial(protocol, patients=30, seed=11)
    assert _fingerprint(a) == _fingerprint(b)


def test_a_different_seed_gives_a_different_trial(protocol):
    a = generate_trial(protocol, patients=30, seed=11)
    b = generate_trial(protocol, patients=30, seed=12)
    assert [c.screening_document() for c in a.candidates[:10]] != [
        c.screening_document() for c in b.candidates[:10]
    ]


def test_patient_k_does_not_depend_on_how_many_patients_are_generated(protocol):
    scenario = trial_scenario(patients=120, sites=5, seed=3)
    small = generate_trial(protocol, patients=10, scenario=scenario)
    large = generate_trial(protocol, patients=60, scenario=scenario)
    assert len(large.candidates) > len(small.candidates)
    for a, b in zip(small.candidates, large.candidates, strict=False):
        assert a.screening_document() == b.screening_document()
        if a.eligible:
            assert a.script("GEMOX") == b.script("GEMOX")


def test_candidate_k_alone_equals_candidate_k_of_the_iterator(protocol):
    plan = make_plan(protocol, trial_scenario(seed=5))
    listed = list(itertools.islice(iter_candidates(plan), 8))
    assert generate_candidate(plan, 7).screening_document() == listed[7].screening_document()


def test_candidates_come_in_screening_date_order_and_carry_the_simulated_label(protocol):
    trial = generate_trial(protocol, patients=120, seed=1)
    dates = [c.screening_date for c in trial.candidates]
    assert dates == sorted(dates)
    assert sum(c.eligible for c in trial.candidates) == 120
    assert trial.label == SIMULATED_LABEL == "SIMULATED DATA: not results of NCT07304388"
    doc = trial.candidates[0].screening_document()
    assert doc["simulated"] is True and SIMULATED_LABEL in str(doc["comment"])
    assert trial.eligible[0].script("HAIC").label == SIMULATED_LABEL
