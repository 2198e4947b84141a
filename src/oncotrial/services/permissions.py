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
    VIEW_DATA = "view_data"
    ENTER_DATA = "enter_data"
    VERIFY_DOSE = "verify_dose"
    VERIFY_DATA = "verify_data"
    SIGN = "sign"
    LOCK = "lock"
    OPEN_QUERY = "open_query"
    ANSWER_QUERY = "answer_query"
    CLOSE_QUERY = "close_query"
    ACKNOWLEDGE_SAE = "acknowledge_sae"
    MANAGE_REFERENCE_RANGES = "manage_reference_ranges"
    VIEW_REPORT = "view_report"
    EXPORT_DATA = "export_data"


_SITE_TEAM: Final = frozenset({
    Action.VIEW_SUBJECTS, Action.SCREEN, Action.RECORD_CONSENT, Action.RANDOMIZE, Action.VIEW_DATA,
    Action.ENTER_DATA, Action.ANSWER_QUERY,
})
_READ_ONLY: Final = frozenset({Action.VIEW_SUBJECTS, Action.VIEW_DATA, Action.VIEW_REPORT})

PERMISSIONS: Final[Mapping[Role, frozenset[Action]]] = {
    Role.INVESTIGATOR: _SITE_TEAM | {Action.SIGN, Action.ACKNOWLEDGE_SAE},
    Role.COORDINATOR: _SITE_TEAM,
    Role.PHARMACIST: _READ_ONLY | {Action.VERIFY_DOSE},
    Role.DATA_MANAGER: _READ_ONLY | {
        Action.VIEW_AUDIT, Action.LOCK, Action.OPEN_QUERY, Action.CLOSE_QUERY, Action.ACKNOWLEDGE_SAE,
        Action.MANAGE_REFERENCE_RANGES, Action.EXPORT_DATA,
    },
    Role.MONITOR: _READ_ONLY | {Action.VIEW_AUDIT, Action.VERIFY_DATA, Action.OPEN_QUERY, Action.CLOSE_QUERY},
    Role.STATISTICIAN: _READ_ONLY | {Action.LOAD_ALLOCATION_LIST, Action.VIEW_AUDIT, Action.EXPORT_DATA},
    Role.SPONSOR_VIEWER: _READ_ONLY,
    Role.ADMINISTRATOR: frozenset(
        {Action.MANAGE_SITES, Action.MANAGE_USERS, Action.LOAD_ALLOCATION_LIST, Action.VIEW_AUDIT,
         Action.MANAGE_REFERENCE_RANGES}
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
    if site is not None and role not in STUDY_WIDE_ROLES and site.pk not in assigned_site_ids(user):
        raise PermissionDenied("site", action, f"user {user.username!r} is not assigned to site {site.code}")


def assigned_site_ids(user: User) -> frozenset[int]:
    """The ids of the user's sites, read once per user object (a request loads a fresh one)."""
    cached = user.__dict__.get("_oncotrial_site_ids")
    if cached is None:
        cached = frozenset(user.sites.values_list("pk", flat=True))
        user.__dict__["_oncotrial_site_ids"] = cached
    return cached
