"""Web test helpers: a signed-in test client for a user with a known password."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

PASSWORD = "correct horse battery staple 42"


def set_password(user: Any) -> Any:
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


@pytest.fixture
def signed_in(client: Any) -> Callable[[Any], Any]:
    """``signed_in(user)``: the test client, signed in as ``user`` through the login page."""

    def sign_in(user: Any) -> Any:
        set_password(user)
        response = client.post("/login/", {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302, response.content[:500]
        return client

    return sign_in
