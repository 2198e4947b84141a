"""Target-lesion % changes from the measurements (RECIST 1.1 thresholds) and the report's number markup."""

from __future__ import annotations

import math
from datetime import date, timedelta

from oncotrial.analysis.plotting import waterfall_bars
from oncotrial.analysis.report.efficacy_sections import slug
from oncotrial.analysis.report.markup import count_pct, estimate_ci, p_value, stat
from oncotrial.analysis.report.tumour import with_target_changes
from oncotrial.analysis.report_data import ReportExtras, ScreeningLog, TumourMeasurement
from oncotrial.core.response.criteria import Criterion
from support.endpoint_records import CUT, R, patient, scan


def _extras(*measurements: TumourMeasurement) -> ReportExtras:
    return ReportExtras(CUT, ScreeningLog(1), (), (), measurements, ())


def test_a_sum_falling_from_50_to_35_mm_is_the_30_percent_partial_response_threshold() -> None:
    record = patient(scans=(scan(42, "SD"), scan(84, "PR")))
    extras = _extras(
        TumourMeasurement("SIM-1", R, Criterion.RECIST_1_1, 50.0, is_baseline=True),
        TumourMeasurement("SIM-1", R + timedelta(days=42), Criterion.RECIST_1_1, 45.0),
        TumourMeasurement("SIM-1", R + timedelta(days=84), Criterion.RECIST_1_1, 35.0),
    )
    [changed] = with_target_changes([record], extras, Criterion.RECIST_1_1)
    assert [s.target_change_pct for s in changed.scans] == [-10.0, -30.0]
    [bar] = waterfall_bars([changed], cutoff=CUT)
    assert bar.best_change_pct == -30.0 and bar.response == "PR"


def test_mrecist_changes_use_the_viable_tumour_sums_only() -> None:
    record = patient(scans=(scan(42, "SD", "PR"),))
    extras = _extras(
        TumourMeasurement("SIM-1", R, Criterion.RECIST_1_1, 40.0, is_baseline=True),
        TumourMeasurement("SIM-1", R, Criterion.MRECIST, 20.0, is_baseline=True),
        TumourMeasurement("SIM-1", R + timedelta(days=42), Criterion.RECIST_1_1, 36.0),
        TumourMeasurement("SIM-1", R + timedelta(days=42), Criterion.MRECIST, 6.0),
    )
    [changed] = with_target_changes([record], extras, Criterion.MRECIST)
    assert changed.scans[0].target_change_pct == -70.0


def test_a_scan_without_a_measurement_or_baseline_has_no_change() -> None:
    record = patient(scans=(scan(42, "SD"),))
    no_baseline = _extras(TumourMeasurement("SIM-1", date(2024, 2, 12), Criterion.RECIST_1_1, 30.0))
    assert (
        with_target_changes([record], no_baseline, Criterion.RECIST_1_1)[0].scans[0].target_change_pct is None
    )


def test_numbers_keep_their_exact_value_and_show_ne_when_not_estimable() -> None:
    assert stat("k", 0.1 + 0.2, "0.30") == '<span data-stat="k" data-value="0.30000000000000004">0.30</span>'
    assert 'data-value="nan">NE<' in estimate_ci("m", math.nan, 1.0, math.nan)
    assert ">&lt; 0.001<" in p_value("p", 0.0004)
    assert count_pct("n", 3, 4).endswith('data-value="0.75">75.0</span>)')


def test_keys_of_opposite_comparisons_never_collide() -> None:
    assert slug("< 65 years") == "lt_65_years" and slug("≥ 65 years") == "ge_65_years"
    assert slug("<=37") == "le_37" and slug(">37") == "gt_37"
    assert slug("HBsAg+") == "hbsag_pos" and slug("HBsAg-") == "hbsag_neg"
