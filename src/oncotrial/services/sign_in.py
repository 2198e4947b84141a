"""Signing in, with throttling and an audit row for every attempt.

Throttling (OWASP Authentication Cheat Sheet, "account lockout"): after
:data:`MAX_FAILURES` failed attempts for one username, or from one client address,
within :data:`WINDOW_SECONDS`, further attempts are refused for the rest of the window
without checking the password, so that guessing costs time. Counters live in Django's
cache (Redis across processes with ``ONCOTRIAL_CACHE_URL``). The refusal message is the
same for an unknown user, a wrong password and a deactivated account, so that it reveals
nothing about which usernames exist.
"""

from __future__ import annotations

from typing import Final

from django.contrib.auth import authenticate
from django.core.cache import cache
from django.db import transaction

from oncotrial.core.errors import OncotrialError
from oncotrial.persistence.models import User
from oncotrial.services.audit import AuditContext, record
from oncotrial.services.two_factor import check_totp

MAX_FAILURES: Final = 5
WINDOW_SECONDS: Final = 15 * 60
REFUSED: Final = "Sign-in refused: the username or password is wrong, or the account is inactive."
LOCKED: Final = "Too many failed sign-ins: try again in 15 minutes or ask an administrator."
CODE_REFUSED: Final = (
    "Sign-in refused: enter the current 6-digit code of your authenticator app, or an unused recovery code."
)


class SignInError(OncotrialError):
    """A refused sign-in; ``locked`` when refused by throttling."""

    def __init__(self, message: str, *, locked: bool = False, needs_code: bool = False) -> None:
        self.locked = locked
        self.needs_code = needs_code
        super().__init__(message)


def _keys(username: str, client_ip: str) -> tuple[str, str]:
    return f"signin:user:{username.casefold()}", f"signin:ip:{client_ip}"


def failures(username: str, client_ip: str) -> int:
    """The larger of the two failure counters (per username, per client address)."""
    return max(int(cache.get(key, 0)) for key in _keys(username, client_ip))


def _count_failure(username: str, client_ip: str) -> None:
    for key in _keys(username, client_ip):
        if cache.add(key, 1, WINDOW_SECONDS):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW_SECONDS)


def _audit(action: str, username: str, user: User | None, request_id: str, detail: str) -> None:
    with transaction.atomic():
        record(
            AuditContext(user, request_id=request_id),
            action,
            "session",
            username[:150] or "-",
            changes={"outcome": (None, detail)},
        )


def check_sign_in(
    username: str, password: str, *, client_ip: str, request_id: str = "", code: str = ""
) -> User:
    """Return the authenticated active user, or raise :class:`SignInError`.

    A user with the second factor on must also give the current TOTP ``code``; a wrong or
    missing code counts as a failed attempt. Every attempt writes an audit row:
    ``sign_in``, ``sign_in_failed`` or ``sign_in_locked``.
    """
    username = (username or "").strip()[:150]
    if failures(username, client_ip) >= MAX_FAILURES:
        _audit("sign_in_locked", username, None, request_id, "refused by throttling")
        raise SignInError(LOCKED, locked=True)
    user = authenticate(username=username, password=password or "")
    if not isinstance(user, User) or not user.is_active:
        _count_failure(username, client_ip)
        _audit("sign_in_failed", username, None, request_id, "wrong username or password")
        raise SignInError(REFUSED)
    if not check_totp(user, code, request_id=request_id):
        _count_failure(username, client_ip)
        _audit("sign_in_failed", username, None, request_id, "wrong or missing one-time code")
        raise SignInError(CODE_REFUSED, needs_code=True)
    for key in _keys(username, client_ip)[:1]:
        cache.delete(key)
    _audit("sign_in", username, user, request_id, "signed in")
    return user
