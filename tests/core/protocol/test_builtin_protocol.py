"""The embedded NCT07304388 protocol file matches the registry record.

Expected values are read from shared/reference/NCT07304388.txt by a person, not
from our code: 1:1, open label, 120 participants, 21-day cycles, oxaliplatin
85 mg/m² (HAIC over 3 h in the experimental arm), gemcitabine 1 g/m² D1 and D8,
lenvatinib 12 mg (or 8 mg) daily, toripalimab 240 mg Q3W.
"""

from __future__ import annotations

import pytest

from oncotrial.core.protocol.model import DoseBasis, Route, ScheduleType
from oncotrial.protocol_files import load_default_protocol


@pytest.fixture(scope="module")
def p():  # type: ignore[no-untyped-def]
    return load_default_protocol()


def test_identification_and_design_match_the_record(p):
    assert p.identification.nct_id == "NCT07304388"
    assert p.identification.org_study_id == "IA3GM-II"
    assert p.design.phase == "PHASE2"
    assert p.design.masking == "NONE"
    assert p.design.target_enrollment == 120
    assert p.allocation_ratio == {"HAIC": 1, "GEMOX": 1}
    assert str(p.design.start_date) == "2023-08-01"


def test_the_experimental_arm_gives_haic_oxaliplatin_over_three_hours(p):
    ox = p.arm("HAIC").drug("oxaliplatin")
    assert ox.route is Route.HEPATIC_ARTERIAL_INFUSION
    assert (ox.dose.basis, ox.dose.amount) == (DoseBasis.MG_PER_M2, 85)
    assert ox.infusion_minutes == 180
    assert ox.schedule.days == (1,)


def test_the_control_arm_gives_iv_oxaliplatin(p):
    assert p.arm("GEMOX").drug("oxaliplatin").route is Route.IV


@pytest.mark.parametrize("arm", ["HAIC", "GEMOX"])
def test_both_arms_share_gemcitabine_lenvatinib_and_toripalimab(p, arm):
    a = p.arm(arm)
    assert a.cycle_length_days == 21
    gem = a.drug("gemcitabine")
    assert (gem.route, gem.dose.amount, gem.schedule.days) == (Route.IV, 1000, (1, 8))
    len_ = a.drug("lenvatinib")
    assert len_.route is Route.ORAL and len_.schedule.type is ScheduleType.DAILY
    assert {(b.min_kg, b.below_kg, b.amount_mg) for b in len_.dose.bands} == {
        (60, None, 12), (None, 60, 8)}
    tori = a.drug("toripalimab")
    assert (tori.dose.basis, tori.dose.amount, tori.schedule.days) == (DoseBasis.FLAT_MG, 240, (1,))


def test_every_record_criterion_is_coded_with_its_text(p):
    inclusions = [c.code for c in p.eligibility.inclusions]
    exclusions = [c.code for c in p.eligibility.exclusions]
    # the record's inclusion paragraph holds 16 checkable items plus the minimum age
    assert len(inclusions) == 17
    # exclusions: life expectancy, other malignancy, prior therapy, allergy, comorbidity,
    # infection, pregnancy/lactation, refusal, GI bleeding
    assert len(exclusions) == 9
    assert all(c.text for c in p.eligibility.criteria)


def test_open_values_are_documented_assumptions(p):
    imaging = next(a for a in p.assessments if a.code == "IMAGING")
    assert (imaging.interval_days, imaging.window_minus_days, imaging.window_plus_days) == (42, 7, 7)
    assert imaging.assumption
    assert p.assumption("max_chemotherapy_cycles") is None
    assert p.assumption("sd_minimum_days") == 42
    assert all(a.rationale for a in p.assumptions)


def test_default_stratification_is_extrahepatic_metastasis_by_ecog(p):
    assert [f.code for f in p.stratification.factors] == ["extrahepatic_metastasis", "ecog"]
    assert p.randomization.block_sizes == (2, 4)


def test_primary_endpoint_is_the_six_month_pfs_rate_per_recist(p):
    (primary,) = p.primary_endpoints
    assert primary.code == "PFS6" and primary.criteria == "RECIST 1.1"
    assert {e.code for e in p.secondary_endpoints} >= {
        "ORR_MRECIST", "ORR_RECIST", "DCR", "PFS", "OS", "DOR", "SAFETY"}
