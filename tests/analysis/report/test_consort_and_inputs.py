"""CONSORT counts add up; report inputs that do not fit the trial data are refused, naming the field."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from oncotrial.analysis.report.consort_flow import consort_counts
from oncotrial.analysis.report.numbers import report_numbers
from oncotrial.analysis.report_data import ScreeningLog, check_report_inputs
from oncotrial.core.errors import DomainError


def test_consort_counts_in_the_report_add_up(stats) -> None:  # type: ignore[no-untyped-def]
    excluded = sum(v for k, v in stats.items() if k.startswith("consort.excluded."))
    assert stats["consort.excluded"] == excluded
    assert stats["consort.assessed"] - stats["consort.excluded"] == stats["consort.randomized"] == 120
    assert stats["consort.haic.allocated"] + stats["consort.gemox.allocated"] == stats["consort.randomized"]
    for arm in ("haic", "gemox"):
        stopped = sum(v for k, v in stats.items() if k.startswith(f"consort.{arm}.discontinued."))
        assert stats[f"consort.{arm}.discontinued"] == stopped
        assert stats[f"consort.{arm}.ongoing"] + stopped == stats[f"consort.{arm}.received"]
        assert stats[f"consort.{arm}.analysed"] == stats[f"consort.{arm}.allocated"]


def test_a_screening_log_that_does_not_add_up_is_refused(inputs) -> None:  # type: ignore[no-untyped-def]
    data, extras = inputs
    wrong = replace(extras, screening=ScreeningLog(extras.screening.assessed + 3, extras.screening.excluded))
    with pytest.raises(DomainError) as error:
        consort_counts(data, wrong)
    assert error.value.field == "consort.randomized"


def test_never_treated_patients_are_counted_with_their_reason(inputs) -> None:  # type: ignore[no-untyped-def]
    data, extras = inputs
    first = data.patients[0]
    data2 = replace(data, patients=(replace(first, first_dose_on=None), *data.patients[1:]))
    courses = tuple(
        replace(
            c,
            started_on=None,
            ended_on=None,
            end_reason="Withdrew consent",
            status_at_cutoff="withdrew consent",
        )
        if c.patient_id == first.patient_id
        else c
        for c in extras.courses
    )
    counts = consort_counts(data2, replace(extras, courses=courses))
    flow = next(a for a in counts.arms if a.arm == first.arm)
    assert flow.not_received == {"Withdrew consent": 1}
    assert flow.received == flow.allocated - 1


def test_extras_from_another_cut_off_are_refused(inputs) -> None:  # type: ignore[no-untyped-def]
    data, extras = inputs
    with pytest.raises(DomainError) as error:
        report_numbers(data, replace(extras, data_cutoff=date(2025, 1, 1)))
    assert error.value.field == "extras.data_cutoff"


def test_extras_missing_a_patient_are_refused(inputs) -> None:  # type: ignore[no-untyped-def]
    data, extras = inputs
    with pytest.raises(DomainError) as error:
        check_report_inputs(data, replace(extras, baseline=extras.baseline[1:]))
    assert error.value.field == "extras.baseline"
    assert data.patients[0].patient_id in error.value.expected


def test_an_unknown_course_status_is_refused(inputs) -> None:  # type: ignore[no-untyped-def]
    data, extras = inputs
    bad = (replace(extras.courses[0], status_at_cutoff="resting"), *extras.courses[1:])
    with pytest.raises(DomainError) as error:
        check_report_inputs(data, replace(extras, courses=bad))
    assert error.value.field == "extras.courses[0].status_at_cutoff"


def test_the_follow_up_box_shows_patients_still_on_treatment_and_checks_them() -> None:
    from matplotlib.text import Text

    from oncotrial.analysis.plotting import ArmFlow, ConsortCounts, plot_consort

    flows = [ArmFlow("A", allocated=10, analysed=10, received=10, discontinued={"Disease progression": 6},
                     ongoing=4),
             ArmFlow("B", allocated=10, analysed=10, received=9, not_received={"Withdrew consent": 1},
                     discontinued={"Disease progression": 7}, ongoing=2)]
    fig = plot_consort(ConsortCounts(25, {"Declined to participate": 5}, 20, flows))
    box = next(t for t in fig.findobj(Text) if t.get_gid() == "consort-followup-A")
    assert "On treatment at data cut-off (n = 4)" in box.get_text()
    wrong = [flows[0], replace(flows[1], ongoing=3)]
    with pytest.raises(DomainError) as error:
        ConsortCounts(25, {"Declined to participate": 5}, 20, wrong).check()
    assert error.value.field == "consort.arms['B'].ongoing"
