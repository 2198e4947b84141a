"""Values derived by core on save: BSA (vitals), CTCAE v5.0 grades (labs), the dose decision
(exposure) and RECIST 1.1 / mRECIST responses (tumour assessments)."""

from __future__ import annotations

import math
from typing import Any

import pytest

from oncotrial.core.dosing import tables
from oncotrial.persistence.models import Query
from oncotrial.services.audit import AuditContext
from oncotrial.services.crf import check_form, do_save_form
from oncotrial.services.errors import PermissionDenied
from oncotrial.services.forms import FormErrors
from oncotrial.services.record_states import do_verify_dose
from support import django_db
from support.clinical import example, table_counts

pytestmark = pytest.mark.django_db
role_users = django_db.role_users
treated = django_db.treated

MOSTELLER_170_63_5 = math.sqrt(170 * 63.5 / 3600)
"""Mosteller 1987: BSA = √(height cm × weight kg / 3600)."""


def _save(users: dict[str, Any], subject: Any, code: str, data: dict[str, Any], **kw: Any) -> Any:
    return do_save_form(
        AuditContext(users["coordinator"], reason=kw.pop("reason", "")), subject, code, data, **kw
    )


def test_vitals_derive_the_mosteller_bsa_and_keep_it_below_a_10_percent_weight_change(
    treated: Any, role_users: dict[str, Any]
) -> None:
    first = _save(role_users, treated, "vitals", example("vitals", assessment_date="2024-03-28"))
    assert first.derived["bsa_m2"] == pytest.approx(MOSTELLER_170_63_5, abs=1e-4)
    lighter = _save(
        role_users,
        treated,
        "vitals",
        example("vitals", assessment_date="2024-04-18", weight={"value": 58.0, "unit": "kg"}),
    )
    assert lighter.derived["bsa_recomputed"] is False  # −8.7 %: the reference BSA is kept
    assert lighter.derived["bsa_m2"] == pytest.approx(MOSTELLER_170_63_5, abs=1e-4)
    recomputed = _save(
        role_users,
        treated,
        "vitals",
        example("vitals", assessment_date="2024-05-09", weight={"value": 57.0, "unit": "kg"}),
    )
    assert recomputed.derived["bsa_recomputed"] is True  # −10.2 % ≥ 10 %
    assert recomputed.derived["bsa_m2"] == pytest.approx(math.sqrt(170 * 57 / 3600), abs=1e-4)


@pytest.mark.parametrize(("neut", "grade"), [(1.5, 1), (1.49, 2), (1.0, 2), (0.99, 3), (0.5, 3), (0.49, 4)])
def test_neutrophil_count_decreased_is_graded_at_the_ctcae_v5_boundaries(
    neut: float, grade: int, treated: Any, role_users: dict[str, Any]
) -> None:
    """CTCAE v5.0, Investigations: neutrophil count decreased <LLN–1.5; <1.5–1.0; <1.0–0.5 (grade 3);
    <0.5 ×10⁹/L. The site's LLN is 1.8 ×10⁹/L."""
    saved = _save(
        role_users,
        treated,
        "labs",
        {"collection_date": "2024-03-27", "neut": {"value": neut, "unit": "10^9/L"}},
    )
    assert saved.derived["grades"]["neut"]["grade"] == grade
    assert saved.derived["grades"]["neut"]["term"] == "Neutrophil count decreased"
    assert ("neut" in saved.derived["grade_3_or_more"]) is (grade >= 3)


@pytest.mark.parametrize(
    ("count", "unit", "grade"),
    [
        (75, "10^9/L", 1),
        (74.9, "10^9/L", 2),
        (50_000, "/mm³", 2),
        (49_999, "/mm³", 3),
        (25, "10^9/L", 3),
        (24.9, "10^9/L", 4),
    ],
)
def test_platelet_count_decreased_grades_in_either_unit(
    count: float, unit: str, grade: int, treated: Any, role_users: dict[str, Any]
) -> None:
    """CTCAE v5.0: platelet count decreased <LLN–75; <75–50; <50–25; <25 ×10⁹/L (1/mm³ = 10⁻³ ×10⁹/L)."""
    saved = _save(
        role_users, treated, "labs", {"collection_date": "2024-03-27", "plat": {"value": count, "unit": unit}}
    )
    assert saved.derived["grades"]["plat"]["grade"] == grade


def test_alt_is_graded_against_the_sites_uln_when_baseline_was_normal(
    treated: Any, role_users: dict[str, Any]
) -> None:
    """CTCAE v5.0: ALT increased >ULN–3.0 × ULN grade 1; >3.0–5.0 × ULN grade 2 (site ULN 50 U/L)."""
    at_3x = _save(
        role_users, treated, "labs", {"collection_date": "2024-03-27", "alt": {"value": 150, "unit": "U/L"}}
    )
    above = _save(
        role_users, treated, "labs", {"collection_date": "2024-03-28", "alt": {"value": 151, "unit": "U/L"}}
    )
    assert (at_3x.derived["grades"]["alt"]["grade"], above.derived["grades"]["alt"]["grade"]) == (1, 2)


def test_an_unknown_lab_unit_is_rejected(treated: Any, role_users: dict[str, Any]) -> None:
    counts = table_counts()
    with pytest.raises(FormErrors) as err:
        _save(
            role_users,
            treated,
            "labs",
            {"collection_date": "2024-03-27", "neut": {"value": 3.4, "unit": "mg"}},
        )
    assert [e.field for e in err.value.errors] == ["neut.unit"] and table_counts() == counts


def test_a_value_far_outside_the_reference_range_saves_and_raises_a_system_query(
    treated: Any, role_users: dict[str, Any]
) -> None:
    saved = _save(
        role_users,
        treated,
        "labs",
        {"collection_date": "2024-03-27", "neut": {"value": 0.3, "unit": "10^9/L"}},
    )
    query = Query.objects.get(record=saved)
    assert (query.origin, query.check_code, query.field, query.status) == (
        "system",
        "labs_plausibility_band",
        "neut",
        "open",
    )
    corrected = _save(
        role_users,
        treated,
        "labs",
        {"collection_date": "2024-03-27", "neut": {"value": 3.0, "unit": "10^9/L"}},
        record=saved,
        reason="typing error",
    )
    assert corrected.data["neut"]["value"] == 3.0
    query.refresh_from_db()
    assert query.status == "closed" and query.messages.last().text == "resolved by a data change"


def test_a_gemcitabine_day_1_reduction_shows_the_rule_that_fired(
    treated: Any, role_users: dict[str, Any]
) -> None:
    """BC Cancer GemOx: day-1 ANC 0.5 to <1.0 ×10⁹/L gives 75 % of the gemcitabine dose."""
    labs = example("labs", collection_date="2024-03-28", neut={"value": 0.8, "unit": "10^9/L"})
    _save(role_users, treated, "labs", labs)
    saved = _save(
        role_users, treated, "exposure", example("exposure", administration_date="2024-03-28", cycle=2)
    )
    gem = saved.derived["drugs"]["gemcitabine"]
    assert gem["action"] == "reduce"
    assert [r["table"] for r in gem["rules"]] == [tables.GEMCITABINE_D1_ANC.name]
    assert gem["prescribed_dose_mg"] == pytest.approx(0.75 * 1000 * MOSTELLER_170_63_5, abs=0.5)
    assert saved.derived["prescription"]["gemcitabine"][0] == "reduce"


def test_administered_doses_need_the_pharmacists_verification_first(
    treated: Any, role_users: dict[str, Any]
) -> None:
    saved = _save(role_users, treated, "exposure", example("exposure"))
    given = [{"drug": "toripalimab", "dose_mg": 240}]
    with pytest.raises(FormErrors) as err:
        _save(
            role_users,
            treated,
            "exposure",
            example("exposure", administered=given),
            record=saved,
            reason="administration",
        )
    assert [e.field for e in err.value.errors] == ["administered"]
    with pytest.raises(PermissionDenied):
        do_verify_dose(AuditContext(role_users["coordinator"]), saved)
    do_verify_dose(AuditContext(role_users["pharmacist"]), saved)
    done = _save(
        role_users,
        treated,
        "exposure",
        example("exposure", administered=given),
        record=saved,
        reason="administration",
    )
    assert done.data["administered"] == [{"drug": "toripalimab", "dose_mg": 240.0}]
    assert done.dose_verified_at is not None


def test_a_dose_given_off_prescription_saves_with_a_system_query(
    treated: Any, role_users: dict[str, Any]
) -> None:
    saved = _save(role_users, treated, "exposure", example("exposure"))
    do_verify_dose(AuditContext(role_users["pharmacist"]), saved)
    _save(
        role_users,
        treated,
        "exposure",
        example("exposure", administered=[{"drug": "toripalimab", "dose_mg": 200}]),
        record=saved,
        reason="administration",
    )
    query = Query.objects.get(record=saved)
    assert query.check_code == "exposure_dose_differs" and query.field == "administered[0].dose_mg"


def test_exposure_without_vitals_names_what_is_missing(
    role_users: dict[str, Any], production_list: Any
) -> None:
    from support.clinical import randomized

    subject = randomized(role_users["coordinator"], "T-NOVITALS")
    errors = check_form(subject, "exposure", example("exposure"))
    assert [e.field for e in errors] == ["administration_date"] and "vitals" in errors[0].message


def _scan(day: str, t1: float, t2: float, v1: float, v2: float) -> dict[str, Any]:
    return {
        "scan_date": day,
        "modality": "ct",
        "lesions": [
            {
                "lesion_id": "T1",
                "organ": "liver",
                "kind": "target",
                "longest_diameter_mm": t1,
                "viable_diameter_mm": v1,
            },
            {
                "lesion_id": "T2",
                "organ": "lung",
                "kind": "target",
                "longest_diameter_mm": t2,
                "viable_diameter_mm": v2,
            },
            {"lesion_id": "NT1", "organ": "peritoneum", "kind": "non_target", "non_target_status": "present"},
        ],
    }


def test_two_scans_give_partial_response_then_progression(treated: Any, role_users: dict[str, Any]) -> None:
    """RECIST 1.1 §4.3.1: PR ≥30 % below the baseline sum; PD ≥20 % and ≥5 mm above the nadir.

    Baseline 50 + 50 = 100 mm; 35 + 30 = 65 mm (−35 %) is PR; 45 + 35 = 80 mm is +23 % and +15 mm
    from the nadir of 65 mm: PD. mRECIST viable sums 70 → 35 (−50 %, PR) → 50 (+43 %, PD).
    """
    baseline = _save(role_users, treated, "tumour_assessment", example("tumour_assessment"))
    assert baseline.derived["baseline"] is True and baseline.derived["recist_1_1_sum_mm"] == 100
    first = _save(role_users, treated, "tumour_assessment", _scan("2024-04-17", 35, 30, 20, 15))
    assert first.derived["recist_1_1"]["response"] == "PR"
    assert first.derived["recist_1_1"]["change_from_baseline_pct"] == pytest.approx(-35.0)
    assert first.derived["mrecist"]["response"] == "PR"
    second = _save(role_users, treated, "tumour_assessment", _scan("2024-05-29", 45, 35, 30, 20))
    assert second.derived["recist_1_1"]["response"] == "PD"
    assert second.derived["recist_1_1"]["nadir_mm"] == 65
    assert second.derived["mrecist"]["response"] == "PD"
    assert second.derived["recist_1_1"]["best_overall_response"] == "PR"


def test_a_growth_of_19_percent_from_the_nadir_is_not_progression(
    treated: Any, role_users: dict[str, Any]
) -> None:
    """77 mm is +18.5 % from the 65 mm nadir (no PD) and −23 % from baseline (not PR): SD."""
    _save(role_users, treated, "tumour_assessment", example("tumour_assessment"))
    _save(role_users, treated, "tumour_assessment", _scan("2024-04-17", 35, 30, 20, 15))
    third = _save(
        role_users, treated, "tumour_assessment", _scan("2024-05-29", 40, 37, 20, 15)
    )  # 77: +18.5 %
    assert third.derived["recist_1_1"]["response"] == "SD"


def test_a_lesion_unknown_at_baseline_is_a_hard_error(treated: Any, role_users: dict[str, Any]) -> None:
    _save(role_users, treated, "tumour_assessment", example("tumour_assessment"))
    scan = _scan("2024-04-17", 35, 30, 20, 15)
    scan["lesions"][0]["lesion_id"] = "T9"
    assert check_form(treated, "tumour_assessment", scan)


def test_an_adverse_event_before_consent_saves_with_a_system_query(
    treated: Any, role_users: dict[str, Any]
) -> None:
    saved = _save(role_users, treated, "adverse_event", example("adverse_event", onset_date="2024-03-01"))
    assert Query.objects.get(record=saved).check_code == "ae_onset_before_consent"


def test_a_serious_adverse_event_raises_an_alert(treated: Any, role_users: dict[str, Any]) -> None:
    from oncotrial.services.safety import do_acknowledge_sae, open_sae_alerts

    sae = example(
        "adverse_event",
        term="Febrile neutropenia",
        grade=3,
        category="febrile_neutropenia",
        serious=True,
        sae_hospitalisation=True,
    )
    saved = _save(role_users, treated, "adverse_event", sae)
    alerts = list(open_sae_alerts(role_users["investigator"]))
    assert [a.record_id for a in alerts] == [saved.pk]
    assert list(open_sae_alerts(role_users["other_site_coordinator"])) == []
    do_acknowledge_sae(AuditContext(role_users["investigator"]), alerts[0])
    assert list(open_sae_alerts(role_users["data_manager"])) == []
    with pytest.raises(FormErrors):
        _save(role_users, treated, "adverse_event", example("adverse_event", serious=True))
