"""OS and PFS derivations against the FDA 2018 censoring table, worked by hand.

Randomization 2024-01-01 (day 1); scans every 42 days (+7-day window) as in the
NCT07304388 protocol file; times are ADaM AVAL = ADT − STARTDT + 1.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from oncotrial.core.endpoints.time_to_event import (
    PfsCensoring,
    overall_survival,
    progression_free_survival,
)
from oncotrial.core.errors import DomainError
from oncotrial.core.response.criteria import Criterion
from support.endpoint_records import CUT, RECIST, R, patient, scan


def test_os_event_is_death_with_day_one_at_randomization():
    os_ = overall_survival(patient(death_on=date(2024, 3, 1)), cutoff=CUT)
    # 2024-03-01 − 2024-01-01 = 60 days, + 1
    assert (os_.time_days, os_.event, os_.description) == (61, True, "DEATH")


def test_os_censors_at_last_known_alive_and_ignores_a_death_after_cutoff():
    os_ = overall_survival(patient(death_on=date(2025, 2, 1)), cutoff=CUT)
    assert (os_.event, os_.date, os_.time_days) == (False, date(2024, 12, 1), 336)


def test_pfs_event_at_first_pd_scan():
    p = patient(scans=(scan(42, "SD"), scan(84, "PR"), scan(126, "PD")))
    pfs = progression_free_survival(p, criterion=RECIST, cutoff=CUT)
    assert (pfs.event, pfs.time_days, pfs.description) == (True, 127, "DISEASE PROGRESSION")


def test_pfs_event_at_death_before_progression():
    p = patient(scans=(scan(42, "SD"),), death_on=R + timedelta(days=60))
    pfs = progression_free_survival(p, criterion=RECIST, cutoff=CUT)
    assert (pfs.event, pfs.time_days, pfs.description) == (True, 61, "DEATH")


def test_pfs_without_baseline_assessment_is_censored_at_randomization():
    p = patient(baseline_scan_on=None, scans=(scan(42, "PD"),))
    pfs = progression_free_survival(p, criterion=RECIST, cutoff=CUT)
    assert (pfs.event, pfs.time_days) == (False, 1)


def test_pfs_without_post_baseline_assessment_or_death_is_censored_at_randomization():
    pfs = progression_free_survival(patient(), criterion=RECIST, cutoff=CUT)
    assert (pfs.event, pfs.time_days) == (False, 1)


def test_new_anticancer_therapy_censors_at_the_last_adequate_scan_before_it():
    # conversion surgery on day 100; PD on day 126 comes after it and is not an event
    p = patient(scans=(scan(42, "PR"), scan(84, "PR"), scan(126, "PD")),
                new_anticancer_therapy_on=R + timedelta(days=100))
    pfs = progression_free_survival(p, criterion=RECIST, cutoff=CUT)
    assert (pfs.event, pfs.time_days, pfs.description) == (False, 85, "NEW ANTICANCER THERAPY")


@pytest.mark.parametrize(("pd_day", "event"), [
    # last adequate scan day 42; one scheduled scan (day 84, window to 91) may be missed:
    # a gap of ≤ 42 + 7 = 49 days misses none; 50–91 days misses one; ≥ 92 misses two
    (133, True),    # gap 91: one missed → event
    (134, False),   # gap 92: two missed → censored at day 42
])
def test_an_event_after_two_missed_assessments_is_censored(pd_day, event):
    p = patient(scans=(scan(42, "SD"), scan(pd_day, "PD")))
    pfs = progression_free_survival(p, criterion=RECIST, cutoff=CUT)
    assert pfs.event is event
    if not event:
        assert pfs.time_days == 43


def test_missed_assessment_rule_can_be_switched_off():
    p = patient(scans=(scan(42, "SD"), scan(300, "PD")))
    rules = PfsCensoring(max_missed_assessments=None)
    assert progression_free_survival(p, criterion=RECIST, cutoff=CUT, rules=rules).event


def test_no_event_censors_at_the_last_adequate_scan_ignoring_ne_scans():
    p = patient(scans=(scan(42, "SD"), scan(84, "SD"), scan(126, "NE")))
    pfs = progression_free_survival(p, criterion=RECIST, cutoff=CUT)
    assert (pfs.event, pfs.time_days) == (False, 85)


def test_pfs_uses_the_requested_criterion():
    p = patient(scans=(scan(42, "SD", "PR"), scan(84, "PD", "SD")))
    assert progression_free_survival(p, criterion=Criterion.RECIST_1_1, cutoff=CUT).event
    m = progression_free_survival(p, criterion=Criterion.MRECIST, cutoff=CUT)
    assert (m.event, m.parameter) == (False, "PFS (mRECIST)")


def test_scans_after_the_cutoff_are_ignored():
    p = patient(scans=(scan(42, "SD"), scan(84, "PD")))
    pfs = progression_free_survival(p, criterion=RECIST, cutoff=R + timedelta(days=60))
    assert (pfs.event, pfs.time_days) == (False, 43)


def test_a_scan_before_randomization_is_a_domain_error():
    with pytest.raises(DomainError, match="on or after randomization"):
        progression_free_survival(patient(scans=(scan(-3, "SD"),)), criterion=RECIST, cutoff=CUT)


def test_a_cutoff_before_randomization_is_a_domain_error():
    with pytest.raises(DomainError, match="cutoff"):
        overall_survival(patient(), cutoff=R - timedelta(days=1))
