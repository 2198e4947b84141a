"""Events and sample size for a time-to-event endpoint (log-rank test), fixed or group sequential.

With allocation ratio :math:`r = n_1/n_2` (experimental to control), hazard ratio
:math:`\\psi = \\lambda_1/\\lambda_2` and :math:`z = z_{1-\\alpha/s} + z_{1-\\beta}` (:math:`s` = sides),
the events of the fixed design are (rpact ``getSampleSizeSurvival`` ``typeOfComputation``):

* Schoenfeld (Biometrika 1981): :math:`D = z^2 (1+r)^2 / (r \\log^2\\psi)`;
* Freedman (Stat Med 1982): :math:`D = z^2 (1 + r\\psi)^2 / (r (1-\\psi)^2)`;
* Hsieh–Freedman (Hsieh, Stat Med 1992): :math:`D = z^2 (1+r)^2 (1+\\psi)^2 / (4 r (1-\\psi)^2)`.

Lachin & Foulkes (Biometrics 1986) size the trial in patients instead, using the null variance at
the average hazard :math:`\\bar\\lambda = Q_1\\lambda_1 + Q_2\\lambda_2` (:math:`Q_1 = r/(1+r)`) and the
event probabilities :math:`P_i` of :mod:`oncotrial.design.accrual`:

.. math::

    \\sqrt N\\,|\\log\\psi| = z_{1-\\alpha/s}\\sqrt{\\frac{1}{Q_1Q_2\\bar P}}
                          + z_{1-\\beta}\\sqrt{\\frac{1}{Q_1P_1} + \\frac{1}{Q_2P_2}}

(log hazard ratio, as gsDesign ``nSurvival(type = "rr")``), or, for the hazard difference of the
1986 paper (gsDesign ``type = "rd"``),
:math:`\\sqrt N|\\lambda_1-\\lambda_2| = z_{1-\\alpha/s}\\bar\\lambda/\\sqrt{Q_1Q_2\\bar P}
+ z_{1-\\beta}\\sqrt{\\lambda_1^2/(Q_1P_1) + \\lambda_2^2/(Q_2P_2)}`; the events are
:math:`N(Q_1P_1 + Q_2P_2)`. :math:`\\bar P` uses :math:`\\bar\\lambda` and the average dropout hazard.

A group sequential design multiplies the fixed events (or patients, for Lachin–Foulkes) by its
inflation factor; stage :math:`k` analyses :math:`t_k D_{max}` events at the calendar time where the
expected events reach that number, as rpact's ``.getSampleSizeSequentialSurvival``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from scipy.special import ndtri

from oncotrial.core.errors import DomainError
from oncotrial.design.accrual import Accrual, event_fraction
from oncotrial.design.characteristics import design_characteristics
from oncotrial.design.group_sequential import GroupSequentialDesign


class SurvivalMethod(StrEnum):
    """How events (or patients) are derived from the hazard ratio."""

    SCHOENFELD = "Schoenfeld"
    FREEDMAN = "Freedman"
    HSIEH_FREEDMAN = "HsiehFreedman"
    LACHIN_FOULKES = "LachinFoulkes"
    LACHIN_FOULKES_DIFFERENCE = "LachinFoulkesDifference"

    @property
    def is_lachin_foulkes(self) -> bool:
        return self.value.startswith("LachinFoulkes")


def _check_hr(hazard_ratio: float) -> None:
    if not (hazard_ratio > 0 and hazard_ratio != 1 and math.isfinite(hazard_ratio)):
        raise DomainError("hazard_ratio", hazard_ratio, "a positive number other than 1")


def events_fixed(hazard_ratio: float, alpha: float, beta: float, sided: int = 1,
                 allocation_ratio: float = 1.0, method: SurvivalMethod = SurvivalMethod.SCHOENFELD) -> float:
    """Events of the fixed design by Schoenfeld, Freedman or Hsieh–Freedman (formulas above)."""
    _check_hr(hazard_ratio)
    if method.is_lachin_foulkes:
        raise DomainError("method", method.value, "Schoenfeld, Freedman or HsiehFreedman",
                          "Lachin-Foulkes needs accrual: use sample_size_survival")
    z2 = float(ndtri(1 - alpha / sided) + ndtri(1 - beta)) ** 2
    r, psi = allocation_ratio, hazard_ratio
    if method is SurvivalMethod.SCHOENFELD:
        return z2 * (1 + r) ** 2 / (r * math.log(psi) ** 2)
    if method is SurvivalMethod.FREEDMAN:
        return z2 * (1 + r * psi) ** 2 / (r * (1 - psi) ** 2)
    return z2 * (1 + r) ** 2 * (1 + psi) ** 2 / (4 * r * (1 - psi) ** 2)


def events_drift(hazard_ratio: float, events: float, allocation_ratio: float = 1.0,
                 method: SurvivalMethod = SurvivalMethod.SCHOENFELD) -> float:
    """Mean of the log-rank :math:`Z` with ``events`` events: the inverse of :func:`events_fixed`.

    Lachin–Foulkes designs use Schoenfeld's relation here (power curves on the events scale).
    """
    r, psi = allocation_ratio, hazard_ratio
    if method is SurvivalMethod.FREEDMAN:
        return math.sqrt(events * r) * abs(1 - psi) / (1 + r * psi)
    if method is SurvivalMethod.HSIEH_FREEDMAN:
        return math.sqrt(events * r) * 2 * abs(1 - psi) / ((1 + r) * (1 + psi))
    return math.sqrt(events * r) * abs(math.log(psi)) / (1 + r)


def lachin_foulkes_subjects(hazard_control: float, hazard_ratio: float, accrual: Accrual, alpha: float,
                            beta: float, sided: int = 1, difference: bool = False) -> float:
    """Patients :math:`N` of the fixed design by Lachin & Foulkes (1986), formula above."""
    _check_hr(hazard_ratio)
    lam2 = hazard_control
    lam1 = hazard_ratio * lam2
    q1 = accrual.experimental_share
    q2 = 1 - q1
    t_end = accrual.study_time
    p1 = event_fraction(lam1, accrual.dropout_experimental, accrual.accrual_time, t_end)
    p2 = event_fraction(lam2, accrual.dropout_control, accrual.accrual_time, t_end)
    lam_bar = q1 * lam1 + q2 * lam2
    p_bar = event_fraction(lam_bar, q1 * accrual.dropout_experimental + q2 * accrual.dropout_control,
                           accrual.accrual_time, t_end)
    za, zb = float(ndtri(1 - alpha / sided)), float(ndtri(1 - beta))
    if difference:
        root = (za * lam_bar / math.sqrt(q1 * q2 * p_bar)
                + zb * math.sqrt(lam1**2 / (q1 * p1) + lam2**2 / (q2 * p2))) / abs(lam1 - lam2)
    else:
        root = (za / math.sqrt(q1 * q2 * p_bar) + zb * math.sqrt(1 / (q1 * p1) + 1 / (q2 * p2))) / abs(
            math.log(hazard_ratio))
    return root**2


@dataclass(frozen=True, slots=True)
class SurvivalSampleSize:
    """Events, patients and timing of a survival design (rpact ``TrialDesignPlanSurvival`` names)."""

    method: SurvivalMethod
    hazard_ratio: float
    hazard_control: float
    events_fixed: float
    subjects_fixed: float
    inflation_factor: float
    events_per_stage: tuple[float, ...]
    analysis_times: tuple[float, ...]
    subjects_per_stage: tuple[float, ...]
    max_subjects: float
    max_subjects_experimental: float
    max_subjects_control: float
    event_probability: float
    expected_events_h0: float
    expected_events_h01: float
    expected_events_h1: float
    expected_subjects_h1: float
    study_duration_h1: float
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def max_events(self) -> float:
        return self.events_per_stage[-1]

    def to_dict(self) -> dict[str, Any]:
        out = {name: getattr(self, name) for name in self.__dataclass_fields__ if name != "extras"}
        out["method"] = self.method.value
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in out.items()}


def sample_size_survival(design: GroupSequentialDesign, hazard_control: float, hazard_ratio: float,
                         accrual: Accrual,
                         method: SurvivalMethod = SurvivalMethod.SCHOENFELD) -> SurvivalSampleSize:
    """Events and patients for ``design`` with accrual and follow-up fixed (rpact ``getSampleSizeSurvival``).

    The patients are :math:`D_{max}/P(R + T_f)`; interim analyses happen when the expected events
    reach :math:`t_k D_{max}`; expected events are rpact's ``averageSampleNumber`` times the fixed
    events; the expected study duration and patients under :math:`H_1` weight the analysis times
    and accrued patients by the stage-wise stopping probabilities.
    """
    spec = design.spec
    if not hazard_control > 0:
        raise DomainError("hazard_control", hazard_control, "a positive hazard (events per time unit)")
    lam2, lam1 = hazard_control, hazard_ratio * hazard_control
    omega = accrual.event_fraction(lam1, lam2, accrual.study_time)
    chars = design_characteristics(design)
    if method.is_lachin_foulkes:
        n_fixed = lachin_foulkes_subjects(lam2, hazard_ratio, accrual, spec.alpha, spec.beta, spec.sided,
                                          difference=method is SurvivalMethod.LACHIN_FOULKES_DIFFERENCE)
        d_fixed = n_fixed * omega
    else:
        d_fixed = events_fixed(hazard_ratio, spec.alpha, spec.beta, spec.sided, accrual.allocation_ratio,
                               method)
        n_fixed = d_fixed / omega
    rates = design.information_rates
    events = tuple(d_fixed * chars.inflation_factor * t for t in rates)
    n_max = n_fixed * chars.inflation_factor
    times = (*(accrual.time_of_fraction(lam1, lam2, e / n_max) for e in events[:-1]), accrual.study_time)
    subjects = tuple(n_max * accrual.subjects_fraction(x) for x in times)
    stop = [a + b for a, b in zip(chars.rejection_probabilities, (*chars.futility_probabilities, 0.0),
                                  strict=True)]
    stop[-1] = 1.0 - sum(stop[:-1])
    q1 = accrual.experimental_share
    return SurvivalSampleSize(
        method=method, hazard_ratio=hazard_ratio, hazard_control=hazard_control,
        events_fixed=d_fixed, subjects_fixed=n_fixed, inflation_factor=chars.inflation_factor,
        events_per_stage=events, analysis_times=times, subjects_per_stage=subjects, max_subjects=n_max,
        max_subjects_experimental=n_max * q1, max_subjects_control=n_max * (1 - q1), event_probability=omega,
        expected_events_h0=chars.average_sample_number_h0 * d_fixed,
        expected_events_h01=chars.average_sample_number_h01 * d_fixed,
        expected_events_h1=chars.average_sample_number_h1 * d_fixed,
        expected_subjects_h1=sum(s * p for s, p in zip(subjects, stop, strict=True)),
        study_duration_h1=sum(x * p for x, p in zip(times, stop, strict=True)))
