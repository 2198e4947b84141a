"""Planned visits from the protocol calendar, cycle delays, the bounded horizon and overdue visits."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from oncotrial.core.calendar import VisitStatus
from oncotrial.core.errors import DomainError
from oncotrial.persistence.models import AuditEvent, Visit
from oncotrial.services.audit import AuditContext
from oncotrial.services.errors import PermissionDenied
from oncotrial.services.protocol import current_protocol
from oncotrial.services.visits import (
    HORIZON_CYCLES,
    do_add_unscheduled_visit,
    do_end_treatment,
    do_record_visit,
    do_start_treatment,
    due_visit_lists,
    upcoming_and_overdue_visits,
)
from support import django_db
from support.clinical import START, arm_of, randomized

pytestmark = pytest.mark.django_db
role_users = django_db.role_users


def _started(users: dict[str, Any], patient_id: str, **kwargs: Any) -> Any:
    subject = randomized(users["coordinator"], patient_id, **kwargs)
    do_start_treatment(AuditContext(users["coordinator"]), subject, start_date=START)
    return subject


def _visits(subject: Any) -> dict[str, Visit]:
    return {v.code: v for v in Visit.objects.filter(subject=subject)}


def test_each_arm_gets_its_cycle_day_and_imaging_visits(
    role_users: dict[str, Any], production_list: Any
) -> None:
    """Protocol: 21-day cycles, gemcitabine days 1 and 8 (labs within 3 days before); imaging every 42 days
    from randomization ± 7 days."""
    arms = {}
    for i in range(6):
        subject = _started(role_users, f"V-{i}", metastasis=("yes", "no")[i % 2], ecog=i % 2)
        arms.setdefault(arm_of(subject), subject)
    assert set(arms) == {a.code for a in current_protocol().arms}
    for subject in arms.values():
        visits = _visits(subject)
        cycles = sorted(code for code, v in visits.items() if v.kind == "cycle")
        assert cycles == sorted(f"C{c}D{d}" for c in range(1, HORIZON_CYCLES + 1) for d in (1, 8))
        c1d1, c2d1, c1d8 = visits["C1D1"], visits["C2D1"], visits["C1D8"]
        assert (c1d1.planned_date, c1d8.planned_date, c2d1.planned_date) == (
            START,
            START + timedelta(days=7),
            START + timedelta(days=21),
        )
        assert (c1d1.window_earliest, c1d1.window_latest) == (START - timedelta(days=3), START)
        assert set(c1d1.assessments) == {"PRE_CYCLE_LABS", "TUMOR_MARKERS"}
        img1 = visits["IMG1"]
        assert img1.planned_date == date(2024, 3, 6) + timedelta(days=42)
        assert (img1.window_earliest, img1.window_latest) == (date(2024, 4, 10), date(2024, 4, 24))


def test_a_delayed_day_1_shifts_later_cycles_but_not_imaging(
    role_users: dict[str, Any], production_list: Any
) -> None:
    subject = _started(role_users, "D-1")
    ctx = AuditContext(role_users["coordinator"])
    do_record_visit(ctx, _visits(subject)["C1D1"], visit_date=START)
    do_record_visit(
        ctx, _visits(subject)["C2D1"], visit_date=date(2024, 4, 4)
    )  # planned 2024-03-28: 7 days late
    visits = _visits(subject)
    assert visits["C2D8"].planned_date == date(2024, 4, 11)
    assert visits["C3D1"].planned_date == date(2024, 4, 25)
    assert visits["C4D1"].planned_date == date(2024, 5, 16)  # horizon extended as the cycle was given
    assert "C5D1" not in visits
    assert visits["IMG1"].planned_date == date(2024, 4, 17)
    delay = AuditEvent.objects.get(action="record_visit", field="delay_cycle_2")
    assert (delay.old, delay.new) == (0, 7)


def test_overdue_due_and_upcoming_visits_are_listed_for_the_users_sites(
    role_users: dict[str, Any], production_list: Any
) -> None:
    subject = _started(role_users, "O-1")
    ctx = AuditContext(role_users["coordinator"])
    for code, day in (("C1D1", START), ("C1D8", date(2024, 3, 14)), ("C2D1", date(2024, 4, 4))):
        do_record_visit(ctx, _visits(subject)[code], visit_date=day)
    listed = {
        d.visit.code: d.status
        for d in upcoming_and_overdue_visits(role_users["coordinator"], date(2024, 4, 20))
    }
    assert listed == {"C2D8": VisitStatus.OVERDUE, "IMG1": VisitStatus.DUE, "C3D1": VisitStatus.UPCOMING}
    assert upcoming_and_overdue_visits(role_users["other_site_coordinator"], date(2024, 4, 20)) == []
    assert len(upcoming_and_overdue_visits(role_users["data_manager"], date(2024, 4, 20))) == 3


def _keys(due: list[Any]) -> list[tuple[int, VisitStatus]]:
    return [(d.visit.pk, d.status) for d in due]


def test_the_dashboard_lists_limited_in_the_database_equal_the_full_list_split_by_status(
    role_users: dict[str, Any], production_list: Any
) -> None:
    subject = _started(role_users, "L-1")
    ctx = AuditContext(role_users["coordinator"])
    do_record_visit(ctx, _visits(subject)["C1D1"], visit_date=START)
    user, on = role_users["coordinator"], START + timedelta(days=33)
    everything = upcoming_and_overdue_visits(user, on, days_ahead=14)
    overdue = [d for d in everything if d.status is VisitStatus.OVERDUE]
    rest = [d for d in everything if d.status is not VisitStatus.OVERDUE]
    assert len(overdue) >= 2 and len(rest) >= 2  # the split has something to limit on both sides

    for limit in (1, 2, 100):
        lists = due_visit_lists(user, on, days_ahead=14, limit=limit)
        assert _keys(lists.overdue) == _keys(overdue[:limit])
        assert _keys(lists.upcoming) == _keys(rest[:limit])
        assert (lists.overdue_count, lists.upcoming_count) == (len(overdue), len(rest))
    assert due_visit_lists(role_users["other_site_coordinator"], on).overdue_count == 0


def test_unscheduled_and_end_of_treatment_visits(role_users: dict[str, Any], production_list: Any) -> None:
    subject = _started(role_users, "U-1")
    ctx = AuditContext(role_users["coordinator"])
    unscheduled = do_add_unscheduled_visit(ctx, subject, visit_date=date(2024, 3, 20), reason="fever")
    assert (unscheduled.code, unscheduled.kind, unscheduled.actual_date) == (
        "U1",
        "unscheduled",
        date(2024, 3, 20),
    )
    eot = do_end_treatment(ctx, subject, eot_date=date(2024, 3, 25), reason="progression")
    assert eot.code == "EOT"
    planned_cycles = [v.code for v in _visits(subject).values() if v.kind == "cycle"]
    assert planned_cycles == ["C1D1", "C1D8"]  # cycle visits after the end of treatment are gone


def test_treatment_starts_once_after_randomization(role_users: dict[str, Any], production_list: Any) -> None:
    from support.subjects import enrolled

    ctx = AuditContext(role_users["coordinator"])
    with pytest.raises(DomainError):
        do_start_treatment(ctx, enrolled(role_users["coordinator"], "N-1"), start_date=START)
    subject = _started(role_users, "N-2")
    with pytest.raises(DomainError):
        do_start_treatment(ctx, subject, start_date=START)
    with pytest.raises(PermissionDenied):
        do_record_visit(
            AuditContext(role_users["other_site_coordinator"]), _visits(subject)["C1D1"], visit_date=START
        )


def test_dates_are_judged_against_the_services_clock(
    role_users: dict[str, Any], production_list: Any
) -> None:
    from datetime import datetime

    from oncotrial.services.clock import simulated_clock

    subject = _started(role_users, "K-1")
    ctx = AuditContext(role_users["coordinator"])
    c1d1 = _visits(subject)["C1D1"]
    with simulated_clock(datetime(2024, 3, 7, 10)):
        with pytest.raises(DomainError) as err:
            do_record_visit(ctx, c1d1, visit_date=date(2024, 3, 8))
        assert err.value.field == "visit_date"
        assert do_record_visit(ctx, c1d1, visit_date=date(2024, 3, 7)).actual_date == date(2024, 3, 7)
