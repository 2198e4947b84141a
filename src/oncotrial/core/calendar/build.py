"""Generate a patient's treatment calendar from the protocol arm.

Rules (issue 3 §1; registry record NCT07304388; protocol file ``nct07304388.yaml``):

* cycles last ``cycle_length_days`` (21): day 1 oxaliplatin (HAIC over 3 h in the
  experimental arm, IV in the control arm), gemcitabine and toripalimab; day 8
  gemcitabine; lenvatinib once daily, continuously, through delays too;
* cycle 1 starts on the first dose date (default: the randomization date); cycle *n*
  is planned 21 days after the **actual** day 1 of cycle *n − 1* and starts ``delay``
  days later, so a delay shifts every later cycle (cycle-relative scheduling);
* chemotherapy (oxaliplatin, gemcitabine) is given for at most
  ``max_chemotherapy_cycles`` cycles, a protocol parameter whose default is open-ended
  (``null`` in the protocol file); cycles go on for toripalimab and lenvatinib;
* an open-ended calendar is generated up to the ``until`` horizon (inclusive);
* omissions and interruptions turn planned doses into explicit **skipped** doses;
* visits: assessments anchored to randomization recur every ``interval_days`` from the
  randomization date (imaging, not moved by delays); assessments anchored to cycle
  days follow the cycles, on cycle days where a cycle-day drug has a dose entry; each
  visit has the protocol window [target − minus, target + plus].
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from enum import Enum

from oncotrial.core.calendar.model import (
    Calendar,
    Cycle,
    CycleDelay,
    DoseStatus,
    Interruption,
    Omission,
    ScheduledDose,
    Visit,
    VisitAnchor,
    VisitStatus,
)
from oncotrial.core.dosing.drugs import parse_drug
from oncotrial.core.errors import DomainError
from oncotrial.core.protocol.model import Arm, Assessment, DrugRegimen, Protocol, ScheduleType


class _Default(Enum):
    PROTOCOL = "protocol"


PROTOCOL_DEFAULT = _Default.PROTOCOL
"""Read ``max_chemotherapy_cycles`` from the protocol's assumptions."""


def protocol_chemotherapy_limit(protocol: Protocol) -> int | None:
    """The protocol's ``max_chemotherapy_cycles`` (``None``: open-ended, the documented default)."""
    try:
        value = protocol.assumption("max_chemotherapy_cycles")
    except KeyError:
        return None
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise DomainError("assumptions.max_chemotherapy_cycles", value, "a number of cycles ≥ 1, or null")
    return value


def _date(value: object, field: str) -> date:
    if not isinstance(value, date):
        raise DomainError(field, value, "a date")
    return value


def _not_before(value: date, randomization: date, field: str) -> None:
    if value < randomization:
        raise DomainError(field, value.isoformat(),
                          f"a date on or after randomization ({randomization.isoformat()})")


def _arm(protocol: Protocol, code: str) -> Arm:
    try:
        return protocol.arm(code)
    except KeyError:
        raise DomainError("arm", code, "one of " + ", ".join(a.code for a in protocol.arms)) from None


def _regimen(arm: Arm, drug: object, field: str) -> DrugRegimen:
    name = parse_drug(drug, field=field).value
    found = arm.drug(name)
    if found is None:
        raise DomainError(field, drug, f"a drug of arm {arm.code}: "
                          + ", ".join(r.drug for r in arm.regimen))
    return found


def _delays(delays: Iterable[CycleDelay]) -> dict[int, CycleDelay]:
    found: dict[int, CycleDelay] = {}
    for i, d in enumerate(delays):
        if isinstance(d.cycle, bool) or not isinstance(d.cycle, int) or d.cycle < 2:
            raise DomainError(f"delays[{i}].cycle", d.cycle, "a cycle ≥ 2",
                              "cycle 1 starts on the first dose date; set first_dose instead.")
        if isinstance(d.days, bool) or not isinstance(d.days, int) or d.days < 0:
            raise DomainError(f"delays[{i}].days", d.days, "a whole number of days ≥ 0")
        if d.cycle in found:
            raise DomainError(f"delays[{i}].cycle", d.cycle, "one delay per cycle")
        found[d.cycle] = d
    return found


def _cycles(arm: Arm, first: date, until: date, delays: dict[int, CycleDelay],
            limit: int | None) -> list[Cycle]:
    cycles: list[Cycle] = []
    planned = start = first
    number = 1
    while start <= until:
        delay = delays.get(number)
        cycles.append(Cycle(number, planned, start, delay.days if delay else 0,
                            delay.reason if delay else None, limit is None or number <= limit))
        number += 1
        planned = start + timedelta(days=arm.cycle_length_days)
        later = delays.get(number)
        start = planned + timedelta(days=later.days if later else 0)
    return cycles


def _skip_reason(drug: str, on: date, cycle: int, day: int, omissions: Sequence[Omission],
                 interruptions: Sequence[Interruption]) -> str | None:
    for o in omissions:
        if o.drug == drug and o.cycle == cycle and o.day == day:
            return o.reason
    for it in interruptions:
        if it.drug == drug and it.first_day <= on <= it.last_day:
            return it.reason
    return None


def _doses(arm: Arm, cycles: list[Cycle], until: date, omissions: Sequence[Omission],
           interruptions: Sequence[Interruption]) -> list[ScheduledDose]:
    doses: list[ScheduledDose] = []
    ends = [nxt.start - timedelta(days=1) for nxt in cycles[1:]] + [until]
    for regimen in arm.regimen:
        drug = parse_drug(regimen.drug, field=f"arms[{arm.code}].regimen")
        if regimen.schedule.type is ScheduleType.DAILY:
            day_dates = ((c, c.start + timedelta(days=k)) for c, end in zip(cycles, ends, strict=True)
                         for k in range((end - c.start).days + 1))
        else:
            day_dates = ((c, c.start + timedelta(days=d - 1)) for c in cycles for d in regimen.schedule.days
                         if c.chemotherapy or not drug.is_chemotherapy)
        for cycle, on in day_dates:
            if on > until:
                continue
            day = cycle.day_of(on)
            reason = _skip_reason(regimen.drug, on, cycle.number, day, omissions, interruptions)
            doses.append(ScheduledDose(regimen.drug, regimen.route, on, cycle.number, day,
                                       DoseStatus.SKIPPED if reason else DoseStatus.PLANNED,
                                       regimen.infusion_minutes, reason))
    return sorted(doses, key=lambda d: (d.on, d.drug))


def _window(target: date, a: Assessment) -> tuple[date, date]:
    return target - timedelta(days=a.window_minus_days), target + timedelta(days=a.window_plus_days)


def _visits(protocol: Protocol, arm: Arm, randomization: date, until: date, cycles: list[Cycle],
            doses: list[ScheduledDose]) -> list[Visit]:
    visits: list[Visit] = []
    cycle_day_drugs = {r.drug for r in arm.regimen if r.schedule.type is ScheduleType.CYCLE_DAYS}
    dosed = {(d.cycle, d.day) for d in doses if d.drug in cycle_day_drugs}
    for a in protocol.assessments:
        if a.anchor == VisitAnchor.RANDOMIZATION and a.interval_days:
            k = 1
            while (target := randomization + timedelta(days=k * a.interval_days)) <= until:
                visits.append(Visit(f"{a.code}#{k}", a.code, a.name, VisitAnchor.RANDOMIZATION, target,
                                    *_window(target, a), number=k))
                k += 1
        elif a.anchor == VisitAnchor.CYCLE_DAY:
            for c in cycles:
                for day in a.cycle_days:
                    target = c.start + timedelta(days=day - 1)
                    if target <= until and (c.number, day) in dosed:
                        visits.append(Visit(f"{a.code}@C{c.number}D{day}", a.code, a.name,
                                            VisitAnchor.CYCLE_DAY, target, *_window(target, a),
                                            cycle=c.number, day=day))
    return sorted(visits, key=lambda v: (v.target, v.key))


def _check_omissions(arm: Arm, omissions: Sequence[Omission], cycles: list[Cycle]) -> None:
    for i, o in enumerate(omissions):
        regimen = _regimen(arm, o.drug, f"omissions[{i}].drug")
        if o.day not in regimen.schedule.days:
            raise DomainError(f"omissions[{i}].day", o.day, f"a dosing day of {regimen.drug}: "
                              + ", ".join(str(d) for d in regimen.schedule.days),
                              "use an interruption for a drug taken daily.")
        found = next((c for c in cycles if c.number == o.cycle), None)
        if found is None or (parse_drug(o.drug, field="drug").is_chemotherapy and not found.chemotherapy):
            raise DomainError(f"omissions[{i}].cycle", o.cycle,
                              f"a cycle of the calendar in which {regimen.drug} is scheduled")


def build_calendar(protocol: Protocol, arm_code: str, *, randomization: date, until: date,
                   first_dose: date | None = None, delays: Iterable[CycleDelay] = (),
                   omissions: Iterable[Omission] = (), interruptions: Iterable[Interruption] = (),
                   max_chemotherapy_cycles: int | _Default | None = PROTOCOL_DEFAULT) -> Calendar:
    """The calendar of one patient from randomization to the ``until`` horizon.

    Raises
    ------
    DomainError
        For an unknown arm or drug, a date before randomization (``first_dose``,
        ``until``, ``interruptions[i].first_day``), an omission on a day the drug is not
        given, a delay of cycle 1 or a negative delay.
    """
    randomization = _date(randomization, "randomization")
    until = _date(until, "until")
    first = randomization if first_dose is None else _date(first_dose, "first_dose")
    _not_before(first, randomization, "first_dose")
    _not_before(until, randomization, "until")
    arm = _arm(protocol, arm_code)
    limit = protocol_chemotherapy_limit(protocol) if max_chemotherapy_cycles is PROTOCOL_DEFAULT \
        else max_chemotherapy_cycles
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise DomainError("max_chemotherapy_cycles", limit, "a number of cycles ≥ 1, or None (open-ended)")
    cycles = _cycles(arm, first, until, _delays(delays), limit)
    omitted = tuple(omissions)
    _check_omissions(arm, omitted, cycles)
    paused = tuple(interruptions)
    for i, it in enumerate(paused):
        _regimen(arm, it.drug, f"interruptions[{i}].drug")
        _not_before(_date(it.first_day, f"interruptions[{i}].first_day"), randomization,
                    f"interruptions[{i}].first_day")
        if _date(it.last_day, f"interruptions[{i}].last_day") < it.first_day:
            raise DomainError(f"interruptions[{i}].last_day", it.last_day.isoformat(),
                              f"a date on or after first_day ({it.first_day.isoformat()})")
    doses = _doses(arm, cycles, until, omitted, paused)
    visits = _visits(protocol, arm, randomization, until, cycles, doses)
    return Calendar(arm.code, randomization, until, limit, tuple(cycles), tuple(doses), tuple(visits))


def visit_statuses(calendar: Calendar, on: date,
                   done: Iterable[str] = ()) -> tuple[tuple[Visit, VisitStatus], ...]:
    """Every visit with its status on ``on``; ``done`` lists the keys of completed visits."""
    on = _date(on, "on")
    _not_before(on, calendar.randomization, "on")
    completed = set(done)
    unknown = completed - {v.key for v in calendar.visits}
    if unknown:
        raise DomainError("done", sorted(unknown)[0], "the key of a visit of this calendar")
    return tuple((v, v.status(on, done=v.key in completed)) for v in calendar.visits)


def overdue_visits(calendar: Calendar, on: date, done: Iterable[str] = ()) -> tuple[Visit, ...]:
    """Visits whose window closed before ``on`` and that are not done."""
    return tuple(v for v, s in visit_statuses(calendar, on, done) if s is VisitStatus.OVERDUE)
