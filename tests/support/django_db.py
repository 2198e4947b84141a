"""Django for the persistence and service tests: SQLite by default, PostgreSQL with DATABASE_URL.

``configure()`` runs from the conftests before any test module imports models. The
secret key is generated per run; nothing secret lives in the repository.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

SCREENING_DAY = date(2024, 3, 5)


def configure() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oncotrial.web.django_settings")
    os.environ.setdefault("ONCOTRIAL_SECRET_KEY", secrets.token_urlsafe(50))
    import django

    django.setup()


def on_postgresql() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


@pytest.fixture
def admin() -> Any:
    from oncotrial.services.audit import AuditContext
    from oncotrial.services.people import do_create_user

    return do_create_user(AuditContext(None), username="admin", role="administrator")


@pytest.fixture
def sites(admin: Any) -> dict[str, Any]:
    from oncotrial.services.audit import AuditContext
    from oncotrial.services.people import do_create_site

    ctx = AuditContext(admin)
    return {code: do_create_site(ctx, code=code, name=f"Site {code}") for code in ("SYSUCC", "OTHER")}


@pytest.fixture
def make_user(admin: Any, sites: dict[str, Any]) -> Callable[..., Any]:
    from oncotrial.services.audit import AuditContext
    from oncotrial.services.people import do_create_user

    def make(role: str, *site_codes: str, username: str | None = None) -> Any:
        name = username or f"{role}-{'-'.join(site_codes) or 'all'}"
        return do_create_user(AuditContext(admin), username=name, role=role, sites=site_codes)

    return make


@pytest.fixture
def coordinator(make_user: Callable[..., Any]) -> Any:
    return make_user("coordinator", "SYSUCC")


@pytest.fixture
def production_list(make_user: Callable[..., Any]) -> Any:
    from oncotrial.core.stratification import allocation_list_for
    from oncotrial.services.audit import AuditContext
    from oncotrial.services.protocol import current_protocol
    from oncotrial.services.randomization import do_load_allocation_list

    core_list = allocation_list_for(current_protocol(), seed=20240305, per_stratum=60)
    statistician = make_user("statistician")
    return do_load_allocation_list(AuditContext(statistician), core_list, name="production-1", is_test=False)


@pytest.fixture
def role_users(make_user: Callable[..., Any]) -> dict[str, Any]:
    """One user per role: site-scoped roles at SYSUCC (investigator with a password), study-wide ones."""
    from oncotrial.persistence.models import User
    from oncotrial.services.audit import AuditContext
    from oncotrial.services.people import do_create_user
    from support.clinical import PASSWORD

    admin = User.objects.get(username="admin")
    users = {role: make_user(role, "SYSUCC") for role in ("coordinator", "pharmacist", "monitor")}
    users["investigator"] = do_create_user(AuditContext(admin), username="investigator-SYSUCC",
                                           role="investigator", sites=["SYSUCC"], password=PASSWORD)
    for role in ("data_manager", "statistician", "sponsor_viewer"):
        users[role] = make_user(role, username=f"{role}-study")
    users["administrator"] = admin
    users["other_site_coordinator"] = make_user("coordinator", "OTHER")
    return users


@pytest.fixture
def treated(role_users: dict[str, Any], production_list: Any) -> Any:
    """A randomized subject (SYSUCC) whose treatment started on 2024-03-07, with vitals and labs."""
    from oncotrial.services.audit import AuditContext
    from oncotrial.services.crf import do_save_form
    from oncotrial.services.visits import do_start_treatment
    from support.clinical import START, example, randomized

    coordinator = role_users["coordinator"]
    subject = randomized(coordinator, "T-001")
    ctx = AuditContext(coordinator)
    do_start_treatment(ctx, subject, start_date=START)
    do_save_form(ctx, subject, "vitals", example("vitals"))
    do_save_form(ctx, subject, "labs", example("labs"))
    return subject
