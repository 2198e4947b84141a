from __future__ import annotations

from typing import Any

import pytest

from oncotrial.core.errors import DomainError
from oncotrial.core.stratification import allocation_list_for
from oncotrial.persistence.mappers import allocation_list_to_domain
from oncotrial.persistence.models import AllocationList, AllocationSlot, AuditEvent
from oncotrial.services.audit import AuditContext
from oncotrial.services.errors import PermissionDenied
from oncotrial.services.protocol import current_protocol
from oncotrial.services.randomization import do_load_allocation_list

pytestmark = pytest.mark.django_db


def test_a_loaded_list_round_trips_and_is_audited_without_its_arms(make_user: Any) -> None:
    core_list = allocation_list_for(current_protocol(), seed=11, per_stratum=8)
    ctx = AuditContext(make_user("statistician"), request_id="load-1")
    row = do_load_allocation_list(ctx, core_list, name="test-list", is_test=True)
    assert allocation_list_to_domain(row) == core_list
    assert AllocationSlot.objects.filter(allocation_list=row).count() == sum(
        len(s.slots) for s in core_list.strata
    )
    event = AuditEvent.objects.get(action="load")
    assert event.new["sha256"] == row.sha256 and "arm" not in str(event.new)


def test_test_and_production_lists_are_kept_apart(make_user: Any) -> None:
    ctx = AuditContext(make_user("statistician"))
    core_list = allocation_list_for(current_protocol(), seed=12, per_stratum=4)
    do_load_allocation_list(ctx, core_list, name="test", is_test=True)
    do_load_allocation_list(ctx, core_list, name="production", is_test=False)
    with pytest.raises(DomainError) as err:
        do_load_allocation_list(ctx, core_list, name="production-2", is_test=False)
    assert err.value.field == "is_test"
    assert AllocationList.objects.count() == 2


def test_site_staff_may_not_load_a_list(make_user: Any) -> None:
    core_list = allocation_list_for(current_protocol(), seed=13, per_stratum=4)
    with pytest.raises(PermissionDenied):
        do_load_allocation_list(
            AuditContext(make_user("investigator", "SYSUCC")), core_list, name="x", is_test=False
        )
    assert not AllocationList.objects.exists() and not AllocationSlot.objects.exists()
