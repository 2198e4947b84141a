"""Public pages: the registry-style ``/trial`` page, the health check and static assets."""

from __future__ import annotations

from importlib import resources

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from oncotrial.services.live_outputs import registry_page_with_results

_STATIC_TYPES = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".txt": "text/plain"}


@require_GET
def trial(request: HttpRequest) -> HttpResponse:
    return render(request, "oncotrial/trial.html", {"registry_html": registry_page_with_results()})


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@require_GET
def static_asset(request: HttpRequest, name: str) -> HttpResponse:
    """Serve one of the packaged files under ``web/static/oncotrial`` (no directory walking)."""
    suffix = name[name.rfind(".") :] if "." in name else ""
    if "/" in name or "\\" in name or name.startswith(".") or suffix not in _STATIC_TYPES:
        raise Http404("no such asset")
    asset = resources.files("oncotrial.web").joinpath("static", "oncotrial", name)
    if not asset.is_file():
        raise Http404("no such asset")
    response = HttpResponse(asset.read_bytes(), content_type=_STATIC_TYPES[suffix])
    response["Cache-Control"] = "public, max-age=86400"
    return response
