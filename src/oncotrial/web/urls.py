"""URL configuration (views come with the HTML and API layers)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
