from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pyotp
import pytest

from oncotrial.persistence.models import ApiToken
from oncotrial.services import clock
from support.web import PASSWORD, set_password

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    from django.core.cache import cache

    cache.clear()


def test_two_factor_sign_in_needs_a_fresh_code_once_turned_on(
    signed_in: Callable[[Any], Any], client: Any, coordinator: Any
) -> None:
    moment = datetime(2026, 1, 5, 9, 0, 0)
    with clock.frozen_clock(moment):
        signed_in(coordinator)
        page = client.post("/account/totp/begin/")
        secret = page.context["enrolment"].secret
        code = pyotp.TOTP(secret).at(moment)
        confirmed = client.post("/account/totp/confirm/", {"code": code})
        assert confirmed.status_code == 200  # the page shows the recovery codes, once
        assert len(confirmed.context["recovery_codes"]) == 10
        client.post("/logout/")
        clock.move_frozen_clock(datetime(2026, 1, 5, 9, 1, 0))
        set_password(coordinator)
        without = client.post("/login/", {"username": coordinator.username, "password": PASSWORD})
        assert without.status_code == 401
        assert "code" in without.context["error"]
        fresh = pyotp.TOTP(secret).at(datetime(2026, 1, 5, 9, 1, 0))
        ok = client.post("/login/", {"username": coordinator.username, "password": PASSWORD, "code": fresh})
        assert ok.status_code == 302
        client.post("/logout/")
        replay = client.post(
            "/login/", {"username": coordinator.username, "password": PASSWORD, "code": fresh}
        )
        assert replay.status_code == 401


def test_a_token_is_shown_once_and_only_its_digest_is_stored(
    signed_in: Callable[[Any], Any], client: Any, coordinator: Any
) -> None:
    signed_in(coordinator)
    page = client.post("/account/tokens/", {"name": "pipeline", "scopes": ["read"], "days": "30"})
    secret = page.context["issued"].secret
    row = ApiToken.objects.get(user=coordinator)
    assert secret not in (row.digest, row.prefix)
    assert secret.encode() not in client.get("/account/").content
    bad = client.post("/account/tokens/", {"name": "x", "scopes": ["admin"], "days": "30"})
    assert bad.status_code == 422
    assert "scopes" in bad.context["errors"]
