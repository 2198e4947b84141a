"""Managing stored allocation lists: download (audited) and retirement (with a reason).

A list's content reveals future assignments, so only roles that may load lists
(statistician, administrator) may download it, and every download writes an audit row
with the list's SHA-256. A retired list stays stored (its slots keep their allocations)
but no longer randomizes; a new list of the same kind can then be loaded. Allocations
themselves are never edited: an error is corrected by a documented protocol deviation,
never by moving a subject to another slot.
"""

from __future__ import annotations

from django.db import transaction

from oncotrial.core.errors import DomainError
from oncotrial.persistence.models import Allocation, AllocationList
from oncotrial.services.actors import permitted
from oncotrial.services.audit import AuditContext, record
from oncotrial.services.permissions import Action


def check_download_allocation_list(ctx: AuditContext, row: AllocationList) -> dict[str, object]:
    """The list's full content (core ``AllocationList.to_dict()``), audited as a download."""
    permitted(ctx, Action.LOAD_ALLOCATION_LIST)
    with transaction.atomic():
        record(
            ctx,
            "download_allocation_list",
            "allocation_list",
            row.pk,
            changes={"download": (None, {"name": row.name, "sha256": row.sha256, "is_test": row.is_test})},
        )
    return {"name": row.name, "is_test": row.is_test, "sha256": row.sha256, "content": row.content}


def do_retire_allocation_list(ctx: AuditContext, row: AllocationList, *, reason: str) -> AllocationList:
    """Stop randomizing from ``row`` (a reason is required); its allocations stay as they are."""
    permitted(ctx, Action.LOAD_ALLOCATION_LIST)
    if not isinstance(reason, str) or not reason.strip():
        raise DomainError("reason", reason, "a reason for retiring the list")
    with transaction.atomic():
        current = AllocationList.objects.select_for_update().get(pk=row.pk)
        if not current.active:
            raise DomainError("allocation_list", current.name, "an active list (this one is already retired)")
        current.active = False
        current.save(update_fields=["active"])
        used = Allocation.objects.filter(allocation_list=current).count()
        record(
            AuditContext(ctx.actor, ctx.request_id, reason.strip()),
            "retire",
            "allocation_list",
            current.pk,
            changes={"active": (True, False), "allocations_made": (None, used)},
        )
    return current
