"""Template context shared by every page: the navigation the user's role allows."""

from __future__ import annotations

from django.http import HttpRequest

from oncotrial.persistence.models import Role, User
from oncotrial.services.permissions import Action, is_allowed
from oncotrial.services.simulated import SIMULATED_LABEL, database_is_simulated

_NAV: tuple[tuple[str, str, Action | None], ...] = (
    ("Dashboard", "/", None),
    ("Subjects", "/subjects/", Action.VIEW_SUBJECTS),
    ("Screen a patient", "/screening/new/", Action.SCREEN),
    ("Audit trail", "/audit/", Action.VIEW_AUDIT),
    ("Trial report", "/report/", Action.VIEW_REPORT),
    ("Allocation lists", "/randomization/lists/", Action.LOAD_ALLOCATION_LIST),
    ("Exports", "/exports/", Action.EXPORT_DATA),
    ("Registry page", "/trial", None),
    ("Account", "/account/", None),
)


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    items: list[tuple[str, str]] = []
    role_label = ""
    if isinstance(user, User) and user.is_authenticated:
        try:
            role = Role(user.role)
        except ValueError:
            role = None
        role_label = str(role.label) if role else ""
        items = [
            (label, url)
            for label, url, action in _NAV
            if action is None or (role and is_allowed(role, action))
        ]
    return {
        "nav_items": items,
        "role_label": role_label,
        "simulated": database_is_simulated(),
        "simulated_label": SIMULATED_LABEL,
    }
