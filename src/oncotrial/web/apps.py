"""The web layer's Django app: templates and static files only (no models)."""

from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "oncotrial.web"
    label = "web"
    verbose_name = "Oncotrial web"
