"""``adverseEventsModule``: all-cause mortality, serious and other adverse events (API v2).

PRS Results Data Element Definitions (2023), "Adverse Event Information":

* all-cause mortality: deaths / participants at risk per arm;
* Serious AE table: **all** serious adverse events, by term and organ system, number of
  participants affected / at risk and number of events per arm;
* Other (not including serious) AE table: every non-serious AE whose frequency
  **exceeds** the frequency threshold within at least one arm; the threshold may not be
  greater than 5 % (``frequencyThreshold`` "5").

Counting follows :mod:`oncotrial.core.endpoints.safety` (the analysis' TEAE rule, ICH E3
§12.2): safety population, arm actually received, treatment-emergent events only, each
participant once per term. Group totals (at risk, serious affected, deaths) are those of
:func:`~oncotrial.core.endpoints.safety.summarise_safety` as computed by the analysis.
Terms are CTCAE v5.0 terms (``sourceVocabulary`` "CTCAE (5.0)"); MedDRA is not shipped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from oncotrial.analysis.trial_analysis import TrialAnalysis
from oncotrial.core.endpoints.populations import safety_arm, safety_population
from oncotrial.core.endpoints.records import AdverseEventRecord
from oncotrial.core.endpoints.safety import treatment_emergent
from oncotrial.core.errors import DomainError
from oncotrial.exports.ctgov.organ_systems import organ_system
from oncotrial.exports.ctgov.results_common import ArmGroup, JsonObject, drop_empty, group_id

MAX_THRESHOLD = 5.0
VOCABULARY = "CTCAE (5.0)"


def _term_table(events: Mapping[str, Sequence[tuple[str, list[AdverseEventRecord]]]], arms: Sequence[str],
                terms: Sequence[str], at_risk: Mapping[str, int], extra: Mapping[str, str] | None
                ) -> list[JsonObject]:
    """One registry AE row per term: events and affected participants per arm."""
    rows = []
    for term in terms:
        stats = []
        for i, arm in enumerate(arms):
            per_patient = [[e for e in evs if e.term == term] for _pid, evs in events[arm]]
            stats.append({"groupId": group_id("EG", i), "numEvents": sum(len(x) for x in per_patient),
                          "numAffected": sum(1 for x in per_patient if x), "numAtRisk": at_risk[arm]})
        rows.append({"term": term, "organSystem": organ_system(term, extra), "sourceVocabulary": VOCABULARY,
                     "assessmentType": "SYSTEMATIC_ASSESSMENT", "stats": stats})
    rows.sort(key=lambda r: (r["organSystem"], r["term"]))
    return rows


def adverse_events(analysis: TrialAnalysis, groups: Sequence[ArmGroup], *, threshold: float = MAX_THRESHOLD,
                   time_frame: str = "From the first dose to the data cut-off",
                   organ_systems: Mapping[str, str] | None = None, label: str | None = None) -> JsonObject:
    """The ``adverseEventsModule``; ``threshold`` is the Other-AE frequency threshold in %."""
    if not 0 < threshold <= MAX_THRESHOLD:
        raise DomainError("threshold", threshold, f"a percentage in (0, {MAX_THRESHOLD:g}]",
                          "ClinicalTrials.gov allows at most 5 %")
    arms = [g.code for g in groups]
    summary = {s.arm: s for s in analysis.safety}
    at_risk = {arm: summary[arm].patients if arm in summary else 0 for arm in arms}
    serious: dict[str, list[tuple[str, list[AdverseEventRecord]]]] = defaultdict(list)
    other: dict[str, list[tuple[str, list[AdverseEventRecord]]]] = defaultdict(list)
    for r in safety_population(analysis.data.patients):
        teae = treatment_emergent(r)
        serious[safety_arm(r)].append((r.patient_id, [e for e in teae if e.serious]))
        other[safety_arm(r)].append((r.patient_id, [e for e in teae if not e.serious]))
    serious_terms = sorted({e.term for arm in arms for _p, evs in serious[arm] for e in evs})
    candidates = sorted({e.term for arm in arms for _p, evs in other[arm] for e in evs})

    def exceeds(term: str) -> bool:
        return any(at_risk[arm] and 100.0 * sum(any(e.term == term for e in evs) for _p, evs in other[arm])
                   / at_risk[arm] > threshold for arm in arms)

    other_terms = [t for t in candidates if exceeds(t)]
    other_affected = {arm: sum(any(e.term in other_terms for e in evs) for _p, evs in other[arm])
                      for arm in arms}
    event_groups = [drop_empty({
        "id": group_id("EG", i), "title": g.title, "description": g.description,
        "deathsNumAffected": summary[g.code].deaths if g.code in summary else 0,
        "deathsNumAtRisk": at_risk[g.code],
        "seriousNumAffected": summary[g.code].serious if g.code in summary else 0,
        "seriousNumAtRisk": at_risk[g.code],
        "otherNumAffected": other_affected[g.code], "otherNumAtRisk": at_risk[g.code]})
        for i, g in enumerate(groups)]
    description = ("Treatment-emergent adverse events (onset on or after the first dose) in the safety "
                   "population, by arm received; graded and named per CTCAE v5.0. Other AEs are listed "
                   f"when their frequency exceeds {threshold:g}% in at least one arm.")
    mortality = "All-cause mortality: deaths from any cause recorded in the safety population."
    return drop_empty({
        "frequencyThreshold": f"{threshold:g}", "timeFrame": time_frame,
        "description": f"{label}. {description}" if label else description,
        "allCauseMortalityComment": mortality, "eventGroups": event_groups,
        "seriousEvents": _term_table(serious, arms, serious_terms, at_risk, organ_systems),
        "otherEvents": _term_table(other, arms, other_terms, at_risk, organ_systems),
    })
