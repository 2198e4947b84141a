"""CONSORT 2010 counts of the report from the screening log, the trial data and the treatment courses.

Randomized and allocated patients are the TrialData patients (ITT); "received allocated
intervention" is a first dose on record (the safety population); discontinuations, their
reasons, patients on treatment and lost to follow-up come from the treatment courses. All
randomized patients are analysed (ITT, by randomized arm; Schulz et al., *BMJ*
2010;340:c332). :meth:`ConsortCounts.check` verifies that the counts add up.
"""

from __future__ import annotations

from collections import Counter

from oncotrial.analysis.plotting.consort import ArmFlow, ConsortCounts
from oncotrial.analysis.report_data import ReportExtras
from oncotrial.core.endpoints.trial_data import TrialData

NOT_RECORDED = "Reason not recorded"


def consort_counts(data: TrialData, extras: ReportExtras) -> ConsortCounts:
    """The participant flow; raises :class:`~oncotrial.core.errors.DomainError` if it does not add up."""
    course = {c.patient_id: c for c in extras.courses}
    flows = []
    for arm in data.arms:
        mine = [p for p in data.patients if p.arm == arm]
        treated = [p for p in mine if p.first_dose_on is not None]
        never = Counter(
            course[p.patient_id].end_reason or NOT_RECORDED for p in mine if p.first_dose_on is None
        )
        stopped = Counter(
            course[p.patient_id].end_reason or NOT_RECORDED
            for p in treated
            if course[p.patient_id].ended_on is not None
        )
        flows.append(
            ArmFlow(
                arm,
                allocated=len(mine),
                analysed=len(mine),
                received=len(treated),
                not_received=dict(never.most_common()),
                discontinued=dict(stopped.most_common()),
                lost_to_follow_up=sum(
                    course[p.patient_id].status_at_cutoff == "lost to follow-up" for p in mine
                ),
                ongoing=sum(course[p.patient_id].ended_on is None for p in treated),
            )
        )
    counts = ConsortCounts(
        extras.screening.assessed, dict(extras.screening.excluded), len(data.patients), flows
    )
    counts.check()
    return counts
