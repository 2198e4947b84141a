"""The pre-treatment decision, drug by drug, against the rules of the sources.

Patient: 170 cm, 70 kg, so BSA (Mosteller) = √(170 × 70 / 3600) = 1.8181 m²; protocol
doses 85 mg/m² → 154.5 → 155 mg oxaliplatin, 65 mg/m² → 118.2 → 118 mg,
1000 mg/m² → 1818 mg gemcitabine, 75 % → 1363.6 → 1364 mg, lenvatinib 12 mg (≥60 kg),
toripalimab 240 mg.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from oncotrial.core.dosing import Action, Drug, DrugState, decide
from oncotrial.core.errors import DomainError
from oncotrial.core.units import Measurand, measure
from support.dose_inputs import NORMAL_LABS, ae, decision_for, lab, protocol, request

OX, GEM, LEN, TOR = Drug.OXALIPLATIN, Drug.GEMCITABINE, Drug.LENVATINIB, Drug.TORIPALIMAB
G, R, H, D, N = Action.GIVE, Action.REDUCE, Action.HOLD, Action.DISCONTINUE, Action.NOT_DUE


def test_day_one_with_normal_labs_gives_every_drug_at_the_protocol_dose():
    decision = decide(request())
    doses = {d.drug: (d.action, d.dose.dose_mg if d.dose else None) for d in decision.drugs}
    assert doses == {OX: (G, 155), GEM: (G, 1818), LEN: (G, 12), TOR: (G, 240)}
    assert decision.for_drug(OX).route.value == "hepatic_arterial_infusion"
    assert not decision.cycle_delayed


def test_control_arm_oxaliplatin_is_intravenous_and_needs_no_haic_labs():
    labs = {"NEUT": 3.0, "PLAT": 200.0}
    decision = decide(request(arm="GEMOX", labs=labs))
    assert decision.for_drug(OX).route.value == "iv" and decision.for_drug(OX).action is G


# --- gemcitabine counts (BC Cancer) ------------------------------------------------------
@pytest.mark.parametrize(("anc", "plt", "action", "dose"), [
    (1.0, 100, G, 1818), (0.99, 100, R, 1364), (1.0, 99, R, 1364), (0.5, 75, R, 1364),
])
def test_gemcitabine_day_one_full_or_75_percent(anc: float, plt: float, action: Action, dose: float):
    d = decision_for(GEM, labs={**NORMAL_LABS, "NEUT": anc, "PLAT": plt})
    assert d.action is action and d.dose is not None and d.dose.dose_mg == dose
    assert d.level == 0  # the 75 % is for this day only


@pytest.mark.parametrize(("anc", "plt"), [(0.49, 200), (3.0, 74)])
def test_gemcitabine_day_one_delay_delays_the_cycle(anc: float, plt: float):
    decision = decide(request(labs={**NORMAL_LABS, "NEUT": anc, "PLAT": plt}))
    actions = {d.drug: d.action for d in decision.drugs}
    assert actions == {OX: H, GEM: H, LEN: G, TOR: H}
    assert decision.cycle_delayed
    assert any(r.table == "cycle delay" for r in decision.for_drug(TOR).deciding)


@pytest.mark.parametrize(("anc", "plt", "action"), [(0.49, 200, H), (0.5, 200, R), (3, 74, H), (3, 75, R)])
def test_gemcitabine_day_eight_omit_or_75_percent(anc: float, plt: float, action: Action):
    decision = decide(request(day=8, labs={"NEUT": anc, "PLAT": plt}))
    gem = decision.for_drug(GEM)
    assert gem.action is action
    if action is H:
        assert "omit" in gem.deciding[0].outcome.text
    assert decision.for_drug(OX).action is N and decision.for_drug(TOR).action is N
    assert decision.for_drug(LEN).action is G and not decision.cycle_delayed


def test_a_day_without_cycle_day_drugs_needs_no_labs():
    decision = decide(request(day=15, labs={}))
    assert {d.drug: d.action for d in decision.drugs} == {OX: N, GEM: N, LEN: G, TOR: N}


def test_missing_counts_on_a_gemcitabine_day_are_an_error_naming_the_lab():
    with pytest.raises(DomainError) as err:
        decide(request(day=8, labs={"PLAT": 200}))
    assert err.value.field == "labs.NEUT"


@pytest.mark.parametrize(("grade", "action", "level"), [(1, G, 0), (2, H, 0), (3, H, -1), (4, D, None)])
def test_gemcitabine_stomatitis(grade: int, action: Action, level: int | None):
    d = decision_for(GEM, aes=(ae("Mucositis oral", grade, "stomatitis_diarrhea", GEM),))
    assert (d.action, d.level) == (action, level)


def test_gemcitabine_at_75_percent_level_with_a_new_grade_3_is_discontinued():
    d = decision_for(GEM, aes=(ae("Fatigue", 3, "other", GEM),), levels={GEM: -1})
    assert d.action is D and "exhausted" in d.deciding[0].outcome.text


def test_haematological_aes_do_not_change_gemcitabine_beyond_the_counts():
    d = decision_for(GEM, aes=(ae("Platelet count decreased", 3, "thrombocytopenia", GEM),))
    assert d.action is G


# --- oxaliplatin --------------------------------------------------------------------------
@pytest.mark.parametrize(("grade", "persistent", "level", "action", "new_level", "dose"), [
    (2, False, 0, G, 0, 155),
    (2, True, 0, R, -1, 118),     # persistent G2: 85 → 65 mg/m²
    (2, True, -1, D, None, None),  # at 65 mg/m²: then stop
    (3, False, 0, H, -1, None),   # hold until ≤G2, then 65 mg/m²
    (3, False, -1, D, None, None),
    (3, True, 0, D, None, None),  # persistent G3: discontinue
    (4, False, 0, D, None, None),
])
def test_oxaliplatin_neuropathy(grade: int, persistent: bool, level: int, action: Action,
                                new_level: int | None, dose: float | None):
    neuropathy = ae("Peripheral sensory neuropathy", grade, "peripheral_neuropathy", OX,
                    persistent=persistent)
    d = decision_for(OX, aes=(neuropathy,), levels={OX: level})
    assert (d.action, d.level) == (action, new_level)
    assert (d.dose.dose_mg if d.dose else None) == dose


def test_oxaliplatin_discontinued_for_neuropathy_leaves_the_other_drugs_alone():
    decision = decide(request(aes=(ae("Peripheral sensory neuropathy", 4, "peripheral_neuropathy", OX),)))
    assert {d.drug: d.action for d in decision.drugs} == {OX: D, GEM: G, LEN: G, TOR: G}


def test_oxaliplatin_already_reduced_for_an_ae_is_not_reduced_again():
    neuropathy = ae("Peripheral sensory neuropathy", 2, "peripheral_neuropathy", OX, persistent=True,
                    acted_on=True)
    d = decision_for(OX, aes=(neuropathy,), levels={OX: -1})
    assert (d.action, d.level) == (G, -1) and d.dose is not None and d.dose.dose_mg == 118


@pytest.mark.parametrize(("grade", "action"), [(2, G), (3, D)])
def test_oxaliplatin_allergy(grade: int, action: Action):
    assert decision_for(OX, aes=(ae("Allergic reaction", grade, "allergic_reaction", OX),)).action is action


def test_oxaliplatin_grade_3_thrombocytopenia_reduces_by_a_quarter():
    d = decision_for(OX, aes=(ae("Platelet count decreased", 3, "thrombocytopenia", OX),))
    assert (d.action, d.level) == (R, -1) and d.dose is not None and d.dose.dose_mg == 118


# --- HAIC ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("change", "action"), [
    ({"ALB": 29.9}, H), ({"ALB": 30}, G), ({"BILI": 30.5}, H), ({"BILI": 30}, G),
    ({"NEUT": 1.1}, H), ({"NEUT": 1.2}, G),
])
def test_haic_suspension_holds_only_haic_oxaliplatin(change: dict[str, float], action: Action):
    decision = decide(request(labs={**NORMAL_LABS, **change}))
    assert decision.for_drug(OX).action is action
    assert decision.for_drug(TOR).action is G


def test_haic_platelets_below_60_suspend_haic_and_the_gemcitabine_count_delays_the_cycle():
    decision = decide(request(labs={**NORMAL_LABS, "PLAT": 59}))
    haic = decision.for_drug(OX)
    assert haic.action is H and {r.table for r in haic.deciding} >= {"HAIC, platelets", "cycle delay"}


def test_haic_delay_over_30_days_stops_haic_with_the_switch_note():
    decision = decide(request(haic_delay_days=31))
    assert decision.for_drug(OX).action is D
    assert any("IV oxaliplatin" in n for n in decision.notes)
    assert decide(request(haic_delay_days=30)).for_drug(OX).action is G


# --- lenvatinib -----------------------------------------------------------------------------
@pytest.mark.parametrize(("baseline", "level", "grade", "action", "new_level", "dose"), [
    (70, 0, 3, H, -1, None),      # 12 → resume at 8 mg
    (70, -3, 3, D, None, None),   # 4 mg every other day: no lower level
    (55, 0, 3, H, -1, None),      # 8 → resume at 4 mg
    (55, -2, 3, D, None, None),   # 8 → 4 → 4 QOD → discontinue
    (70, -1, 1, G, -1, 8),
    (55, -2, 1, G, -2, 4),
    (70, 0, 4, D, None, None),
])
def test_lenvatinib_general_toxicity(baseline: float, level: int, grade: int, action: Action,
                                     new_level: int | None, dose: float | None):
    d = decision_for(LEN, weight=baseline, baseline=baseline, levels={LEN: level},
                     aes=(ae("Fatigue", grade, "other", LEN),))
    assert (d.action, d.level) == (action, new_level)
    assert (d.dose.dose_mg if d.dose else None) == dose


def test_lenvatinib_4_mg_every_other_day_is_reported_as_such():
    d = decision_for(LEN, levels={LEN: -3})
    assert d.dose is not None and d.dose.dose_mg == 4 and d.dose.frequency.value == "every other day"


def test_lenvatinib_starting_dose_follows_the_baseline_weight_not_todays():
    d = decision_for(LEN, weight=58, baseline=61)
    assert d.dose is not None and d.dose.dose_mg == 12


@pytest.mark.parametrize(("persistent", "action", "level"), [(False, G, 0), (True, H, -1)])
def test_lenvatinib_grade_2_interrupts_only_when_persistent_or_intolerable(persistent: bool, action: Action,
                                                                          level: int):
    d = decision_for(LEN, aes=(ae("Diarrhea", 2, "other", LEN, persistent=persistent),))
    assert (d.action, d.level) == (action, level)


@pytest.mark.parametrize(("life_threatening", "action"), [(None, D), (True, D), (False, H)])
def test_lenvatinib_grade_4_lab_abnormality_not_life_threatening_is_managed_as_grade_3(
        life_threatening: bool | None, action: Action):
    event = ae("Lipase increased", 4, "other", LEN, life_threatening=life_threatening)
    assert decision_for(LEN, aes=(event,)).action is action


@pytest.mark.parametrize(("occurrence", "level"), [(1, 0), (2, -1)])
def test_lenvatinib_haematological_first_occurrence_holds_without_reduction(occurrence: int, level: int):
    d = decision_for(LEN, aes=(ae("Platelet count decreased", 3, "thrombocytopenia", LEN,
                                  occurrence=occurrence),))
    assert (d.action, d.level) == (H, level)


@pytest.mark.parametrize(("protein", "occurrence", "action", "level"), [
    (1.99, 1, G, 0), (2.0, 1, H, 0), (2.0, 2, H, -1),
])
def test_lenvatinib_proteinuria_at_2_g_per_24_h(protein: float, occurrence: int, action: Action, level: int):
    labs = {**NORMAL_LABS, "PROT24H": protein}
    d = decision_for(LEN, labs=labs, aes=(ae("Proteinuria", 2, "proteinuria", LEN, occurrence=occurrence),))
    assert (d.action, d.level) == (action, level)


def test_lenvatinib_proteinuria_ae_without_a_24_h_value_is_an_error():
    with pytest.raises(DomainError) as err:
        decide(request(aes=(ae("Proteinuria", 2, "proteinuria", LEN),)))
    assert err.value.field == "labs.PROT24H"


@pytest.mark.parametrize("category", ["arterial_thromboembolism", "gi_perforation", "hepatic_failure",
                                      "nephrotic_syndrome"])
def test_lenvatinib_is_discontinued_at_any_grade(category: str):
    assert decision_for(LEN, aes=(ae("Event", 1, category, LEN),)).action is D


@pytest.mark.parametrize(("grade", "action"), [(2, G), (3, H), (4, D)])
def test_lenvatinib_hypertension(grade: int, action: Action):
    assert decision_for(LEN, aes=(ae("Hypertension", grade, "hypertension", LEN),)).action is action


def test_lenvatinib_hepatotoxicity_grade_4_is_withheld_not_discontinued():
    d = decision_for(LEN, aes=(ae("ALT increased", 4, "hepatotoxicity", LEN),))
    assert (d.action, d.level) == (H, -1)


def test_an_ae_not_attributed_to_lenvatinib_leaves_it_alone():
    assert decision_for(LEN, aes=(ae("Fatigue", 3, "other", GEM),)).action is G


# --- toripalimab --------------------------------------------------------------------------
@pytest.mark.parametrize(("category", "grade", "action"), [
    ("pneumonitis", 2, H), ("pneumonitis", 3, D), ("colitis", 3, H), ("colitis", 4, D),
    ("myocarditis", 2, D), ("neurological", 2, H), ("neurological", 3, D), ("nephritis", 3, H),
    ("endocrinopathy", 4, H), ("infusion_reaction", 2, G), ("infusion_reaction", 3, D),
    ("other", 2, G), ("other", 3, H), ("other", 4, D),
])
def test_toripalimab_by_immune_ae_grade(category: str, grade: int, action: Action):
    d = decision_for(TOR, aes=(ae("irAE", grade, category, TOR, immune_mediated="yes"),))
    assert d.action is action
    if action is H:
        assert d.level == 0  # never reduced: resumes at 240 mg


def test_toripalimab_rules_apply_to_a_suspected_immune_ae_whatever_its_attribution():
    event = ae("Colitis", 3, "colitis", LEN, immune_mediated="suspected")
    decision = decide(request(aes=(event,)))
    assert decision.for_drug(TOR).action is H
    assert decision.for_drug(LEN).action is H  # lenvatinib's own G3 rule, independently


def test_toripalimab_is_untouched_by_a_non_immune_ae_of_another_drug():
    assert decision_for(TOR, aes=(ae("Fatigue", 3, "other", LEN),)).action is G


def test_recurrent_grade_3_immune_reaction_discontinues_toripalimab():
    assert decision_for(TOR, aes=(ae("Rash", 3, "other", TOR, immune_mediated="yes", occurrence=2),)
                        ).action is D


def _hepatitis(**kw):
    uln = {Measurand.ALT: 40.0, Measurand.AST: 40.0, Measurand.BILIRUBIN: 20.0}
    return request(uln=uln, aes=(ae("Hepatitis", 3, "hepatitis", TOR, immune_mediated="yes"),), **kw)


@pytest.mark.parametrize(("baseline_alt", "alt", "bili", "action"), [
    (48, 200, 20, G),    # baseline 1.2 × ULN; now 5 × ULN: not above 5
    (48, 201, 20, H),
    (48, 400, 20, H),    # 10 × ULN
    (48, 401, 20, D),    # >10 × ULN
    (160, 320, 20, G),   # baseline 4 × ULN, now 8 × ULN
    (160, 321, 20, H),
    (48, 100, 61, D),    # bilirubin 3.05 × ULN
    (30, 121, 20, H),    # baseline ≤ ULN: the no-liver rows (>3 × ULN withhold)
    (30, 100, 31, H),    # no-liver bilirubin >1.5 × ULN
])
def test_immune_hepatitis_with_liver_tumour(baseline_alt: float, alt: float, bili: float, action: Action):
    labs = {**NORMAL_LABS, "ALT": alt, "AST": 30.0, "BILI": bili}
    req = replace(_hepatitis(labs=labs), baseline_labs={Measurand.ALT: lab("ALT", baseline_alt)})
    assert decide(req).for_drug(TOR).action is action


@pytest.mark.parametrize(("alt", "action"), [(120, G), (121, H), (320, H), (321, D)])
def test_immune_hepatitis_without_liver_tumour(alt: float, action: Action):
    labs = {**NORMAL_LABS, "ALT": alt, "AST": 30.0, "BILI": 10.0}
    assert decide(_hepatitis(labs=labs, liver_tumour_involvement=False)).for_drug(TOR).action is action


def test_immune_hepatitis_without_ulns_is_an_error():
    with pytest.raises(DomainError) as err:
        decide(request(labs={**NORMAL_LABS, "ALT": 200.0},
                       aes=(ae("Hepatitis", 3, "hepatitis", TOR, immune_mediated="yes"),)))
    assert err.value.field in ("labs.ALT", "labs.BILI")


@pytest.mark.parametrize(("days", "grade", "prednisone", "action"), [
    (84, 2, None, H), (85, 2, None, D), (85, 1, 10.0, G), (85, 1, 15.0, D), (60, 1, 40.0, G),
])
def test_twelve_weeks_of_steroids(days: int, grade: int, prednisone: float | None, action: Action):
    event = ae("Colitis", grade, "colitis", TOR, immune_mediated="yes", steroid_days=days,
               prednisone_mg_per_day=prednisone)
    assert decision_for(TOR, aes=(event,)).action is action


# --- protocol parameters and states -----------------------------------------------------------
def test_beyond_the_maximum_number_of_chemotherapy_cycles_chemotherapy_is_not_due():
    decision = decide(request(cycle=7, max_chemotherapy_cycles=6))
    assert {d.drug: d.action for d in decision.drugs} == {OX: N, GEM: N, LEN: G, TOR: G}
    assert decide(request(cycle=6, max_chemotherapy_cycles=6)).for_drug(OX).action is G


def test_the_builtin_protocol_is_open_ended():
    assert protocol().assumption("max_chemotherapy_cycles") is None
    assert decide(request(cycle=40)).for_drug(GEM).action is G


def test_a_discontinued_drug_stays_discontinued():
    req = replace(request(), states={OX: DrugState(discontinued=True)})
    assert decide(req).for_drug(OX).action is D


def test_a_level_outside_the_ladder_is_refused_naming_the_drug():
    with pytest.raises(DomainError) as err:
        decide(request(levels={LEN: -4}))
    assert err.value.field == "current_levels.lenvatinib"


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"cycle": 0}, "cycle"), ({"day": 22}, "day"),
    ({"max_chemotherapy_cycles": 0}, "max_chemotherapy_cycles"),
])
def test_invalid_request_fields_are_refused(kwargs: dict[str, int], field: str):
    with pytest.raises(DomainError) as err:
        request(**kwargs)
    assert err.value.field == field


def test_weight_recomputation_changes_the_bsa_doses():
    # 63 kg is −10 % from 70 kg: BSA √(170 × 63 / 3600) = 1.7248 → 85 × 1.7248 = 146.6 → 147 mg
    d = decision_for(OX, weight=63, baseline=70)
    assert d.dose is not None and d.dose.dose_mg == 147
    assert decision_for(OX, weight=63.1, baseline=70).dose.dose_mg == 155  # type: ignore[union-attr]


def test_a_negative_weight_is_refused():
    with pytest.raises(DomainError) as err:
        measure(Measurand.WEIGHT, -70, "kg", field="weight")
    assert err.value.field == "weight.value"


def test_the_iv_switch_note_is_not_given_for_a_neuropathy_stop():
    decision = decide(request(aes=(ae("Peripheral sensory neuropathy", 4, "peripheral_neuropathy", OX),)))
    assert decision.for_drug(OX).action is D and decision.notes == ()
    technical = decide(request(haic_technically_feasible=False))
    assert technical.for_drug(OX).action is H and any("IV oxaliplatin" in n for n in technical.notes)


# --- the weight band of the lenvatinib starting dose is fixed at baseline -----------------
def test_lenvatinib_keeps_the_12_mg_ladder_of_a_62_kg_baseline_after_weight_loss_below_60_kg():
    # Lenvima SmPC §4.2 (HCC): 12 mg once daily for body weight ≥ 60 kg at baseline, 8 mg
    # below; reductions step down the ladder of the starting dose (12 → 8 → 4 → 4 mg QOD).
    # The BSA reference weight fell to 54 kg (≥ 10 % loss), the starting band did not move.
    late = request(weight=54.0, baseline=54.0, levels={LEN: -3},
                   starting_weight=measure(Measurand.WEIGHT, 62.0, "kg"))
    assert decide(late).for_drug(LEN).level == -3
    without_start = request(weight=54.0, baseline=54.0, levels={LEN: -3})
    with pytest.raises(DomainError, match=r"current_levels\.lenvatinib"):
        decide(without_start)
