"""Power for the 6-month PFS rate difference: the calibration sanity check and the exact methods.

``shared/research/clinical-content.md`` §2.4 states, for a one-sided test of 0.60 against 0.80:
48 patients per arm give power 0.69 at alpha 0.05 and 0.81 at 0.10; 60 per arm give 0.78 and 0.87.
All four figures are those of the normal approximation with the pooled variance (rpact
``getPowerRates``): 0.6934, 0.8099, 0.7776, 0.8721. Fisher's exact test gives 0.62/0.76/0.71/0.82,
the exact unconditional test 0.69/0.77/0.77/0.84 and the unpooled normal test 0.71/0.82/0.79/0.88.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import barnard_exact, binom

from oncotrial.core.errors import DomainError
from oncotrial.design.exact_rates import (
    ExactTest,
    exact_power,
    exact_sample_size,
    fisher_region,
    unconditional_region,
)
from oncotrial.design.group_sequential import design_group_sequential
from oncotrial.design.rates import Variance, power_rates, sample_size_rates
from oncotrial.design.specification import DesignSpec
from support.rscript import RScript

STATED = {(48, 0.05): 0.69, (48, 0.10): 0.81, (60, 0.05): 0.78, (60, 0.10): 0.87}


def _normal(n: int, alpha: float, variance: Variance) -> float:
    design = design_group_sequential(DesignSpec(k_max=1, alpha=alpha))
    return power_rates(design, 0.80, 0.60, 2 * n, variance=variance)


@pytest.mark.parametrize(("n", "alpha"), list(STATED))
def test_the_stated_power_is_the_pooled_normal_approximation(n, alpha):
    assert round(_normal(n, alpha, Variance.POOLED), 2) == STATED[(n, alpha)]


def test_no_exact_test_and_not_the_unpooled_test_reproduce_all_four_stated_powers():
    for compute in (lambda n, a: exact_power(0.8, 0.6, n, n, a, 1, ExactTest.FISHER),
                    lambda n, a: exact_power(0.8, 0.6, n, n, a, 1, ExactTest.UNCONDITIONAL),
                    lambda n, a: _normal(n, a, Variance.UNPOOLED)):
        assert any(round(compute(n, a), 2) != power for (n, a), power in STATED.items())


def test_exact_power_of_fisher_test_equals_enumeration_with_r_fisher_test(base_r: RScript):
    cases = [(15, 12, 0.05, 1), (20, 20, 0.1, 2), (9, 14, 0.05, 2)]
    script = []
    for i, (n1, n2, alpha, sided) in enumerate(cases):
        alternative = "greater" if sided == 1 else "two.sided"
        script.append(f"""r <- outer(0:{n1}, 0:{n2}, Vectorize(function(a, b)
  fisher.test(matrix(c(a, {n1} - a, b, {n2} - b), 2), alternative = "{alternative}")$p.value <= {alpha}))
emit("region{i}", t(r))
emit("power{i}", sum(outer(dbinom(0:{n1}, {n1}, 0.7), dbinom(0:{n2}, {n2}, 0.35)) * r))""")
    reference = base_r.run("\n".join(script) + "\n")
    for i, (n1, n2, alpha, sided) in enumerate(cases):
        ours = fisher_region(n1, n2, alpha, sided)
        theirs = np.array(reference[f"region{i}"], dtype=bool).reshape(n1 + 1, n2 + 1)
        assert np.array_equal(ours, theirs), (n1, n2, alpha, sided)
        assert exact_power(0.7, 0.35, n1, n2, alpha, sided) == pytest.approx(reference[f"power{i}"][0],
                                                                             abs=1e-12)


@pytest.mark.parametrize(("n1", "n2", "sided"), [(10, 10, 1), (9, 7, 2)])
def test_unconditional_region_agrees_with_scipy_barnard_exact_pooled(n1, n2, sided):
    region = unconditional_region(n1, n2, 0.05, sided)
    alternative = "greater" if sided == 1 else "two-sided"
    for x1 in range(n1 + 1):
        for x2 in range(n2 + 1):
            p = barnard_exact([[x1, x2], [n1 - x1, n2 - x2]], alternative=alternative, pooled=True,
                              n=64).pvalue
            if abs(p - 0.05) > 1e-6:
                assert region[x1, x2] == (p <= 0.05), (x1, x2, p)


def test_exact_power_is_the_binomial_sum_over_the_region_and_the_size_is_at_most_alpha():
    region = unconditional_region(30, 30, 0.05)
    b = binom.pmf(np.arange(31), 30, 0.5)
    assert float(b @ region @ b) <= 0.05
    size = exact_power(0.5, 0.5, 30, 30, 0.05, test=ExactTest.UNCONDITIONAL)
    assert size == pytest.approx(float(b @ region @ b))


def test_exact_power_in_the_other_direction_mirrors_the_tables():
    up = exact_power(0.8, 0.6, 30, 25, 0.05, 1, ExactTest.FISHER)
    down = exact_power(0.2, 0.4, 30, 25, 0.05, 1, ExactTest.FISHER)
    assert up == pytest.approx(down, abs=1e-14)


def test_exact_sample_size_is_the_smallest_n_reaching_the_power():
    size = exact_sample_size(0.8, 0.6, 0.05, 0.2, test=ExactTest.FISHER)
    assert size.power >= 0.8
    assert exact_power(0.8, 0.6, size.n_experimental - 1, size.n_control - 1, 0.05) < 0.8
    normal = sample_size_rates(design_group_sequential(DesignSpec(k_max=1, alpha=0.05)), 0.8, 0.6)
    assert size.n_total > normal.n_fixed  # Fisher's test is conservative


def test_equal_rates_cannot_be_powered_and_rates_must_lie_in_zero_one():
    design = design_group_sequential(DesignSpec(k_max=1))
    with pytest.raises(DomainError, match="different from p2"):
        sample_size_rates(design, 0.6, 0.6)
    with pytest.raises(DomainError) as err:
        power_rates(design, 1.2, 0.6, 100)
    assert err.value.field == "p1"
