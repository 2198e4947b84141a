"""The live trial report and the audit trail pages."""

from __future__ import annotations

import io

from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from oncotrial.persistence.models import AuditEvent
from oncotrial.services.audit import record
from oncotrial.services.audit_export import audit_rows, write_audit_csv, write_audit_json
from oncotrial.services.live_outputs import live_report_html
from oncotrial.services.permissions import Action, check_permission
from oncotrial.web.views.common import acting_user, audit_context


@require_GET
def report(request: HttpRequest) -> HttpResponse:
    live = live_report_html(acting_user(request))
    body = mark_safe(live.html) if live.html is not None else None
    return render(request, "oncotrial/report.html", {"report_html": body, "reason": live.reason})


@require_GET
def audit_trail(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    check_permission(user, Action.VIEW_AUDIT)
    rows = AuditEvent.objects.order_by("-sequence")
    subject_id = request.GET.get("subject", "").strip()
    action = request.GET.get("action", "").strip()
    if subject_id:
        rows = rows.filter(subject_id=subject_id)
    if action:
        rows = rows.filter(action=action)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(request, "oncotrial/audit.html", {"page": page, "subject": subject_id, "action": action})


@require_GET
def audit_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The audit trail (or one subject's) as CSV or JSON; the download itself is audited."""
    user = acting_user(request)
    check_permission(user, Action.VIEW_AUDIT)
    if fmt not in {"csv", "json"}:
        raise Http404("the audit trail downloads as csv or json")
    subject_id = request.GET.get("subject", "").strip() or None
    rows = audit_rows(subject_id=subject_id)
    stream = io.StringIO()
    count = write_audit_csv(rows, stream) if fmt == "csv" else write_audit_json(rows, stream)
    with transaction.atomic():
        record(
            audit_context(request),
            "download_audit",
            "audit_trail",
            subject_id or "all",
            subject_id=subject_id or "",
            changes={"download": (None, {"format": fmt, "rows": count})},
        )
    name = f"audit-{subject_id or 'all'}.{fmt}"
    response = HttpResponse(
        stream.getvalue(), content_type="text/csv" if fmt == "csv" else "application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
