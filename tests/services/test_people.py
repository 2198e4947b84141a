from __future__ import annotations

from typing import Any

import pytest

from oncotrial.core.errors import DomainError
from oncotrial.persistence.models import AuditEvent, Site, User
from oncotrial.services.audit import AuditContext
from oncotrial.services.errors import PermissionDenied
from oncotrial.services.people import do_create_site, do_create_user

pytestmark = pytest.mark.django_db


def test_the_first_administrator_is_created_without_an_actor_and_audited() -> None:
    admin = do_create_user(AuditContext(None), username="root", role="administrator")
    assert admin.role == "administrator"
    assert list(AuditEvent.objects.values_list("field", flat=True)) == ["username", "role", "sites"]
    assert AuditEvent.objects.first().actor_username == "system"  # type: ignore[union-attr]


def test_a_second_user_without_an_actor_is_refused(admin: Any) -> None:
    with pytest.raises(PermissionDenied) as err:
        do_create_user(AuditContext(None), username="intruder", role="administrator")
    assert err.value.field == "user"
    assert not User.objects.filter(username="intruder").exists()


def test_site_scoped_role_needs_a_site(admin: Any) -> None:
    with pytest.raises(DomainError) as err:
        do_create_user(AuditContext(admin), username="crc", role="coordinator")
    assert err.value.field == "sites"


def test_unknown_role_and_unknown_site_are_field_errors(admin: Any, sites: dict[str, Any]) -> None:
    with pytest.raises(DomainError) as err:
        do_create_user(AuditContext(admin), username="x", role="surgeon", sites=["SYSUCC"])
    assert err.value.field == "role"
    with pytest.raises(DomainError) as err:
        do_create_user(AuditContext(admin), username="x", role="monitor", sites=["SYSUCC", "NOWHERE"])
    assert err.value.field == "sites[1]"
    assert not User.objects.filter(username="x").exists()


def test_passwords_are_hashed_with_argon2_and_validated(admin: Any) -> None:
    with pytest.raises(DomainError) as err:
        do_create_user(AuditContext(admin), username="dm", role="data_manager", password="short")
    assert err.value.field == "password"
    user = do_create_user(
        AuditContext(admin), username="dm", role="data_manager", password="correct horse battery staple"
    )
    assert user.password.startswith("argon2$")
    assert user.check_password("correct horse battery staple")


def test_only_administrators_create_sites(make_user: Any) -> None:
    monitor = make_user("monitor", "SYSUCC")
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied) as err:
        do_create_site(AuditContext(monitor), code="NEW", name="New site")
    assert err.value.field == "role"
    assert not Site.objects.filter(code="NEW").exists()
    assert AuditEvent.objects.count() == before


def test_duplicate_site_code_is_refused(admin: Any, sites: dict[str, Any]) -> None:
    with pytest.raises(DomainError) as err:
        do_create_site(AuditContext(admin), code="SYSUCC", name="Again")
    assert err.value.field == "code"
