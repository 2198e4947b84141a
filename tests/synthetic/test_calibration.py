"""Calibration against clinical-content.md §2.4, within Monte Carlo error.

Tolerance: 4 binomial standard errors, SE = √(p(1−p)/n) with p the target and n the
patients per arm (n ≈ 4,000: SE ≈ 0.0075 for p = 0.66, so ± 0.030). The 6-month PFS
rate is the share with no RECIST 1.1 progression scan or death on or before day 183
(protocol ``pfs_landmark_days``); every patient is followed beyond it (no withdrawal,
cut-off ≥ 260 days after the last randomization), so the crude share equals the
Kaplan–Meier estimate. ORR is the best overall response CR/PR of the real core
RECIST 1.1 / mRECIST engine applied to the scripted measurements.
"""

from __future__ import annotations

import itertools
import math
from datetime import date, timedelta

import pytest

from oncotrial.synthetic import TrialScenario, iter_candidates, make_plan
from oncotrial.synthetic.verification import assess_script

N_CANDIDATES = 5000


def _within(observed: float, target: float, n: int) -> bool:
    return abs(observed - target) <= 4 * math.sqrt(target * (1 - target) / n)


@pytest.fixture(scope="module")
def arms(protocol):  # type: ignore[no-untyped-def]
    scenario = TrialScenario(
        seed=4242,
        expected_candidates=N_CANDIDATES,
        accrual_days=365,
        cutoff=date(2023, 8, 1) + timedelta(days=365 + 260),
        consent_withdrawal_probability=0.0,
        loss_to_follow_up_probability=0.0,
    )
    plan = make_plan(protocol, scenario)
    eligible = [c for c in itertools.islice(iter_candidates(plan), N_CANDIDATES) if c.eligible]
    out = {}
    for arm in plan.arm_codes:
        rows = []
        for c in eligible:
            s = c.script(arm)
            bor = assess_script(c, s)["best_overall_response"]
            assert isinstance(bor, dict)
            event = s.pfs_event_date
            rows.append(
                (
                    event is None or (event - s.randomization_date).days > 183,
                    bor["RECIST 1.1"]["response"] in ("CR", "PR"),
                    bor["mRECIST"]["response"] in ("CR", "PR"),
                )
            )
        out[arm] = rows
    return out


@pytest.mark.slow
@pytest.mark.parametrize(("arm", "target"), [("GEMOX", 0.66), ("HAIC", 0.78)])
def test_the_six_month_pfs_rate_hits_its_target_within_four_standard_errors(arms, arm, target):
    rows = arms[arm]
    rate = sum(r[0] for r in rows) / len(rows)
    print(f"{arm}: 6-month PFS {rate:.4f} (target {target}, n={len(rows)})")
    assert len(rows) > 3500
    assert _within(rate, target, len(rows)), rate


@pytest.mark.slow
@pytest.mark.parametrize(("arm", "recist", "mrecist"), [("GEMOX", 0.52, 0.62), ("HAIC", 0.60, 0.75)])
def test_the_core_recist_engine_finds_the_target_orr_and_a_higher_mrecist_orr(arms, arm, recist, mrecist):
    rows = arms[arm]
    orr = sum(r[1] for r in rows) / len(rows)
    orr_m = sum(r[2] for r in rows) / len(rows)
    print(f"{arm}: ORR RECIST {orr:.4f} (target {recist}), mRECIST {orr_m:.4f} (target {mrecist})")
    assert _within(orr, recist, len(rows)), orr
    assert _within(orr_m, mrecist, len(rows)), orr_m
    assert orr_m > orr
