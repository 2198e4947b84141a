"""Helpers shared by the views: the acting user, the audit context, error mapping."""

from __future__ import annotations

from django.http import HttpRequest

from oncotrial.core.errors import DomainError
from oncotrial.persistence.models import Site, User
from oncotrial.services.audit import AuditContext
from oncotrial.services.errors import PermissionDenied
from oncotrial.services.permissions import Action, check_permission


def acting_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # LoginRequiredMiddleware guarantees an authenticated user
    return user


def audit_context(request: HttpRequest, reason: str = "") -> AuditContext:
    return AuditContext(acting_user(request), request_id=getattr(request, "request_id", ""), reason=reason)


def client_ip(request: HttpRequest) -> str:
    """The peer address (a proxy's ``X-Forwarded-For`` is not trusted: it is client-controlled)."""
    return str(request.META.get("REMOTE_ADDR", ""))


def error_message(exc: DomainError) -> str:
    message = f"Got {exc.value!r}; expected {exc.expected}."
    if exc.suggestion:
        message += f" {exc.suggestion}"
    return message


def allowed_here(user: User, site: Site) -> set[str]:
    """The actions ``user`` may perform on ``site``'s subjects (to show only usable buttons)."""
    allowed = set()
    for action in Action:
        try:
            check_permission(user, action, site)
        except PermissionDenied:
            continue
        allowed.add(action.value)
    return allowed
