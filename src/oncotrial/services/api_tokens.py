"""API tokens for system integrations (a lab interface, a CTMS, a statistics pipeline).

A token is ``ot_<prefix>_<secret>``: ``prefix`` finds the row, and only the SHA-256 of the
whole token is stored, so a database copy reveals no usable token (the secret is shown
once, at creation). Scopes limit what a token may do on top of its user's role and
sites: ``read`` allows GET requests, ``write`` allows data entry and randomization.
Tokens expire (at most a year) and can be revoked; every creation, use refusal and
revocation is audited.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

from django.db import transaction

from oncotrial.core.errors import DomainError
from oncotrial.persistence.models import ApiToken, User
from oncotrial.services import clock
from oncotrial.services.actors import actor
from oncotrial.services.audit import AuditContext, record
from oncotrial.services.errors import PermissionDenied
from oncotrial.services.permissions import Action

SCOPES: Final = ("read", "write")
MAX_DAYS: Final = 365


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: ApiToken
    secret: str
    """The full bearer token; shown once and never stored."""


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def do_create_api_token(
    ctx: AuditContext, *, name: str, scopes: list[str] | tuple[str, ...], days: int = 90
) -> IssuedToken:
    """Issue a token for the acting user (scopes ⊆ :data:`SCOPES`, 1 to 365 days)."""
    user = actor(ctx, Action.VIEW_SUBJECTS)
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > 100:
        raise DomainError("name", name, "a token name of 1 to 100 characters")
    wanted = list(dict.fromkeys(scopes))
    if not wanted or any(s not in SCOPES for s in wanted):
        raise DomainError("scopes", scopes, f"one or more of {', '.join(SCOPES)}")
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise DomainError("days", days, f"a lifetime of 1 to {MAX_DAYS} days")
    prefix = secrets.token_hex(6)
    secret = f"ot_{prefix}_{secrets.token_urlsafe(32)}"
    now = clock.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name.strip(),
            prefix=prefix,
            digest=_digest(secret),
            scopes=wanted,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
        record(
            ctx,
            "create",
            "api_token",
            token.pk,
            changes={"token": (None, {"name": token.name, "prefix": prefix, "scopes": wanted, "days": days})},
        )
    return IssuedToken(token, secret)


def do_revoke_api_token(ctx: AuditContext, token: ApiToken) -> ApiToken:
    """Revoke a token (its owner or an administrator)."""
    user = actor(ctx, Action.VIEW_SUBJECTS)
    if token.user_id != user.pk and user.role != "administrator":
        raise PermissionDenied("user", "revoke_api_token", "only the token's owner or an administrator")
    with transaction.atomic():
        row = ApiToken.objects.select_for_update().get(pk=token.pk)
        if row.revoked_at is None:
            row.revoked_at = clock.now()
            row.save(update_fields=["revoked_at"])
            record(ctx, "revoke", "api_token", row.pk, changes={"revoked_at": (None, row.revoked_at)})
    return row


def check_api_token(raw: str) -> tuple[User, tuple[str, ...]] | None:
    """The active user and scopes of a presented token, or ``None`` (unknown, expired, revoked)."""
    parts = raw.split("_") if isinstance(raw, str) else []
    if len(parts) < 3 or parts[0] != "ot":
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(raw)):
        return None
    now = clock.now()
    if token.revoked_at is not None or (token.expires_at is not None and token.expires_at <= now):
        return None
    if not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user, tuple(token.scopes)
