"""HAIC suspension (ANC <1.2, PLT <60, bilirubin >30 µmol/L, albumin <30 g/L) and the 30-day stop.

Source: SYSUCC HAIC protocol text, clinical-content.md §4.2 [LIT]; issue 3 §2.
"""

from __future__ import annotations

import pytest

from oncotrial.core.dosing import Action, assess_haic
from oncotrial.core.errors import DomainError
from oncotrial.core.units import Measurand, measure
from support.dose_inputs import NORMAL_LABS, lab


def _labs(**changes: float):
    values = {**NORMAL_LABS, **changes}
    return {Measurand(k): lab(k, v) for k, v in values.items()}


def test_normal_labs_allow_haic():
    assert assess_haic(_labs(), delay_days=0).outcome.action is Action.GIVE


@pytest.mark.parametrize(("change", "suspended"), [
    ({"NEUT": 1.19}, True), ({"NEUT": 1.2}, False),
    ({"PLAT": 59}, True), ({"PLAT": 60}, False),
    ({"BILI": 30.1}, True), ({"BILI": 30}, False),
    ({"ALB": 29.9}, True), ({"ALB": 30}, False),
])
def test_each_suspension_criterion_on_both_sides(change: dict[str, float], suspended: bool):
    assert assess_haic(_labs(**change), delay_days=0).suspended is suspended


def test_albumin_in_g_per_dl_is_converted_before_the_threshold():
    labs = _labs()
    labs[Measurand.ALBUMIN] = measure(Measurand.ALBUMIN, 2.9, "g/dL")
    assert assess_haic(labs, delay_days=0).suspended
    labs[Measurand.BILIRUBIN] = measure(Measurand.BILIRUBIN, 1.8, "mg/dL")  # 30.8 µmol/L
    assert any(r.table == "HAIC, total bilirubin" and r.outcome.action is Action.HOLD
               for r in assess_haic(labs, delay_days=0).rules)


@pytest.mark.parametrize(("days", "stopped"), [(0, False), (30, False), (31, True)])
def test_a_delay_of_more_than_30_days_stops_haic(days: int, stopped: bool):
    assert assess_haic(_labs(NEUT=1.0), delay_days=days).stopped is stopped


def test_technical_failure_suspends_haic():
    result = assess_haic(_labs(), delay_days=0, technically_feasible=False)
    assert result.suspended and "catheterisation" in result.outcome.text


@pytest.mark.parametrize("missing", ["NEUT", "PLAT", "BILI", "ALB"])
def test_a_missing_lab_is_an_error_naming_it(missing: str):
    labs = _labs()
    del labs[Measurand(missing)]
    with pytest.raises(DomainError) as err:
        assess_haic(labs, delay_days=0)
    assert err.value.field == f"labs.{missing}"


def test_a_negative_delay_is_refused():
    with pytest.raises(DomainError) as err:
        assess_haic(_labs(), delay_days=-1)
    assert err.value.field == "haic.delay_days"
