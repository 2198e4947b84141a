from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from oncotrial.persistence.models import AuditEvent, FormRecord, Query
from oncotrial.services.audit import AuditContext
from oncotrial.services.randomization import check_randomize_subject
from support.subjects import enrolled

pytestmark = pytest.mark.django_db

VITALS = {
    "assessment_date": "2024-03-10",
    "weight.value": "63.5",
    "weight.unit": "kg",
    "height.value": "170",
    "height.unit": "cm",
    "systolic_bp.value": "128",
    "systolic_bp.unit": "mmHg",
    "diastolic_bp.value": "78",
    "diastolic_bp.unit": "mmHg",
    "ecog": "1",
}


@pytest.fixture
def randomized(coordinator: Any, production_list: Any) -> Any:
    subject = enrolled(coordinator, "REC-001")
    check_randomize_subject(AuditContext(coordinator), subject, "records-fixture-key")
    return subject


def test_a_form_saved_from_the_page_stores_its_values_and_the_derived_bsa(
    signed_in: Callable[[Any], Any], coordinator: Any, randomized: Any
) -> None:
    client = signed_in(coordinator)
    response = client.post("/subjects/REC-001/forms/vitals/new/", VITALS)
    assert response.status_code == 302, response.content[:2000]
    record = FormRecord.objects.get(subject=randomized, form_code="vitals")
    assert record.data["weight"] == {"value": 63.5, "unit": "kg"}
    # Mosteller: sqrt(170 * 63.5 / 3600) = 1.7316 m² (Mosteller, N Engl J Med 1987;317:1098)
    assert record.derived["bsa_m2"] == pytest.approx(1.7316, abs=1e-4)
    page = client.get(f"/records/{record.pk}/")
    assert b"bsa m2" in page.content


def test_every_bad_field_is_shown_next_to_its_input_and_nothing_is_saved(
    signed_in: Callable[[Any], Any], coordinator: Any, randomized: Any
) -> None:
    client = signed_in(coordinator)
    before = AuditEvent.objects.count()
    bad = VITALS | {"weight.unit": "stone", "ecog": "7", "assessment_date": "2024-13-40"}
    response = client.post("/subjects/REC-001/forms/vitals/new/", bad)
    assert response.status_code == 422
    errors = response.context["errors"]
    assert {"weight.value", "ecog", "assessment_date"} <= set(errors) or {"weight.unit", "ecog"} <= set(
        errors
    )
    assert b'aria-invalid="true"' in response.content
    assert not FormRecord.objects.exists()
    assert AuditEvent.objects.count() == before


def test_an_edit_needs_a_reason_and_is_audited_old_to_new(
    signed_in: Callable[[Any], Any], coordinator: Any, randomized: Any
) -> None:
    client = signed_in(coordinator)
    client.post("/subjects/REC-001/forms/vitals/new/", VITALS)
    record = FormRecord.objects.get(form_code="vitals")
    changed = VITALS | {"weight.value": "61.0", "version": str(record.version)}
    refused = client.post(f"/records/{record.pk}/edit/", changed)
    assert refused.status_code == 422
    assert "reason" in refused.context["errors"]
    accepted = client.post(f"/records/{record.pk}/edit/", changed | {"reason": "transcription error"})
    assert accepted.status_code == 302
    row = AuditEvent.objects.filter(entity_id=str(record.pk), field="weight").last()
    assert row is not None
    assert (row.old, row.new, row.reason) == (
        {"value": 63.5, "unit": "kg"},
        {"value": 61.0, "unit": "kg"},
        "transcription error",
    )


def test_verify_sign_and_lock_follow_the_state_machine_and_queries_close(
    client: Any,
    signed_in: Callable[[Any], Any],
    coordinator: Any,
    make_user: Callable[..., Any],
    randomized: Any,
) -> None:
    signed_in(coordinator).post("/subjects/REC-001/forms/vitals/new/", VITALS)
    record = FormRecord.objects.get(form_code="vitals")
    monitor = make_user("monitor", "SYSUCC")
    investigator = make_user("investigator", "SYSUCC")
    manager = make_user("data_manager")

    signed_in(monitor)
    assert (
        client.post(f"/records/{record.pk}/queries/", {"field": "ecog", "text": "Source says 0?"}).status_code
        == 302
    )
    assert client.post(f"/records/{record.pk}/verify/").status_code == 302
    query = Query.objects.get(record=record)

    signed_in(investigator)
    wrong = client.post(f"/records/{record.pk}/sign/", {"password": "wrong", "meaning": "I approve"})
    assert wrong.status_code == 422
    assert "password" in wrong.context["errors"]["sign"]
    assert client.post(f"/queries/{query.pk}/answer/", {"text": "ECOG 1 confirmed"}).status_code == 302
    from support.web import PASSWORD

    signed = client.post(
        f"/records/{record.pk}/sign/", {"password": PASSWORD, "meaning": "I approve these data"}
    )
    assert signed.status_code == 302
    record.refresh_from_db()
    assert (record.status, record.signature_meaning) == ("signed", "I approve these data")

    signed_in(manager)
    assert client.post(f"/queries/{query.pk}/close/", {"text": "resolved"}).status_code == 302
    assert client.post(f"/records/{record.pk}/lock/", {"reason": "database lock"}).status_code == 302
    record.refresh_from_db()
    query.refresh_from_db()
    assert (record.status, query.status) == ("locked", "closed")

    signed_in(coordinator)
    edit = client.post(f"/records/{record.pk}/edit/", VITALS | {"reason": "late change"})
    assert edit.status_code == 422
