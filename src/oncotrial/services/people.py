"""Use cases for sites and users."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from oncotrial.core.errors import DomainError
from oncotrial.persistence.models import Role, Site, User
from oncotrial.services import clock
from oncotrial.services.audit import AuditContext, record
from oncotrial.services.errors import PermissionDenied
from oncotrial.services.permissions import STUDY_WIDE_ROLES, Action, check_permission


def _text(value: object, field: str, max_length: int) -> str:
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > max_length:
        raise DomainError(field, value, f"a non-empty text of at most {max_length} characters")
    return value.strip()


def do_create_site(ctx: AuditContext, *, code: str, name: str) -> Site:
    """Create a site (administrators only)."""
    if ctx.actor is None:
        raise PermissionDenied("user", Action.MANAGE_SITES, "no authenticated user")
    check_permission(ctx.actor, Action.MANAGE_SITES)
    code = _text(code, "code", 32)
    name = _text(name, "name", 200)
    with transaction.atomic():
        if Site.objects.filter(code=code).exists():
            raise DomainError("code", code, "a site code not already used")
        site = Site.objects.create(code=code, name=name, created_at=clock.now())
        record(ctx, "create", "site", site.pk, changes={"code": (None, code), "name": (None, name)})
    return site


def do_create_user(
    ctx: AuditContext,
    *,
    username: str,
    role: str,
    sites: Sequence[str] = (),
    email: str = "",
    password: str | None = None,
) -> User:
    """Create a user with one role, scoped to ``sites`` (site codes) unless the role is study-wide.

    ``ctx.actor`` may be ``None`` only to create the first administrator of an empty
    database (bootstrap from the command line). Without ``password`` the account has no
    usable password until one is set.
    """
    username = _text(username, "username", 150)
    try:
        parsed_role = Role(role)
    except ValueError:
        raise DomainError("role", role, f"one of {', '.join(Role.values)}") from None
    codes = [_text(code, f"sites[{i}]", 32) for i, code in enumerate(sites)]
    if parsed_role not in STUDY_WIDE_ROLES and not codes:
        raise DomainError(
            "sites", list(sites), f"at least one site for the site-scoped role {parsed_role.label}"
        )
    with transaction.atomic():
        if ctx.actor is None:
            if parsed_role is not Role.ADMINISTRATOR or User.objects.exists():
                raise PermissionDenied(
                    "user", Action.MANAGE_USERS, "only the first administrator is created without a user"
                )
        else:
            check_permission(ctx.actor, Action.MANAGE_USERS)
        if User.objects.filter(username=username).exists():
            raise DomainError("username", username, "a user name not already used")
        site_rows = []
        for i, code in enumerate(codes):
            site = Site.objects.filter(code=code).first()
            if site is None:
                raise DomainError(f"sites[{i}]", code, "the code of an existing site")
            site_rows.append(site)
        user = User(username=username, role=parsed_role.value, email=email)
        if password is None:
            user.set_unusable_password()
        else:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise DomainError("password", "(hidden)", "; ".join(exc.messages)) from None
            user.set_password(password)
        user.save()
        user.sites.set(site_rows)
        record(
            ctx,
            "create",
            "user",
            user.pk,
            changes={
                "username": (None, username),
                "role": (None, parsed_role.value),
                "sites": (None, sorted(codes)),
            },
        )
    return user
