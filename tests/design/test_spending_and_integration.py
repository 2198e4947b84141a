"""Spending functions, the numerical integration and the design inputs, without R."""

from __future__ import annotations

import math
from itertools import pairwise

import numpy as np
import pytest
from scipy.stats import multivariate_normal, norm

from oncotrial.core.errors import DomainError
from oncotrial.design.characteristics import design_characteristics, stage_probabilities
from oncotrial.design.group_sequential import design_group_sequential
from oncotrial.design.integration import GRID_R, crossing_probabilities, simpson_grid
from oncotrial.design.specification import BetaSpendingType, DesignSpec, DesignType
from oncotrial.design.spending import SpendingFamily, SpendingFunction


@pytest.mark.parametrize(("family", "parameter"), [(SpendingFamily.OBRIEN_FLEMING, None),
                                                   (SpendingFamily.POCOCK, None),
                                                   (SpendingFamily.KIM_DEMETS, 2.0),
                                                   (SpendingFamily.HWANG_SHIH_DECANI, -4.0),
                                                   (SpendingFamily.HWANG_SHIH_DECANI, 0.0)])
def test_every_spending_function_spends_nothing_at_zero_and_everything_at_one(family, parameter):
    f = SpendingFunction(family, parameter)
    values = [f.cumulative(0.025, t) for t in np.linspace(0, 1, 11)]
    assert values[0] == 0.0
    assert values[-1] == pytest.approx(0.025, rel=1e-12)
    assert all(b >= a for a, b in pairwise(values))


def test_spending_formulas_follow_lan_demets_kim_demets_and_hwang_shih_decani():
    t = 0.4
    of = SpendingFunction(SpendingFamily.OBRIEN_FLEMING).cumulative(0.025, t)
    assert of == pytest.approx(2 * (1 - norm.cdf(norm.ppf(1 - 0.0125) / math.sqrt(t))), rel=1e-12)
    two_sided = SpendingFunction(SpendingFamily.OBRIEN_FLEMING).cumulative(0.05, t, sided=2)
    assert two_sided == pytest.approx(4 * (1 - norm.cdf(norm.ppf(1 - 0.0125) / math.sqrt(t))), rel=1e-12)
    assert SpendingFunction(SpendingFamily.POCOCK).cumulative(0.025, t) == pytest.approx(
        0.025 * math.log(1 + (math.e - 1) * t))
    assert SpendingFunction(SpendingFamily.KIM_DEMETS, 3).cumulative(0.025, t) == pytest.approx(0.025 * t**3)
    assert SpendingFunction(SpendingFamily.HWANG_SHIH_DECANI, -4).cumulative(0.025, t) == pytest.approx(
        0.025 * (1 - math.exp(4 * t)) / (1 - math.exp(4)))


def test_a_spending_family_with_a_parameter_refuses_to_run_without_it():
    with pytest.raises(DomainError, match="gamma for asHSD"):
        SpendingFunction(SpendingFamily.HWANG_SHIH_DECANI)


def test_simpson_weights_integrate_the_normal_density_on_a_truncated_interval():
    z, w = simpson_grid(0.3, -1.0, 2.5)
    assert float(np.dot(w, norm.pdf(z - 0.3))) == pytest.approx(norm.cdf(2.2) - norm.cdf(-1.3), abs=1e-10)


def test_two_stage_crossing_probabilities_equal_the_bivariate_normal():
    t1, c1, c2, drift = 0.4, 2.8, 1.9, 1.2
    probs = crossing_probabilities([t1, 1.0], [-math.inf, -math.inf], [c1, c2], drift)
    mean = [drift * math.sqrt(t1), drift]
    cov = [[1.0, math.sqrt(t1)], [math.sqrt(t1), 1.0]]
    both_below = multivariate_normal(mean, cov).cdf([c1, c2])
    assert probs.upper[0] == pytest.approx(1 - norm.cdf(c1 - mean[0]), abs=1e-14)
    assert probs.upper[1] == pytest.approx(norm.cdf(c1 - mean[0]) - both_below, abs=1e-6)


def test_the_integration_has_converged_at_the_default_grid():
    rates, bounds = [0.2, 0.5, 0.75, 1.0], [4.0, 2.9, 2.3, 2.0]
    lower = [-0.5, 0.0, 0.8, 2.0]
    coarse = crossing_probabilities(rates, lower, bounds, 2.5, r=GRID_R)
    fine = crossing_probabilities(rates, lower, bounds, 2.5, r=4 * GRID_R)
    assert np.max(np.abs(coarse.upper - fine.upper)) < 1e-9
    assert np.max(np.abs(coarse.lower - fine.lower)) < 1e-9


def test_obrien_fleming_spending_bounds_keep_the_level_and_the_known_values():
    design = design_group_sequential(DesignSpec(k_max=3, alpha=0.025, type_of_design=DesignType.AS_OF))
    assert design.alpha_spent[-1] == pytest.approx(0.025, abs=1e-12)
    assert design.critical_values == pytest.approx((3.7103028733, 2.5114274845, 1.9930474833), abs=1e-7)


def test_classical_pocock_bound_is_constant_and_equals_the_published_value():
    # Jennison & Turnbull (2000), Table 2.1: C_P(5, 0.05) = 2.413 (two-sided)
    design = design_group_sequential(DesignSpec(k_max=5, alpha=0.05, sided=2, type_of_design=DesignType.P))
    assert len(set(np.round(design.critical_values, 12))) == 1
    assert design.critical_values[0] == pytest.approx(2.413, abs=5e-4)


def test_classical_obrien_fleming_final_bound_equals_the_published_value():
    # Jennison & Turnbull (2000), Table 2.3: C_B(4, 0.05) = 2.024 (two-sided), c_k = C_B sqrt(K/k)
    design = design_group_sequential(DesignSpec(k_max=4, alpha=0.05, sided=2, type_of_design=DesignType.OF))
    assert design.critical_values[-1] == pytest.approx(2.024, abs=5e-4)
    assert design.critical_values[0] == pytest.approx(2 * design.critical_values[-1], rel=1e-10)


def test_a_beta_spending_design_has_exactly_the_planned_power_and_meeting_final_bounds():
    spec = DesignSpec(k_max=3, beta=0.1, beta_spending=BetaSpendingType.BS_P)
    design = design_group_sequential(spec)
    assert design.power is not None and design.power[-1] == pytest.approx(0.9, abs=1e-9)
    assert design.drift is not None
    chars = design_characteristics(design)
    assert chars.shift == pytest.approx(design.drift**2, rel=1e-8)


def test_the_fixed_design_has_inflation_one_and_power_one_minus_beta():
    design = design_group_sequential(DesignSpec(k_max=1, alpha=0.025, beta=0.2))
    chars = design_characteristics(design)
    assert chars.inflation_factor == 1.0
    drift = norm.ppf(0.975) + norm.ppf(0.8)
    assert stage_probabilities(design, drift).power == pytest.approx(0.8, abs=1e-12)


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"k_max": 0}, "k_max"), ({"sided": 3}, "sided"), ({"alpha": 0.7}, "alpha"), ({"beta": 0.99}, "beta"),
    ({"k_max": 3, "information_rates": (0.5, 0.4, 1.0)}, "information_rates"),
    ({"k_max": 2, "information_rates": (0.5, 0.9)}, "information_rates"),
    ({"type_of_design": DesignType.WT}, "delta_wt"),
    ({"type_of_design": DesignType.AS_KD}, "spending[asKD].parameter"),
    ({"sided": 2, "beta_spending": BetaSpendingType.BS_OF}, "sided"),
    ({"k_max": 3, "futility_bounds": (0.0,)}, "futility_bounds"),
    ({"type_of_design": DesignType.OF, "beta_spending": BetaSpendingType.BS_OF}, "beta_spending"),
])
def test_invalid_design_inputs_name_the_field(kwargs, field):
    with pytest.raises(DomainError) as err:
        DesignSpec(**kwargs)
    assert err.value.field == field


def test_user_futility_bounds_above_the_efficacy_bounds_are_refused():
    with pytest.raises(DomainError, match="below the efficacy bounds"):
        design_group_sequential(DesignSpec(k_max=2, futility_bounds=(3.0,)))
