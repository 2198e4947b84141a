from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from oncotrial.core.errors import DomainError
from oncotrial.persistence.models import AuditEvent, Consent, Screening, Subject
from oncotrial.services.audit import AuditContext
from oncotrial.services.errors import PermissionDenied
from oncotrial.services.protocol import current_protocol
from oncotrial.services.subjects import check_screen_subject, do_record_consent
from support.django_db import SCREENING_DAY
from support.subjects import patient

pytestmark = pytest.mark.django_db


def test_screening_stores_every_verdict_with_its_reason(coordinator: Any) -> None:
    screening = check_screen_subject(AuditContext(coordinator), patient("S-1"), on=SCREENING_DAY)
    codes = [c.code for c in current_protocol().eligibility.criteria]
    stored = Screening.objects.get(pk=screening.pk)
    assert [v["code"] for v in stored.verdicts] == codes
    assert all(v["reason"] and "met" in v for v in stored.verdicts)
    assert stored.status == "eligible" and stored.subject.screening_status == "eligible"
    assert stored.data["patient_id"] == "S-1"


def test_an_ineligible_candidate_is_stored_with_the_failed_criteria(coordinator: Any) -> None:
    data = patient("S-2")
    data["ecog"] = 3
    screening = check_screen_subject(AuditContext(coordinator), data, on=SCREENING_DAY)
    assert screening.status == "not_eligible"
    failed = [v["code"] for v in screening.verdicts if v["passes"] is False]
    assert failed
    event = AuditEvent.objects.get(action="screen", field="failed")
    assert event.new == failed and event.subject_id == "S-2"


def test_rescreening_keeps_both_screenings(coordinator: Any) -> None:
    data = patient("S-3")
    data["ecog"] = 3
    ctx = AuditContext(coordinator)
    check_screen_subject(ctx, data, on=SCREENING_DAY)
    data["ecog"] = 1
    check_screen_subject(ctx, data, on=SCREENING_DAY)
    subject = Subject.objects.get(subject_id="S-3")
    assert [s.status for s in subject.screenings.order_by("id")] == ["not_eligible", "eligible"]
    assert subject.screening_status == "eligible"


def test_invalid_patient_document_names_the_field_and_stores_nothing(coordinator: Any) -> None:
    data = patient("S-4")
    data["ecog"] = "one"
    with pytest.raises(DomainError) as err:
        check_screen_subject(AuditContext(coordinator), data, on=SCREENING_DAY)
    assert err.value.field == "ecog"
    assert not Subject.objects.exists() and not Screening.objects.exists()


def test_screening_at_another_site_is_denied(coordinator: Any) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied) as err:
        check_screen_subject(AuditContext(coordinator), patient("S-5", site="OTHER"), on=SCREENING_DAY)
    assert err.value.field == "site"
    assert not Subject.objects.exists() and AuditEvent.objects.count() == before


def test_consent_then_reconsent_on_a_new_version(coordinator: Any) -> None:
    ctx = AuditContext(coordinator)
    subject = check_screen_subject(ctx, patient("S-6"), on=SCREENING_DAY).subject
    do_record_consent(ctx, subject, version="1.0", consent_date=date(2024, 3, 1))
    do_record_consent(ctx, subject, version="2.0", consent_date=date(2024, 6, 1))
    assert list(Consent.objects.filter(subject=subject).values_list("version", flat=True)) == ["1.0", "2.0"]
    reconsent = AuditEvent.objects.get(action="reconsent", field="version")
    assert (reconsent.old, reconsent.new) == ("1.0", "2.0")


@pytest.mark.parametrize(
    ("version", "day", "field"),
    [
        ("1.0", date(2024, 6, 1), "version"),
        ("2.0", date(2024, 2, 1), "consent_date"),
        ("", date(2024, 6, 1), "version"),
        ("3.0", date.today() + timedelta(days=2), "consent_date"),
    ],
)
def test_invalid_consent_is_refused_and_changes_nothing(
    coordinator: Any, version: str, day: date, field: str
) -> None:
    ctx = AuditContext(coordinator)
    subject = check_screen_subject(ctx, patient("S-7"), on=SCREENING_DAY).subject
    do_record_consent(ctx, subject, version="1.0", consent_date=date(2024, 3, 1))
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError) as err:
        do_record_consent(ctx, subject, version=version, consent_date=day)
    assert err.value.field == field
    assert Consent.objects.count() == 1 and AuditEvent.objects.count() == before


def test_pharmacist_may_not_record_consent(coordinator: Any, make_user: Any) -> None:
    subject = check_screen_subject(AuditContext(coordinator), patient("S-8"), on=SCREENING_DAY).subject
    pharmacist = make_user("pharmacist", "SYSUCC")
    with pytest.raises(PermissionDenied) as err:
        do_record_consent(AuditContext(pharmacist), subject, version="1.0", consent_date=SCREENING_DAY)
    assert err.value.field == "role"
    assert not Consent.objects.exists()
