"""Entry points: candidates in screening order, each with a lazily built script per arm.

* :func:`generate_candidate` — candidate *k* of a plan (pure function of seed and *k*);
* :func:`iter_candidates` — an endless iterator over candidates 0, 1, 2, … (memory-light);
* :func:`generate_trial` — enough candidates for ``patients`` eligible ones, with a
  scenario scaled to the number of patients and sites.

The arm is decided by the application's randomization, so an eligible candidate
carries no arm: :meth:`SyntheticCandidate.script` builds its script for the arm it was
given (both arms share the latent uniforms; see :mod:`.latent`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from oncotrial.core.protocol.model import Protocol
from oncotrial.synthetic.baseline import baseline_profile
from oncotrial.synthetic.documents import screening_document
from oncotrial.synthetic.draws import Draws, Stream
from oncotrial.synthetic.labels import SIMULATED_LABEL
from oncotrial.synthetic.latent import shared_latent
from oncotrial.synthetic.model import BaselineProfile, PatientScript, ScreenFailure
from oncotrial.synthetic.plan import TrialPlan, make_plan
from oncotrial.synthetic.scenario import TrialScenario, site_codes
from oncotrial.synthetic.screen_failures import apply_failure, enforce_lab_criteria, supported
from oncotrial.synthetic.sites import site_ranges

MIN_FOLLOW_UP_DAYS = 183 + 92  # primary analysis: 6 months after the last randomization + margin


@dataclass(frozen=True, slots=True)
class SyntheticCandidate:
    """One screened candidate: baseline, screening document, intended outcome of screening.

    ``failure`` is None for a candidate generated to be eligible. ``stratification`` is
    ``((factor attribute, level), …)`` for the protocol's factors (extrahepatic
    metastasis, ECOG).
    """

    label: str
    index: int
    patient_id: str
    site_id: str
    screening_date: date
    baseline: BaselineProfile
    failure: ScreenFailure | None
    plan: TrialPlan

    @property
    def eligible(self) -> bool:
        return self.failure is None

    @property
    def stratification(self) -> tuple[tuple[str, str], ...]:
        return (
            ("extrahepatic_metastasis", "yes" if self.baseline.extrahepatic_metastasis else "no"),
            ("ecog", str(self.baseline.ecog)),
        )

    def screening_document(self) -> dict[str, object]:
        """A fresh patient-format document (docs/patient-format.md) for the core/services."""
        return screening_document(
            patient_id=self.patient_id,
            site_id=self.site_id,
            screening_date=self.screening_date,
            baseline=self.baseline,
        )

    def script(self, arm_code: str) -> PatientScript:
        """The complete script in ``arm_code`` (deterministic; built on each call)."""
        if self.failure is not None:
            raise ValueError(
                f"{self.patient_id}: a screen failure ({self.failure.criterion_code}) has no treatment script"
            )
        from oncotrial.synthetic.course import build_script

        shared = shared_latent(Draws(self.plan.scenario.seed, self.index, Stream.LATENT), self.plan.imaging)
        return build_script(
            self.plan,
            arm_code=arm_code,
            index=self.index,
            patient_id=self.patient_id,
            site_id=self.site_id,
            screening_date=self.screening_date,
            baseline=self.baseline,
            shared=shared,
        )


def generate_candidate(plan: TrialPlan, index: int) -> SyntheticCandidate:
    """Candidate ``index`` (0-based): depends only on the plan and the index."""
    sc = plan.scenario
    d = Draws(sc.seed, index, Stream.BASELINE)
    offset = math.floor((index + d.random()) * sc.accrual_days / sc.expected_candidates)
    screening_date = sc.start_date + timedelta(days=offset)
    site_index = d.integer(0, len(sc.sites) - 1)
    site_id = sc.sites[site_index]
    baseline = baseline_profile(d, screening_date=screening_date, ranges=site_ranges(site_id, site_index))
    baseline = enforce_lab_criteria(baseline, plan.criteria)
    failure = None
    f = Draws(sc.seed, index, Stream.SCREENING)
    if f.bernoulli(sc.screen_failure_probability):
        by_code = {c.code: c for c in plan.criteria}
        options = [
            (by_code[code], w)
            for code, w in sc.failure_weights
            if code in by_code and w > 0 and supported(by_code[code])
        ]
        if options:
            criterion = options[f.choice([w for _, w in options])][0]
            baseline, failure = apply_failure(baseline, criterion, f, screening_date=screening_date)
    return SyntheticCandidate(
        SIMULATED_LABEL, index, f"SIM-{index + 1:05d}", site_id, screening_date, baseline, failure, plan
    )


def iter_candidates(plan: TrialPlan, start: int = 0) -> Iterator[SyntheticCandidate]:
    """Candidates ``start``, ``start + 1``, … in screening-date order, generated one at a time."""
    index = start
    while True:
        yield generate_candidate(plan, index)
        index += 1


@dataclass(frozen=True, slots=True)
class SyntheticTrial:
    """A whole SIMULATED trial: candidates in screening order (screen failures included)."""

    label: str
    plan: TrialPlan
    candidates: tuple[SyntheticCandidate, ...]

    @property
    def eligible(self) -> tuple[SyntheticCandidate, ...]:
        return tuple(c for c in self.candidates if c.eligible)

    @property
    def screen_failures(self) -> tuple[SyntheticCandidate, ...]:
        return tuple(c for c in self.candidates if not c.eligible)

    @property
    def cutoff(self) -> date:
        return self.plan.scenario.cutoff


def trial_scenario(
    *, patients: int = 120, sites: int = 5, seed: int = 20230801, base: TrialScenario | None = None
) -> TrialScenario:
    """The default NCT07304388 scenario scaled to ``patients`` randomized over ``sites`` sites.

    The accrual period stays ≈ 22 months from 2023-08-01 (brief); the cut-off is the end
    of accrual + 6 months + 3 months' margin, so the 6-month PFS of the last patient is
    mature at the primary analysis.
    """
    b = base or TrialScenario()
    if patients < 1:
        raise ValueError(f"patients = {patients!r}: expected at least 1")
    expected = max(1, round(patients / (1.0 - b.screen_failure_probability)))
    cutoff = b.start_date + timedelta(days=b.accrual_days + MIN_FOLLOW_UP_DAYS)
    return b.with_changes(
        seed=seed, sites=site_codes(sites, b.sites[0]), expected_candidates=expected, cutoff=cutoff
    )


def generate_trial(
    protocol: Protocol,
    *,
    patients: int = 120,
    sites: int = 5,
    seed: int = 20230801,
    scenario: TrialScenario | None = None,
    verify: bool = False,
) -> SyntheticTrial:
    """Candidates in screening order until ``patients`` eligible ones (screen failures included).

    ``scenario`` overrides the default (its ``seed``, ``sites``, ``expected_candidates``
    and ``cutoff`` are then used as given). ``verify`` screens every candidate with the
    core eligibility engine and raises if one does not screen as intended.
    """
    sc = scenario if scenario is not None else trial_scenario(patients=patients, sites=sites, seed=seed)
    plan = make_plan(protocol, sc)
    out: list[SyntheticCandidate] = []
    eligible = 0
    for c in iter_candidates(plan):
        out.append(c)
        eligible += c.eligible
        if eligible >= patients:
            break
    if verify:
        from oncotrial.synthetic.verification import check_candidate

        for c in out:
            check_candidate(c)
    return SyntheticTrial(SIMULATED_LABEL, plan, tuple(out))
