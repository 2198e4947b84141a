from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from oncotrial.persistence.models import AllocationList, AuditEvent

pytestmark = pytest.mark.django_db


def test_a_list_download_is_audited_with_its_digest(
    signed_in: Callable[[Any], Any], make_user: Callable[..., Any], production_list: Any
) -> None:
    statistician = make_user("statistician", username="list-reader")
    client = signed_in(statistician)
    response = client.get(f"/randomization/lists/{production_list.pk}/download/")
    assert response.status_code == 200
    assert response.json()["sha256"] == production_list.sha256
    row = AuditEvent.objects.get(action="download_allocation_list")
    assert (row.actor_username, row.new["sha256"]) == ("list-reader", production_list.sha256)


def test_retiring_a_list_needs_a_reason_and_keeps_it_stored(
    signed_in: Callable[[Any], Any], make_user: Callable[..., Any], production_list: Any
) -> None:
    client = signed_in(make_user("statistician", username="list-manager"))
    refused = client.post(f"/randomization/lists/{production_list.pk}/retire/", {"reason": " "})
    assert refused.status_code == 422
    assert AllocationList.objects.get(pk=production_list.pk).active
    done = client.post(
        f"/randomization/lists/{production_list.pk}/retire/", {"reason": "re-generated after DSMB"}
    )
    assert done.status_code == 302
    assert not AllocationList.objects.get(pk=production_list.pk).active
    assert {e.reason for e in AuditEvent.objects.filter(action="retire")} == {"re-generated after DSMB"}


def test_site_staff_can_neither_see_nor_download_a_list(
    signed_in: Callable[[Any], Any], coordinator: Any, production_list: Any
) -> None:
    client = signed_in(coordinator)
    assert client.get("/randomization/lists/").status_code == 403
    assert client.get(f"/randomization/lists/{production_list.pk}/download/").status_code == 403
    assert not AuditEvent.objects.filter(action="download_allocation_list").exists()
