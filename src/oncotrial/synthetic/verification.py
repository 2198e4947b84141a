"""Checks of the generator's output with the real core engines (eligibility, RECIST).

* :func:`screen_candidate` — the candidate's screening document through
  ``candidate_from_data`` and ``screen`` with the protocol's criteria and recency windows;
* :func:`check_candidate` — raises if an eligible candidate is not eligible, or a screen
  failure does not fail exactly its intended criterion;
* :func:`assess_script` — the script's scans through ``assess_from_dict`` (RECIST 1.1 and
  mRECIST side by side).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from oncotrial.core.eligibility.patient_data import candidate_from_data
from oncotrial.core.eligibility.rules import ScreeningContext
from oncotrial.core.eligibility.screening import ScreeningResult, screen
from oncotrial.core.response import assess_from_dict
from oncotrial.synthetic.documents import assessment_document
from oncotrial.synthetic.model import PatientScript

if TYPE_CHECKING:
    from oncotrial.synthetic.generator import SyntheticCandidate


def screen_candidate(c: SyntheticCandidate) -> ScreeningResult:
    plan = c.plan
    context = ScreeningContext(c.screening_date, plan.lab_recency_days, plan.imaging_recency_days)
    return screen(candidate_from_data(c.screening_document()), plan.criteria, context)


def check_candidate(c: SyntheticCandidate) -> ScreeningResult:
    result = screen_candidate(c)
    failed = {v.code for v in result.failed}
    if c.failure is None:
        if not result.eligible:
            raise AssertionError(
                f"{c.patient_id}: generated eligible but screened {result.status.value} "
                f"(failed {sorted(failed)}, not evaluable "
                f"{[v.code for v in result.not_evaluable]})"
            )
    elif failed != {c.failure.criterion_code}:
        raise AssertionError(
            f"{c.patient_id}: generated to fail {c.failure.criterion_code} but failed {sorted(failed)}"
        )
    return result


def assess_script(
    c: SyntheticCandidate, script: PatientScript, settings: dict[str, object] | None = None
) -> dict[str, object]:
    """``assess_from_dict`` output for the script's baseline lesions and scans."""
    return assess_from_dict(assessment_document(c.baseline.lesions, script, settings))
