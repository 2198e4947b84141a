"""Time-point response, RECIST 1.1 (Eisenhauer et al., Eur J Cancer 2009;45:228–247).

§4.4.1 Table 1 (target disease) and Table 2 (non-target disease only); §4.3.3 non-target
CR needs nodes < 10 mm; §4.3.5 new lesions, equivocal ones dated back once confirmed;
EORTC clarification: reappearance after an overall CR is PD. Validation of scans.
"""

from __future__ import annotations

from datetime import date

import pytest

from oncotrial.core.errors import DomainError
from oncotrial.core.response.baseline import check_baseline
from oncotrial.core.response.criteria import (
    NewLesionStatus,
    NonTargetResponse,
    Response,
    TargetResponse,
    recist_1_1_rules,
)
from oncotrial.core.response.lesions import (
    BaselineLesion,
    LesionStatus,
    NewLesion,
    NonTargetReading,
    NonTargetStatus,
    Scan,
    TargetReading,
)
from oncotrial.core.response.non_target import (
    NonTargetState,
    classify_non_target_response,
    non_target_state,
)
from oncotrial.core.response.overall import overall_response
from oncotrial.core.response.timeline import TimePoint, assess_time_points

RANDOMIZED = date(2024, 1, 1)
RULES = recist_1_1_rules()
T, NT, New = TargetResponse, NonTargetResponse, NewLesionStatus

T1 = BaselineLesion(
    "T1", "liver", is_lymph_node=False, is_target=True, longest_diameter_mm=50, viable_diameter_mm=50
)
NT1 = BaselineLesion("NT1", "peritoneum", is_lymph_node=False, is_target=False)
NN1 = BaselineLesion("NN1", "hilum", is_lymph_node=True, is_target=False, short_axis_mm=12)


def run(scans: list[Scan], lesions: list[BaselineLesion] | None = None) -> tuple[TimePoint, ...]:
    baseline = check_baseline(lesions or [T1, NT1])
    return assess_time_points(baseline, scans, randomization_date=RANDOMIZED, rules=RULES)


def scan(
    day: date,
    t1: float | None,
    nt1: NonTargetStatus = NonTargetStatus.PRESENT,
    new: tuple[NewLesion, ...] = (),
) -> Scan:
    targets = () if t1 is None else (TargetReading("T1", diameter_mm=t1),)
    return Scan(day, targets, (NonTargetReading("NT1", nt1),), new)


# --- Table 1 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "non_target", "new", "expected"),
    [
        (T.CR, NT.CR, New.NONE, Response.CR),
        (T.CR, NT.NON_CR_NON_PD, New.NONE, Response.PR),
        (T.CR, NT.NE, New.NONE, Response.PR),
        (T.PR, NT.NON_CR_NON_PD, New.NONE, Response.PR),
        (T.PR, NT.NE, New.NONE, Response.PR),
        (T.PR, NT.CR, New.NONE, Response.PR),
        (T.SD, NT.NON_CR_NON_PD, New.NONE, Response.SD),
        (T.SD, NT.NE, New.NONE, Response.SD),
        (T.NE, NT.NON_CR_NON_PD, New.NONE, Response.NE),
        (T.NE, NT.CR, New.NONE, Response.NE),
        (T.PD, NT.CR, New.NONE, Response.PD),
        (T.PD, NT.NE, New.UNEQUIVOCAL, Response.PD),
        (T.CR, NT.PD, New.NONE, Response.PD),
        (T.NE, NT.PD, New.NONE, Response.PD),
        (T.CR, NT.CR, New.UNEQUIVOCAL, Response.PD),
        (T.SD, NT.NON_CR_NON_PD, New.UNEQUIVOCAL, Response.PD),
        # An equivocal new lesion does not change the response as read (§4.3.5).
        (T.CR, NT.CR, New.EQUIVOCAL, Response.CR),
        # No non-target disease at baseline: target CR is overall CR.
        (T.CR, NT.NOT_APPLICABLE, New.NONE, Response.CR),
    ],
)
def test_table_1(target: T, non_target: NT, new: New, expected: Response) -> None:
    assert overall_response(target, non_target, new) is expected


# --- Table 2 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("non_target", "new", "expected"),
    [
        (NT.CR, New.NONE, Response.CR),
        (NT.NON_CR_NON_PD, New.NONE, Response.NON_CR_NON_PD),
        (NT.NE, New.NONE, Response.NE),
        (NT.PD, New.NONE, Response.PD),
        (NT.NON_CR_NON_PD, New.UNEQUIVOCAL, Response.PD),
        (NT.CR, New.UNEQUIVOCAL, Response.PD),
    ],
)
def test_table_2_non_target_disease_only(non_target: NT, new: New, expected: Response) -> None:
    assert overall_response(T.NOT_APPLICABLE, non_target, new) is expected


def test_non_target_only_patient_is_non_cr_non_pd() -> None:
    points = run(
        [Scan(date(2024, 2, 15), (), (NonTargetReading("NT1", NonTargetStatus.PRESENT),))], lesions=[NT1]
    )
    assert points[0].target_response is T.NOT_APPLICABLE
    assert points[0].response is Response.NON_CR_NON_PD


# --- non-target lesions ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sa", "state"),
    [(9.9, NonTargetState.RESOLVED), (10.0, NonTargetState.PERSISTING)],
)
def test_a_non_target_node_resolves_below_10_mm(sa: float, state: NonTargetState) -> None:
    reading = NonTargetReading("NN1", NonTargetStatus.PRESENT, short_axis_mm=sa)
    assert non_target_state(reading, is_lymph_node=True, criterion=RULES.criterion) is state


def test_non_target_response_rules() -> None:
    s = NonTargetState
    assert classify_non_target_response([s.RESOLVED, s.RESOLVED]) is NT.CR
    assert classify_non_target_response([s.RESOLVED, s.PERSISTING]) is NT.NON_CR_NON_PD
    assert classify_non_target_response([s.RESOLVED, s.NOT_ASSESSED]) is NT.NE
    assert classify_non_target_response([s.NOT_ASSESSED, s.PROGRESSED]) is NT.PD
    assert classify_non_target_response([]) is NT.NOT_APPLICABLE


def test_a_non_target_without_a_reading_is_not_assessed() -> None:
    points = run([Scan(date(2024, 2, 15), (TargetReading("T1", diameter_mm=40),))])
    assert points[0].non_target_response is NT.NE
    assert points[0].response is Response.SD  # Table 1: SD + not all evaluated → SD


def test_complete_response_needs_every_non_target_node_below_10_mm() -> None:
    lesions = [T1, NN1]

    def at(sa: float) -> Response:
        s = Scan(
            date(2024, 2, 15),
            (TargetReading("T1", LesionStatus.DISAPPEARED),),
            (NonTargetReading("NN1", NonTargetStatus.PRESENT, short_axis_mm=sa),),
        )
        return run([s], lesions)[0].response

    assert at(9.9) is Response.CR
    assert at(10.0) is Response.PR


# --- new lesions -----------------------------------------------------------------------


def test_an_unequivocal_new_lesion_is_progression_whatever_the_sum() -> None:
    points = run([scan(date(2024, 2, 15), 10, new=(NewLesion("N1", New.UNEQUIVOCAL),))])
    assert points[0].target_response is T.PR  # 50 → 10 is −80 %
    assert points[0].response is Response.PD


def test_a_confirmed_equivocal_new_lesion_dates_progression_at_its_first_scan() -> None:
    # §4.3.5: equivocal at week 6, still equivocal at week 12, unequivocal at week 18 →
    # progression is dated at week 6.
    eq, uneq = NewLesion("N1", New.EQUIVOCAL), NewLesion("N1", New.UNEQUIVOCAL)
    points = run(
        [
            scan(date(2024, 2, 12), 40, new=(eq,)),
            scan(date(2024, 3, 25), 40, new=(eq,)),
            scan(date(2024, 5, 6), 40, new=(uneq,)),
        ]
    )
    assert [p.response_as_read for p in points] == [Response.SD, Response.SD, Response.PD]
    assert [p.response for p in points] == [Response.PD, Response.PD, Response.PD]
    assert points[0].progression_confirmed_on == date(2024, 5, 6)


def test_an_equivocal_new_lesion_that_is_not_confirmed_changes_nothing() -> None:
    points = run(
        [
            scan(date(2024, 2, 12), 40, new=(NewLesion("N1", New.EQUIVOCAL),)),
            scan(date(2024, 3, 25), 40),
        ]
    )
    assert [p.response for p in points] == [Response.SD, Response.SD]


def test_reappearance_after_an_overall_complete_response_is_progression() -> None:
    # EORTC FAQ "Does a new lesion always result in PD?": after a definitive CR the
    # reappearance of any lesion is PD. 50 → 0 (CR, with NT1 absent) → 4 mm.
    points = run(
        [
            scan(date(2024, 2, 12), 0, NonTargetStatus.ABSENT),
            scan(date(2024, 3, 25), 4, NonTargetStatus.ABSENT),
        ]
    )
    assert points[0].response is Response.CR
    assert points[1].target_response is T.PR
    assert points[1].response is Response.PD


def test_reappearance_rule_can_be_switched_off() -> None:
    baseline = check_baseline([T1, NT1])
    points = assess_time_points(
        baseline,
        [
            scan(date(2024, 2, 12), 0, NonTargetStatus.ABSENT),
            scan(date(2024, 3, 25), 4, NonTargetStatus.ABSENT),
        ],
        randomization_date=RANDOMIZED,
        rules=recist_1_1_rules(reappearance_after_cr_is_pd=False),
    )
    assert points[1].response is Response.PR


# --- nadir tracking and scan order -----------------------------------------------------


def test_scans_are_assessed_in_date_order_and_nadir_excludes_incomplete_sums() -> None:
    lesions = [
        T1,
        BaselineLesion(
            "T2", "lung", is_lymph_node=False, is_target=True, longest_diameter_mm=50, viable_diameter_mm=50
        ),
    ]
    s3 = Scan(
        date(2024, 4, 1), (TargetReading("T1", diameter_mm=30), TargetReading("T2", diameter_mm=30))
    )  # 60: +20 %, +10 mm
    s1 = Scan(
        date(2024, 2, 1), (TargetReading("T1", diameter_mm=25), TargetReading("T2", diameter_mm=25))
    )  # 50 (nadir)
    s2 = Scan(date(2024, 3, 1), (TargetReading("T1", diameter_mm=10),))  # partial: NE
    points = run([s3, s1, s2], lesions)
    assert [p.scan_date for p in points] == [date(2024, 2, 1), date(2024, 3, 1), date(2024, 4, 1)]
    assert [p.target_response for p in points] == [T.PR, T.NE, T.PD]
    assert points[2].nadir_mm == 50.0


# --- validation ------------------------------------------------------------------------


def test_a_scan_before_randomization_is_rejected() -> None:
    with pytest.raises(DomainError, match="on or after the randomization date") as info:
        run([scan(date(2023, 12, 31), 40)])
    assert info.value.field == "scans[0].scan_date"
    assert info.value.value == "2023-12-31"


def test_a_scan_on_the_randomization_date_is_accepted() -> None:
    assert run([scan(RANDOMIZED, 40)])[0].response is Response.SD


def test_duplicated_scan_dates_are_rejected() -> None:
    with pytest.raises(DomainError, match="different from every other scan") as info:
        run([scan(date(2024, 2, 1), 40), scan(date(2024, 2, 1), 41)])
    assert info.value.field == "scans[1].scan_date"


def test_a_lesion_id_not_in_baseline_is_rejected() -> None:
    bad = Scan(date(2024, 2, 1), (TargetReading("T9", diameter_mm=10),))
    with pytest.raises(DomainError, match="baseline target lesion id") as info:
        run([bad])
    assert info.value.field == "scans[0].targets[0].lesion_id"
    assert info.value.value == "T9"
    assert "new_lesions" in (info.value.suggestion or "")


def test_a_non_target_reported_as_target_is_rejected() -> None:
    bad = Scan(date(2024, 2, 1), (TargetReading("NT1", diameter_mm=10),))
    with pytest.raises(DomainError, match="baseline target lesion id") as info:
        run([bad])
    assert "non_targets" in (info.value.suggestion or "")


def test_a_new_lesion_reusing_a_baseline_id_is_rejected() -> None:
    with pytest.raises(DomainError, match="used by no baseline lesion") as info:
        run([scan(date(2024, 2, 1), 40, new=(NewLesion("T1", New.UNEQUIVOCAL),))])
    assert info.value.field == "scans[0].new_lesions[0].lesion_id"


def test_a_negative_follow_up_diameter_is_rejected() -> None:
    with pytest.raises(DomainError) as info:
        run([scan(date(2024, 2, 1), -4)])
    assert info.value.field == "scans[0].targets[0].diameter_mm"


def test_a_present_lesion_needs_a_measurement() -> None:
    with pytest.raises(DomainError, match="for a present lesion"):
        run([Scan(date(2024, 2, 1), (TargetReading("T1"),))])


def test_a_disappeared_lesion_cannot_have_a_diameter() -> None:
    with pytest.raises(DomainError, match="no measurement"):
        run([Scan(date(2024, 2, 1), (TargetReading("T1", LesionStatus.DISAPPEARED, 5.0),))])


def test_a_coalesced_lesion_must_point_to_a_target_read_at_the_same_scan() -> None:
    bad = Scan(date(2024, 2, 1), (TargetReading("T1", LesionStatus.COALESCED, coalesced_into="T7"),))
    with pytest.raises(DomainError, match="carries the combined diameter") as info:
        run([bad])
    assert info.value.field == "scans[0].targets[0].coalesced_into"


def test_a_reading_twice_in_one_scan_is_rejected() -> None:
    bad = Scan(date(2024, 2, 1), (TargetReading("T1", diameter_mm=4), TargetReading("T1", diameter_mm=5)))
    with pytest.raises(DomainError, match="once per scan"):
        run([bad])
