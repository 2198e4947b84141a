"""Error pages that say what went wrong for the user, never how the server is built."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    reason = getattr(exception, "reason", "") or "You do not have permission for this page."
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"error": "PermissionDenied", "message": reason}, status=403)
    return render(request, "oncotrial/error.html", {"title": "Not allowed", "message": reason}, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request, "oncotrial/error.html", {"title": "Not found", "message": "No such page."}, status=404
    )


def server_error(request: HttpRequest) -> HttpResponse:
    message = "Something went wrong on our side; nothing was saved. The error was logged."
    return render(request, "oncotrial/error.html", {"title": "Server error", "message": message}, status=500)
