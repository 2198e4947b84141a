"""The declared permission matrix: which role may perform which action, and where.

Site-scoped roles act only on subjects of the sites they are assigned to; study-wide
roles act on every site. Every service calls :func:`check_permission` before changing
anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

from oncotrial.persistence.models import Role, Site, User
from oncotrial.services.errors import PermissionDenied


class Action(StrEnum):
    MANAGE_SITES = "manage_sites"
    MANAGE_USERS = "manage_users"
    LOAD_ALLOCATION_LIST = "load_allocation_list"
    VIEW_SUBJECTS = "view_subjects"
    SCREEN = "screen"
    RECORD_CONSENT = "record_consent"
    RANDOMIZE = "randomize"
    VIEW_AUDIT = "view_audit"


_SITE_TEAM: Final = frozenset({Action.VIEW_SUBJECTS, Action.SCREEN, Action.RECORD_CONSENT, Action.RANDOMIZE})

PERMISSIONS: Final[Mapping[Role, frozenset[Action]]] = {
    Role.INVESTIGATOR: _SITE_TEAM,
    Role.COORDINATOR: _SITE_TEAM,
    Role.PHARMACIST: frozenset({Action.VIEW_SUBJECTS}),
    Role.DATA_MANAGER: frozenset({Action.VIEW_SUBJECTS, Action.VIEW_AUDIT}),
    Role.MONITOR: frozenset({Action.VIEW_SUBJECTS, Action.VIEW_AUDIT}),
    Role.STATISTICIAN: frozenset({Action.LOAD_ALLOCATION_LIST, Action.VIEW_AUDIT}),
    Role.SPONSOR_VIEWER: frozenset({Action.VIEW_SUBJECTS}),
    Role.ADMINISTRATOR: frozenset(
        {Action.MANAGE_SITES, Action.MANAGE_USERS, Action.LOAD_ALLOCATION_LIST, Action.VIEW_AUDIT}
    ),
}
"""Role × action. An action missing from a role's set is denied."""

STUDY_WIDE_ROLES: Final = frozenset(
    {Role.DATA_MANAGER, Role.STATISTICIAN, Role.SPONSOR_VIEWER, Role.ADMINISTRATOR}
)
"""Roles that see every site; every other role is limited to its assigned sites."""


def is_allowed(role: Role, action: Action) -> bool:
    return action in PERMISSIONS.get(role, frozenset())


def check_permission(user: User, action: Action, site: Site | None = None) -> None:
    """Raise :class:`PermissionDenied` unless ``user`` may perform ``action`` (at ``site``)."""
    if not user.is_active:
        raise PermissionDenied("user", action, f"user {user.username!r} is deactivated")
    try:
        role = Role(user.role)
    except ValueError:
        raise PermissionDenied("role", action, f"unknown role {user.role!r}") from None
    if not is_allowed(role, action):
        raise PermissionDenied("role", action, f"role {role.label} may not {action.value.replace('_', ' ')}")
    if site is not None and role not in STUDY_WIDE_ROLES and not user.sites.filter(pk=site.pk).exists():
        raise PermissionDenied("site", action, f"user {user.username!r} is not assigned to site {site.code}")
