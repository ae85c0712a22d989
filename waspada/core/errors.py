"""The 400, 403, 404 and 500 answers (``handler400/403/404/500`` in waspada/urls.py).

Pages are drawn in the site's shell (core/base.html) in the reader's language (the locale
middleware has chosen it) with a way home; under /api/ the answer stays JSON in the API's one
error shape, ``{"detail", "errors": []}``, in Indonesian like every API message.

The 500 page is drawn from the template alone: no context processor, no database, no request
user (the error may be the database itself), so it shows the shell as if nobody were signed in.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

from waspada.lib.api_errors import too_large_body

logger = logging.getLogger(__name__)

_API_DETAIL = {
    400: "Permintaan tidak sah.",
    403: "Anda tidak berwenang.",
    404: "Tidak ditemukan.",
    500: "Terjadi kesalahan di server. Coba lagi nanti; bila berulang, hubungi admin Kesbangpol.",
}


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _api_error(status: int) -> JsonResponse:
    return JsonResponse({"detail": _API_DETAIL[status], "errors": []}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's answer to a request it refused before any view (a SuspiciousOperation): under /api/
    a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is a 413 and anything else a 400, both JSON; pages
    keep Django's own 400."""
    if _is_api(request):
        if isinstance(exception, RequestDataTooBig):
            return JsonResponse(too_large_body(), status=413)
        return _api_error(400)
    return defaults.bad_request(request, exception)  # type: ignore[arg-type]


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _api_error(403)
    return render(request, "core/403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with a stale or missing CSRF token (CSRF_FAILURE_VIEW): most often a page left
    open past the session's end on a phone. Say what to do instead of Django's bare English page."""
    if _is_api(request):
        return _api_error(403)
    message = _("Formulir ini sudah kedaluwarsa. Muat ulang halamannya, lalu kirim lagi.")
    return render(request, "core/403.html", {"message": message}, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _api_error(404)
    return render(request, "core/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return _api_error(500)
    context: dict[str, object] = {"site_name": settings.WASPADA_SITE_NAME, "request": request}
    try:
        # The language switch in the shell posts a form; the token lives in a cookie, not the database.
        context["csrf_token"] = get_token(request)
    except Exception:  # the page must be drawn whatever else is broken
        logger.exception("no CSRF token for the 500 page")
    return HttpResponse(loader.get_template("core/500.html").render(context), status=500)
