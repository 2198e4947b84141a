from __future__ import annotations

from typing import Any

import pytest

from oncotrial.persistence.models import AuditEvent
from oncotrial.services.sign_in import MAX_FAILURES
from support.web import PASSWORD, set_password

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    from django.core.cache import cache

    cache.clear()


def test_anonymous_pages_redirect_to_sign_in_and_the_api_answers_401(client: Any) -> None:
    page = client.get("/subjects/")
    assert page.status_code == 302
    assert page["Location"].startswith("/login/?next=/subjects/")
    api = client.get("/api/subjects")
    assert api.status_code == 401
    assert api.json()["error"] == "NotAuthenticated"


def test_the_registry_page_and_health_check_are_public(client: Any) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    page = client.get("/trial")
    assert page.status_code == 200
    assert b"NCT07304388" in page.content


def test_a_correct_password_signs_in_and_is_audited(client: Any, coordinator: Any) -> None:
    set_password(coordinator)
    response = client.post(
        "/login/", {"username": coordinator.username, "password": PASSWORD, "next": "/subjects/"}
    )
    assert (response.status_code, response["Location"]) == (302, "/subjects/")
    assert AuditEvent.objects.filter(action="sign_in", actor=coordinator).count() == 1


def test_a_wrong_password_is_refused_without_saying_whether_the_user_exists(
    client: Any, coordinator: Any
) -> None:
    set_password(coordinator)
    wrong = client.post("/login/", {"username": coordinator.username, "password": "nope"})
    unknown = client.post("/login/", {"username": "nobody", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.context["error"] == unknown.context["error"]
    assert AuditEvent.objects.filter(action="sign_in_failed").count() == 2


def test_sign_in_is_throttled_after_repeated_failures_even_with_the_right_password(
    client: Any, coordinator: Any
) -> None:
    set_password(coordinator)
    for _ in range(MAX_FAILURES):
        assert client.post("/login/", {"username": coordinator.username, "password": "x"}).status_code == 401
    locked = client.post("/login/", {"username": coordinator.username, "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="sign_in_locked").count() == 1


def test_an_open_redirect_after_sign_in_is_refused(client: Any, coordinator: Any) -> None:
    set_password(coordinator)
    response = client.post(
        "/login/", {"username": coordinator.username, "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_posts_without_a_csrf_token_are_refused(coordinator: Any) -> None:
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    set_password(coordinator)
    assert strict.post("/login/", {"username": coordinator.username, "password": PASSWORD}).status_code == 403


def test_pages_carry_security_headers(client: Any) -> None:
    response = client.get("/login/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Request-ID"]


def test_the_password_is_stored_as_an_argon2_hash(coordinator: Any) -> None:
    set_password(coordinator)
    coordinator.refresh_from_db()
    assert coordinator.password.startswith("argon2$argon2id$")
