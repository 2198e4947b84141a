"""The acting user of a service call (shared by every ``do_*``/``check_*``)."""

from __future__ import annotations

from oncotrial.persistence.models import Site, User
from oncotrial.services.audit import AuditContext
from oncotrial.services.errors import PermissionDenied
from oncotrial.services.permissions import Action, check_permission


def actor(ctx: AuditContext, action: Action) -> User:
    """``ctx.actor``, or :class:`PermissionDenied` when nobody is signed in."""
    if ctx.actor is None:
        raise PermissionDenied("user", action, "no authenticated user")
    return ctx.actor


def permitted(ctx: AuditContext, action: Action, site: Site | None = None) -> User:
    """The acting user, once :func:`check_permission` allowed ``action`` (at ``site``)."""
    user = actor(ctx, action)
    check_permission(user, action, site)
    return user
