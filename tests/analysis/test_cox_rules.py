"""Cox model: the estimator's contract and identities that hold without R.

The likelihood of each tie method is checked against a direct, loop-by-loop evaluation of its
definition (for exact ties, a sum over all subsets), the score and information against finite
differences, and the score test against the log-rank test (Therneau & Grambsch 2000, §3.3:
equal without ties for every method, and with ties for the exact method).
"""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pandas as pd
import pytest

from oncotrial.analysis.cox import CoxConvergenceWarning, CoxPH
from oncotrial.analysis.cox_ties import RiskSets, partial_likelihood
from oncotrial.analysis.logrank import survdiff
from oncotrial.core.errors import DomainError

TIME = np.array([5, 8, 8, 8, 12, 12, 15, 21, 21, 21, 21, 30, 34, 34, 40, 47, 52, 60], dtype=float)
EVENT = np.array([1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 0, 1])
X = np.column_stack([
    [0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0],
    [61.0, 55.5, 70.2, 48.9, 66.1, 59.0, 72.4, 50.3, 63.3,
     58.8, 69.9, 45.2, 60.0, 67.7, 52.1, 64.4, 57.5, 71.0],
])
STRATA = np.array(["A", "B"] * 9)


def direct_loglik(beta: np.ndarray, ties: str, strata: np.ndarray | None = None) -> float:
    """The partial log-likelihood written out from its definition, one event time at a time."""
    s = np.zeros(TIME.size, dtype=int) if strata is None else np.unique(strata, return_inverse=True)[1]
    eta = X @ beta
    total = 0.0
    for stratum in np.unique(s):
        for t in np.unique(TIME[(s == stratum) & (EVENT == 1)]):
            risk = np.flatnonzero((s == stratum) & (t <= TIME))
            dead = np.flatnonzero((s == stratum) & (t == TIME) & (EVENT == 1))
            d = dead.size
            total += eta[dead].sum()
            if ties == "breslow":
                total -= d * math.log(np.exp(eta[risk]).sum())
            elif ties == "efron":
                at_risk, dying = np.exp(eta[risk]).sum(), np.exp(eta[dead]).sum()
                total -= sum(math.log(at_risk - k / d * dying) for k in range(d))
            else:
                subsets = itertools.combinations(risk.tolist(), d)
                total -= math.log(sum(math.exp(eta[list(q)].sum()) for q in subsets))
    return total


def indexed(strata: np.ndarray | None = None) -> RiskSets:
    s = np.zeros(TIME.size, dtype=np.intp) if strata is None else np.unique(strata, return_inverse=True)[1]
    return RiskSets.build(TIME, EVENT.astype(bool), s.astype(np.intp), X)


@pytest.mark.parametrize("ties", ["efron", "breslow", "exact"])
@pytest.mark.parametrize("stratified", [False, True])
def test_partial_likelihood_equals_its_definition_including_the_sum_over_subsets(ties, stratified):
    strata = STRATA if stratified else None
    beta = np.array([0.7, -0.04])
    loglik, _, _ = partial_likelihood(indexed(strata), beta, ties)
    assert loglik == pytest.approx(direct_loglik(beta, ties, strata), rel=1e-12)


@pytest.mark.parametrize("ties", ["efron", "breslow", "exact"])
def test_score_and_information_are_the_derivatives_of_the_likelihood(ties):
    rs, beta, h = indexed(STRATA), np.array([0.4, 0.02]), 1e-5
    _, score, info = partial_likelihood(rs, beta, ties)
    for j in range(2):
        step = np.eye(2)[j] * h
        up, u_up, _ = partial_likelihood(rs, beta + step, ties)
        down, u_down, _ = partial_likelihood(rs, beta - step, ties)
        assert score[j] == pytest.approx((up - down) / (2 * h), rel=1e-6)
        np.testing.assert_allclose(info[:, j], -(u_up - u_down) / (2 * h), rtol=1e-5)


def test_without_tied_events_the_three_methods_give_the_same_fit():
    time = np.arange(1.0, 19.0)
    fits = [CoxPH(ties).fit(time, EVENT, X) for ties in ("efron", "breslow", "exact")]
    for other in fits[1:]:
        np.testing.assert_allclose(other.params_, fits[0].params_, rtol=1e-10)
        np.testing.assert_allclose(other.variance_matrix_, fits[0].variance_matrix_, rtol=1e-9)


def test_without_ties_the_score_test_is_the_log_rank_test():
    time = np.arange(1.0, 19.0)
    model = CoxPH("breslow").fit(time, EVENT, X[:, 0])
    assert model.score_test_.statistic == pytest.approx(survdiff(time, EVENT, X[:, 0]).chisq, rel=1e-12)


@pytest.mark.parametrize("stratified", [False, True])
def test_with_ties_the_exact_score_test_is_the_hypergeometric_log_rank_test(stratified):
    strata = STRATA if stratified else None
    model = CoxPH("exact").fit(TIME, EVENT, X[:, 0], strata=strata)
    log_rank = survdiff(TIME, EVENT, X[:, 0], strata=strata)
    assert model.score_test_.statistic == pytest.approx(log_rank.chisq, rel=1e-12)


def test_fit_returns_the_estimator_with_fitted_attributes_ending_in_underscore():
    model = CoxPH()
    assert model.fit(TIME, EVENT, pd.DataFrame({"arm": X[:, 0], "age": X[:, 1]})) is model
    assert list(model.params_.index) == ["arm", "age"]
    assert model.n_ == 18 and model.n_events_ == 13 and model.n_strata_ == 1 and model.converged_
    assert model.log_likelihood_ > model.log_likelihood_null_
    assert model.likelihood_ratio_test_.df == 2
    assert model.likelihood_ratio_test_.statistic == pytest.approx(
        2 * (model.log_likelihood_ - model.log_likelihood_null_))


def test_summary_gives_hazard_ratios_with_wald_limits_and_two_sided_p():
    model = CoxPH(conf_level=0.9).fit(TIME, EVENT, X, strata=STRATA)
    row = model.summary.loc["x1"]
    z = 1.6448536269514722
    assert row["exp(coef)"] == pytest.approx(math.exp(row["coef"]))
    assert row["exp(coef) lower 90%"] == pytest.approx(math.exp(row["coef"] - z * row["se(coef)"]))
    assert row["exp(coef) upper 90%"] == pytest.approx(math.exp(row["coef"] + z * row["se(coef)"]))
    assert row["p"] == pytest.approx(math.erfc(abs(row["z"]) / math.sqrt(2)))
    assert list(model.tests.index) == ["Likelihood ratio test", "Wald test", "Score (logrank) test"]


def test_text_and_html_reports_show_the_coefficients_the_tests_and_the_tie_method():
    model = CoxPH("breslow").fit(TIME, EVENT, pd.Series(X[:, 0], name="arm <B>"), strata=STRATA)
    text, page = model.to_text(), model.to_html()
    assert "arm <B>" in text and "Wald test" in text and "ties = breslow" in text and "2 strata" in text
    assert page.startswith("<section") and "arm &lt;B&gt;" in page and "Score (logrank) test" in page


def test_array_covariates_are_named_x1_to_xp_as_columns():
    model = CoxPH().fit(TIME, EVENT, X)
    assert list(model.params_.index) == ["x1", "x2"]
    single = CoxPH().fit(TIME.tolist(), EVENT.tolist(), X[:, 0].tolist())
    assert list(single.params_.index) == ["x1"]


def test_full_convergence_drives_the_score_to_zero_and_stays_within_r_tolerance():
    r_rule = CoxPH().fit(TIME, EVENT, X, strata=STRATA)
    full = CoxPH(converge="full").fit(TIME, EVENT, X, strata=STRATA)
    assert np.abs(full.score_).max() < 1e-10
    np.testing.assert_allclose(full.params_, r_rule.params_, rtol=1e-6)
    assert full.iterations_ >= r_rule.iterations_


def test_a_covariate_that_separates_events_warns_that_its_coefficient_may_be_infinite():
    time = np.arange(1.0, 9.0)
    x = np.array([1, 1, 1, 1, 0, 0, 0, 0], dtype=float)
    with pytest.warns(CoxConvergenceWarning, match="coefficient may be infinite"):
        model = CoxPH().fit(time, np.ones(8), x)
    assert model.params_["x1"] > 5
    assert any("infinite" in note for note in model.notes_)


def test_near_tied_times_are_merged_as_r_timefix_unless_disabled():
    time = TIME.copy()
    time[2] = time[1] * (1 + 1e-12)
    merged = CoxPH().fit(time, EVENT, X)
    assert merged.log_likelihood_ == pytest.approx(CoxPH().fit(TIME, EVENT, X).log_likelihood_, rel=1e-14)
    split = CoxPH(timefix=False).fit(time, EVENT, X)
    assert split.log_likelihood_ != pytest.approx(merged.log_likelihood_, rel=1e-9)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"durations": [-1.0, *TIME[1:].tolist()]}, "durations[0]"),
        ({"event_observed": [2, *EVENT[1:].tolist()]}, "event_observed[0]"),
        ({"covariates": np.where(np.arange(18) == 3, np.nan, X[:, 1])}, "covariates[3, 0]"),
        ({"covariates": X[:5]}, "covariates"),
        ({"covariates": ["a"] * 18}, "covariates"),
        ({"event_observed": np.zeros(18)}, "event_observed"),
        ({"strata": ["A"] * 17}, "strata"),
    ],
)
def test_bad_input_is_rejected_with_the_field_named(kwargs, field):
    args = {"durations": TIME, "event_observed": EVENT, "covariates": X, "strata": None} | kwargs
    with pytest.raises(DomainError) as error:
        CoxPH().fit(**args)
    assert error.value.field == field


@pytest.mark.parametrize(
    "settings",
    [{"ties": "discrete"}, {"conf_level": 1.0}, {"eps": 0.0}, {"iter_max": -1}, {"converge": "fast"}],
)
def test_unknown_settings_are_rejected_when_fitting_not_when_constructing(settings):
    model = CoxPH(**settings)
    with pytest.raises(DomainError):
        model.fit(TIME, EVENT, X)


def test_100000_patients_are_fitted_and_the_true_hazard_ratio_recovered():
    rng = np.random.default_rng(4)
    n = 100_000
    arm = rng.integers(0, 2, n).astype(float)
    time = np.ceil(rng.exponential(12.0 * np.exp(0.3 * arm)) * 30.4375) / 30.4375
    with warnings.catch_warnings():
        warnings.simplefilter("error", CoxConvergenceWarning)
        model = CoxPH().fit(time, rng.random(n) < 0.7, arm)
    assert model.params_["x1"] == pytest.approx(-0.3, abs=0.03)
