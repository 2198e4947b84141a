from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from oncotrial.persistence.models import Allocation, ApiToken, AuditEvent, Subject
from oncotrial.services.audit import AuditContext
from support.subjects import enrolled, patient

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_is_served_to_signed_in_users(
    signed_in: Callable[[Any], Any], coordinator: Any
) -> None:
    schema = signed_in(coordinator).get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/subjects/{subject_id}/randomization" in schema["paths"]


def test_screening_through_the_api_stores_every_verdict(
    signed_in: Callable[[Any], Any], coordinator: Any
) -> None:
    client = signed_in(coordinator)
    response = client.post(
        "/api/screenings",
        {"screened_on": "2024-03-05", "patient": patient("API-001")},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "eligible"
    assert Subject.objects.get(subject_id="API-001").screenings.count() == 1


def test_a_bad_unit_through_the_api_gets_a_field_error_and_changes_nothing(
    signed_in: Callable[[Any], Any], coordinator: Any
) -> None:
    client = signed_in(coordinator)
    doc = patient("API-002")
    doc["labs"][3]["unit"] = "furlongs"
    before = AuditEvent.objects.count()
    response = client.post(
        "/api/screenings", {"screened_on": "2024-03-05", "patient": doc}, content_type="application/json"
    )
    assert response.status_code == 422
    problem = response.json()["errors"][0]
    assert "PLAT" in problem["field"]
    assert "furlongs" in problem["message"]
    assert AuditEvent.objects.count() == before
    assert not Subject.objects.filter(subject_id="API-002").exists()


def test_a_malformed_body_gets_a_422_naming_the_field(
    signed_in: Callable[[Any], Any], coordinator: Any
) -> None:
    response = signed_in(coordinator).post(
        "/api/screenings", {"screened_on": "not a date", "patient": {}}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.screened_on"


def test_randomization_retried_with_the_same_key_returns_the_same_allocation(
    signed_in: Callable[[Any], Any], coordinator: Any, production_list: Any
) -> None:
    enrolled(coordinator, "API-003")
    client = signed_in(coordinator)
    headers = {"Idempotency-Key": "api-retry-key-0003"}
    first = client.post("/api/subjects/API-003/randomization", headers=headers)
    again = client.post("/api/subjects/API-003/randomization", headers=headers)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert Allocation.objects.count() == 1


def test_the_api_refuses_another_sites_subject_with_403(
    signed_in: Callable[[Any], Any], coordinator: Any, make_user: Callable[..., Any]
) -> None:
    enrolled(coordinator, "API-004")
    other = make_user("coordinator", "OTHER", username="other-site")
    response = signed_in(other).get("/api/subjects/API-004")
    assert response.status_code == 403
    assert response.json()["error"] == "PermissionDenied"


def test_an_api_token_reads_with_read_scope_and_needs_write_scope_to_change(
    client: Any, coordinator: Any, production_list: Any
) -> None:
    from oncotrial.services.api_tokens import do_create_api_token, do_revoke_api_token

    enrolled(coordinator, "API-010")
    reader = do_create_api_token(AuditContext(coordinator), name="lab interface", scopes=["read"])
    assert reader.secret.startswith("ot_")
    assert reader.secret not in str(ApiToken.objects.values_list("digest", flat=True))
    auth = {"Authorization": f"Bearer {reader.secret}"}
    assert client.get("/api/subjects/API-010", headers=auth).status_code == 200
    refused = client.post(
        "/api/subjects/API-010/randomization", headers=auth | {"Idempotency-Key": "tok-key-01"}
    )
    assert refused.status_code == 403
    assert "write" in refused.json()["message"]
    assert not Allocation.objects.exists()
    do_revoke_api_token(AuditContext(coordinator), reader.token)
    assert client.get("/api/subjects/API-010", headers=auth).status_code == 401


def test_a_writing_token_randomizes_without_a_session_or_csrf(coordinator: Any, production_list: Any) -> None:
    from django.test import Client

    from oncotrial.services.api_tokens import do_create_api_token

    enrolled(coordinator, "API-011")
    writer = do_create_api_token(AuditContext(coordinator), name="ctms", scopes=["read", "write"])
    strict = Client(enforce_csrf_checks=True)
    headers = {"Authorization": f"Bearer {writer.secret}", "Idempotency-Key": "tok-key-02"}
    response = strict.post("/api/subjects/API-011/randomization", headers=headers)
    assert response.status_code == 200, response.content
    assert AuditEvent.objects.filter(action="randomize", actor=coordinator).exists()


def test_an_unknown_token_gets_401(client: Any) -> None:
    assert client.get("/api/subjects", headers={"Authorization": "Bearer ot_nope_nope"}).status_code == 401
