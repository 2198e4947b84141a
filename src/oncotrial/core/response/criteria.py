"""Response categories and the numeric rules of RECIST 1.1 and mRECIST.

Sources
-------
* RECIST 1.1: Eisenhauer EA et al., Eur J Cancer 2009;45:228–247. §4.3.1 (target
  lesions: PR ≥ 30 % decrease versus the baseline sum; PD ≥ 20 % increase versus the
  smallest sum on study *and* an absolute increase ≥ 5 mm), §4.3.2 (lesions too
  small to measure: default 5 mm; nodes normal below 10 mm short axis), §4.4.1
  (time-point response, Tables 1 and 2).
* EORTC RECIST working group, RECIST 1.1 questions and clarifications
  (recist.eortc.org): SD is judged against baseline for shrinkage and against the
  nadir for growth; a measured value below 5 mm is recorded as measured; after a
  definitive overall CR, the reappearance of any lesion is PD.
* mRECIST: Lencioni R, Llovet JM, Semin Liver Dis 2010;30:52–60. Same 30 % / 20 %
  thresholds applied to the sum of *viable* (arterially enhancing) diameters; the
  classical text has no 5 mm absolute floor, so the floor is optional here.

Sums are compared with :class:`decimal.Decimal` built from the shortest decimal
representation of each measurement, so that 70.0 mm against a 100.0 mm baseline is
exactly a 30 % decrease (binary floating point would make some such boundaries fall
on the wrong side).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Final


class Criterion(StrEnum):
    """The response criterion a result was computed under."""

    RECIST_1_1 = "RECIST 1.1"
    MRECIST = "mRECIST"


class Response(StrEnum):
    """Overall response at a time point, or best overall response.

    Values follow the CDISC RSSTRESC spellings. ``MISSING`` is used only for a best
    overall response when no post-baseline assessment exists (admiralonco
    convention).
    """

    CR = "CR"
    PR = "PR"
    SD = "SD"
    NON_CR_NON_PD = "NON-CR/NON-PD"
    PD = "PD"
    NE = "NE"
    MISSING = "MISSING"


class TargetResponse(StrEnum):
    """Target-lesion response (RECIST 1.1 §4.3.1); ``NA`` when there are no targets."""

    CR = "CR"
    PR = "PR"
    SD = "SD"
    PD = "PD"
    NE = "NE"
    NOT_APPLICABLE = "NA"


class NonTargetResponse(StrEnum):
    """Non-target response (RECIST 1.1 §4.3.3); ``NA`` when there are no non-targets."""

    CR = "CR"
    NON_CR_NON_PD = "NON-CR/NON-PD"
    PD = "PD"
    NE = "NE"
    NOT_APPLICABLE = "NA"


class NewLesionStatus(StrEnum):
    """New lesions seen at a time point (RECIST 1.1 §4.3.5)."""

    NONE = "none"
    EQUIVOCAL = "equivocal"
    UNEQUIVOCAL = "unequivocal"


BEST_RESPONSE_ORDER: Final[tuple[Response, ...]] = (
    Response.CR,
    Response.PR,
    Response.SD,
    Response.NON_CR_NON_PD,
    Response.PD,
    Response.NE,
    Response.MISSING,
)
"""Best first, as in admiralonco ``derive_param_confirmed_bor()``."""


def to_mm(value: float | Decimal) -> Decimal:
    """Exact decimal value of a measurement given in mm (``12.1`` → ``Decimal('12.1')``)."""
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(float(value)))


@dataclass(frozen=True, slots=True)
class ResponseRules:
    """Numeric rules applied to one criterion.

    Attributes
    ----------
    criterion:
        RECIST 1.1 or mRECIST.
    pr_min_decrease:
        Fractional decrease of the sum versus baseline that makes PR (0.30).
    pd_min_increase:
        Fractional increase of the sum versus the nadir that makes PD (0.20).
    pd_min_absolute_increase_mm:
        Absolute increase over the nadir also required for PD (5 mm in RECIST 1.1
        §4.3.1); ``None`` for no floor (classical mRECIST).
    too_small_default_mm:
        Value given to a target present but too small to measure (RECIST 1.1
        §4.3.2: 5 mm) when no measured value is given.
    node_normal_below_mm:
        A node with a short axis below this is normal (RECIST 1.1 §4.3.1: 10 mm).
    reappearance_after_cr_is_pd:
        EORTC clarification: once an overall CR was assigned at the previous time
        point, the reappearance of any lesion is PD.
    """

    criterion: Criterion
    pr_min_decrease: Decimal = Decimal("0.30")
    pd_min_increase: Decimal = Decimal("0.20")
    pd_min_absolute_increase_mm: Decimal | None = Decimal("5")
    too_small_default_mm: Decimal = Decimal("5")
    node_normal_below_mm: Decimal = Decimal("10")
    reappearance_after_cr_is_pd: bool = True


def recist_1_1_rules(
    *, too_small_default_mm: float = 5.0, reappearance_after_cr_is_pd: bool = True
) -> ResponseRules:
    """Rules of RECIST 1.1 (Eisenhauer 2009 §4.3.1–§4.3.2), 5 mm floor included."""
    return ResponseRules(
        criterion=Criterion.RECIST_1_1,
        too_small_default_mm=to_mm(too_small_default_mm),
        reappearance_after_cr_is_pd=reappearance_after_cr_is_pd,
    )


def mrecist_rules(
    *,
    absolute_floor: bool = False,
    too_small_default_mm: float = 5.0,
    reappearance_after_cr_is_pd: bool = True,
) -> ResponseRules:
    """Rules of mRECIST (Lencioni & Llovet 2010); the 5 mm PD floor is off by default."""
    return ResponseRules(
        criterion=Criterion.MRECIST,
        pd_min_absolute_increase_mm=Decimal("5") if absolute_floor else None,
        too_small_default_mm=to_mm(too_small_default_mm),
        reappearance_after_cr_is_pd=reappearance_after_cr_is_pd,
    )
