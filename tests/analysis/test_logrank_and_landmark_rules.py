"""Log-rank and landmark rules checked without R (R comparisons: *_matches_r.py)."""

from __future__ import annotations

import numpy as np
import pytest

from oncotrial.analysis.landmark import compare_landmark_survival
from oncotrial.analysis.logrank import survdiff
from oncotrial.core.errors import DomainError


def test_two_groups_without_ties_give_the_textbook_log_rank():
    # Group 1 events at 1 and 3, group 2 at 2 and 4: four risk sets of sizes 4, 3, 2, 1.
    result = survdiff([1, 2, 3, 4], [1, 1, 1, 1], ["a", "b", "a", "b"])
    expected_a = 2 / 4 + 1 / 3 + 1 / 2 + 0
    var_a = (2 * 2) / 16 + (1 * 2) / 9 + (1 * 1) / 4
    assert result.expected[0] == pytest.approx(expected_a)
    assert result.variance[0, 0] == pytest.approx(var_a)
    assert result.chisq == pytest.approx((2 - expected_a) ** 2 / var_a)


def test_o_minus_e_sums_to_zero_and_the_variance_rows_sum_to_zero():
    rng = np.random.default_rng(7)
    t = np.ceil(rng.exponential(5, 60))
    result = survdiff(t, rng.random(60) < 0.7, rng.integers(0, 3, 60), rho=1.0)
    assert (result.observed - result.expected).sum() == pytest.approx(0, abs=1e-12)
    np.testing.assert_allclose(result.variance.sum(axis=1), 0, atol=1e-12)


def test_a_single_group_is_rejected_as_r_does():
    with pytest.raises(DomainError, match="only 1 group"):
        survdiff([1, 2], [1, 1], ["a", "a"])


def test_no_events_at_all_give_no_degrees_of_freedom_and_a_missing_p():
    result = survdiff([1, 2, 3], [0, 0, 0], ["a", "b", "a"])
    assert result.chisq == 0 and result.df == -1 and np.isnan(result.p_value)


def test_the_landmark_difference_is_experimental_minus_control():
    t = [1, 2, 3, 7, 8, 9, 1, 2, 8, 9]
    e = [1, 1, 0, 1, 0, 0, 0, 0, 1, 0]
    arm = ["ctl"] * 6 + ["exp"] * 4
    result = compare_landmark_survival(t, e, arm, landmark=6.0, control="ctl")
    s_ctl, s_exp = 1 / 3 * 2, 1.0  # ctl: events at 1 and 2 among 6 → 4/6; exp: no event before 6
    assert result.arms.loc["ctl", "survival"] == pytest.approx(s_ctl)
    assert result.difference == pytest.approx(s_exp - s_ctl)
    assert result.lower < result.difference < result.upper
    assert "exp - ctl" in result.to_text()


def test_the_landmark_comparison_needs_exactly_two_arms():
    with pytest.raises(DomainError, match="exactly two arms"):
        compare_landmark_survival([1, 2, 3], [1, 1, 1], ["a", "b", "c"], landmark=1.0)
