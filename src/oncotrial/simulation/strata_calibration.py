"""Calibrate prognostic stratum multipliers so that the control arm keeps its stated survival.

With multipliers :math:`m_s` (prevalence :math:`p_s`) a control patient in stratum :math:`s` has
:math:`S_s(t) = S(t)^{c\\,m_s}`. The common factor :math:`c` solves
:math:`\\sum_s p_s S(\\tau)^{c m_s} = S(\\tau)` at the landmark :math:`\\tau`, so that the marginal
control survival at the landmark is the one given in the scenario (e.g. the 6-month PFS rate)
while the strata keep their relative prognosis.
"""

from __future__ import annotations

import dataclasses
import math

from scipy.optimize import brentq

from oncotrial.simulation.distributions import EventDistribution
from oncotrial.simulation.scenario import Stratum


def calibrate_strata(strata: tuple[Stratum, ...], control: EventDistribution, tau: float
                     ) -> tuple[Stratum, ...]:
    """Rescale the multipliers as described above (cure fractions are left as given)."""
    h = control.latent_cumulative_hazard(tau)
    if h <= 0 or all(s.hazard_multiplier == 1.0 for s in strata):
        return strata

    def gap(c: float) -> float:
        return sum(s.prevalence * math.exp(-c * s.hazard_multiplier * h) for s in strata) - math.exp(-h)

    c = float(brentq(gap, 1e-6, 1e6, xtol=1e-15, rtol=1e-15))
    return tuple(dataclasses.replace(s, hazard_multiplier=s.hazard_multiplier * c) for s in strata)
