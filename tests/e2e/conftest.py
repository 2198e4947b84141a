"""End-to-end tests: the live Django server driven by Debian's Chromium (``-m e2e`` selects them).

pytest-django's ``live_server`` runs the application in a thread of this process, on the
test database (SQLite in memory is shared with that thread; PostgreSQL with ``DATABASE_URL``).
Set-up data (sites, staff, the allocation list, lab ranges) comes from the services; every
step the tests check then goes through the browser.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from support.django_db import configure

configure()
# Playwright's synchronous API keeps an event loop on the test thread; the ORM calls the
# tests make between browser steps are still synchronous and on this thread only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from support import django_db  # noqa: E402
from support.browser import Browsing, chromium  # noqa: E402
from support.web import set_password  # noqa: E402

admin = django_db.admin
sites = django_db.sites
make_user = django_db.make_user
production_list = django_db.production_list
coordinator = django_db.coordinator

E2E_DIR = os.path.dirname(__file__)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: end-to-end test in a real browser (Debian's Chromium)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if str(item.path).startswith(E2E_DIR):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def live_server() -> Iterator[Any]:
    """pytest-django's live server, without its static-files layer.

    The application serves its packaged assets itself (``/static/oncotrial/<name>``) and sets
    no ``STATIC_URL``; Django's test static handler cannot start without one.
    """
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer(os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS", "localhost"), start=False)
    server.thread.static_handler = _application_itself
    server.start()
    yield server
    server.stop()


def _application_itself(application: Any) -> Any:
    return application


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium per test module."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def browsing(browser: Any, live_server: Any) -> Iterator[Browsing]:
    """A fresh page (no cookies) on the live server."""
    from support.browser import TIMEOUT_MS

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield Browsing(page, live_server.url)
    finally:
        context.close()


@pytest.fixture(autouse=True)
def _fresh_sign_in_throttle() -> None:
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def staff(make_user: Callable[..., Any]) -> dict[str, Any]:
    """The SYSUCC site team and the study-wide data manager, each with the known ``PASSWORD``."""
    team = {
        role: make_user(role, "SYSUCC") for role in ("coordinator", "pharmacist", "monitor", "investigator")
    }
    team["data_manager"] = make_user("data_manager", username="data-manager")
    for user in team.values():
        set_password(user)
    return team


@pytest.fixture
def site_ranges(admin: Any, sites: dict[str, Any]) -> None:
    """The example laboratory's reference ranges at SYSUCC, loaded as an administrator would."""
    from oncotrial.services.audit import AuditContext
    from oncotrial.services.reference_ranges import do_set_reference_range
    from support.screening_posts import reference_ranges

    for r in reference_ranges():
        do_set_reference_range(
            AuditContext(admin),
            sites["SYSUCC"],
            test=r["test"],
            lln=r.get("lln"),
            uln=r.get("uln"),
            unit=r["unit"],
        )
