"""Debian's Chromium driven by Playwright, for the end-to-end tests (``tests/e2e``).

The browser is the distribution's ``/usr/bin/chromium`` (``scripts/install-system-packages.sh``);
Playwright never downloads one. Without it the tests skip with the reason, except on CI
(``CI=true``), where a missing browser is a failure.

:class:`Browsing` wraps one page with the few steps every flow repeats: open a path of the
live server, sign in through the login page, fill inputs found by their label (which proves
the label is tied to its input) and submit.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pytest

CHROMIUM: Final = Path("/usr/bin/chromium")
CHROMIUM_ARGS: Final = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
)
TIMEOUT_MS: Final = 15_000
"""Per action; a shared 2-core machine can be slow, but no step of a flow takes seconds."""


def require_chromium() -> None:
    """Skip (or fail on CI) when Debian's Chromium or Playwright is missing."""
    reason = ""
    if not CHROMIUM.is_file():
        reason = f"{CHROMIUM} is missing (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "the playwright package is not installed"
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"end-to-end tests need a browser on CI: {reason}")
        pytest.skip(reason)


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Debian Chromium (a Playwright ``Browser``), closed on exit."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=list(CHROMIUM_ARGS)
        )
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Browsing:
    """One page on the live server at ``base_url``."""

    page: Any
    base_url: str

    def open(self, path: str) -> Any:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status < 400, (path, response and response.status)
        return response

    def sign_in(self, username: str, password: str) -> None:
        """Sign in through the login page (signing out first whoever is signed in)."""
        self.page.context.clear_cookies()
        self.open("/login/")
        self.fill("Username", username)
        self.fill("Password", password)
        self.press("Sign in")
        self.expect_text(username, within="header")

    def field(self, label: str, row: int | None = None) -> Any:
        """The input named ``label`` (a required field's label ends in " *"); ``row`` of a table."""
        found = self.page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))
        return found if row is None else found.nth(row)

    def fill(self, label: str, value: str, *, row: int | None = None) -> None:
        """Type into the input labelled ``label``, choose ``value`` in a select, tick a checkbox."""
        field = self.field(label, row)
        kind = field.evaluate("e => e.tagName === 'SELECT' ? 'select' : e.type")
        if kind == "select":
            field.select_option(value)
        elif kind == "checkbox":
            field.set_checked(value == "on")
        else:
            field.fill(value)

    def fill_all(self, values: dict[str, str]) -> None:
        for label, value in values.items():
            self.fill(label, value)

    def press(self, button: str) -> None:
        """Press the button named ``button`` and wait for the page it loads."""
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=button, exact=True).click()

    def expect_text(self, text: str | re.Pattern[str], within: str = "main") -> None:
        from playwright.sync_api import expect

        expect(self.page.locator(within).first).to_contain_text(text)

    def text_of(self, test_id: str) -> str:
        return str(self.page.get_by_test_id(test_id).inner_text())

    def no_error_summary(self) -> None:
        """The last submit was accepted (an error summary lists what a refused one got wrong)."""
        summary = self.page.locator(".error-summary")
        assert summary.count() == 0, summary.first.inner_text()

    def screenshot(self, path: Path) -> Path:
        self.page.screenshot(path=str(path), full_page=True)
        return path
