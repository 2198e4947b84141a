"""``participantFlowModule``: the CONSORT-like flow of the results section (API v2).

PRS Results Data Element Definitions (2023), "Participant Flow": one or more periods,
each with milestones counted per arm; STARTED and COMPLETED are required and NOT
COMPLETED is their difference, explained by the reasons not completed.

Oncotrial's reading for a trial analysed at a data cut-off (ITT, by randomized arm):

* STARTED: randomized participants (the ITT population, ICH E9 §5.2);
* "Received at least one dose": ``first_dose_on`` recorded (the safety population);
* COMPLETED: follow-up ended by death on or before the cut-off, i.e. the OS events of
  the analysis (:attr:`TrialAnalysis.os`), the study's final event;
* reasons not completed: "Withdrawal by Subject" (consent withdrawn before the cut-off),
  "Lost to Follow-up", "On treatment at data cut-off" and "Alive in follow-up at data
  cut-off"; they add up to STARTED − COMPLETED. With each patient's status at the
  cut-off (``statuses``, the treatment courses of the report data) the reason is read
  from it; without, from ``withdrew_consent_on``.

Screening counts (pre-assignment details) come from the screening log when given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from oncotrial.analysis.trial_analysis import TrialAnalysis
from oncotrial.exports.ctgov.results_common import ArmGroup, JsonObject, drop_empty, group_id, groups_json

WITHDRAWAL = "Withdrawal by Subject"
ONGOING = "Alive in follow-up at data cut-off"
#: Status at the data cut-off (report data's treatment course) → reason not completed.
STATUS_REASONS = {"withdrew consent": WITHDRAWAL, "lost to follow-up": "Lost to Follow-up",
                  "on treatment": "On treatment at data cut-off", "in follow-up": ONGOING}


@dataclass(frozen=True, slots=True)
class ScreeningCounts:
    """Screening log totals for the pre-assignment details."""

    screened: int
    screen_failures: int
    failure_reasons: Mapping[str, int] = field(default_factory=dict)


def _stats(prefix: str, counts: Sequence[int]) -> list[JsonObject]:
    return [{"groupId": group_id(prefix, i), "numSubjects": str(n)} for i, n in enumerate(counts)]


def _reason(patient_id: str, withdrew: bool, statuses: Mapping[str, str] | None) -> str:
    if statuses is None or patient_id not in statuses:
        return WITHDRAWAL if withdrew else ONGOING
    return STATUS_REASONS.get(statuses[patient_id], "Other: " + statuses[patient_id])


def participant_flow(analysis: TrialAnalysis, groups: Sequence[ArmGroup], *,
                     screening: ScreeningCounts | None = None, statuses: Mapping[str, str] | None = None,
                     label: str | None = None) -> JsonObject:
    """The ``participantFlowModule`` of the analysed trial."""
    data = analysis.data
    arms = [g.code for g in groups]
    itt = {arm: [p for p in data.patients if p.arm == arm] for arm in arms}
    deaths = {row.patient_id for row in analysis.os.rows if row.event}
    started = [len(itt[a]) for a in arms]
    dosed = [sum(p.first_dose_on is not None for p in itt[a]) for a in arms]
    completed = [sum(p.patient_id in deaths for p in itt[a]) for a in arms]
    reasons: dict[str, list[int]] = {}
    for i, a in enumerate(arms):
        for p in itt[a]:
            if p.patient_id in deaths:
                continue
            withdrew = p.withdrew_consent_on is not None and p.withdrew_consent_on <= data.cutoff
            reasons.setdefault(_reason(p.patient_id, withdrew, statuses), [0] * len(arms))[i] += 1
    pre = None
    if screening is not None:
        why = "; ".join(f"{k}: {v}" for k, v in screening.failure_reasons.items())
        pre = (f"{screening.screened} patients were screened; {screening.screen_failures} were not "
               f"randomized (screen failures{': ' + why if why else ''}).")
    recruitment = f"Randomized participants (intention-to-treat), data cut-off {data.cutoff.isoformat()}."
    if label:
        recruitment = f"{label}. {recruitment}"
        pre = f"{label}. {pre}" if pre else None
    milestones = [
        {"type": "STARTED", "comment": "Randomized (intention-to-treat population)",
         "achievements": _stats("FG", started)},
        {"type": "Received at least one dose", "achievements": _stats("FG", dosed)},
        {"type": "COMPLETED", "comment": "Follow-up ended by death on or before the data cut-off",
         "achievements": _stats("FG", completed)},
        {"type": "NOT COMPLETED",
         "achievements": _stats("FG", [s - c for s, c in zip(started, completed, strict=True)])},
    ]
    drops = [{"type": reason, "reasons": _stats("FG", counts)} for reason, counts in sorted(reasons.items())]
    return drop_empty({
        "recruitmentDetails": recruitment, "preAssignmentDetails": pre,
        "groups": groups_json("FG", groups),
        "periods": [drop_empty({"title": "Overall Study", "milestones": milestones,
                                "dropWithdraws": drops})],
    })
