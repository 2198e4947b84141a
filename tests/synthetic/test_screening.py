"""Screening documents checked by the real core eligibility engine."""

from __future__ import annotations

import itertools
from collections import Counter

from oncotrial.synthetic import iter_candidates, make_plan, trial_scenario
from oncotrial.synthetic.verification import check_candidate, screen_candidate


def test_every_candidate_screens_as_intended_and_15_to_25_percent_fail(protocol):
    plan = make_plan(protocol, trial_scenario(seed=2024))
    n = 2000
    reasons: Counter[str] = Counter()
    for c in itertools.islice(iter_candidates(plan), n):
        check_candidate(c)  # raises unless eligible ↔ eligible, failure ↔ exactly its criterion
        if c.failure is not None:
            reasons[c.failure.criterion_code] += 1
    rate = sum(reasons.values()) / n
    assert 0.15 <= rate <= 0.25, rate
    codes = {c.code for c in protocol.eligibility.criteria}
    assert set(reasons) <= codes
    assert reasons.most_common(1)[0][0] == "INC05"  # ECOG >= 2 is the commonest reason
    assert len(reasons) >= 15


def test_a_child_pugh_failure_is_class_c_and_nothing_else(protocol):
    plan = make_plan(protocol, trial_scenario(seed=9))
    c = next(
        x for x in iter_candidates(plan) if x.failure is not None and x.failure.criterion_code == "INC04"
    )
    result = screen_candidate(c)
    assert [v.code for v in result.failed] == ["INC04"]
    verdict = next(v for v in result.verdicts if v.code == "INC04")
    assert "C" in verdict.reason


def test_stratification_attributes_match_the_protocol_factors(protocol):
    plan = make_plan(protocol, trial_scenario(seed=9))
    for c in itertools.islice(iter_candidates(plan), 50):
        if not c.eligible:
            continue
        doc = c.screening_document()
        attributes = doc["attributes"]
        assert isinstance(attributes, dict)
        for f in protocol.stratification.factors:
            assert attributes[f.attribute] in f.levels
        assert dict(c.stratification) == {
            f.attribute: attributes[f.attribute] for f in protocol.stratification.factors
        }
