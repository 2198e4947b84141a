"""One patient's tumour assessments under RECIST 1.1 and mRECIST, side by side.

Every scan yields one time-point response per criterion, each labelled with its
criterion; best overall response and the PFS event date follow for each.

Sources: RECIST 1.1, Eisenhauer et al., Eur J Cancer 2009;45:228–247 (§4.3–§4.4,
§4.6–§4.7); EORTC RECIST FAQ and clarifications; mRECIST, Lencioni & Llovet, Semin
Liver Dis 2010;30:52–60; admiralonco ``derive_param_confirmed_bor()`` for best
response. NCT07304388 is randomized with a PFS primary endpoint, so responses are
unconfirmed by default (RECIST 1.1 §4.6.1) and the 6-week SD minimum is a default.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from oncotrial.core.response.baseline import Baseline, check_baseline
from oncotrial.core.response.best_response import (
    BestOverallResponse,
    Confirmation,
    best_overall_response,
    pfs_event_date,
)
from oncotrial.core.response.criteria import (
    Criterion,
    ResponseRules,
    mrecist_rules,
    recist_1_1_rules,
)
from oncotrial.core.response.lesions import BaselineLesion, Scan
from oncotrial.core.response.measurability import check_diameter
from oncotrial.core.response.timeline import TimePoint, assess_time_points


@dataclass(frozen=True, slots=True)
class AssessmentSettings:
    """Options of an assessment; the defaults suit NCT07304388.

    Attributes
    ----------
    sd_min_days:
        SD counts towards best response only at ≥ this many days after
        randomization (default 42).
    confirmation:
        ``None``: unconfirmed responses (randomized trial). Otherwise CR/PR need
        confirmation as described by :class:`Confirmation`.
    too_small_default_mm:
        Value of a target too small to measure (RECIST 1.1 §4.3.2: 5 mm).
    mrecist_absolute_floor:
        Also require a 5 mm absolute increase for mRECIST PD (off: classical text).
    reappearance_after_cr_is_pd:
        EORTC clarification: reappearance of any lesion after an overall CR is PD.
    end_date:
        Best response ignores scans after this date (e.g. a new anticancer therapy).
    """

    sd_min_days: int = 42
    confirmation: Confirmation | None = None
    too_small_default_mm: float = 5.0
    mrecist_absolute_floor: bool = False
    reappearance_after_cr_is_pd: bool = True
    end_date: date | None = None

    def rules(self, criterion: Criterion) -> ResponseRules:
        """The numeric rules for ``criterion`` under these settings."""
        default = check_diameter(self.too_small_default_mm, field="settings.too_small_default_mm")
        assert default is not None
        if criterion is Criterion.RECIST_1_1:
            return recist_1_1_rules(
                too_small_default_mm=default,
                reappearance_after_cr_is_pd=self.reappearance_after_cr_is_pd,
            )
        return mrecist_rules(
            absolute_floor=self.mrecist_absolute_floor,
            too_small_default_mm=default,
            reappearance_after_cr_is_pd=self.reappearance_after_cr_is_pd,
        )


@dataclass(frozen=True, slots=True)
class CriterionAssessment:
    """Time points, best overall response and PFS event date under one criterion."""

    criterion: Criterion
    time_points: tuple[TimePoint, ...]
    best_overall_response: BestOverallResponse
    pfs_event_date: date | None


@dataclass(frozen=True, slots=True)
class Assessment:
    """Both criteria for one patient."""

    baseline: Baseline
    recist_1_1: CriterionAssessment
    mrecist: CriterionAssessment

    @property
    def by_criterion(self) -> tuple[CriterionAssessment, CriterionAssessment]:
        """RECIST 1.1 first, then mRECIST."""
        return (self.recist_1_1, self.mrecist)


def assess_criterion(
    baseline: Baseline,
    scans: Sequence[Scan],
    *,
    criterion: Criterion,
    randomization_date: date,
    death_date: date | None = None,
    settings: AssessmentSettings | None = None,
) -> CriterionAssessment:
    """Time points, best response and PFS event date under one criterion."""
    chosen = settings or AssessmentSettings()
    points = assess_time_points(
        baseline, scans, randomization_date=randomization_date, rules=chosen.rules(criterion)
    )
    bor = best_overall_response(
        points,
        randomization_date=randomization_date,
        sd_min_days=chosen.sd_min_days,
        confirmation=chosen.confirmation,
        end_date=chosen.end_date,
    )
    pfs = pfs_event_date(points, randomization_date=randomization_date, death_date=death_date)
    return CriterionAssessment(criterion, points, bor, pfs)


def assess(
    lesions: Sequence[BaselineLesion],
    scans: Sequence[Scan],
    *,
    randomization_date: date,
    death_date: date | None = None,
    settings: AssessmentSettings | None = None,
) -> Assessment:
    """Assess one patient under RECIST 1.1 and mRECIST.

    Raises
    ------
    DomainError
        Invalid baseline (see :func:`~oncotrial.core.response.baseline.check_baseline`),
        invalid scans (see :func:`~oncotrial.core.response.validation.check_scans`) or a
        death date before randomization or before a scan.
    """
    baseline = check_baseline(lesions)
    results = [
        assess_criterion(
            baseline,
            scans,
            criterion=criterion,
            randomization_date=randomization_date,
            death_date=death_date,
            settings=settings,
        )
        for criterion in (Criterion.RECIST_1_1, Criterion.MRECIST)
    ]
    return Assessment(baseline=baseline, recist_1_1=results[0], mrecist=results[1])
