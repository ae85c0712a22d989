"""The site's URLs plus three that fail on purpose, for the error-page tests (not in production)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from waspada.urls import handler403, handler404, handler500
from waspada.urls import urlpatterns as site_urlpatterns

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


def refuse(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("internal detail that must not be shown")


def break_down(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [
    path("uji/terlarang/", refuse),
    path("uji/rusak/", break_down),
    path("api/uji/rusak/", break_down),
    path("api/uji/terlarang/", refuse),
    *site_urlpatterns,
]
