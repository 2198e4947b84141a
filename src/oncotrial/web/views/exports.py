"""Standards exports of the database for data managers and statisticians (downloads are audited)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from oncotrial.core.errors import DomainError
from oncotrial.services.exports import EXPORTS, do_download_export, parse_kind
from oncotrial.services.permissions import Action, check_permission
from oncotrial.web.views.common import acting_user, audit_context, error_message


def _listed() -> list[tuple[str, object]]:
    return [(kind.value, info) for kind, info in EXPORTS.items()]


@require_GET
def export_list(request: HttpRequest) -> HttpResponse:
    check_permission(acting_user(request), Action.EXPORT_DATA)
    return render(request, "oncotrial/exports.html", {"exports": _listed()})


@require_GET
def export_download(request: HttpRequest, kind: str) -> HttpResponse:
    """Build one export from the database and return it as an attachment (409 when a check fails)."""
    user = acting_user(request)
    check_permission(user, Action.EXPORT_DATA)
    try:
        exported = do_download_export(audit_context(request), user, parse_kind(kind))
    except DomainError as exc:
        return render(request, "oncotrial/exports.html", {
            "exports": _listed(),
            "error": f"The {kind} export could not be made: {exc.field}. {error_message(exc)}"}, status=409)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.name}"'
    return response
