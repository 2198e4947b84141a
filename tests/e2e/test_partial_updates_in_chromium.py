"""The htmx fragments in a real browser (Debian's Chromium through Playwright, never a download).

A monitor raises a query from the keyboard and the thread updates in place (no page load,
the focus stays in the question box for the next one); the coordinator answers it and the
focus moves to the thread's status line; then, typing a follow-up scan's lesions, the
coordinator sees the RECIST 1.1 and mRECIST preview (PR: 100 → 65 mm is −35 %, RECIST 1.1
§4.3.1; viable 70 → 35 mm is −50 %, mRECIST) before saving anything. No page breaks the
Content-Security-Policy (``default-src 'self'``: no inline script or style).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from oncotrial.persistence.models import FormRecord, Query
from oncotrial.services.audit import AuditContext
from oncotrial.services.crf import do_save_form
from support.browser import Browsing
from support.clinical import BASELINE_SCAN, example, randomized
from support.web import PASSWORD, set_password

pytestmark = pytest.mark.django_db(transaction=True)


def _watch(b: Browsing) -> dict[str, list[str]]:
    """Main-frame page loads, htmx requests and console errors from now on."""
    seen: dict[str, list[str]] = {"loads": [], "htmx": [], "errors": []}
    page = b.page
    page.on("framenavigated", lambda f: seen["loads"].append(f.url) if f == page.main_frame else None)
    page.on("request", lambda r: seen["htmx"].append(r.url) if r.headers.get("hx-request") else None)
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    return seen


def test_query_thread_and_response_preview_update_in_place_from_the_keyboard(
    browsing: Browsing, make_user: Callable[..., Any], coordinator: Any, production_list: Any
) -> None:
    from playwright.sync_api import expect

    subject = randomized(coordinator, "PW-001")
    ctx = AuditContext(coordinator)
    record = do_save_form(ctx, subject, "vitals", example("vitals"))
    do_save_form(ctx, subject, "tumour_assessment", BASELINE_SCAN)
    monitor = set_password(make_user("monitor", "SYSUCC"))
    set_password(coordinator)
    b = browsing

    # The monitor raises a query: Enter in the question box; the thread alone changes.
    b.sign_in(monitor.username, PASSWORD)
    b.open(f"/records/{record.pk}/")
    seen = _watch(b)
    b.fill("Field", "ecog")
    b.fill("Question", "Source notes say ECOG 0: please confirm.")
    b.field("Question").press("Enter")
    thread = b.page.get_by_test_id("query-thread")
    expect(thread.get_by_test_id("query")).to_contain_text("Source notes say ECOG 0")
    expect(b.page.get_by_test_id("thread-notice")).to_have_text("Query raised on ecog.")
    expect(b.field("Question")).to_be_focused()
    expect(b.field("Question")).to_have_value("")
    assert seen["loads"] == [] and len(seen["htmx"]) == 1, seen
    assert Query.objects.filter(record=record, field="ecog", status="open").count() == 1

    # The coordinator answers from the keyboard; the answer form goes, the focus goes to the status.
    b.sign_in(coordinator.username, PASSWORD)
    b.open(f"/records/{record.pk}/")
    seen = _watch(b)
    b.fill("Answer", "ECOG 1 confirmed with the clinic note.")
    b.field("Answer").press("Enter")
    expect(thread.get_by_test_id("query")).to_contain_text("Answered")
    expect(b.page.get_by_test_id("thread-notice")).to_be_focused()
    expect(b.page.get_by_label("Answer", exact=True)).to_have_count(0)
    assert seen["loads"] == [], seen

    # A follow-up scan: the preview follows the typing, nothing is saved.
    b.open("/subjects/PW-001/forms/tumour_assessment/new/")
    seen = _watch(b)
    b.fill("Scan date", "2024-04-16")
    b.fill("Modality", "ct")
    lesions = [("T1", "liver", "target", "35", "20"), ("T2", "lung", "target", "30", "15")]
    lesions.append(("NT1", "peritoneum", "non_target", "", ""))
    for row, (lesion_id, organ, kind, diameter, viable) in enumerate(lesions):
        b.fill("Lesion id", lesion_id, row=row)
        b.fill("Organ or site", organ, row=row)
        b.fill("Kind", kind, row=row)
        if diameter:
            b.fill("Longest diameter (mm)", diameter, row=row)
            b.fill("Viable (enhancing) diameter, mRECIST (mm)", viable, row=row)
    responses = b.page.get_by_test_id("preview-responses")
    for criterion, change in (("RECIST 1.1", "-35.0 %"), ("mRECIST", "-50.0 %")):
        row = responses.get_by_role("row", name=re.compile(f"^{re.escape(criterion)} "))
        expect(row.locator("td.response")).to_have_text("PR")
        expect(row).to_contain_text(change)
    assert seen["loads"] == [] and seen["htmx"], seen
    assert FormRecord.objects.filter(form_code="tumour_assessment").count() == 1
    assert not [e for e in seen["errors"] if "Content Security Policy" in e], seen["errors"]
