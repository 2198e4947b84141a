"""Treatment calendar: 21-day cycles from the arm regimen, delays, skipped doses, max cycles.

Registry record NCT07304388: oxaliplatin day 1 (HAIC 3 h / IV), gemcitabine days 1 and 8,
toripalimab day 1, every 3 weeks; lenvatinib once daily. Dates are worked by hand from a
randomization on Friday 1 March 2024 and a first dose on Monday 4 March 2024.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from oncotrial.core.calendar import (
    CycleDelay,
    DoseStatus,
    Interruption,
    Omission,
    build_calendar,
    protocol_chemotherapy_limit,
)
from oncotrial.core.errors import DomainError
from oncotrial.core.protocol.model import Route
from support.dose_inputs import protocol

RAND = date(2024, 3, 1)
FIRST = date(2024, 3, 4)


def _calendar(**kwargs):
    options = {"randomization": RAND, "first_dose": FIRST, "until": date(2024, 6, 30), **kwargs}
    return build_calendar(protocol(), options.pop("arm", "HAIC"), **options)


def test_cycle_days_and_drugs_of_the_experimental_arm():
    cal = _calendar(until=date(2024, 3, 24))
    day1 = {(d.drug, d.route, d.infusion_minutes) for d in cal.doses_on(FIRST)}
    assert day1 == {("oxaliplatin", Route.HEPATIC_ARTERIAL_INFUSION, 180), ("gemcitabine", Route.IV, 30),
                    ("toripalimab", Route.IV, None), ("lenvatinib", Route.ORAL, None)}
    assert {d.drug for d in cal.doses_on(date(2024, 3, 11))} == {"gemcitabine", "lenvatinib"}  # day 8
    assert {d.drug for d in cal.doses_on(date(2024, 3, 12))} == {"lenvatinib"}
    assert [c.start for c in cal.cycles] == [FIRST]  # cycle 2 starts on 25 March, after the horizon


def test_control_arm_oxaliplatin_is_intravenous():
    cal = _calendar(arm="GEMOX", until=date(2024, 3, 4))
    ox = cal.doses_of("oxaliplatin")[0]
    assert ox.route is Route.IV and ox.infusion_minutes == 120


def test_cycles_start_every_21_days():
    cal = _calendar(until=date(2024, 5, 6))
    assert [c.start for c in cal.cycles] == [date(2024, 3, 4), date(2024, 3, 25), date(2024, 4, 15),
                                             date(2024, 5, 6)]


def test_lenvatinib_is_given_every_day_up_to_the_horizon():
    cal = _calendar(until=date(2024, 4, 3))
    days = [d.on for d in cal.doses_of("lenvatinib")]
    assert days == [FIRST + timedelta(days=k) for k in range(31)]  # 4 March – 3 April inclusive


def test_a_delayed_cycle_shifts_every_later_cycle():
    cal = _calendar(until=date(2024, 5, 20), delays=[CycleDelay(2, 7, "ANC 0.4 on day 1")])
    starts = [c.start for c in cal.cycles]
    # cycle 2 planned 25 March, given 1 April; cycle 3 = 1 April + 21 = 22 April; cycle 4 = 13 May
    assert starts == [date(2024, 3, 4), date(2024, 4, 1), date(2024, 4, 22), date(2024, 5, 13)]
    assert cal.cycle(2).planned_start == date(2024, 3, 25) and cal.cycle(2).delay_days == 7
    assert cal.cycle(3).delay_days == 0
    assert date(2024, 4, 8) in [d.on for d in cal.doses_of("gemcitabine")]  # day 8 of the delayed cycle


def test_lenvatinib_continues_through_a_delay_and_belongs_to_the_extended_cycle():
    cal = _calendar(until=date(2024, 4, 2), delays=[CycleDelay(2, 7, "delay")])
    on_28 = next(d for d in cal.doses_of("lenvatinib") if d.on == date(2024, 3, 31))
    assert (on_28.cycle, on_28.day) == (1, 28)
    assert len(cal.doses_of("lenvatinib")) == 30


def test_a_day_8_omission_is_an_explicit_skipped_dose():
    cal = _calendar(until=date(2024, 3, 31), omissions=[Omission("gemcitabine", 1, 8, "platelets 60")])
    d8 = next(d for d in cal.doses_of("gemcitabine") if d.day == 8 and d.cycle == 1)
    assert d8.status is DoseStatus.SKIPPED and d8.reason == "platelets 60"
    assert d8.on == date(2024, 3, 11)
    assert [d.status for d in cal.doses_of("gemcitabine") if d.cycle == 2] == [DoseStatus.PLANNED]


def test_a_lenvatinib_interruption_is_explicit():
    stop = Interruption("lenvatinib", date(2024, 3, 10), date(2024, 3, 12), "grade 3 hypertension")
    cal = _calendar(until=date(2024, 3, 20), interruptions=[stop])
    skipped = [d.on for d in cal.skipped()]
    assert skipped == [date(2024, 3, 10), date(2024, 3, 11), date(2024, 3, 12)]
    assert all(d.reason == "grade 3 hypertension" for d in cal.skipped())
    assert len(cal.doses_of("lenvatinib")) == 17  # every day is listed, taken or skipped


def test_the_maximum_number_of_chemotherapy_cycles_is_a_protocol_parameter():
    assert protocol_chemotherapy_limit(protocol()) is None  # the built-in default: open-ended
    cal = _calendar(until=date(2024, 12, 31))
    assert all(c.chemotherapy for c in cal.cycles) and len(cal.cycles) == 15
    limited = _calendar(until=date(2024, 12, 31), max_chemotherapy_cycles=6)
    assert max(d.cycle for d in limited.doses_of("oxaliplatin")) == 6
    assert max(d.cycle for d in limited.doses_of("gemcitabine")) == 6
    assert max(d.cycle for d in limited.doses_of("toripalimab")) == 15


def test_a_protocol_file_limit_is_read_from_its_assumptions():
    p = protocol()
    assumptions = tuple(replace(a, value=4) if a.name == "max_chemotherapy_cycles" else a
                        for a in p.assumptions)
    cal = build_calendar(replace(p, assumptions=assumptions), "GEMOX", randomization=RAND,
                         until=date(2024, 12, 31))
    assert cal.max_chemotherapy_cycles == 4 and max(d.cycle for d in cal.doses_of("oxaliplatin")) == 4


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"first_dose": date(2024, 2, 29)}, "first_dose"),
    ({"until": date(2024, 2, 1)}, "until"),
    ({"interruptions": [Interruption("lenvatinib", date(2024, 2, 20), date(2024, 3, 5), "x")]},
     "interruptions[0].first_day"),
    ({"interruptions": [Interruption("lenvatinib", date(2024, 3, 20), date(2024, 3, 5), "x")]},
     "interruptions[0].last_day"),
    ({"interruptions": [Interruption("aspirin", date(2024, 3, 20), date(2024, 3, 25), "x")]},
     "interruptions[0].drug"),
    ({"omissions": [Omission("oxaliplatin", 1, 8, "x")]}, "omissions[0].day"),
    ({"omissions": [Omission("gemcitabine", 99, 8, "x")]}, "omissions[0].cycle"),
    ({"omissions": [Omission("capecitabine", 1, 1, "x")]}, "omissions[0].drug"),
    ({"delays": [CycleDelay(1, 3, "x")]}, "delays[0].cycle"),
    ({"delays": [CycleDelay(2, -3, "x")]}, "delays[0].days"),
    ({"arm": "PLACEBO"}, "arm"),
    ({"max_chemotherapy_cycles": 0}, "max_chemotherapy_cycles"),
])
def test_invalid_calendar_input_names_the_field(kwargs, field: str):
    with pytest.raises(DomainError) as err:
        _calendar(**kwargs)
    assert err.value.field == field
