from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from oncotrial.persistence.models import Allocation, AuditEvent, LabReferenceRange, Site, Subject
from support.screening_posts import reference_ranges, screening_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_ranges(sites: dict[str, Any]) -> None:
    """The example laboratory's ranges at SYSUCC (set-up data, as an administrator would load them)."""
    site = Site.objects.get(code="SYSUCC")
    for r in reference_ranges():
        LabReferenceRange.objects.create(
            site=site,
            test=r["test"],
            lln=r.get("lln"),
            uln=r.get("uln"),
            unit=r["unit"],
            updated_at=timezone.now(),
        )


def test_an_eligible_patient_is_screened_consented_and_randomized_once_through_the_pages(
    signed_in: Callable[[Any], Any], coordinator: Any, production_list: Any, site_ranges: None
) -> None:
    client = signed_in(coordinator)
    response = client.post("/screening/new/", screening_post("WEB-001"))
    assert (response.status_code, response["Location"]) == (302, "/subjects/WEB-001/"), response.content[
        :3000
    ]
    assert Subject.objects.get(subject_id="WEB-001").screening_status == "eligible"
    consent = client.post("/subjects/WEB-001/consent/", {"version": "1.0", "consent_date": "2024-03-05"})
    assert consent.status_code == 302
    key = "double-click-key-0001"
    first = client.post("/subjects/WEB-001/randomize/", {"idempotency_key": key})
    second = client.post("/subjects/WEB-001/randomize/", {"idempotency_key": key})
    assert first.status_code == second.status_code == 302
    assert Allocation.objects.filter(subject__subject_id="WEB-001").count() == 1
    page = client.get("/subjects/WEB-001/")
    assert b"Randomized to" in page.content
    assert (
        AuditEvent.objects.filter(action="randomize").exclude(request_id="").count() == 2
    )  # arm + slot rows


def test_an_ineligible_patient_is_stored_with_the_failed_criterion_shown(
    signed_in: Callable[[Any], Any], coordinator: Any, site_ranges: None
) -> None:
    client = signed_in(coordinator)
    response = client.post("/screening/new/", screening_post("WEB-002", ecog=3))
    assert response.status_code == 302
    page = client.get("/subjects/WEB-002/")
    assert Subject.objects.get(subject_id="WEB-002").screening_status == "not_eligible"
    assert b"excludes" in page.content


def test_a_lab_value_without_a_valid_unit_is_shown_next_to_its_field_and_nothing_is_saved(
    signed_in: Callable[[Any], Any], coordinator: Any, site_ranges: None
) -> None:
    client = signed_in(coordinator)
    post = screening_post("WEB-003") | {"labs.PLAT.unit": "furlongs"}
    before = AuditEvent.objects.count()
    response = client.post("/screening/new/", post)
    assert response.status_code == 422
    assert "labs.PLAT.value" in response.context["errors"]
    assert "furlongs" in response.context["errors"]["labs.PLAT.value"]
    assert b'aria-invalid="true"' in response.content
    assert not Subject.objects.filter(subject_id="WEB-003").exists()
    assert AuditEvent.objects.count() == before


def test_randomizing_without_consent_shows_the_reason_and_allocates_nothing(
    signed_in: Callable[[Any], Any], coordinator: Any, production_list: Any, site_ranges: None
) -> None:
    client = signed_in(coordinator)
    client.post("/screening/new/", screening_post("WEB-004"))
    response = client.post("/subjects/WEB-004/randomize/", {"idempotency_key": "key-without-consent"})
    assert response.status_code == 422
    assert "consent" in response.context["errors"]["randomize"]
    assert not Allocation.objects.exists()


def test_a_site_user_cannot_see_or_act_on_another_sites_subject(
    signed_in: Callable[[Any], Any], coordinator: Any, make_user: Callable[..., Any], site_ranges: None
) -> None:
    signed_in(coordinator).post("/screening/new/", screening_post("WEB-005"))
    other = make_user("coordinator", "OTHER", username="other-coordinator")
    client = signed_in(other)
    assert client.get("/subjects/WEB-005/").status_code == 403
    assert (
        client.post("/subjects/WEB-005/consent/", {"version": "1", "consent_date": "2024-03-05"}).status_code
        == 403
    )
    assert b"WEB-005" not in client.get("/subjects/").content


def test_the_dashboard_counts_the_screening_funnel_and_enrollment(
    signed_in: Callable[[Any], Any], coordinator: Any, site_ranges: None
) -> None:
    client = signed_in(coordinator)
    client.post("/screening/new/", screening_post("WEB-006"))
    client.post("/screening/new/", screening_post("WEB-007", ecog=3))
    page = client.get("/")
    funnel = page.context["funnel"]
    assert (funnel.assessed, funnel.eligible, funnel.not_eligible) == (2, 1, 1)
    assert page.context["enrollment"].target == 120
    assert b"<svg" in page.content
