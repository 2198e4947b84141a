"""mRECIST side by side with RECIST 1.1 (Lencioni & Llovet, Semin Liver Dis 2010;30:52–60).

Targets: RECIST-measurable and enhancing at baseline; the sum is of the longest viable
(arterially enhancing) diameters. CR: enhancement gone in all targets. PR: ≥ 30 %
decrease of the viable sum versus baseline. PD: ≥ 20 % increase over the viable nadir;
the 5 mm floor of RECIST 1.1 is not in the classical text and is optional. Non-target
CR: enhancement gone in all. Expected values are worked out by hand in the comments.
"""

from __future__ import annotations

from datetime import date

import pytest

from oncotrial.core.response.assessment import AssessmentSettings, assess
from oncotrial.core.response.criteria import (
    Criterion,
    NonTargetResponse,
    Response,
    TargetResponse,
    mrecist_rules,
)
from oncotrial.core.response.lesions import (
    BaselineLesion,
    LesionStatus,
    NonTargetReading,
    NonTargetStatus,
    Scan,
    TargetReading,
)
from oncotrial.core.response.target import classify_sum
from oncotrial.core.response.timeline import TimePoint

R0 = date(2024, 1, 1)
DAY = date(2024, 2, 20)


def liver(lid: str, ld: float, viable: float, mrecist_target: bool | None = None) -> BaselineLesion:
    return BaselineLesion(
        lid,
        "liver",
        is_lymph_node=False,
        is_target=True,
        longest_diameter_mm=ld,
        viable_diameter_mm=viable,
        mrecist_target=mrecist_target,
    )


NT = BaselineLesion("NT1", "peritoneum", is_lymph_node=False, is_target=False)


def one_scan(
    lesions: list[BaselineLesion], scan: Scan, *, mrecist_absolute_floor: bool = False
) -> tuple[TimePoint, TimePoint]:
    settings = AssessmentSettings(mrecist_absolute_floor=mrecist_absolute_floor)
    result = assess(lesions, [scan], randomization_date=R0, settings=settings)
    return result.recist_1_1.time_points[0], result.mrecist.time_points[0]


def test_every_scan_has_one_response_per_criterion_labelled() -> None:
    recist, mrecist = one_scan(
        [liver("T1", 60, 40)], Scan(DAY, (TargetReading("T1", diameter_mm=58, viable_diameter_mm=20),))
    )
    assert recist.criterion is Criterion.RECIST_1_1
    assert mrecist.criterion is Criterion.MRECIST
    assert str(recist.criterion) == "RECIST 1.1"
    assert str(mrecist.criterion) == "mRECIST"
    # RECIST: 60 → 58 is −3.3 % → SD. mRECIST: viable 40 → 20 is −50 % → PR.
    assert (recist.response, mrecist.response) == (Response.SD, Response.PR)


def test_necrotic_response_is_complete_under_mrecist_only() -> None:
    # Lesion still 45 mm but no enhancing tissue left: mRECIST CR, RECIST SD (−25 %).
    recist, mrecist = one_scan(
        [liver("T1", 60, 40)], Scan(DAY, (TargetReading("T1", diameter_mm=45, viable_diameter_mm=0),))
    )
    assert recist.target_response is TargetResponse.SD
    assert mrecist.target_response is TargetResponse.CR
    assert mrecist.response is Response.CR


@pytest.mark.parametrize(("viable", "expected"), [(28.1, TargetResponse.SD), (28.0, TargetResponse.PR)])
def test_mrecist_partial_response_at_30_percent(viable: float, expected: TargetResponse) -> None:
    # Baseline viable 40: 28.1 is −29.75 %, 28.0 is −30 %.
    _, mrecist = one_scan(
        [liver("T1", 60, 40)], Scan(DAY, (TargetReading("T1", diameter_mm=60, viable_diameter_mm=viable),))
    )
    assert mrecist.target_response is expected


@pytest.mark.parametrize(
    ("current", "floor", "expected"),
    [
        (11.9, False, TargetResponse.SD),  # nadir 10: +19 %
        (12.0, False, TargetResponse.PD),  # +20 %, +2 mm: PD without the 5 mm floor
        (12.0, True, TargetResponse.SD),  # ... but not with the floor
        (15.0, True, TargetResponse.PD),  # +50 %, +5 mm
    ],
)
def test_mrecist_progression_floor_is_optional(current: float, floor: bool, expected: TargetResponse) -> None:
    rules = mrecist_rules(absolute_floor=floor)
    assert classify_sum(current, baseline_sum_mm=10, nadir_mm=10, rules=rules) is expected


def test_the_mrecist_floor_setting_reaches_the_assessment() -> None:
    lesions = [liver("T1", 20, 10)]
    scan = Scan(DAY, (TargetReading("T1", diameter_mm=20, viable_diameter_mm=12),))
    assert one_scan(lesions, scan)[1].target_response is TargetResponse.PD
    assert one_scan(lesions, scan, mrecist_absolute_floor=True)[1].target_response is (TargetResponse.SD)


def test_a_present_target_without_viable_measurement_is_not_evaluable_under_mrecist() -> None:
    recist, mrecist = one_scan([liver("T1", 60, 40)], Scan(DAY, (TargetReading("T1", diameter_mm=40),)))
    assert recist.target_response is TargetResponse.PR  # −33 %
    assert mrecist.target_response is TargetResponse.NE
    assert mrecist.targets_not_assessed == ("T1",)


def test_too_small_viable_tissue_counts_5_mm() -> None:
    # Viable 40 → "too small to measure" = 5 mm: −87.5 % → PR, not CR.
    _, mrecist = one_scan([liver("T1", 60, 40)], Scan(DAY, (TargetReading("T1", LesionStatus.TOO_SMALL),)))
    assert mrecist.sum_mm == 5.0
    assert mrecist.target_response is TargetResponse.PR


def test_split_viable_fragments_are_summed() -> None:
    _, mrecist = one_scan(
        [liver("T1", 60, 40)],
        Scan(DAY, (TargetReading("T1", fragments_mm=(30, 20), viable_fragments_mm=(10, 8)),)),
    )
    assert mrecist.sum_mm == 18.0


@pytest.mark.parametrize(
    ("enhancing", "expected"),
    [
        (False, NonTargetResponse.CR),
        (True, NonTargetResponse.NON_CR_NON_PD),
        (None, NonTargetResponse.NON_CR_NON_PD),
    ],
)
def test_mrecist_non_target_complete_response_is_loss_of_enhancement(
    enhancing: bool | None, expected: NonTargetResponse
) -> None:
    scan = Scan(
        DAY,
        (TargetReading("T1", diameter_mm=40, viable_diameter_mm=0),),
        (NonTargetReading("NT1", NonTargetStatus.PRESENT, enhancing=enhancing),),
    )
    recist, mrecist = one_scan([liver("T1", 60, 40), NT], scan)
    assert recist.non_target_response is NonTargetResponse.NON_CR_NON_PD  # still present
    assert mrecist.non_target_response is expected
    # Target CR (viable 0) with non-target CR → CR; otherwise PR (Table 1).
    assert mrecist.response is (Response.CR if expected is NonTargetResponse.CR else Response.PR)


def test_non_enhancing_recist_target_is_an_mrecist_non_target() -> None:
    lesions = [liver("T1", 60, 40), liver("T2", 30, 0, mrecist_target=False)]
    scan = Scan(
        DAY,
        (
            TargetReading("T1", diameter_mm=50, viable_diameter_mm=10),
            TargetReading("T2", diameter_mm=30, viable_diameter_mm=12),
        ),
    )
    recist, mrecist = one_scan(lesions, scan)
    # RECIST: 90 → 80 = −11 % → SD. mRECIST: targets T1 only, 40 → 10 = −75 % → PR;
    # T2 now enhances (12 mm): non-target persisting → Non-CR/Non-PD.
    assert recist.response is Response.SD
    assert mrecist.sum_mm == 10.0
    assert mrecist.non_target_response is NonTargetResponse.NON_CR_NON_PD
    assert mrecist.response is Response.PR


def test_unequivocal_progression_of_a_non_target_is_pd_under_both() -> None:
    scan = Scan(
        DAY,
        (TargetReading("T1", diameter_mm=40, viable_diameter_mm=10),),
        (NonTargetReading("NT1", NonTargetStatus.UNEQUIVOCAL_PROGRESSION),),
    )
    recist, mrecist = one_scan([liver("T1", 60, 40), NT], scan)
    assert recist.response is Response.PD
    assert mrecist.response is Response.PD


def test_nodes_keep_their_short_axis_under_mrecist() -> None:
    node = BaselineLesion("N1", "hilum", is_lymph_node=True, is_target=True, short_axis_mm=20)
    recist, mrecist = one_scan([node], Scan(DAY, (TargetReading("N1", diameter_mm=9),)))
    assert recist.target_response is TargetResponse.CR
    assert mrecist.target_response is TargetResponse.CR
    assert mrecist.sum_mm == 9.0


def test_best_response_and_pfs_are_given_per_criterion() -> None:
    scans = [
        Scan(date(2024, 2, 12), (TargetReading("T1", diameter_mm=55, viable_diameter_mm=20),)),
        Scan(date(2024, 3, 25), (TargetReading("T1", diameter_mm=56, viable_diameter_mm=26),)),
    ]
    result = assess([liver("T1", 60, 40)], scans, randomization_date=R0)
    # RECIST: 55 (−8 %) SD at day 42 → SD; 56 vs nadir 55: +1.8 % → SD. No PFS event.
    assert result.recist_1_1.best_overall_response.response is Response.SD
    assert result.recist_1_1.pfs_event_date is None
    # mRECIST: 20 (−50 %) PR; 26 vs nadir 20: +30 % (no floor needed) → PD on 2024-03-25.
    assert result.mrecist.best_overall_response.response is Response.PR
    assert result.mrecist.pfs_event_date == date(2024, 3, 25)
