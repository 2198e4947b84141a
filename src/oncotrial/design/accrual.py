"""Expected events under uniform accrual, exponential survival and exponential dropout.

Patients enter uniformly over :math:`[0, R]` (accrual time) and are followed to the analysis at
calendar time :math:`x`. With event hazard :math:`\\lambda` and dropout hazard :math:`\\eta`, a
patient followed for :math:`u` has had the event with probability
:math:`F(u) = \\frac{\\lambda}{\\lambda+\\eta}(1 - e^{-(\\lambda+\\eta)u})`, so the expected fraction of all
:math:`N` patients with an observed event at calendar time :math:`x` is, with :math:`a = \\lambda+\\eta`
and :math:`m = \\min(x, R)`,

.. math::

    P(x) = \\frac1R\\int_0^{m} F(x - e)\\,de
         = \\frac{\\lambda}{a R}\\left(m - \\frac{e^{-a(x-m)} - e^{-a x}}{a}\\right).

At the end of the study, :math:`x = R + T_f`, this is the event probability
:math:`\\frac{\\lambda}{a}\\big(1 - \\frac{e^{-aT_f} - e^{-a(R+T_f)}}{aR}\\big)` of Lachin & Foulkes
(Biometrics 1986, eq. for uniform entry) and rpact's ``getEventProbabilities`` (which integrates
numerically). Dropout given as a proportion :math:`q` lost by time :math:`\\tau` has hazard
:math:`-\\log(1-q)/\\tau` (rpact ``dropoutRate``/``dropoutTime``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy.optimize import brentq

from oncotrial.core.errors import DomainError


def hazard_from_median(median: float) -> float:
    """Exponential hazard :math:`\\log 2/m` for median ``median``."""
    if not median > 0:
        raise DomainError("median", median, "a positive time")
    return math.log(2.0) / median


def hazard_from_survival(survival: float, time: float) -> float:
    """Exponential hazard :math:`-\\log S(t)/t` from the survival probability ``survival`` at ``time``."""
    if not 0 < survival < 1 or not time > 0:
        raise DomainError("survival", (survival, time), "S(t) in (0, 1) at a positive time t")
    return -math.log(survival) / time


def dropout_hazard(rate: float, time: float) -> float:
    """Hazard of losing a proportion ``rate`` of patients by ``time`` (0 when ``rate`` is 0)."""
    if not 0 <= rate < 1 or not time > 0:
        raise DomainError("dropout", (rate, time), "a proportion in [0, 1) at a positive time")
    return -math.log1p(-rate) / time


def event_fraction(hazard: float, dropout: float, accrual_time: float, time: float) -> float:
    """Expected fraction :math:`P(x)` of all patients with an observed event at calendar ``time``."""
    if time <= 0:
        return 0.0
    a = hazard + dropout
    m = min(time, accrual_time)
    return hazard / (a * accrual_time) * (m - (math.exp(-a * (time - m)) - math.exp(-a * time)) / a)


@dataclass(frozen=True, slots=True)
class Accrual:
    """Uniform accrual over ``accrual_time``, then ``follow_up_time`` to the final analysis.

    ``allocation_ratio`` is :math:`n_1/n_2`, experimental to control (rpact ``allocationRatioPlanned``).
    """

    accrual_time: float
    follow_up_time: float
    allocation_ratio: float = 1.0
    dropout_experimental: float = 0.0
    dropout_control: float = 0.0

    def __post_init__(self) -> None:
        if not self.accrual_time > 0:
            raise DomainError("accrual_time", self.accrual_time, "a positive duration")
        if not self.follow_up_time >= 0:
            raise DomainError("follow_up_time", self.follow_up_time, "a duration >= 0")
        if not self.allocation_ratio > 0:
            raise DomainError("allocation_ratio", self.allocation_ratio, "a positive ratio n1/n2")
        if self.dropout_experimental < 0 or self.dropout_control < 0:
            raise DomainError("dropout", (self.dropout_experimental, self.dropout_control), "hazards >= 0")

    @property
    def study_time(self) -> float:
        return self.accrual_time + self.follow_up_time

    @property
    def experimental_share(self) -> float:
        """:math:`Q_1 = r/(1+r)`."""
        return self.allocation_ratio / (1.0 + self.allocation_ratio)

    def event_fraction(self, hazard_experimental: float, hazard_control: float, time: float) -> float:
        """Expected fraction of all patients with an event at calendar ``time`` (both arms)."""
        q1 = self.experimental_share
        return (q1 * event_fraction(hazard_experimental, self.dropout_experimental, self.accrual_time, time)
                + (1 - q1) * event_fraction(hazard_control, self.dropout_control, self.accrual_time, time))

    def time_of_fraction(self, hazard_experimental: float, hazard_control: float, fraction: float) -> float:
        """Calendar time at which the expected event fraction reaches ``fraction``."""
        high = self.study_time
        while self.event_fraction(hazard_experimental, hazard_control, high) < fraction:
            high *= 2.0
            if high > 1e6 * self.study_time:
                raise DomainError("events", fraction, "an event fraction the accrued patients can reach",
                                  "increase the sample size or lower dropout")
        return float(brentq(lambda x: self.event_fraction(hazard_experimental, hazard_control, x) - fraction,
                            0.0, high, xtol=1e-12))

    def subjects_fraction(self, time: float) -> float:
        """Fraction of the planned patients accrued by calendar ``time``."""
        return min(max(time / self.accrual_time, 0.0), 1.0)
