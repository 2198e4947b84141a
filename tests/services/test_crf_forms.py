"""Every declared form: a valid example saves; a bad value of each field kind is refused, naming the
field, with nothing written. New forms are covered automatically (they need an example in
``support.clinical.EXAMPLES``)."""

from __future__ import annotations

from typing import Any

import pytest

from oncotrial.core.errors import DomainError
from oncotrial.persistence.models import AuditEvent, RecordStatus
from oncotrial.services.audit import AuditContext
from oncotrial.services.crf import check_form, do_save_form
from oncotrial.services.forms import FORMS, FieldKind, FormErrors
from support import django_db
from support.clinical import EXAMPLES, example, table_counts

pytestmark = pytest.mark.django_db
role_users = django_db.role_users
treated = django_db.treated

BAD_VALUE: dict[FieldKind, object] = {
    FieldKind.INTEGER: "twelve",
    FieldKind.DECIMAL: "n/a",
    FieldKind.TEXT: 12345,
    FieldKind.DATE: "2024-02-30",
    FieldKind.CHOICE: "not-a-choice",
    FieldKind.BOOLEAN: "perhaps",
    FieldKind.MEASUREMENT: {"value": 5, "unit": "furlongs"},
    FieldKind.TABLE: "not a list of rows",
}
CASES = [
    (code, first.name, kind)
    for code, spec in FORMS.items()
    for kind in FieldKind
    if (first := next((f for f in spec.fields if f.kind is kind), None)) is not None
]
"""For every form, the first field of each kind it declares."""


def test_every_form_has_a_valid_example() -> None:
    assert set(EXAMPLES) == set(FORMS)


def test_every_form_declares_labelled_fields_for_the_web() -> None:
    for spec in FORMS.values():
        assert spec.title and spec.fields
        for f in spec.fields:
            assert f.label and f.kind in FieldKind
            if f.kind is FieldKind.CHOICE:
                assert f.choices
            if f.kind is FieldKind.MEASUREMENT:
                assert f.units and f.measurand
            if f.kind is FieldKind.TABLE:
                assert f.columns


@pytest.mark.parametrize("code", sorted(FORMS))
def test_a_valid_example_of_each_form_saves_with_one_creation_audit_row(
    code: str, treated: Any, role_users: dict[str, Any]
) -> None:
    before = AuditEvent.objects.count()
    saved = do_save_form(AuditContext(role_users["coordinator"]), treated, code, example(code))
    assert saved.status == RecordStatus.ENTERED and saved.version == 1 and saved.form_code == code
    created = AuditEvent.objects.filter(entity="form_record", entity_id=str(saved.pk))
    assert created.count() == 1 and created.get().action == "create"
    assert AuditEvent.objects.count() >= before + 1


@pytest.mark.parametrize(("code", "field", "kind"), CASES, ids=[f"{c}-{f}" for c, f, _ in CASES])
def test_a_bad_value_of_each_field_kind_is_refused_naming_the_field_and_writes_nothing(
    code: str, field: str, kind: FieldKind, treated: Any, role_users: dict[str, Any]
) -> None:
    data = example(code, **{field: BAD_VALUE[kind]})
    counts = table_counts()
    with pytest.raises(FormErrors) as err:
        do_save_form(AuditContext(role_users["coordinator"]), treated, code, data)
    named = [e.field for e in err.value.errors]
    assert any(n == field or n.startswith((f"{field}.", f"{field}[")) for n in named), named
    assert table_counts() == counts
    assert check_form(treated, code, data)


def test_every_bad_field_is_reported_at_once(treated: Any, role_users: dict[str, Any]) -> None:
    data = example("vitals", weight={"value": 63.5}, ecog=7, assessment_date="yesterday", pulse=80)
    with pytest.raises(FormErrors) as err:
        do_save_form(AuditContext(role_users["coordinator"]), treated, "vitals", data)
    assert {e.field for e in err.value.errors} == {"weight.unit", "ecog", "assessment_date", "pulse"}


def test_a_measurement_without_its_unit_is_never_accepted(treated: Any) -> None:
    errors = check_form(treated, "vitals", example("vitals", weight={"value": 63.5, "unit": ""}))
    assert [e.field for e in errors] == ["weight.unit"]


def test_an_implausible_value_is_rejected_not_corrected(treated: Any) -> None:
    errors = check_form(treated, "vitals", example("vitals", weight={"value": 63.5, "unit": "g"}))
    assert [e.field for e in errors] == ["weight.value"] and "plausible" in errors[0].message


def test_a_bad_cell_of_a_table_is_named_by_row_and_column(treated: Any) -> None:
    data = example("tumour_assessment")
    data["lesions"][1]["longest_diameter_mm"] = -4
    errors = check_form(treated, "tumour_assessment", data)
    assert [e.field for e in errors] == ["lesions[1].longest_diameter_mm"]


def test_a_second_record_of_a_non_repeating_subject_form_is_refused(
    treated: Any, role_users: dict[str, Any]
) -> None:
    ctx = AuditContext(role_users["coordinator"])
    first = do_save_form(ctx, treated, "death", example("death"))
    counts = table_counts()
    with pytest.raises(DomainError, match="not yet entered") as refused:
        do_save_form(ctx, treated, "death", example("death"))
    assert refused.value.field == "form_code" and f"edit record {first.pk} instead" in str(refused.value)
    assert table_counts() == counts


def test_an_unknown_form_is_refused_with_the_known_codes(treated: Any, role_users: dict[str, Any]) -> None:
    with pytest.raises(Exception, match="vitals"):
        do_save_form(AuditContext(role_users["coordinator"]), treated, "vital_signs", {})


def test_the_crf_document_lists_every_form_and_field() -> None:
    from pathlib import Path

    text = (Path(__file__).parents[2] / "docs" / "crf.md").read_text(encoding="utf-8")
    for code, spec in FORMS.items():
        assert f"### `{code}`" in text
        for f in spec.fields:
            assert f"| `{f.name}` |" in text, (code, f.name)


def test_the_haic_procedure_form_belongs_to_the_arm_with_hepatic_arterial_infusion_only() -> None:
    from oncotrial.services.forms import forms_for_arm

    # Protocol NCT07304388: oxaliplatin by HAIC in the experimental arm, IV in the control arm.
    assert "haic" in {f.code for f in forms_for_arm("HAIC")}
    assert "haic" not in {f.code for f in forms_for_arm("GEMOX")}
    assert "haic" not in {f.code for f in forms_for_arm(None)}
