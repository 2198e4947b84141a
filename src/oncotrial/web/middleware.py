"""Request id, login-required-by-default and security headers.

Every request is authenticated except the few public paths in :data:`PUBLIC_PREFIXES`
(login, the public registry page ``/trial``, static assets and the health check). API
requests without a session get a JSON 401 instead of a redirect to the login page.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Final

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

PUBLIC_PREFIXES: Final = ("/login/", "/trial", "/static/", "/healthz")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,100}$")

CONTENT_SECURITY_POLICY: Final = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)

Handler = Callable[[HttpRequest], HttpResponse]


class RequestIdMiddleware:
    """``request.request_id``: the client's ``X-Request-ID`` if well formed, else a new UUID.

    It is echoed in the response and written into every audit row of the request.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class LoginRequiredMiddleware:
    """Refuse anonymous requests outside :data:`PUBLIC_PREFIXES`."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if request.user.is_authenticated or path.startswith(PUBLIC_PREFIXES) or path == "/trial":
            return self.get_response(request)
        if path.startswith("/api/"):
            if request.headers.get("Authorization", "").startswith("Bearer "):
                return self.get_response(request)  # the API authenticates tokens itself
            return JsonResponse(
                {"error": "NotAuthenticated", "message": "log in or send a token"}, status=401
            )
        return redirect(f"{settings.LOGIN_URL}?next={path}")


class SecurityHeadersMiddleware:
    """Content-Security-Policy and a few headers Django does not set itself."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.user.is_authenticated if hasattr(request, "user") else False:
            response.setdefault("Cache-Control", "no-store")
        return response
