"""R's aeqSurv rule (man/aeqSurv.Rd): absolute or relative differences ≤ sqrt(eps) are ties."""

from __future__ import annotations

import numpy as np

from oncotrial.analysis.timefix import TIMEFIX_TOLERANCE, merge_near_ties


def test_tolerance_is_the_square_root_of_machine_epsilon():
    assert np.sqrt(np.finfo(float).eps) == TIMEFIX_TOLERANCE


def test_times_closer_than_the_tolerance_take_the_smaller_value():
    np.testing.assert_array_equal(merge_near_ties([2.0, 1.0 + 1e-9, 1.0]), [2.0, 1.0, 1.0])


def test_times_further_apart_than_the_tolerance_stay_distinct():
    t = [1.0, 1.0 + 1e-7, 2.0]
    np.testing.assert_array_equal(merge_near_ties(t), t)


def test_large_times_are_compared_relative_to_their_mean():
    np.testing.assert_array_equal(merge_near_ties([1e9, 1e9 + 1, 5.0]), [1e9, 1e9, 5.0])


def test_chains_of_near_ties_merge_into_their_first_value():
    np.testing.assert_array_equal(merge_near_ties([1.0, 1.0 + 1e-8, 1.0 + 2e-8]), [1.0, 1.0, 1.0])


def test_days_converted_to_months_tie_again_after_a_round_trip():
    months = np.array([45.0, 45.0]) / 30.4375
    months[1] = months[1] * (1 + 3e-16)
    assert months[0] != months[1]
    merged = merge_near_ties(months)
    assert merged[0] == merged[1]
