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
