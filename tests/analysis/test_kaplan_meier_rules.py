"""Kaplan–Meier rules stated in R's documentation, checked without R."""

from __future__ import annotations

import numpy as np
import pytest

from oncotrial.analysis.kaplan_meier import KaplanMeierFitter, confidence_band
from oncotrial.analysis.quantiles import step_quantiles
from oncotrial.core.errors import DomainError


def test_uncensored_data_give_the_ordinary_sample_median_and_quartiles():
    # man/quantile.survfit.Rd: the midpoint rule makes 1, 2, 3, 4 → median 2.5.
    km = KaplanMeierFitter().fit([1, 2, 3, 4])
    assert km.median_survival_time_ == 2.5
    np.testing.assert_array_equal(km.quantiles()["time"], [1.5, 2.5, 3.5])


def test_a_flat_at_one_half_lasting_to_the_end_uses_the_midpoint_with_the_last_time():
    km = KaplanMeierFitter().fit([1, 2, 3, 4], [1, 1, 0, 0])
    assert km.median_survival_time_ == 3.0  # quantile.survfit: (2 + 4) / 2
    assert km.median_as_printed()[0] == 2.0  # print.survfit: the start of the flat


def test_a_median_never_reached_is_missing_not_a_number_we_invent():
    km = KaplanMeierFitter().fit([1, 2, 3, 4], [1, 0, 0, 0])
    assert np.isnan(km.median_survival_time_)


def test_greenwood_standard_error_is_on_the_log_scale_and_infinite_at_zero_survival():
    km = KaplanMeierFitter().fit([1, 2, 2, 3, 4], [1, 1, 0, 1, 1])
    np.testing.assert_allclose(km.survival_, [0.8, 0.6, 0.3, 0.0])
    np.testing.assert_allclose(km.se_log_[:3] ** 2, np.cumsum([1 / 20, 1 / 12, 1 / 2]))
    assert np.isinf(km.se_log_[3])


@pytest.mark.parametrize(("conf_type", "nan_at"), [("log", [0.0]), ("log-log", [0.0, 1.0]), ("plain", [0.0])])
def test_limits_are_missing_where_r_returns_na(conf_type, nan_at):
    surv = np.array([1.0, 0.5, 0.0])
    se = np.array([0.0, 0.3, np.inf])
    lower, upper = confidence_band(surv, se, conf_type)
    for s, lo, up in zip(surv, lower, upper, strict=True):
        assert np.isnan(lo) == (s in nan_at) and np.isnan(up) == (s in nan_at)
    assert upper[1] <= 1.0 and lower[1] < 0.5 < upper[1]


def test_survival_at_drops_times_after_follow_up_unless_extended():
    km = KaplanMeierFitter().fit([1, 2, 3], [1, 0, 1])
    assert list(km.survival_at([0.5, 10])["time"]) == [0.5]
    extended = km.survival_at([0.5, 10], extend=True)
    assert list(extended["n_risk"]) == [3, 0]
    assert extended["survival"].iloc[0] == 1.0 and extended["std_err"].iloc[0] == 0.0


def test_step_quantiles_are_all_missing_when_the_curve_never_reaches_the_smallest_level():
    # R's findq: max(1 - S) < min(p) → every quantile NA, even p within tolerance of the end.
    out = step_quantiles([1.0, 2.0], [0.9, 0.8], [0.25, 0.5])
    assert np.isnan(out).all()


@pytest.mark.parametrize(
    ("durations", "events", "field"),
    [([1, -2], [1, 1], "durations[1]"), ([1, np.nan], [1, 1], "durations[1]"),
     ([1, 2], [1, 2], "event_observed[1]")],
)
def test_invalid_survival_data_are_rejected_with_the_field_and_a_suggestion(durations, events, field):
    with pytest.raises(DomainError) as info:
        KaplanMeierFitter().fit(durations, events)
    assert info.value.field == field and info.value.suggestion


def test_an_unknown_confidence_type_is_rejected_at_fit_not_at_construction():
    km = KaplanMeierFitter(conf_type="logit")  # type: ignore[arg-type]
    with pytest.raises(DomainError, match="log-log"):
        km.fit([1, 2])


def test_reports_show_the_median_and_escape_the_label():
    km = KaplanMeierFitter(label="<arm A>").fit([1, 2, 3, 4])
    assert "2.5000" in km.to_text()
    assert "&lt;arm A&gt;" in km.to_html() and "<arm A>" not in km.to_html()
    assert list(km.summary.columns) == ["n", "events", "median", "0.95LCL", "0.95UCL", "q25", "q75"]
