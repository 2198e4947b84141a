"""Adverse-event tables and participant flow on small hand-built trials (counts checked by hand)."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from oncotrial.core.endpoints.records import AdverseEventRecord
from oncotrial.core.endpoints.safety import summarise_safety
from oncotrial.core.endpoints.time_to_event import overall_survival
from oncotrial.core.endpoints.trial_data import TrialData
from oncotrial.core.errors import DomainError
from oncotrial.exports.ctgov.organ_systems import organ_system
from oncotrial.exports.ctgov.results_adverse import adverse_events
from oncotrial.exports.ctgov.results_common import arm_groups
from oncotrial.exports.ctgov.results_flow import participant_flow
from support.endpoint_records import CUT, R, patient


def _ae(term: str, *, serious: bool = False, day: int = 10) -> AdverseEventRecord:
    return AdverseEventRecord(term, 2, R + timedelta(days=day), serious=serious)


def _trial(patients: list[Any]) -> Any:
    data = TrialData("NCT07304388", CUT, False, ("HAIC", "GEMOX"), "GEMOX", tuple(patients))
    return SimpleNamespace(data=data, safety=summarise_safety(data.patients),
                           os=SimpleNamespace(rows=[overall_survival(p, cutoff=CUT) for p in patients]))


def _twenty_per_arm(events: dict[int, tuple[AdverseEventRecord, ...]]) -> Any:
    """20 HAIC patients (index 0–19) and 20 GEMOX patients; ``events`` by HAIC patient index."""
    rows = [patient(f"H{i}", arm="HAIC", actual_arm="HAIC", adverse_events=events.get(i, ()))
            for i in range(20)]
    rows += [patient(f"G{i}", arm="GEMOX", actual_arm="GEMOX") for i in range(20)]
    return _trial(rows)


def _groups() -> Any:
    return arm_groups(("HAIC", "GEMOX"), None, simulated=False, nct_id="NCT07304388")


def test_an_other_event_in_exactly_five_percent_is_not_listed_but_one_above_is():
    # Nausea: 1 of 20 = 5 % (does not exceed 5 %); Fatigue: 2 of 20 = 10 %.
    trial = _twenty_per_arm({0: (_ae("Nausea"), _ae("Fatigue")), 1: (_ae("Fatigue"),)})
    module = adverse_events(trial, _groups())
    assert [e["term"] for e in module["otherEvents"]] == ["Fatigue"]
    fatigue = module["otherEvents"][0]
    assert fatigue["organSystem"] == "General disorders" and fatigue["sourceVocabulary"] == "CTCAE (5.0)"
    assert [(s["numAffected"], s["numAtRisk"]) for s in fatigue["stats"]] == [(2, 20), (0, 20)]
    assert module["eventGroups"][0]["otherNumAffected"] == 2


def test_every_serious_event_is_listed_whatever_its_frequency():
    trial = _twenty_per_arm({3: (_ae("Cholangitis", serious=True), _ae("Cholangitis", serious=True, day=40))})
    module = adverse_events(trial, _groups())
    [event] = module["seriousEvents"]
    assert event["organSystem"] == "Infections and infestations"
    assert event["stats"][0] == {"groupId": "EG000", "numEvents": 2, "numAffected": 1, "numAtRisk": 20}
    assert module["eventGroups"][0]["seriousNumAffected"] == 1 and "otherEvents" not in module


def test_an_event_before_the_first_dose_is_not_treatment_emergent():
    trial = _twenty_per_arm({0: (_ae("Fatigue", day=0), _ae("Fatigue", day=1)),
                             1: (_ae("Fatigue", day=0),)})  # first dose is on day 2
    assert adverse_events(trial, _groups())["eventGroups"][0]["otherNumAffected"] == 0


def test_a_threshold_above_five_percent_is_refused():
    with pytest.raises(DomainError, match="threshold"):
        adverse_events(_twenty_per_arm({}), _groups(), threshold=6)


def test_an_unknown_term_needs_an_organ_system_and_is_never_guessed():
    with pytest.raises(DomainError, match="Sudden itch"):
        organ_system("Sudden itch")
    assert organ_system("Sudden itch", {"Sudden itch": "Skin and subcutaneous tissue disorders"}) \
        == "Skin and subcutaneous tissue disorders"


def test_the_flow_counts_deaths_as_completed_and_explains_the_rest():
    rows = [patient("H1", death_on=date(2024, 6, 1)),
            patient("H2", withdrew_consent_on=date(2024, 3, 1)),
            patient("H3", first_dose_on=None),
            patient("G1", arm="GEMOX", death_on=date(2025, 3, 1))]  # death after the cut-off
    module = participant_flow(_trial(rows), _groups())
    period = module["periods"][0]
    milestones = {m["type"]: [int(a["numSubjects"]) for a in m["achievements"]] for m in period["milestones"]}
    assert milestones == {"STARTED": [3, 1], "Received at least one dose": [2, 1], "COMPLETED": [1, 0],
                          "NOT COMPLETED": [2, 1]}
    reasons = {d["type"]: [int(r["numSubjects"]) for r in d["reasons"]] for d in period["dropWithdraws"]}
    assert reasons == {"Alive in follow-up at data cut-off": [1, 1], "Withdrawal by Subject": [1, 0]}


def test_arm_titles_drop_the_type_prefix_and_fall_back_to_the_code_when_too_long():
    from oncotrial.protocol_files import load_default_protocol
    groups = arm_groups(("HAIC", "GEMOX"), load_default_protocol(), simulated=True, nct_id="NCT07304388")
    assert groups[1].title == "IV GemOx + lenvatinib + toripalimab"
    assert all(4 <= len(g.title) <= 62 for g in groups)
    assert groups[0].description.startswith("SIMULATED DATA: not results of NCT07304388")
