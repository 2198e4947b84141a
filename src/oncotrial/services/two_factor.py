"""Optional second factor: time-based one-time passwords (TOTP, RFC 6238; 30 s, 6 digits, SHA-1).

Enrolment stores a new secret and shows it (with an ``otpauth://`` URI for authenticator
apps); the factor is switched on only after the user proves possession with a valid
code. At sign-in, a code from the current step ±1 (clock drift, RFC 6238 §5.2) is
accepted once: the accepted step is stored, so a replayed code is refused.

Turning the factor on issues one-time recovery codes (``services/recovery_codes.py``),
shown once; at sign-in an unused recovery code is accepted once in place of the TOTP code.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyotp
from django.db import transaction

from oncotrial.core.errors import DomainError
from oncotrial.persistence.models import User
from oncotrial.services import clock
from oncotrial.services.actors import actor
from oncotrial.services.audit import AuditContext, record
from oncotrial.services.permissions import Action
from oncotrial.services.recovery_codes import issue_recovery_codes, use_recovery_code

ISSUER = "Oncotrial NCT07304388"


@dataclass(frozen=True, slots=True)
class Enrolment:
    secret: str
    uri: str


def do_begin_totp(ctx: AuditContext) -> Enrolment:
    """Give the acting user a new secret (not yet active until :func:`do_confirm_totp`)."""
    user = actor(ctx, Action.VIEW_SUBJECTS)
    secret = pyotp.random_base32()
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(totp_secret=secret, totp_enabled=False)
        record(ctx, "begin_totp", "user", user.pk, changes={"totp": (None, "enrolment started")})
    user.totp_secret, user.totp_enabled = secret, False
    return Enrolment(secret, pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER))


def _accepted_step(user: User, code: str) -> int | None:
    if not user.totp_secret or not isinstance(code, str) or not code.strip().isdigit():
        return None
    totp = pyotp.TOTP(user.totp_secret)
    now = clock.now()
    step = int(now.timestamp()) // totp.interval
    for candidate in (step - 1, step, step + 1):
        if candidate > user.totp_last_step and totp.at(candidate * totp.interval) == code.strip():
            return candidate
    return None


def do_confirm_totp(ctx: AuditContext, code: str) -> tuple[str, ...]:
    """Switch the second factor on once a code from the new secret checks out.

    Returns the new recovery codes (to show once; only their digests are stored).
    """
    user = actor(ctx, Action.VIEW_SUBJECTS)
    user.refresh_from_db()
    if user.totp_enabled:
        raise DomainError("totp_enabled", True, "two-factor sign-in not yet on (it is on already)")
    step = _accepted_step(user, code)
    if step is None:
        raise DomainError("code", "(hidden)", "the current 6-digit code of your authenticator app")
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(totp_enabled=True, totp_last_step=step)
        record(ctx, "enable_totp", "user", user.pk, changes={"totp_enabled": (False, True)})
        codes = issue_recovery_codes(ctx, user)
    user.totp_enabled, user.totp_last_step = True, step
    return codes


def check_totp(user: User, code: str, *, request_id: str = "") -> bool:
    """True once per valid code (the step is consumed) or unused recovery code (spent); always
    True without a second factor."""
    if not user.totp_enabled:
        return True
    step = _accepted_step(user, code)
    if step is None:
        return use_recovery_code(user, code, request_id=request_id)
    with transaction.atomic():
        updated = User.objects.filter(pk=user.pk, totp_last_step__lt=step).update(totp_last_step=step)
    return updated == 1
