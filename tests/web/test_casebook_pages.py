"""The casebook on the subject page: an investigator signs it whole, a data manager locks it whole."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from oncotrial.persistence.models import AuditEvent, FormRecord
from oncotrial.services.audit import AuditContext
from oncotrial.services.crf import do_save_form
from oncotrial.services.record_states import do_verify
from support.clinical import example, randomized
from support.web import PASSWORD

pytestmark = pytest.mark.django_db

MEANING = "I have reviewed this casebook and approve its data"


@pytest.fixture
def casebook(coordinator: Any, make_user: Callable[..., Any], production_list: Any) -> dict[str, Any]:
    """A SYSUCC subject with vitals and labs (both verified by the monitor) and an investigator."""
    subject = randomized(coordinator, "BOOK-001")
    ctx = AuditContext(coordinator)
    records = [do_save_form(ctx, subject, code, example(code)) for code in ("vitals", "labs")]
    monitor = make_user("monitor", "SYSUCC")
    for r in records:
        do_verify(AuditContext(monitor), r)
    investigator = make_user("investigator", "SYSUCC", username="dr-chen")
    investigator.first_name, investigator.last_name = "Wei", "Chen"
    investigator.save(update_fields=["first_name", "last_name"])
    return {"subject": subject, "records": records, "investigator": investigator, "monitor": monitor}


def _statuses(subject: Any) -> list[str]:
    return list(FormRecord.objects.filter(subject=subject).order_by("id").values_list("status", flat=True))


def test_before_signing_the_page_shows_the_signer_the_meaning_and_the_time(
    signed_in: Callable[[Any], Any], casebook: dict[str, Any]
) -> None:
    page = signed_in(casebook["investigator"]).get("/subjects/BOOK-001/")
    preview = re.search(r'data-testid="signature-preview">(.*?)</dl>', page.content.decode(), re.S)
    assert preview is not None
    assert "Wei Chen (dr-chen)" in preview.group(1)
    assert "UTC" in preview.group(1)
    assert f'value="{MEANING}"' in page.content.decode()
    assert "2 verified" in page.content.decode()


def test_an_investigator_signs_every_verified_record_and_sees_the_signature_after(
    signed_in: Callable[[Any], Any], casebook: dict[str, Any]
) -> None:
    client = signed_in(casebook["investigator"])
    response = client.post("/subjects/BOOK-001/casebook/sign/", {"password": PASSWORD, "meaning": MEANING})
    assert (response.status_code, response["Location"]) == (302, "/subjects/BOOK-001/#casebook")
    assert _statuses(casebook["subject"]) == ["signed", "signed"]
    rows = FormRecord.objects.filter(subject=casebook["subject"])
    assert {(r.signed_name, r.signature_meaning) for r in rows} == {("Wei Chen", MEANING)}
    assert len({r.signed_at for r in rows}) == 1
    signed_at = rows[0].signed_at
    signatures = AuditEvent.objects.filter(action="sign", actor=casebook["investigator"])
    assert signatures.count() == 4  # 2 records × (status, signature)
    after = client.get("/subjects/BOOK-001/").content.decode()
    stamp = signed_at.strftime("%Y-%m-%d %H:%M:%S")
    assert f"Signed 2 records as Wei Chen at {stamp} UTC" in after  # the one-time confirmation
    signature = re.search(r'data-testid="casebook-signature">(.*?)</p>', after, re.S)
    assert signature is not None
    assert "Wei Chen" in signature.group(1) and stamp in signature.group(1) and MEANING in signature.group(1)


def test_a_wrong_password_signs_nothing(signed_in: Callable[[Any], Any], casebook: dict[str, Any]) -> None:
    client = signed_in(casebook["investigator"])
    response = client.post("/subjects/BOOK-001/casebook/sign/", {"password": "wrong", "meaning": MEANING})
    assert response.status_code == 422
    assert "password" in response.context["errors"]["casebook_sign"]
    assert b'aria-invalid="true"' in response.content
    assert _statuses(casebook["subject"]) == ["verified", "verified"]
    assert not AuditEvent.objects.filter(action="sign").exists()


def test_a_record_not_yet_verified_refuses_the_whole_signature(
    signed_in: Callable[[Any], Any], coordinator: Any, casebook: dict[str, Any]
) -> None:
    do_save_form(AuditContext(coordinator), casebook["subject"], "conmed", example("conmed"))
    client = signed_in(casebook["investigator"])
    response = client.post("/subjects/BOOK-001/casebook/sign/", {"password": PASSWORD, "meaning": MEANING})
    assert response.status_code == 422
    assert "verified" in response.context["errors"]["casebook_sign"]
    assert _statuses(casebook["subject"]) == ["verified", "verified", "entered"]


def test_a_casebook_with_nothing_to_sign_says_so(
    signed_in: Callable[[Any], Any], casebook: dict[str, Any]
) -> None:
    client = signed_in(casebook["investigator"])
    client.post("/subjects/BOOK-001/casebook/sign/", {"password": PASSWORD, "meaning": MEANING})
    assert b"Nothing to sign" in client.get("/subjects/BOOK-001/").content
    again = client.post("/subjects/BOOK-001/casebook/sign/", {"password": PASSWORD, "meaning": MEANING})
    assert again.status_code == 422
    assert "awaited a signature" in again.context["errors"]["casebook_sign"]


def test_other_roles_get_no_sign_form_and_are_refused(
    signed_in: Callable[[Any], Any], coordinator: Any, casebook: dict[str, Any]
) -> None:
    client = signed_in(coordinator)
    assert b"casebook-sign-form" not in client.get("/subjects/BOOK-001/").content
    refused = client.post("/subjects/BOOK-001/casebook/sign/", {"password": PASSWORD, "meaning": MEANING})
    assert refused.status_code == 403
    assert _statuses(casebook["subject"]) == ["verified", "verified"]


def test_an_investigator_of_another_site_cannot_sign(
    signed_in: Callable[[Any], Any], make_user: Callable[..., Any], casebook: dict[str, Any]
) -> None:
    client = signed_in(make_user("investigator", "OTHER"))
    refused = client.post("/subjects/BOOK-001/casebook/sign/", {"password": PASSWORD, "meaning": MEANING})
    assert refused.status_code in {403, 404}
    assert _statuses(casebook["subject"]) == ["verified", "verified"]


def test_a_data_manager_locks_the_whole_casebook_with_the_reason(
    signed_in: Callable[[Any], Any], make_user: Callable[..., Any], casebook: dict[str, Any]
) -> None:
    manager = make_user("data_manager", username="dm")
    client = signed_in(manager)
    assert b"casebook-lock-form" in client.get("/subjects/BOOK-001/").content
    locked = client.post("/subjects/BOOK-001/casebook/lock/", {"lock_reason": "interim analysis cut-off"})
    assert locked.status_code == 302
    assert _statuses(casebook["subject"]) == ["locked", "locked"]
    reasons = set(AuditEvent.objects.filter(action="lock", actor=manager).values_list("reason", flat=True))
    assert reasons == {"interim analysis cut-off"}
    assert b"casebook-lock-form" not in client.get("/subjects/BOOK-001/").content
    again = client.post("/subjects/BOOK-001/casebook/lock/", {"lock_reason": "again"})
    assert again.status_code == 422


def test_an_investigator_cannot_lock(signed_in: Callable[[Any], Any], casebook: dict[str, Any]) -> None:
    client = signed_in(casebook["investigator"])
    assert b"casebook-lock-form" not in client.get("/subjects/BOOK-001/").content
    assert client.post("/subjects/BOOK-001/casebook/lock/", {"lock_reason": "x"}).status_code == 403
    assert _statuses(casebook["subject"]) == ["verified", "verified"]


def test_a_data_manager_unlocks_the_whole_casebook_with_a_reason_and_the_signatures_are_void(
    signed_in: Callable[[Any], Any], make_user: Callable[..., Any], casebook: dict[str, Any]
) -> None:
    signer = signed_in(casebook["investigator"])  # one test client: signed in as one user at a time
    signer.post("/subjects/BOOK-001/casebook/sign/", {"password": PASSWORD, "meaning": MEANING})
    assert _statuses(casebook["subject"]) == ["signed", "signed"]
    manager = make_user("data_manager", username="dm")
    client = signed_in(manager)
    assert b"casebook-unlock-form" not in client.get("/subjects/BOOK-001/").content  # nothing locked yet
    client.post("/subjects/BOOK-001/casebook/lock/", {"lock_reason": "interim analysis cut-off"})
    assert b"casebook-unlock-form" in client.get("/subjects/BOOK-001/").content

    refused = client.post("/subjects/BOOK-001/casebook/unlock/", {"unlock_reason": "  "})
    assert refused.status_code == 422
    assert b'id="f-casebook-unlock-err"' in refused.content and b"the reason for unlocking" in refused.content
    assert _statuses(casebook["subject"]) == ["locked", "locked"]

    reason = {"unlock_reason": "query on labs after lock"}
    unlocked = client.post("/subjects/BOOK-001/casebook/unlock/", reason)
    assert (unlocked.status_code, unlocked["Location"]) == (302, "/subjects/BOOK-001/#casebook")
    rows = FormRecord.objects.filter(subject=casebook["subject"]).order_by("id")
    states = [(r.status, r.signed_by, r.verified_by, r.locked_by) for r in rows]
    assert states == [("entered", None, None, None)] * 2
    audit = AuditEvent.objects.filter(action="unlock", actor=manager)
    assert audit.count() == 2
    assert set(audit.values_list("reason", flat=True)) == {"query on labs after lock"}
    assert client.post("/subjects/BOOK-001/casebook/unlock/", {"unlock_reason": "again"}).status_code == 422


def test_only_a_data_manager_of_the_study_can_unlock_the_casebook(
    signed_in: Callable[[Any], Any], make_user: Callable[..., Any], casebook: dict[str, Any]
) -> None:
    signed_in(make_user("data_manager", username="dm")).post(
        "/subjects/BOOK-001/casebook/lock/", {"lock_reason": "cut-off"}
    )
    client = signed_in(casebook["investigator"])
    assert b"casebook-unlock-form" not in client.get("/subjects/BOOK-001/").content
    assert client.post("/subjects/BOOK-001/casebook/unlock/", {"unlock_reason": "x"}).status_code == 403
    assert _statuses(casebook["subject"]) == ["locked", "locked"]
