"""Target-lesion response, RECIST 1.1 (Eisenhauer et al., Eur J Cancer 2009;45:228–247).

§4.3.1: CR (non-nodal 0, nodes < 10 mm), PR (≥ 30 % below baseline), PD (≥ 20 % and
≥ 5 mm above the nadir), SD otherwise. §4.3.2: too small to measure = 5 mm unless
measured; disappeared = 0; split = sum of fragments; coalesced = combined on one, 0
on the others. §4.4.2: a missing target makes NE unless the others already meet PD.
Expected values are worked out by hand in the comments.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from oncotrial.core.response.baseline import TargetLesion
from oncotrial.core.response.criteria import TargetResponse, recist_1_1_rules
from oncotrial.core.response.lesions import LesionStatus, TargetReading
from oncotrial.core.response.target import assess_targets, classify_sum, lesion_value

RULES = recist_1_1_rules()


def d(value: float) -> Decimal:
    return Decimal(str(value))


def one_lesion_response(
    baseline: float, current: float | None, nadir: float | None = None, *, node: bool = False
) -> TargetResponse:
    targets = [TargetLesion("T1", node, d(baseline))]
    values = [None if current is None else d(current)]
    return assess_targets(targets, values, nadir_mm=None if nadir is None else d(nadir), rules=RULES).response


# --- lesion values (§4.3.2) -----------------------------------------------------------


def test_too_small_to_measure_counts_5_mm_by_default() -> None:
    reading = TargetReading("T1", LesionStatus.TOO_SMALL)
    assert lesion_value(reading, is_lymph_node=False, rules=RULES) == Decimal(5)


def test_a_measured_value_below_5_mm_is_kept() -> None:
    # EORTC clarification: "if it is measurable, record the measurement".
    reading = TargetReading("T1", LesionStatus.TOO_SMALL, diameter_mm=3.0)
    assert lesion_value(reading, is_lymph_node=False, rules=RULES) == Decimal(3)
    present = TargetReading("T1", diameter_mm=3.0)
    assert lesion_value(present, is_lymph_node=False, rules=RULES) == Decimal(3)


def test_the_too_small_default_is_a_parameter() -> None:
    rules = recist_1_1_rules(too_small_default_mm=4.0)
    assert lesion_value(
        TargetReading("T1", LesionStatus.TOO_SMALL), is_lymph_node=False, rules=rules
    ) == Decimal(4)


def test_disappeared_and_coalesced_lesions_count_zero() -> None:
    gone = TargetReading("T1", LesionStatus.DISAPPEARED)
    merged = TargetReading("T2", LesionStatus.COALESCED, coalesced_into="T1")
    assert lesion_value(gone, is_lymph_node=False, rules=RULES) == 0
    assert lesion_value(merged, is_lymph_node=False, rules=RULES) == 0


def test_a_split_lesion_counts_the_sum_of_its_fragments() -> None:
    reading = TargetReading("T1", fragments_mm=(12.1, 8.2, 3.3))
    assert lesion_value(reading, is_lymph_node=False, rules=RULES) == Decimal("23.6")


def test_a_lesion_not_assessed_has_no_value() -> None:
    assert lesion_value(None, is_lymph_node=False, rules=RULES) is None
    reading = TargetReading("T1", LesionStatus.NOT_ASSESSED)
    assert lesion_value(reading, is_lymph_node=False, rules=RULES) is None


# --- thresholds, both sides -------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        (70.1, TargetResponse.SD),  # 29.9 % decrease
        (70.0, TargetResponse.PR),
    ],  # 30.0 % decrease
)
def test_partial_response_starts_at_a_30_percent_decrease(current: float, expected: TargetResponse) -> None:
    assert one_lesion_response(100, current) is expected


@pytest.mark.parametrize(
    ("current", "expected"),
    # baseline 100, nadir 50: 59.95 is +19.9 % (+9.95 mm); 60.0 is +20 % (+10 mm).
    [(59.95, TargetResponse.PR), (60.0, TargetResponse.PD)],
)
def test_progression_starts_at_a_20_percent_increase_over_the_nadir(
    current: float, expected: TargetResponse
) -> None:
    assert classify_sum(current, baseline_sum_mm=100, nadir_mm=50, rules=RULES) is expected


@pytest.mark.parametrize(
    ("current", "expected"),
    # nadir = baseline = 20: 24.9 is +24.5 % but +4.9 mm; 25.0 is +25 % and +5.0 mm.
    [(24.9, TargetResponse.SD), (25.0, TargetResponse.PD)],
)
def test_progression_needs_an_absolute_increase_of_5_mm(current: float, expected: TargetResponse) -> None:
    assert one_lesion_response(20, current) is expected


@pytest.mark.parametrize(
    ("sa", "expected"),
    # baseline node 20 mm: 9.9 is < 10 → CR; 10.0 is a 50 % decrease → PR, not CR.
    [(9.9, TargetResponse.CR), (10.0, TargetResponse.PR)],
)
def test_a_target_node_is_complete_response_below_10_mm(sa: float, expected: TargetResponse) -> None:
    assert one_lesion_response(20, sa, node=True) is expected


def test_a_non_nodal_target_must_be_zero_for_complete_response() -> None:
    # 0.1 mm left of a 20 mm lesion is a 99.5 % decrease: PR, not CR.
    assert one_lesion_response(20, 0.1) is TargetResponse.PR
    assert one_lesion_response(20, 0) is TargetResponse.CR


def test_stable_disease_when_neither_pr_nor_pd() -> None:
    # 100 → 85: −15 % from baseline, nadir 100: +0 %.
    assert one_lesion_response(100, 85) is TargetResponse.SD


def test_a_missing_target_makes_not_evaluable() -> None:
    targets = [TargetLesion("T1", False, d(50)), TargetLesion("T2", False, d(50))]
    result = assess_targets(targets, [d(20), None], nadir_mm=None, rules=RULES)
    assert result.response is TargetResponse.NE
    assert result.not_assessed == ("T2",)


def test_a_missing_target_does_not_hide_progression_of_the_others() -> None:
    # Baseline 50 + 50 = 100 = nadir. T1 alone measures 121: +21 %, +21 mm → PD (§4.4.2).
    targets = [TargetLesion("T1", False, d(50)), TargetLesion("T2", False, d(50))]
    result = assess_targets(targets, [d(121), None], nadir_mm=None, rules=RULES)
    assert result.response is TargetResponse.PD
    # T1 alone at 119 (+19 %) is not enough: NE.
    below = assess_targets(targets, [d(119), None], nadir_mm=None, rules=RULES)
    assert below.response is TargetResponse.NE


def test_no_targets_is_not_applicable() -> None:
    result = assess_targets([], [], nadir_mm=None, rules=RULES)
    assert result.response is TargetResponse.NOT_APPLICABLE
    assert result.sum_mm is None


def test_decimal_measurements_are_summed_exactly() -> None:
    # 0.1 + 0.2 is not 0.3 in binary floating point; 33.1 + 36.9 = 70.0 exactly against
    # a 100.0 baseline must still be PR (30.0 % decrease).
    targets = [TargetLesion("T1", False, d(50)), TargetLesion("T2", False, d(50))]
    result = assess_targets(targets, [d(33.1), d(36.9)], nadir_mm=None, rules=RULES)
    assert result.sum_mm == Decimal("70.0")
    assert result.response is TargetResponse.PR
