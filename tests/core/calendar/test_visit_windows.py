"""Visits and windows: imaging anchored to randomization, cycle visits follow the cycles.

Protocol file defaults [ASSUMP there]: imaging every 42 days ± 7 from randomization;
pre-cycle labs on days 1 and 8 within 3 days before; tumour markers on day 1.
"""

from __future__ import annotations

from datetime import date

import pytest

from oncotrial.core.calendar import CycleDelay, VisitStatus, build_calendar, overdue_visits, visit_statuses
from oncotrial.core.errors import DomainError
from support.dose_inputs import protocol

RAND = date(2024, 3, 1)


def _calendar(**kwargs):
    return build_calendar(protocol(), "HAIC", randomization=RAND, first_dose=date(2024, 3, 4),
                          until=kwargs.pop("until", date(2024, 8, 31)), **kwargs)


def test_imaging_every_42_days_from_randomization_with_a_7_day_window():
    cal = _calendar()
    imaging = [v for v in cal.visits if v.code == "IMAGING"]
    # 1 March + 42 = 12 April; + 84 = 24 May; + 126 = 5 July; + 168 = 16 August
    assert [v.target for v in imaging] == [date(2024, 4, 12), date(2024, 5, 24), date(2024, 7, 5),
                                           date(2024, 8, 16)]
    assert (imaging[0].earliest, imaging[0].latest) == (date(2024, 4, 5), date(2024, 4, 19))


def test_imaging_stays_anchored_to_randomization_when_a_cycle_is_delayed():
    plain = _calendar()
    delayed = _calendar(delays=[CycleDelay(2, 10, "neutropenia")])
    def targets(cal, code):
        return [v.target for v in cal.visits if v.code == code]
    assert targets(plain, "IMAGING") == targets(delayed, "IMAGING")
    assert delayed.visit("PRE_CYCLE_LABS@C3D1").target == date(2024, 4, 25)  # 4 Mar + 21 + 10 + 21
    assert plain.visit("PRE_CYCLE_LABS@C3D1").target == date(2024, 4, 15)


def test_cycle_visits_have_the_pre_treatment_lab_window():
    visit = _calendar().visit("PRE_CYCLE_LABS@C2D8")
    assert visit.target == date(2024, 4, 1)  # cycle 2 day 1 = 25 March; day 8 = 1 April
    assert (visit.earliest, visit.latest) == (date(2024, 3, 29), date(2024, 4, 1))
    assert _calendar().visit("TUMOR_MARKERS@C2D1").target == date(2024, 3, 25)


def test_day_8_lab_visits_stop_with_chemotherapy():
    cal = _calendar(max_chemotherapy_cycles=2)
    keys = {v.key for v in cal.visits}
    assert "PRE_CYCLE_LABS@C2D8" in keys and "PRE_CYCLE_LABS@C3D8" not in keys
    assert "PRE_CYCLE_LABS@C3D1" in keys  # toripalimab still given on day 1


@pytest.mark.parametrize(("on", "status"), [
    (date(2024, 4, 4), VisitStatus.UPCOMING), (date(2024, 4, 5), VisitStatus.DUE),
    (date(2024, 4, 19), VisitStatus.DUE), (date(2024, 4, 20), VisitStatus.OVERDUE),
])
def test_visit_status_at_the_window_edges(on: date, status: VisitStatus):
    assert _calendar().visit("IMAGING#1").status(on) is status


def test_overdue_visits_on_a_date():
    cal = _calendar(until=date(2024, 4, 30))
    overdue = overdue_visits(cal, date(2024, 4, 20), done={"PRE_CYCLE_LABS@C1D1", "TUMOR_MARKERS@C1D1"})
    keys = [v.key for v in overdue]
    assert "IMAGING#1" in keys and "PRE_CYCLE_LABS@C1D8" in keys
    assert "PRE_CYCLE_LABS@C3D1" in keys  # 15 April, window 12–15 April
    assert "PRE_CYCLE_LABS@C1D1" not in keys  # done
    assert "PRE_CYCLE_LABS@C3D8" not in keys  # 22 April, window 19–22 April: due, not overdue
    done = {v.key: s for v, s in visit_statuses(cal, date(2024, 4, 20), {"IMAGING#1"})}
    assert done["IMAGING#1"] is VisitStatus.DONE


def test_a_status_date_before_randomization_is_refused():
    with pytest.raises(DomainError) as err:
        overdue_visits(_calendar(), date(2024, 2, 1))
    assert err.value.field == "on"


def test_an_unknown_completed_visit_is_refused():
    with pytest.raises(DomainError) as err:
        overdue_visits(_calendar(), date(2024, 4, 1), done={"IMAGING#99"})
    assert err.value.field == "done"
