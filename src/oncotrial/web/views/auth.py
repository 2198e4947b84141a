"""Sign in and sign out (Argon2 hashes, throttled attempts, a new session on sign-in).

The second factor is the authenticator's code or, in its own input, a one-time recovery
code; both go to the same check (``check_sign_in``), so throttling counts either.
"""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from oncotrial.services.sign_in import SignInError, check_sign_in
from oncotrial.web.views.common import client_ip


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False)
    return target if allowed and target.startswith("/") else "/"


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    error = ""
    status = 200
    if request.method == "POST":
        try:
            user = check_sign_in(
                request.POST.get("username", ""),
                request.POST.get("password", ""),
                client_ip=client_ip(request),
                request_id=getattr(request, "request_id", ""),
                code=request.POST.get("code", "").strip() or request.POST.get("recovery_code", ""),
            )
        except SignInError as exc:
            error, status = str(exc), 429 if exc.locked else 401
        else:
            login(request, user)  # rotates the session key
            return redirect(_next_url(request))
    context = {"error": error, "next": _next_url(request), "username": request.POST.get("username", "")}
    return render(request, "oncotrial/login.html", context, status=status)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("/login/")
