"""Visits and the treatment calendar of randomized subjects (core :mod:`oncotrial.core.calendar`).

* :func:`do_start_treatment` stores the subject's course (arm, randomization date, first
  dose) and the planned visits of its arm: cycle-day visits ``C{cycle}D{day}`` (protocol
  assessments anchored to cycle days: pre-cycle labs on days 1 and 8, tumour markers on
  day 1) and imaging visits ``IMG{k}`` every 42 days from randomization;
* only a bounded horizon is planned ahead (:data:`HORIZON_CYCLES` cycles after the last
  cycle started), extended each time a day 1 is recorded, so 10,000 subjects stay cheap;
* :func:`do_record_visit` records the actual date; a day 1 later than planned is a
  :class:`~oncotrial.core.calendar.CycleDelay` and shifts every later cycle visit
  (cycle-relative scheduling), while imaging stays anchored to randomization;
* :func:`do_add_unscheduled_visit` adds an unscheduled, end-of-treatment or follow-up
  visit; :func:`do_end_treatment` stops planning cycles;
* :func:`upcoming_and_overdue_visits` lists, for the dashboard, the visits not done whose
  target is near or whose window has closed (core visit status), within the user's sites.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from oncotrial.core.calendar import Calendar, CycleDelay, VisitAnchor, VisitStatus, build_calendar
from oncotrial.core.errors import DomainError
from oncotrial.core.protocol.model import Protocol
from oncotrial.persistence.models import Allocation, Role, Subject, TreatmentCourse, User, Visit, VisitKind
from oncotrial.services import clock
from oncotrial.services.actors import permitted
from oncotrial.services.audit import AuditContext, record
from oncotrial.services.permissions import STUDY_WIDE_ROLES, Action, check_permission
from oncotrial.services.protocol import current_protocol

HORIZON_CYCLES: Final = 3
"""Cycles planned ahead, counting the one just started."""
PLANNED_KINDS: Final = (VisitKind.CYCLE, VisitKind.ASSESSMENT)
_SYNCED: Final = ("id", "code", "actual_date", "planned_date", "window_earliest", "window_latest")
"""The fields :func:`_sync` reads and writes of the stored visits."""


@dataclass(frozen=True, slots=True)
class PlannedVisit:
    code: str
    kind: VisitKind
    cycle: int | None
    day: int | None
    planned: date
    earliest: date
    latest: date
    assessments: tuple[str, ...]


def _date(value: object, field: str) -> date:
    if not isinstance(value, date):
        raise DomainError(field, value, "a date")
    if value > clock.today():
        raise DomainError(field, value.isoformat(), f"a date not after today ({clock.today().isoformat()})")
    return value


def _cycle_days(course: TreatmentCourse) -> int:
    return current_protocol().arm(course.arm).cycle_length_days


_CALENDARS: OrderedDict[tuple[object, ...], tuple[Protocol, Calendar]] = OrderedDict()
CALENDARS_KEPT: Final = 256
"""At most this many calendars are kept, least recently used first out. A long course's
calendar holds thousands of scheduled doses (lenvatinib is daily), about 1 MB: an unbounded
or large cache grew a 10,000-patient build's worker processes past 8 GB."""


def calendar_of(course: TreatmentCourse) -> Calendar:
    """The core calendar of a course up to its horizon, with the recorded delays.

    ``build_calendar`` is a pure function of these inputs and a :class:`Calendar` is
    immutable, so recently built calendars are reused for the same inputs (a day 1 first
    reads the calendar the previous day 1 stored), for the same protocol object only.
    """
    protocol = current_protocol()
    delays = tuple(sorted((int(c), int(d)) for c, d in course.delays.items()))
    key = (course.arm, course.randomization_date, course.horizon, course.start_date, delays)
    kept = _CALENDARS.get(key)
    if kept is not None and kept[0] is protocol:
        _CALENDARS.move_to_end(key)
        return kept[1]
    calendar = build_calendar(
        protocol,
        course.arm,
        randomization=course.randomization_date,
        until=course.horizon,
        first_dose=course.start_date,
        delays=[CycleDelay(c, d, "recorded at day 1") for c, d in delays],
    )
    _CALENDARS[key] = (protocol, calendar)
    while len(_CALENDARS) > CALENDARS_KEPT:
        _CALENDARS.popitem(last=False)
    return calendar


def planned_visits(course: TreatmentCourse) -> list[PlannedVisit]:
    """Core calendar visits grouped per cycle day (``C2D8``) and imaging time point (``IMG3``)."""
    grouped: dict[str, PlannedVisit] = {}
    for v in calendar_of(course).visits:
        if v.anchor is VisitAnchor.CYCLE_DAY:
            if course.ended_on is not None and v.target > course.ended_on:
                continue
            code, kind = f"C{v.cycle}D{v.day}", VisitKind.CYCLE
        else:
            code, kind = f"IMG{v.number}", VisitKind.ASSESSMENT
        found = grouped.get(code)
        if found is None:
            grouped[code] = PlannedVisit(
                code, kind, v.cycle, v.day, v.target, v.earliest, v.latest, (v.code,)
            )
        else:
            grouped[code] = PlannedVisit(
                code,
                kind,
                v.cycle,
                v.day,
                v.target,
                min(found.earliest, v.earliest),
                max(found.latest, v.latest),
                (*found.assessments, v.code),
            )
    return sorted(grouped.values(), key=lambda p: (p.planned, p.code))


def _sync(course: TreatmentCourse) -> tuple[int, int]:
    """Bring the stored planned visits in line with the calendar; returns (created, moved)."""
    wanted = {p.code: p for p in planned_visits(course)}
    rows = (
        Visit.objects.filter(subject_id=course.subject_id, kind__in=PLANNED_KINDS).order_by().only(*_SYNCED)
    )
    stored = {v.code: v for v in rows}
    new, moved = [], []
    for code, p in wanted.items():
        v = stored.get(code)
        if v is None:
            new.append(
                Visit(
                    subject_id=course.subject_id,
                    code=code,
                    kind=p.kind,
                    cycle=p.cycle,
                    day=p.day,
                    planned_date=p.planned,
                    window_earliest=p.earliest,
                    window_latest=p.latest,
                    assessments=list(p.assessments),
                )
            )
        elif v.actual_date is None and (v.planned_date, v.window_earliest, v.window_latest) != (
            p.planned,
            p.earliest,
            p.latest,
        ):
            v.planned_date, v.window_earliest, v.window_latest = p.planned, p.earliest, p.latest
            moved.append(v)
    Visit.objects.bulk_create(new)
    Visit.objects.bulk_update(moved, ["planned_date", "window_earliest", "window_latest"])
    stale = [v.pk for code, v in stored.items() if code not in wanted and v.actual_date is None]
    if stale:
        Visit.objects.filter(pk__in=stale, records__isnull=True).delete()
    return len(new), len(moved)


def do_start_treatment(ctx: AuditContext, subject: Subject, *, start_date: date) -> TreatmentCourse:
    """Store the course of a randomized subject and plan its first :data:`HORIZON_CYCLES` cycles."""
    user = permitted(ctx, Action.ENTER_DATA, subject.site)
    start = _date(start_date, "start_date")
    with transaction.atomic():
        Subject.objects.select_for_update().filter(pk=subject.pk).first()
        allocation = Allocation.objects.select_related("slot").filter(subject=subject).first()
        if allocation is None:
            raise DomainError("subject", subject.subject_id, "a randomized subject")
        if TreatmentCourse.objects.filter(subject=subject).exists():
            raise DomainError("subject", subject.subject_id, "a subject whose treatment has not started yet")
        randomized = timezone.localtime(allocation.allocated_at).date()
        if start < randomized:
            raise DomainError(
                "start_date",
                start.isoformat(),
                f"a date on or after randomization ({randomized.isoformat()})",
            )
        arm = allocation.slot.arm
        length = current_protocol().arm(arm).cycle_length_days
        course = TreatmentCourse.objects.create(
            subject=subject,
            arm=arm,
            randomization_date=randomized,
            start_date=start,
            delays={},
            horizon=start + timedelta(days=HORIZON_CYCLES * length - 1),
            started_by=user,
            created_at=clock.now(),
        )
        created, _ = _sync(course)
        record(
            ctx,
            "start_treatment",
            "treatment_course",
            course.pk,
            subject_id=subject.subject_id,
            changes={"start_date": (None, start), "planned_visits": (None, created)},
        )
    return course


def _course(subject: Subject) -> TreatmentCourse:
    course = TreatmentCourse.objects.select_for_update().filter(subject=subject).first()
    if course is None:
        raise DomainError(
            "subject", subject.subject_id, "a subject whose treatment has started (do_start_treatment)"
        )
    return course


def _apply_day_one(course: TreatmentCourse, cycle: int, on: date) -> dict[str, tuple[object, object]]:
    """Record day 1 of ``cycle`` on ``on``: first dose, or the delay of a later cycle; extend the horizon."""
    changes: dict[str, tuple[object, object]] = {}
    if cycle == 1:
        if on != course.start_date:
            changes["start_date"] = (course.start_date, on)
            course.start_date = on
    else:
        others = {k: v for k, v in course.delays.items() if int(k) != cycle}
        probe = TreatmentCourse(
            subject_id=course.subject_id,
            arm=course.arm,
            randomization_date=course.randomization_date,
            start_date=course.start_date,
            delays=others,
            horizon=max(course.horizon, on),
        )
        planned = next((c.planned_start for c in calendar_of(probe).cycles if c.number == cycle), None)
        delay = 0 if planned is None else max(0, (on - planned).days)
        old = int(course.delays.get(str(cycle), 0))
        if delay != old:
            changes[f"delay_cycle_{cycle}"] = (old, delay)
        course.delays = {**others, **({str(cycle): delay} if delay else {})}
    horizon = on + timedelta(days=HORIZON_CYCLES * _cycle_days(course) - 1)
    if horizon > course.horizon:
        course.horizon = horizon
    course.save(update_fields=["start_date", "delays", "horizon"])
    return changes


def do_record_visit(ctx: AuditContext, visit: Visit, *, visit_date: date) -> Visit:
    """Record the date a visit took place (a change of a recorded date needs ``ctx.reason``).

    Day 1 of a cycle recorded later than planned delays that cycle: every later cycle
    visit moves (core ``CycleDelay``); the planning horizon is extended.
    """
    subject = visit.subject
    permitted(ctx, Action.ENTER_DATA, subject.site)
    on = _date(visit_date, "visit_date")
    with transaction.atomic():
        row = Visit.objects.select_for_update().get(pk=visit.pk)
        if row.subject_id == subject.pk:
            row.subject = subject  # the row already in hand: no second read of it
        if row.actual_date is not None and row.actual_date != on and not ctx.reason.strip():
            raise DomainError("reason", ctx.reason, "a reason for changing a recorded visit date")
        changes: dict[str, tuple[object, object]] = {"actual_date": (row.actual_date, on)}
        if row.kind == VisitKind.CYCLE:
            course = _course(subject)
            if on < course.randomization_date:
                raise DomainError(
                    "visit_date",
                    on.isoformat(),
                    f"a date on or after randomization ({course.randomization_date.isoformat()})",
                )
            row.actual_date = on
            row.save(update_fields=["actual_date"])
            if row.day == 1 and row.cycle is not None:
                changes.update(_apply_day_one(course, row.cycle, on))
                _sync(course)
        else:
            row.actual_date = on
            row.save(update_fields=["actual_date"])
        record(ctx, "record_visit", "visit", row.pk, subject_id=subject.subject_id, changes=changes)
    return row  # read under the lock; only actual_date changed (planning moves visits not done)


_PREFIX: Final = {VisitKind.UNSCHEDULED: "U", VisitKind.FOLLOW_UP: "FU"}


def do_add_unscheduled_visit(
    ctx: AuditContext, subject: Subject, *, visit_date: date, reason: str, kind: str = VisitKind.UNSCHEDULED
) -> Visit:
    """Add a visit outside the calendar.

    ``kind`` is ``unscheduled`` (codes ``U1``, ``U2``…), ``follow_up`` (``FU1``…) or ``eot`` (``EOT``).
    """
    permitted(ctx, Action.ENTER_DATA, subject.site)
    on = _date(visit_date, "visit_date")
    if not isinstance(reason, str) or not reason.strip():
        raise DomainError("reason", reason, "the reason for the visit")
    try:
        chosen = VisitKind(kind)
    except ValueError:
        chosen = None
    if chosen not in (VisitKind.UNSCHEDULED, VisitKind.FOLLOW_UP, VisitKind.EOT):
        raise DomainError("kind", kind, "one of unscheduled, follow_up, eot")
    assert chosen is not None
    with transaction.atomic():
        Subject.objects.select_for_update().filter(pk=subject.pk).first()
        if chosen is VisitKind.EOT:
            if Visit.objects.filter(subject=subject, code="EOT").exists():
                raise DomainError("kind", kind, "one end-of-treatment visit per subject")
            code = "EOT"
        else:
            code = f"{_PREFIX[chosen]}{Visit.objects.filter(subject=subject, kind=chosen).count() + 1}"
        visit = Visit.objects.create(
            subject=subject,
            code=code,
            kind=chosen,
            planned_date=on,
            actual_date=on,
            window_earliest=on,
            window_latest=on,
            reason=reason.strip(),
        )
        record(
            ctx,
            "add_visit",
            "visit",
            visit.pk,
            subject_id=subject.subject_id,
            changes={"code": (None, code), "actual_date": (None, on)},
            reason=reason.strip(),
        )
    return visit


def do_end_treatment(ctx: AuditContext, subject: Subject, *, eot_date: date, reason: str) -> Visit:
    """Stop planning cycles after ``eot_date`` (planned cycle visits after it, without data, are removed)
    and add the ``EOT`` visit."""
    permitted(ctx, Action.ENTER_DATA, subject.site)
    on = _date(eot_date, "eot_date")
    with transaction.atomic():
        course = _course(subject)
        if course.ended_on is not None:
            raise DomainError("subject", subject.subject_id, "a subject whose treatment has not ended")
        course.ended_on = on
        course.save(update_fields=["ended_on"])
        _sync(course)
        record(
            ctx,
            "end_treatment",
            "treatment_course",
            course.pk,
            subject_id=subject.subject_id,
            changes={"ended_on": (None, on)},
            reason=reason,
        )
        return do_add_unscheduled_visit(ctx, subject, visit_date=on, reason=reason, kind=VisitKind.EOT)


def visits_of(subject: Subject) -> list[Visit]:
    """The subject's visits by planned date."""
    return list(Visit.objects.filter(subject=subject).order_by("planned_date", "code"))


@dataclass(frozen=True, slots=True)
class DueVisit:
    """A visit not done yet, with its core status on the day asked (upcoming, due, overdue)."""

    visit: Visit
    subject_id: str
    status: VisitStatus


def visit_status(visit: Visit, on: date) -> VisitStatus:
    """Core's rule (``oncotrial.core.calendar.Visit.status``): overdue after the window, due inside it."""
    if visit.actual_date is not None:
        return VisitStatus.DONE
    if visit.window_latest is not None and on > visit.window_latest:
        return VisitStatus.OVERDUE
    if visit.window_earliest is not None and on >= visit.window_earliest:
        return VisitStatus.DUE
    return VisitStatus.UPCOMING


def _not_done_by(user: User, on: date, days_ahead: int) -> QuerySet[Visit]:
    check_permission(user, Action.VIEW_DATA)
    rows = Visit.objects.select_related("subject").filter(
        actual_date__isnull=True,
        planned_date__isnull=False,
        planned_date__lte=on + timedelta(days=days_ahead),
    )
    if Role(user.role) not in STUDY_WIDE_ROLES:
        rows = rows.filter(subject__site__in=user.sites.all())
    return rows.order_by("planned_date", "code")


def upcoming_and_overdue_visits(user: User, on: date, *, days_ahead: int = 7) -> list[DueVisit]:
    """Visits not done whose planned date is at most ``days_ahead`` after ``on`` (overdue ones included)."""
    rows = _not_done_by(user, on, days_ahead)
    return [DueVisit(v, v.subject.subject_id, visit_status(v, on)) for v in rows]


@dataclass(frozen=True, slots=True)
class DueVisitLists:
    """The first ``limit`` overdue and not-yet-overdue visits, and how many there are of each."""

    overdue: list[DueVisit]
    overdue_count: int
    upcoming: list[DueVisit]
    upcoming_count: int


def due_visit_lists(user: User, on: date, *, days_ahead: int = 7, limit: int = 20) -> DueVisitLists:
    """:func:`upcoming_and_overdue_visits` split as :func:`visit_status` splits it, limited in the database.

    Overdue means ``on`` is after the window's last day (core ``Visit.status``); the rest
    (due or upcoming, a visit without a window included) are "upcoming". Only ``limit``
    rows of each are read, so a large trial's dashboard reads a page, not every visit.
    """
    rows = _not_done_by(user, on, days_ahead)
    overdue_rows = rows.filter(window_latest__lt=on)
    upcoming_rows = rows.filter(Q(window_latest__isnull=True) | Q(window_latest__gte=on))

    def items(found: QuerySet[Visit]) -> list[DueVisit]:
        return [DueVisit(v, v.subject.subject_id, visit_status(v, on)) for v in found[:limit]]

    return DueVisitLists(
        items(overdue_rows), overdue_rows.count(), items(upcoming_rows), upcoming_rows.count()
    )
