"""Worked examples from the RECIST 1.1 paper, the EORTC RECIST FAQ/clarifications and
the CDISC RECIST guidance, reproduced end to end through :func:`assess`.

Every expected value is derived by hand from the published rule quoted in the comment;
none was produced by running this code.
"""

from __future__ import annotations

from datetime import date, timedelta

from oncotrial.core.response.assessment import assess
from oncotrial.core.response.criteria import Response, TargetResponse
from oncotrial.core.response.lesions import (
    BaselineLesion,
    LesionStatus,
    Scan,
    TargetReading,
)
from oncotrial.core.response.timeline import TimePoint

R0 = date(2024, 1, 1)


def week(n: int) -> date:
    return R0 + timedelta(weeks=n)


def single(ld: float) -> list[BaselineLesion]:
    return [
        BaselineLesion(
            "T1", "liver", is_lymph_node=False, is_target=True, longest_diameter_mm=ld, viable_diameter_mm=ld
        )
    ]


def recist(lesions: list[BaselineLesion], scans: list[Scan]) -> tuple[TimePoint, ...]:
    return assess(lesions, scans, randomization_date=R0).recist_1_1.time_points


def sums(*values: tuple[int, float]) -> list[Scan]:
    return [Scan(week(w), (TargetReading("T1", diameter_mm=v),)) for w, v in values]


def test_eortc_faq_165_63_65_stays_partial_response() -> None:
    # EORTC RECIST 1.1 clarifications ("The definition of SD"): sum 165 mm at baseline,
    # 63 mm at week 8 and 65 mm at week 16 → continued PR at week 16. Check: 65 is
    # −60.6 % from baseline (≥ 30 % → PR) and +3.2 % / +2 mm from the nadir 63 (not PD).
    points = recist(single(165), sums((8, 63), (16, 65)))
    assert [p.response for p in points] == [Response.PR, Response.PR]
    assert points[1].nadir_mm == 63.0


def test_progression_is_measured_from_the_nadir_not_from_baseline() -> None:
    # RECIST 1.1 §4.3.1 and the EORTC SD clarification: baseline 100, nadir 50, then 62:
    # +24 % and +12 mm over the nadir → PD, although still 38 % below baseline.
    points = recist(single(100), sums((6, 50), (12, 62)))
    assert points[1].target_response is TargetResponse.PD
    assert points[1].change_from_baseline_pct == -38.0
    assert points[1].change_from_nadir_pct == 24.0


def test_twenty_percent_without_five_millimetres_is_not_progression() -> None:
    # RECIST 1.1 §4.3.1: "the sum must also demonstrate an absolute increase of at least
    # 5 mm". Baseline 30, nadir 20, then 24: +20 % but +4 mm → not PD; 24 is −20 % from
    # baseline → SD.
    points = recist(single(30), sums((6, 20), (12, 24)))
    assert points[0].target_response is TargetResponse.PR  # 30 → 20 is −33 %
    assert points[1].target_response is TargetResponse.SD


def test_node_only_targets_at_complete_response_with_a_non_zero_sum() -> None:
    # RECIST 1.1 §4.3.1 note: target nodes always contribute their actual short axis, so
    # the sum may not be zero at CR. Nodes 20 and 16 → 8 and 6: sum 14 mm, both < 10 mm.
    nodes = [
        BaselineLesion("N1", "neck", is_lymph_node=True, is_target=True, short_axis_mm=20),
        BaselineLesion("N2", "axilla", is_lymph_node=True, is_target=True, short_axis_mm=16),
    ]
    scan = Scan(week(8), (TargetReading("N1", diameter_mm=8), TargetReading("N2", diameter_mm=6)))
    point = recist(nodes, [scan])[0]
    assert point.sum_mm == 14.0
    assert point.target_response is TargetResponse.CR
    assert point.response is Response.CR


def test_too_small_to_measure_counts_5_mm_and_measured_values_are_kept() -> None:
    # RECIST 1.1 §4.3.2 and CDISC RECIST 1.1 guidance: "too small to measure" → 5 mm;
    # a numeric value below 5 mm is used as given. Baseline 30 + 20 = 50.
    lesions = [
        *single(30),
        BaselineLesion(
            "T2", "lung", is_lymph_node=False, is_target=True, longest_diameter_mm=20, viable_diameter_mm=20
        ),
    ]
    small = Scan(week(6), (TargetReading("T1", diameter_mm=12), TargetReading("T2", LesionStatus.TOO_SMALL)))
    measured = Scan(
        week(12),
        (TargetReading("T1", diameter_mm=12), TargetReading("T2", LesionStatus.TOO_SMALL, diameter_mm=3)),
    )
    points = recist(lesions, [small, measured])
    assert points[0].sum_mm == 17.0  # 12 + 5
    assert points[1].sum_mm == 15.0  # 12 + 3


def test_split_and_coalesced_lesions() -> None:
    # RECIST 1.1 §4.3.2: fragments of a split lesion are summed; when lesions coalesce the
    # combined longest diameter goes to one lesion and the others count 0.
    lesions = [
        *single(30),
        BaselineLesion(
            "T2", "liver", is_lymph_node=False, is_target=True, longest_diameter_mm=20, viable_diameter_mm=20
        ),
    ]
    split = Scan(week(6), (TargetReading("T1", fragments_mm=(15, 10)), TargetReading("T2", diameter_mm=20)))
    merged = Scan(
        week(12),
        (
            TargetReading("T1", diameter_mm=38),
            TargetReading("T2", LesionStatus.COALESCED, coalesced_into="T1"),
        ),
    )
    points = recist(lesions, [split, merged])
    assert points[0].sum_mm == 45.0  # 15 + 10 + 20: −10 % → SD
    assert points[1].sum_mm == 38.0  # 38 + 0: −24 % → SD
    assert [p.target_response for p in points] == [TargetResponse.SD, TargetResponse.SD]


def test_missing_target_with_progression_of_the_rest() -> None:
    # RECIST 1.1 §4.4.2: if a target is not assessed the response is NE, "unless ... the
    # sum of the remaining lesions" already qualifies for PD. Baseline 40 + 40 = 80;
    # T1 alone 97 (+21 %, +17 mm) → PD.
    lesions = [
        *single(40),
        BaselineLesion(
            "T2", "lung", is_lymph_node=False, is_target=True, longest_diameter_mm=40, viable_diameter_mm=40
        ),
    ]
    point = recist(lesions, [Scan(week(6), (TargetReading("T1", diameter_mm=97),))])[0]
    assert point.targets_not_assessed == ("T2",)
    assert point.response is Response.PD


def test_best_response_needs_sd_at_the_minimum_interval() -> None:
    # RECIST 1.1 §4.4.3: SD must be met at least once after the protocol's minimum
    # interval (here 6 weeks from randomization); an earlier SD followed by PD is PD.
    result = assess(single(50), sums((5, 48), (10, 70)), randomization_date=R0).recist_1_1
    assert result.best_overall_response.response is Response.PD  # 70 vs 48: +46 %, +22 mm
    assert result.pfs_event_date == week(10)
