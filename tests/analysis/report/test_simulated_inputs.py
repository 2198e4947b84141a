"""The SIMULATED report inputs: reproducible, labelled, and consistent with the trial data."""

from __future__ import annotations

import math
from collections import defaultdict

from oncotrial.analysis.report_data import SIMULATED_LABEL, simulated_report_inputs
from oncotrial.core.response.criteria import Criterion


def test_the_same_seed_gives_the_same_inputs_and_another_seed_others(inputs) -> None:  # type: ignore[no-untyped-def]
    again = simulated_report_inputs(20230801)
    assert again == inputs
    assert simulated_report_inputs(7)[1].baseline != inputs[1].baseline


def test_the_inputs_are_labelled_simulated(inputs) -> None:  # type: ignore[no-untyped-def]
    data, extras = inputs
    assert data.simulated and extras.simulated
    assert extras.label == SIMULATED_LABEL == "SIMULATED DATA: not results of NCT07304388"


def test_the_trial_exposure_is_the_sum_of_the_dose_records(inputs) -> None:  # type: ignore[no-untyped-def]
    data, extras = inputs
    delivered: dict[tuple[str, str], float] = defaultdict(float)
    planned: dict[tuple[str, str], float] = defaultdict(float)
    for d in extras.doses:
        delivered[(d.patient_id, d.drug)] += d.administered_mg
        planned[(d.patient_id, d.drug)] += d.planned_mg
    for p in data.patients:
        assert {e.drug for e in p.exposure} == {"gemcitabine", "lenvatinib", "oxaliplatin", "toripalimab"}
        for e in p.exposure:
            assert e.delivered_mg == delivered[(p.patient_id, e.drug)]
            assert e.planned_mg == planned[(p.patient_id, e.drug)]


def test_recist_sums_reproduce_each_scans_target_change(inputs) -> None:  # type: ignore[no-untyped-def]
    data, extras = inputs
    base = {
        m.patient_id: m.sum_mm
        for m in extras.measurements
        if m.is_baseline and m.criterion is Criterion.RECIST_1_1
    }
    sums = {
        (m.patient_id, m.scan_date): m.sum_mm
        for m in extras.measurements
        if not m.is_baseline and m.criterion is Criterion.RECIST_1_1
    }
    checked = 0
    for p in data.patients:
        for s in p.scans:
            assert s.target_change_pct is not None
            change = 100 * (sums[(p.patient_id, s.scan_date)] - base[p.patient_id]) / base[p.patient_id]
            assert math.isclose(change, s.target_change_pct, abs_tol=0.3)  # sums rounded to 0.1 mm
            checked += 1
    assert checked > 200


def test_screening_failures_are_about_a_fifth_of_those_assessed(inputs) -> None:  # type: ignore[no-untyped-def]
    data, extras = inputs
    failed = sum(extras.screening.excluded.values())
    assert extras.screening.assessed - failed == len(data.patients)
    assert 0.15 <= failed / extras.screening.assessed <= 0.25
