"""Allocation lists: status, audited download and retirement (statisticians, administrators)."""

from __future__ import annotations

import json

from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from oncotrial.core.errors import DomainError
from oncotrial.persistence.models import AllocationList
from oncotrial.services.allocation_lists import check_download_allocation_list, do_retire_allocation_list
from oncotrial.services.permissions import Action, check_permission
from oncotrial.web.views.common import acting_user, audit_context, error_message


def _lists(request: HttpRequest, errors: dict[str, str] | None = None, status: int = 200) -> HttpResponse:
    check_permission(acting_user(request), Action.LOAD_ALLOCATION_LIST)
    rows = AllocationList.objects.annotate(used=Count("allocations"), size=Count("slots", distinct=True))
    return render(
        request, "oncotrial/allocation_lists.html", {"lists": rows, "errors": errors or {}}, status=status
    )


@require_GET
def allocation_lists(request: HttpRequest) -> HttpResponse:
    return _lists(request)


def _row(list_id: int) -> AllocationList:
    row = AllocationList.objects.filter(pk=list_id).first()
    if row is None:
        raise Http404("no such allocation list")
    return row


@require_GET
def allocation_list_download(request: HttpRequest, list_id: int) -> HttpResponse:
    content = check_download_allocation_list(audit_context(request), _row(list_id))
    response = HttpResponse(json.dumps(content, indent=1, default=str), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="allocation-list-{list_id}.json"'
    return response


@require_POST
def allocation_list_retire(request: HttpRequest, list_id: int) -> HttpResponse:
    row = _row(list_id)
    try:
        do_retire_allocation_list(audit_context(request), row, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        return _lists(request, {f"retire-{list_id}": error_message(exc)}, status=422)
    return redirect("/randomization/lists/")
