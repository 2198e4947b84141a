"""One-time recovery codes of the TOTP second factor (for a lost or broken authenticator).

When a user turns the second factor on, :func:`issue_recovery_codes` gives them
:data:`COUNT` codes, shown once. At sign-in a code may stand in for the 6-digit TOTP
code, once (:func:`use_recovery_code`; the password is still required and the sign-in
throttle of ``services/sign_in.py`` counts a wrong code as a failed attempt).
:func:`do_regenerate_recovery_codes` (password re-entered) replaces every unused code.
Issue, use and regeneration are audited with counts, never with a code.

Storage: only ``SHA-256("oncotrial-recovery-code:v1:" + user id + ":" + code)`` is kept.
A fast hash is enough here, unlike for passwords, because each code is
:data:`ENTROPY_BITS` = 120 bits from ``secrets`` (the OS CSPRNG): NIST SP 800-63B
§5.1.2.2 lets look-up secrets of at least 112 bits be stored "hashed with an approved
one-way function", and asks for a slow salted key-derivation function only below that.
Guessing one code from a leaked digest takes ~2^119 hashes on average (≈ 2 × 10^22
years at 10^12 SHA-256 per second). The user id in the hashed text is the salt, so one
digest can't be tried against every account. A fast hash also lets a sign-in find the
code by its digest (one indexed read) instead of running Argon2 against ten rows.

Codes are written in Crockford's base32 (digits and letters without I, L, O, U:
https://www.crockford.com/base32.html) in six groups of four. Typing them in lower case,
without hyphens, or with O/I/L for 0/1 is accepted.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Final

from django.core.cache import cache
from django.db import transaction

from oncotrial.core.errors import DomainError
from oncotrial.persistence.models import RecoveryCode, User
from oncotrial.services import clock
from oncotrial.services.actors import actor
from oncotrial.services.audit import AuditContext, record
from oncotrial.services.errors import PermissionDenied
from oncotrial.services.permissions import Action

COUNT: Final = 10
ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base32: 32 symbols, 5 bits each."""
LENGTH: Final = 24
GROUP: Final = 4
ENTROPY_BITS: Final = LENGTH * 5
_CONFUSABLE: Final = str.maketrans({"O": "0", "I": "1", "L": "1"})

REAUTH_MAX_FAILURES: Final = 5
REAUTH_WINDOW_SECONDS: Final = 15 * 60
"""Wrong passwords at regeneration: the same limits as sign-in (5 per 15 minutes, per user)."""


def normalized(code: object) -> str | None:
    """``code`` in canonical form (upper case, no separators), or ``None`` if it cannot be one."""
    if not isinstance(code, str):
        return None
    text = "".join(code.split()).replace("-", "").upper().translate(_CONFUSABLE)
    if len(text) != LENGTH or any(c not in ALPHABET for c in text):
        return None
    return text


def _digest(user: User, code: str) -> str:
    return hashlib.sha256(f"oncotrial-recovery-code:v1:{user.pk}:{code}".encode()).hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def remaining(user: User) -> int:
    """How many unused codes ``user`` has."""
    return RecoveryCode.objects.filter(user=user, used_at=None, revoked_at=None).count()


def _replace_codes(user: User) -> tuple[tuple[str, ...], int]:
    """Revoke the unused codes and store :data:`COUNT` new ones; (new codes, revoked count)."""
    now = clock.now()
    revoked = RecoveryCode.objects.filter(user=user, used_at=None, revoked_at=None).update(revoked_at=now)
    codes = tuple(_new_code() for _ in range(COUNT))
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, digest=_digest(user, str(normalized(c))), created_at=now) for c in codes
    )
    return codes, revoked


def issue_recovery_codes(ctx: AuditContext, user: User) -> tuple[str, ...]:
    """New codes for ``user`` as the second factor is turned on (inside the caller's transaction)."""
    codes, revoked = _replace_codes(user)
    record(
        ctx,
        "issue_recovery_codes",
        "user",
        user.pk,
        changes={"recovery_codes": ({"unused": revoked} if revoked else None, {"unused": len(codes)})},
    )
    return codes


def _throttle_key(user: User) -> str:
    return f"reauth:recovery-codes:{user.pk}"


def _refuse(ctx: AuditContext, user: User, detail: str) -> None:
    with transaction.atomic():
        record(ctx, "regenerate_recovery_codes_refused", "user", user.pk, changes={"outcome": (None, detail)})


def do_regenerate_recovery_codes(ctx: AuditContext, *, password: str) -> tuple[str, ...]:
    """Replace every unused code of the acting user by :data:`COUNT` new ones (password re-entered).

    Raises :class:`DomainError` without the second factor on, and :class:`PermissionDenied`
    (field ``password``) for a wrong password or after :data:`REAUTH_MAX_FAILURES` wrong
    ones within :data:`REAUTH_WINDOW_SECONDS`; each refusal is audited.
    """
    user = actor(ctx, Action.VIEW_SUBJECTS)
    user.refresh_from_db()
    if not user.totp_enabled:
        raise DomainError(
            "totp_enabled", False, "two-factor sign-in turned on before recovery codes are issued"
        )
    key = _throttle_key(user)
    if int(cache.get(key, 0)) >= REAUTH_MAX_FAILURES:
        _refuse(ctx, user, "refused by throttling")
        raise PermissionDenied(
            "password", "regenerate_recovery_codes", "too many wrong passwords: try again in 15 minutes"
        )
    if not isinstance(password, str) or not user.check_password(password):
        if not cache.add(key, 1, REAUTH_WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, REAUTH_WINDOW_SECONDS)
        _refuse(ctx, user, "wrong password")
        raise PermissionDenied("password", "regenerate_recovery_codes", "the password does not match yours")
    cache.delete(key)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one regeneration at a time
        codes, revoked = _replace_codes(user)
        record(
            ctx,
            "regenerate_recovery_codes",
            "user",
            user.pk,
            changes={"recovery_codes": ({"unused": revoked}, {"unused": len(codes)})},
        )
    return codes


def use_recovery_code(user: User, code: str, *, request_id: str = "") -> bool:
    """Spend one unused code of ``user``: True once per code, False for anything else."""
    canonical = normalized(code)
    if canonical is None:
        return False
    with transaction.atomic():
        row = RecoveryCode.objects.filter(
            user=user, digest=_digest(user, canonical), used_at=None, revoked_at=None
        ).first()
        if row is None:
            return False
        spent = RecoveryCode.objects.filter(pk=row.pk, used_at=None, revoked_at=None).update(
            used_at=clock.now()
        )
        if spent != 1:  # a concurrent sign-in used it first
            return False
        left = remaining(user)
        record(
            AuditContext(user, request_id=request_id),
            "use_recovery_code",
            "user",
            user.pk,
            changes={"recovery_codes": ({"unused": left + 1}, {"unused": left})},
        )
    return True
