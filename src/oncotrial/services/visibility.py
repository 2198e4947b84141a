"""What a user may see: the subjects and sites within the user's scope.

Site-scoped roles see the subjects of their assigned sites; study-wide roles
(:data:`~oncotrial.services.permissions.STUDY_WIDE_ROLES`) see every site. Views and the
API read through these functions only, so that scoping is decided in one place.
"""

from __future__ import annotations

from django.db.models import QuerySet

from oncotrial.persistence.models import Role, Site, Subject, User
from oncotrial.services.errors import PermissionDenied
from oncotrial.services.permissions import STUDY_WIDE_ROLES, Action, check_permission


def is_study_wide(user: User) -> bool:
    try:
        return Role(user.role) in STUDY_WIDE_ROLES
    except ValueError:
        return False


def visible_sites(user: User) -> QuerySet[Site]:
    return Site.objects.all() if is_study_wide(user) else user.sites.all()


def visible_subjects(user: User) -> QuerySet[Subject]:
    """Subjects the user may view (raises :class:`PermissionDenied` without VIEW_SUBJECTS)."""
    check_permission(user, Action.VIEW_SUBJECTS)
    subjects = Subject.objects.select_related("site")
    return subjects if is_study_wide(user) else subjects.filter(site__in=user.sites.all())


def subject_for(user: User, subject_id: str) -> Subject:
    """The subject ``subject_id`` if the user may view it.

    An unknown subject and a subject of another site are refused alike (no existence leak).
    """
    subject = visible_subjects(user).filter(subject_id=subject_id).first()
    if subject is None:
        raise PermissionDenied(
            "subject", Action.VIEW_SUBJECTS, f"no subject {subject_id!r} within your sites"
        )
    return subject
