"""The signed-in user's own account: two-factor sign-in, its recovery codes, and API tokens.

Recovery codes are shown once, in the response to the POST that issued them (never
redirected to, never kept in the session); the page is not cached (``Cache-Control:
no-store`` for signed-in users).
"""

from __future__ import annotations

import segno
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from oncotrial.core.errors import DomainError
from oncotrial.persistence.models import ApiToken
from oncotrial.services.api_tokens import SCOPES, do_create_api_token, do_revoke_api_token
from oncotrial.services.errors import PermissionDenied
from oncotrial.services.recovery_codes import do_regenerate_recovery_codes, remaining
from oncotrial.services.two_factor import do_begin_totp, do_confirm_totp
from oncotrial.web.views.common import acting_user, audit_context, error_message


def _page(request: HttpRequest, status: int = 200, **extra: object) -> HttpResponse:
    user = acting_user(request)
    context = {
        "tokens": ApiToken.objects.filter(user=user).order_by("-created_at"),
        "scopes": SCOPES,
        "recovery_left": remaining(user),
        "errors": {},
        **extra,
    }
    return render(request, "oncotrial/account.html", context, status=status)


@require_GET
def account(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
def totp_begin(request: HttpRequest) -> HttpResponse:
    enrolment = do_begin_totp(audit_context(request))
    qr = segno.make(enrolment.uri, error="m").svg_inline(scale=4, title="Scan with your authenticator app")
    return _page(request, enrolment=enrolment, qr=mark_safe(qr))


@require_POST
def totp_confirm(request: HttpRequest) -> HttpResponse:
    try:
        codes = do_confirm_totp(audit_context(request), request.POST.get("code", ""))
    except DomainError as exc:
        return _page(request, status=422, errors={"code": error_message(exc)})
    return _page(request, recovery_codes=codes)


@require_POST
def recovery_codes_regenerate(request: HttpRequest) -> HttpResponse:
    try:
        codes = do_regenerate_recovery_codes(
            audit_context(request), password=request.POST.get("password", "")
        )
    except DomainError as exc:
        return _page(request, status=422, errors={"recovery": error_message(exc)})
    except PermissionDenied as exc:
        if exc.field != "password":
            raise
        return _page(request, status=422, errors={"recovery": f"Not regenerated: {exc.reason}."})
    return _page(request, recovery_codes=codes)


@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    days_raw = request.POST.get("days", "90")
    try:
        issued = do_create_api_token(
            audit_context(request),
            name=request.POST.get("name", ""),
            scopes=request.POST.getlist("scopes"),
            days=int(days_raw) if days_raw.strip().isdigit() else -1,
        )
    except DomainError as exc:
        return _page(request, status=422, errors={exc.field: error_message(exc)})
    return _page(request, issued=issued)


@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=token_id, user=acting_user(request)).first()
    if token is None:
        raise Http404("no such token of yours")
    do_revoke_api_token(audit_context(request), token)
    return redirect("/account/")
