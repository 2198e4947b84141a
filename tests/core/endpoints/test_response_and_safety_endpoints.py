"""BOR/ORR/DCR, DoR and TTR, populations and safety counts, worked by hand."""

from __future__ import annotations

from datetime import timedelta

from oncotrial.core.endpoints.populations import (
    intention_to_treat,
    per_protocol,
    safety_population,
)
from oncotrial.core.endpoints.records import AdverseEventRecord
from oncotrial.core.endpoints.response_endpoints import (
    best_response,
    duration_of_response,
    is_disease_control,
    is_objective_response,
    time_to_response,
)
from oncotrial.core.endpoints.safety import summarise_safety
from oncotrial.core.response.criteria import Criterion, Response
from support.endpoint_records import CUT, RECIST, R, patient, scan


def test_bor_is_pr_and_counts_as_response_and_control():
    bor = best_response(patient(scans=(scan(42, "SD"), scan(84, "PR"), scan(126, "PD"))),
                        criterion=RECIST, cutoff=CUT)
    assert bor.response is Response.PR
    assert is_objective_response(bor) and is_disease_control(bor)


def test_sd_before_the_42_day_minimum_then_pd_gives_pd():
    bor = best_response(patient(scans=(scan(35, "SD"), scan(77, "PD"))), criterion=RECIST,
                        cutoff=CUT)
    assert bor.response is Response.PD
    assert not is_disease_control(bor)


def test_a_response_after_new_anticancer_therapy_does_not_count():
    p = patient(scans=(scan(42, "SD"), scan(126, "PR")),
                new_anticancer_therapy_on=R + timedelta(days=100))
    assert best_response(p, criterion=RECIST, cutoff=CUT).response is Response.SD


def test_mrecist_and_recist_bor_can_differ_on_the_same_scans():
    p = patient(scans=(scan(42, "SD", "PR"),))
    assert best_response(p, criterion=RECIST, cutoff=CUT).response is Response.SD
    assert best_response(p, criterion=Criterion.MRECIST, cutoff=CUT).response is Response.PR


def test_duration_of_response_runs_from_first_response_to_progression():
    p = patient(scans=(scan(42, "SD"), scan(84, "PR"), scan(126, "PR"), scan(168, "PD")))
    dor = duration_of_response(p, criterion=RECIST, cutoff=CUT)
    assert dor is not None
    # first PR day 84 (2024-03-25), PD day 168 (2024-06-17): 84 days apart, + 1
    assert (dor.time_days, dor.event) == (85, True)
    ttr = time_to_response(p, criterion=RECIST, cutoff=CUT)
    assert ttr is not None and ttr.time_days == 85


def test_non_responders_have_no_duration_of_response():
    p = patient(scans=(scan(42, "SD"), scan(84, "PD")))
    assert duration_of_response(p, criterion=RECIST, cutoff=CUT) is None
    assert time_to_response(p, criterion=RECIST, cutoff=CUT) is None


def test_populations():
    records = [patient("A"), patient("B", eligible=False), patient("C", first_dose_on=None),
               patient("D", major_protocol_deviation=True)]
    assert [r.patient_id for r in intention_to_treat(records)] == ["A", "B", "C", "D"]
    assert [r.patient_id for r in per_protocol(records)] == ["A"]
    assert [r.patient_id for r in safety_population(records)] == ["A", "B", "D"]


def test_safety_counts_each_patient_once_per_term_at_the_worst_grade():
    ae = AdverseEventRecord
    dosed = R + timedelta(days=5)  # after the first dose on day 3
    records = [
        patient("A", adverse_events=(ae("Neutrophil count decreased", 2, dosed),
                                     ae("Neutrophil count decreased", 3, dosed), ae("Fatigue", 1, dosed))),
        patient("B", death_on=R, adverse_events=(
            ae("Neutrophil count decreased", 1, dosed, serious=True),
            ae("Puncture site hematoma", 1, dosed, haic_procedure=True))),
        patient("C"),
        patient("D", actual_arm="GEMOX", adverse_events=(ae("Fatigue", 3, dosed),)),
        patient("E", first_dose_on=None, adverse_events=(ae("Fatigue", 5, dosed),)),  # not dosed
        # an AE before the first dose (2024-01-03) is not treatment-emergent
        patient("F", actual_arm="GEMOX", adverse_events=(ae("Fatigue", 4, R),)),
    ]
    haic, gemox = sorted(summarise_safety(records), key=lambda a: a.arm, reverse=True)
    assert (haic.arm, haic.patients, haic.any_ae, haic.grade_3_or_more, haic.serious) == (
        "HAIC", 3, 2, 1, 1)
    assert (haic.deaths, haic.haic_procedure_complications) == (1, 1)
    neut = next(t for t in haic.terms if t.term == "Neutrophil count decreased")
    assert (neut.patients_any_grade, neut.patients_grade_3_or_more) == (2, 1)
    assert neut.worst_grade_counts == (1, 0, 1, 0, 0)
    assert (gemox.patients, gemox.any_ae, gemox.grade_3_or_more, gemox.fatal) == (2, 1, 1, 0)
