"""Recovery codes on the account and sign-in pages: shown once, used once, replaced with the password."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pyotp
import pytest
from django.core.cache import cache

from oncotrial.persistence.models import AuditEvent, RecoveryCode
from oncotrial.services import clock
from support.web import PASSWORD

pytestmark = pytest.mark.django_db

MOMENT = datetime(2026, 1, 5, 9, 0, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fresh_throttle_and_frozen_clock() -> Iterator[None]:
    cache.clear()
    with clock.frozen_clock(MOMENT):
        yield


def _turn_on_totp(client: Any) -> list[str]:
    secret = client.post("/account/totp/begin/").context["enrolment"].secret
    page = client.post("/account/totp/confirm/", {"code": pyotp.TOTP(secret).at(MOMENT)})
    assert page.status_code == 200
    return list(page.context["recovery_codes"])


def _sign_in_with(client: Any, user: Any, **second_factor: str) -> Any:
    client.post("/logout/")
    return client.post("/login/", {"username": user.username, "password": PASSWORD, **second_factor})


def test_the_codes_are_shown_once_when_two_factor_sign_in_is_turned_on(
    signed_in: Callable[[Any], Any], coordinator: Any
) -> None:
    client = signed_in(coordinator)
    codes = _turn_on_totp(client)
    assert len(codes) == 10
    later = client.get("/account/")
    assert later["Cache-Control"] == "no-store"
    assert not [c for c in codes if c.encode() in later.content]
    assert b"10 unused recovery codes left" in later.content


def test_a_recovery_code_signs_in_once_in_place_of_the_authenticator_code(
    signed_in: Callable[[Any], Any], client: Any, coordinator: Any
) -> None:
    codes = _turn_on_totp(signed_in(coordinator))
    assert _sign_in_with(client, coordinator).status_code == 401
    first = _sign_in_with(client, coordinator, recovery_code=codes[0].lower())
    assert first.status_code == 302
    assert b"9 unused recovery codes left" in client.get("/account/").content
    again = _sign_in_with(client, coordinator, recovery_code=codes[0])
    assert again.status_code == 401
    assert AuditEvent.objects.filter(action="use_recovery_code", actor=coordinator).count() == 1


def test_the_login_page_has_a_labelled_recovery_code_input(client: Any) -> None:
    page = client.get("/login/").content.decode()
    assert '<label for="recovery_code">Recovery code</label>' in page
    assert 'id="recovery_code" name="recovery_code"' in page


def test_new_codes_need_the_password_and_make_the_old_ones_useless(
    signed_in: Callable[[Any], Any], client: Any, coordinator: Any
) -> None:
    old = _turn_on_totp(signed_in(coordinator))
    refused = client.post("/account/recovery-codes/", {"password": "not mine"})
    assert refused.status_code == 422
    assert "password" in refused.context["errors"]["recovery"]
    assert b'aria-invalid="true"' in refused.content
    assert RecoveryCode.objects.filter(user=coordinator, revoked_at=None).count() == 10
    made = client.post("/account/recovery-codes/", {"password": PASSWORD})
    assert made.status_code == 200
    new = list(made.context["recovery_codes"])
    assert len(new) == 10 and not set(new) & set(old)
    assert _sign_in_with(client, coordinator, recovery_code=old[1]).status_code == 401
    assert _sign_in_with(client, coordinator, recovery_code=new[1]).status_code == 302


def test_without_two_factor_sign_in_no_codes_are_made(
    signed_in: Callable[[Any], Any], coordinator: Any
) -> None:
    client = signed_in(coordinator)
    refused = client.post("/account/recovery-codes/", {"password": PASSWORD})
    assert refused.status_code == 422
    assert not RecoveryCode.objects.exists()
