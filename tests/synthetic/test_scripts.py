"""Patient scripts: units, CTCAE grades, timelines and RECIST progression dates."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from oncotrial.core.grading import (
    grade_alt_increased,
    grade_ast_increased,
    grade_blood_bilirubin_increased,
    grade_neutrophil_count_decreased,
    grade_platelet_count_decreased,
)
from oncotrial.core.units import SPECS, Measurand, measure
from oncotrial.synthetic import iter_candidates, make_plan, trial_scenario
from oncotrial.synthetic.verification import assess_script


@pytest.fixture(scope="module")
def pairs(protocol):  # type: ignore[no-untyped-def]
    plan = make_plan(protocol, trial_scenario(patients=400, seed=77))
    eligible = [c for c in itertools.islice(iter_candidates(plan), 260) if c.eligible]
    return [(c, c.script(arm)) for c in eligible for arm in plan.arm_codes]


def _all_panels(script):  # type: ignore[no-untyped-def]
    for cycle in script.cycles:
        for panel in (cycle.labs_day1, cycle.labs_day8, cycle.recheck_labs):
            if panel is not None:
                yield panel


def test_every_lab_value_carries_a_unit_core_accepts_and_is_plausible(pairs):
    for c, script in pairs[:120]:
        for panel in [c.baseline.labs, *_all_panels(script)]:
            for v in panel.values:
                assert v.unit == SPECS[v.test].canonical_unit
                m = measure(v.test, v.value, v.unit, collected_on=v.collected_on)  # raises if implausible
                assert m.value == pytest.approx(v.value)
                assert v.collected_on == panel.collected_on


def test_lab_adverse_events_have_the_grade_core_ctcae_gives_their_values(pairs):
    graders = {
        Measurand.NEUTROPHILS: lambda v, r, b: grade_neutrophil_count_decreased(
            v, lln=r.lln(Measurand.NEUTROPHILS)
        ),
        Measurand.PLATELETS: lambda v, r, b: grade_platelet_count_decreased(
            v, lln=r.lln(Measurand.PLATELETS)
        ),
        Measurand.ALT: lambda v, r, b: grade_alt_increased(v, uln=r.uln(Measurand.ALT), baseline=b),
        Measurand.AST: lambda v, r, b: grade_ast_increased(v, uln=r.uln(Measurand.AST), baseline=b),
        Measurand.BILIRUBIN: lambda v, r, b: grade_blood_bilirubin_increased(
            v, uln=r.uln(Measurand.BILIRUBIN), baseline=b
        ),
    }
    terms = {
        Measurand.NEUTROPHILS: "Neutrophil count decreased",
        Measurand.PLATELETS: "Platelet count decreased",
        Measurand.ALT: "Alanine aminotransferase increased",
        Measurand.AST: "Aspartate aminotransferase increased",
        Measurand.BILIRUBIN: "Blood bilirubin increased",
    }
    checked = severe = 0
    for c, script in pairs:
        ranges = c.baseline.ranges
        for test, grader in graders.items():
            base = c.baseline.labs.value(test)
            by_date = {p.collected_on: p.value(test) for p in _all_panels(script) if p.get(test) is not None}
            for ae in script.adverse_events:
                if ae.term != terms[test] or ae.source != "lab":
                    continue
                for change in ae.course:
                    if change.grade == 0:
                        continue
                    result = grader(by_date[change.on], ranges, base)
                    assert result.grade == change.grade, (c.patient_id, ae.term, change, result)
                    checked += 1
                    severe += change.grade >= 3
    assert checked > 100 and severe > 20


def test_adverse_events_are_graded_1_to_5_inside_the_patient_timeline(pairs, protocol):
    drugs = {a.code: {r.drug for r in a.regimen} for a in protocol.arms}
    for _, s in pairs:
        end = s.death.on if s.death else s.withdrawal.on if s.withdrawal else s.cutoff
        for ae in s.adverse_events:
            assert 1 <= ae.grade <= 5
            assert s.first_dose_date <= ae.onset_date <= end
            assert ae.course[0].on == ae.onset_date and max(x.grade for x in ae.course) == ae.grade
            assert all(a.on <= b.on for a, b in itertools.pairwise(ae.course))
            if ae.resolution_date is not None:
                assert ae.onset_date <= ae.resolution_date <= end and ae.course[-1].grade == 0
            assert (ae.grade == 5) == ae.fatal
            if ae.fatal:
                assert s.death is not None and ae.course[-1].on == s.death.on
            assert {a.drug for a in ae.attribution} == drugs[s.arm]


def test_overall_survival_is_never_shorter_than_pfs_and_nothing_is_dated_after_death(pairs):
    deaths = 0
    for _, s in pairs:
        dates: list[date] = [
            s.randomization_date,
            s.first_dose_date,
            *(x.scan_date for x in s.scans),
            *s.follow_up_dates,
            *(p.collected_on for p in _all_panels(s)),
            *(x.on for ae in s.adverse_events for x in ae.course),
        ]
        if s.safety_follow_up_date:
            dates.append(s.safety_follow_up_date)
        assert max(dates) <= s.cutoff
        if s.death is not None:
            deaths += 1
            assert max(dates) <= s.death.on
            assert s.pfs_event_date is not None and s.pfs_event_date <= s.death.on
            assert s.withdrawal is None
            if s.progression is not None:
                assert s.death.on >= s.progression.scan_date
        if s.withdrawal is not None:
            assert max(dates) <= s.withdrawal.on
        if s.end_of_treatment is not None:
            assert all(c.day1_date < s.end_of_treatment.on for c in s.cycles)
    assert deaths > 20


def test_the_core_recist_engine_reads_pd_at_the_scripted_progression_scan(pairs):
    progressions = 0
    for c, s in pairs:
        out = assess_script(c, s)
        pfs = out["pfs_event_date"]
        assert isinstance(pfs, dict)
        if s.progression is not None:
            progressions += 1
            assert pfs["RECIST 1.1"] == s.progression.scan_date.isoformat()
            assert s.scans[-1].is_progression and s.scans[-1].scan_date == s.progression.scan_date
        else:
            expected = s.death.on.isoformat() if s.death is not None else None
            assert pfs["RECIST 1.1"] == expected
    assert progressions > 50


def test_haic_complications_occur_only_in_the_hepatic_arterial_arm(pairs):
    for _, s in pairs:
        procedure = [ae for ae in s.adverse_events if ae.source == "haic_procedure"]
        if s.arm == "GEMOX":
            assert procedure == []
            assert all(cy.haic_technically_feasible is None for cy in s.cycles)
        else:
            assert all(cy.haic_technically_feasible is not None for cy in s.cycles)
