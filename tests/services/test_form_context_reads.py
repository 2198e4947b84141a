"""The read shortcuts of the services return exactly what the plain reads return."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from oncotrial.core.calendar import build_calendar
from oncotrial.persistence.models import TreatmentCourse
from oncotrial.services.audit import AuditContext
from oncotrial.services.crf import do_save_form
from oncotrial.services.forms.context import FormContext
from oncotrial.services.protocol import current_protocol
from oncotrial.services.visits import _CALENDARS, CALENDARS_KEPT, calendar_of
from support import django_db
from support.clinical import START, example

pytestmark = pytest.mark.django_db
role_users = django_db.role_users
treated = django_db.treated


def test_one_preload_query_splits_rows_exactly_as_separate_record_reads(
    treated: Any, role_users: dict[str, Any]
) -> None:
    ctx = AuditContext(role_users["coordinator"])
    for offset in (7, 14, 21):
        day = (START + timedelta(days=offset)).isoformat()
        do_save_form(ctx, treated, "labs", example("labs", collection_date=day))
        do_save_form(ctx, treated, "conmed", example("conmed", start_date=day))
    windows: dict[str, tuple[date | None, date | None]] = {
        "labs": (START + timedelta(days=10), START + timedelta(days=21)),
        "conmed": (None, START + timedelta(days=14)),
        "vitals": (None, None),
    }
    preloaded = FormContext(treated, "exposure", today=date(2024, 9, 1))
    preloaded.preload(windows)
    plain = FormContext(treated, "exposure", today=date(2024, 9, 1))
    for code, (since, until) in windows.items():
        got = [r.pk for r in preloaded.records(code, since=since, until=until)]
        expected = [r.pk for r in plain.records(code, since=since, until=until)]
        assert got == expected, code
    assert len(plain.records("labs", since=windows["labs"][0], until=windows["labs"][1])) == 2


def test_a_reused_calendar_equals_a_freshly_built_one(treated: Any) -> None:
    course = TreatmentCourse.objects.get(subject=treated)
    first, again = calendar_of(course), calendar_of(course)
    fresh = build_calendar(
        current_protocol(),
        course.arm,
        randomization=course.randomization_date,
        until=course.horizon,
        first_dose=course.start_date,
        delays=[],
    )
    assert first is again
    assert first == fresh


def test_the_calendar_cache_keeps_only_the_most_recently_used_calendars(treated: Any) -> None:
    course = TreatmentCourse.objects.get(subject=treated)
    kept = calendar_of(course)
    for shift in range(1, CALENDARS_KEPT + 20):
        other = TreatmentCourse(
            arm=course.arm,
            randomization_date=course.randomization_date - timedelta(days=shift),
            start_date=course.start_date - timedelta(days=shift),
            horizon=course.start_date + timedelta(days=21),
            delays={},
        )
        calendar_of(other)
        if shift % 50 == 0:
            assert calendar_of(course) is kept  # used recently: still kept
    assert len(_CALENDARS) == CALENDARS_KEPT
    calendar_of(course)
    for shift in range(1, CALENDARS_KEPT + 1):
        calendar_of(
            TreatmentCourse(
                arm=course.arm,
                randomization_date=course.randomization_date + timedelta(days=shift),
                start_date=course.start_date + timedelta(days=shift),
                horizon=course.start_date + timedelta(days=shift + 21),
                delays={},
            )
        )
    assert calendar_of(course) is not kept and calendar_of(course) == kept  # pushed out, rebuilt equal
